// SPDX-License-Identifier: MIT
/**
 * Java binding of libembedsvc: whether a Beijing community embedded service facility project
 * (社区嵌入式服务设施项目) may apply for municipal funding and how much subsidy it gets, to the fen,
 * with every reason cited to the policy text.
 *
 * <pre>{@code
 * try (Policy policy = Policy.defaultPolicy();
 *      Project project = Project.load(Path.of("application.json"));
 *      Result result = policy.evaluate(project)) {
 *     System.out.println(result.isEligible() + " " + result.getTotalFen());
 *     for (Finding f : result.findings())
 *         System.out.println(f.severity() + " " + f.code() + ": " + f.messageZh());
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A {@link org.embedsvc.Policy} is immutable and shared by all threads.
 * {@link org.embedsvc.Project}, {@link org.embedsvc.Result}, {@link org.embedsvc.Classification}
 * and {@link org.embedsvc.Batch} are used by one thread at a time (one of each per worker
 * thread, reused across requests).
 *
 * <p><b>Memory.</b> Every class holding native memory is {@link java.lang.AutoCloseable}; close
 * it, best with try-with-resources. Using a closed object throws
 * {@link java.lang.IllegalStateException}. An object that is never closed is freed by a
 * {@link java.lang.ref.Cleaner} once unreachable (a safety net; there are no finalizers).
 *
 * <p><b>Errors.</b> Bad input throws the unchecked {@link org.embedsvc.EmbedsvcException} with
 * the library's {@link org.embedsvc.Status}, code, message, line, column and JSON path; what is
 * thrown is one of its subclasses {@link org.embedsvc.EmbedsvcParseException},
 * {@link org.embedsvc.EmbedsvcPolicyException}, {@link org.embedsvc.EmbedsvcLimitException} and
 * {@link org.embedsvc.EmbedsvcStateException}. Money is {@code long} fen, rates are basis points;
 * text crosses as UTF-8.
 *
 * <p><b>Reforms.</b> {@link org.embedsvc.Policy#derive(java.util.Map)} changes a few values of a
 * policy; {@link org.embedsvc.Comparison} evaluates one portfolio under several policies.
 *
 * <p><b>The JNI library.</b> {@code embedsvc.jar} carries {@code libembedsvc_jni.so}, linked
 * statically with libembedsvc, as the resource
 * {@code org/embedsvc/native/<os>-<arch>/libembedsvc_jni.so}; on first use it is extracted into a
 * private cache, checked by SHA-256 and loaded, so the jar works copied anywhere or nested in
 * another jar. {@code -Dorg.embedsvc.jni=PATH} loads a given file instead,
 * {@code -Dorg.embedsvc.jni=loadLibrary} uses {@code java.library.path}, and
 * {@code -Dorg.embedsvc.jni.cache=DIR} names the cache; {@link org.embedsvc.Embedsvc#jniLibrary()}
 * says which file was loaded.
 */
package org.embedsvc;
