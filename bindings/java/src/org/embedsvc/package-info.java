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
 *     System.out.println(result.eligible() + " " + result.totalFen());
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
 * the library's code, message, line, column and JSON path. Money is {@code long} fen, rates are
 * basis points; text crosses as UTF-8.
 *
 * <p>The JNI library {@code libembedsvc_jni.so} is loaded once, from next to
 * {@code embedsvc.jar}, from {@code java.library.path}, or from the file named by
 * {@code -Dorg.embedsvc.jni=}.
 */
package org.embedsvc;
