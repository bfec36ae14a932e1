// SPDX-License-Identifier: MIT
package org.embedsvc;

/** The counts of a {@link Result} ({@code counts} of reference §6). */
public enum Count {
    /** {@code functions}: every function of the project. */
    FUNCTIONS(EmbedsvcNativeConstants.EMBEDSVC_COUNT_FUNCTIONS),
    /** {@code valid_functions}: functions with a known scenario and an allowed class. */
    VALID_FUNCTIONS(EmbedsvcNativeConstants.EMBEDSVC_COUNT_VALID_FUNCTIONS),
    /** {@code distinct_scenarios}. */
    DISTINCT_SCENARIOS(EmbedsvcNativeConstants.EMBEDSVC_COUNT_DISTINCT_SCENARIOS),
    /** {@code core_scenarios}. */
    CORE_SCENARIOS(EmbedsvcNativeConstants.EMBEDSVC_COUNT_CORE_SCENARIOS),
    /** {@code preferred_scenarios}. */
    PREFERRED_SCENARIOS(EmbedsvcNativeConstants.EMBEDSVC_COUNT_PREFERRED_SCENARIOS);

    final int value;

    Count(int value) {
        this.value = value;
    }
}
