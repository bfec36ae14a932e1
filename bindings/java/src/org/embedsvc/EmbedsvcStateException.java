// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * A call that does not apply ({@link Status#ESTATE}: e.g. a stage report of a process in the wrong
 * state) or an argument the library refuses ({@link Status#EINVAL}): a misuse of the API rather
 * than bad input. (Misuse of the Java objects themselves — a closed object, a bad index — gives
 * the standard {@link IllegalStateException} and {@link IndexOutOfBoundsException}.)
 */
public class EmbedsvcStateException extends EmbedsvcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the library's errors are made by the binding itself.
     *
     * @param status {@link Status#ESTATE} or {@link Status#EINVAL}
     * @param code the error code
     * @param detail the English message
     * @param line the line in the input, or 0
     * @param column the column in the input, or 0
     * @param offset the byte offset in the input
     * @param path the JSON pointer of the offending value, "" for the whole document
     */
    public EmbedsvcStateException(Status status, String code, String detail, int line, int column, long offset,
            String path) {
        super(status, code, detail, line, column, offset, path);
    }
}
