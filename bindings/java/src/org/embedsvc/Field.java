// SPDX-License-Identifier: MIT
package org.embedsvc;

/**
 * Fields of a project and of its functions, for building a {@link Project} field by field
 * (reference §5). Text values are read exactly as the JSON field's value would be (a JSON string's
 * content or a number's token); integer values are the library's internal form (fen, basis
 * points, hundredths of m², minutes, 0/1, the C enumeration value).
 */
public enum Field {
    /** {@code id}: text. */
    ID(EmbedsvcNativeConstants.EMBEDSVC_FIELD_ID),
    /** {@code name}: text. */
    NAME(EmbedsvcNativeConstants.EMBEDSVC_FIELD_NAME),
    /** {@code district}: text. */
    DISTRICT(EmbedsvcNativeConstants.EMBEDSVC_FIELD_DISTRICT),
    /** {@code street}: text. */
    STREET(EmbedsvcNativeConstants.EMBEDSVC_FIELD_STREET),
    /** {@code community}: text. */
    COMMUNITY(EmbedsvcNativeConstants.EMBEDSVC_FIELD_COMMUNITY),
    /** {@code application_date}: YYYY-MM-DD. */
    APPLICATION_DATE(EmbedsvcNativeConstants.EMBEDSVC_FIELD_APPLICATION_DATE),
    /** {@code build_mode}: code or Chinese name; integer new 0, expansion 1, renovation 2, other 3. */
    BUILD_MODE(EmbedsvcNativeConstants.EMBEDSVC_FIELD_BUILD_MODE),
    /** {@code layout}: code or Chinese name; integer complex 0, scattered 1. */
    LAYOUT(EmbedsvcNativeConstants.EMBEDSVC_FIELD_LAYOUT),
    /** {@code total_investment}: yuan as text; integer fen. */
    TOTAL_INVESTMENT(EmbedsvcNativeConstants.EMBEDSVC_FIELD_TOTAL_INVESTMENT),
    /** {@code inclusive_rate}: decimal text; integer basis points. */
    INCLUSIVE_RATE(EmbedsvcNativeConstants.EMBEDSVC_FIELD_INCLUSIVE_RATE),
    /** {@code walk_minutes}: integer 0–1440. */
    WALK_MINUTES(EmbedsvcNativeConstants.EMBEDSVC_FIELD_WALK_MINUTES),
    /** {@code operation_model}: code or Chinese name. */
    OPERATION_MODEL(EmbedsvcNativeConstants.EMBEDSVC_FIELD_OPERATION_MODEL),
    /** {@code exemption_reason}: text. */
    EXEMPTION_REASON(EmbedsvcNativeConstants.EMBEDSVC_FIELD_EXEMPTION_REASON),
    /** {@code stage}: code or Chinese name. */
    STAGE(EmbedsvcNativeConstants.EMBEDSVC_FIELD_STAGE),
    /** {@code residents_consulted}: "true"/"false"; integer 0/1. */
    RESIDENTS_CONSULTED(EmbedsvcNativeConstants.EMBEDSVC_FIELD_RESIDENTS_CONSULTED),
    /** {@code feasibility_approved}: "true"/"false"; integer 0/1. */
    FEASIBILITY_APPROVED(EmbedsvcNativeConstants.EMBEDSVC_FIELD_FEASIBILITY_APPROVED),
    /** {@code estimate_depth_report}: "true"/"false"; integer 0/1. */
    ESTIMATE_DEPTH_REPORT(EmbedsvcNativeConstants.EMBEDSVC_FIELD_ESTIMATE_DEPTH_REPORT),
    /** {@code progress}: decimal text; integer basis points. */
    PROGRESS(EmbedsvcNativeConstants.EMBEDSVC_FIELD_PROGRESS),
    /** {@code approved}: yuan as text; integer fen. */
    APPROVED(EmbedsvcNativeConstants.EMBEDSVC_FIELD_APPROVED),
    /** {@code disbursed}: yuan as text; integer fen. */
    DISBURSED(EmbedsvcNativeConstants.EMBEDSVC_FIELD_DISBURSED),
    /** Function {@code scenario}: code or Chinese name. */
    SCENARIO(EmbedsvcNativeConstants.EMBEDSVC_FIELD_SCENARIO),
    /** Function {@code service_class}: code or Chinese name; integer basic_public 0, inclusive 1, commercial 2. */
    SERVICE_CLASS(EmbedsvcNativeConstants.EMBEDSVC_FIELD_SERVICE_CLASS),
    /** Function {@code item}: text. */
    ITEM(EmbedsvcNativeConstants.EMBEDSVC_FIELD_ITEM),
    /** Function {@code label}: text. */
    LABEL(EmbedsvcNativeConstants.EMBEDSVC_FIELD_LABEL),
    /** Function {@code floor_area_m2}: decimal text; integer hundredths of m². */
    FLOOR_AREA(EmbedsvcNativeConstants.EMBEDSVC_FIELD_FLOOR_AREA),
    /** Function {@code investment}: yuan as text; integer fen. */
    INVESTMENT(EmbedsvcNativeConstants.EMBEDSVC_FIELD_INVESTMENT);

    final int value;

    Field(int value) {
        this.value = value;
    }

    /** @return true for a field of a function, false for a field of the project */
    public boolean isFunctionField() {
        return value >= EmbedsvcNativeConstants.EMBEDSVC_FIELD_SCENARIO;
    }
}
