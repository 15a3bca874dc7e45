/* Undo and the records that came after: a batch's records may be referred to by later ones (the
 * sales of an imported person). Archiving them would leave those pointing at archived records,
 * so undo first counts the dependants — records outside the batch whose reference fields point
 * at a record the batch created, and their own dependants in turn — and refuses, naming how
 * many of each entity, unless told to archive them too (cascade) or to go ahead (force). */
#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/query.h"

static kt_status collect(kt_ws *ws, long long batch, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_status rc = imp_undo_set_start(s, batch, err);
    const kt_registry *reg = kt_ws_registry(ws);
    long long added = 1;
    while (!rc && added) { /* a sale's activity depends on the sale as the sale on its customer */
        added = 0;
        for (size_t i = 0; !rc && i < kt_registry_entity_count(reg); i++) {
            const kt_entity *e = kt_registry_entity_at(reg, i);
            for (size_t j = 0; !rc && j < e->nfields; j++)
                if (e->fields[j].kind == KT_TYPE_REF)
                    rc = imp_undo_set_grow(s, &e->fields[j], &added, err);
        }
    }
    return rc;
}

static kt_status archive_dependants(kt_ws *ws, const kt_save_opts *so, long *archived,
                                    kt_error *err)
{
    kt_id *ids = NULL;
    size_t n = 0;
    kt_status rc = imp_undo_set_dependants(kt_ws_store(ws), &ids, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = kt_archive(ws, ids[i], so, err);
        if (!rc) rc = kt_history_add(ws, ids[i], "undo", NULL, NULL, NULL, so->source, 0, err);
        if (!rc) (*archived)++;
    }
    kt_free(ids);
    return rc;
}

kt_status imp_undo_dependants(kt_ws *ws, long long batch, int flags, const kt_save_opts *so,
                              long *archived, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_buf b = KT_BUF_INIT;
    long n = 0;
    kt_status rc = collect(ws, batch, err);
    if (!rc) rc = imp_undo_set_describe(s, &b, &n, err);
    if (!rc && n && (flags & KT_UNDO_CASCADE))
        rc = archive_dependants(ws, so, archived, err);
    else if (!rc && n && !(flags & KT_UNDO_FORCE))
        rc = kt_error_set(err, KT_CONSTRAINT,
                          "batch %lld created records that later records refer to: undo would "
                          "orphan %s; use --cascade to archive them too, or --force to undo "
                          "anyway",
                          batch, kt_buf_str(&b));
    kt_buf_free(&b);
    return rc;
}
