// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * What a {@link Comparison} counts and sums per policy (the C library's
 * {@code embedsvc_compare_value}): over the portfolio ({@link Comparison#totals()}), a district
 * ({@link Comparison#districts()}) or one changed project ({@link Comparison#changes()}, where
 * the counts are 0 or 1). The "lost", "gained", "down", "up", "changed" and "delta" values compare
 * a project under the policy with the baseline (policy 0) and are 0 for the baseline itself.
 * {@link #code()} is the key of the {@code embedsvc.compare/1} JSON.
 */
public enum CompareValue {
    /** {@code projects}: projects evaluated. */
    PROJECTS(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_PROJECTS, "projects"),
    /** {@code eligible}: projects that are eligible. */
    ELIGIBLE(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_ELIGIBLE, "eligible"),
    /** {@code subsidy_eligible}: projects that are subsidy-eligible. */
    SUBSIDY_ELIGIBLE(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_SUBSIDY_ELIGIBLE, "subsidy_eligible"),
    /** {@code capped}: subsidy-eligible projects whose subsidy the cap reduced. */
    CAPPED(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_CAPPED, "capped"),
    /** {@code total_fen}: the sum of the subsidies, in fen. */
    TOTAL_FEN(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_TOTAL_FEN, "total_fen"),
    /** {@code basic_public_fen}: the basic public class amounts after the cap, in fen. */
    BASIC_PUBLIC_FEN(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_BASIC_PUBLIC_FEN, "basic_public_fen"),
    /** {@code inclusive_fen}: the inclusive class amounts after the cap, in fen. */
    INCLUSIVE_FEN(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_INCLUSIVE_FEN, "inclusive_fen"),
    /** {@code commercial_fen}: the commercial class amounts, in fen. */
    COMMERCIAL_FEN(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_COMMERCIAL_FEN, "commercial_fen"),
    /** {@code lost_eligible}: eligible under the baseline, not under this policy. */
    LOST_ELIGIBLE(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_LOST_ELIGIBLE, "lost_eligible"),
    /** {@code gained_eligible}: not eligible under the baseline, eligible under this policy. */
    GAINED_ELIGIBLE(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_GAINED_ELIGIBLE, "gained_eligible"),
    /** {@code lost_subsidy_eligible}: subsidy-eligible under the baseline only. */
    LOST_SUBSIDY_ELIGIBLE(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_LOST_SUBSIDY_ELIGIBLE, "lost_subsidy_eligible"),
    /** {@code gained_subsidy_eligible}: subsidy-eligible under this policy only. */
    GAINED_SUBSIDY_ELIGIBLE(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_GAINED_SUBSIDY_ELIGIBLE,
            "gained_subsidy_eligible"),
    /** {@code subsidy_down}: projects whose total is lower than under the baseline. */
    SUBSIDY_DOWN(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_SUBSIDY_DOWN, "subsidy_down"),
    /** {@code subsidy_up}: projects whose total is higher than under the baseline. */
    SUBSIDY_UP(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_SUBSIDY_UP, "subsidy_up"),
    /** {@code changed}: projects whose eligibility, subsidy eligibility or total differs from the baseline. */
    CHANGED(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_CHANGED, "changed"),
    /** {@code delta_fen}: the total minus the baseline's, in fen (may be negative). */
    DELTA_FEN(EmbedsvcNativeConstants.EMBEDSVC_COMPARE_DELTA_FEN, "delta_fen");

    final int value;
    private final String code;

    CompareValue(int value, String code) {
        this.value = value;
        this.code = code;
    }

    /** @return the key in {@code embedsvc.compare/1} JSON, e.g. {@code total_fen} */
    public String code() {
        return code;
    }
}
