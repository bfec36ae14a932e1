// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.embedsvc.Comparison;
import org.embedsvc.EmbedsvcException;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.junit.jupiter.api.Test;

/** One Policy shared by many threads, each with its own Project and Result. */
class ThreadTest {
    private static final int THREADS = 8;
    private static final int EVALUATIONS = 100_000;

    /** Every project of the shared cases that parses under the default policy, with its result JSON. */
    private static void load(Policy policy, List<byte[]> inputs, List<String> expected) throws Exception {
        List<Vectors.Case> cases = new ArrayList<>(Vectors.vectors());
        cases.addAll(Vectors.conformance());
        cases.addAll(Vectors.examples());
        try (Project p = new Project(); Result r = new Result()) {
            for (Vectors.Case c : cases) {
                if (c.policy != null) {
                    continue;
                }
                byte[] json = Files.readAllBytes(c.project);
                try {
                    expected.add(r.evaluate(policy, p.parse(json)).toJson());
                    inputs.add(json);
                } catch (EmbedsvcException e) {
                    // an input error case: not for this test
                }
            }
        }
    }

    @Test
    void eightThreadsShareOnePolicyWithIdenticalResults() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        try (Policy policy = Policy.defaultPolicy()) {
            load(policy, inputs, expected);
            assertTrue(inputs.size() >= 50, "cases: " + inputs.size());
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger done = new AtomicInteger();
            AtomicInteger mismatches = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    try (Project project = new Project(); Result result = new Result()) {
                        start.await();
                        for (int i = first; i < EVALUATIONS; i += THREADS) {
                            int k = i % inputs.size();
                            result.evaluate(policy, project.parse(inputs.get(k)));
                            if (!result.toJson().equals(expected.get(k))) {
                                mismatches.incrementAndGet();
                            }
                            done.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            pool.shutdown();
            System.out.printf("%d threads, %d parse+evaluate+toJson over %d projects: %d ms%n", THREADS, done.get(),
                    inputs.size(), ms);
            assertEquals(EVALUATIONS, done.get());
            assertEquals(0, mismatches.get());
        }
    }

    /**
     * Closing the shared policy while threads evaluate is a programming error, but it must not
     * crash the JVM: each thread either evaluates or gets IllegalStateException.
     */
    @Test
    void closingThePolicyUnderLoadNeverCrashes() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        try (Policy reference = Policy.defaultPolicy()) {
            load(reference, inputs, expected);
        }
        Policy policy = Policy.defaultPolicy();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> futures = new ArrayList<>();
        CountDownLatch running = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                int n = 0;
                try (Project project = new Project()) {
                    running.countDown();
                    for (int i = first;; i++) {
                        int k = i % inputs.size();
                        project.parse(inputs.get(k));
                        // a new result each time: each one takes its own hold on the policy
                        try (Result result = new Result()) {
                            result.evaluate(policy, project);
                            assertEquals(expected.get(k), result.toJson());
                        }
                        n++;
                    }
                } catch (IllegalStateException e) {
                    assertEquals("Policy is closed", e.getMessage());
                }
                return n;
            }));
        }
        running.await();
        Thread.sleep(200);
        policy.close();
        int total = 0;
        for (Future<Integer> f : futures) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(total > 0);
    }

    /**
     * Eight threads derive reforms from one shared policy and compare the portfolio under both:
     * every comparison is the one a single thread makes.
     */
    @Test
    void eightThreadsDeriveAndCompareFromOnePolicy() throws Exception {
        java.nio.file.Path portfolio = java.nio.file.Paths.get(System.getProperty("embedsvc.examples"))
                .resolve("portfolio.jsonl");
        try (Policy policy = Policy.defaultPolicy()) {
            List<String> expected = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                try (Policy reform = policy.derive(java.util.Map.of("cap_fen", 1_000_000_000L * (t + 1), "version", "cap-" + t));
                        Comparison c = Comparison.compare(portfolio, List.of(policy, reform))) {
                    expected.add(c.toJson());
                }
            }
            assertEquals(THREADS, new java.util.HashSet<>(expected).size(), "each cap gives its own comparison");
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int cap = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int mismatches = 0;
                    for (int round = 0; round < 20; round++) {
                        try (Policy reform = policy.derive(java.util.Map.of("cap_fen", 1_000_000_000L * (cap + 1), "version", "cap-" + cap));
                                Comparison c = Comparison.compare(portfolio, List.of(policy, reform))) {
                            mismatches += c.toJson().equals(expected.get(cap)) ? 0 : 1;
                        }
                    }
                    return mismatches;
                }));
            }
            start.countDown();
            int mismatches = 0;
            for (Future<Integer> f : futures) {
                mismatches += f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(0, mismatches);
        }
    }
}
