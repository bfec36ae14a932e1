// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.embedsvc.Classification;
import org.embedsvc.EmbedsvcException;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.junit.jupiter.api.Test;

/**
 * A million evaluations leave the process's resident memory flat. meson runs this class in a
 * JVM with a fixed, pre-touched heap (-Xms = -Xmx, -XX:+AlwaysPreTouch) and only the C1 JIT
 * (-XX:TieredStopAtLevel=1: C2's compiler arenas, freed into malloc, otherwise add megabytes of
 * noise), so what could still grow is native memory. The slack is far below what leaking one
 * 32-byte block on every, every 4th or every 8th iteration would add (32, 8, 4 MiB).
 */
class LeakTest {
    private static final int WARM_UP = 500_000;
    private static final int EVALUATIONS = 1_000_000;
    private static final long SLACK = 2L << 20;

    private static long pageSize() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/smaps"))) {
            if (line.startsWith("KernelPageSize:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 4096;
    }

    /** Resident set size in bytes, from /proc/self/statm. */
    private static long rss() throws IOException {
        String[] f = new String(Files.readAllBytes(Paths.get("/proc/self/statm")), StandardCharsets.US_ASCII).trim()
                .split(" ");
        return Long.parseLong(f[1]) * pageSize();
    }

    private static long settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rss();
    }

    @Test
    void noNativeLeakOverAMillionEvaluations() throws Exception {
        assumeTrue(Files.isReadable(Paths.get("/proc/self/statm")), "needs /proc/self/statm");
        List<byte[]> inputs = new ArrayList<>();
        for (Vectors.Case c : Vectors.examples()) {
            inputs.add(Files.readAllBytes(c.project));
        }
        byte[] broken = "{\"id\":\"LEAK\",\"build_mode\":\"new\",\"total_investment\":\"1.001\"}"
                .getBytes(StandardCharsets.UTF_8);
        try (Policy policy = Policy.defaultPolicy(); Project project = new Project(); Result result = new Result()) {
            run(policy, project, result, inputs, broken, WARM_UP);
            long before = settle();
            long t0 = System.nanoTime();
            long eligible = run(policy, project, result, inputs, broken, EVALUATIONS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long after = settle();
            System.out.printf("%d evaluations in %d ms (%d eligible); RSS %d KiB -> %d KiB (%+d KiB)%n", EVALUATIONS,
                    ms, eligible, before >> 10, after >> 10, (after - before) >> 10);
            assertTrue(eligible > 0);
            assertTrue(after - before < SLACK,
                    "RSS grew by " + ((after - before) >> 10) + " KiB over " + EVALUATIONS + " evaluations");
        }
    }

    /**
     * Each iteration parses and evaluates; some also write JSON, read the findings with their
     * messages, hit an error path, or create and close every kind of object.
     */
    private static long run(Policy policy, Project project, Result result, List<byte[]> inputs, byte[] broken, int n) {
        long eligible = 0;
        for (int i = 0; i < n; i++) {
            result.evaluate(policy, project.parse(inputs.get(i % inputs.size())));
            eligible += result.eligible() ? 1 : 0;
            if (i % 4 == 0) {
                result.toJson();
            }
            if (i % 8 == 1) {
                result.findings();
                result.checks();
                result.functions();
            }
            if (i % 100 == 2) {
                try {
                    project.parse(broken);
                } catch (EmbedsvcException e) {
                    assertEquals("money.precision", e.code());
                }
            }
            if (i % 1000 == 3) {
                try (Project p = Project.fromJson(inputs.get(0));
                        Result r = policy.evaluate(p);
                        Classification c = policy.classify("养老服务驿站")) {
                    r.findings();
                    c.scenario();
                }
            }
        }
        return eligible;
    }
}
