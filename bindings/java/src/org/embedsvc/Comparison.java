// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One portfolio of projects evaluated under several policies in one pass: the current policy (the
 * <b>baseline</b>, the first) and the reforms weighed against it — what each would cost and who
 * would lose or gain eligibility. The same as Python's {@code embedsvc.compare()} and the CLI's
 * {@code embedsvc compare}.
 *
 * <pre>{@code
 * try (Policy base = Policy.defaultPolicy();
 *         Policy reform = base.derive(Map.of("cap_fen", 3_000_000_000L));
 *         Comparison c = Comparison.of(base, reform).addJsonLines(Path.of("portfolio.jsonl"))) {
 *     for (Comparison.Row t : c.totals())
 *         System.out.println(t.policyId() + " " + t.get(CompareValue.TOTAL_FEN));
 *     Files.writeString(Path.of("report.html"), c.toHtml("zh", "portfolio.jsonl"));
 * }
 * }</pre>
 *
 * <p>Each project is parsed once and evaluated under every policy in C. A line that does not parse
 * (or cannot be evaluated under one of the policies) is left out under all of them and listed in
 * {@link #errors()}; blank lines are skipped. It keeps the {@linkplain #totals() totals} per
 * policy, the {@linkplain #districts() districts} in first-seen order and the
 * {@linkplain #changes() changed projects} (eligibility, subsidy eligibility or total differs from
 * the baseline under some policy) in input order; the aggregates equal, to the fen, the sums of
 * evaluating each project under each policy.
 *
 * <p><b>Thread safety:</b> its methods are synchronized; the lists it returns are immutable
 * snapshots. It keeps the native memory of its policies until it is closed, so closing a policy
 * early is safe.
 */
public final class Comparison implements AutoCloseable {
    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final List<Policy> policies;
    private final List<String> policyIds;
    /** Per policy, the file it was loaded from (or null), named in the HTML's footer. */
    private final List<String> policyFiles;
    /** The portfolio file last read by {@link #addJsonLines(Path)}, named in the HTML's footer. */
    private String source;
    private final List<LineError> errors = new ArrayList<>();

    /**
     * The native comparison, report/'s log of it (the error lines and why each changed project
     * changed, for the HTML) and the policies it refers to; also the Cleaner action.
     */
    private static final class State implements Runnable {
        long ptr;
        long log;
        final List<Policy.State> policies;

        State(long ptr, long log, List<Policy.State> policies) {
            this.ptr = ptr;
            this.log = log;
            this.policies = policies;
        }

        @Override
        public void run() {
            long p = ptr;
            ptr = 0;
            if (p != 0) {
                EmbedsvcNative.embedsvc_compare_free(p);
            }
            long l = log;
            log = 0;
            if (l != 0) {
                EmbedsvcNative.embedsvc_java_compare_log_free(l);
            }
            for (Policy.State s : policies) {
                s.release();
            }
            policies.clear();
        }
    }

    private Comparison(List<Policy> policies) {
        if (policies.isEmpty() || policies.size() > EmbedsvcNativeConstants.EMBEDSVC_COMPARE_MAX_POLICIES) {
            throw new IllegalArgumentException("a comparison has 1 to "
                    + EmbedsvcNativeConstants.EMBEDSVC_COMPARE_MAX_POLICIES + " policies, not " + policies.size());
        }
        List<Policy.State> held = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> files = new ArrayList<>();
        long ptr = 0;
        long log;
        try {
            long[] handles = new long[policies.size()];
            for (int i = 0; i < handles.length; i++) {
                Policy p = Objects.requireNonNull(policies.get(i), "policy " + i);
                ids.add(p.id());
                files.add(p.source);
                if (!p.state.retain()) {
                    throw Policy.closedException();
                }
                held.add(p.state);
                handles[i] = p.state.ptr();
            }
            ptr = EmbedsvcNative.embedsvc_java_compare_new(handles);
            log = EmbedsvcNative.embedsvc_java_compare_log_new();
        } catch (RuntimeException | Error e) {
            if (ptr != 0) {
                EmbedsvcNative.embedsvc_compare_free(ptr);
            }
            for (Policy.State s : held) {
                s.release();
            }
            throw e;
        }
        this.policies = Collections.unmodifiableList(new ArrayList<>(policies));
        this.policyIds = Collections.unmodifiableList(ids);
        this.policyFiles = files;
        state = new State(ptr, log, held);
        cleanable = Native.CLEANER.register(this, state);
    }

    /**
     * Creates an empty comparison of the given policies; add the portfolio with
     * {@link #addJsonLines(Path)}, {@link #addLine(byte[])} or {@link #addProject(Project)}.
     *
     * @param policies 1 to 16 policies, the first the baseline (the same policy may be given twice)
     * @return a new comparison; close it
     * @throws IllegalArgumentException for no policy or more than 16
     * @throws IllegalStateException when a policy is closed
     */
    public static Comparison of(List<Policy> policies) {
        Objects.requireNonNull(policies, "policies");
        return new Comparison(policies);
    }

    /**
     * @param policies 1 to 16 policies, the first the baseline
     * @return a new, empty comparison; close it
     */
    public static Comparison of(Policy... policies) {
        return of(Arrays.asList(policies));
    }

    /**
     * Compares a JSON Lines portfolio file under the policies.
     *
     * @param portfolio a JSON Lines file, one project per line
     * @param policies 1 to 16 policies, the first the baseline
     * @return a new comparison; close it
     * @throws IOException when the file cannot be read
     */
    public static Comparison compare(Path portfolio, List<Policy> policies) throws IOException {
        Comparison c = of(policies);
        try {
            return c.addJsonLines(portfolio);
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private long ptr() {
        long p = state.ptr;
        if (p == 0) {
            throw Native.closed("Comparison");
        }
        return p;
    }

    /**
     * Adds the next physical line of a JSON Lines portfolio, without its {@code \n} (a trailing
     * {@code \r} is removed, a blank line is skipped). Lines are numbered from 1 across calls.
     *
     * @param line the line, UTF-8
     * @return true when the project was added, false when the line was blank or an error (then
     *         listed in {@link #errors()})
     * @throws EmbedsvcLimitException when a sum would overflow
     */
    public synchronized boolean addLine(byte[] line) {
        Objects.requireNonNull(line, "line");
        int[] kind = new int[1];
        Object error = EmbedsvcNative.embedsvc_java_compare_line(ptr(), state.log, line, kind);
        if (kind[0] == 1) {
            long n = EmbedsvcNative.embedsvc_compare_stat(ptr(), EmbedsvcNativeConstants.EMBEDSVC_COMPARE_STAT_LINES);
            errors.add(new LineError(n, (EmbedsvcException) error, Utf8.decode(line)));
        }
        return kind[0] == 0;
    }

    /**
     * Adds a line given as text; see {@link #addLine(byte[])}.
     *
     * @param line the line
     * @return true when the project was added
     */
    public boolean addLine(String line) {
        return addLine(Utf8.encode(line));
    }

    /**
     * Adds every line of a JSON Lines stream (split at {@code \n}; a last line without one counts).
     *
     * @param in the stream (not closed)
     * @return this
     * @throws IOException when the stream cannot be read
     */
    public synchronized Comparison addJsonLines(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int n; (n = in.read(buf)) > 0;) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    addLine(line.toByteArray());
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(buf, start, n - start);
        }
        if (line.size() > 0) {
            addLine(line.toByteArray());
        }
        return this;
    }

    /**
     * Adds every line of a JSON Lines file; see {@link #addJsonLines(InputStream)}.
     *
     * @param portfolio the file
     * @return this
     * @throws IOException when the file cannot be read
     */
    public synchronized Comparison addJsonLines(Path portfolio) throws IOException {
        try (InputStream in = Files.newInputStream(portfolio)) {
            source = portfolio.toString();
            return addJsonLines(in);
        }
    }

    /**
     * Adds a parsed or built project (its line number in {@link Change#line()} is 0).
     *
     * @param project the project
     * @return this
     * @throws EmbedsvcException when it cannot be evaluated under a policy (nothing is added)
     */
    public synchronized Comparison addProject(Project project) {
        Objects.requireNonNull(project, "project");
        long self = ptr();
        synchronized (project) {
            EmbedsvcNative.embedsvc_compare_project(self, project.ptr());
        }
        return this;
    }

    /** @return the policies compared, the baseline first */
    public List<Policy> policies() {
        return policies;
    }

    /** @return the physical lines read */
    public synchronized long lines() {
        return EmbedsvcNative.embedsvc_compare_stat(ptr(), EmbedsvcNativeConstants.EMBEDSVC_COMPARE_STAT_LINES);
    }

    /** @return the projects evaluated under every policy */
    public synchronized long projects() {
        return EmbedsvcNative.embedsvc_compare_stat(ptr(), EmbedsvcNativeConstants.EMBEDSVC_COMPARE_STAT_PROJECTS);
    }

    /** @return a {@link LineError} for each line left out, in input order (an immutable snapshot) */
    public synchronized List<LineError> errors() {
        return Collections.unmodifiableList(new ArrayList<>(errors));
    }

    private interface Value {
        long read(long compare, int policy, int which);
    }

    private List<Row> rows(long c, Value v) {
        List<Row> rows = new ArrayList<>(policyIds.size());
        for (int i = 0; i < policyIds.size(); i++) {
            long[] values = new long[CompareValue.values().length];
            for (CompareValue w : CompareValue.values()) {
                values[w.ordinal()] = v.read(c, i, w.value);
            }
            rows.add(new Row(i, policyIds.get(i), values));
        }
        return Collections.unmodifiableList(rows);
    }

    /** @return one row per policy over the whole portfolio, the baseline first */
    public synchronized List<Row> totals() {
        return rows(ptr(), (c, p, w) -> EmbedsvcNative.embedsvc_compare_total(c, p, w));
    }

    /** @return one entry per district, in first-seen order (projects without one form a group named null) */
    public synchronized List<District> districts() {
        long c = ptr();
        int n = (int) EmbedsvcNative.embedsvc_compare_district_count(c);
        List<District> list = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            int district = d;
            list.add(new District(EmbedsvcNative.embedsvc_compare_district_name(c, d),
                    rows(c, (h, p, w) -> EmbedsvcNative.embedsvc_compare_district_value(h, district, p, w))));
        }
        return Collections.unmodifiableList(list);
    }

    /** @return the changed projects, in input order */
    public synchronized List<Change> changes() {
        long c = ptr();
        int n = (int) EmbedsvcNative.embedsvc_compare_changed_count(c);
        List<Change> list = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int index = k;
            list.add(new Change(EmbedsvcNative.embedsvc_compare_changed_text(c, k, Field.ID.value),
                    EmbedsvcNative.embedsvc_compare_changed_text(c, k, Field.NAME.value),
                    EmbedsvcNative.embedsvc_compare_changed_text(c, k, Field.DISTRICT.value),
                    EmbedsvcNative.embedsvc_compare_changed_line(c, k),
                    rows(c, (h, p, w) -> EmbedsvcNative.embedsvc_compare_changed_value(h, index, p, w))));
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * @return the {@code embedsvc.compare/1} document (docs/compare.md): compact, deterministic
     *         JSON with the rows of {@code totals}, {@code districts} and {@code changes}, the
     *         same bytes as {@code embedsvc compare --json} writes
     */
    public synchronized String toJson() {
        return Utf8.decode(EmbedsvcNative.embedsvc_java_compare_to_json(ptr()));
    }

    /**
     * Writes the bytes of {@link #toJson()} (UTF-8) to a stream in pieces of about 256 KiB, so
     * that the whole document is never held in memory at once: for a portfolio whose comparison
     * is too large for one string. The same bytes as {@code embedsvc compare --json} writes,
     * without its final newline.
     *
     * @param out the stream (not closed)
     * @throws IOException when the stream cannot be written
     */
    public synchronized void writeJson(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        long c = ptr();
        long[] at = {0};
        for (byte[] piece; (piece = EmbedsvcNative.embedsvc_java_compare_to_json_next(c, at)).length > 0;) {
            out.write(piece);
        }
    }

    /**
     * The HTML what-if report of {@code report/} (the same as {@code embedsvc compare --html}):
     * one self-contained document (inline CSS and SVG charts, no script, nothing fetched) with the
     * policies, the totals, the districts, the changed projects and why each changed, the error
     * lines, and a footer naming the date, the portfolio file and each policy's file. The date is
     * {@code SOURCE_DATE_EPOCH} when that environment variable is set (reproducible output), else
     * now, in UTC.
     *
     * @param lang "zh" or "en", the language of the labels
     * @param caption a line under the heading, or null
     * @return the HTML document
     * @throws IllegalArgumentException for another language
     */
    public String toHtml(String lang, String caption) {
        return toHtml(lang, caption, reportDate());
    }

    /**
     * The HTML report with a given date in its footer; see {@link #toHtml(String, String)}.
     *
     * @param lang "zh" or "en", the language of the labels
     * @param caption a line under the heading, or null
     * @param generated the date shown, e.g. {@code 2026-12-02 08:00 UTC}, or null for none
     * @return the HTML document
     */
    public synchronized String toHtml(String lang, String caption, String generated) {
        if (!"zh".equals(lang) && !"en".equals(lang)) {
            throw new IllegalArgumentException("lang is \"zh\" or \"en\", not " + lang);
        }
        long c = ptr();
        Object[] files = new Object[policyFiles.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = Utf8.cstring(policyFiles.get(i));
        }
        return Utf8.decode(EmbedsvcNative.embedsvc_java_compare_to_html(c, state.log, lang, caption, source, generated,
                files));
    }

    /** SOURCE_DATE_EPOCH (seconds) when set and valid, else now; as {@code yyyy-MM-dd HH:mm UTC}. */
    private static String reportDate() {
        java.time.Instant t = java.time.Instant.now();
        String sde = System.getenv("SOURCE_DATE_EPOCH");
        if (sde != null && !sde.isEmpty()) {
            try {
                long v = Long.parseLong(sde);
                if (v >= 0) {
                    t = java.time.Instant.ofEpochSecond(v);
                }
            } catch (NumberFormatException | java.time.DateTimeException e) {
                // not a date: now, as the command-line tool does
            }
        }
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(t);
    }

    /** @return true once {@link #close()} was called */
    public synchronized boolean isClosed() {
        return state.ptr == 0;
    }

    /** Frees the comparison and lets go of its policies. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        cleanable.clean();
    }

    @Override
    public synchronized String toString() {
        return isClosed() ? "Comparison[closed]"
                : "Comparison[" + policyIds.size() + " policies, baseline " + policyIds.get(0) + ", " + projects()
                        + " projects, " + errors.size() + " error lines]";
    }

    /** The values of one policy over a portfolio, a district or one changed project. */
    public static final class Row {
        private final int policyIndex;
        private final String policyId;
        private final long[] values;

        Row(int policyIndex, String policyId, long[] values) {
            this.policyIndex = policyIndex;
            this.policyId = policyId;
            this.values = values;
        }

        /** @return the policy's index, 0 for the baseline */
        public int policyIndex() {
            return policyIndex;
        }

        /** @return the policy's id */
        public String policyId() {
            return policyId;
        }

        /**
         * @param which a value
         * @return it (a count, an amount in fen, or a 0/1 flag for a changed project)
         */
        public long get(CompareValue which) {
            return values[which.ordinal()];
        }

        /** @return every value keyed by its {@link CompareValue#code()}, in the order of the enum */
        public Map<String, Long> values() {
            Map<String, Long> m = new LinkedHashMap<>();
            for (CompareValue w : CompareValue.values()) {
                m.put(w.code(), values[w.ordinal()]);
            }
            return Collections.unmodifiableMap(m);
        }

        /** @return {@link #policyIndex()}, for JSON mappers */
        public int getPolicyIndex() {
            return policyIndex;
        }

        /** @return {@link #policyId()}, for JSON mappers */
        public String getPolicyId() {
            return policyId;
        }

        /** @return {@link #values()}, for JSON mappers */
        public Map<String, Long> getValues() {
            return values();
        }

        @Override
        public String toString() {
            return "Row[" + policyIndex + " " + policyId + " " + values() + "]";
        }
    }

    /** One district's values under each policy. */
    public static final class District {
        private final String name;
        private final List<Row> rows;

        District(String name, List<Row> rows) {
            this.name = name;
            this.rows = rows;
        }

        /** @return the projects' {@code district}, or null for the group of projects without one */
        public String name() {
            return name;
        }

        /** @return one row per policy, the baseline first */
        public List<Row> rows() {
            return rows;
        }

        /** @return {@link #name()}, for JSON mappers */
        public String getName() {
            return name;
        }

        /** @return {@link #rows()}, for JSON mappers */
        public List<Row> getRows() {
            return rows;
        }
    }

    /** A project whose eligibility, subsidy eligibility or total differs from the baseline under some policy. */
    public static final class Change {
        private final String projectId;
        private final String name;
        private final String district;
        private final long line;
        private final List<Row> rows;

        Change(String projectId, String name, String district, long line, List<Row> rows) {
            this.projectId = projectId;
            this.name = name;
            this.district = district;
            this.line = line;
            this.rows = rows;
        }

        /** @return the project's id */
        public String projectId() {
            return projectId;
        }

        /** @return its name, or null */
        public String name() {
            return name;
        }

        /** @return its district, or null */
        public String district() {
            return district;
        }

        /** @return its line in the portfolio, 0 for a project added with {@link Comparison#addProject} */
        public long line() {
            return line;
        }

        /** @return its values under each policy, the baseline first */
        public List<Row> rows() {
            return rows;
        }

        /** @return {@link #projectId()}, for JSON mappers */
        public String getProjectId() {
            return projectId;
        }

        /** @return {@link #name()}, for JSON mappers */
        public String getName() {
            return name;
        }

        /** @return {@link #district()}, for JSON mappers */
        public String getDistrict() {
            return district;
        }

        /** @return {@link #line()}, for JSON mappers */
        public long getLine() {
            return line;
        }

        /** @return {@link #rows()}, for JSON mappers */
        public List<Row> getRows() {
            return rows;
        }
    }

    /** A portfolio line left out of the comparison: it did not parse, or could not be evaluated. */
    public static final class LineError {
        private final long line;
        private final EmbedsvcException error;
        private final String text;

        LineError(long line, EmbedsvcException error, String text) {
            this.line = line;
            this.error = error;
            this.text = text;
        }

        /** @return the line's number in the portfolio, from 1 */
        public long line() {
            return line;
        }

        /** @return the error, with its code and its line and column within the line */
        public EmbedsvcException error() {
            return error;
        }

        /** @return the line's text */
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return "line " + line + ": " + error.getMessage();
        }
    }
}
