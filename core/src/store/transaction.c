/* Transactions of the store: the outermost BEGIN (lazy or not), savepoints inside it, commit and
 * rollback level by level, the listeners told of each, and the read-only view of a report. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/store.h"
#include "store/store_engine.h"
#include "store/store_int.h"

kt_status kt_store_begin_lazy(kt_store *s, kt_error *err)
{
    if (s->depth > 0) return kt_store_begin(s, err);
    s->pending = 1;
    s->depth = 1;
    return KT_OK;
}

static void tell_began(kt_store *s)
{
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i]->began) s->listeners[i]->began(s->listeners[i]->ud, s->depth);
}

kt_status kt_store_begin(kt_store *s, kt_error *err)
{
    char sql[64];
    if (s->pending) { /* the first write inside a lazy transaction: take the lock now */
        kt_status st = store_exec(s, s->eng->begin, err);
        if (st) return st;
        s->pending = 0;
        tell_began(s);
    }
    if (s->depth == 0)
        snprintf(sql, sizeof sql, "%s", s->eng->begin);
    else
        snprintf(sql, sizeof sql, "SAVEPOINT kt_%d", s->depth);
    kt_status st = s->depth ? store_exec_cached(s, sql, err) : store_exec(s, sql, err);
    if (st) return st;
    s->depth++;
    tell_began(s);
    return KT_OK;
}

kt_status kt_store_commit(kt_store *s, kt_error *err)
{
    if (s->depth == 0) return kt_error_set(err, KT_INTERNAL, "commit without a transaction");
    char sql[64];
    if (s->pending) { /* a lazy transaction that never wrote */
        s->pending = 0;
        s->depth = 0;
        return KT_OK;
    }
    for (size_t i = 0; i < s->nlisteners; i++) {
        const kt_store_listener *l = s->listeners[i];
        kt_status bc = l->committing ? l->committing(l->ud, s->depth, err) : KT_OK;
        if (bc) {
            kt_store_rollback(s);
            return bc;
        }
    }
    if (s->depth == 1)
        snprintf(sql, sizeof sql, "%s", s->eng->commit);
    else
        snprintf(sql, sizeof sql, "RELEASE kt_%d", s->depth - 1);
    if (!s->eng->in_transaction(s)) {
        /* SQLite rolled the transaction back after an earlier failure: nothing to commit */
        kt_store_rollback(s);
        return kt_error_set(err, KT_INTERNAL,
                            "database: the transaction was rolled back after "
                            "an earlier failure");
    }
    s->committing = s->depth == 1;
    kt_status st = s->depth > 1 ? store_exec_cached(s, sql, err) : store_exec(s, sql, err);
    s->committing = 0;
    /* A failed COMMIT (out of memory, disk full, I/O error) must not leave the transaction
     * open: every caller returns the error without a rollback of its own. */
    if (st) {
        kt_store_rollback(s);
        return st;
    }
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i]->committed) s->listeners[i]->committed(s->listeners[i]->ud, s->depth);
    s->depth--;
    return KT_OK;
}

void kt_store_rollback(kt_store *s)
{
    if (s->depth == 0) return;
    if (s->pending) {
        s->pending = 0;
        s->depth = 0;
        return;
    }
    char sql[80];
    if (s->depth == 1)
        snprintf(sql, sizeof sql, "ROLLBACK");
    else
        snprintf(sql, sizeof sql, "ROLLBACK TO kt_%d; RELEASE kt_%d", s->depth - 1, s->depth - 1);
    store_exec(s, sql, NULL);
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i]->rolled_back)
            s->listeners[i]->rolled_back(s->listeners[i]->ud, s->depth);
    s->depth--;
}

kt_status kt_store_listen(kt_store *s, const kt_store_listener *l, kt_error *err)
{
    if (s->nlisteners == LISTENERS)
        return kt_error_set(err, KT_INTERNAL, "too many transaction listeners");
    s->listeners[s->nlisteners++] = l;
    return KT_OK;
}

void kt_store_unlisten(kt_store *s, const kt_store_listener *l)
{
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i] == l) {
            memmove(&s->listeners[i], &s->listeners[i + 1],
                    (s->nlisteners - i - 1) * sizeof *s->listeners);
            s->nlisteners--;
            return;
        }
}

kt_status kt_store_read_begin(kt_store *s, int *began, kt_error *err)
{
    *began = 0;
    if (!s->eng->in_transaction(s)) {
        if (store_exec(s, "BEGIN", NULL))
            return kt_error_set(err, KT_INTERNAL, "starting the report's read: %s",
                                s->eng->errmsg(s));
        *began = 1;
    }
    kt_status st = s->eng->query_only(s, 1, err);
    if (st) {
        if (*began) store_exec(s, "ROLLBACK", NULL);
        *began = 0;
        return st;
    }
    return KT_OK;
}

void kt_store_read_end(kt_store *s, int began)
{
    s->eng->query_only(s, 0, NULL);
    if (began) store_exec(s, "ROLLBACK", NULL);
}

int kt_store_depth(const kt_store *s)
{
    return s->depth;
}
