/* Reports a plugin registers (KT_EXT_REPORT): run in C, read-only like a report file, filling
 * the same table the renderers print. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/plugin_loader.h"
#include "kartoteka/query.h"
#include "report/report_int.h"

typedef struct run_ctx {
    kt_ws *ws;
    const kt_report_param *params;
    size_t nparams;
    kt_report_table *t;
    size_t col; /* the next cell's column in the last row */
    kt_status st;
    kt_error failure; /* the first thing the host refused, for the report's error */
} run_ctx;

static int refuse(run_ctx *c, kt_status st, const char *what)
{
    if (!c->st) {
        c->st = st;
        kt_error_set(&c->failure, st, "%s", what);
    }
    return KT_PLUGIN_FAIL;
}

static const char *param(void *handle, const char *key)
{
    run_ctx *c = handle;
    const char *v = NULL;
    for (size_t i = 0; key && i < c->nparams; i++)
        if (strcmp(c->params[i].name, key) == 0) v = c->params[i].value; /* the last one given */
    return v;
}

typedef struct each_ctx {
    run_ctx *c;
    int (*fn)(void *fn_ud, const kt_plugin_record *rec);
    void *fn_ud;
} each_ctx;

static int each_record(void *ud, const kt_record *rec)
{
    each_ctx *e = ud;
    kt_plugin_view v;
    kt_error err;
    if (kt_plugin_view_make(rec, &v, &err)) return refuse(e->c, err.code, err.message), 1;
    int stop = e->fn(e->fn_ud, &v.view);
    kt_plugin_view_clear(&v);
    return stop;
}

static int each(void *handle, const char *entity,
                int (*fn)(void *fn_ud, const kt_plugin_record *rec), void *fn_ud)
{
    run_ctx *c = handle;
    if (c->st) return KT_PLUGIN_FAIL;
    if (!entity || !fn) return refuse(c, KT_USAGE, "each(): an entity and a function, please");
    each_ctx e = {c, fn, fn_ud};
    kt_list_opts o = {0};
    kt_error err;
    if (kt_list(c->ws, entity, &o, each_record, &e, &err)) return refuse(c, err.code, err.message);
    return c->st ? KT_PLUGIN_FAIL : KT_PLUGIN_OK;
}

static int column(void *handle, const char *name)
{
    run_ctx *c = handle;
    kt_report_table *t = c->t;
    if (c->st) return KT_PLUGIN_FAIL;
    if (!name || !name[0]) return refuse(c, KT_INVALID, "a column without a name");
    if (t->nrows) return refuse(c, KT_INVALID, "columns come before the first row");
    if (report_column_index(t, name) >= 0) {
        char m[200];
        snprintf(m, sizeof m, "the column '%.100s' is given twice", name);
        return refuse(c, KT_INVALID, m);
    }
    kt_report_column *cols = kt_realloc(t->columns, (t->ncolumns + 1) * sizeof *cols);
    if (!cols) return refuse(c, KT_NOMEM, "out of memory");
    t->columns = cols;
    cols[t->ncolumns] = (kt_report_column){kt_strdup(name), 0, -1};
    if (!cols[t->ncolumns].name) return refuse(c, KT_NOMEM, "out of memory");
    t->ncolumns++;
    return KT_PLUGIN_OK;
}

static int row(void *handle)
{
    run_ctx *c = handle;
    kt_report_table *t = c->t;
    if (c->st) return KT_PLUGIN_FAIL;
    if (!t->ncolumns) return refuse(c, KT_INVALID, "a row before any column");
    kt_report_cell *cells = kt_realloc(t->cells, (t->nrows + 1) * t->ncolumns * sizeof *cells);
    if (!cells) return refuse(c, KT_NOMEM, "out of memory");
    t->cells = cells;
    memset(&cells[t->nrows * t->ncolumns], 0, t->ncolumns * sizeof *cells);
    t->nrows++;
    c->col = 0;
    return KT_PLUGIN_OK;
}

/* The next cell of the last row, or NULL (refused) when there is none. */
static kt_report_cell *next_cell(run_ctx *c)
{
    kt_report_table *t = c->t;
    if (c->st) return NULL;
    if (!t->nrows) return refuse(c, KT_INVALID, "a cell before the first row"), NULL;
    if (c->col >= t->ncolumns) return refuse(c, KT_INVALID, "more cells than columns"), NULL;
    return &t->cells[(t->nrows - 1) * t->ncolumns + c->col++];
}

static int text(void *handle, const char *value)
{
    run_ctx *c = handle;
    kt_report_cell *cell = next_cell(c);
    if (!cell) return KT_PLUGIN_FAIL;
    if (!value) return KT_PLUGIN_OK;
    cell->kind = KT_CELL_TEXT;
    if (!(cell->text = kt_strdup(value))) {
        cell->kind = KT_CELL_NULL;
        return refuse(c, KT_NOMEM, "out of memory");
    }
    return KT_PLUGIN_OK;
}

static int integer(void *handle, long long value)
{
    kt_report_cell *cell = next_cell(handle);
    if (!cell) return KT_PLUGIN_FAIL;
    cell->kind = KT_CELL_INT;
    cell->i = value;
    return KT_PLUGIN_OK;
}

static int real(void *handle, double value)
{
    kt_report_cell *cell = next_cell(handle);
    if (!cell) return KT_PLUGIN_FAIL;
    cell->kind = KT_CELL_REAL;
    cell->r = value;
    return KT_PLUGIN_OK;
}

/* Is key one of the comma-separated names in list? */
static int listed(const char *list, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',' && *end != ' ')
            end++;
        if ((size_t)(end - p) == n && strncmp(p, key, n) == 0) return 1;
        p = end;
    }
    return 0;
}

char *report_plugin_params_text(const kt_plugin_report *pr)
{
    kt_buf b = KT_BUF_INIT;
    for (const char *p = pr->params; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',' && *end != ' ')
            end++;
        if (end > p) kt_buf_printf(&b, NULL, "%s--%.*s", b.len ? " " : "", (int)(end - p), p);
        p = end;
    }
    return kt_buf_take(&b);
}

kt_status report_plugin_run(kt_ws *ws, const kt_plugin_report *pr, const kt_report_param *params,
                            size_t nparams, kt_report **out, kt_error *err)
{
    for (size_t i = 0; i < nparams; i++) {
        if (listed(pr->params, params[i].name)) continue;
        char *names = report_plugin_params_text(pr);
        kt_error_set(err, KT_USAGE, "report %s has no parameter --%s (it takes: %s)", pr->name,
                     params[i].name, names && *names ? names : "none");
        kt_free(names);
        return KT_USAGE;
    }
    kt_report *r = kt_calloc(1, sizeof *r);
    if (!r) return kt_error_set(err, KT_NOMEM, "out of memory");
    r->name = kt_strdup(pr->name);
    r->title = kt_strdup(pr->title ? pr->title : pr->name);
    if (!r->name || !r->title) {
        kt_report_free(r);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    run_ctx c = {ws, params, nparams, &r->table, 0, KT_OK, {0}};
    kt_plugin_report_ctx ctx = {&c, param, each, column, row, text, integer, real};
    report_guard g;
    kt_status st = report_guard_begin(ws, &g, err);
    if (st) {
        kt_report_free(r);
        return st;
    }
    char msg[512] = "";
    int rc = pr->run(pr->ud, &ctx, msg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    report_guard_end(&g);
    if (g.tried)
        st = kt_error_set(err, KT_DENIED,
                          "reports are read-only: report %s tried to write (%s); nothing was "
                          "written",
                          pr->name, g.what);
    else if (c.st)
        st = kt_error_set(err, c.st, "report %s: %s", pr->name, c.failure.message);
    else if (rc != KT_PLUGIN_OK)
        st = kt_error_set(err, KT_SCRIPT, "report %s failed: %s", pr->name,
                          msg[0] ? msg : "the plugin gave no reason");
    if (st) {
        kt_report_free(r);
        return st;
    }
    *out = r;
    return KT_OK;
}
