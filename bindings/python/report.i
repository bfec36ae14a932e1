/* The what-if HTML report of report/ (the readable reports live outside the library): the log of a
 * comparison (its error lines, and why each changed project changed) and the report as str. */

%{
#include "report.h"
%}

ESV_HANDLE(esv_report_compare_log, esv_report_compare_log_free,
           "What the HTML report of a comparison shows beyond its aggregates.")
ESV_STATUS_ONLY(esv_report_compare_log_new)
int esv_report_compare_log_new(esv_report_compare_log **out);

%inline %{
/* The HTML report (docs/compare.md) in lang ("zh" or "en"); caption, source and generated may be
 * None; sources is a sequence with, for each policy, its file name or None (compiled-in). */
PyObject *esv_py_compare_html(embedsvc_compare *compare, esv_report_compare_log *log, const char *lang,
                              const char *caption, const char *source, const char *generated, PyObject *sources)
{
    const char *files[EMBEDSVC_COMPARE_MAX_POLICIES] = {0};
    size_t n = compare ? embedsvc_compare_policy_count(compare) : 0;
    if (!compare || !lang) {
        esv_py_raise(EMBEDSVC_EINVAL, NULL);
        return NULL;
    }
    PyObject *seq = sources && sources != Py_None ? PySequence_Fast(sources, "sources is a sequence") : NULL;
    if (sources && sources != Py_None && !seq)
        return NULL;
    for (size_t p = 0; seq && p < n && p < (size_t)PySequence_Fast_GET_SIZE(seq); p++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)p);
        if (s != Py_None && !(files[p] = PyUnicode_AsUTF8(s))) {
            Py_DECREF(seq);
            return NULL;
        }
    }
    esv_report_html_options o = {lang, caption, source, generated, files};
    size_t len = 0;
    char *html;
    Py_BEGIN_ALLOW_THREADS
    html = esv_report_compare_html_string(compare, log, &o, &len);
    Py_END_ALLOW_THREADS
    Py_XDECREF(seq);
    if (!html) {
        esv_py_raise(EMBEDSVC_ENOMEM, NULL);
        return NULL;
    }
    PyObject *out = PyUnicode_DecodeUTF8(html, (Py_ssize_t)len, "strict");
    free(html);
    return out;
}
%}
