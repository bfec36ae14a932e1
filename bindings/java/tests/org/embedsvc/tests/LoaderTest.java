// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.embedsvc.Embedsvc;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained jar: its JNI library is a resource, extracted into a private cache and
 * loaded from a jar copied anywhere or nested in another jar. Each case runs a fresh JVM, as a
 * user would, without LD_LIBRARY_PATH.
 */
class LoaderTest {
    private static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    private static final String JAVAC = Paths.get(System.getProperty("java.home"), "bin", "javac").toString();
    private static final String JAR_TOOL = Paths.get(System.getProperty("java.home"), "bin", "jar").toString();
    private static final String LIB = "libembedsvc_jni.so";

    private static final class Output {
        final int status;
        final String out;
        final String err;

        Output(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs a command in dir with the user's environment minus anything that would find the library. */
    private static Output run(Path dir, Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        for (String v : List.of("LD_LIBRARY_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
                "XDG_CACHE_HOME", "CLASSPATH")) {
            e.remove(v);
        }
        e.putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = p.waitFor();
        Output o = new Output(status, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return o;
    }

    private static Path jar() {
        return Paths.get(System.getProperty("embedsvc.jar"));
    }

    private static String platform() {
        return Embedsvc.platform();
    }

    /** The SHA-256 the jar records for this platform's library. */
    private static String recordedSha256() throws IOException {
        try (JarFile jf = new JarFile(jar().toFile())) {
            Properties p = new Properties();
            try (InputStream in = jf.getInputStream(jf.getEntry("org/embedsvc/native/native.properties"))) {
                p.load(in);
            }
            return p.getProperty(platform() + ".sha256");
        }
    }

    private static String sha256(Path file) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    /** The directory the library of this jar is extracted into under a cache base. */
    private static Path versionDir(Path base) throws IOException {
        return base.resolve(Embedsvc.bindingVersion() + "-" + recordedSha256());
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** The "JNI library: PATH" that java -cp JAR org.embedsvc.Embedsvc prints. */
    private static String loadedFrom(Output o) {
        assertEquals(0, o.status, o.toString());
        String marker = "JNI library: ";
        int i = o.out.indexOf(marker);
        assertTrue(i >= 0, o.toString());
        return o.out.substring(i + marker.length()).strip();
    }

    @Test
    void theJarCarriesItsLibraryAndAManifest() throws Exception {
        try (JarFile jf = new JarFile(jar().toFile())) {
            assertNotNull(jf.getEntry("org/embedsvc/native/" + platform() + "/" + LIB), platform());
            Attributes a = jf.getManifest().getMainAttributes();
            assertEquals("org.embedsvc", a.getValue("Automatic-Module-Name"));
            assertEquals("embedsvc", a.getValue("Implementation-Title"));
            assertEquals(Embedsvc.bindingVersion(), a.getValue("Implementation-Version"));
            assertEquals("org.embedsvc.Embedsvc", a.getValue("Main-Class"));
            assertNotNull(jf.getEntry("META-INF/maven/org.embedsvc/embedsvc/pom.xml"));
            // the recorded hash is the hash of the entry
            Path copy = Files.createTempFile("embedsvc-jni", ".so");
            try (InputStream in = jf.getInputStream(jf.getEntry("org/embedsvc/native/" + platform() + "/" + LIB))) {
                Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertEquals(recordedSha256(), sha256(copy));
            Files.delete(copy);
        }
        assertEquals(Embedsvc.bindingVersion(), Embedsvc.version());
        // this JVM (the test suite's) loaded it from the jar, into the cache of the build directory
        assertTrue(Embedsvc.jniLibrary().endsWith("/" + Embedsvc.bindingVersion() + "-" + recordedSha256() + "/" + LIB),
                Embedsvc.jniLibrary());
    }

    /** Must show: the jar copied alone into an empty directory runs a case review, no LD_LIBRARY_PATH, no -D. */
    @Test
    void aJarCopiedAloneRunsACaseReview(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectory(dir.resolve("app"));
        Files.copy(jar(), work.resolve("embedsvc.jar"));
        Files.copy(Paths.get(System.getProperty("embedsvc.example.source")), work.resolve("CaseReview.java"));
        Path project = Paths.get(System.getProperty("embedsvc.examples")).resolve("capped-large-complex.json");
        Files.copy(project, work.resolve("project.json"));
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(Set.of("embedsvc.jar", "CaseReview.java", "project.json"),
                    s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        Output c = run(work, Map.of(), JAVAC, "-encoding", "UTF-8", "-cp", "embedsvc.jar", "CaseReview.java");
        assertEquals(0, c.status, c.toString());

        // the cache stays inside the test's directory; still no -D and no library path
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        Output o = run(work, env, JAVA, "-cp", "embedsvc.jar:.", "CaseReview", "project.json");
        long total;
        try (Policy policy = Policy.defaultPolicy(); Project p = Project.load(project); Result r = policy.evaluate(p)) {
            total = r.totalFen();
            assertEquals(r.eligible() ? 0 : 1, o.status, o.toString());
            assertTrue(o.out.contains("项目 " + r.projectId()), o.toString());
        }
        assertTrue(o.out.contains("补助合计: " + BigDecimal.valueOf(total, 2).toPlainString() + " 元"), o.toString());
        assertEquals("", o.err);

        String lib = loadedFrom(run(work, env, JAVA, "-cp", "embedsvc.jar", "org.embedsvc.Embedsvc"));
        Path vdir = versionDir(dir.resolve("cache").resolve("embedsvc"));
        assertEquals(vdir.resolve(LIB).toString(), lib);
        assertEquals("rwx------", perms(vdir));
        assertEquals("rwx------", perms(vdir.getParent()));
        assertEquals("r-x------", perms(vdir.resolve(LIB)));
        assertEquals(recordedSha256(), sha256(vdir.resolve(LIB)));
        try (Stream<Path> s = Files.list(vdir)) {
            assertEquals(List.of(LIB), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                    "no temporary file is left");
        }
    }

    /** embedsvc.jar as an entry of another jar, its classes defined by an in-memory class loader. */
    @Test
    void aJarNestedInAnotherJarLoadsThroughItsClassLoader(@TempDir Path dir) throws Exception {
        Path build = Files.createDirectory(dir.resolve("build"));
        Path src = Paths.get(System.getProperty("embedsvc.loader.sources")).resolve("NestedJarMain.java");
        Output c = run(dir, Map.of(), JAVAC, "-encoding", "UTF-8", "-d", build.toString(), src.toString());
        assertEquals(0, c.status, c.toString());
        Files.createDirectory(build.resolve("lib"));
        Files.copy(jar(), build.resolve("lib").resolve("embedsvc.jar"));
        Path outer = dir.resolve("outer.jar");
        c = run(dir, Map.of(), JAR_TOOL, "--create", "--file", outer.toString(), "-C", build.toString(), ".");
        assertEquals(0, c.status, c.toString());

        Path project = Paths.get(System.getProperty("embedsvc.examples")).resolve("renovated-complex.json");
        Output o = run(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()), JAVA, "-cp", outer.toString(),
                "NestedJarMain", project.toString());
        assertEquals(0, o.status, o.toString());
        List<String> lines = o.out.lines().collect(Collectors.toList());
        try (Policy policy = Policy.defaultPolicy(); Project p = Project.load(project); Result r = policy.evaluate(p)) {
            assertEquals(r.toJson(), lines.get(0));
        }
        assertEquals("loader=inner-jar", lines.get(1));
        assertEquals("codeSourceLocation=null", lines.get(2));
        Path vdir = versionDir(dir.resolve("cache").resolve("embedsvc"));
        assertEquals("jni=" + vdir.resolve(LIB), lines.get(3));

        // a second class loader in the same JVM (a redeployed web application) loads its own copy
        o = run(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()), JAVA, "-cp", outer.toString(),
                "NestedJarMain", project.toString(), "--twice");
        assertEquals(0, o.status, o.toString());
        lines = o.out.lines().collect(Collectors.toList());
        assertEquals(8, lines.size(), o.toString());
        assertEquals(lines.get(0), lines.get(4));
        assertEquals("jni=" + vdir.resolve(LIB), lines.get(3));
        assertTrue(lines.get(7).startsWith("jni=" + vdir.resolve(LIB + ".")), lines.get(7));
        assertTrue(lines.get(7).endsWith(".loader.so (a copy for this class loader, deleted once loaded)"), lines.get(7));
        try (Stream<Path> s = Files.list(vdir)) {
            assertEquals(List.of(LIB), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                    "the copy is deleted once loaded");
        }
    }

    /** JVMs extracting into the same empty cache at once all load one complete file. */
    @Test
    void jvmsExtractingAtOnceAllLoadTheSameFile(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        List<Process> ps = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path out = dir.resolve("out" + i);
            ProcessBuilder pb = new ProcessBuilder(JAVA, "-cp", jar().toString(), "org.embedsvc.Embedsvc")
                    .redirectOutput(out.toFile()).redirectErrorStream(true);
            pb.environment().remove("LD_LIBRARY_PATH");
            pb.environment().putAll(env);
            ps.add(pb.start());
            outs.add(out);
        }
        Set<String> loaded = new HashSet<>();
        for (int i = 0; i < ps.size(); i++) {
            int status = ps.get(i).waitFor();
            String out = Files.readString(outs.get(i));
            loaded.add(loadedFrom(new Output(status, out, "")));
        }
        Path vdir = versionDir(dir.resolve("cache").resolve("embedsvc"));
        assertEquals(Set.of(vdir.resolve(LIB).toString()), loaded);
        assertEquals(recordedSha256(), sha256(vdir.resolve(LIB)));
        try (Stream<Path> s = Files.list(vdir)) {
            assertEquals(List.of(LIB), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    /** A damaged copy in the cache is replaced; a temporary file a dead JVM left is removed. */
    @Test
    void aDamagedCopyIsReplacedAndLooseModesTightened(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("cache").resolve("embedsvc");
        Path vdir = versionDir(base);
        Files.createDirectories(vdir);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.write(vdir.resolve(LIB), "not a library".getBytes(StandardCharsets.US_ASCII));
        Path stale = vdir.resolve(LIB + ".12345.tmp");
        Files.write(stale, new byte[10]);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L));
        Path fresh = vdir.resolve(LIB + ".67890.tmp");
        Files.write(fresh, new byte[10]); // another JVM may be writing it now: left alone

        String lib = loadedFrom(run(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()), JAVA, "-cp",
                jar().toString(), "org.embedsvc.Embedsvc"));
        assertEquals(vdir.resolve(LIB).toString(), lib);
        assertEquals(recordedSha256(), sha256(vdir.resolve(LIB)));
        assertEquals("rwx------", perms(base));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh));
    }

    /** Without a usable cache directory under the home, the private directory in java.io.tmpdir is used. */
    @Test
    void withoutAHomeTheTemporaryDirectoryIsUsed(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        String lib = loadedFrom(run(dir, Map.of(), JAVA, "-Duser.home=" + dir.resolve("no-such-home"),
                "-Djava.io.tmpdir=" + tmp, "-cp", jar().toString(), "org.embedsvc.Embedsvc"));
        Path base = tmp.resolve("embedsvc-" + System.getProperty("user.name"));
        assertEquals(versionDir(base).resolve(LIB).toString(), lib);
        assertEquals("rwx------", perms(base));
    }

    /** A cache directory that belongs to another user is refused (this needs root to set up). */
    @Test
    void aDirectoryOfAnotherUserIsRefused(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a directory away");
        Path base = Files.createDirectories(dir.resolve("cache").resolve("embedsvc"));
        UserPrincipal nobody = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(base, nobody);
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        String lib = loadedFrom(run(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()), JAVA,
                "-Djava.io.tmpdir=" + tmp, "-cp", jar().toString(), "org.embedsvc.Embedsvc"));
        assertEquals(versionDir(tmp.resolve("embedsvc-root")).resolve(LIB).toString(), lib);
        try (Stream<Path> s = Files.list(base)) {
            assertEquals(0, s.count(), "nothing written into the other user's directory");
        }

        // with the temporary one taken too, the error says why each was refused
        Path taken = Files.createDirectory(dir.resolve("tmp2")).resolve("embedsvc-root");
        Files.createDirectory(taken);
        Files.setOwner(taken, nobody);
        Output o = run(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()), JAVA,
                "-Djava.io.tmpdir=" + taken.getParent(), "-Djava.library.path=" + dir, "-cp", jar().toString(),
                "org.embedsvc.Embedsvc");
        assertNotEquals(0, o.status);
        assertTrue(o.err.contains("  2. the jar's /org/embedsvc/native/" + platform() + "/" + LIB + " extracted into "
                + base + ": " + base + " belongs to nobody, not to root"), o.toString());
        assertTrue(o.err.contains("  3. the jar's /org/embedsvc/native/" + platform() + "/" + LIB + " extracted into "
                + taken + ": " + taken + " belongs to nobody, not to root"), o.toString());
        assertTrue(o.err.contains("  4. System.loadLibrary"), o.toString());
    }

    /** An explicit cache directory is used as given. */
    @Test
    void theCacheDirectoryCanBeNamed(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("my cache");
        String lib = loadedFrom(run(dir, Map.of(), JAVA, "-Dorg.embedsvc.jni.cache=" + cache, "-cp", jar().toString(),
                "org.embedsvc.Embedsvc"));
        assertEquals(versionDir(cache).resolve(LIB).toString(), lib);
    }

    /** A platform the jar has no library for: one message listing every place tried. */
    @Test
    void aMissingPlatformListsWhatWasTried(@TempDir Path dir) throws Exception {
        Output o = run(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()), JAVA, "-Dos.arch=riscv64",
                "-Djava.library.path=" + dir, "-cp", jar().toString(), "org.embedsvc.Embedsvc");
        assertNotEquals(0, o.status);
        String os = platform().substring(0, platform().indexOf('-'));
        assertTrue(o.err.contains("java.lang.UnsatisfiedLinkError: org.embedsvc: cannot load the JNI library " + LIB
                + " for " + os + "-riscv64 (embedsvc " + Embedsvc.bindingVersion() + "). Tried:"), o.toString());
        assertTrue(o.err.contains("  1. -Dorg.embedsvc.jni: not set"), o.toString());
        assertTrue(o.err.contains("  2. the jar's /org/embedsvc/native/" + os + "-riscv64/" + LIB
                + ": not in this jar (it carries " + platform() + ")"), o.toString());
        assertTrue(o.err.contains("  3. System.loadLibrary(\"embedsvc_jni\"): no embedsvc_jni in java.library.path: "
                + dir), o.toString());
        assertTrue(o.err.contains("-Dorg.embedsvc.jni=/path/to/" + LIB), o.toString());
        assertFalse(Files.exists(dir.resolve("cache")), "nothing extracted");
    }

    /** -Dorg.embedsvc.jni=PATH loads that file and nothing else; =loadLibrary uses java.library.path. */
    @Test
    void theOverridesStay(@TempDir Path dir) throws Exception {
        Path built = Paths.get(System.getProperty("embedsvc.jni"));
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        assertEquals(built.toString(), loadedFrom(run(dir, env, JAVA, "-Dorg.embedsvc.jni=" + built, "-cp",
                jar().toString(), "org.embedsvc.Embedsvc")));

        Path missing = dir.resolve("nowhere").resolve(LIB);
        Output o = run(dir, env, JAVA, "-Dorg.embedsvc.jni=" + missing, "-cp", jar().toString(), "org.embedsvc.Embedsvc");
        assertNotEquals(0, o.status);
        assertTrue(o.err.contains("cannot load the JNI library " + LIB), o.toString());
        assertTrue(o.err.contains("1. -Dorg.embedsvc.jni=" + missing + ": "), o.toString());

        assertEquals(built.toString(), loadedFrom(run(dir, env, JAVA, "-Dorg.embedsvc.jni=loadLibrary",
                "-Djava.library.path=" + built.getParent(), "-cp", jar().toString(), "org.embedsvc.Embedsvc")));
        o = run(dir, env, JAVA, "-Dorg.embedsvc.jni=loadLibrary", "-Djava.library.path=" + dir, "-cp", jar().toString(),
                "org.embedsvc.Embedsvc");
        assertNotEquals(0, o.status);
        assertTrue(o.err.contains("1. -Dorg.embedsvc.jni=loadLibrary: no embedsvc_jni in java.library.path"),
                o.toString());
        assertFalse(Files.exists(dir.resolve("cache")), "the overrides extract nothing");
    }
}
