/* The in-memory model of policies, projects and results, shared by the library's files.
 * Not installed. */
#ifndef EMBEDSVC_MODEL_H
#define EMBEDSVC_MODEL_H

#include "internal.h"
#include "json.h"

/* ---- policy (policy.c: load and accessors; policy_read.c: the reader; policy_terms.c: the
 * term index; policy_write.c: the canonical writer) ---- */

#define ESV_MAX_SCENARIOS 32

typedef struct esv_text {
    const char *s; /* NUL-terminated; NULL when absent */
    size_t len;
} esv_text;

/* A list of texts (aliases, non-service terms). */
typedef struct esv_texts {
    esv_text *v;
    size_t n;
} esv_texts;

typedef struct esv_scenario {
    esv_text code, name_zh, name_en;
    bool core, preferred;
    unsigned allowed;  /* bit set of 1 << embedsvc_class */
    int single_class;  /* the class when exactly one is allowed, else -1 */
    esv_texts aliases;
} esv_scenario;

typedef struct esv_item {
    esv_text name_zh, name_en;
    int cls;      /* embedsvc_class */
    int scenario; /* index, or -1 for none */
    esv_texts aliases;
} esv_item;

typedef struct esv_class_def {
    esv_text name_zh, name_en;
    int rate_bp;
    bool rate_is_max;
} esv_class_def;

/* A classification term: a code, name or alias of a scenario or an item, or a non-service term
 * (reference §4: scenario and item both -1; it matches like a target's term, and a kept
 * non-service term makes the result `none`). */
typedef struct esv_term {
    esv_text raw;   /* as written in the policy */
    esv_text norm;  /* normalised (reference §4) */
    size_t norm_cps;/* code points of norm */
    int scenario;   /* the target's scenario (-1 for an item with none, and for a non-service term) */
    int item;       /* the target item, or -1 when the target is a scenario (or for a non-service term) */
    unsigned order; /* position in policy order (non-service terms after every target's term) */
} esv_term;

/* A non-service term (reference §4): not a target. */
static inline bool esv_term_is_non_service(const esv_term *t)
{
    return t->scenario < 0 && t->item < 0;
}

/* A raw lookup key: item names and aliases (§3.1 step 1). */
typedef struct esv_key {
    esv_text text;
    int index;
} esv_key;

struct embedsvc_policy {
    esv_alloc al;
    esv_arena arena;
    uint64_t serial; /* unique among the policies of the process, never 0: what a result's message memo
                        keys on (an address can be reused by the next policy, a serial cannot) */
    esv_text id, version, title_zh, title_en, effective_from, effective_to;
    esv_scenario scenarios[ESV_MAX_SCENARIOS];
    size_t n_scenarios;
    esv_class_def classes[EMBEDSVC_CLASS_COUNT];
    esv_item *items;
    size_t n_items;
    esv_texts non_service; /* top-level non_service_terms (reference §4, §8), policy order */
    int min_functions, min_core_functions;
    int preferred_severity; /* embedsvc_severity, or -1 for off */
    unsigned subsidy_build_modes; /* bit set of 1 << embedsvc_build_mode */
    bool has_max_walk;
    int max_walk_minutes;
    bool has_cap;
    int64_t cap_fen;
    bool cap_proportional;
    bool has_max_margin;   /* rules.max_operating_margin_bp (optional) */
    int max_margin_bp;
    uint64_t core_mask, preferred_mask; /* bit s: scenario s is core / preferred (derived on load) */
    /* derived on load */
    esv_term *terms;         /* policy order */
    size_t n_terms;
    esv_term **by_norm;      /* sorted by norm, for exact matches */
    esv_term **contains;     /* terms of >= 2 code points, by first code point, then longest first, then policy order */
    size_t n_contains;
    struct esv_first_slot {  /* open-addressing table: first code point -> run of `contains` */
        uint32_t cp;         /* 0 for an empty slot (a term never starts with U+0000) */
        uint32_t start, end;
    } *first_index;
    size_t first_mask;       /* table size - 1 (a power of two) */
    esv_key *item_keys;      /* item name_zh and aliases, sorted by text */
    size_t n_item_keys;
};

int esv_scenario_find(const embedsvc_policy *p, const char *s, size_t len);
int esv_item_find(const embedsvc_policy *p, const char *s, size_t len);

/* Reads and checks a parsed embedsvc.policy/1 document into p (policy_read.c): every check of
 * reference §8, then the term index. */
int esv_policy_read(embedsvc_policy *p, const char *doc, size_t doc_len, const esv_jval *root,
                    embedsvc_error *err);
/* Builds the term index of a read policy (policy_terms.c): every term normalised, the
 * consistency of terms checked (policy.invalid with the term's path), the exact and contains
 * lookups and the raw item keys. `root` gives the terms' positions for errors. */
struct esv_walk;
int esv_policy_index_terms(embedsvc_policy *p, const struct esv_walk *w, const esv_jval *root);

/* ---- classification (classify.c) ---- */

#define ESV_MAX_CANDIDATES 64

/* The classification of a text, without allocation (candidates beyond the fixed room are
 * counted but not listed; a policy rarely has more than a handful). */
typedef struct esv_class_out {
    embedsvc_match match;
    int scenario;
    int item;
    int cls;
    const esv_term *term;
    size_t n_candidates;
    struct {
        int scenario, item;
    } candidates[ESV_MAX_CANDIDATES];
} esv_class_out;

/* Normalises valid UTF-8 (reference §4) into out (room for len bytes); returns the new length
 * and the number of code points in *cps. */
size_t esv_normalise(const char *s, size_t len, char *out, size_t *cps);
/* Classifies valid UTF-8 text. Returns false when a scratch buffer cannot be had (text longer
 * than the stack buffer and allocation failed). */
bool esv_classify_text(const embedsvc_policy *p, const char *text, size_t len, esv_class_out *out);

/* ---- project (project.c) ---- */

/* Optional integer fields: has-bit + value. */
typedef struct esv_opt {
    bool has;
    int64_t v;
} esv_opt;

typedef struct esv_function {
    esv_text scenario, item, label;
    esv_opt service_class; /* embedsvc_class */
    esv_opt area;          /* hundredths of m² */
    esv_opt investment;    /* fen */
} esv_function;

struct embedsvc_project {
    esv_alloc al;
    esv_arena arena;
    esv_json *json;
    esv_text id, name, district, street, community, application_date, exemption_reason;
    esv_opt build_mode, layout, total_investment, inclusive_rate, walk_minutes, operation_model, stage;
    esv_opt residents_consulted, feasibility_approved, estimate_depth_report, progress, approved, disbursed;
    esv_opt annual_revenue, annual_cost;
    bool has_functions;
    size_t n_functions;
    esv_function functions[EMBEDSVC_MAX_FUNCTIONS];
};

/* Reading embedsvc.project/1 (project.c, project_scan.c). embedsvc_project_parse tries the fast
 * reader, which accepts only a valid document and otherwise gives up, then the full reader. */
typedef struct field_spec esv_field_spec;
/* The full reader: json.c's tree, then its members; reports the first defect (reference §10). */
int esv_project_read_tree(embedsvc_project *p, const char *data, size_t len, embedsvc_error *err);
/* The fast reader: 0 when it read the whole (valid) document into the cleared project p; 1 when it
 * gave up, -1 when memory ran out, leaving p to be cleared. Never reports an error. */
int esv_project_scan(embedsvc_project *p, const char *data, size_t len);
/* The field of the project (function_level false) or function member key whose text starts at text
 * (after its opening quote; avail bytes to the end of the document): the field whose key is followed
 * there by the closing quote (then *len is the key's length), or NULL when the key is none of the
 * table's. Keys hold no byte a JSON string escapes, so the quote after a key's bytes closes the
 * string. The key's first byte picks the few fields to compare. */
const esv_field_spec *esv_project_key_at(bool function_level, const char *text, size_t avail, size_t *len);
/* Its embedsvc_field (below 64). */
int esv_project_field_id(const esv_field_spec *s);
/* Checks and stores (a copy of) a value of JSON type `type` given as text, as the full reader
 * would: 0, 1 when the full reader would report an error, -1 when memory ran out. */
int esv_project_store(embedsvc_project *p, int function, const esv_field_spec *s, esv_jtype type, const char *text,
                      size_t len);
/* Whether two projects hold the same fields, texts byte for byte (the tests of the fast reader). */
bool esv_project_same(const embedsvc_project *a, const embedsvc_project *b);

/* ---- result (evaluate.c, result.c) ---- */

enum {
    ESV_CHECK_MIN_FUNCTIONS,
    ESV_CHECK_MIN_CORE_FUNCTIONS,
    ESV_CHECK_PREFERRED_FUNCTION,
    ESV_CHECK_INVESTMENT_SPLIT,
    ESV_CHECK_INCLUSIVE_RATE,
    ESV_CHECK_SUBSIDY_BUILD_MODE,
    ESV_CHECK_MAX_WALK_MINUTES,
    ESV_CHECK_COUNT
};

/* Finding codes of reference §10 and the unmet preconditions of §9, in table order: generated from
 * findings.def, the one table of codes, severities, cites and messages. */
typedef enum esv_code {
#define ESV_FINDING(id, code, sev, cite, zh, en) id,
#include "findings.def"
#undef ESV_FINDING
    ESV_CODE_COUNT
} esv_code;

/* The severity column of findings.def; ESV_SEV_POLICY: decided where the finding is made. */
enum {
    ESV_SEV_INFO = EMBEDSVC_SEVERITY_INFO,
    ESV_SEV_WARNING = EMBEDSVC_SEVERITY_WARNING,
    ESV_SEV_ERROR = EMBEDSVC_SEVERITY_ERROR,
    ESV_SEV_POLICY = -1,
};

/* Why a function's scenario is unknown (parameter `a` of ESV_F_SCENARIO_UNKNOWN; `b` carries the
 * label's match kind for ESV_WHY_LABEL). */
enum {
    ESV_WHY_SCENARIO_TEXT = 1, /* the given `scenario` names no scenario */
    ESV_WHY_ITEM_NO_SCENARIO,  /* the given item belongs to no scenario */
    ESV_WHY_NOTHING_GIVEN,     /* no scenario, item or label */
    ESV_WHY_LABEL,             /* the label matches nothing usable */
    ESV_WHY_NON_SERVICE,       /* the label's kept match is a non-service term (`b`: its index) */
};

typedef struct esv_check {
    int passed;        /* 1, 0, -1 null */
    int value_kind;    /* 0 null, 1 number, 2 text */
    int64_t value;
    const char *value_text;
    bool has_threshold;
    int64_t threshold;
} esv_check;

typedef struct esv_finding {
    esv_code code;
    int severity;
    int function; /* -1 project */
    /* parameters for the messages */
    int64_t a, b;
    size_t text;      /* offset in embedsvc_result.texts of a NUL-terminated copy (e.g. the unknown item), or
                         ESV_NO_TEXT: a result does not refer to the project it came from */
} esv_finding;

#define ESV_NO_TEXT SIZE_MAX

typedef struct esv_fresult {
    int scenario; /* -1 */
    int cls;      /* -1 for invalid */
    bool valid;
    int64_t investment_fen, subsidy_fen;
} esv_fresult;

/* Each function gives at most 4 findings (item, scenario, conflict, class — or duplicate, which
 * only a valid function gets); the project at most 10 (7 checks, the cap, not in force, operation). */
#define ESV_MAX_FINDINGS (EMBEDSVC_MAX_FUNCTIONS * 4 + 10)

/* At most one unmet precondition of each kind. */
#define ESV_MAX_UNMET 8

/* The funding process of a project that gives its stage (reference §9). */
typedef struct esv_process {
    bool present;
    int stage, next; /* next -1 after disbursement */
    int operation_model; /* -1 absent */
    size_t n_unmet;
    esv_finding unmet[ESV_MAX_UNMET];
    int64_t approved_fen, disbursed_fen, due_fen;
    bool has_progress, has_due;
    int64_t progress_bp;
} esv_process;

struct embedsvc_result {
    esv_alloc al;
    const embedsvc_policy *policy;
    char project_id[4 * 64 + 1];
    size_t project_id_len;
    bool eligible, subsidy_eligible;
    int counts[5];
    size_t n_functions;
    esv_fresult functions[EMBEDSVC_MAX_FUNCTIONS];
    int64_t base[EMBEDSVC_CLASS_COUNT], amount[EMBEDSVC_CLASS_COUNT];
    int rate_bp[EMBEDSVC_CLASS_COUNT];
    int64_t uncapped_fen, total_fen, cap_fen, headroom_fen;
    bool has_cap, capped;
    bool oom;        /* an allocation failed during evaluation */
    esv_check checks[ESV_CHECK_COUNT];
    size_t n_findings;
    esv_finding findings[ESV_MAX_FINDINGS];
    esv_process process;
    esv_buf texts;   /* texts quoted by findings */
    esv_buf scratch; /* a message being written */
    esv_buf json;
    unsigned evaluations;   /* projects evaluated with this object, counted up to 2 (memo.c) */
    struct esv_memo *memo;  /* labels and messages of recent projects (memo.c), or NULL */
};

/* The text of a finding, or NULL. */
static inline const char *esv_finding_text(const embedsvc_result *r, const esv_finding *f)
{
    return f->text == ESV_NO_TEXT ? NULL : r->texts.data + f->text;
}

extern const char *const esv_check_rules[ESV_CHECK_COUNT];
extern const char *const esv_check_cites[ESV_CHECK_COUNT];
/* The fixed parts of the result JSON of a check: `{"rule":"…","passed":` and `,"cite":"…"}`. */
extern const esv_frag esv_check_json_head[ESV_CHECK_COUNT];
extern const esv_frag esv_check_json_cite[ESV_CHECK_COUNT];
/* The findings table (findings.c, from findings.def). */
extern const char *const esv_code_names[ESV_CODE_COUNT];
extern const char *const esv_code_cites[ESV_CODE_COUNT];
/* The fixed parts of the result JSON of a finding (findings_ops.h, generated): `{"code":"…","severity":"`
 * and `,"cite":"…"` (or `,"cite":null`). */
extern const esv_frag esv_code_json_head[ESV_CODE_COUNT];
extern const esv_frag esv_code_json_cite[ESV_CODE_COUNT];
extern const signed char esv_code_severity[ESV_CODE_COUNT];
/* The message template of a code in zh or en (for the message test), or NULL. */
const char *esv_finding_template(esv_code code, bool zh);

/* Writes the zh or en message of a finding into buf (findings.c). */
bool esv_finding_message(const embedsvc_result *r, const esv_finding *f, bool zh, esv_buf *buf,
                         const esv_alloc *al);
/* The same message as the JSON string literal of the result (quotes included), escaped as it is
 * written; a message over the string limit is cut as esv_finding_message() cuts it (using scratch). */
bool esv_finding_message_json(const embedsvc_result *r, const esv_finding *f, bool zh, esv_buf *buf, esv_buf *scratch,
                              const esv_alloc *al);

/* ---- evaluation: evaluate.c drives functions.c (§3.1), checks.c (§3.2), apportion.c (§3.3),
 * subsidy.c (§3.4), then stage.c (§9) ---- */

/* Adds a finding with the severity of findings.def (evaluate.c); the _severity form for a code
 * whose severity is ESV_SEV_POLICY. A quoted text is copied into r->texts (r->oom on failure). */
void esv_add_finding(embedsvc_result *r, esv_code code, int function, int64_t a, int64_t b, const char *text);
void esv_add_finding_severity(embedsvc_result *r, esv_code code, int severity, int function, int64_t a, int64_t b,
                              const char *text);
/* §3.1: resolves every function into r->functions, with their findings and the duplicate
 * scenarios; returns the bit set of the distinct scenarios of valid functions (functions.c). */
uint64_t esv_resolve_functions(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r,
                               int *n_valid);
/* §3.2: the counts and the checks in table order, the investment split (§3.3) among them (checks.c). */
void esv_run_checks(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r, uint64_t seen,
                    int n_valid);
/* After the subsidy: policy.not_in_force and the operation check of 三、(三) (checks.c). */
void esv_run_late_checks(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r);
/* §3.3: every function's share of the total investment; 1 passed, 0 failed, -1 not evaluated (apportion.c). */
int esv_apportion(const embedsvc_project *pr, embedsvc_result *r, int n_valid);
/* §3.4: a class's amount over its valid functions by their shares (apportion.c). */
bool esv_split_class(const embedsvc_project *pr, embedsvc_result *r, int cls, int64_t amount);
/* §3.4: bases, amounts, the cap and the per-function subsidy (subsidy.c). */
int esv_compute_subsidy(const embedsvc_policy *p, const embedsvc_project *pr, embedsvc_result *r, embedsvc_error *err);

/* The inclusive rate a project requests: its inclusive_rate, else the class's rate_bp (§3.2, §3.4). */
static inline int64_t esv_requested_inclusive_rate(const embedsvc_policy *p, const embedsvc_project *pr)
{
    return pr->inclusive_rate.has ? pr->inclusive_rate.v : p->classes[EMBEDSVC_CLASS_INCLUSIVE].rate_bp;
}

/* Lists the unmet preconditions of moving an evaluated project to `target` (stage.c). */
size_t esv_stage_unmet(const embedsvc_project *pr, const embedsvc_result *r, int current, int target,
                       esv_finding *out);
/* Fills r->process for a project that gives its stage (stage.c). */
void esv_process_block(const embedsvc_project *pr, embedsvc_result *r);

/* snprintf-style message of a finding or an unmet precondition in "zh" or "en" (result.c). */
int esv_message_snprintf(const embedsvc_result *r, const esv_finding *f, const char *lang, char *buf, size_t size);

/* Writes the result JSON into r->json (result.c). */
bool esv_result_write_json(embedsvc_result *r);

/* ---- reading JSON trees into models (walk.c) ---- */

/* A JSON pointer under construction, kept on the stack and rendered only for an error. */
typedef struct esv_path {
    const struct esv_path *parent;
    const char *key; /* NULL for an array index */
    size_t key_len;
    size_t index;
} esv_path;

typedef struct esv_walk {
    const char *doc; /* NULL when the values come from the builder API: errors then have no position */
    size_t doc_len;
    embedsvc_error *err;
} esv_walk;

/* Fails with code at offset and the path (parent + key when key is not NULL). Returns EMBEDSVC_EPARSE
 * (or `status` from esv_walk_fail_status). */
int esv_walk_fail(const esv_walk *w, const esv_path *path, size_t offset, const char *code, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
int esv_walk_fail_status(const esv_walk *w, int status, const esv_path *path, size_t offset, const char *code,
                         const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* parse.type: "expected <what>, found <type of v>". */
int esv_walk_type_error(const esv_walk *w, const esv_path *path, const esv_jval *v, const char *what);
/* Checks value types (ESV_JTRUE stands for either boolean); on mismatch fails with parse.type (null included). */
int esv_walk_expect(const esv_walk *w, const esv_path *path, const esv_jval *v, esv_jtype type, const char *what);
/* A JSON integer in [min, max]. */
int esv_walk_integer(const esv_walk *w, const esv_path *path, const esv_jval *v, int64_t min, int64_t max,
                     int64_t *out);
/* A string; with enum_kind >= 0, an enumeration code or Chinese name. */
int esv_walk_enum(const esv_walk *w, const esv_path *path, const esv_jval *v, embedsvc_enum kind, int64_t *out);
/* A YYYY-MM-DD string. */
int esv_walk_date(const esv_walk *w, const esv_path *path, const esv_jval *v);
/* parse.unknown_field at the member's key. */
int esv_walk_unknown(const esv_walk *w, const esv_path *path, const esv_jval *member);
/* parse.missing_field for key in the object at object_offset. */
int esv_walk_missing(const esv_walk *w, const esv_path *object_path, size_t object_offset, const char *key);

#endif
