// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * A policy that parses but is inconsistent ({@link Status#EPOLICY}, code {@code policy.invalid}),
 * e.g. a rule out of its range, with the JSON pointer of the inconsistency in {@link #path()}
 * (e.g. {@code /rules/min_functions}).
 */
public class EmbedsvcPolicyException extends EmbedsvcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the library's errors are made by the binding itself.
     *
     * @param code the error code
     * @param detail the English message
     * @param line the line in the input, or 0
     * @param column the column in the input, or 0
     * @param offset the byte offset in the input
     * @param path the JSON pointer of the offending value, "" for the whole document
     */
    public EmbedsvcPolicyException(String code, String detail, int line, int column, long offset, String path) {
        super(Status.EPOLICY, code, detail, line, column, offset, path);
    }
}
