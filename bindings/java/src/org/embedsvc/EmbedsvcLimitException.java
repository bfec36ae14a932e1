// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * A value out of range or a limit reached ({@link Status#ERANGE}): a negative money amount, a sum
 * that does not fit in 64 bits, more functions than a project may have, a disbursement above the
 * approved amount.
 */
public class EmbedsvcLimitException extends EmbedsvcException {
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
    public EmbedsvcLimitException(String code, String detail, int line, int column, long offset, String path) {
        super(Status.ERANGE, code, detail, line, column, offset, path);
    }
}
