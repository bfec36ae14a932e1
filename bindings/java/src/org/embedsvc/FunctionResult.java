// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * What an evaluation found for one function of a project ({@code functions[]} of reference §6).
 * Immutable.
 */
public final class FunctionResult {
    private final int index;
    private final String scenario;
    private final ServiceClass serviceClass;
    private final long investmentFen;
    private final long subsidyFen;

    FunctionResult(int index, String scenario, ServiceClass serviceClass, long investmentFen, long subsidyFen) {
        this.index = index;
        this.scenario = scenario;
        this.serviceClass = serviceClass;
        this.investmentFen = investmentFen;
        this.subsidyFen = subsidyFen;
    }

    /** @return the function's index in the project */
    public int index() {
        return index;
    }

    /** @return the scenario's code, e.g. {@code elderly_care}, or null when not determined */
    public String scenario() {
        return scenario;
    }

    /** @return the class, or null for an invalid function */
    public ServiceClass serviceClass() {
        return serviceClass;
    }

    /** @return the function's share of the engineering investment, in fen */
    public long investmentFen() {
        return investmentFen;
    }

    /** @return the function's subsidy, in fen */
    public long subsidyFen() {
        return subsidyFen;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FunctionResult)) {
            return false;
        }
        FunctionResult f = (FunctionResult) o;
        return index == f.index && java.util.Objects.equals(scenario, f.scenario) && serviceClass == f.serviceClass
                && investmentFen == f.investmentFen && subsidyFen == f.subsidyFen;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(index, scenario, serviceClass, investmentFen, subsidyFen);
    }

    @Override
    public String toString() {
        return "Function[" + index + " " + scenario + " " + (serviceClass == null ? null : serviceClass.code())
                + " investment=" + investmentFen + " subsidy=" + subsidyFen + "]";
    }
}
