// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * The status of a failed call into libembedsvc ({@code embedsvc_status} of the C library), carried
 * by every {@link EmbedsvcException}. Which exception class is thrown follows from it: see
 * {@link #exceptionClass()}.
 */
public enum Status {
    /** {@code EMBEDSVC_EINVAL}: an argument is invalid (a misuse: {@link EmbedsvcStateException}). */
    EINVAL(EmbedsvcNativeConstants.EMBEDSVC_EINVAL),
    /** {@code EMBEDSVC_ENOMEM}: an allocation failed; nothing was changed ({@link EmbedsvcException}). */
    ENOMEM(EmbedsvcNativeConstants.EMBEDSVC_ENOMEM),
    /** {@code EMBEDSVC_EPARSE}: the input does not parse or validate ({@link EmbedsvcParseException}). */
    EPARSE(EmbedsvcNativeConstants.EMBEDSVC_EPARSE),
    /** {@code EMBEDSVC_EPOLICY}: a policy parses but is inconsistent ({@link EmbedsvcPolicyException}). */
    EPOLICY(EmbedsvcNativeConstants.EMBEDSVC_EPOLICY),
    /** {@code EMBEDSVC_EIO}: a file could not be read ({@link EmbedsvcException}). */
    EIO(EmbedsvcNativeConstants.EMBEDSVC_EIO),
    /** {@code EMBEDSVC_ERANGE}: a value is out of range or a limit is reached ({@link EmbedsvcLimitException}). */
    ERANGE(EmbedsvcNativeConstants.EMBEDSVC_ERANGE),
    /** {@code EMBEDSVC_ESTATE}: the operation does not apply in this state ({@link EmbedsvcStateException}). */
    ESTATE(EmbedsvcNativeConstants.EMBEDSVC_ESTATE),
    /** A status this version of the binding does not know (from a newer native library). */
    UNKNOWN(Integer.MIN_VALUE);

    private final int value;

    Status(int value) {
        this.value = value;
    }

    /** @return the C library's negative {@code embedsvc_status} value, e.g. -3 for {@link #EPARSE} */
    public int value() {
        return value;
    }

    /** @return the C name, e.g. {@code EMBEDSVC_EPARSE} */
    public String cName() {
        return this == UNKNOWN ? "EMBEDSVC_UNKNOWN" : "EMBEDSVC_" + name();
    }

    /** @return the class of the exception thrown for this status */
    public Class<? extends EmbedsvcException> exceptionClass() {
        switch (this) {
        case EPARSE:
            return EmbedsvcParseException.class;
        case EPOLICY:
            return EmbedsvcPolicyException.class;
        case ERANGE:
            return EmbedsvcLimitException.class;
        case EINVAL:
        case ESTATE:
            return EmbedsvcStateException.class;
        default:
            return EmbedsvcException.class;
        }
    }

    /**
     * @param value a negative {@code embedsvc_status}
     * @return its constant, or {@link #UNKNOWN}
     */
    public static Status of(int value) {
        for (Status s : values()) {
            if (s.value == value) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
