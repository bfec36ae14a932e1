// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.embedsvc.EmbedsvcParseException;
import org.embedsvc.EmbedsvcPolicyException;
import org.embedsvc.Policy;
import org.embedsvc.PolicyChanges;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.embedsvc.Rule;
import org.embedsvc.ServiceClass;
import org.embedsvc.Status;
import org.junit.jupiter.api.Test;

/** Policy.derive (the C contract embedsvc_policy_derive), and the getters JSON mappers read. */
class DeriveTest {
    private static Path policies() {
        return Paths.get(System.getProperty("embedsvc.examples")).getParent().getParent().resolve("policies");
    }

    @Test
    void theShippedReformsAreDerivations() throws Exception {
        try (Policy base = Policy.defaultPolicy();
                Policy cap = Policy.load(policies().resolve("reform-cap-3000wan.json"));
                Policy inclusive = Policy.load(policies().resolve("reform-inclusive-20pct.json"));
                Policy dCap = base.derive(Map.of("id", cap.id(), "version", cap.version(), "title_zh", cap.titleZh(),
                        "title_en", cap.titleEn(), "cap_fen", 3_000_000_000L));
                Policy dInclusive = base.derive(PolicyChanges.create().id(inclusive.id()).version(inclusive.version())
                        .titleZh(inclusive.titleZh()).titleEn(inclusive.titleEn()).rate(ServiceClass.INCLUSIVE, 2000))) {
            assertEquals(cap.toJson(), dCap.toJson());
            assertEquals(inclusive.toJson(), dInclusive.toJson());
        }
    }

    @Test
    void unlessGivenTheIdStaysAndVersionAndTitlesAreMarked() {
        try (Policy base = Policy.defaultPolicy();
                Policy d = base.derive(PolicyChanges.create().capFen(null).rate(ServiceClass.INCLUSIVE, 2500)
                        .minFunctions(3));
                Policy m = base.derive(Map.of("min_functions", 3, "cap_fen", 1))) {
            assertEquals(base.id(), d.id());
            assertEquals(base.version() + "+derived", d.version());
            // keys named in the order of the contract's table
            assertEquals(base.titleZh() + "（调整：min_functions、cap_fen、rates）", d.titleZh());
            assertEquals(base.titleEn() + " (derived: min_functions, cap_fen, rates)", d.titleEn());
            assertTrue(d.rule(Rule.CAP_FEN).isEmpty(), "cap_fen null: no cap");
            assertEquals(3, d.rule(Rule.MIN_FUNCTIONS).getAsLong());
            assertEquals(2500, d.rateBp(ServiceClass.INCLUSIVE));
            assertEquals(base.rateBp(ServiceClass.BASIC_PUBLIC), d.rateBp(ServiceClass.BASIC_PUBLIC));
            assertEquals(1, m.rule(Rule.CAP_FEN).getAsLong());
        }
        try (Policy base = Policy.defaultPolicy(); Policy same = base.derive(Map.of())) {
            assertEquals(base.titleZh() + "（调整）", same.titleZh());
            assertEquals(base.titleEn() + " (derived)", same.titleEn());
        }
    }

    @Test
    void theMapTheBuilderAndTheJsonAgree() {
        PolicyChanges b = PolicyChanges.create().capFen(4_000_000_000L).rate(ServiceClass.INCLUSIVE, 2000)
                .rateIsMax(ServiceClass.COMMERCIAL, true).subsidyBuildModes("new", "renovation").maxWalkMinutes(null);
        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("inclusive", 2000);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cap_fen", 4_000_000_000L);
        map.put("rates", rates);
        map.put("rate_is_max", Map.of(ServiceClass.COMMERCIAL, true));
        map.put("subsidy_build_modes", List.of("new", "renovation"));
        map.put("max_walk_minutes", null);
        assertEquals(map.toString().replace("COMMERCIAL", "commercial"), b.toMap().toString());
        assertEquals("{\"cap_fen\":4000000000,\"rates\":{\"inclusive\":2000},\"rate_is_max\":{\"commercial\":true},"
                + "\"subsidy_build_modes\":[\"new\",\"renovation\"],\"max_walk_minutes\":null}", b.toJson());
        try (Policy base = Policy.defaultPolicy(); Policy x = base.derive(b); Policy y = base.derive(map);
                Policy z = base.deriveJson(b.toJson())) {
            assertEquals(x.toJson(), y.toJson());
            assertEquals(x.toJson(), z.toJson());
            assertTrue(x.rateIsMax(ServiceClass.COMMERCIAL));
        }
        assertThrows(IllegalArgumentException.class, () -> JsonTextProbe.derive(Map.of("cap_fen", 1.5)));
        assertThrows(IllegalArgumentException.class, () -> JsonTextProbe.derive(Map.of("rates", Map.of(1, 2))));
    }

    /** Derives from the default policy, for the refusals of values JSON cannot carry. */
    private static final class JsonTextProbe {
        static void derive(Map<String, ?> changes) {
            try (Policy base = Policy.defaultPolicy()) {
                base.derive(changes).close();
            }
        }
    }

    @Test
    void errorsNameThePath() {
        try (Policy base = Policy.defaultPolicy()) {
            EmbedsvcParseException e = assertThrows(EmbedsvcParseException.class,
                    () -> base.deriveJson("{\n  \"cap_fen\": 1,\n  \"colour\": \"red\"\n}"));
            assertEquals("parse.unknown_field", e.code());
            assertEquals("/colour", e.path());
            assertEquals(3, e.line());

            e = assertThrows(EmbedsvcParseException.class, () -> base.derive(Map.of("rates", Map.of("luxury", 1))));
            assertEquals("parse.unknown_field", e.code());
            assertEquals("/rates/luxury", e.path());

            e = assertThrows(EmbedsvcParseException.class, () -> base.derive(Map.of("min_functions", "three")));
            assertEquals("parse.type", e.code());
            assertEquals("/min_functions", e.path());

            e = assertThrows(EmbedsvcParseException.class, () -> base.deriveJson("{\"cap_fen\": }"));
            assertEquals("parse.syntax", e.code());
            assertEquals(1, e.line());
            assertEquals(Status.EPARSE, e.status());

            // valid changes, an invalid policy: the path in the derived policy, no position
            EmbedsvcPolicyException p = assertThrows(EmbedsvcPolicyException.class,
                    () -> base.derive(PolicyChanges.create().subsidyBuildModes("new", "新建")));
            assertEquals("policy.invalid", p.code());
            assertEquals("/rules/subsidy_build_modes/1", p.path());
            assertEquals(0, p.line());

            e = assertThrows(EmbedsvcParseException.class, () -> base.derive(Map.of("min_functions", -1)));
            assertEquals("parse.value", e.code());
            assertEquals("/rules/min_functions", e.path());
        }
        Policy closed = Policy.defaultPolicy();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.derive(Map.of()));
    }

    /**
     * Jackson's ObjectMapper (Debian's libjackson2-databind-java, loaded by reflection so that the
     * binding has no dependency) writes a Result from its getters with the values of toJson().
     */
    @Test
    void aJsonMapperReadsTheGetters() throws Exception {
        Class<?> mapperClass;
        try {
            mapperClass = Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
        } catch (ClassNotFoundException e) {
            throw new AssertionError("Jackson is not on the test class path (libjackson2-databind-java)", e);
        }
        Object mapper = mapperClass.getConstructor().newInstance();
        Method write = mapperClass.getMethod("writeValueAsString", Object.class);
        Path project = Paths.get(System.getProperty("embedsvc.examples")).resolve("capped-large-complex.json");
        try (Policy policy = Policy.defaultPolicy(); Project p = Project.load(project); Result r = policy.evaluate(p)) {
            Map<String, Object> bean = Json.object((String) write.invoke(mapper, r));
            Map<String, Object> json = Json.object(r.toJson());
            assertEquals(json.get("project_id"), bean.get("projectId"));
            assertEquals(json.get("eligible"), bean.get("eligible"));
            assertEquals(json.get("subsidy_eligible"), bean.get("subsidyEligible"));
            @SuppressWarnings("unchecked")
            Map<String, Object> subsidy = (Map<String, Object>) json.get("subsidy");
            assertEquals(subsidy.get("total_fen"), bean.get("totalFen"));
            assertEquals(subsidy.get("capped"), bean.get("capped"));
            assertEquals(subsidy.get("cap_fen"), bean.get("capFen"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> findings = (List<Map<String, Object>>) json.get("findings");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> beanFindings = (List<Map<String, Object>>) bean.get("findings");
            List<Object> codes = new ArrayList<>();
            List<Object> beanCodes = new ArrayList<>();
            for (int i = 0; i < findings.size(); i++) {
                codes.add(findings.get(i).get("code") + " " + findings.get(i).get("message_zh"));
                beanCodes.add(beanFindings.get(i).get("code") + " " + beanFindings.get(i).get("messageZh"));
            }
            assertEquals(codes, beanCodes);
            assertNotNull(bean.get("functions"));
            assertEquals(((List<?>) json.get("functions")).size(), ((List<?>) bean.get("functions")).size());
        }
    }
}
