// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A JSON Lines batch (reference §7): feed it the input one physical line at a time; each non-blank
 * line gives exactly one output line, a result or an error line, and the batch goes on.
 *
 * <p>{@link #run(InputStream, OutputStream)} streams a whole JSON Lines input through the
 * library's line reader (the C routine of {@code embedsvc/lines.h} that the command line and the
 * Python binding use): the line rules of reference §7 are the library's, and a line over the 16 MiB
 * limit is an error line without being held in memory.
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

    /**
     * Evaluates a JSON Lines input (reference §7) and writes one output line per non-blank input
     * line, each ended by {@code \n}, in input order: the bytes {@code embedsvc batch} writes. The
     * input is read in pieces and framed by the library (a trailing CR removed, blank lines
     * skipped, every physical line counted, a last line without a newline taken, a line over
     * 16 MiB an error line held in no more than 16 MiB); memory stays bounded whatever the input.
     * Line numbers continue from the lines this batch has seen. Neither stream is closed; the
     * output is flushed.
     *
     * @param in the JSON Lines input
     * @param out where the output lines go
     * @return the batch's totals after the input
     * @throws IOException from either stream
     * @throws EmbedsvcLimitException when the total subsidy would exceed 64 bits (the lines
     *         before the one that overflowed are written; the batch takes no more lines)
     * @throws EmbedsvcException on another failure of the library (out of memory)
     */
    public synchronized Summary run(InputStream in, OutputStream out) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        long batch = ptr();
        long base = stat(EmbedsvcNativeConstants.EMBEDSVC_BATCH_LINES);
        long reader = EmbedsvcNative.embedsvc_java_lines_new();
        try {
            byte[] buf = new byte[PIECE];
            int[] status = new int[1];
            for (;;) {
                int n = in.read(buf);
                if (n == 0) {
                    continue;
                }
                boolean end = n < 0;
                byte[] piece = end ? new byte[0] : n == buf.length ? buf : Arrays.copyOf(buf, n);
                byte[] lines = EmbedsvcNative.embedsvc_java_batch_feed(batch, reader, piece, end ? 1 : 0, base,
                        status);
                out.write(lines);
                if (status[0] < 0) {
                    out.flush();
                    throw EmbedsvcException.ofStatus(status[0]);
                }
                if (end) {
                    break;
                }
            }
        } finally {
            EmbedsvcNative.embedsvc_lines_free(reader);
        }
        out.flush();
        lastKind = -1;
        return new Summary(this);
    }

    /** Bytes read from the input at a time by {@link #run(InputStream, OutputStream)}. */
    private static final int PIECE = 1 << 16;

    /** The totals of a batch, as {@code embedsvc batch} prints them in its summary. */
    public static final class Summary {
        private final long lines;
        private final long projects;
        private final long eligible;
        private final long subsidyEligible;
        private final long errors;
        private final long totalFen;

        private Summary(Batch b) {
            lines = b.lines();
            projects = b.projects();
            eligible = b.eligible();
            subsidyEligible = b.subsidyEligible();
            errors = b.errors();
            totalFen = b.totalFen();
        }

        /** @return physical lines seen */
        public long lines() {
            return lines;
        }

        /** @return lines that gave a result */
        public long projects() {
            return projects;
        }

        /** @return results that were eligible */
        public long eligible() {
            return eligible;
        }

        /** @return results that were subsidy-eligible */
        public long subsidyEligible() {
            return subsidyEligible;
        }

        /** @return lines that gave an error line */
        public long errors() {
            return errors;
        }

        /** @return the sum of {@code total_fen} over the results */
        public long totalFen() {
            return totalFen;
        }

        @Override
        public String toString() {
            return "Batch.Summary[lines=" + lines + ", projects=" + projects + ", eligible=" + eligible
                    + ", subsidyEligible=" + subsidyEligible + ", errors=" + errors + ", totalFen=" + totalFen + "]";
        }
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
