// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.util.List;
import java.util.Objects;

/**
 * May a case move to the next stage of the funding process (reference §9, {@code 四、2})? A report
 * lists every unmet precondition of the move, with its citation and a message in Chinese and
 * English; none stops the others. Reusable: {@link #check} replaces the content.
 *
 * <pre>{@code
 * try (StageReport report = new StageReport()) {
 *     report.check(policy, project, Stage.FUND_APPROVAL);
 *     if (!report.allowed())
 *         report.unmet().forEach(p -> System.out.println(p.code() + ": " + p.messageZh()));
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> use a report from one thread at a time; the policy may be shared.
 * It keeps the native memory of its policy until it is closed or used with another.
 */
public final class StageReport implements AutoCloseable {
    private final NativeState state;
    private boolean filled;
    private List<Precondition> unmet;

    /** An unmet precondition of a move. Immutable. */
    public static final class Precondition {
        private final String code;
        private final String cite;
        private final String messageZh;
        private final String messageEn;

        Precondition(String code, String cite, String messageZh, String messageEn) {
            this.code = code;
            this.cite = cite;
            this.messageZh = messageZh;
            this.messageEn = messageEn;
        }

        /** @return the code, e.g. {@code process.feasibility_missing} */
        public String code() {
            return code;
        }

        /** @return the policy citation, {@code 四、2} */
        public String cite() {
            return cite;
        }

        /** @return what is missing, in Chinese */
        public String messageZh() {
            return messageZh;
        }

        /** @return what is missing, in English */
        public String messageEn() {
            return messageEn;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Precondition)) {
                return false;
            }
            Precondition p = (Precondition) o;
            return code.equals(p.code) && Objects.equals(cite, p.cite) && Objects.equals(messageZh, p.messageZh)
                    && Objects.equals(messageEn, p.messageEn);
        }

        @Override
        public int hashCode() {
            return Objects.hash(code, cite, messageZh, messageEn);
        }

        @Override
        public String toString() {
            return code + " (" + cite + "): " + messageEn;
        }
    }

    /** Creates an empty report. */
    public StageReport() {
        state = new NativeState(this, EmbedsvcNative.embedsvc_java_stage_report_new(),
                EmbedsvcNative::embedsvc_stage_report_free, null);
    }

    private long ptr() {
        return state.filled("StageReport", filled, "no move has been checked");
    }

    /**
     * Checks whether a project may move to a stage: the stage after its {@code stage} (a
     * project without one is at {@code call}), with the preconditions of reference §9.
     *
     * @param policy the policy the project is evaluated under
     * @param project the project
     * @param target the stage to move to
     * @return this report
     * @throws EmbedsvcException when the project cannot be evaluated
     */
    public synchronized StageReport check(Policy policy, Project project, Stage target) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(target, "target");
        state.fill("StageReport", policy, project, this::reset,
                (self, pol, pj) -> EmbedsvcNative.embedsvc_stage_check(pol, pj, target.value, self));
        filled = true;
        return this;
    }

    private void reset() {
        filled = false;
        unmet = null;
    }

    /** @return true when the move is allowed: no unmet precondition */
    public synchronized boolean allowed() {
        return EmbedsvcNative.embedsvc_stage_report_allowed(ptr()) != 0;
    }

    /** @return the project's stage, as checked */
    public synchronized Stage current() {
        return Stage.of(EmbedsvcNative.embedsvc_stage_report_current(ptr()));
    }

    /** @return the stage the move was checked to */
    public synchronized Stage target() {
        return Stage.of(EmbedsvcNative.embedsvc_stage_report_target(ptr()));
    }

    /** @return every unmet precondition (an immutable list; empty when the move is allowed) */
    public synchronized List<Precondition> unmet() {
        long p = ptr();
        if (unmet == null) {
            unmet = Native.list(p, EmbedsvcNative.embedsvc_stage_report_count(p),
                    (h, i) -> new Precondition(EmbedsvcNative.embedsvc_stage_report_code(h, i),
                            EmbedsvcNative.embedsvc_stage_report_cite(h, i),
                            Utf8.decode(EmbedsvcNative.embedsvc_java_stage_report_message(h, i, "zh")),
                            Utf8.decode(EmbedsvcNative.embedsvc_java_stage_report_message(h, i, "en"))));
        }
        return unmet;
    }

    /** Frees the native memory and lets go of the policy. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        reset();
        state.close();
    }

    @Override
    public synchronized String toString() {
        return state.describe("StageReport", filled, "empty",
                () -> current().code() + " -> " + target().code() + " allowed=" + allowed());
    }
}
