// SPDX-License-Identifier: MIT
//
// The nested-jar case of bindings/java/tests/org/embedsvc/tests/LoaderTest.java, as a fat jar
// (Spring Boot and the like) runs a library: embedsvc.jar is an entry, lib/embedsvc.jar, of this
// program's own jar, and its classes are defined by a class loader that keeps that inner jar in
// memory. There is no file and no file: URL for embedsvc.jar, and its classes have no code
// source: the JNI library can only come from the class loader's resource stream.
//
//   java -cp outer.jar NestedJarMain PROJECT.json [--twice]
// prints the result JSON, the class loader and code source location of org.embedsvc.Policy, and the file
// the JNI library was loaded from; --twice does it again with a second class loader in the same JVM.
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

public final class NestedJarMain {
    private NestedJarMain() {
    }

    /** Defines classes and serves resources from a jar held in memory. */
    static final class InnerJarLoader extends ClassLoader {
        private final Map<String, byte[]> entries = new HashMap<>();
        private final URLStreamHandler handler = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) throws IOException {
                byte[] data = entries.get(u.getPath().substring(1));
                if (data == null) {
                    throw new IOException("no entry " + u);
                }
                return new URLConnection(u) {
                    @Override
                    public void connect() {
                    }

                    @Override
                    public InputStream getInputStream() {
                        return new ByteArrayInputStream(data);
                    }
                };
            }
        };

        InnerJarLoader(byte[] jar, ClassLoader parent) throws IOException {
            super("inner-jar", parent);
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    if (!e.isDirectory()) {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        in.transferTo(b);
                        entries.put(e.getName(), b.toByteArray());
                    }
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = entries.get(name.replace('.', '/') + ".class");
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        protected URL findResource(String name) {
            if (!entries.containsKey(name)) {
                return null;
            }
            try {
                return new URL("inner-jar", "", -1, "/" + name, handler);
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        byte[] inner;
        try (InputStream in = NestedJarMain.class.getResourceAsStream("/lib/embedsvc.jar")) {
            if (in == null) {
                throw new IllegalStateException("lib/embedsvc.jar is not in this program's jar");
            }
            inner = in.readAllBytes();
        }
        // with --twice, a second loader in the same JVM (an application redeployed in a container)
        int loaders = args.length > 1 && args[1].equals("--twice") ? 2 : 1;
        for (int i = 0; i < loaders; i++) {
            ClassLoader loader = new InnerJarLoader(inner, ClassLoader.getPlatformClassLoader());
            Class<?> policyClass = Class.forName("org.embedsvc.Policy", true, loader);
            Class<?> projectClass = Class.forName("org.embedsvc.Project", true, loader);
            Object policy = policyClass.getMethod("defaultPolicy").invoke(null);
            Object project = projectClass.getMethod("load", Path.class).invoke(null, Paths.get(args[0]));
            Object result = policyClass.getMethod("evaluate", projectClass).invoke(policy, project);
            Method toJson = result.getClass().getMethod("toJson");
            System.out.println(toJson.invoke(result));
            System.out.println("loader=" + policyClass.getClassLoader().getName());
            java.security.CodeSource cs = policyClass.getProtectionDomain().getCodeSource();
            System.out.println("codeSourceLocation=" + (cs == null ? null : cs.getLocation()));
            System.out.println("jni=" + Class.forName("org.embedsvc.Embedsvc", true, loader).getMethod("jniLibrary").invoke(null));
        }
    }
}
