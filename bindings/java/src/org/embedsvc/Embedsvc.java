// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * Version information of the library; {@code java -jar embedsvc.jar} prints it and where the
 * JNI library was loaded from, to check a set-up. The jar carries its JNI library (see the package
 * documentation); nothing needs to be installed beside it.
 */
public final class Embedsvc {
    private Embedsvc() {
    }

    /**
     * @return the version of the native library actually loaded, e.g. "0.1.0" (the same as
     *         {@link #bindingVersion()}: the loader refuses a JNI library of another version)
     */
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

    /**
     * @return the version of libembedsvc this jar was built with, also its Maven version
     *         ({@code org.embedsvc:embedsvc}) and its manifest's {@code Implementation-Version}
     */
    public static String bindingVersion() {
        return BuildConfig.VERSION;
    }

    /**
     * Loads the JNI library if it is not loaded yet, and says where from.
     *
     * @return the absolute path of the JNI library file this JVM loaded: the copy extracted from
     *         the jar into the cache, or the file named by {@code -Dorg.embedsvc.jni}, or the one
     *         found on {@code java.library.path}
     */
    public static String jniLibrary() {
        version();
        return NativeLoader.loadedFrom();
    }

    /** @return this JVM's platform as the jar names its JNI libraries, e.g. {@code linux-x86_64} */
    public static String platform() {
        return NativeLoader.platform();
    }

    /**
     * Prints the versions and the JNI library's location.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("libembedsvc " + version() + " (ABI " + abiVersion() + "), Java binding "
                + bindingVersion() + ", JNI library: " + jniLibrary());
    }
}
