// SPDX-License-Identifier: MIT
package org.embedsvc;

/** Severity of a {@link Finding}. */
public enum Severity {
    /** {@code info}: for the record. */
    INFO("info"),
    /** {@code warning}: needs attention, does not decide eligibility. */
    WARNING("warning"),
    /** {@code error}: the project is not eligible. */
    ERROR("error");

    private final String code;

    Severity(String code) {
        this.code = code;
    }

    /** @return the code used in JSON, e.g. {@code warning} */
    public String code() {
        return code;
    }

    static Severity of(int value) {
        switch (value) {
        case EmbedsvcNativeConstants.EMBEDSVC_SEVERITY_INFO:
            return INFO;
        case EmbedsvcNativeConstants.EMBEDSVC_SEVERITY_WARNING:
            return WARNING;
        case EmbedsvcNativeConstants.EMBEDSVC_SEVERITY_ERROR:
            return ERROR;
        default:
            throw new IllegalArgumentException("unknown severity " + value);
        }
    }
}
