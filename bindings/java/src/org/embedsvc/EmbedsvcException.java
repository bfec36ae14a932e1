// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * A failure reported by libembedsvc: a project or policy that does not parse or validate,
 * an inconsistent policy, a money amount with too many decimals, an allocation failure.
 *
 * <p>It is unchecked and carries everything the C library's {@code embedsvc_error} holds:
 * the machine-readable {@link #code()} of reference §10 (e.g. {@code parse.syntax},
 * {@code money.precision}, {@code policy.invalid}), the English {@link #detail()}, the
 * {@link #line()} and {@link #column()} in the input (1-based, columns counting Unicode code
 * points; 0 when the error is not about a position), the byte {@link #offset()} and the JSON
 * pointer {@link #path()} of the offending value.
 *
 * <p>Misuse of the Java API is reported with the standard exceptions instead: a closed object
 * gives {@link IllegalStateException}, a bad index {@link IndexOutOfBoundsException}, a null
 * argument {@link NullPointerException}.
 */
public final class EmbedsvcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Status {@code EMBEDSVC_EINVAL}: an argument is invalid. */
    public static final int EINVAL = EmbedsvcNativeConstants.EMBEDSVC_EINVAL;
    /** Status {@code EMBEDSVC_ENOMEM}: an allocation failed. */
    public static final int ENOMEM = EmbedsvcNativeConstants.EMBEDSVC_ENOMEM;
    /** Status {@code EMBEDSVC_EPARSE}: the input does not parse or validate. */
    public static final int EPARSE = EmbedsvcNativeConstants.EMBEDSVC_EPARSE;
    /** Status {@code EMBEDSVC_EPOLICY}: a policy parses but is inconsistent. */
    public static final int EPOLICY = EmbedsvcNativeConstants.EMBEDSVC_EPOLICY;
    /** Status {@code EMBEDSVC_EIO}: a file could not be read. */
    public static final int EIO = EmbedsvcNativeConstants.EMBEDSVC_EIO;
    /** Status {@code EMBEDSVC_ERANGE}: a value is out of range. */
    public static final int ERANGE = EmbedsvcNativeConstants.EMBEDSVC_ERANGE;
    /** Status {@code EMBEDSVC_ESTATE}: the operation does not apply in this state. */
    public static final int ESTATE = EmbedsvcNativeConstants.EMBEDSVC_ESTATE;

    /** The negative status. */
    private final int status;
    /** The error code of reference §10. */
    private final String code;
    /** The library's English message. */
    private final String detail;
    /** The line in the input, or 0. */
    private final int line;
    /** The column in the input, or 0. */
    private final int column;
    /** The byte offset in the input. */
    private final long offset;
    /** The JSON pointer of the offending value. */
    private final String path;

    /**
     * Creates an exception; the library's errors are made by the binding itself.
     *
     * @param status the negative {@code embedsvc_status}
     * @param code the error code, e.g. {@code parse.syntax}
     * @param detail the English message
     * @param line the line in the input, or 0
     * @param column the column in the input, or 0
     * @param offset the byte offset in the input
     * @param path the JSON pointer of the offending value, "" for the whole document
     */
    public EmbedsvcException(int status, String code, String detail, int line, int column, long offset,
            String path) {
        super(format(code, detail, line, column, path));
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.line = line;
        this.column = column;
        this.offset = offset;
        this.path = path;
    }

    /** Called from C with the fields of an {@code embedsvc_error}, as UTF-8 bytes. */
    static EmbedsvcException fromNative(int status, byte[] code, byte[] detail, int line, int column, long offset,
            byte[] path) {
        return new EmbedsvcException(status, Utf8.decode(code), Utf8.decode(detail), line, column, offset,
                Utf8.decode(path));
    }

    /** For a negative status returned by a function without an error argument. */
    static EmbedsvcException ofStatus(int status) {
        String name = EmbedsvcNative.embedsvc_status_name(status);
        return new EmbedsvcException(status, name, name, 0, 0, 0, "");
    }

    private static String format(String code, String detail, int line, int column, String path) {
        StringBuilder sb = new StringBuilder();
        if (line > 0) {
            sb.append(line).append(':').append(column).append(": ");
        }
        sb.append(code);
        if (detail != null && !detail.isEmpty() && !detail.equals(code)) {
            sb.append(": ").append(detail);
        }
        if (path != null && !path.isEmpty()) {
            sb.append(" (at ").append(path).append(')');
        }
        return sb.toString();
    }

    /** @return the negative {@code embedsvc_status}, e.g. {@link #EPARSE} */
    public int status() {
        return status;
    }

    /** @return the name of the status, e.g. {@code EMBEDSVC_EPARSE} */
    public String statusName() {
        return EmbedsvcNative.embedsvc_status_name(status);
    }

    /** @return the machine-readable code of reference §10, e.g. {@code parse.unknown_field} */
    public String code() {
        return code;
    }

    /** @return the library's English message alone (the exception's message adds position and path) */
    public String detail() {
        return detail;
    }

    /** @return the 1-based line of the error in the input, 0 when not about a position */
    public int line() {
        return line;
    }

    /** @return the 1-based column of the error, counting Unicode code points; 0 when not about a position */
    public int column() {
        return column;
    }

    /** @return the byte offset of the error from the start of the input */
    public long offset() {
        return offset;
    }

    /** @return the JSON pointer (RFC 6901) of the offending value; "" for the whole document */
    public String path() {
        return path;
    }
}
