// SPDX-License-Identifier: MIT
package org.embedsvc;

/** Stage of the funding process (reference §1.5, §9, {@code 四、2}), in order. */
public enum Stage {
    /** 征集 {@code call}. */
    CALL(EmbedsvcNativeConstants.EMBEDSVC_STAGE_CALL, "call"),
    /** 申报 {@code application}. */
    APPLICATION(EmbedsvcNativeConstants.EMBEDSVC_STAGE_APPLICATION, "application"),
    /** 联合审查 {@code joint_review}. */
    JOINT_REVIEW(EmbedsvcNativeConstants.EMBEDSVC_STAGE_JOINT_REVIEW, "joint_review"),
    /** 资金审批 {@code fund_approval}. */
    FUND_APPROVAL(EmbedsvcNativeConstants.EMBEDSVC_STAGE_FUND_APPROVAL, "fund_approval"),
    /** 资金下达 {@code disbursement}. */
    DISBURSEMENT(EmbedsvcNativeConstants.EMBEDSVC_STAGE_DISBURSEMENT, "disbursement");

    final int value;
    private final String code;

    Stage(int value, String code) {
        this.value = value;
        this.code = code;
    }

    /** @return the code used in JSON, e.g. {@code fund_approval} */
    public String code() {
        return code;
    }

    /** @return the Chinese name, e.g. 资金审批 */
    public String nameZh() {
        return EmbedsvcNative.embedsvc_enum_name_zh(EmbedsvcNativeConstants.EMBEDSVC_ENUM_STAGE, value);
    }

    static Stage of(int value) {
        for (Stage s : values()) {
            if (s.value == value) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stage " + value);
    }

    /**
     * Reads a stage from its code or exact Chinese name.
     *
     * @param text e.g. {@code application} or 申报
     * @return the stage, or null when the text names none
     */
    public static Stage parse(String text) {
        int v = EmbedsvcNative.embedsvc_enum_parse(EmbedsvcNativeConstants.EMBEDSVC_ENUM_STAGE, Utf8.encode(text));
        return v < 0 ? null : of(v);
    }
}
