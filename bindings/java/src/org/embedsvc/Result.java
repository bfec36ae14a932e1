// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The outcome of evaluating a {@link Project} under a {@link Policy} (reference §3, §6): eligibility,
 * the subsidy to the fen, every check and every finding.
 *
 * <p>A result is reusable: {@link #evaluate} replaces its content and, after the first time,
 * allocates no native memory. The usual pattern is one result per thread:
 *
 * <pre>{@code
 * try (Project project = new Project(); Result result = new Result()) {
 *     for (byte[] json : applications) {
 *         result.evaluate(policy, project.parse(json));
 *         if (!result.eligible()) ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> use a result from one thread at a time. Its methods are
 * synchronized, so misuse from several threads cannot corrupt native memory. The lists it
 * returns are immutable snapshots, safe to hand to other threads.
 *
 * <p>A result keeps the native memory of the policy it was evaluated under until it is closed
 * or evaluated under another policy, so it stays readable after that policy is closed.
 */
public final class Result implements AutoCloseable {
    private final NativeState state;
    private boolean evaluated;
    private List<FunctionResult> functions;
    private List<Check> checks;
    private List<Finding> findings;

    /** Creates an empty result, with room for the largest project. */
    public Result() {
        state = new NativeState(this, EmbedsvcNative.embedsvc_java_result_new(),
                EmbedsvcNative::embedsvc_result_free, null);
    }

    private long ptr() {
        return state.filled("Result", evaluated, "Result has not been evaluated");
    }

    /**
     * Evaluates a project under a policy into this result, replacing its content. Every
     * finding is reported; evaluation never stops at the first.
     *
     * @param policy the policy (may be shared with other threads)
     * @param project the project (parsed or built)
     * @return this result
     * @throws EmbedsvcException {@code parse.missing_field} for a built project without a
     *         required field, or a range error
     * @throws IllegalStateException when this result, the policy or the project is closed
     */
    public synchronized Result evaluate(Policy policy, Project project) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(project, "project");
        state.fill("Result", policy, project, this::reset,
                (self, pol, pj) -> EmbedsvcNative.embedsvc_evaluate(pol, pj, self));
        evaluated = true;
        return this;
    }

    private void reset() {
        evaluated = false;
        functions = null;
        checks = null;
        findings = null;
    }

    /** @return true once {@link #evaluate} succeeded (and the result is not closed) */
    public synchronized boolean isEvaluated() {
        return evaluated && !state.isClosed();
    }

    /** @return the project's id */
    public synchronized String projectId() {
        return EmbedsvcNative.embedsvc_result_project_id(ptr());
    }

    /** @return true when the project is eligible: no finding of severity error */
    public synchronized boolean eligible() {
        return EmbedsvcNative.embedsvc_result_eligible(ptr()) != 0;
    }

    /** @return true when eligible and built in a subsidised build mode */
    public synchronized boolean subsidyEligible() {
        return EmbedsvcNative.embedsvc_result_subsidy_eligible(ptr()) != 0;
    }

    /** @return the total subsidy, in fen (0.01 yuan) */
    public synchronized long totalFen() {
        return EmbedsvcNative.embedsvc_result_total_fen(ptr());
    }

    /** @return basic + inclusive amounts before the cap, in fen */
    public synchronized long uncappedFen() {
        return EmbedsvcNative.embedsvc_result_uncapped_fen(ptr());
    }

    /** @return the cap of the two public classes in fen, or empty when the policy has none */
    public synchronized OptionalLong capFen() {
        long[] v = new long[1];
        return EmbedsvcNative.embedsvc_result_cap_fen(ptr(), v) == 1 ? OptionalLong.of(v[0]) : OptionalLong.empty();
    }

    /** @return true when the cap bound */
    public synchronized boolean capped() {
        return EmbedsvcNative.embedsvc_result_capped(ptr()) != 0;
    }

    /** @return how far the uncapped amount is below the cap, in fen, or empty when there is no cap */
    public synchronized OptionalLong capHeadroomFen() {
        long[] v = new long[1];
        return EmbedsvcNative.embedsvc_result_cap_headroom_fen(ptr(), v) == 1 ? OptionalLong.of(v[0])
                : OptionalLong.empty();
    }

    /**
     * @param cls a class
     * @return the investment shares of its valid functions, in fen
     */
    public synchronized long baseFen(ServiceClass cls) {
        return EmbedsvcNative.embedsvc_result_class_base_fen(ptr(), cls.value);
    }

    /**
     * @param cls a class
     * @return the rate applied to it, in basis points
     */
    public synchronized int rateBp(ServiceClass cls) {
        return EmbedsvcNative.embedsvc_result_class_rate_bp(ptr(), cls.value);
    }

    /**
     * @param cls a class
     * @return its subsidy after the cap, in fen (0 when not subsidy-eligible)
     */
    public synchronized long amountFen(ServiceClass cls) {
        return EmbedsvcNative.embedsvc_result_class_amount_fen(ptr(), cls.value);
    }

    /**
     * @param which which count
     * @return the count
     */
    public synchronized int count(Count which) {
        return EmbedsvcNative.embedsvc_result_count(ptr(), which.value);
    }

    /** @return every function of the project, in order (an immutable list) */
    public synchronized List<FunctionResult> functions() {
        long p = ptr();
        if (functions == null) {
            long policy = state.policyPtr();
            functions = Native.list(p, EmbedsvcNative.embedsvc_result_count(p, Count.FUNCTIONS.value), (h, i) -> {
                int scenario = EmbedsvcNative.embedsvc_result_function_scenario(h, i);
                return new FunctionResult(i,
                        scenario < 0 ? null
                                : EmbedsvcNative.embedsvc_policy_scenario_name(policy, scenario,
                                        EmbedsvcNativeConstants.EMBEDSVC_NAME_CODE),
                        ServiceClass.of(EmbedsvcNative.embedsvc_result_function_class(h, i)),
                        EmbedsvcNative.embedsvc_result_function_investment_fen(h, i),
                        EmbedsvcNative.embedsvc_result_function_subsidy_fen(h, i));
            });
        }
        return functions;
    }

    /** @return every check of reference §3.2, in table order (an immutable list) */
    public synchronized List<Check> checks() {
        long p = ptr();
        if (checks == null) {
            long[] number = new long[1];
            checks = Native.list(p, EmbedsvcNative.embedsvc_result_check_count(p), (h, i) -> {
                int passed = EmbedsvcNative.embedsvc_result_check_passed(h, i);
                int kind = EmbedsvcNative.embedsvc_java_check_value(h, i, number);
                Object value = kind == 1 ? Long.valueOf(number[0])
                        : kind == 2 ? Utf8.decode(EmbedsvcNative.embedsvc_java_check_value_text(h, i)) : null;
                Long threshold = EmbedsvcNative.embedsvc_result_check_threshold(h, i, number) == 1
                        ? Long.valueOf(number[0]) : null;
                return new Check(EmbedsvcNative.embedsvc_result_check_rule(h, i),
                        passed < 0 ? null : Boolean.valueOf(passed == 1), value, threshold,
                        EmbedsvcNative.embedsvc_result_check_cite(h, i));
            });
        }
        return checks;
    }

    /** @return every finding, in the order of reference §6 (an immutable list) */
    public synchronized List<Finding> findings() {
        long p = ptr();
        if (findings == null) {
            findings = Native.list(p, EmbedsvcNative.embedsvc_result_finding_count(p),
                    (h, i) -> new Finding(EmbedsvcNative.embedsvc_result_finding_code(h, i),
                            Severity.of(EmbedsvcNative.embedsvc_result_finding_severity(h, i)),
                            EmbedsvcNative.embedsvc_result_finding_function(h, i),
                            EmbedsvcNative.embedsvc_result_finding_cite(h, i),
                            Utf8.decode(EmbedsvcNative.embedsvc_java_finding_message(h, i, "zh")),
                            Utf8.decode(EmbedsvcNative.embedsvc_java_finding_message(h, i, "en"))));
        }
        return findings;
    }

    /**
     * Writes the result as {@code embedsvc.result/1} JSON (reference §6): compact, one line,
     * deterministic; the same bytes as {@code embedsvc check --json} prints.
     *
     * @return the JSON text
     */
    public synchronized String toJson() {
        return Utf8.decode(EmbedsvcNative.embedsvc_java_result_to_json(ptr()));
    }

    /**
     * The JSON of {@link #toJson()} as UTF-8 bytes, without decoding it.
     *
     * @return the JSON text, UTF-8
     */
    public synchronized byte[] toJsonBytes() {
        return EmbedsvcNative.embedsvc_java_result_to_json(ptr());
    }

    /** @return true once {@link #close()} was called */
    public synchronized boolean isClosed() {
        return state.isClosed();
    }

    /** Frees the result's native memory and lets go of its policy. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        reset();
        state.close();
    }

    @Override
    public synchronized String toString() {
        return state.describe("Result", evaluated, "not evaluated", () -> projectId() + " eligible=" + eligible()
                + " subsidyEligible=" + subsidyEligible() + " totalFen=" + totalFen());
    }
}
