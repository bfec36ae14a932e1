/* The funding process (reference §9, 四、2): stage preconditions, disbursement, and the optional
 * operation check of 三、(三). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "embedsvc.h"

static const char base_project[] =
    "{\"id\":\"P\",\"build_mode\":\"renovation\",\"total_investment\":\"3000000\",%s\"functions\":["
    "{\"scenario\":\"elderly_care\",\"service_class\":\"basic_public\",\"investment\":\"1000000\"},"
    "{\"scenario\":\"community_meals\",\"investment\":\"1000000\"},"
    "{\"scenario\":\"infant_care\",\"service_class\":\"inclusive\",\"investment\":\"1000000\"}]}";

typedef struct fixture {
    embedsvc_policy *policy;
    embedsvc_project *project;
    embedsvc_stage_report *report;
    embedsvc_result *result;
} fixture;

static int setup(void **state)
{
    static fixture f;
    assert_int_equal(embedsvc_policy_default(NULL, &f.policy, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_project_new(NULL, &f.project), EMBEDSVC_OK);
    assert_int_equal(embedsvc_stage_report_new(NULL, &f.report), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_new(NULL, &f.result), EMBEDSVC_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    embedsvc_result_free(f->result);
    embedsvc_stage_report_free(f->report);
    embedsvc_project_free(f->project);
    embedsvc_policy_free(f->policy);
    return 0;
}

/* Parses the base project with extra fields (each ending with a comma). */
static void parse(fixture *f, const char *extra)
{
    char json[2048];
    snprintf(json, sizeof(json), base_project, extra);
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_project_parse(f->project, json, strlen(json), &err) != EMBEDSVC_OK)
        fail_msg("%s at %s: %s", err.code, err.path, err.message);
}

static void check(fixture *f, embedsvc_stage target)
{
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_stage_check(f->policy, f->project, target, f->report, &err), EMBEDSVC_OK);
}

static bool has_code(const fixture *f, const char *code)
{
    for (size_t i = 0; i < embedsvc_stage_report_count(f->report); i++)
        if (strcmp(embedsvc_stage_report_code(f->report, i), code) == 0) {
            assert_string_equal(embedsvc_stage_report_cite(f->report, i), "四、2");
            char zh[512], en[512];
            assert_true(embedsvc_stage_report_message(f->report, i, "zh", zh, sizeof(zh)) > 0);
            assert_true(embedsvc_stage_report_message(f->report, i, "en", en, sizeof(en)) > 0);
            return true;
        }
    return false;
}

static void test_project_without_stage_is_at_call(void **state)
{
    fixture *f = *state;
    parse(f, "\"residents_consulted\":true,");
    check(f, EMBEDSVC_STAGE_APPLICATION);
    assert_int_equal(embedsvc_stage_report_current(f->report), EMBEDSVC_STAGE_CALL);
    assert_true(embedsvc_stage_report_allowed(f->report));
}

static void test_application_needs_residents_consulted(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"call\",");
    check(f, EMBEDSVC_STAGE_APPLICATION);
    assert_false(embedsvc_stage_report_allowed(f->report));
    assert_int_equal(embedsvc_stage_report_count(f->report), 1);
    assert_true(has_code(f, "process.residents_not_consulted"));
}

static void test_application_needs_an_eligible_project(void **state)
{
    fixture *f = *state;
    const char *two = "{\"id\":\"P\",\"build_mode\":\"new\",\"total_investment\":\"2\",\"stage\":\"call\","
                      "\"residents_consulted\":true,\"functions\":[{\"scenario\":\"elderly_care\","
                      "\"service_class\":\"basic_public\",\"investment\":\"1\"},{\"scenario\":\"community_meals\","
                      "\"investment\":\"1\"}]}";
    assert_int_equal(embedsvc_project_parse(f->project, two, strlen(two), NULL), EMBEDSVC_OK);
    check(f, EMBEDSVC_STAGE_APPLICATION);
    assert_int_equal(embedsvc_stage_report_count(f->report), 1);
    assert_true(has_code(f, "process.not_eligible"));
}

static void test_joint_review_has_no_precondition(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"application\",");
    check(f, EMBEDSVC_STAGE_JOINT_REVIEW);
    assert_true(embedsvc_stage_report_allowed(f->report));
}

static void test_fund_approval_lists_every_missing_document(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"joint_review\",");
    check(f, EMBEDSVC_STAGE_FUND_APPROVAL);
    assert_int_equal(embedsvc_stage_report_count(f->report), 2);
    assert_true(has_code(f, "process.feasibility_missing"));
    assert_true(has_code(f, "process.estimate_depth_missing"));
    parse(f, "\"stage\":\"joint_review\",\"feasibility_approved\":true,\"estimate_depth_report\":true,");
    check(f, EMBEDSVC_STAGE_FUND_APPROVAL);
    assert_true(embedsvc_stage_report_allowed(f->report));
}

static void test_fund_approval_needs_a_subsidised_build_mode(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"joint_review\",\"feasibility_approved\":true,\"estimate_depth_report\":true,");
    assert_int_equal(embedsvc_project_set_text(f->project, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_BUILD_MODE, "other", 5,
                                               NULL),
                     EMBEDSVC_OK);
    check(f, EMBEDSVC_STAGE_FUND_APPROVAL);
    assert_int_equal(embedsvc_stage_report_count(f->report), 1);
    assert_true(has_code(f, "process.not_subsidy_eligible"));
}

static void test_skipping_a_stage_is_refused(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"application\",\"feasibility_approved\":true,\"estimate_depth_report\":true,");
    check(f, EMBEDSVC_STAGE_FUND_APPROVAL);
    assert_int_equal(embedsvc_stage_report_count(f->report), 1);
    assert_true(has_code(f, "process.not_next_stage"));
    check(f, EMBEDSVC_STAGE_APPLICATION); /* backwards too */
    assert_true(has_code(f, "process.not_next_stage"));
}

static void test_disbursement_stage_refuses_overdisbursement(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"fund_approval\",\"approved\":\"600000\",\"disbursed\":\"600000.01\",");
    check(f, EMBEDSVC_STAGE_DISBURSEMENT);
    assert_true(has_code(f, "process.overdisbursed"));
    parse(f, "\"stage\":\"fund_approval\",\"approved\":\"600000\",\"disbursed\":\"600000\",");
    check(f, EMBEDSVC_STAGE_DISBURSEMENT);
    assert_true(embedsvc_stage_report_allowed(f->report));
}

static void test_stage_check_rejects_a_bad_target(void **state)
{
    fixture *f = *state;
    parse(f, "");
    assert_int_equal(embedsvc_stage_check(f->policy, f->project, (embedsvc_stage)5, f->report, NULL), EMBEDSVC_EINVAL);
    assert_int_equal(embedsvc_stage_check(f->policy, f->project, (embedsvc_stage)-1, f->report, NULL), EMBEDSVC_EINVAL);
}

static void test_disbursement_follows_progress(void **state)
{
    (void)state;
    int64_t due = -1;
    assert_int_equal(embedsvc_disbursement(3000000000, 4500, 1000000000, &due, NULL), EMBEDSVC_OK);
    assert_int_equal(due, 350000000); /* 3,500,000.00 yuan */
    assert_int_equal(embedsvc_disbursement(3000000000, 10000, 0, &due, NULL), EMBEDSVC_OK);
    assert_int_equal(due, 3000000000);
    assert_int_equal(embedsvc_disbursement(3000000000, 0, 0, &due, NULL), EMBEDSVC_OK);
    assert_int_equal(due, 0);
    assert_int_equal(embedsvc_disbursement(999, 3333, 0, &due, NULL), EMBEDSVC_OK);
    assert_int_equal(due, 332); /* floor(999 * 0.3333) */
}

static void test_disbursement_is_never_negative(void **state)
{
    (void)state;
    int64_t due = -1;
    assert_int_equal(embedsvc_disbursement(1000, 1000, 500, &due, NULL), EMBEDSVC_OK);
    assert_int_equal(due, 0);
}

static void test_disbursement_range_errors(void **state)
{
    (void)state;
    int64_t due;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    assert_int_equal(embedsvc_disbursement(1000, 10001, 0, &due, &err), EMBEDSVC_ERANGE);
    assert_string_equal(err.code, "process.progress_range");
    assert_int_equal(embedsvc_disbursement(1000, -1, 0, &due, &err), EMBEDSVC_ERANGE);
    assert_int_equal(embedsvc_disbursement(-1, 0, 0, &due, &err), EMBEDSVC_ERANGE);
    assert_string_equal(err.code, "money.negative");
    assert_int_equal(embedsvc_disbursement(INT64_C(100000000000001), 0, 0, &due, &err), EMBEDSVC_ERANGE);
    assert_string_equal(err.code, "money.range");
    assert_int_equal(embedsvc_disbursement(INT64_C(100000000000000), 10000, 0, &due, &err), EMBEDSVC_OK);
    assert_int_equal(due, INT64_C(100000000000000));
    assert_int_equal(embedsvc_disbursement(100, 5000, 101, &due, &err), EMBEDSVC_ESTATE);
    assert_string_equal(err.code, "process.overdisbursed");
    assert_int_equal(embedsvc_disbursement(100, 5000, 100, &due, &err), EMBEDSVC_OK);
}

static const char *result_json(fixture *f)
{
    const char *json;
    assert_int_equal(embedsvc_evaluate(f->policy, f->project, f->result, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_to_json(f->result, &json, NULL, NULL), EMBEDSVC_OK);
    return json;
}

static void test_result_has_no_process_without_stage(void **state)
{
    fixture *f = *state;
    parse(f, "");
    assert_null(strstr(result_json(f), "\"process\""));
}

static void test_result_process_at_disbursement_shows_amount_due(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"disbursement\",\"approved\":\"30000000\",\"progress\":\"0.45\",\"disbursed\":\"10000000\","
             "\"operation_model\":\"政府购买服务\",");
    const char *json = result_json(f);
    assert_non_null(strstr(json, ",\"process\":{\"stage\":\"disbursement\",\"next_stage\":null,\"unmet\":[],"
                                 "\"operation_model\":\"government_purchase\",\"approved_fen\":3000000000,"
                                 "\"progress_bp\":4500,\"disbursed_fen\":1000000000,\"due_fen\":350000000}}"));
}

static void test_result_process_defaults_approved_to_total(void **state)
{
    fixture *f = *state;
    parse(f, "\"stage\":\"fund_approval\",");
    const char *json = result_json(f);
    /* 1,000,000 × 30% + 1,000,000 × 30% = 600,000 yuan */
    assert_non_null(strstr(json, "\"approved_fen\":60000000,\"progress_bp\":null,\"disbursed_fen\":0,\"due_fen\":null}"));
}

static void test_operation_check_is_off_in_the_default_policy(void **state)
{
    fixture *f = *state;
    parse(f, "\"annual_revenue\":\"100\",\"annual_cost\":\"200\",");
    assert_null(strstr(result_json(f), "operation."));
    int64_t v;
    assert_int_equal(embedsvc_policy_rule(f->policy, EMBEDSVC_RULE_MAX_OPERATING_MARGIN, &v), 0);
}

static embedsvc_policy *policy_with_margin(int bp)
{
    size_t len;
    const char *def = embedsvc_policy_default_json(&len);
    static char buf[65536];
    const char *at = strstr(def, "\"max_walk_minutes\": 15");
    assert_non_null(at);
    int n = snprintf(buf, sizeof(buf), "%.*s\"max_walk_minutes\": 15, \"max_operating_margin_bp\": %d%s",
                     (int)(at - def), def, bp, at + strlen("\"max_walk_minutes\": 15"));
    embedsvc_policy *p = NULL;
    embedsvc_error err = EMBEDSVC_ERROR_INIT;
    if (embedsvc_policy_load_buffer(buf, (size_t)n, NULL, &p, &err) != EMBEDSVC_OK)
        fail_msg("%s %s %s", err.code, err.path, err.message);
    return p;
}

static void test_operation_margin_boundary(void **state)
{
    fixture *f = *state;
    embedsvc_policy *p = policy_with_margin(1000); /* 10% */
    const char *json;
    parse(f, "\"annual_revenue\":\"100\",\"annual_cost\":\"90\","); /* exactly 10% */
    assert_int_equal(embedsvc_evaluate(p, f->project, f->result, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_to_json(f->result, &json, NULL, NULL), EMBEDSVC_OK);
    assert_null(strstr(json, "operation."));
    parse(f, "\"annual_revenue\":\"100\",\"annual_cost\":\"89.99\","); /* 10.01% */
    assert_int_equal(embedsvc_evaluate(p, f->project, f->result, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_to_json(f->result, &json, NULL, NULL), EMBEDSVC_OK);
    assert_non_null(strstr(json, "\"code\":\"operation.margin_above_max\",\"severity\":\"warning\",\"function\":null,"
                                 "\"cite\":\"三、(三)\""));
    assert_true(embedsvc_result_eligible(f->result)); /* a warning */
    parse(f, "\"annual_revenue\":\"100\",\"annual_cost\":\"100.01\",");
    assert_int_equal(embedsvc_evaluate(p, f->project, f->result, NULL), EMBEDSVC_OK);
    assert_int_equal(embedsvc_result_to_json(f->result, &json, NULL, NULL), EMBEDSVC_OK);
    assert_non_null(strstr(json, "\"code\":\"operation.loss\""));
    int64_t v;
    assert_int_equal(embedsvc_policy_rule(p, EMBEDSVC_RULE_MAX_OPERATING_MARGIN, &v), 1);
    assert_int_equal(v, 1000);
    embedsvc_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_project_without_stage_is_at_call),
        cmocka_unit_test(test_application_needs_residents_consulted),
        cmocka_unit_test(test_application_needs_an_eligible_project),
        cmocka_unit_test(test_joint_review_has_no_precondition),
        cmocka_unit_test(test_fund_approval_lists_every_missing_document),
        cmocka_unit_test(test_fund_approval_needs_a_subsidised_build_mode),
        cmocka_unit_test(test_skipping_a_stage_is_refused),
        cmocka_unit_test(test_disbursement_stage_refuses_overdisbursement),
        cmocka_unit_test(test_stage_check_rejects_a_bad_target),
        cmocka_unit_test(test_disbursement_follows_progress),
        cmocka_unit_test(test_disbursement_is_never_negative),
        cmocka_unit_test(test_disbursement_range_errors),
        cmocka_unit_test(test_result_has_no_process_without_stage),
        cmocka_unit_test(test_result_process_at_disbursement_shows_amount_due),
        cmocka_unit_test(test_result_process_defaults_approved_to_total),
        cmocka_unit_test(test_operation_check_is_off_in_the_default_policy),
        cmocka_unit_test(test_operation_margin_boundary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
