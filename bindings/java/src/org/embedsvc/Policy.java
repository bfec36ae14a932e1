// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * A funding policy: the rules, rates and vocabulary a project is evaluated under (reference §8).
 *
 * <p><b>Thread safety:</b> a policy is immutable. One instance may be shared by any number of
 * threads at once, typically for the life of the application; each thread evaluates with its
 * own {@link Project} and {@link Result}.
 *
 * <p><b>Lifetime:</b> close it when done (it is {@link AutoCloseable}). A {@link Result},
 * {@link Classification} or {@link Batch} made with the policy keeps its native memory alive
 * until it is itself closed or evaluated under another policy, so closing the policy early is
 * safe: the policy can no longer be used (it throws {@link IllegalStateException}), but such
 * objects can still be read.
 */
public final class Policy implements AutoCloseable {
    final State state;
    private final Cleaner.Cleanable cleanable;

    private Policy(long ptr) {
        state = new State(ptr);
        cleanable = Native.CLEANER.register(this, state);
    }

    /**
     * The native policy, freed when its owner (the Policy object) and every object that leases
     * it have let it go. Also the Cleaner action, which drops the owner's reference.
     */
    static final class State implements Runnable {
        private final long ptr;
        private final AtomicInteger refs = new AtomicInteger(1);
        private volatile boolean closed;

        State(long ptr) {
            this.ptr = ptr;
        }

        /** The handle; only valid while a reference is held. */
        long ptr() {
            return ptr;
        }

        boolean isClosed() {
            return closed;
        }

        /** Takes a reference unless the policy is closed. */
        boolean retain() {
            for (;;) {
                if (closed) {
                    return false;
                }
                int r = refs.get();
                if (r == 0) {
                    return false;
                }
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                EmbedsvcNative.embedsvc_policy_free(ptr);
            }
        }

        @Override
        public void run() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release();
        }
    }

    /**
     * Creates the compiled-in default policy, {@code beijing-2024-trial}
     * (北京市社区嵌入式服务设施项目建设运营管理办法（试行）).
     *
     * @return a new policy; close it
     */
    public static Policy defaultPolicy() {
        return new Policy(EmbedsvcNative.embedsvc_java_policy_default());
    }

    /**
     * Loads an {@code embedsvc.policy/1} document and checks it.
     *
     * @param utf8 the JSON text, UTF-8
     * @return a new policy; close it
     * @throws EmbedsvcException a {@code parse.*} code with line, column and path, or
     *         {@code policy.invalid} with the path of the inconsistency
     */
    public static Policy fromJson(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        return new Policy(EmbedsvcNative.embedsvc_java_policy_load_buffer(utf8));
    }

    /**
     * Loads an {@code embedsvc.policy/1} document given as text; see {@link #fromJson(byte[])}.
     *
     * @param json the JSON text
     * @return a new policy; close it
     */
    public static Policy fromJson(String json) {
        return fromJson(Utf8.encode(json));
    }

    /**
     * Loads a policy file; see {@link #fromJson(byte[])}.
     *
     * @param file the file
     * @return a new policy; close it
     * @throws IOException when the file cannot be read
     */
    public static Policy load(Path file) throws IOException {
        return fromJson(Files.readAllBytes(file));
    }

    /** @return the JSON text of the compiled-in default policy */
    public static String defaultPolicyJson() {
        return Utf8.decode(EmbedsvcNative.embedsvc_java_policy_default_json());
    }

    static IllegalStateException closedException() {
        return Native.closed("Policy");
    }

    /** Runs f with the handle, holding a reference so a concurrent close cannot free it. */
    private <T> T with(LongFunction<T> f) {
        if (!state.retain()) {
            throw closedException();
        }
        try {
            return f.apply(state.ptr());
        } finally {
            state.release();
        }
    }

    /**
     * Evaluates a project into a new result; the same as
     * {@code new Result().evaluate(this, project)}. To evaluate many projects, reuse one
     * {@link Result} per thread instead.
     *
     * @param project the project
     * @return a new result; close it
     */
    public Result evaluate(Project project) {
        Result r = new Result();
        try {
            return r.evaluate(this, project);
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
    }

    /**
     * Classifies free text (a facility or service name) into a new classification; the same as
     * {@code new Classification().classify(this, text)}.
     *
     * @param text the text
     * @return a new classification; close it
     */
    public Classification classify(String text) {
        Classification c = new Classification();
        try {
            return c.classify(this, text);
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private String text(String field) {
        return with(p -> EmbedsvcNative.embedsvc_policy_text(p, field));
    }

    /** @return the policy's id, e.g. {@code beijing-2024-trial} */
    public String id() {
        return text("id");
    }

    /** @return the policy's version */
    public String version() {
        return text("version");
    }

    /** @return the Chinese title, or null */
    public String titleZh() {
        return text("title_zh");
    }

    /** @return the English title, or null */
    public String titleEn() {
        return text("title_en");
    }

    /** @return the first day in force (YYYY-MM-DD), or null */
    public String effectiveFrom() {
        return text("effective_from");
    }

    /** @return the last day in force (YYYY-MM-DD), or null */
    public String effectiveTo() {
        return text("effective_to");
    }

    /** @return the policy as canonical {@code embedsvc.policy/1} JSON, which loads back to an equal policy */
    public String toJson() {
        return with(p -> Utf8.decode(EmbedsvcNative.embedsvc_java_policy_to_json(p)));
    }

    /**
     * Reads a numeric rule.
     *
     * @param rule the rule
     * @return its value, or empty when it is null in the policy (e.g. no cap)
     */
    public OptionalLong rule(Rule rule) {
        Objects.requireNonNull(rule, "rule");
        return with(p -> {
            long[] v = new long[1];
            return Native.check(EmbedsvcNative.embedsvc_policy_rule(p, rule.value, v)) == 1 ? OptionalLong.of(v[0])
                    : OptionalLong.empty();
        });
    }

    /** @return the number of scenarios */
    public int scenarioCount() {
        return with(p -> (int) EmbedsvcNative.embedsvc_policy_scenario_count(p));
    }

    /**
     * Finds a scenario by code or exact Chinese name.
     *
     * @param text e.g. {@code elderly_care} or 养老服务
     * @return its index, or -1
     */
    public int scenarioIndex(String text) {
        byte[] b = Utf8.encode(text);
        return with(p -> EmbedsvcNative.embedsvc_policy_scenario_find(p, b));
    }

    private void checkScenario(long p, int index) {
        long n = EmbedsvcNative.embedsvc_policy_scenario_count(p);
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("scenario " + index + " of " + n);
        }
    }

    private String scenarioName(int index, int which) {
        return with(p -> {
            checkScenario(p, index);
            return EmbedsvcNative.embedsvc_policy_scenario_name(p, index, which);
        });
    }

    /**
     * @param index a scenario index
     * @return its code, e.g. {@code elderly_care}
     */
    public String scenarioCode(int index) {
        return scenarioName(index, EmbedsvcNativeConstants.EMBEDSVC_NAME_CODE);
    }

    /**
     * @param index a scenario index
     * @return its Chinese name, e.g. 养老服务
     */
    public String scenarioNameZh(int index) {
        return scenarioName(index, EmbedsvcNativeConstants.EMBEDSVC_NAME_ZH);
    }

    /**
     * @param index a scenario index
     * @return its English name
     */
    public String scenarioNameEn(int index) {
        return scenarioName(index, EmbedsvcNativeConstants.EMBEDSVC_NAME_EN);
    }

    private int scenarioFlags(int index) {
        return with(p -> {
            checkScenario(p, index);
            return EmbedsvcNative.embedsvc_policy_scenario_flags(p, index);
        });
    }

    /**
     * @param index a scenario index
     * @return true when the scenario is core (核心)
     */
    public boolean isCore(int index) {
        return (scenarioFlags(index) & EmbedsvcNativeConstants.EMBEDSVC_SCENARIO_CORE) != 0;
    }

    /**
     * @param index a scenario index
     * @return true when the scenario is preferred (优先)
     */
    public boolean isPreferred(int index) {
        return (scenarioFlags(index) & EmbedsvcNativeConstants.EMBEDSVC_SCENARIO_PREFERRED) != 0;
    }

    /**
     * @param index a scenario index
     * @param cls a service class
     * @return true when the scenario allows the class
     */
    public boolean allows(int index, ServiceClass cls) {
        return (scenarioFlags(index) & (0x100 << cls.value)) != 0;
    }

    /** @return the number of items (服务项目) */
    public int itemCount() {
        return with(p -> (int) EmbedsvcNative.embedsvc_policy_item_count(p));
    }

    private void checkItem(long p, int index) {
        long n = EmbedsvcNative.embedsvc_policy_item_count(p);
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("item " + index + " of " + n);
        }
    }

    /**
     * @param index an item index
     * @return its Chinese name, e.g. 便民理发
     */
    public String itemNameZh(int index) {
        return with(p -> {
            checkItem(p, index);
            return EmbedsvcNative.embedsvc_policy_item_name(p, index, EmbedsvcNativeConstants.EMBEDSVC_NAME_ZH);
        });
    }

    /**
     * @param index an item index
     * @return its English name
     */
    public String itemNameEn(int index) {
        return with(p -> {
            checkItem(p, index);
            return EmbedsvcNative.embedsvc_policy_item_name(p, index, EmbedsvcNativeConstants.EMBEDSVC_NAME_EN);
        });
    }

    /**
     * @param index an item index
     * @return its class
     */
    public ServiceClass itemServiceClass(int index) {
        return with(p -> {
            checkItem(p, index);
            return ServiceClass.of(EmbedsvcNative.embedsvc_policy_item_class(p, index));
        });
    }

    /**
     * @param index an item index
     * @return its scenario's index, or -1 when it has none
     */
    public int itemScenario(int index) {
        return with(p -> {
            checkItem(p, index);
            return EmbedsvcNative.embedsvc_policy_item_scenario(p, index);
        });
    }

    /**
     * @param cls a class
     * @param lang "zh" or "en"
     * @return the class's name as this policy gives it
     */
    public String className(ServiceClass cls, String lang) {
        int which = "en".equals(lang) ? EmbedsvcNativeConstants.EMBEDSVC_NAME_EN : EmbedsvcNativeConstants.EMBEDSVC_NAME_ZH;
        return with(p -> EmbedsvcNative.embedsvc_policy_class_name(p, cls.value, which));
    }

    /**
     * @param cls a class
     * @return its subsidy rate in basis points (3000 = 30%)
     */
    public int rateBp(ServiceClass cls) {
        return with(p -> EmbedsvcNative.embedsvc_policy_class_rate_bp(p, cls.value));
    }

    /**
     * @param cls a class
     * @return true when the rate is a maximum a project may request below
     */
    public boolean rateIsMax(ServiceClass cls) {
        return with(p -> EmbedsvcNative.embedsvc_policy_class_rate_is_max(p, cls.value)) == 1;
    }

    /** @return true once {@link #close()} was called */
    public boolean isClosed() {
        return state.isClosed();
    }

    /**
     * Releases the policy. Objects still using it keep its memory until they are closed; the
     * policy itself can no longer be used. Closing twice does nothing.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return isClosed() ? "Policy[closed]" : "Policy[" + id() + " " + version() + "]";
    }
}
