// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * Input that does not parse or validate ({@link Status#EPARSE}): a project, policy or change set
 * that is not JSON ({@code parse.syntax}), has an unknown field ({@code parse.unknown_field}), a
 * value of the wrong type ({@code parse.type}), a missing field, a bad money amount
 * ({@code money.precision}) and so on, with the line, column and path of the offending value.
 */
public class EmbedsvcParseException extends EmbedsvcException {
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
    public EmbedsvcParseException(String code, String detail, int line, int column, long offset, String path) {
        super(Status.EPARSE, code, detail, line, column, offset, path);
    }
}
