// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.util.List;
import java.util.Objects;

/**
 * Classifies free text — a facility or service name from an application form — into a
 * scenario and, where known, a service class (reference §4). Reusable: {@link #classify} replaces
 * the content.
 *
 * <p><b>Thread safety:</b> use a classification from one thread at a time; the policy may be
 * shared. It keeps the native memory of its policy until it is closed or used with another.
 */
public final class Classification implements AutoCloseable {
    private final NativeState state;
    private boolean filled;

    /** One competing target of an ambiguous match. Immutable. */
    public static final class Candidate {
        private final int scenarioIndex;
        private final String scenario;
        private final int itemIndex;
        private final String item;

        Candidate(int scenarioIndex, String scenario, int itemIndex, String item) {
            this.scenarioIndex = scenarioIndex;
            this.scenario = scenario;
            this.itemIndex = itemIndex;
            this.item = item;
        }

        /** @return the target's scenario index, or -1 */
        public int scenarioIndex() {
            return scenarioIndex;
        }

        /** @return the target's scenario code, or null */
        public String scenario() {
            return scenario;
        }

        /** @return the target's item index, or -1 when the target is a scenario */
        public int itemIndex() {
            return itemIndex;
        }

        /** @return the target item's Chinese name, or null when the target is a scenario */
        public String item() {
            return item;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Candidate && ((Candidate) o).scenarioIndex == scenarioIndex
                    && ((Candidate) o).itemIndex == itemIndex;
        }

        @Override
        public int hashCode() {
            return scenarioIndex * 31 + itemIndex;
        }

        @Override
        public String toString() {
            return "Candidate[" + scenario + (item != null ? " / " + item : "") + "]";
        }
    }

    /** Creates an empty classification. */
    public Classification() {
        state = new NativeState(this, EmbedsvcNative.embedsvc_java_classification_new(),
                EmbedsvcNative::embedsvc_classification_free, null);
    }

    private long ptr() {
        return state.filled("Classification", filled, "nothing has been classified");
    }

    /**
     * Classifies text against a policy.
     *
     * @param policy the policy
     * @param text the text, e.g. 社区养老服务驿站
     * @return this classification
     */
    public synchronized Classification classify(Policy policy, String text) {
        Objects.requireNonNull(policy, "policy");
        byte[] utf8 = Utf8.encode(text);
        state.fill("Classification", policy, null, () -> filled = false,
                (self, pol, pj) -> EmbedsvcNative.embedsvc_classify(pol, utf8, self));
        filled = true;
        return this;
    }

    /** @return the kind of match */
    public synchronized Match match() {
        return Match.of(EmbedsvcNative.embedsvc_classification_match(ptr()));
    }

    /** @return the scenario's index in the policy, or -1 */
    public synchronized int scenarioIndex() {
        return EmbedsvcNative.embedsvc_classification_scenario(ptr());
    }

    /** @return the scenario's code, e.g. {@code elderly_care}, or null (none, ambiguous, or an item with no scenario) */
    public synchronized String scenario() {
        int s = scenarioIndex();
        return s < 0 ? null : scenarioCode(s);
    }

    private String scenarioCode(int s) {
        return EmbedsvcNative.embedsvc_policy_scenario_name(state.policyPtr(), s,
                EmbedsvcNativeConstants.EMBEDSVC_NAME_CODE);
    }

    /** @return the item's index in the policy, or -1 when the target is a scenario or nothing */
    public synchronized int itemIndex() {
        return EmbedsvcNative.embedsvc_classification_item(ptr());
    }

    /** @return the item's Chinese name, or null */
    public synchronized String item() {
        int i = itemIndex();
        return i < 0 ? null : itemName(i);
    }

    private String itemName(int i) {
        return EmbedsvcNative.embedsvc_policy_item_name(state.policyPtr(), i, EmbedsvcNativeConstants.EMBEDSVC_NAME_ZH);
    }

    /** @return the class found, or null when unknown */
    public synchronized ServiceClass serviceClass() {
        return ServiceClass.of(EmbedsvcNative.embedsvc_classification_class(ptr()));
    }

    /** @return the matched term as written in the policy, or null for no match */
    public synchronized String term() {
        return EmbedsvcNative.embedsvc_classification_term(ptr());
    }

    /** @return the competing targets of an ambiguous match, in policy order (empty otherwise) */
    public synchronized List<Candidate> candidates() {
        long p = ptr();
        int[] scenario = new int[1];
        int[] item = new int[1];
        return Native.list(p, EmbedsvcNative.embedsvc_classification_candidate_count(p), (h, i) -> {
            Native.check(EmbedsvcNative.embedsvc_classification_candidate(h, i, scenario, item));
            return new Candidate(scenario[0], scenario[0] < 0 ? null : scenarioCode(scenario[0]), item[0],
                    item[0] < 0 ? null : itemName(item[0]));
        });
    }

    /** Frees the native memory and lets go of the policy. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        filled = false;
        state.close();
    }

    @Override
    public synchronized String toString() {
        return state.describe("Classification", filled, "empty",
                () -> match().code() + " " + scenario() + " " + serviceClass() + " term=" + term());
    }
}
