/* Version, status names and the fixed enumerations of reference §1.2 and §1.5. */
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

/* A name with its length, so that parsing compares lengths before bytes. */
typedef struct name {
    const char *s;
    unsigned char len;
} name;

#define N(x) {x, sizeof(x) - 1}

typedef struct enum_table {
    const name *codes;
    const name *names_zh;
    int n;
} enum_table;

static const name class_codes[] = {N("basic_public"), N("inclusive"), N("commercial")};
static const name class_zh[] = {N("基本公共服务类"), N("普惠非基本公共服务类"), N("便民商业类")};
static const name build_codes[] = {N("new"), N("expansion"), N("renovation"), N("other")};
static const name build_zh[] = {N("新建"), N("改扩建"), N("存量设施改造"), N("其他")};
static const name layout_codes[] = {N("complex"), N("scattered")};
static const name layout_zh[] = {N("综合体"), N("插花式")};
static const name operation_codes[] = {N("public_built_private_run"), N("private_run_public_aided"),
                                       N("government_purchase"), N("other")};
static const name operation_zh[] = {N("公建民营"), N("民办公助"), N("政府购买服务"), N("其他")};
static const name stage_codes[] = {N("call"), N("application"), N("joint_review"), N("fund_approval"),
                                   N("disbursement")};
static const name stage_zh[] = {N("征集"), N("申报"), N("联合审查"), N("资金审批"), N("资金下达")};
static const name severity_codes[] = {N("info"), N("warning"), N("error")};
static const name severity_zh[] = {N("提示"), N("警告"), N("错误")};

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
    return t->codes[value].s;
}

const char *embedsvc_enum_name_zh(embedsvc_enum kind, int value)
{
    const enum_table *t = table(kind);
    if (!t || value < 0 || value >= t->n)
        return NULL;
    return t->names_zh[value].s;
}

int embedsvc_enum_parse(embedsvc_enum kind, const char *text, size_t len)
{
    const enum_table *t = table(kind);
    if (!t || (!text && len))
        return -1;
    for (int i = 0; i < t->n; i++) {
        if (t->codes[i].len == len && memcmp(t->codes[i].s, text, len) == 0)
            return i;
        if (t->names_zh[i].len == len && memcmp(t->names_zh[i].s, text, len) == 0)
            return i;
    }
    return -1;
}
