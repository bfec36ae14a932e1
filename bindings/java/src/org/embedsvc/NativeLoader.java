// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Loads the JNI library {@code libembedsvc_jni.so} once, from the static block of the generated
 * JNI class. The library is linked statically with libembedsvc, so it is one file with no
 * dependency but the C library. Places tried, in order:
 * <ol>
 * <li>the system property {@value #PROPERTY}, when set (and nothing else): the path of the file
 * to load, or {@value #LOAD_LIBRARY} for {@link System#loadLibrary} from
 * {@code java.library.path} alone;</li>
 * <li>the copy inside the jar, the resource
 * {@code /org/embedsvc/native/<os>-<arch>/libembedsvc_jni.so}, read through the class loader (so
 * it works from a plain jar, a directory, or a jar nested in another jar). It is extracted once
 * per version into a private cache directory, {@code <cache>/<version>-<sha256>/}, where the
 * cache is the system property {@value #CACHE_PROPERTY} when set, else
 * {@code $XDG_CACHE_HOME/embedsvc} (or {@code ~/.cache/embedsvc}), else
 * {@code <java.io.tmpdir>/embedsvc-<user>}. Directories are made mode 0700 and must belong to
 * the user (a directory of another user is refused); the file is written to a temporary file,
 * checked against the SHA-256 recorded in the jar at build time and renamed into place
 * atomically, so JVMs extracting at once (or a crash half-way) never load a partial file; an
 * existing file is loaded only when its SHA-256 matches;</li>
 * <li>{@code java.library.path} ({@link System#loadLibrary}), for a platform the jar carries no
 * library for, or when no cache directory can be used.</li>
 * </ol>
 * The embedded copy comes before {@code java.library.path} so that an older
 * {@code libembedsvc_jni.so} on the JVM's default path cannot shadow the one the jar was built
 * with; a library loaded from elsewhere must report the jar's version. When nothing works the
 * {@link UnsatisfiedLinkError} lists every place tried and why it failed.
 */
final class NativeLoader {
    /** System property naming the JNI library file to load (or {@value #LOAD_LIBRARY}). */
    static final String PROPERTY = "org.embedsvc.jni";
    /** The value of {@value #PROPERTY} that means: {@link System#loadLibrary} only. */
    static final String LOAD_LIBRARY = "loadLibrary";
    /** System property naming the cache directory the embedded library is extracted into. */
    static final String CACHE_PROPERTY = "org.embedsvc.jni.cache";
    /** The JNI library's name for {@link System#loadLibrary}. */
    static final String NAME = "embedsvc_jni";
    /** Where the jar keeps its JNI libraries, one directory per platform. */
    static final String RESOURCE_DIR = "/org/embedsvc/native/";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_READ_EXEC = PosixFilePermissions.fromString("r-x------");
    /** A temporary file older than this is the leftover of a JVM that died while extracting. */
    private static final long STALE_TEMP_MILLIS = 10 * 60 * 1000L;

    private static volatile String loadedFrom;

    private NativeLoader() {
    }

    /** @return where the JNI library was loaded from, or null before it was */
    static String loadedFrom() {
        return loadedFrom;
    }

    /** @return this JVM's platform as the jar names it, e.g. {@code linux-x86_64} */
    static String platform() {
        return os(System.getProperty("os.name", "")) + "-" + arch(System.getProperty("os.arch", ""));
    }

    static String os(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return "darwin";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        return n.replaceAll("[^a-z0-9]", "");
    }

    static String arch(String name) {
        String a = name.toLowerCase(Locale.ROOT);
        switch (a) {
        case "amd64":
        case "x86_64":
        case "x64":
        case "em64t":
            return "x86_64";
        case "aarch64":
        case "arm64":
            return "aarch64";
        case "x86":
        case "i386":
        case "i486":
        case "i586":
        case "i686":
            return "x86";
        case "ppc64le":
        case "powerpc64le":
            return "ppc64le";
        default:
            if (a.startsWith("arm")) {
                return "arm";
            }
            return a.replaceAll("[^a-z0-9_]", "");
        }
    }

    static synchronized void load() {
        if (loadedFrom != null) {
            return;
        }
        String file = System.mapLibraryName(NAME);
        String platform = platform();
        List<String> tried = new ArrayList<>();

        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            if (explicit.equals(LOAD_LIBRARY)) {
                String why = loadLibrary(file);
                if (why == null) {
                    return;
                }
                throw failure(file, platform, List.of("-D" + PROPERTY + "=" + LOAD_LIBRARY + ": " + why), null);
            }
            String path = new File(explicit).getAbsolutePath();
            try {
                System.load(path);
            } catch (UnsatisfiedLinkError e) {
                throw failure(file, platform, List.of("-D" + PROPERTY + "=" + path + ": " + e.getMessage()), e);
            }
            loaded(path, "-D" + PROPERTY);
            return;
        }
        tried.add("-D" + PROPERTY + ": not set");

        String resource = RESOURCE_DIR + platform + "/" + file;
        Properties index = nativeIndex();
        String expected = index.getProperty(platform + ".sha256");
        if (expected == null || NativeLoader.class.getResource(resource) == null) {
            String carried = index.getProperty("platforms", "");
            tried.add("the jar's " + resource + ": not in this jar (it carries "
                    + (carried.isEmpty() ? "no JNI library" : carried) + ")");
        } else {
            for (Path base : cacheBases(tried)) {
                String why = extractAndLoad(resource, file, expected, base);
                if (why == null) {
                    return;
                }
                tried.add("the jar's " + resource + " extracted into " + base + ": " + why);
            }
        }

        String why = loadLibrary(file);
        if (why == null) {
            return;
        }
        tried.add("System.loadLibrary(\"" + NAME + "\"): " + why);
        throw failure(file, platform, tried, null);
    }

    /** Records a library loaded from outside the jar, after checking that it is the jar's version. */
    private static void loaded(String path, String how) {
        String version = Utf8.decode(EmbedsvcNativeJNI.embedsvc_version_string());
        if (!BuildConfig.VERSION.equals(version)) {
            throw new UnsatisfiedLinkError("org.embedsvc: " + path + " (from " + how + ") is libembedsvc " + version
                    + ", but this jar is " + BuildConfig.VERSION + ": use the JNI library built with the jar, "
                    + "or no -D" + PROPERTY + " (the jar carries its own)");
        }
        loadedFrom = path;
    }

    /** System.loadLibrary; returns null once loaded, else why not. */
    private static String loadLibrary(String file) {
        try {
            System.loadLibrary(NAME);
        } catch (UnsatisfiedLinkError e) {
            return e.getMessage();
        }
        String where = "java.library.path";
        for (String dir : System.getProperty("java.library.path", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, file).isFile()) {
                where = new File(dir, file).getAbsolutePath();
                break;
            }
        }
        loaded(where, "java.library.path");
        return null;
    }

    /** The jar's org/embedsvc/native/native.properties (platforms and SHA-256), or empty. */
    private static Properties nativeIndex() {
        Properties p = new Properties();
        try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE_DIR + "native.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable index is reported as "not in this jar"
        }
        return p;
    }

    /** The cache directories to try, in order; the reasons others are skipped go to tried. */
    private static List<Path> cacheBases(List<String> tried) {
        List<Path> bases = new ArrayList<>();
        String explicit = System.getProperty(CACHE_PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            bases.add(Paths.get(explicit).toAbsolutePath());
            return bases;
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        if (xdg != null && Paths.get(xdg).isAbsolute()) {
            bases.add(Paths.get(xdg, "embedsvc"));
        } else if (home != null && !home.isEmpty() && !home.equals("?") && Files.isDirectory(Paths.get(home))) {
            bases.add(Paths.get(home, ".cache", "embedsvc"));
        }
        String tmp = System.getProperty("java.io.tmpdir");
        if (tmp != null && !tmp.isEmpty()) {
            String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
            bases.add(Paths.get(tmp, "embedsvc-" + user).toAbsolutePath());
        } else {
            tried.add("java.io.tmpdir: not set");
        }
        return bases;
    }

    /**
     * Extracts the embedded library into base/VERSION-SHA256/ unless a good copy is there, and
     * loads it.
     *
     * @return null once loaded, else why it failed
     */
    private static String extractAndLoad(String resource, String file, String expected, Path base) {
        Path dir = base.resolve(BuildConfig.VERSION + "-" + expected);
        Path target = dir.resolve(file);
        try {
            if (System.getProperty(CACHE_PROPERTY, "").isEmpty()) {
                privateDirectory(base);
            } else {
                // the user's own directory: made if missing, never changed; the version directory
                // inside is private
                Files.createDirectories(base);
            }
            privateDirectory(dir);
            if (!matches(target, expected)) {
                extract(resource, file, expected, dir, target);
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
        String path = target.toAbsolutePath().toString();
        try {
            System.load(path);
        } catch (UnsatisfiedLinkError e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("already loaded in another classloader")) {
                // a second class loader in this JVM (an application redeployed in a container):
                // a JVM loads a file once per class loader, so this one loads its own copy
                return loadPrivateCopy(target, file, expected, dir);
            }
            return m + (m.contains("failed to map segment") ? " (is it mounted noexec? set -D" + CACHE_PROPERTY
                    + "=DIR)" : "");
        }
        loadedFrom = path;
        return null;
    }

    /**
     * Loads a copy of target made for this class loader alone, deleted as soon as it is loaded
     * (the mapping stays): a JVM refuses to load one file from two class loaders.
     *
     * @return null once loaded, else why it failed
     */
    private static String loadPrivateCopy(Path target, String file, String expected, Path dir) {
        Path copy = null;
        try {
            copy = Files.createTempFile(dir, file + ".", ".loader.so");
            Files.copy(target, copy, StandardCopyOption.REPLACE_EXISTING);
            if (!matches(copy, expected)) {
                return copy + " does not hold the library just copied";
            }
            String path = copy.toAbsolutePath().toString();
            System.load(path);
            loadedFrom = path + " (a copy for this class loader, deleted once loaded)";
            return null;
        } catch (IOException | UnsatisfiedLinkError e) {
            return "a copy for this class loader: " + e.getMessage();
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    // removed with the cache; nothing depends on it once loaded
                }
            }
        }
    }

    /** Writes the resource to a temporary file in dir, checks its SHA-256, renames it to target. */
    private static void extract(String resource, String file, String expected, Path dir, Path target)
            throws IOException {
        removeStaleTemporaries(dir, file);
        // createTempFile makes the file 0600 on POSIX file systems, with a name no one else can guess.
        Path tmp = Files.createTempFile(dir, file + ".", ".tmp");
        try {
            MessageDigest sha = sha256();
            try (InputStream in = NativeLoader.class.getResourceAsStream(resource);
                    OutputStream out = Files.newOutputStream(tmp)) {
                if (in == null) {
                    throw new IOException("the class loader gave no stream for " + resource);
                }
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0;) {
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            String actual = hex(sha.digest());
            if (!actual.equals(expected)) {
                throw new IOException("the jar's " + resource + " has SHA-256 " + actual + ", not the " + expected
                        + " recorded when the jar was built: the jar is damaged");
            }
            posix(tmp, OWNER_READ_EXEC);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename atomically in " + dir, e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (!matches(target, expected)) {
            throw new IOException(target + " does not hold the library just written (changed by another process?)");
        }
    }

    /** Deletes temporary files of JVMs that died while extracting (they are never renamed). */
    private static void removeStaleTemporaries(Path dir, String file) {
        long old = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, file + ".*.tmp")) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                if (t.toMillis() < old) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | SecurityException e) {
            // only housekeeping
        }
    }

    /** True when file is a regular file (not a link) whose SHA-256 is expected. */
    private static boolean matches(Path file, String expected) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0;) {
                sha.update(buf, 0, n);
            }
        }
        return hex(sha.digest()).equals(expected);
    }

    /**
     * Makes dir (mode 0700) or checks the one there: a real directory (not a symbolic link)
     * owned by this user; its mode is tightened to 0700.
     */
    private static void privateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                if (isPosix(dir.getParent())) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made at the same moment by another JVM: checked below like any existing one
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory (or is a symbolic link)");
        }
        if (!isPosix(dir)) {
            return;
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!owner.equals(me)) {
            throw new IOException(dir + " belongs to " + owner.getName() + ", not to " + me.getName());
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }

    private static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void posix(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (isPosix(p)) {
            Files.setPosixFilePermissions(p, EnumSet.copyOf(perms));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static UnsatisfiedLinkError failure(String file, String platform, List<String> tried, Throwable cause) {
        StringBuilder sb = new StringBuilder();
        sb.append("org.embedsvc: cannot load the JNI library ").append(file).append(" for ").append(platform)
                .append(" (embedsvc ").append(BuildConfig.VERSION).append("). Tried:");
        int i = 1;
        for (String t : tried) {
            sb.append("\n  ").append(i++).append(". ").append(t);
        }
        sb.append("\nOn another platform, build libembedsvc there with meson -Djava=enabled and use the embedsvc.jar"
                + " it makes, or run java with -D").append(PROPERTY).append("=/path/to/").append(file).append('.');
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(sb.toString());
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
