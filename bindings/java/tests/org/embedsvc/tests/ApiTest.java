// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.embedsvc.Check;
import org.embedsvc.Classification;
import org.embedsvc.Count;
import org.embedsvc.Embedsvc;
import org.embedsvc.Field;
import org.embedsvc.Finding;
import org.embedsvc.Match;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.embedsvc.Rule;
import org.embedsvc.ServiceClass;
import org.embedsvc.Severity;
import org.junit.jupiter.api.Test;

/** The Java API itself: policies, the project builder, results, classification, Unicode. */
class ApiTest {
    /** The example of the C header (include/embedsvc.h), as JSON. */
    private static final String DEMO = "{\"id\":\"DEMO-1\",\"build_mode\":\"renovation\","
            + "\"total_investment\":\"3000000\",\"functions\":["
            + "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
            + "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
            + "{\"label\":\"托育园\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";

    @Test
    void versions() throws Exception {
        assertEquals(Embedsvc.bindingVersion(), Embedsvc.version());
        assertEquals(1, Embedsvc.abiVersion());
        String cli = Vectors.cli("--version").out;
        assertTrue(cli.contains("libembedsvc " + Embedsvc.version() + ", ABI " + Embedsvc.abiVersion()), cli);
        int n = Embedsvc.versionNumber();
        assertEquals(Embedsvc.version(), (n / 10000) + "." + (n / 100 % 100) + "." + (n % 100));
    }

    @Test
    void theDefaultPolicy() {
        try (Policy p = Policy.defaultPolicy()) {
            assertEquals("beijing-2024-trial", p.id());
            assertEquals("1", p.version());
            assertEquals("北京市社区嵌入式服务设施项目建设运营管理办法（试行）", p.titleZh());
            assertNull(p.effectiveFrom());
            assertEquals(OptionalLong.of(3), p.rule(Rule.MIN_FUNCTIONS));
            assertEquals(OptionalLong.of(5_000_000_000L), p.rule(Rule.CAP_FEN));
            assertEquals(9, p.scenarioCount());
            int elderly = p.scenarioIndex("elderly_care");
            assertEquals(elderly, p.scenarioIndex("养老服务"));
            assertEquals(-1, p.scenarioIndex("nothing"));
            assertEquals("elderly_care", p.scenarioCode(elderly));
            assertEquals("养老服务", p.scenarioNameZh(elderly));
            assertTrue(p.isCore(elderly));
            assertTrue(p.isPreferred(elderly));
            assertTrue(p.allows(elderly, ServiceClass.COMMERCIAL));
            assertEquals(3000, p.rateBp(ServiceClass.INCLUSIVE));
            assertTrue(p.rateIsMax(ServiceClass.INCLUSIVE));
            assertEquals(0, p.rateBp(ServiceClass.COMMERCIAL));
            assertEquals("基本公共服务类", p.className(ServiceClass.BASIC_PUBLIC, "zh"));
            assertTrue(p.itemCount() > 0);
            for (int i = 0; i < p.itemCount(); i++) {
                assertFalse(p.itemNameZh(i).isEmpty());
                assertTrue(p.itemServiceClass(i) != null);
            }
            assertTrue(p.toString().contains("beijing-2024-trial"));
            // canonical JSON loads back to an equal policy
            try (Policy again = Policy.fromJson(p.toJson())) {
                assertEquals(p.toJson(), again.toJson());
            }
        }
        assertEquals(ServiceClass.INCLUSIVE, ServiceClass.parse("普惠非基本公共服务类"));
        assertEquals(ServiceClass.INCLUSIVE, ServiceClass.parse("inclusive"));
        assertNull(ServiceClass.parse("Inclusive"));
        assertEquals("便民商业类", ServiceClass.COMMERCIAL.nameZh());
    }

    @Test
    void evaluateTheHeaderExample() {
        try (Policy policy = Policy.defaultPolicy();
                Project project = Project.fromJson(DEMO);
                Result r = policy.evaluate(project)) {
            assertEquals("DEMO-1", r.projectId());
            assertTrue(r.eligible());
            assertTrue(r.subsidyEligible());
            assertEquals(3, r.count(Count.FUNCTIONS));
            assertEquals("infant_care", r.functions().get(2).scenario());
            assertEquals(ServiceClass.COMMERCIAL, r.functions().get(1).serviceClass());
            // 30% of 1,000,000 yuan basic + 30% of 1,000,000 inclusive = 600,000 yuan
            assertEquals(60_000_000L, r.totalFen());
            assertEquals(r.totalFen(), r.amountFen(ServiceClass.BASIC_PUBLIC) + r.amountFen(ServiceClass.INCLUSIVE));
            assertFalse(r.capped());
            Finding inferred = r.findings().stream().filter(f -> f.code().equals("function.scenario_inferred"))
                    .findFirst().orElseThrow();
            assertEquals(Severity.INFO, inferred.severity());
            assertEquals(2, inferred.function());
            assertEquals("四、1", inferred.cite());
            assertTrue(inferred.messageZh().contains("托育园"), inferred.messageZh());
            assertFalse(inferred.messageEn().isEmpty());
            Check min = r.checks().get(0);
            assertEquals("min_functions", min.rule());
            assertEquals(Boolean.TRUE, min.passed());
            assertEquals(3L, min.value());
            assertEquals(Long.valueOf(3), min.threshold());
            assertEquals("renovation", r.checks().stream().filter(c -> c.rule().equals("subsidy_build_mode"))
                    .findFirst().orElseThrow().value());
            assertTrue(r.toString().contains("DEMO-1"));
            // the lists are immutable snapshots
            List<Finding> findings = r.findings();
            org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                    () -> findings.add(null));
        }
    }

    @Test
    void aBuiltProjectEvaluatesAsTheSameJson() {
        try (Policy policy = Policy.defaultPolicy();
                Project built = new Project();
                Project parsed = Project.fromJson(DEMO);
                Result a = new Result();
                Result b = new Result()) {
            built.set(Field.ID, "DEMO-1").set(Field.BUILD_MODE, "renovation").setInt(Field.TOTAL_INVESTMENT, 300_000_000L);
            int f0 = built.addFunction();
            built.set(f0, Field.SCENARIO, "elderly_care").set(f0, Field.SERVICE_CLASS, "basic_public")
                    .set(f0, Field.INVESTMENT, "1000000");
            int f1 = built.addFunction();
            built.set(f1, Field.SCENARIO, "社区助餐").set(f1, Field.INVESTMENT, "1000000");
            int f2 = built.addFunction();
            built.set(f2, Field.LABEL, "托育园").setInt(f2, Field.SERVICE_CLASS, 1).setInt(f2, Field.INVESTMENT, 100_000_000L);
            assertEquals(3, built.functionCount());
            assertEquals("托育园", built.getText(f2, Field.LABEL));
            assertEquals(OptionalLong.of(300_000_000L), built.getInt(Project.PROJECT_LEVEL, Field.TOTAL_INVESTMENT));
            assertEquals(OptionalLong.of(2), built.getInt(Project.PROJECT_LEVEL, Field.BUILD_MODE));
            assertEquals(OptionalLong.empty(), built.getInt(Project.PROJECT_LEVEL, Field.WALK_MINUTES));
            a.evaluate(policy, parsed);
            b.evaluate(policy, built);
            // 社区助餐 is the Chinese name of community_meals: same result
            assertEquals(a.toJson(), b.toJson());
            built.unset(f2, Field.LABEL);
            assertNull(built.getText(f2, Field.LABEL));
            assertNotEquals(a.toJson(), b.evaluate(policy, built).toJson());
            built.clear();
            assertEquals(0, built.functionCount());
        }
    }

    @Test
    void textBeyondTheBasicPlaneCrossesIntact() {
        String id = "ID-😀𠀀";
        String name = "社区𠀀中心😀 \u00a0end";
        try (Policy policy = Policy.defaultPolicy();
                Project p = Project.fromJson(DEMO.replace("DEMO-1", id).replace("托育园", "托育园😀"));
                Result r = policy.evaluate(p)) {
            p.set(Field.NAME, name);
            assertEquals(name, p.getText(Project.PROJECT_LEVEL, Field.NAME));
            assertEquals(id, p.getText(Project.PROJECT_LEVEL, Field.ID));
            assertEquals(id, r.projectId());
            assertTrue(r.toJson().contains("\"project_id\":\"" + id + "\""));
            assertTrue(r.findings().get(0).messageZh().contains("托育园😀"), r.findings().get(0).messageZh());
            Map<String, Object> json = Json.object(r.toJson());
            assertEquals(id, json.get("project_id"));
            assertTrue(new String(r.toJsonBytes(), java.nio.charset.StandardCharsets.UTF_8).equals(r.toJson()));
        }
    }

    @Test
    void classificationMatchesTheCommandLineTool() throws Exception {
        String[] texts = {"养老服务驿站", "理发", "社区", "xyz", "社区卫生服务站", "托育托管", "健身文化", "家政便民理发",
            "ＹＯＧＡ 养老", "助餐点", "😀养老😀"};
        List<String> args = new ArrayList<>(List.of("classify", "--json"));
        args.addAll(List.of(texts));
        String[] lines = Vectors.cli(args.toArray(new String[0])).out.split("\n");
        assertEquals(texts.length, lines.length);
        try (Policy policy = Policy.defaultPolicy(); Classification c = new Classification()) {
            for (int i = 0; i < texts.length; i++) {
                Map<String, Object> want = Json.object(lines[i]);
                c.classify(policy, texts[i]);
                assertEquals(want.get("match"), c.match().code(), texts[i]);
                assertEquals(want.get("scenario"), c.scenario(), texts[i]);
                assertEquals(want.get("service_class"), c.serviceClass() == null ? null : c.serviceClass().code(),
                        texts[i]);
                assertEquals(want.get("term"), c.term(), texts[i]);
                List<Object> candidates = new ArrayList<>();
                for (Classification.Candidate k : c.candidates()) {
                    candidates.add(Map.of("scenario", k.scenario(), "item", k.item() == null ? "null" : k.item()));
                }
                if (c.match() == Match.AMBIGUOUS) {
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> w = (List<Map<String, Object>>) want.get("candidates");
                    List<Object> expected = new ArrayList<>();
                    for (Map<String, Object> k : w) {
                        expected.add(Map.of("scenario", k.get("scenario"), "item",
                                k.get("item") == null ? "null" : k.get("item")));
                    }
                    assertEquals(expected, candidates, texts[i]);
                } else {
                    assertTrue(candidates.isEmpty());
                }
            }
        }
        try (Policy policy = Policy.defaultPolicy(); Classification c = policy.classify("便民理发")) {
            assertEquals(Match.EXACT, c.match());
            assertEquals("便民理发", c.item());
            assertEquals(ServiceClass.COMMERCIAL, c.serviceClass());
        }
    }

    @Test
    @SuppressWarnings("try") // closing `other` early is the point
    void aResultMovesBetweenPoliciesAndKeepsTheOneItRead() throws Exception {
        String fourFunctions = Policy.defaultPolicyJson().replaceFirst("\"min_functions\": *3", "\"min_functions\": 4");
        try (Policy policy = Policy.defaultPolicy();
                Policy other = Policy.fromJson(fourFunctions);
                Project p = Project.fromJson(DEMO);
                Result r = new Result()) {
            assertTrue(r.evaluate(policy, p).eligible());
            assertFalse(r.evaluate(other, p).eligible());
            other.close(); // r still holds it
            assertEquals("project.too_few_functions", r.findings().get(r.findings().size() - 1).code());
            assertEquals("elderly_care", r.functions().get(0).scenario());
            assertTrue(r.evaluate(policy, p).eligible()); // lets go of `other`: freed now
        }
    }

    @Test
    void objectsThatAreNeverClosedAreCleanedUp() throws Exception {
        try (Policy policy = Policy.defaultPolicy()) {
            for (int i = 0; i < 2000; i++) {
                Result r = policy.evaluate(Project.fromJson(DEMO)); // neither closed: the Cleaner frees them
                assertTrue(r.eligible());
            }
        }
        System.gc();
        Thread.sleep(100);
    }
}
