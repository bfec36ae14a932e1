// SPDX-License-Identifier: MIT
package org.embedsvc;

/** Numeric rules of a {@link Policy}, read with {@link Policy#rule(Rule)}. */
public enum Rule {
    /** {@code rules.min_functions}. */
    MIN_FUNCTIONS(EmbedsvcNativeConstants.EMBEDSVC_RULE_MIN_FUNCTIONS),
    /** {@code rules.min_core_functions}. */
    MIN_CORE_FUNCTIONS(EmbedsvcNativeConstants.EMBEDSVC_RULE_MIN_CORE_FUNCTIONS),
    /** {@code rules.preferred_severity}: a severity's ordinal (0 info, 1 warning, 2 error), or -1 for {@code off}. */
    PREFERRED_SEVERITY(EmbedsvcNativeConstants.EMBEDSVC_RULE_PREFERRED_SEVERITY),
    /** {@code rules.subsidy_build_modes} as a bit set of {@code 1 << build mode} (new 0, expansion 1, renovation 2, other 3). */
    SUBSIDY_BUILD_MODES(EmbedsvcNativeConstants.EMBEDSVC_RULE_SUBSIDY_BUILD_MODES),
    /** {@code rules.max_walk_minutes} (may be null). */
    MAX_WALK_MINUTES(EmbedsvcNativeConstants.EMBEDSVC_RULE_MAX_WALK_MINUTES),
    /** {@code subsidy.cap_fen} (may be null). */
    CAP_FEN(EmbedsvcNativeConstants.EMBEDSVC_RULE_CAP_FEN),
    /** 1 when {@code subsidy.cap_allocation} is {@code proportional}, 0 for {@code basic_first}. */
    CAP_PROPORTIONAL(EmbedsvcNativeConstants.EMBEDSVC_RULE_CAP_PROPORTIONAL);

    final int value;

    Rule(int value) {
        this.value = value;
    }
}
