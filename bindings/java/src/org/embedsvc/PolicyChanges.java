// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of a derived policy ({@link Policy#derive(PolicyChanges)}), written without JSON:
 *
 * <pre>{@code
 * try (Policy reform = base.derive(PolicyChanges.create()
 *         .capFen(3_000_000_000L)                 // 3000 万元
 *         .rate(ServiceClass.INCLUSIVE, 2000))) { // 20%
 *     ...
 * }
 * }</pre>
 *
 * Each method sets one key of the change set (the keys of {@link Policy#derive(Map)}); a key not
 * set keeps the base policy's value. {@link #toJson()} is the JSON object the library reads.
 */
public final class PolicyChanges {
    private final Map<String, Object> changes = new LinkedHashMap<>();
    private final Map<String, Object> rates = new LinkedHashMap<>();
    private final Map<String, Object> rateIsMax = new LinkedHashMap<>();

    private PolicyChanges() {
    }

    /** @return an empty change set (deriving with it only marks the version and titles) */
    public static PolicyChanges create() {
        return new PolicyChanges();
    }

    private PolicyChanges put(String key, Object value) {
        changes.put(key, value);
        return this;
    }

    /**
     * @param id the derived policy's id (default: the base's)
     * @return this
     */
    public PolicyChanges id(String id) {
        return put("id", id);
    }

    /**
     * @param version its version (default: the base's with {@code +derived})
     * @return this
     */
    public PolicyChanges version(String version) {
        return put("version", version);
    }

    /**
     * @param title the Chinese title (default: the base's, marked with the changed keys)
     * @return this
     */
    public PolicyChanges titleZh(String title) {
        return put("title_zh", title);
    }

    /**
     * @param title the English title (default: the base's, marked with the changed keys)
     * @return this
     */
    public PolicyChanges titleEn(String title) {
        return put("title_en", title);
    }

    /**
     * @param date the first day in force, YYYY-MM-DD, or null for none
     * @return this
     */
    public PolicyChanges effectiveFrom(String date) {
        return put("effective_from", date);
    }

    /**
     * @param date the last day in force, YYYY-MM-DD, or null for none
     * @return this
     */
    public PolicyChanges effectiveTo(String date) {
        return put("effective_to", date);
    }

    /**
     * @param n the minimum number of functions ({@code rules.min_functions})
     * @return this
     */
    public PolicyChanges minFunctions(int n) {
        return put("min_functions", n);
    }

    /**
     * @param n the minimum number of core functions ({@code rules.min_core_functions})
     * @return this
     */
    public PolicyChanges minCoreFunctions(int n) {
        return put("min_core_functions", n);
    }

    /**
     * @param severity the severity of a missing preferred scenario ({@code rules.preferred_severity})
     * @return this
     */
    public PolicyChanges preferredSeverity(Severity severity) {
        return put("preferred_severity", severity.code());
    }

    /**
     * @param modes the build-mode codes that may receive the subsidy, e.g. {@code new}, {@code renovation}
     * @return this
     */
    public PolicyChanges subsidyBuildModes(String... modes) {
        return put("subsidy_build_modes", List.of(modes));
    }

    /**
     * @param minutes the walking-distance limit in minutes, or null for none
     * @return this
     */
    public PolicyChanges maxWalkMinutes(Integer minutes) {
        return put("max_walk_minutes", minutes);
    }

    /**
     * @param fen the cap of the two public classes in fen, or null for no cap
     * @return this
     */
    public PolicyChanges capFen(Long fen) {
        return put("cap_fen", fen);
    }

    /**
     * @param allocation how the cap is shared between the classes ({@code subsidy.cap_allocation})
     * @return this
     */
    public PolicyChanges capAllocation(String allocation) {
        return put("cap_allocation", allocation);
    }

    /**
     * @param cls a class
     * @param rateBp its subsidy rate in basis points (3000 = 30%)
     * @return this
     */
    public PolicyChanges rate(ServiceClass cls, int rateBp) {
        rates.put(cls.code(), rateBp);
        changes.put("rates", rates);
        return this;
    }

    /**
     * @param cls a class
     * @param isMax whether its rate is a maximum a project may request below
     * @return this
     */
    public PolicyChanges rateIsMax(ServiceClass cls, boolean isMax) {
        rateIsMax.put(cls.code(), isMax);
        changes.put("rate_is_max", rateIsMax);
        return this;
    }

    /** @return the change set as an unmodifiable map (the argument of {@link Policy#derive(Map)}) */
    public Map<String, Object> toMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    }

    /** @return the change set as the JSON object the library reads */
    public String toJson() {
        return JsonText.of(changes);
    }

    @Override
    public String toString() {
        return "PolicyChanges" + toJson();
    }
}
