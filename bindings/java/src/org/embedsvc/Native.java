// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

    /** Reads entry {@code index} of a handle's list (findings, checks, preconditions...). */
    interface Entry<T> {
        T read(long handle, int index);
    }

    /**
     * Reads a handle's list into Java.
     *
     * @param handle the handle
     * @param count the number of entries
     * @param entry reads one entry
     * @return an immutable snapshot, safe to hand to other threads
     */
    static <T> List<T> list(long handle, long count, Entry<T> entry) {
        int n = (int) count;
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(entry.read(handle, i));
        }
        return Collections.unmodifiableList(list);
    }
}
