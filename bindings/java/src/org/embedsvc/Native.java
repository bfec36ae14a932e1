// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.lang.ref.Cleaner;

/** What the handle classes share. */
final class Native {
    /**
     * Frees the native memory of an object that was never closed, once it is unreachable. A
     * safety net only: close every object (try-with-resources); there are no finalizers.
     */
    static final Cleaner CLEANER = Cleaner.create();

    private Native() {
    }

    /** Throws for a negative status of a function that has no error argument. */
    static int check(int status) {
        if (status < 0) {
            throw EmbedsvcException.ofStatus(status);
        }
        return status;
    }

    static IllegalStateException closed(String what) {
        return new IllegalStateException(what + " is closed");
    }
}
