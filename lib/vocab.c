/* Version, status names and the fixed enumerations of SPEC §1.2 and §1.5. */
#include "internal.h"

#include <string.h>

int embedsvc_version(void)
{
    return EMBEDSVC_VERSION_NUMBER;
}

const char *embedsvc_version_string(void)
{
    return EMBEDSVC_VERSION_STRING;
}

int embedsvc_abi_version(void)
{
    return EMBEDSVC_ABI_VERSION;
}

const char *embedsvc_status_name(int status)
{
    switch (status) {
    case EMBEDSVC_OK:
        return "EMBEDSVC_OK";
    case EMBEDSVC_EINVAL:
        return "EMBEDSVC_EINVAL";
    case EMBEDSVC_ENOMEM:
        return "EMBEDSVC_ENOMEM";
    case EMBEDSVC_EPARSE:
        return "EMBEDSVC_EPARSE";
    case EMBEDSVC_EPOLICY:
        return "EMBEDSVC_EPOLICY";
    case EMBEDSVC_EIO:
        return "EMBEDSVC_EIO";
    case EMBEDSVC_ERANGE:
        return "EMBEDSVC_ERANGE";
    case EMBEDSVC_ESTATE:
        return "EMBEDSVC_ESTATE";
    }
    return "EMBEDSVC_UNKNOWN";
}

typedef struct enum_table {
    const char *const *codes;
    const char *const *names_zh;
    int n;
} enum_table;

static const char *const class_codes[] = {"basic_public", "inclusive", "commercial"};
static const char *const class_zh[] = {"基本公共服务类", "普惠非基本公共服务类", "便民商业类"};
static const char *const build_codes[] = {"new", "expansion", "renovation", "other"};
static const char *const build_zh[] = {"新建", "改扩建", "存量设施改造", "其他"};
static const char *const layout_codes[] = {"complex", "scattered"};
static const char *const layout_zh[] = {"综合体", "插花式"};
static const char *const operation_codes[] = {"public_built_private_run", "private_run_public_aided",
                                              "government_purchase", "other"};
static const char *const operation_zh[] = {"公建民营", "民办公助", "政府购买服务", "其他"};
static const char *const stage_codes[] = {"call", "application", "joint_review", "fund_approval", "disbursement"};
static const char *const stage_zh[] = {"征集", "申报", "联合审查", "资金审批", "资金下达"};
static const char *const severity_codes[] = {"info", "warning", "error"};
static const char *const severity_zh[] = {"提示", "警告", "错误"};

static const enum_table tables[] = {
    {class_codes, class_zh, 3},       {build_codes, build_zh, 4}, {layout_codes, layout_zh, 2},
    {operation_codes, operation_zh, 4}, {stage_codes, stage_zh, 5}, {severity_codes, severity_zh, 3},
};

static const enum_table *table(embedsvc_enum kind)
{
    if ((unsigned)kind >= ESV_ARRAY_LEN(tables))
        return NULL;
    return &tables[kind];
}

const char *embedsvc_enum_code(embedsvc_enum kind, int value)
{
    const enum_table *t = table(kind);
    if (!t || value < 0 || value >= t->n)
        return NULL;
    return t->codes[value];
}

const char *embedsvc_enum_name_zh(embedsvc_enum kind, int value)
{
    const enum_table *t = table(kind);
    if (!t || value < 0 || value >= t->n)
        return NULL;
    return t->names_zh[value];
}

int embedsvc_enum_parse(embedsvc_enum kind, const char *text, size_t len)
{
    const enum_table *t = table(kind);
    if (!t || (!text && len))
        return -1;
    for (int i = 0; i < t->n; i++) {
        if (strncmp(t->codes[i], text, len) == 0 && t->codes[i][len] == '\0')
            return i;
        if (strncmp(t->names_zh[i], text, len) == 0 && t->names_zh[i][len] == '\0')
            return i;
    }
    return -1;
}
