/* The xlsx reader plugin: the first sheet of a workbook, or a named one, as rows. Shared and
 * inline strings, numbers as written, dates (by the cell's number format) as YYYY-MM-DD,
 * booleans as true/false, gaps in a row as absent cells. The first row is the header (the
 * host makes it so: rows come without keys). Defences: entry count and declared and actual
 * unpacked sizes against max_total (zip bombs), no DOCTYPE or entities (expansion bombs),
 * shared-string indexes checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_int.h"

static void xo_close(void *h)
{
    xl *x = h;
    if (!x) return;
    xl_sheet_stop(x);
    if (x->z) zip_discard(x->z);
    xl_sst_free(&x->sst);
    xb_free(&x->cells);
    xb_free(&x->val);
    free(x->date_xf);
    free(x->off);
    free(x->ptr);
    free(x);
}

static void *xo_open(void *ud, const char *path, const kt_plugin_reader_opts *o, char *msg,
                     size_t msg_size)
{
    xl *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(msg, msg_size, "out of memory");
        return NULL;
    }
    x->max_total = o && o->max_total ? o->max_total : (size_t)1024 * 1024 * 1024;
    x->max_cell = o && o->max_cell ? o->max_cell : (size_t)16 * 1024 * 1024;
    x->max_fields = o && o->max_fields ? o->max_fields : 4096;
    x->max_row = x->max_cell > (size_t)-1 / 8 ? (size_t)-1 / 2 : x->max_cell * 4;
    x->sheet_name = o && o->sheet && o->sheet[0] ? o->sheet : NULL;
    int rc = xl_open_zip(x, path);
    if (!rc) rc = xl_load_book(x);
    if (!rc) rc = xl_sheet_start(x);
    x->sheet_name = NULL; /* borrowed for this call only */
    if (rc) {
        snprintf(msg, msg_size, "%s", x->err);
        xo_close(x);
        return NULL;
    }
    return x;
}

static int xo_next(void *h, kt_plugin_row *row, char *msg, size_t msg_size)
{
    xl *x = h;
    int r = xl_sheet_next(x);
    if (r < 0) {
        snprintf(msg, msg_size, "%s", x->err);
        return -1;
    }
    if (r == 0) return 0;
    row->count = x->ncells;
    row->keys = NULL;
    row->values = x->ptr;
    row->line = x->row_num;
    return 1;
}

static const kt_plugin_reader reader = {"xlsx", "xlsx,xlsm", xo_open, xo_next, xo_close, NULL};

static int init(const kt_plugin_host *host, char *msg, size_t msg_size)
{
    if (host->register_reader(host->handle, &reader) != KT_PLUGIN_OK) {
        snprintf(msg, msg_size, "the reader name 'xlsx' is taken");
        return KT_PLUGIN_FAIL;
    }
    return KT_PLUGIN_OK;
}

KT_PLUGIN_DECLARE = {KT_PLUGIN_ABI_VERSION,
                     sizeof(kt_plugin_desc),
                     "xlsx",
                     "1.0.0",
                     "MIT",
                     "XLSX import reader (first or named sheet, shared strings, dates)",
                     init};
