// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * Version information of the library; {@code java -jar embedsvc.jar} prints it and where the
 * JNI library was loaded from, to check a set-up.
 */
public final class Embedsvc {
    private Embedsvc() {
    }

    /** @return the version of the native library actually loaded, e.g. "0.1.0" */
    public static String version() {
        return EmbedsvcNative.embedsvc_version_string();
    }

    /** @return the native library's version as major * 10000 + minor * 100 + patch */
    public static int versionNumber() {
        return EmbedsvcNative.embedsvc_version();
    }

    /** @return the N of {@code libembedsvc.so.N} actually loaded */
    public static int abiVersion() {
        return EmbedsvcNative.embedsvc_abi_version();
    }

    /** @return the version of libembedsvc this jar was built with */
    public static String bindingVersion() {
        return BuildConfig.VERSION;
    }

    /**
     * Prints the versions and the JNI library's location.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("libembedsvc " + version() + " (ABI " + abiVersion() + "), Java binding "
                + bindingVersion() + ", JNI library: " + NativeLoader.loadedFrom());
    }
}
