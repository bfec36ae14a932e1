// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.util.Objects;

/** One project check of an evaluation ({@code checks[]} of reference §6, the table of §3.2). Immutable. */
public final class Check {
    private final String rule;
    private final Boolean passed;
    private final Object value;
    private final Long threshold;
    private final String cite;

    Check(String rule, Boolean passed, Object value, Long threshold, String cite) {
        this.rule = rule;
        this.passed = passed;
        this.value = value;
        this.threshold = threshold;
        this.cite = cite;
    }

    /** @return the rule, e.g. {@code min_functions} */
    public String rule() {
        return rule;
    }

    /** @return true passed, false failed, null not evaluated */
    public Boolean passed() {
        return passed;
    }

    /** @return the value checked: a {@link Long}, a {@link String} (for {@code subsidy_build_mode}), or null */
    public Object value() {
        return value;
    }

    /** @return the threshold, or null */
    public Long threshold() {
        return threshold;
    }

    /** @return the policy citation, e.g. {@code 四、1} */
    public String cite() {
        return cite;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Check)) {
            return false;
        }
        Check c = (Check) o;
        return rule.equals(c.rule) && Objects.equals(passed, c.passed) && Objects.equals(value, c.value)
                && Objects.equals(threshold, c.threshold) && Objects.equals(cite, c.cite);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, passed, value, threshold, cite);
    }

    @Override
    public String toString() {
        return "Check[" + rule + " passed=" + passed + " value=" + value + " threshold=" + threshold + "]";
    }
}
