// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.embedsvc.Batch;
import org.embedsvc.Classification;
import org.embedsvc.EmbedsvcException;
import org.embedsvc.EmbedsvcParseException;
import org.embedsvc.EmbedsvcPolicyException;
import org.embedsvc.Field;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.embedsvc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a call can fail gives a Java exception with the library's details, never a crash. */
class ErrorTest {
    private static final String VALID = "{\"id\":\"E-0\",\"build_mode\":\"new\",\"total_investment\":\"300\","
            + "\"functions\":[{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"100\"},"
            + "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"100\"},"
            + "{\"scenario\":\"community_meals\",\"investment\":\"100\"}]}";

    private static EmbedsvcException parseError(String json) {
        try (Project p = new Project()) {
            return assertThrows(EmbedsvcParseException.class, () -> p.parse(json));
        }
    }

    @Test
    void badJsonHasLineColumnAndPathCountingCodePoints() {
        // 𠀀 (U+20000) is one code point, four UTF-8 bytes, two Java chars: column 19.
        EmbedsvcException e = parseError("{\n  \"id\": \"E-1\",\n  \"name\": \"社区𠀀中心\" \"build_mode\": \"new\"\n}\n");
        assertEquals("parse.syntax", e.code());
        assertEquals(Status.EPARSE, e.status());
        assertEquals("EMBEDSVC_EPARSE", e.statusName());
        assertEquals(3, e.line());
        assertEquals(19, e.column());
        assertEquals("", e.path());
        assertEquals("unexpected character '\"', expected ',' or '}' after object member", e.detail());
        assertEquals("3:19: parse.syntax: " + e.detail(), e.getMessage());
        assertTrue(e instanceof RuntimeException, "unchecked");
    }

    @Test
    void unknownFieldNamesItsPathInFullUnicode() {
        EmbedsvcException e = parseError(VALID.replace("\"investment\":\"100\"}]", "\"investment\":\"100\",\"colour😀\":\"red\"}]"));
        assertEquals("parse.unknown_field", e.code());
        assertEquals("/functions/2/colour😀", e.path());
        assertEquals("unknown field \"colour😀\"", e.detail());
        assertTrue(e.getMessage().endsWith(" (at /functions/2/colour😀)"), e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void moneyPrecisionInParseAndInTheBuilder() {
        EmbedsvcException e = parseError(VALID.replace("\"300\"", "\"1.001\""));
        assertEquals("money.precision", e.code());
        assertEquals("/total_investment", e.path());
        assertEquals(1, e.line());
        assertEquals(51, e.column());

        try (Project p = new Project()) {
            EmbedsvcException b = assertThrows(EmbedsvcException.class, () -> p.set(Field.TOTAL_INVESTMENT, "0.001"));
            assertEquals("money.precision", b.code());
            assertEquals("/total_investment", b.path());
            int f = p.addFunction();
            EmbedsvcException n = assertThrows(EmbedsvcException.class, () -> p.set(f, Field.INVESTMENT, "-1"));
            assertEquals("money.negative", n.code());
            assertEquals("/functions/0/investment", n.path());
        }
    }

    @Test
    void otherParseErrors() {
        assertEquals("parse.missing_field", parseError("{\"id\":\"X\",\"build_mode\":\"new\",\"functions\":[{}]}").code());
        assertEquals("parse.duplicate_key", parseError("{\"id\":\"X\",\"id\":\"Y\"}").code());
        assertEquals("parse.type", parseError("[]").code());
        assertEquals("parse.syntax", parseError("").code());
        EmbedsvcException v = parseError(VALID.replace("\"new\"", "\"NEW\""));
        assertEquals("parse.value", v.code());
        assertEquals("/build_mode", v.path());
        // invalid UTF-8 straight from bytes
        try (Project p = new Project()) {
            byte[] bad = VALID.replace("E-0", "E-\u00ff").getBytes(StandardCharsets.ISO_8859_1);
            assertEquals("parse.encoding", assertThrows(EmbedsvcException.class, () -> p.parse(bad)).code());
            // the project is empty after a failure, and reusable
            assertEquals(0, p.functionCount());
            p.parse(VALID);
            assertEquals(3, p.functionCount());
        }
    }

    @Test
    void evaluatingAnIncompleteBuiltProject() {
        try (Policy policy = Policy.defaultPolicy(); Project p = new Project(); Result r = new Result()) {
            p.set(Field.ID, "B-1").set(Field.BUILD_MODE, "new");
            EmbedsvcException e = assertThrows(EmbedsvcException.class, () -> r.evaluate(policy, p));
            assertEquals("parse.missing_field", e.code());
            assertThrows(IllegalStateException.class, r::eligible, "a failed evaluation leaves no result");
        }
    }

    @Test
    void invalidPolicies() throws Exception {
        String json = Policy.defaultPolicyJson();
        // a value out of range: parse.value with its path
        EmbedsvcException range = assertThrows(EmbedsvcParseException.class,
                () -> Policy.fromJson(json.replaceFirst("\"rate_bp\": *3000", "\"rate_bp\": 10001")));
        assertEquals("parse.value", range.code());
        assertTrue(range.path().matches("/classes/\\d/rate_bp"), range.path());
        assertTrue(range.line() > 1);
        // parses, but inconsistent: policy.invalid naming the path
        EmbedsvcException invalid = assertThrows(EmbedsvcPolicyException.class,
                () -> Policy.fromJson(json.replaceFirst("\"scenario\": *\"elderly_care\"", "\"scenario\": \"no_such_scenario\"")));
        assertEquals("policy.invalid", invalid.code());
        assertEquals(Status.EPOLICY, invalid.status());
        assertTrue(invalid.path().matches("/items/\\d+/scenario"), invalid.path());
        assertTrue(invalid.detail().contains("no_such_scenario"), invalid.detail());
        // not JSON at all
        assertEquals("parse.syntax", assertThrows(EmbedsvcException.class, () -> Policy.fromJson("{")).code());
        // a project is not a policy
        assertTrue(assertThrows(EmbedsvcException.class, () -> Policy.fromJson(VALID)).code().startsWith("parse."));
    }

    @Test
    void useAfterCloseThrowsIllegalState() {
        Policy policy = Policy.defaultPolicy();
        Project project = Project.fromJson(VALID);
        Result result = new Result();
        Classification c = new Classification();
        Batch batch = new Batch(policy);
        result.evaluate(policy, project);

        project.close();
        project.close(); // twice is fine
        assertTrue(project.isClosed());
        assertThrows(IllegalStateException.class, () -> project.parse(VALID));
        assertThrows(IllegalStateException.class, project::functionCount);
        assertThrows(IllegalStateException.class, () -> result.evaluate(policy, project));
        assertEquals("Project[closed]", project.toString());

        policy.close();
        assertTrue(policy.isClosed());
        assertThrows(IllegalStateException.class, policy::id);
        try (Project other = Project.fromJson(VALID)) {
            assertThrows(IllegalStateException.class, () -> policy.evaluate(other));
        }
        assertThrows(IllegalStateException.class, () -> c.classify(policy, "养老"));
        assertThrows(IllegalStateException.class, () -> new Batch(policy));
        // what was made with the policy stays readable: it keeps the native policy alive
        assertTrue(result.eligible());
        assertEquals(3, result.functions().size());
        assertEquals("elderly_care", result.functions().get(0).scenario());
        assertFalse(result.toJson().isEmpty());
        assertTrue(batch.line(VALID).startsWith("{\"schema\":\"embedsvc.result/1\""));

        result.close();
        assertThrows(IllegalStateException.class, result::eligible);
        assertThrows(IllegalStateException.class, result::toJson);
        assertThrows(IllegalStateException.class, result::findings);
        c.close();
        assertThrows(IllegalStateException.class, c::match);
        batch.close();
        assertThrows(IllegalStateException.class, () -> batch.line(VALID));
        result.close();
        c.close();
        batch.close();
        policy.close();
    }

    @Test
    void notYetEvaluatedOrClassified() {
        try (Result r = new Result(); Classification c = new Classification()) {
            assertFalse(r.isEvaluated());
            assertThrows(IllegalStateException.class, r::totalFen);
            assertThrows(IllegalStateException.class, c::term);
        }
    }

    @Test
    void misuseOfTheBuilder() {
        try (Project p = new Project()) {
            assertThrows(IllegalArgumentException.class, () -> p.set(Field.SCENARIO, "elderly_care"));
            assertThrows(IndexOutOfBoundsException.class, () -> p.set(0, Field.SCENARIO, "elderly_care"));
            p.addFunction();
            assertThrows(IllegalArgumentException.class, () -> p.set(0, Field.ID, "X"));
            assertThrows(NullPointerException.class, () -> p.set(Field.ID, null));
            for (int i = 1; i < Project.MAX_FUNCTIONS; i++) {
                p.addFunction();
            }
            EmbedsvcException e = assertThrows(EmbedsvcException.class, p::addFunction);
            assertEquals(Status.ERANGE, e.status());
        }
    }

    @Test
    void textThatIsNotUnicodeIsRefused() {
        try (Project p = new Project()) {
            // an unpaired surrogate would become '?' with String.getBytes; the binding refuses it
            assertThrows(IllegalArgumentException.class, () -> p.parse(VALID.replace("E-0", "E-\ud800")));
            assertThrows(IllegalArgumentException.class, () -> p.set(Field.NAME, "a\udc00"));
        }
    }

    @Test
    void nullArguments() {
        try (Policy policy = Policy.defaultPolicy(); Project p = new Project(); Result r = new Result()) {
            assertThrows(NullPointerException.class, () -> Project.fromJson((byte[]) null));
            assertThrows(NullPointerException.class, () -> r.evaluate(policy, null));
            assertThrows(NullPointerException.class, () -> r.evaluate(null, p));
        }
    }

    @Test
    void unreadableFilesAreIOExceptions(@TempDir Path dir) {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Project.load(dir.resolve("missing.json")));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Policy.load(dir.resolve("missing.json")));
    }
}
