// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** examples/java/CaseReview.java, run as a user runs it, agrees with the C tool. */
class ExampleTest {
    private static final class Output {
        final int status;
        final String out;
        final String err;

        Output(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    private static Output caseReview(String... args) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("embedsvc.jar") + ":" + System.getProperty("embedsvc.example.classes");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", cp, "CaseReview"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // as a user runs it: no library path set up, the JNI library comes out of embedsvc.jar
        pb.environment().remove("LD_LIBRARY_PATH");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Output(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void reviewsEveryExampleProjectLikeTheCTool() throws Exception {
        for (Vectors.Case c : Vectors.examples()) {
            Vectors.Run cli = Vectors.cli("check", "--json", c.project.toString());
            Map<String, Object> json = Json.object(cli.out);
            @SuppressWarnings("unchecked")
            long total = (Long) ((Map<String, Object>) json.get("subsidy")).get("total_fen");
            Output o = caseReview(c.project.toString());
            assertEquals(cli.status, o.status, c.name + ": " + o.err);
            assertTrue(o.out.contains("项目 " + json.get("project_id")), o.out);
            assertTrue(o.out.contains("补助合计: " + BigDecimal.valueOf(total, 2).toPlainString() + " 元"), o.out);
            assertTrue(o.out.contains("符合申报条件: " + (cli.status == 0 ? "是" : "否")), o.out);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> findings = (List<Map<String, Object>>) json.get("findings");
            for (Map<String, Object> f : findings) {
                assertTrue(o.out.contains((String) f.get("message_zh")), o.out);
            }
            if (findings.isEmpty()) {
                assertTrue(o.out.contains("（无）"), o.out);
            }
        }
    }

    @Test
    void englishAndBadInput() throws Exception {
        Path examples = Vectors.dir("embedsvc.examples");
        Output o = caseReview("--lang", "en", examples.resolve("renovated-complex.json").toString());
        assertEquals(0, o.status, o.err);
        assertTrue(o.out.contains("Total subsidy: 1876400.00 yuan"), o.out);

        Path bad = Vectors.dir("embedsvc.vectors").resolve("149-syntax-missing-comma").resolve("project.json");
        o = caseReview(bad.toString());
        assertEquals(2, o.status);
        Vectors.Run cli = Vectors.cli("check", bad.toString());
        assertEquals(cli.err.replaceFirst("^embedsvc: ", ""), o.err);
    }
}
