// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.embedsvc.Disbursement;
import org.embedsvc.EmbedsvcException;
import org.embedsvc.EmbedsvcLimitException;
import org.embedsvc.EmbedsvcStateException;
import org.embedsvc.Field;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Stage;
import org.embedsvc.StageReport;
import org.embedsvc.Status;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The funding process (reference §9): stage checks and disbursement, as the C tool gives them. */
class ProcessTest {

    /** Every parsable shared case, checked for a move to every stage, agrees with {@code embedsvc stage --json}. */
    @TestFactory
    Stream<DynamicTest> stageChecksMatchTheCommandLineTool() throws Exception {
        List<Vectors.Case> cases = new ArrayList<>(Vectors.examples());
        cases.addAll(Vectors.vectors());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> {
            try (Policy policy = c.policy == null ? Policy.defaultPolicy() : Policy.load(c.policy);
                    Project project = new Project();
                    StageReport report = new StageReport()) {
                try {
                    project.parse(Files.readAllBytes(c.project));
                } catch (EmbedsvcException e) {
                    return; // an input error case: see ConformanceTest
                }
                for (Stage target : Stage.values()) {
                    List<String> args = new ArrayList<>(List.of("stage", "--json"));
                    if (c.policy != null) {
                        args.addAll(List.of("--policy", c.policy.toString()));
                    }
                    args.addAll(List.of(c.project.toString(), target.code()));
                    Vectors.Run run = Vectors.cli(args.toArray(new String[0]));
                    Map<String, Object> want = Json.object(run.out);
                    report.check(policy, project, target);
                    assertEquals(want.get("stage"), report.current().code(), c.name + " " + target);
                    assertEquals(want.get("target"), report.target().code(), c.name + " " + target);
                    assertEquals(want.get("allowed"), report.allowed(), c.name + " " + target);
                    assertEquals(run.status == 0, report.allowed(), c.name + " " + target);
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> unmet = (List<Map<String, Object>>) want.get("unmet");
                    assertEquals(unmet.size(), report.unmet().size(), c.name + " " + target);
                    for (int i = 0; i < unmet.size(); i++) {
                        StageReport.Precondition p = report.unmet().get(i);
                        assertEquals(unmet.get(i).get("code"), p.code());
                        assertEquals(unmet.get(i).get("cite"), p.cite());
                        assertEquals(unmet.get(i).get("message_zh"), p.messageZh());
                        assertEquals(unmet.get(i).get("message_en"), p.messageEn());
                    }
                }
            }
        }));
    }

    @Test
    void aCaseWalksThroughTheStages() {
        try (Policy policy = Policy.defaultPolicy();
                Project p = Project.load(Vectors.dir("embedsvc.examples").resolve("renovated-complex.json"));
                StageReport r = new StageReport()) {
            p.unset(Project.PROJECT_LEVEL, Field.STAGE);
            assertTrue(r.check(policy, p, Stage.APPLICATION).allowed() || !r.unmet().isEmpty());
            p.set(Field.STAGE, "联合审查");
            r.check(policy, p, Stage.FUND_APPROVAL);
            assertEquals(Stage.JOINT_REVIEW, r.current());
            p.set(Field.FEASIBILITY_APPROVED, "true").set(Field.ESTIMATE_DEPTH_REPORT, "true");
            assertTrue(r.check(policy, p, Stage.FUND_APPROVAL).allowed(), r.unmet().toString());
            assertTrue(r.unmet().isEmpty());
            r.check(policy, p, Stage.CALL);
            assertFalse(r.allowed());
            assertEquals("process.not_next_stage", r.unmet().get(0).code());
            assertEquals("四、2", r.unmet().get(0).cite());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(Stage.FUND_APPROVAL, Stage.parse("资金审批"));
        assertEquals("资金下达", Stage.DISBURSEMENT.nameZh());
    }

    @Test
    void disbursementByProgress() throws Exception {
        // 100 yuan approved, 50% built, 20 yuan paid: 30 yuan due (as `embedsvc disburse` says)
        assertEquals(3000, Disbursement.dueFen(10_000, 5_000, 2_000));
        assertTrue(Vectors.cli("disburse", "--approved", "100", "--progress", "0.5", "--disbursed", "20").out
                .contains("30.00"));
        assertEquals(0, Disbursement.dueFen(10_000, 5_000, 6_000), "never negative");
        assertEquals(3333, Disbursement.dueFen(10_000, 3_333, 0));
        assertEquals(10_000, Disbursement.dueFen(10_000, 10_000, 0));

        EmbedsvcException over = assertThrows(EmbedsvcStateException.class, () -> Disbursement.dueFen(10_000, 5_000, 20_000));
        assertEquals("process.overdisbursed", over.code());
        assertEquals(Status.ESTATE, over.status());
        EmbedsvcException progress = assertThrows(EmbedsvcLimitException.class, () -> Disbursement.dueFen(10_000, 10_001, 0));
        assertEquals("process.progress_range", progress.code());
        assertEquals(Status.ERANGE, progress.status());
        assertEquals("money.negative", assertThrows(EmbedsvcException.class, () -> Disbursement.dueFen(-1, 0, 0)).code());
    }

    @Test
    void aReportIsClosedLikeTheRest() {
        StageReport r = new StageReport();
        assertThrows(IllegalStateException.class, r::allowed);
        r.close();
        r.close();
        try (Policy policy = Policy.defaultPolicy(); Project p = new Project()) {
            assertThrows(IllegalStateException.class, () -> r.check(policy, p, Stage.APPLICATION));
        }
    }
}
