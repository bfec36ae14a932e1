// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.embedsvc.Batch;
import org.embedsvc.Check;
import org.embedsvc.Count;
import org.embedsvc.EmbedsvcException;
import org.embedsvc.Finding;
import org.embedsvc.FunctionResult;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.embedsvc.Status;
import org.embedsvc.ServiceClass;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shared case gives, from Java, exactly what the C library gives: the same result JSON
 * bytes as {@code embedsvc check --json} (or the same error line on stderr), the fields the
 * case's expected.json lists, and typed accessors that agree with the JSON.
 */
class ConformanceTest {

    @TestFactory
    Stream<DynamicTest> vectors() throws Exception {
        List<Vectors.Case> cases = Vectors.vectors();
        assertFalse(cases.isEmpty(), "no vectors in " + Vectors.dir("embedsvc.vectors"));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
    }

    @TestFactory
    Stream<DynamicTest> sharedConformance() throws Exception {
        List<Vectors.Case> cases = Vectors.conformance();
        assumeTrue(!cases.isEmpty(), "shared conformance set absent: " + Vectors.dir("embedsvc.conformance"));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
    }

    @TestFactory
    Stream<DynamicTest> exampleProjects() throws Exception {
        return Vectors.examples().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
    }

    private static void check(Vectors.Case c) throws Exception {
        String file = c.project.toString();
        Vectors.Run run = c.policy == null ? Vectors.cli("check", "--json", file)
                : Vectors.cli("check", "--json", "--policy", c.policy.toString(), file);
        Map<String, Object> expected = Json.object(Vectors.read(c.expected));

        try (Policy policy = c.policy == null ? Policy.defaultPolicy() : Policy.load(c.policy);
                Project project = new Project();
                Result result = new Result()) {
            EmbedsvcException error = null;
            String json = null;
            try {
                result.evaluate(policy, project.parse(Files.readAllBytes(c.project)));
                json = result.toJson();
            } catch (EmbedsvcException e) {
                error = e;
            }

            if (run.status == 0 || run.status == 1) {
                assertNull(error, () -> c.name + ": C gave a result, Java threw");
                assertEquals(run.out, json + "\n", c.name + ": result JSON differs from embedsvc check --json");
                assertEquals(run.status == 0, result.eligible(), c.name + ": eligible vs exit status");
                Map<String, Object> actual = Json.object(json);
                Vectors.assertMatches(expected, actual, c.name);
                assertAccessorsAgree(result, actual, c.name);
                return;
            }

            assertNotNull(error, () -> c.name + ": C rejected the input (" + run.err.strip() + "), Java did not");
            String line = "embedsvc: " + file + (error.line() > 0 ? ":" + error.line() + ":" + error.column() : "")
                    + ": " + error.code() + ": " + error.detail()
                    + (error.path().isEmpty() ? "" : " (at " + error.path() + ")") + "\n";
            assertEquals(run.err, line, c.name + ": error differs from the C tool's");
            assertEquals(Status.EPARSE, error.status());
            @SuppressWarnings("unchecked")
            Map<String, Object> want = (Map<String, Object>) expected.get("error");
            assertNotNull(want, c.name + ": expected a result, got " + error.getMessage());
            assertEquals(want.get("code"), error.code(), c.name + ": code");
            if (want.containsKey("path")) {
                assertEquals(want.get("path"), error.path(), c.name + ": path");
            }
            if (want.containsKey("line")) {
                assertEquals(((Number) want.get("line")).intValue(), error.line(), c.name + ": line");
            }
            if (want.containsKey("column")) {
                assertEquals(((Number) want.get("column")).intValue(), error.column(), c.name + ": column");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** The typed accessors give what the library's own JSON writer wrote. */
    @SuppressWarnings("unchecked")
    private static void assertAccessorsAgree(Result r, Map<String, Object> json, String name) {
        assertEquals(json.get("project_id"), r.projectId(), name);
        assertEquals(json.get("eligible"), r.eligible(), name);
        assertEquals(json.get("subsidy_eligible"), r.subsidyEligible(), name);

        Map<String, Object> counts = (Map<String, Object>) json.get("counts");
        for (Count c : Count.values()) {
            assertEquals(((Number) counts.get(c.name().toLowerCase())).intValue(), r.count(c), name + " " + c);
        }

        List<Map<String, Object>> functions = list(json.get("functions"));
        assertEquals(functions.size(), r.functions().size(), name);
        for (FunctionResult f : r.functions()) {
            Map<String, Object> j = functions.get(f.index());
            assertEquals(j.get("scenario"), f.scenario(), name);
            assertEquals(j.get("service_class"), f.serviceClass() == null ? null : f.serviceClass().code(), name);
            assertEquals(j.get("investment_fen"), f.investmentFen(), name);
            assertEquals(j.get("subsidy_fen"), f.subsidyFen(), name);
        }

        Map<String, Object> subsidy = (Map<String, Object>) json.get("subsidy");
        for (ServiceClass c : ServiceClass.values()) {
            Map<String, Object> s = (Map<String, Object>) subsidy.get(c.code());
            assertEquals(s.get("base_fen"), r.baseFen(c), name);
            assertEquals(((Number) s.get("rate_bp")).intValue(), r.rateBp(c), name);
            assertEquals(s.get("amount_fen"), r.amountFen(c), name);
        }
        assertEquals(subsidy.get("uncapped_fen"), r.uncappedFen(), name);
        assertEquals(subsidy.get("cap_fen"), r.capFen().isPresent() ? (Object) r.capFen().getAsLong() : null, name);
        assertEquals(subsidy.get("capped"), r.capped(), name);
        assertEquals(subsidy.get("cap_headroom_fen"),
                r.capHeadroomFen().isPresent() ? (Object) r.capHeadroomFen().getAsLong() : null, name);
        assertEquals(subsidy.get("total_fen"), r.totalFen(), name);

        List<Map<String, Object>> checks = list(json.get("checks"));
        assertEquals(checks.size(), r.checks().size(), name);
        for (int i = 0; i < checks.size(); i++) {
            Check c = r.checks().get(i);
            Map<String, Object> j = checks.get(i);
            assertEquals(j.get("rule"), c.rule(), name);
            assertEquals(j.get("passed"), c.passed(), name + " " + c.rule());
            assertEquals(j.get("value"), c.value(), name + " " + c.rule());
            assertEquals(j.get("threshold"), c.threshold(), name + " " + c.rule());
            assertEquals(j.get("cite"), c.cite(), name + " " + c.rule());
        }

        List<Map<String, Object>> findings = list(json.get("findings"));
        assertEquals(findings.size(), r.findings().size(), name);
        for (int i = 0; i < findings.size(); i++) {
            Finding f = r.findings().get(i);
            Map<String, Object> j = findings.get(i);
            assertEquals(j.get("code"), f.code(), name);
            assertEquals(j.get("severity"), f.severity().code(), name);
            assertEquals(j.get("function"), f.isProjectFinding() ? null : (Object) (long) f.function(), name);
            assertEquals(j.get("cite"), f.cite(), name);
            assertEquals(j.get("message_zh"), f.messageZh(), name);
            assertEquals(j.get("message_en"), f.messageEn(), name);
        }
    }

    /** A JSON Lines batch gives the same lines as {@code embedsvc batch}. */
    @Test
    void batchMatchesTheCommandLineTool() throws Exception {
        Path input = Vectors.dir("embedsvc.examples").resolve("portfolio.jsonl");
        Vectors.Run run = Vectors.cli("batch", input.toString());
        List<String> lines = new ArrayList<>();
        try (Policy policy = Policy.defaultPolicy(); Batch batch = new Batch(policy)) {
            for (String in : new String(Files.readAllBytes(input), StandardCharsets.UTF_8).split("\n", -1)) {
                String out = batch.line(in);
                if (out != null) {
                    lines.add(out);
                }
            }
            assertEquals(run.out, String.join("\n", lines) + "\n");
            assertEquals(lines.size(), batch.projects() + batch.errors());
            assertEquals(run.status == 0, batch.errors() == 0);
        }
    }
}
