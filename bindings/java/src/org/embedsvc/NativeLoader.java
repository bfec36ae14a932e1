// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the JNI library {@code libembedsvc_jni.so} once, from the static block of the generated
 * JNI class. Places tried, in order:
 * <ol>
 * <li>the file named by the system property {@value #PROPERTY}, when set (and nothing else);</li>
 * <li>the directory of {@code embedsvc.jar} (the build tree, or an application that ships both
 * files together: the jar and the library it was built with);</li>
 * <li>{@code java.library.path} ({@link System#loadLibrary});</li>
 * <li>the directory meson installs it to ({@code <libdir>/jni}).</li>
 * </ol>
 * When none works the {@link UnsatisfiedLinkError} names every path tried and the first
 * loader error (such as a missing {@code libembedsvc.so.1}).
 */
final class NativeLoader {
    /** System property naming the JNI library file to load. */
    static final String PROPERTY = "org.embedsvc.jni";
    /** The JNI library's name for {@link System#loadLibrary}. */
    static final String NAME = "embedsvc_jni";

    private static volatile String loadedFrom;

    private NativeLoader() {
    }

    /** @return where the JNI library was loaded from, or null before it was */
    static String loadedFrom() {
        return loadedFrom;
    }

    static synchronized void load() {
        if (loadedFrom != null) {
            return;
        }
        String file = System.mapLibraryName(NAME);
        List<String> tried = new ArrayList<>();
        Throwable first = null;

        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            String path = new File(explicit).getAbsolutePath();
            try {
                System.load(path);
                loadedFrom = path;
                return;
            } catch (UnsatisfiedLinkError e) {
                throw failure(file, List.of(path + " (from -D" + PROPERTY + ")"), e);
            }
        }

        Path here = jarDirectory();
        if (here != null) {
            File candidate = here.resolve(file).toFile();
            tried.add(candidate.getPath());
            if (candidate.isFile()) {
                try {
                    System.load(candidate.getAbsolutePath());
                    loadedFrom = candidate.getAbsolutePath();
                    return;
                } catch (UnsatisfiedLinkError e) {
                    first = e;
                }
            }
        }

        tried.add("java.library.path=" + System.getProperty("java.library.path"));
        try {
            System.loadLibrary(NAME);
            loadedFrom = "java.library.path";
            for (String dir : System.getProperty("java.library.path", "").split(File.pathSeparator)) {
                if (!dir.isEmpty() && new File(dir, file).isFile()) {
                    loadedFrom = new File(dir, file).getAbsolutePath();
                    break;
                }
            }
            return;
        } catch (UnsatisfiedLinkError e) {
            if (first == null) {
                first = e;
            }
        }

        File installed = new File(BuildConfig.JNI_DIR, file);
        tried.add(installed.getPath());
        if (installed.isFile()) {
            try {
                System.load(installed.getAbsolutePath());
                loadedFrom = installed.getAbsolutePath();
                return;
            } catch (UnsatisfiedLinkError e) {
                first = e;
            }
        }
        throw failure(file, tried, first);
    }

    private static UnsatisfiedLinkError failure(String file, List<String> tried, Throwable cause) {
        StringBuilder sb = new StringBuilder();
        sb.append("org.embedsvc: cannot load the JNI library ").append(file).append(" (libembedsvc ")
                .append(BuildConfig.VERSION).append("). Tried:");
        for (String t : tried) {
            sb.append("\n  ").append(t);
        }
        if (cause != null) {
            sb.append("\nFirst error: ").append(cause.getMessage());
        }
        sb.append("\nBuild it with meson (-Djava=enabled), then put ").append(file)
                .append(" next to embedsvc.jar, or run java with -Djava.library.path=DIR or -D")
                .append(PROPERTY).append("=/path/to/").append(file).append('.');
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(sb.toString());
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The directory holding embedsvc.jar (or the classes directory), or null. */
    private static Path jarDirectory() {
        try {
            CodeSource cs = NativeLoader.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null || !"file".equals(cs.getLocation().getProtocol())) {
                return null;
            }
            Path p = Paths.get(cs.getLocation().toURI());
            return p.toFile().isDirectory() ? p : p.getParent();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
