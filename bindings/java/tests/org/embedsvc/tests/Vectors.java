// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The shared cases (tests/vectors, the shared conformance set, examples/projects) and the C CLI. */
final class Vectors {
    private Vectors() {
    }

    /** One case: a project, what is expected of it, and the policy it runs under (null: the default). */
    static final class Case {
        final String name;
        final Path project;
        final Path expected;
        final Path policy;

        Case(String name, Path project, Path expected, Path policy) {
            this.name = name;
            this.project = project;
            this.expected = expected;
            this.policy = policy;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Path dir(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("-D" + property + " is not set (run the tests with meson test)");
        }
        return Paths.get(v).toAbsolutePath().normalize();
    }

    /** tests/vectors: a directory per case with project.json, expected.json, policy.json?. */
    static List<Case> vectors() throws IOException {
        Path root = dir("embedsvc.vectors");
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("project.json"))).sorted()
                    .map(d -> new Case(d.getFileName().toString(), d.resolve("project.json"), d.resolve("expected.json"),
                            Files.isRegularFile(d.resolve("policy.json")) ? d.resolve("policy.json") : null))
                    .collect(Collectors.toList());
        }
    }

    /** The shared conformance set: NAME.project.json + NAME.expected.json; empty when absent. */
    static List<Case> conformance() throws IOException {
        Path root = dir("embedsvc.conformance");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".project.json")).sorted().map(p -> {
                String name = p.getFileName().toString().replace(".project.json", "");
                return new Case(name, p, root.resolve(name + ".expected.json"), null);
            }).collect(Collectors.toList());
        }
    }

    /** examples/projects: NAME.json + expected/NAME.json. */
    static List<Case> examples() throws IOException {
        Path root = dir("embedsvc.examples");
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")
                    && Files.isRegularFile(root.resolve("expected").resolve(p.getFileName()))).sorted()
                    .map(p -> new Case(p.getFileName().toString(), p, root.resolve("expected").resolve(p.getFileName()),
                            null))
                    .collect(Collectors.toList());
        }
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    /** What a run of the C command-line tool gave. */
    static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    /** Runs {@code embedsvc ARGS...} (the C library's own client) and collects its output. */
    static Run cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("embedsvc.cli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LANG", "C.UTF-8");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        int status = p.waitFor();
        return new Run(status, new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static List<String> findingMultiset(Object findings) {
        return list(findings).stream()
                .map(f -> f.get("code") + "|" + f.get("severity") + "|" + f.get("function"))
                .sorted().collect(Collectors.toList());
    }

    /**
     * Checks a result JSON against an expectation subset, as tests/compare_expected.py does:
     * the top-level fields listed, functions, checks field by field, findings as a multiset.
     */
    static void assertMatches(Map<String, Object> expected, Map<String, Object> actual, String name) {
        for (String key : List.of("project_id", "eligible", "subsidy_eligible", "counts", "subsidy")) {
            if (expected.containsKey(key)) {
                assertEquals(expected.get(key), actual.get(key), name + ": " + key);
            }
        }
        if (expected.containsKey("functions")) {
            List<Map<String, Object>> got = list(actual.get("functions"));
            List<Map<String, Object>> want = list(expected.get("functions"));
            assertEquals(want.size(), got.size(), name + ": functions");
            for (int i = 0; i < want.size(); i++) {
                for (Map.Entry<String, Object> e : want.get(i).entrySet()) {
                    assertEquals(e.getValue(), got.get(i).get(e.getKey()), name + ": functions[" + i + "]." + e.getKey());
                }
            }
        }
        if (expected.containsKey("checks")) {
            List<Map<String, Object>> got = list(actual.get("checks"));
            List<Map<String, Object>> want = list(expected.get("checks"));
            assertTrue(got.size() >= want.size(), name + ": checks");
            for (int i = 0; i < want.size(); i++) {
                for (Map.Entry<String, Object> e : want.get(i).entrySet()) {
                    assertEquals(e.getValue(), got.get(i).get(e.getKey()), name + ": checks[" + i + "]." + e.getKey());
                }
            }
        }
        if (expected.containsKey("findings")) {
            assertEquals(findingMultiset(expected.get("findings")), findingMultiset(actual.get("findings")),
                    name + ": findings");
        }
    }
}
