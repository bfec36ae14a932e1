// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.util.Objects;

/**
 * A JSON Lines batch (reference §7): feed it the input one physical line at a time; each non-blank
 * line gives exactly one output line, a result or an error line, and the batch goes on.
 *
 * <p><b>Thread safety:</b> use a batch from one thread at a time; the policy may be shared.
 */
public final class Batch implements AutoCloseable {
    private final NativeState state;
    private int lastKind = -1;

    /**
     * Creates a batch that evaluates under a policy.
     *
     * @param policy the policy, kept alive by the batch until it is closed
     */
    public Batch(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        Policy.State ps = policy.state;
        if (!ps.retain()) {
            throw Policy.closedException();
        }
        long p;
        try {
            p = EmbedsvcNative.embedsvc_java_batch_new(ps.ptr());
        } catch (RuntimeException | Error e) {
            ps.release();
            throw e;
        }
        state = new NativeState(this, p, EmbedsvcNative::embedsvc_batch_free, ps);
    }

    private long ptr() {
        return state.live("Batch");
    }

    /**
     * Processes the next physical line (without its newline; a trailing CR is removed).
     *
     * @param utf8 the line's bytes
     * @return the output line (result JSON or an error line), or null for a skipped blank line
     */
    public synchronized String line(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        int[] kind = new int[1];
        byte[] out = EmbedsvcNative.embedsvc_java_batch_line(ptr(), utf8, kind);
        lastKind = kind[0];
        return Utf8.decode(out);
    }

    /**
     * Processes the next line given as text; see {@link #line(byte[])}.
     *
     * @param line the line
     * @return the output line, or null for a skipped blank line
     */
    public String line(String line) {
        return line(Utf8.encode(line));
    }

    /** @return true when the last line gave an error line */
    public synchronized boolean lastWasError() {
        return lastKind == 1;
    }

    private long stat(int which) {
        return EmbedsvcNative.embedsvc_batch_stat(ptr(), which);
    }

    /** @return physical lines seen */
    public synchronized long lines() {
        return stat(EmbedsvcNativeConstants.EMBEDSVC_BATCH_LINES);
    }

    /** @return lines that gave a result */
    public synchronized long projects() {
        return stat(EmbedsvcNativeConstants.EMBEDSVC_BATCH_PROJECTS);
    }

    /** @return results that were eligible */
    public synchronized long eligible() {
        return stat(EmbedsvcNativeConstants.EMBEDSVC_BATCH_ELIGIBLE);
    }

    /** @return results that were subsidy-eligible */
    public synchronized long subsidyEligible() {
        return stat(EmbedsvcNativeConstants.EMBEDSVC_BATCH_SUBSIDY_ELIGIBLE);
    }

    /** @return lines that gave an error line */
    public synchronized long errors() {
        return stat(EmbedsvcNativeConstants.EMBEDSVC_BATCH_ERRORS);
    }

    /** @return the sum of {@code total_fen} over the results */
    public synchronized long totalFen() {
        return stat(EmbedsvcNativeConstants.EMBEDSVC_BATCH_TOTAL_FEN);
    }

    /** Frees the batch and lets go of its policy. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        state.close();
    }
}
