// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.lang.ref.Cleaner;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The native side of a handle class (Project, Result, Classification, StageReport, Batch): the
 * handle, the function that frees it, the policy whose native memory the object leases, and the
 * Cleaner registration. Also the Cleaner action, so it must never reference its owner: the free
 * function is a static method reference ({@code EmbedsvcNative::embedsvc_result_free}).
 *
 * <p>Every method but {@link #run} is called with the owner's lock held (its methods are
 * synchronized); {@link #run} runs once, from {@link #close} under that lock or from the
 * Cleaner once the owner is unreachable.
 */
final class NativeState implements Runnable {
    /** The handle, 0 once freed. */
    private long ptr;
    /** The policy whose native memory the object keeps alive, or null. */
    private Policy.State policy;
    private final LongConsumer free;
    private final Cleaner.Cleanable cleanable;

    /**
     * @param owner the object whose unreachability frees the handle
     * @param ptr the handle
     * @param free frees the handle; must not reference the owner
     * @param policy a policy reference the object now owns, or null
     */
    NativeState(Object owner, long ptr, LongConsumer free, Policy.State policy) {
        this.ptr = ptr;
        this.free = free;
        this.policy = policy;
        cleanable = Native.CLEANER.register(owner, this);
    }

    /** Frees the handle and lets go of the policy. Only the Cleaner calls this. */
    @Override
    public void run() {
        long p = ptr;
        ptr = 0;
        if (p != 0) {
            free.accept(p);
        }
        Policy.State ps = policy;
        policy = null;
        if (ps != null) {
            ps.release();
        }
    }

    /** Frees the native memory now, once; the Cleaner then has nothing left to do. */
    void close() {
        cleanable.clean();
    }

    boolean isClosed() {
        return ptr == 0;
    }

    /** @return the handle of the policy the owner was last filled under (the owner is filled) */
    long policyPtr() {
        return policy.ptr();
    }

    /**
     * @param what the owner's class, for the message
     * @return the handle
     * @throws IllegalStateException when the owner is closed
     */
    long live(String what) {
        long p = ptr;
        if (p == 0) {
            throw Native.closed(what);
        }
        return p;
    }

    /**
     * @param what the owner's class, for the message
     * @param filled whether the owner holds content
     * @param empty the message when it does not
     * @return the handle of an open object that holds content
     * @throws IllegalStateException when the owner is closed or empty
     */
    long filled(String what, boolean filled, String empty) {
        long p = live(what);
        if (!filled) {
            throw new IllegalStateException(empty);
        }
        return p;
    }

    /**
     * The owner's toString: {@code What[closed]}, {@code What[empty]} or {@code What[content]}.
     *
     * @param what the owner's class
     * @param filled whether the owner holds content
     * @param empty what to say when it does not
     * @param content describes the content of an open, filled owner
     */
    String describe(String what, boolean filled, String empty, Supplier<String> content) {
        return what + "[" + (isClosed() ? "closed" : !filled ? empty : content.get()) + "]";
    }

    /** The native call that fills an object, given the handles. */
    interface Fill {
        void run(long self, long policy, long project);
    }

    /**
     * Fills the owner under a policy, from a project or none: once the owner, the policy and
     * the project are all known open, runs {@code reset} (the owner forgets its content), makes
     * the owner lease the policy (letting go of the one it had), then runs {@code fill}. When
     * one of them is closed it throws and nothing has changed; when {@code fill} throws, the
     * owner is left empty. Lock order: the owner (held by the caller), then the project.
     *
     * @param what the owner's class, for the message
     * @param policy the policy (may be shared with other threads)
     * @param project the project, or null (then {@code fill} is given 0 for it)
     * @param reset empties the owner's Java side
     * @param fill the native call
     * @throws IllegalStateException when the owner, the policy or the project is closed
     */
    void fill(String what, Policy policy, Project project, Runnable reset, Fill fill) {
        long self = live(what);
        Policy.State ps = policy.state;
        boolean retained = false;
        if (this.policy != ps) {
            if (!ps.retain()) {
                throw Policy.closedException();
            }
            retained = true;
        } else if (ps.isClosed()) {
            throw Policy.closedException();
        }
        if (project == null) {
            install(ps, retained, reset);
            fill.run(self, ps.ptr(), 0);
            return;
        }
        synchronized (project) {
            long pj;
            try {
                pj = project.ptr();
            } catch (IllegalStateException e) {
                if (retained) {
                    ps.release();
                }
                throw e;
            }
            install(ps, retained, reset);
            fill.run(self, ps.ptr(), pj);
        }
    }

    private void install(Policy.State ps, boolean retained, Runnable reset) {
        reset.run();
        if (retained) {
            Policy.State old = policy;
            policy = ps;
            if (old != null) {
                old.release();
            }
        }
    }
}
