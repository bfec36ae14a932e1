/* Vocabulary in words for the reports: stage, severity, build mode and kind of match names in the
 * reader's language (the library has Chinese names and ASCII codes; English words are here). */
#include "report.h"

#include <string.h>

static bool is_zh(const char *lang)
{
    return lang && strcmp(lang, "zh") == 0;
}

const char *esv_report_stage_name(int stage, const char *lang)
{
    static const char *const en[] = {"call for projects", "application", "joint review", "fund approval",
                                     "disbursement"};
    if (stage < 0 || stage > 4)
        return "?";
    return is_zh(lang) ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_STAGE, stage) : en[stage];
}

const char *esv_report_severity_name(int severity, const char *lang)
{
    static const char *const en[] = {"Info", "Warning", "Error"};
    if (severity < 0 || severity > 2)
        return "?";
    return is_zh(lang) ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_SEVERITY, severity) : en[severity];
}

const char *esv_report_build_mode_name(int mode, const char *lang)
{
    static const char *const en[] = {"new build", "expansion", "renovation of an existing facility", "other"};
    if (mode < 0 || mode > 3)
        return "?";
    return is_zh(lang) ? embedsvc_enum_name_zh(EMBEDSVC_ENUM_BUILD_MODE, mode) : en[mode];
}

const char *esv_report_match_name(int match, const char *lang)
{
    static const char *const zh[] = {"未匹配", "完全匹配", "包含词条", "有歧义"};
    static const char *const en[] = {"no match", "exact", "contains a term", "ambiguous"};
    if (match < 0 || match > 3)
        return "?";
    return is_zh(lang) ? zh[match] : en[match];
}
