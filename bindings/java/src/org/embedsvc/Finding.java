// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.util.Objects;

/**
 * One finding of an evaluation (reference §6, §10): what is wrong or worth noting, with its
 * severity, the function it is about, the policy citation, and a message in Chinese and
 * English that a case officer can act on. Immutable.
 */
public final class Finding {
    private final String code;
    private final Severity severity;
    private final int function;
    private final String cite;
    private final String messageZh;
    private final String messageEn;

    Finding(String code, Severity severity, int function, String cite, String messageZh, String messageEn) {
        this.code = code;
        this.severity = severity;
        this.function = function;
        this.cite = cite;
        this.messageZh = messageZh;
        this.messageEn = messageEn;
    }

    /** @return the code, e.g. {@code project.too_few_functions} */
    public String code() {
        return code;
    }

    /** @return the severity; any {@link Severity#ERROR} makes the project ineligible */
    public Severity severity() {
        return severity;
    }

    /** @return the index of the function it is about, or -1 for a finding about the project */
    public int function() {
        return function;
    }

    /** @return true when the finding is about the project rather than one function */
    public boolean isProjectFinding() {
        return function < 0;
    }

    /** @return the policy citation, e.g. {@code 四、1}, or null */
    public String cite() {
        return cite;
    }

    /** @return the message in Chinese */
    public String messageZh() {
        return messageZh;
    }

    /** @return the message in English */
    public String messageEn() {
        return messageEn;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Finding)) {
            return false;
        }
        Finding f = (Finding) o;
        return function == f.function && code.equals(f.code) && severity == f.severity && Objects.equals(cite, f.cite)
                && Objects.equals(messageZh, f.messageZh) && Objects.equals(messageEn, f.messageEn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, severity, function, cite, messageZh, messageEn);
    }

    @Override
    public String toString() {
        return severity.code() + " " + code + (function >= 0 ? " [function " + function + "]" : "")
                + (cite != null ? " (" + cite + ")" : "") + ": " + messageEn;
    }
}
