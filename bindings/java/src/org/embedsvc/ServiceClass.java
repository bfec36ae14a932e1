// SPDX-License-Identifier: MIT
package org.embedsvc;

/** Service class (服务类别, reference §1.2, {@code 四、1}). */
public enum ServiceClass {
    /** 基本公共服务类 {@code basic_public}. */
    BASIC_PUBLIC(EmbedsvcNativeConstants.EMBEDSVC_CLASS_BASIC_PUBLIC, "basic_public"),
    /** 普惠非基本公共服务类 {@code inclusive}. */
    INCLUSIVE(EmbedsvcNativeConstants.EMBEDSVC_CLASS_INCLUSIVE, "inclusive"),
    /** 便民商业类 {@code commercial}. */
    COMMERCIAL(EmbedsvcNativeConstants.EMBEDSVC_CLASS_COMMERCIAL, "commercial");

    final int value;
    private final String code;

    ServiceClass(int value, String code) {
        this.value = value;
        this.code = code;
    }

    /** @return the code used in JSON, e.g. {@code basic_public} */
    public String code() {
        return code;
    }

    /** @return the default Chinese name, e.g. 基本公共服务类 (a policy may rename it: {@link Policy#className}) */
    public String nameZh() {
        return EmbedsvcNative.embedsvc_enum_name_zh(EmbedsvcNativeConstants.EMBEDSVC_ENUM_CLASS, value);
    }

    /** @return the class of a C value, or null for {@code EMBEDSVC_CLASS_NONE} */
    static ServiceClass of(int value) {
        for (ServiceClass c : values()) {
            if (c.value == value) {
                return c;
            }
        }
        return null;
    }

    /**
     * Reads a class from its code or exact Chinese name.
     *
     * @param text e.g. {@code inclusive} or 普惠非基本公共服务类
     * @return the class, or null when the text names none
     */
    public static ServiceClass parse(String text) {
        return of(EmbedsvcNative.embedsvc_enum_parse(EmbedsvcNativeConstants.EMBEDSVC_ENUM_CLASS, Utf8.encode(text)));
    }
}
