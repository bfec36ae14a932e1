/* embedsvc classify TEXT... — maps facility names to a scenario and class (reference §4). */
#include "cli.h"
#include "render.h"

#include <string.h>

static const cli_opt options[] = {
    CLI_OPT_POLICY,
    CLI_OPT_LANG,
    {"json", 0, CLI_FLAG, NULL, "one JSON object per text: text, match, scenario, service_class, term, candidates"},
    {0},
};

static void json_string_or_null(const char *s)
{
    if (s)
        cli_json_string(stdout, s);
    else
        fputs("null", stdout);
}

static void print_json(const embedsvc_policy *p, const char *text, const embedsvc_classification *c)
{
    static const char *const kinds[] = {"none", "exact", "contains", "ambiguous"};
    embedsvc_match m = embedsvc_classification_match(c);
    int s = embedsvc_classification_scenario(c), cls = embedsvc_classification_class(c);
    fputs("{\"text\":", stdout);
    cli_json_string(stdout, text);
    printf(",\"match\":\"%s\",\"scenario\":", kinds[m]);
    json_string_or_null(s >= 0 ? embedsvc_policy_scenario_name(p, (size_t)s, EMBEDSVC_NAME_CODE) : NULL);
    fputs(",\"service_class\":", stdout);
    json_string_or_null(cls >= 0 ? embedsvc_enum_code(EMBEDSVC_ENUM_CLASS, cls) : NULL);
    fputs(",\"term\":", stdout);
    json_string_or_null(embedsvc_classification_term(c));
    if (m == EMBEDSVC_MATCH_AMBIGUOUS) {
        fputs(",\"candidates\":[", stdout);
        for (size_t k = 0; k < embedsvc_classification_candidate_count(c); k++) {
            int cs, ci;
            embedsvc_classification_candidate(c, k, &cs, &ci);
            fputs(k ? ",{\"scenario\":" : "{\"scenario\":", stdout);
            json_string_or_null(cs >= 0 ? embedsvc_policy_scenario_name(p, (size_t)cs, EMBEDSVC_NAME_CODE) : NULL);
            fputs(",\"item\":", stdout);
            json_string_or_null(ci >= 0 ? embedsvc_policy_item_name(p, (size_t)ci, EMBEDSVC_NAME_ZH) : NULL);
            fputc('}', stdout);
        }
        fputc(']', stdout);
    }
    fputs("}\n", stdout);
}

static int run(const cli_command *cmd, cli_args *a)
{
    if (a->npos < 1)
        cli_usage_error(cmd, "classify takes one or more TEXT arguments");
    embedsvc_policy *p = cli_load_policy(cli_get(a, "policy"));
    embedsvc_classification *c = NULL;
    if (embedsvc_classification_new(NULL, &c) != EMBEDSVC_OK) {
        fputs("embedsvc: out of memory\n", stderr);
        embedsvc_policy_free(p);
        return EXIT_BAD_INPUT;
    }
    int status = 0;
    for (int i = 0; i < a->npos; i++) {
        const char *text = a->pos[i];
        embedsvc_error err = EMBEDSVC_ERROR_INIT;
        if (embedsvc_classify(p, text, strlen(text), c, &err) != EMBEDSVC_OK) {
            fprintf(stderr, "embedsvc: argument %d: %s: %s\n", i + 1, err.code, cli_esc(err.message));
            status = EXIT_BAD_INPUT;
            continue;
        }
        embedsvc_match m = embedsvc_classification_match(c);
        if ((m == EMBEDSVC_MATCH_NONE || m == EMBEDSVC_MATCH_AMBIGUOUS) && status == 0)
            status = 1;
        if (cli_flag(a, "json"))
            print_json(p, text, c);
        else
            render_classify(stdout, p, text, c, a->zh);
    }
    embedsvc_classification_free(c);
    embedsvc_policy_free(p);
    return status;
}

const cli_command cli_cmd_classify = {
    "classify",
    "TEXT...",
    "map facility names to a service scenario and class",
    "Maps each TEXT (a facility or service name) to a service scenario, item and class by the\n"
    "policy's terms and aliases: an exact term, a term contained in the text, or ambiguous.",
    options,
    "  0  every text matched\n"
    "  1  some text matched nothing or was ambiguous\n"
    "  2  a text is not valid UTF-8, usage or write error\n",
    "  embedsvc classify 朝阳区双井街道养老服务驿站 便利店\n"
    "  embedsvc classify --json 家政便民理发\n",
    run,
};
