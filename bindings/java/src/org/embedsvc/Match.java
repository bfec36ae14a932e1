// SPDX-License-Identifier: MIT
package org.embedsvc;

/** Kind of match of a {@link Classification} (reference §4). */
public enum Match {
    /** {@code none}: no term matched. */
    NONE("none"),
    /** {@code exact}: the text equals a term. */
    EXACT("exact"),
    /** {@code contains}: the text contains the longest term(s) of one target. */
    CONTAINS("contains"),
    /** {@code ambiguous}: the longest terms belong to several targets. */
    AMBIGUOUS("ambiguous");

    private final String code;

    Match(String code) {
        this.code = code;
    }

    /** @return the code used in JSON, e.g. {@code exact} */
    public String code() {
        return code;
    }

    static Match of(int value) {
        switch (value) {
        case EmbedsvcNativeConstants.EMBEDSVC_MATCH_EXACT:
            return EXACT;
        case EmbedsvcNativeConstants.EMBEDSVC_MATCH_CONTAINS:
            return CONTAINS;
        case EmbedsvcNativeConstants.EMBEDSVC_MATCH_AMBIGUOUS:
            return AMBIGUOUS;
        default:
            return NONE;
        }
    }
}
