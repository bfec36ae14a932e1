// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * Disbursement by construction progress (reference §9, an interpretation of {@code 四、2}
 * "按照…工程进度适时下达"). Stateless and thread-safe.
 */
public final class Disbursement {
    private Disbursement() {
    }

    /**
     * Computes the amount that may be disbursed now: floor(approved × progress / 10000) −
     * disbursed, never negative.
     *
     * @param approvedFen the approved subsidy, 0 to 10^14 fen
     * @param progressBp construction progress, 0 to 10000 basis points (5000 = 50%)
     * @param disbursedFen the amount disbursed so far, 0 to 10^14 fen
     * @return the amount due now, in fen
     * @throws EmbedsvcException {@code process.overdisbursed} ({@link EmbedsvcException#ESTATE}) when
     *         more was disbursed than approved; {@code process.progress_range}, {@code money.range} or
     *         {@code money.negative} ({@link EmbedsvcException#ERANGE}) for a value out of range
     */
    public static long dueFen(long approvedFen, long progressBp, long disbursedFen) {
        long[] due = new long[1];
        EmbedsvcNative.embedsvc_disbursement(approvedFen, progressBp, disbursedFen, due);
        return due[0];
    }
}
