/*
 * libembedsvc Python binding — columnar evaluation for pandas (see columnar.h).
 * SPDX-License-Identifier: MIT
 *
 * Evaluation (esv_py_frame_eval): the calling thread cuts the buffer into lines (reference §7: a
 * trailing '\r' goes, lines of white space only are skipped) and allocates one bytearray per
 * column, the number of records long. Then, without the GIL, the workers of pool.h take blocks
 * of records; each has its own embedsvc_project and embedsvc_result, parses and evaluates a
 * record and writes what the result accessors return straight into the record's row of every
 * column (no merge copy). Text is copied into the block's arena (a span per row and text column);
 * findings go to the block's list. As soon as a block is done the calling thread, with the GIL,
 * turns its spans into str objects (project id, name, error message, error path) or category
 * codes (district, street, community, build mode, error code), interned by their bytes in row
 * order, while the other workers go on evaluating: the conversion is pipelined with the
 * evaluation rather than a serial step after it. The findings' codes and cites are interned
 * after the pool.
 *
 * Encoding (esv_py_frame_encode): columns of a DataFrame (numpy buffers or lists of objects)
 * are written as one JSON document per row. Absent values (None, pandas.NA, NaN …) leave the key
 * out; a float that is a whole number is written as an integer (a column of integers with a
 * missing value is float64 in pandas), any other float as its shortest round-trip repr; numpy
 * integer scalars as integers; other values go through a Python fallback (Decimal, dates).
 */
#define PY_SSIZE_T_CLEAN
#include "columnar.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

/* With numpy's headers (found at build time) the text columns are made as numpy object arrays
 * directly; numpy is imported only when a frame is made, so the rest of the package does not
 * need it. Without them, Python lists (turned into arrays in _frame.py). */
#ifdef ESV_HAVE_NUMPY
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL esv_numpy_api
/* numpy's C API is a table of void pointers cast to functions, which -Wpedantic rejects: the
 * warning is off for this section only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <numpy/arrayobject.h>

static int esv_numpy(void)
{
    static int ready = 0;
    if (!ready) {
        if (_import_array() < 0) {
            PyErr_Clear();
            return 0;
        }
        ready = 1;
    }
    return 1;
}

/* A new object array of n items with every item NULL (to be set); NULL with an error. */
static PyObject *esv_object_array(size_t n, PyObject ***items)
{
    npy_intp dims[1] = {(npy_intp)n};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_OBJECT);
    if (a) {
        *items = (PyObject **)PyArray_DATA((PyArrayObject *)a);
        memset(*items, 0, n * sizeof(PyObject *));
    }
    return a;
}

/* A contiguous 1-d array of objects (whose items can be read in place). */
static int esv_is_object_vector(PyObject *o)
{
    if (!PyArray_Check(o))
        return 0;
    PyArrayObject *a = (PyArrayObject *)o;
    return PyArray_NDIM(a) == 1 && PyArray_TYPE(a) == NPY_OBJECT && PyArray_IS_C_CONTIGUOUS(a);
}
#pragma GCC diagnostic pop
#else
static int esv_numpy(void)
{
    return 0;
}
#endif

/* A sequence of n texts: an object array when numpy is there, else a list. */
static PyObject *esv_text_seq(size_t n, PyObject ***items)
{
#ifdef ESV_HAVE_NUMPY
    if (esv_numpy())
        return esv_object_array(n, items);
#endif
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (list)
        *items = ((PyListObject *)list)->ob_item;
    return list;
}

/* ==== small growable buffers (no GIL needed: PyMem_Raw*) ==================================== */

typedef struct esv_fbuf {
    char *data;
    size_t len, cap;
    int nomem;
} esv_fbuf;

static int esv_fbuf_grow(esv_fbuf *b, size_t n)
{
    if (b->len + n <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n)
        cap *= 2;
    char *p = PyMem_RawRealloc(b->data, cap);
    if (!p) {
        b->nomem = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

static inline int esv_fbuf_put(esv_fbuf *b, const void *s, size_t n)
{
    if (b->len + n > b->cap && !esv_fbuf_grow(b, n))
        return 0;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    return 1;
}

/* ==== evaluation ============================================================================= */

enum {
    I_LINE, I_TOTAL, I_UNCAPPED, I_CAP, I_HEADROOM,
    I_BP_BASE, I_BP_RATE, I_BP_AMOUNT, I_IN_BASE, I_IN_RATE, I_IN_AMOUNT, I_CO_BASE, I_CO_RATE, I_CO_AMOUNT,
    I_FUNCTIONS, I_VALID, I_DISTINCT, I_CORE, I_PREFERRED,
    I_ERRORS, I_WARNINGS, I_INFOS, I_ERR_LINE, I_ERR_COLUMN,
    NI
};
static const char *const esv_int_names[NI] = {
    "line", "total_fen", "uncapped_fen", "cap_fen", "cap_headroom_fen",
    "basic_public_base_fen", "basic_public_rate_bp", "basic_public_amount_fen",
    "inclusive_base_fen", "inclusive_rate_bp", "inclusive_amount_fen",
    "commercial_base_fen", "commercial_rate_bp", "commercial_amount_fen",
    "functions", "valid_functions", "distinct_scenarios", "core_scenarios", "preferred_scenarios",
    "errors", "warnings", "infos", "error_line", "error_column",
};

enum { B_OK, B_ELIGIBLE, B_SUBSIDY_ELIGIBLE, B_CAPPED, B_HAS_CAP, B_HAS_HEADROOM, NB };
static const char *const esv_bool_names[NB] = {"ok", "eligible", "subsidy_eligible", "capped", "has_cap",
                                               "has_headroom"};

/* Text columns: the first ones become str objects, from S_FIRST_CAT on category codes. */
enum { S_ID, S_NAME, S_ERR_MSG, S_ERR_PATH, S_DISTRICT, S_STREET, S_COMMUNITY, S_BUILD_MODE, S_ERR_CODE, NS };
#define S_FIRST_CAT S_DISTRICT
static const char *const esv_str_names[NS] = {"project_id", "name", "error_message", "error_path", "district",
                                              "street", "community", "build_mode", "error_code"};

/* One finding in a block's list: row, code, severity, function (-1 none), cite. */
#define ESV_FINDING_WORDS 5

typedef struct esv_task {
    esv_fbuf arena;    /* the bytes of the block's text spans */
    esv_fbuf findings; /* int64 words, ESV_FINDING_WORDS per finding */
} esv_task;

typedef struct esv_frame_job {
    const embedsvc_policy *policy;
    const char **rec;     /* the records' bytes */
    size_t *rec_len;
    size_t n, bsize, ntasks;
    int64_t *ic[NI];
    uint8_t *bc[NB];
    int64_t *spans;       /* per row, NS (offset, length) pairs; offset -1: absent */
    esv_task *tasks;
    embedsvc_project *projects[ESV_POOL_MAX_WORKERS];
    embedsvc_result *results[ESV_POOL_MAX_WORKERS];
    int findings;
} esv_frame_job;

static void esv_span(esv_frame_job *job, esv_task *t, size_t row, int s, const char *text, size_t len)
{
    int64_t *sp = job->spans + (row * NS + (size_t)s) * 2;
    if (!text || !esv_fbuf_put(&t->arena, text, len)) {
        sp[0] = -1;
        sp[1] = 0;
        return;
    }
    sp[0] = (int64_t)(t->arena.len - len);
    sp[1] = (int64_t)len;
}

static void esv_span_c(esv_frame_job *job, esv_task *t, size_t row, int s, const char *text)
{
    esv_span(job, t, row, s, text, text ? strlen(text) : 0);
}

static void esv_frame_row(esv_frame_job *job, esv_task *t, size_t row, embedsvc_project *project,
                          embedsvc_result *r)
{
    embedsvc_error err;
    memset(&err, 0, sizeof(err));
    err.size = sizeof(err);
    int rc = embedsvc_project_parse(project, job->rec[row], job->rec_len[row], &err);
    if (rc == EMBEDSVC_OK)
        rc = embedsvc_evaluate(job->policy, project, r, &err);
    int64_t **ic = job->ic;
    uint8_t **bc = job->bc;
    {
        int64_t *sp = job->spans + row * NS * 2;
        for (int s = 0; s < NS; s++)
            sp[2 * s] = -1, sp[2 * s + 1] = 0;
    }
    if (rc != EMBEDSVC_OK) {
        for (int k = I_TOTAL; k < NI; k++)
            ic[k][row] = 0;
        for (int k = 0; k < NB; k++)
            bc[k][row] = 0;
        if (rc == EMBEDSVC_ENOMEM && !err.code[0]) {
            t->arena.nomem = 1;
            return;
        }
        ic[I_ERR_LINE][row] = err.line;
        ic[I_ERR_COLUMN][row] = err.column;
        esv_span_c(job, t, row, S_ERR_CODE, err.code[0] ? err.code : embedsvc_status_name(rc));
        esv_span_c(job, t, row, S_ERR_MSG, err.message);
        esv_span_c(job, t, row, S_ERR_PATH, err.path);
        return;
    }
    int64_t cap = 0, headroom = 0;
    int has_cap = embedsvc_result_cap_fen(r, &cap) == 1;
    int has_headroom = embedsvc_result_cap_headroom_fen(r, &headroom) == 1;
    bc[B_OK][row] = 1;
    bc[B_ELIGIBLE][row] = embedsvc_result_eligible(r) ? 1 : 0;
    bc[B_SUBSIDY_ELIGIBLE][row] = embedsvc_result_subsidy_eligible(r) ? 1 : 0;
    bc[B_CAPPED][row] = embedsvc_result_capped(r) ? 1 : 0;
    bc[B_HAS_CAP][row] = (uint8_t)has_cap;
    bc[B_HAS_HEADROOM][row] = (uint8_t)has_headroom;
    ic[I_TOTAL][row] = embedsvc_result_total_fen(r);
    ic[I_UNCAPPED][row] = embedsvc_result_uncapped_fen(r);
    ic[I_CAP][row] = has_cap ? cap : 0;
    ic[I_HEADROOM][row] = has_headroom ? headroom : 0;
    for (int c = 0; c < 3; c++) {
        ic[I_BP_BASE + 3 * c][row] = embedsvc_result_class_base_fen(r, (embedsvc_class)c);
        ic[I_BP_RATE + 3 * c][row] = embedsvc_result_class_rate_bp(r, (embedsvc_class)c);
        ic[I_BP_AMOUNT + 3 * c][row] = embedsvc_result_class_amount_fen(r, (embedsvc_class)c);
    }
    for (int k = 0; k < 5; k++)
        ic[I_FUNCTIONS + k][row] = embedsvc_result_count(r, (embedsvc_count)k);
    size_t nx = embedsvc_result_finding_count(r);
    int64_t sev[3] = {0, 0, 0};
    for (size_t i = 0; i < nx; i++) {
        int s = embedsvc_result_finding_severity(r, i);
        if (s >= 0 && s < 3)
            sev[s]++;
        if (job->findings) {
            int64_t w[ESV_FINDING_WORDS] = {(int64_t)row, (int64_t)(intptr_t)embedsvc_result_finding_code(r, i), s,
                                            embedsvc_result_finding_function(r, i),
                                            (int64_t)(intptr_t)embedsvc_result_finding_cite(r, i)};
            esv_fbuf_put(&t->findings, w, sizeof(w));
        }
    }
    ic[I_INFOS][row] = sev[EMBEDSVC_SEVERITY_INFO];
    ic[I_WARNINGS][row] = sev[EMBEDSVC_SEVERITY_WARNING];
    ic[I_ERRORS][row] = sev[EMBEDSVC_SEVERITY_ERROR];
    ic[I_ERR_LINE][row] = 0;
    ic[I_ERR_COLUMN][row] = 0;
    esv_span_c(job, t, row, S_ID, embedsvc_result_project_id(r));
    const embedsvc_project *p = project;
    esv_span_c(job, t, row, S_NAME, embedsvc_project_get_text(p, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_NAME));
    esv_span_c(job, t, row, S_DISTRICT,
               embedsvc_project_get_text(p, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_DISTRICT));
    esv_span_c(job, t, row, S_STREET, embedsvc_project_get_text(p, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_STREET));
    esv_span_c(job, t, row, S_COMMUNITY,
               embedsvc_project_get_text(p, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_COMMUNITY));
    int64_t mode = 0;
    if (embedsvc_project_get_int(p, EMBEDSVC_PROJECT_LEVEL, EMBEDSVC_FIELD_BUILD_MODE, &mode) == 1)
        esv_span_c(job, t, row, S_BUILD_MODE, embedsvc_enum_code(EMBEDSVC_ENUM_BUILD_MODE, (int)mode));
}

static void esv_frame_task(void *ctx, size_t task, size_t worker)
{
    esv_frame_job *job = ctx;
    esv_task *t = &job->tasks[task];
    size_t end = (task + 1) * job->bsize;
    if (end > job->n)
        end = job->n;
    for (size_t row = task * job->bsize; row < end; row++)
        esv_frame_row(job, t, row, job->projects[worker], job->results[worker]);
}

/* ---- interning text into category codes ---- */

typedef struct esv_intern {
    size_t *slots; /* category index + 1, 0 empty */
    size_t mask;
    const char **key;
    size_t *klen;
    size_t count, cap;
    PyObject *categories; /* list of str */
} esv_intern;

static uint64_t esv_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int esv_intern_init(esv_intern *in)
{
    memset(in, 0, sizeof(*in));
    in->mask = 255;
    in->slots = PyMem_Calloc(in->mask + 1, sizeof(size_t));
    in->categories = PyList_New(0);
    if (!in->slots || !in->categories) {
        PyMem_Free(in->slots);
        Py_XDECREF(in->categories);
        in->slots = NULL;
        in->categories = NULL;
        PyErr_NoMemory();
        return 0;
    }
    return 1;
}

static void esv_intern_free(esv_intern *in)
{
    PyMem_Free(in->slots);
    PyMem_Free(in->key);
    PyMem_Free(in->klen);
    Py_XDECREF(in->categories);
}

/* The code of a text (a new category when first seen), or -1 with a Python error. */
static int32_t esv_intern_code(esv_intern *in, const char *s, size_t n)
{
    uint64_t h = esv_hash(s, n);
    size_t i = (size_t)h & in->mask;
    for (;; i = (i + 1) & in->mask) {
        size_t v = in->slots[i];
        if (!v)
            break;
        if (in->klen[v - 1] == n && memcmp(in->key[v - 1], s, n) == 0)
            return (int32_t)(v - 1);
    }
    if (in->count == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        const char **key = PyMem_Realloc(in->key, cap * sizeof(*key));
        if (key)
            in->key = key;
        size_t *klen = key ? PyMem_Realloc(in->klen, cap * sizeof(*klen)) : NULL;
        if (!key || !klen) {
            PyErr_NoMemory();
            return -1;
        }
        in->klen = klen;
        in->cap = cap;
    }
    PyObject *str = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
    if (!str || PyList_Append(in->categories, str) < 0) {
        Py_XDECREF(str);
        return -1;
    }
    Py_DECREF(str);
    in->key[in->count] = s;
    in->klen[in->count] = n;
    in->slots[i] = ++in->count;
    if (in->count * 2 > in->mask) { /* grow and rehash */
        size_t mask = in->mask * 2 + 1;
        size_t *slots = PyMem_Calloc(mask + 1, sizeof(size_t));
        if (!slots) {
            PyErr_NoMemory();
            return -1;
        }
        for (size_t k = 0; k < in->count; k++) {
            size_t j = (size_t)esv_hash(in->key[k], in->klen[k]) & mask;
            while (slots[j])
                j = (j + 1) & mask;
            slots[j] = k + 1;
        }
        PyMem_Free(in->slots);
        in->slots = slots;
        in->mask = mask;
    }
    return (int32_t)(in->count - 1);
}

/* A bytearray of n elements of size `size`, its buffer in *out. */
static PyObject *esv_column(size_t n, size_t size, void **out)
{
    PyObject *a = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(n * size));
    if (a)
        *out = PyByteArray_AS_STRING(a);
    return a;
}

/* A category column being built: the int32 codes (a bytearray) and the texts interned so far.
 * Rows are added in order, block by block (esv_cat_rows), so the categories come in the order
 * the texts are first seen, whatever the number of workers. */
typedef struct esv_cat {
    esv_intern in;
    PyObject *codes_obj;
    int32_t *codes;
} esv_cat;

static int esv_cat_init(esv_cat *c, size_t n)
{
    c->codes_obj = NULL;
    if (!esv_intern_init(&c->in))
        return 0;
    c->codes_obj = esv_column(n, sizeof(int32_t), (void **)&c->codes);
    if (!c->codes_obj) {
        esv_intern_free(&c->in);
        memset(&c->in, 0, sizeof(c->in));
        return 0;
    }
    return 1;
}

static void esv_cat_free(esv_cat *c)
{
    Py_CLEAR(c->codes_obj);
    esv_intern_free(&c->in);
    memset(&c->in, 0, sizeof(c->in));
}

/* Codes of the rows [r0, r1) of a text column given as spans (stride words per row) into the
 * arena at @p base, or as absolute addresses when base is NULL. 0 with a Python error. */
static int esv_cat_rows(esv_cat *c, size_t r0, size_t r1, const int64_t *spans, size_t stride, const char *base)
{
    for (size_t r = r0; r < r1; r++) {
        const int64_t *sp = spans + r * stride;
        if (sp[0] < 0) {
            c->codes[r] = -1;
            continue;
        }
        const char *text = base ? base + sp[0] : (const char *)(intptr_t)sp[0];
        int32_t code = esv_intern_code(&c->in, text, (size_t)sp[1]);
        if (code < 0)
            return 0;
        c->codes[r] = code;
    }
    return 1;
}

/* (codes bytearray int32, categories) of a finished column (an object array of str with
 * numpy's headers, else a list); frees @p c either way. */
static PyObject *esv_cat_finish(esv_cat *c)
{
    PyObject *out = NULL;
#ifdef ESV_HAVE_NUMPY
    if (esv_numpy()) { /* the categories as an object array too */
        PyObject **items;
        size_t nc = (size_t)PyList_GET_SIZE(c->in.categories);
        PyObject *arr = esv_object_array(nc, &items);
        if (arr) {
            for (size_t i = 0; i < nc; i++) {
                items[i] = PyList_GET_ITEM(c->in.categories, (Py_ssize_t)i);
                Py_INCREF(items[i]);
            }
            out = PyTuple_Pack(2, c->codes_obj, arr);
            Py_DECREF(arr);
        }
        esv_cat_free(c);
        return out;
    }
#endif
    out = PyTuple_Pack(2, c->codes_obj, c->in.categories);
    esv_cat_free(c);
    return out;
}

/* The category column of n rows at once (the findings' codes and cites: absolute addresses). */
static PyObject *esv_cat_column(size_t n, const int64_t *spans, size_t stride)
{
    esv_cat c;
    if (!esv_cat_init(&c, n))
        return NULL;
    if (!esv_cat_rows(&c, 0, n, spans, stride, NULL)) {
        esv_cat_free(&c);
        return NULL;
    }
    return esv_cat_finish(&c);
}

static int esv_set(PyObject *d, const char *key, PyObject *value)
{
    if (!value)
        return 0;
    int rc = PyDict_SetItemString(d, key, value);
    Py_DECREF(value);
    return rc == 0;
}

PyObject *esv_py_frame_eval(const embedsvc_policy *policy, PyObject *data, long long first_line, int workers,
                            int findings)
{
    esv_frame_job job;
    Py_buffer view;
    PyObject *cols = NULL, *ret = NULL;
    size_t nrec = 0, cap = 0;
    esv_pool *pool = NULL;
    PyObject *text[S_FIRST_CAT] = {NULL};
    PyObject **items[S_FIRST_CAT] = {NULL};
    esv_cat cat[NS - S_FIRST_CAT];
    size_t ncat = 0; /* the category columns initialised */
    memset(&job, 0, sizeof(job));
    if (!policy) {
        PyErr_SetString(PyExc_ValueError, "no policy");
        return NULL;
    }
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    job.policy = policy;
    job.findings = findings;

    /* Lines, cut by the library's line reader (embedsvc/lines.h) as the batch reads them; the
     * physical line numbers go to the `line` column. A line over the limit is parsed whole, from
     * the input, so that its row is parse.limit. */
    int64_t *lines = NULL;
    embedsvc_lines *reader = NULL;
    embedsvc_line ln;
    int lrc = embedsvc_lines_new(0, NULL, &reader);
    if (lrc == EMBEDSVC_OK)
        lrc = embedsvc_lines_feed(reader, view.buf ? view.buf : "", (size_t)view.len);
    if (lrc == EMBEDSVC_OK)
        lrc = embedsvc_lines_finish(reader);
    while (lrc == EMBEDSVC_OK && embedsvc_lines_next(reader, &ln) == 1) {
        if (ln.kind != EMBEDSVC_LINE_BLANK) {
            if (nrec == cap) {
                cap = cap ? cap * 2 : 1024;
                const char **r = PyMem_Realloc(job.rec, cap * sizeof(*r));
                if (r)
                    job.rec = r;
                size_t *l = r ? PyMem_Realloc(job.rec_len, cap * sizeof(*l)) : NULL;
                if (l)
                    job.rec_len = l;
                int64_t *n = l ? PyMem_Realloc(lines, cap * sizeof(*n)) : NULL;
                if (!n) {
                    lrc = EMBEDSVC_ENOMEM;
                    break;
                }
                lines = n;
            }
            job.rec[nrec] = (const char *)view.buf + ln.offset;
            job.rec_len[nrec] = ln.len;
            lines[nrec] = first_line + ln.number - 1;
            nrec++;
        }
    }
    embedsvc_lines_free(reader);
    if (lrc < 0) {
        PyErr_NoMemory();
        goto done;
    }
    job.n = nrec;

    cols = PyDict_New();
    if (!cols)
        goto done;
    for (int k = 0; k < NI; k++)
        if (!esv_set(cols, esv_int_names[k], esv_column(nrec, sizeof(int64_t), (void **)&job.ic[k])))
            goto done;
    for (int k = 0; k < NB; k++)
        if (!esv_set(cols, esv_bool_names[k], esv_column(nrec, 1, (void **)&job.bc[k])))
            goto done;
    if (nrec)
        memcpy(job.ic[I_LINE], lines, nrec * sizeof(int64_t));
    job.spans = PyMem_RawMalloc((nrec ? nrec : 1) * NS * 2 * sizeof(int64_t));
    if (workers < 1)
        workers = 1;
    if (workers > ESV_POOL_MAX_WORKERS)
        workers = ESV_POOL_MAX_WORKERS;
    /* Blocks: at least 8 per worker for balance, 64 to 1024 records each. */
    job.bsize = nrec / ((size_t)workers * 8);
    job.bsize = job.bsize < 64 ? 64 : job.bsize > 1024 ? 1024 : job.bsize;
    job.ntasks = (nrec + job.bsize - 1) / job.bsize;
    job.tasks = PyMem_Calloc(job.ntasks ? job.ntasks : 1, sizeof(*job.tasks));
    if (!job.spans || !job.tasks) {
        PyErr_NoMemory();
        goto done;
    }
    size_t nworkers = (size_t)workers < job.ntasks ? (size_t)workers : (job.ntasks ? job.ntasks : 1);
    for (size_t w = 0; w < nworkers; w++) {
        if (embedsvc_project_new(NULL, &job.projects[w]) != EMBEDSVC_OK ||
            embedsvc_result_new(NULL, &job.results[w]) != EMBEDSVC_OK) {
            PyErr_NoMemory();
            goto done;
        }
    }

    /* The text columns, filled block by block below. */
    for (int k = 0; k < S_FIRST_CAT; k++) {
        text[k] = esv_text_seq(nrec, &items[k]);
        if (!text[k])
            goto done;
    }
    for (int k = S_FIRST_CAT; k < NS; k++) {
        if (!esv_cat_init(&cat[k - S_FIRST_CAT], nrec))
            goto done;
        ncat = (size_t)(k - S_FIRST_CAT) + 1;
    }

    /* A pipeline: the caller (worker 0) turns the text of block t into str objects and category
     * codes, with the GIL, while the other workers evaluate the next blocks without it; while it
     * waits for block t it evaluates unclaimed blocks itself, the GIL released. So the conversion
     * runs in parallel with the evaluation, and the categories still come in row order. */
    pool = esv_pool_start(job.ntasks, nworkers, esv_frame_task, &job);
    if (!pool) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t t = 0; t < job.ntasks; t++) {
        Py_BEGIN_ALLOW_THREADS
        esv_pool_wait(pool, t);
        Py_END_ALLOW_THREADS
        esv_task *task = &job.tasks[t];
        if (task->arena.nomem || task->findings.nomem) {
            PyErr_NoMemory();
            goto done;
        }
        size_t r0 = t * job.bsize, r1 = r0 + job.bsize < nrec ? r0 + job.bsize : nrec;
        const char *base = task->arena.data;
        for (int k = 0; k < S_FIRST_CAT; k++) {
            for (size_t r = r0; r < r1; r++) {
                const int64_t *sp = job.spans + (r * NS + (size_t)k) * 2;
                PyObject *v = sp[0] < 0 ? (Py_INCREF(Py_None), Py_None)
                                        : PyUnicode_DecodeUTF8(base + sp[0], (Py_ssize_t)sp[1], "replace");
                if (!v)
                    goto done;
                items[k][r] = v;
            }
        }
        for (int k = S_FIRST_CAT; k < NS; k++)
            if (!esv_cat_rows(&cat[k - S_FIRST_CAT], r0, r1, job.spans + (size_t)k * 2, NS * 2, base))
                goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    esv_pool_finish(pool);
    Py_END_ALLOW_THREADS
    pool = NULL;
    for (int k = 0; k < S_FIRST_CAT; k++) {
        PyObject *seq = text[k];
        text[k] = NULL;
        if (!esv_set(cols, esv_str_names[k], seq))
            goto done;
    }
    for (int k = S_FIRST_CAT; k < NS; k++)
        if (!esv_set(cols, esv_str_names[k], esv_cat_finish(&cat[k - S_FIRST_CAT])))
            goto done;

    if (findings) {
        size_t nf = 0;
        for (size_t t = 0; t < job.ntasks; t++)
            nf += job.tasks[t].findings.len / (ESV_FINDING_WORDS * sizeof(int64_t));
        int64_t *row, *function, *spans = PyMem_RawMalloc((nf ? nf : 1) * 4 * sizeof(int64_t));
        int32_t *severity;
        int ok = spans && esv_set(cols, "f_row", esv_column(nf, sizeof(int64_t), (void **)&row)) &&
                 esv_set(cols, "f_function", esv_column(nf, sizeof(int64_t), (void **)&function)) &&
                 esv_set(cols, "f_severity", esv_column(nf, sizeof(int32_t), (void **)&severity));
        if (ok) {
            size_t i = 0;
            for (size_t t = 0; t < job.ntasks; t++) {
                const int64_t *w = (const int64_t *)(void *)job.tasks[t].findings.data;
                size_t m = job.tasks[t].findings.len / (ESV_FINDING_WORDS * sizeof(int64_t));
                for (size_t j = 0; j < m; j++, i++, w += ESV_FINDING_WORDS) {
                    const char *code = (const char *)(intptr_t)w[1], *cite = (const char *)(intptr_t)w[4];
                    row[i] = w[0];
                    severity[i] = (int32_t)w[2];
                    function[i] = w[3];
                    /* spans relative to a zero base: the texts are the library's static strings */
                    spans[4 * i] = code ? (int64_t)(intptr_t)code : -1;
                    spans[4 * i + 1] = code ? (int64_t)strlen(code) : 0;
                    spans[4 * i + 2] = cite ? (int64_t)(intptr_t)cite : -1;
                    spans[4 * i + 3] = cite ? (int64_t)strlen(cite) : 0;
                }
            }
            ok = esv_set(cols, "f_code", esv_cat_column(nf, spans, 4)) &&
                 esv_set(cols, "f_cite", esv_cat_column(nf, spans + 2, 4));
        }
        if (!spans)
            PyErr_NoMemory();
        PyMem_RawFree(spans);
        if (!ok)
            goto done;
    }
    ret = cols;
    cols = NULL;

done:
    /* After an error: the blocks left are not claimed; the running ones finish, then go. */
    if (pool) {
        Py_BEGIN_ALLOW_THREADS
        esv_pool_finish(pool);
        Py_END_ALLOW_THREADS
    }
    /* A text column left behind by an error may hold NULL items: lists and object arrays
     * release their items with Py_XDECREF, so it is dropped as it is. */
    for (int k = 0; k < S_FIRST_CAT; k++)
        Py_XDECREF(text[k]);
    for (size_t k = 0; k < ncat; k++)
        esv_cat_free(&cat[k]);
    for (size_t w = 0; w < ESV_POOL_MAX_WORKERS; w++) {
        embedsvc_project_free(job.projects[w]);
        embedsvc_result_free(job.results[w]);
    }
    if (job.tasks) {
        for (size_t t = 0; t < job.ntasks; t++) {
            PyMem_RawFree(job.tasks[t].arena.data);
            PyMem_RawFree(job.tasks[t].findings.data);
        }
        PyMem_Free(job.tasks);
    }
    PyMem_RawFree(job.spans);
    PyMem_Free(job.rec);
    PyMem_Free(job.rec_len);
    PyMem_Free(lines);
    Py_XDECREF(cols);
    PyBuffer_Release(&view);
    return ret;
}

/* ==== encoding ================================================================================ */

static PyObject *esv_absent = NULL;    /* tuple of the objects meaning "absent" */
static PyObject *esv_bool_type = NULL; /* numpy.bool_ */
static PyObject *esv_fallback = NULL;  /* value -> a JSON-able value, or TypeError */

PyObject *esv_py_frame_setup(PyObject *absent, PyObject *bool_type, PyObject *fallback)
{
    if (!PyTuple_Check(absent) || !PyCallable_Check(fallback)) {
        PyErr_SetString(PyExc_TypeError, "expected (tuple, type, callable)");
        return NULL;
    }
    Py_INCREF(absent);
    Py_XSETREF(esv_absent, absent);
    Py_INCREF(bool_type);
    Py_XSETREF(esv_bool_type, bool_type);
    Py_INCREF(fallback);
    Py_XSETREF(esv_fallback, fallback);
    return PyBool_FromLong(esv_numpy()); /* True: object columns may be numpy object arrays */
}

static inline int esv_put(esv_fbuf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap && !esv_fbuf_grow(b, n)) {
        PyErr_NoMemory();
        return 0;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 1;
}

static int esv_put_i64(esv_fbuf *b, int64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof(tmp);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return esv_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* 1 written, 0 absent (NaN), -1 error. A whole number is written as an integer. */
static int esv_put_double(esv_fbuf *b, double v)
{
    if (v != v)
        return 0;
    if (v - v != 0) {
        PyErr_SetString(PyExc_TypeError, "an infinite number is not JSON");
        return -1;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return esv_put_i64(b, (int64_t)v) ? 1 : -1;
    char *s = PyOS_double_to_string(v, 'r', 0, 0, NULL);
    if (!s)
        return -1;
    int ok = esv_put(b, s, strlen(s));
    PyMem_Free(s);
    return ok ? 1 : -1;
}

/* The length of the prefix of s that JSON writes as is (no control character, quote or
 * backslash), eight bytes at a time. */
static Py_ssize_t esv_plain_prefix(const char *s, Py_ssize_t n)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        uint64_t quote = v ^ (ones * 0x22), backslash = v ^ (ones * 0x5C);
        uint64_t hit = ((v - ones * 0x20) & ~v) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
        if (hit & highs)
            break;
    }
    while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
        i++;
    return i;
}

static int esv_put_str(esv_fbuf *b, PyObject *o)
{
    static const char hex[] = "0123456789abcdef";
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(o, &n);
    if (!s)
        return 0;
    if (b->len + (size_t)n + 2 > b->cap && !esv_fbuf_grow(b, (size_t)n + 2)) {
        PyErr_NoMemory();
        return 0;
    }
    Py_ssize_t i0 = esv_plain_prefix(s, n);
    if (i0 == n) { /* nothing to escape: the common case */
        char *d = b->data + b->len;
        d[0] = '"';
        memcpy(d + 1, s, (size_t)n);
        d[n + 1] = '"';
        b->len += (size_t)n + 2;
        return 1;
    }
    b->data[b->len++] = '"';
    Py_ssize_t run = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t k;
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c, k = 2;
        } else if (c < 0x20) {
            esc[0] = '\\', esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            k = 6;
        } else {
            continue;
        }
        if (!esv_put(b, s + run, (size_t)(i - run)) || !esv_put(b, esc, k))
            return 0;
        run = i + 1;
    }
    return esv_put(b, s + run, (size_t)(n - run)) && esv_put(b, "\"", 1);
}

static int esv_is_absent(PyObject *o)
{
    if (o == Py_None)
        return 1;
    if (esv_absent) {
        Py_ssize_t n = PyTuple_GET_SIZE(esv_absent);
        for (Py_ssize_t i = 0; i < n; i++)
            if (PyTuple_GET_ITEM(esv_absent, i) == o)
                return 1;
    }
    return PyFloat_Check(o) && PyFloat_AS_DOUBLE(o) != PyFloat_AS_DOUBLE(o);
}

/* Writes a value: 1 written, 0 absent (nothing written), -1 a Python error. */
static int esv_put_value(esv_fbuf *b, PyObject *o, int depth)
{
    if (depth > 64) {
        PyErr_SetString(PyExc_TypeError, "nested too deeply");
        return -1;
    }
    /* the common exact types first */
    if (PyUnicode_CheckExact(o))
        return esv_put_str(b, o) ? 1 : -1;
    if (o == Py_None)
        return 0;
    if (PyLong_CheckExact(o)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (!overflow && !(v == -1 && PyErr_Occurred()))
            return esv_put_i64(b, v) ? 1 : -1;
        PyErr_Clear(); /* beyond 64 bits: the general path below */
    }
    if (PyFloat_CheckExact(o))
        return esv_put_double(b, PyFloat_AS_DOUBLE(o));
    if (esv_is_absent(o))
        return 0;
    if (o == Py_True || o == Py_False || (esv_bool_type && PyObject_TypeCheck(o, (PyTypeObject *)esv_bool_type))) {
        int t = PyObject_IsTrue(o);
        if (t < 0)
            return -1;
        return esv_put(b, t ? "true" : "false", t ? 4 : 5) ? 1 : -1;
    }
    if (PyUnicode_Check(o))
        return esv_put_str(b, o) ? 1 : -1;
    if (PyFloat_Check(o))
        return esv_put_double(b, PyFloat_AS_DOUBLE(o));
    if (PyLong_Check(o) || (!PyFloat_Check(o) && PyIndex_Check(o))) { /* int, numpy integers */
        PyObject *i = PyNumber_Index(o);
        if (!i)
            return -1;
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(i, &overflow);
        int rc;
        if (!overflow && !(v == -1 && PyErr_Occurred())) {
            rc = esv_put_i64(b, v) ? 1 : -1;
        } else { /* beyond 64 bits: its digits (the parser reports the range) */
            PyErr_Clear();
            PyObject *s = PyObject_Str(i);
            Py_ssize_t n;
            const char *t = s ? PyUnicode_AsUTF8AndSize(s, &n) : NULL;
            rc = t && esv_put(b, t, (size_t)n) ? 1 : -1;
            Py_XDECREF(s);
        }
        Py_DECREF(i);
        return rc;
    }
    if (PyDict_Check(o)) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        int first = 1;
        if (!esv_put(b, "{", 1))
            return -1;
        while (PyDict_Next(o, &pos, &key, &value)) {
            if (!PyUnicode_Check(key)) {
                PyErr_Format(PyExc_TypeError, "a key must be a str, not %.100s", Py_TYPE(key)->tp_name);
                return -1;
            }
            size_t mark = b->len;
            if ((!first && !esv_put(b, ",", 1)) || !esv_put_str(b, key) || !esv_put(b, ":", 1))
                return -1;
            int rc = esv_put_value(b, value, depth + 1);
            if (rc < 0)
                return -1;
            if (rc == 0)
                b->len = mark; /* an absent value: the key goes too */
            else
                first = 0;
        }
        return esv_put(b, "}", 1) ? 1 : -1;
    }
    if (PyList_Check(o) || PyTuple_Check(o)) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
        if (!esv_put(b, "[", 1))
            return -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (i && !esv_put(b, ",", 1))
                return -1;
            int rc = esv_put_value(b, PySequence_Fast_GET_ITEM(o, i), depth + 1);
            if (rc < 0)
                return -1;
            if (rc == 0 && !esv_put(b, "null", 4))
                return -1;
        }
        return esv_put(b, "]", 1) ? 1 : -1;
    }
    if (!esv_fallback) {
        PyErr_Format(PyExc_TypeError, "%.100s is not JSON", Py_TYPE(o)->tp_name);
        return -1;
    }
    PyObject *v = PyObject_CallOneArg(esv_fallback, o);
    if (!v)
        return -1;
    int rc = v == o ? (PyErr_Format(PyExc_TypeError, "%.100s is not JSON", Py_TYPE(o)->tp_name), -1)
                    : esv_put_value(b, v, depth + 1);
    Py_DECREF(v);
    return rc;
}

/* A column of the input: its key (as written, with quotes and colon), kind and data. */
typedef struct esv_incol {
    PyObject *key;
    esv_fbuf head; /* the key written once: "key": */
    char kind;
    Py_buffer values, mask;
    int has_values, has_mask;
    PyObject *list;
    PyObject *const *items; /* the objects of an "o" column (a list's or an object array's) */
    Py_ssize_t len;
} esv_incol;

static void esv_incols_free(esv_incol *c, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; c && i < n; i++) {
        PyMem_RawFree(c[i].head.data);
        if (c[i].has_values)
            PyBuffer_Release(&c[i].values);
        if (c[i].has_mask)
            PyBuffer_Release(&c[i].mask);
    }
    PyMem_Free(c);
}

static esv_incol *esv_incols(PyObject *columns, Py_ssize_t *count)
{
    if (!PyList_Check(columns)) {
        PyErr_SetString(PyExc_TypeError, "columns must be a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(columns);
    esv_incol *c = PyMem_Calloc((size_t)(n ? n : 1), sizeof(*c));
    if (!c) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(columns, i);
        const char *kind;
        PyObject *values, *mask = Py_None;
        if (!PyArg_ParseTuple(t, "UsO|O", &c[i].key, &kind, &values, &mask))
            goto fail;
        c[i].kind = kind[0];
        if (!esv_put_str(&c[i].head, c[i].key) || !esv_put(&c[i].head, ":", 1))
            goto fail;
        if (c[i].kind == 'o') {
            c[i].list = values;
            if (PyList_Check(values)) {
                c[i].items = ((PyListObject *)values)->ob_item;
                c[i].len = PyList_GET_SIZE(values);
#ifdef ESV_HAVE_NUMPY
            } else if (esv_numpy() && esv_is_object_vector(values)) {
                c[i].items = (PyObject *const *)PyArray_DATA((PyArrayObject *)values);
                c[i].len = (Py_ssize_t)PyArray_DIM((PyArrayObject *)values, 0);
#endif
            } else {
                PyErr_SetString(PyExc_TypeError, "an object column must be a list or a 1-d object array");
                goto fail;
            }
        } else {
            if (PyObject_GetBuffer(values, &c[i].values, PyBUF_SIMPLE) < 0)
                goto fail;
            c[i].has_values = 1;
            size_t size = c[i].kind == 'b' ? 1 : 8;
            c[i].len = c[i].values.len / (Py_ssize_t)size;
            if (mask != Py_None) {
                if (PyObject_GetBuffer(mask, &c[i].mask, PyBUF_SIMPLE) < 0)
                    goto fail;
                c[i].has_mask = 1;
                if (c[i].mask.len < c[i].len) {
                    PyErr_SetString(PyExc_ValueError, "mask shorter than its column");
                    goto fail;
                }
            }
        }
    }
    *count = n;
    return c;
fail:
    esv_incols_free(c, n);
    return NULL;
}

/* Writes the fields of row r of the columns (without braces); *first tracks the commas. */
static int esv_put_fields(esv_fbuf *b, esv_incol *c, Py_ssize_t ncols, Py_ssize_t r, int *first)
{
    for (Py_ssize_t k = 0; k < ncols; k++) {
        if (r >= c[k].len) {
            PyErr_SetString(PyExc_ValueError, "columns of different lengths");
            return 0;
        }
        if (c[k].has_mask && ((const uint8_t *)c[k].mask.buf)[r])
            continue;
        size_t mark = b->len;
        if ((!*first && !esv_put(b, ",", 1)) || !esv_put(b, c[k].head.data, c[k].head.len))
            return 0;
        int rc;
        switch (c[k].kind) {
        case 'i':
            rc = esv_put_i64(b, ((const int64_t *)c[k].values.buf)[r]) ? 1 : -1;
            break;
        case 'f':
            rc = esv_put_double(b, ((const double *)c[k].values.buf)[r]);
            break;
        case 'b': {
            int t = ((const uint8_t *)c[k].values.buf)[r] != 0;
            rc = esv_put(b, t ? "true" : "false", t ? 4 : 5) ? 1 : -1;
            break;
        }
        default:
            rc = esv_put_value(b, c[k].items[r], 0);
        }
        if (rc < 0) {
            /* name the row and the column */
            PyObject *type, *value, *tb;
            PyErr_Fetch(&type, &value, &tb);
            PyErr_NormalizeException(&type, &value, &tb);
            PyErr_Format(type ? type : PyExc_TypeError, "row %zd, column %R: %S", r, c[k].key,
                         value ? value : Py_None);
            Py_XDECREF(type);
            Py_XDECREF(value);
            Py_XDECREF(tb);
            return 0;
        }
        if (rc == 0)
            b->len = mark;
        else
            *first = 0;
    }
    return 1;
}

PyObject *esv_py_frame_encode(PyObject *columns, long long rows, PyObject *functions)
{
    esv_fbuf b;
    memset(&b, 0, sizeof(b));
    PyObject *out = NULL;
    esv_incol *c = NULL, *fc = NULL;
    Py_ssize_t ncols = 0, nfcols = 0;
    Py_buffer order, offsets;
    int have_order = 0, have_offsets = 0;

    if (rows < 0) { /* a list of dicts (or of documents as text) */
        if (!PyList_Check(columns)) {
            PyErr_SetString(PyExc_TypeError, "expected a list of projects");
            return NULL;
        }
        Py_ssize_t n = PyList_GET_SIZE(columns);
        for (Py_ssize_t r = 0; r < n; r++) {
            PyObject *o = PyList_GET_ITEM(columns, r);
            if (r && !esv_put(&b, "\n", 1))
                goto done;
            if (PyDict_Check(o)) {
                if (esv_put_value(&b, o, 0) < 0) {
                    PyObject *type, *value, *tb;
                    PyErr_Fetch(&type, &value, &tb);
                    PyErr_NormalizeException(&type, &value, &tb);
                    PyErr_Format(type ? type : PyExc_TypeError, "project %zd: %S", r, value ? value : Py_None);
                    Py_XDECREF(type);
                    Py_XDECREF(value);
                    Py_XDECREF(tb);
                    goto done;
                }
                continue;
            }
            const char *s = NULL;
            Py_ssize_t len = 0;
            Py_buffer view;
            int have_view = 0;
            if (PyUnicode_Check(o)) {
                s = PyUnicode_AsUTF8AndSize(o, &len);
                if (!s)
                    goto done;
            } else if (PyObject_CheckBuffer(o) && PyObject_GetBuffer(o, &view, PyBUF_SIMPLE) == 0) {
                have_view = 1;
                s = view.buf;
                len = view.len;
            } else {
                PyErr_Format(PyExc_TypeError, "project %zd: a project is a dict or JSON text, not %.100s", r,
                             Py_TYPE(o)->tp_name);
                goto done;
            }
            /* one document per line: a raw line break is white space between JSON tokens */
            size_t start = b.len;
            int ok = esv_put(&b, s, (size_t)len);
            if (have_view)
                PyBuffer_Release(&view);
            if (!ok)
                goto done;
            int blank = 1;
            for (size_t i = start; i < b.len; i++) {
                if (b.data[i] == '\n' || b.data[i] == '\r')
                    b.data[i] = ' ';
                else if (b.data[i] != ' ' && b.data[i] != '\t')
                    blank = 0;
            }
            if (blank && !esv_put(&b, "\"\"", 2)) /* an empty document stays a (failing) record */
                goto done;
        }
        out = PyBytes_FromStringAndSize(b.data ? b.data : "", (Py_ssize_t)b.len);
        goto done;
    }

    c = esv_incols(columns, &ncols);
    if (!c)
        goto done;
    const int64_t *ord = NULL, *off = NULL;
    if (functions != Py_None) {
        PyObject *fcols, *o1, *o2;
        if (!PyArg_ParseTuple(functions, "OOO", &fcols, &o1, &o2))
            goto done;
        fc = esv_incols(fcols, &nfcols);
        if (!fc)
            goto done;
        if (PyObject_GetBuffer(o1, &order, PyBUF_SIMPLE) < 0)
            goto done;
        have_order = 1;
        if (PyObject_GetBuffer(o2, &offsets, PyBUF_SIMPLE) < 0)
            goto done;
        have_offsets = 1;
        if (offsets.len < (Py_ssize_t)((rows + 1) * 8)) {
            PyErr_SetString(PyExc_ValueError, "offsets shorter than rows + 1");
            goto done;
        }
        ord = order.buf;
        off = offsets.buf;
    }
    for (Py_ssize_t r = 0; r < (Py_ssize_t)rows; r++) {
        int first = 1;
        if ((r && !esv_put(&b, "\n", 1)) || !esv_put(&b, "{", 1) || !esv_put_fields(&b, c, ncols, r, &first))
            goto done;
        if (fc) {
            if ((!first && !esv_put(&b, ",", 1)) || !esv_put(&b, "\"functions\":[", 13))
                goto done;
            for (int64_t k = off[r]; k < off[r + 1]; k++) {
                int ffirst = 1;
                if (k < 0 || k >= (int64_t)(order.len / 8)) {
                    PyErr_SetString(PyExc_ValueError, "offsets out of range");
                    goto done;
                }
                if ((k > off[r] && !esv_put(&b, ",", 1)) || !esv_put(&b, "{", 1) ||
                    !esv_put_fields(&b, fc, nfcols, (Py_ssize_t)ord[k], &ffirst) || !esv_put(&b, "}", 1))
                    goto done;
            }
            if (!esv_put(&b, "]", 1))
                goto done;
        }
        if (!esv_put(&b, "}", 1))
            goto done;
    }
    out = PyBytes_FromStringAndSize(b.data ? b.data : "", (Py_ssize_t)b.len);
done:
    if (have_order)
        PyBuffer_Release(&order);
    if (have_offsets)
        PyBuffer_Release(&offsets);
    esv_incols_free(c, ncols);
    esv_incols_free(fc, nfcols);
    PyMem_RawFree(b.data);
    return out;
}
