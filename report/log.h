/* The inside of esv_report_compare_log, shared by compare_log.c and compare_html.c. */
#ifndef EMBEDSVC_REPORT_LOG_H
#define EMBEDSVC_REPORT_LOG_H

#include "report.h"

typedef struct log_error {
    int64_t line;
    uint32_t column;
    char *code, *message;
} log_error;

/* A finding that appeared (+1) or disappeared (-1) under a policy against the baseline. */
typedef struct log_reason {
    int sign, severity, function;
    char *code;
    char *msg[2]; /* zh, en */
} log_reason;

/* One changed project (changed index `index` of the comparison). */
typedef struct log_change {
    size_t index;
    bool evaluated; /* false: the line could not be evaluated again (cannot happen for a line the comparison took) */
    size_t first[EMBEDSVC_COMPARE_MAX_POLICIES], count[EMBEDSVC_COMPARE_MAX_POLICIES]; /* reasons per policy */
    int rate_bp[EMBEDSVC_COMPARE_MAX_POLICIES][EMBEDSVC_CLASS_COUNT];
    bool capped[EMBEDSVC_COMPARE_MAX_POLICIES]; /* the cap changed the amount paid */
    bool has_cap[EMBEDSVC_COMPARE_MAX_POLICIES];
    int64_t cap_fen[EMBEDSVC_COMPARE_MAX_POLICIES];
} log_change;

struct esv_report_compare_log {
    embedsvc_project *project;
    embedsvc_result *results[EMBEDSVC_COMPARE_MAX_POLICIES];
    size_t seen_changed;
    log_change *changes;
    size_t n_changes, cap_changes;
    log_reason *reasons;
    size_t n_reasons, cap_reasons;
    log_error *errors;
    size_t n_errors, cap_errors, errors_seen;
};

#endif
