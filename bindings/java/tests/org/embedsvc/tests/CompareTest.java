// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.embedsvc.CompareValue;
import org.embedsvc.Comparison;
import org.embedsvc.EmbedsvcException;
import org.embedsvc.Field;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.embedsvc.ServiceClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Comparison: the same bytes as `embedsvc compare`, and the sums of evaluating each project. */
class CompareTest {
    private static Path source() {
        return Paths.get(System.getProperty("embedsvc.examples")).getParent().getParent();
    }

    private static Path portfolio() {
        return Paths.get(System.getProperty("embedsvc.examples")).resolve("portfolio.jsonl");
    }

    private static Path reform(String name) {
        return source().resolve("policies").resolve(name + ".json");
    }

    @Test
    void jsonAndHtmlAreTheBytesOfTheCli(@TempDir Path dir) throws Exception {
        Path cap = reform("reform-cap-3000wan");
        Path inclusive = reform("reform-inclusive-20pct");
        try (Policy base = Policy.defaultPolicy(); Policy a = Policy.load(cap); Policy b = Policy.load(inclusive);
                Comparison c = Comparison.compare(portfolio(), List.of(base, a, b))) {
            Vectors.Run cli = Vectors.cli("compare", "--json", "--policy", "default", "--policy", cap.toString(),
                    "--policy", inclusive.toString(), portfolio().toString());
            assertEquals(cli.out.strip(), c.toJson());
            Path html = dir.resolve("c.html");
            ProcessBuilder pb = new ProcessBuilder(System.getProperty("embedsvc.cli"), "compare", "--lang", "en",
                    "--html", html.toString(), "--policy", "default", "--policy", cap.toString(), "--policy",
                    inclusive.toString(), portfolio().toString());
            pb.environment().put("SOURCE_DATE_EPOCH", "86400");
            pb.redirectErrorStream(true);
            Process proc = pb.start();
            String err = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, proc.waitFor(), err);
            cli = new Vectors.Run(1, "", err);
            // report/'s HTML, with the same footer: date, portfolio file, each policy's file
            String page = c.toHtml("en", null, "1970-01-02 00:00 UTC");
            assertEquals(new String(Files.readAllBytes(html), StandardCharsets.UTF_8), page);
            assertTrue(page.contains(cap.toString()) && page.contains("1970-01-02 00:00 UTC"));
            assertTrue(c.toHtml("zh", null).startsWith("<!DOCTYPE html>"));
            assertThrows(IllegalArgumentException.class, () -> c.toHtml("fr", null));
            assertEquals(3, c.policies().size());
            // the bad line of the portfolio: listed with its number and error, like the CLI's stderr
            assertEquals(1, c.errors().size());
            Comparison.LineError e = c.errors().get(0);
            assertTrue(cli.err.contains(portfolio() + ":" + e.line() + ":" + e.error().column() + ": " + e.error().code()),
                    cli.err + " / " + e);
        }
    }

    /** The totals, districts and changes equal the sums of evaluating each project under each policy. */
    @Test
    void aggregatesAreTheSumsOfEachEvaluation() throws Exception {
        List<String> lines = Files.readAllLines(portfolio(), StandardCharsets.UTF_8);
        try (Policy base = Policy.defaultPolicy();
                Policy reform = base.derive(Map.of("rates", Map.of(ServiceClass.INCLUSIVE, 1000), "min_functions", 2));
                Comparison c = Comparison.of(base, reform, base);
                Project p = new Project(); Result r = new Result()) {
            Policy[] policies = {base, reform, base};
            long[][] totals = new long[3][CompareValue.values().length];
            Map<String, long[][]> districts = new LinkedHashMap<>();
            List<String> changed = new ArrayList<>();
            int added = 0;
            for (String line : lines) {
                boolean ok = c.addLine(line);
                Project parsed;
                try {
                    parsed = line.isBlank() ? null : p.parse(line);
                } catch (EmbedsvcException e) {
                    parsed = null;
                }
                assertEquals(parsed != null, ok, line);
                if (parsed == null) {
                    continue;
                }
                added++;
                String district = parsed.getText(Project.PROJECT_LEVEL, Field.DISTRICT);
                long[][] d = districts.computeIfAbsent(district == null ? "\0" : district,
                        k -> new long[3][CompareValue.values().length]);
                boolean differs = false;
                long baseTotal = 0;
                boolean baseEligible = false;
                boolean baseSubsidy = false;
                for (int i = 0; i < 3; i++) {
                    r.evaluate(policies[i], parsed);
                    if (i == 0) {
                        baseTotal = r.totalFen();
                        baseEligible = r.eligible();
                        baseSubsidy = r.subsidyEligible();
                    }
                    boolean change = r.eligible() != baseEligible || r.subsidyEligible() != baseSubsidy
                            || r.totalFen() != baseTotal;
                    differs |= change;
                    for (long[] t : new long[][] {totals[i], d[i]}) {
                        t[CompareValue.PROJECTS.ordinal()]++;
                        t[CompareValue.ELIGIBLE.ordinal()] += r.eligible() ? 1 : 0;
                        t[CompareValue.SUBSIDY_ELIGIBLE.ordinal()] += r.subsidyEligible() ? 1 : 0;
                        t[CompareValue.TOTAL_FEN.ordinal()] += r.totalFen();
                        t[CompareValue.INCLUSIVE_FEN.ordinal()] += r.amountFen(ServiceClass.INCLUSIVE);
                        t[CompareValue.LOST_ELIGIBLE.ordinal()] += baseEligible && !r.eligible() ? 1 : 0;
                        t[CompareValue.CHANGED.ordinal()] += change ? 1 : 0;
                        t[CompareValue.DELTA_FEN.ordinal()] += r.totalFen() - baseTotal;
                    }
                }
                if (differs) {
                    changed.add(parsed.getText(Project.PROJECT_LEVEL, Field.ID));
                }
            }
            assertEquals(added, c.projects());
            assertEquals(lines.size(), c.lines());
            List<CompareValue> checked = List.of(CompareValue.PROJECTS, CompareValue.ELIGIBLE,
                    CompareValue.SUBSIDY_ELIGIBLE, CompareValue.TOTAL_FEN, CompareValue.INCLUSIVE_FEN,
                    CompareValue.LOST_ELIGIBLE, CompareValue.CHANGED, CompareValue.DELTA_FEN);
            List<Comparison.Row> rows = c.totals();
            assertEquals(List.of("beijing-2024-trial", "beijing-2024-trial", "beijing-2024-trial"),
                    List.of(rows.get(0).policyId(), rows.get(1).policyId(), rows.get(2).policyId()));
            for (int i = 0; i < 3; i++) {
                for (CompareValue w : checked) {
                    assertEquals(totals[i][w.ordinal()], rows.get(i).get(w), w + " of policy " + i);
                }
            }
            assertTrue(rows.get(1).get(CompareValue.CHANGED) > 0, "the reform changes something");
            assertEquals(0, rows.get(2).get(CompareValue.CHANGED), "the baseline again changes nothing");

            List<Comparison.District> ds = c.districts();
            assertEquals(new ArrayList<>(districts.keySet()),
                    ds.stream().map(d -> d.name() == null ? "\0" : d.name()).collect(java.util.stream.Collectors.toList()));
            for (Comparison.District d : ds) {
                long[][] expected = districts.get(d.name() == null ? "\0" : d.name());
                for (int i = 0; i < 3; i++) {
                    for (CompareValue w : checked) {
                        assertEquals(expected[i][w.ordinal()], d.rows().get(i).get(w), d.name() + " " + w);
                    }
                }
            }
            assertEquals(changed, c.changes().stream().map(Comparison.Change::projectId)
                    .collect(java.util.stream.Collectors.toList()));
            for (Comparison.Change ch : c.changes()) {
                assertTrue(ch.line() > 0);
                assertEquals(1, ch.rows().get(1).get(CompareValue.CHANGED));
            }
            // the error line is numbered as the file counts it
            assertEquals(1, c.errors().size());
            long bad = c.errors().get(0).line();
            assertFalse(lines.get((int) bad - 1).isBlank());
            assertTrue(c.errors().get(0).error().code().startsWith("parse."));
        }
    }

    @Test
    void codesAreTheLibrarys() throws Exception {
        try (Policy base = Policy.defaultPolicy(); Comparison c = Comparison.of(base)) {
            Map<String, Object> json = Json.object(c.toJson());
            @SuppressWarnings("unchecked")
            Map<String, Object> row = ((List<Map<String, Object>>) json.get("totals")).get(0);
            for (CompareValue w : CompareValue.values()) {
                assertTrue(row.containsKey(w.code()), w.code());
                assertEquals(Long.valueOf(0), row.get(w.code()));
            }
            assertEquals(c.totals().get(0).values().keySet(), new java.util.LinkedHashSet<>(
                    java.util.Arrays.stream(CompareValue.values()).map(CompareValue::code)
                            .collect(java.util.stream.Collectors.toList())));
        }
    }

    /** writeJson: the bytes of toJson, in several pieces; again from the first on a second call. */
    @Test
    void writeJsonInPieces() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(portfolio(), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        try (Policy base = Policy.defaultPolicy(); Policy a = Policy.load(reform("reform-cap-3000wan"));
                Policy b = Policy.load(reform("reform-inclusive-20pct")); Comparison c = Comparison.of(base, a, b)) {
            for (int k = 0; k < 60; k++) { // the example portfolio 60 times over
                for (String line : lines) {
                    c.addLine(line.replaceFirst("\"id\":\"", "\"id\":\"R" + k + "-"));
                }
            }
            byte[] want = c.toJson().getBytes(StandardCharsets.UTF_8);
            assertTrue(want.length > 4 * 256 * 1024, "" + want.length);
            List<Integer> writes = new ArrayList<>();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream() {
                @Override
                public void write(byte[] bytes) throws java.io.IOException {
                    writes.add(bytes.length);
                    super.write(bytes);
                }
            };
            c.writeJson(out);
            assertTrue(writes.size() > 4, writes.toString());
            assertTrue(writes.stream().allMatch(n -> n > 0 && n < 256 * 1024 + 16384), writes.toString());
            assertEquals(new String(want, StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
            out.reset();
            c.writeJson(out);
            assertTrue(java.util.Arrays.equals(want, out.toByteArray()));
        }
    }

    @Test
    void projectsBlankLinesAndMisuse() throws Exception {
        try (Policy base = Policy.defaultPolicy();
                Project p = Project.load(Paths.get(System.getProperty("embedsvc.examples")).resolve("renovated-complex.json"))) {
            Comparison c = Comparison.of(List.of(base));
            c.addProject(p);
            assertFalse(c.addLine("   \r"));
            assertFalse(c.addLine("{\"id\":"));
            assertEquals(1, c.projects());
            assertEquals(2, c.lines());
            assertEquals(2, c.errors().get(0).line());
            try (Result r = base.evaluate(p)) {
                assertEquals(r.totalFen(), c.totals().get(0).get(CompareValue.TOTAL_FEN));
            }
            c.close();
            c.close();
            assertTrue(c.isClosed());
            assertThrows(IllegalStateException.class, c::totals);
        }
        assertThrows(IllegalArgumentException.class, () -> Comparison.of(List.of()));
        try (Policy base = Policy.defaultPolicy()) {
            List<Policy> many = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                many.add(base);
            }
            assertThrows(IllegalArgumentException.class, () -> Comparison.of(many));
            Policy closed = Policy.defaultPolicy();
            closed.close();
            assertThrows(IllegalStateException.class, () -> Comparison.of(base, closed));
            // a comparison keeps its policies' memory: closing the policy first is safe
            Policy early = Policy.defaultPolicy();
            try (Comparison c = Comparison.of(early)) {
                early.close();
                c.addJsonLines(portfolio());
                assertTrue(Objects.requireNonNull(c.toJson()).contains("\"projects\":"));
            }
        }
    }
}
