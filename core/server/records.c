/* The records of an entity: GET /{entity} (filters, search, cursor paging), GET, POST and
 * PATCH (If-Match versions) of one record, archive, restore, history, a person's consents
 * (consent.c) and their export and erasure (person.c). Every read and write goes through the core
 * with the request's actor; writes through the one write door. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/json.h"
#include "kartoteka/query.h"
#include "html.h"
#include "server.h"

#define LIMIT_DEFAULT 50
#define LIMIT_MAX 1000
#define MAX_WHERE 16

typedef struct page {
    kt_ws *ws;
    const char *entity; /* keep only these (a search finds every entity) */
    cJSON *items;
    long count, limit;
    kt_id last;
} page;

static int on_record(void *ud, const kt_record *rec)
{
    page *p = ud;
    if (p->entity && strcmp(rec->entity, p->entity) != 0) return 0;
    cJSON_AddItemToArray(p->items, kt_json_record(p->ws, rec, NULL));
    p->last = rec->id;
    return ++p->count >= p->limit;
}

typedef struct wheres {
    kt_filter f[MAX_WHERE];
    size_t n;
    int bad;
    kt_error err;
} wheres;

static enum MHD_Result take_where(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    wheres *w = cls;
    if (strcmp(key, "where") != 0 || w->bad) return MHD_YES;
    if (w->n == MAX_WHERE) {
        w->bad = 1;
        kt_error_set(&w->err, KT_USAGE, "at most %d where filters", MAX_WHERE);
    } else if (kt_filter_parse(value ? value : "", &w->f[w->n], &w->err)) {
        w->bad = 1;
    } else {
        w->n++;
    }
    return MHD_YES;
}

/* The next page's address: the same filters, after the last id (or, sorted by fields, at the
 * next offset). */
static char *next_link(srv_req *r, const wheres *w, long limit, kt_id last, const char *sort,
                       long offset)
{
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">=", "~"};
    kt_buf b = KT_BUF_INIT;
    if (sort) {
        kt_buf_printf(&b, NULL, "</api/v1/%s?limit=%ld&offset=%ld&sort=", r->seg[0], limit,
                      offset + limit);
        html_url_value(&b, sort);
    } else {
        kt_buf_printf(&b, NULL, "</api/v1/%s?limit=%ld&after=%lld", r->seg[0], limit, last);
    }
    const char *state = srv_arg(r, "state");
    if (state) {
        kt_buf_puts(&b, "&state=", NULL);
        html_url_value(&b, state);
    }
    for (size_t i = 0; i < w->n; i++) {
        kt_buf_puts(&b, "&where=", NULL);
        html_url_value(&b, w->f[i].field);
        html_url_value(&b, ops[w->f[i].op]);
        html_url_value(&b, w->f[i].value ? w->f[i].value : "");
    }
    kt_buf_puts(&b, ">; rel=\"next\"", NULL);
    return kt_buf_take(&b);
}

static int parse_limit(const char *text, long *out)
{
    if (!text) {
        *out = LIMIT_DEFAULT;
        return 1;
    }
    char *end;
    long n = strtol(text, &end, 10);
    *out = n;
    return *text && !*end && n >= 1 && n <= LIMIT_MAX;
}

static enum MHD_Result list(srv_req *r)
{
    const char *q = srv_arg(r, "q"), *sort = srv_arg(r, "sort"), *after = srv_arg(r, "after");
    const char *state = srv_arg(r, "state");
    long limit;
    if (!parse_limit(srv_arg(r, "limit"), &limit))
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "limit is a number from 1 to 1000", NULL);
    kt_id from = after ? kt_id_parse(after) : 0;
    if (after && !from)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "after is a record id", NULL);
    if (sort && !strcmp(sort, "id")) sort = NULL;
    const char *offset_text = srv_arg(r, "offset");
    char *end = NULL;
    long offset = offset_text ? strtol(offset_text, &end, 10) : 0;
    if (offset_text && (!*offset_text || *end || offset < 0))
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "offset is a number from 0", NULL);
    /* a cursor is an id: it pages the id order only */
    if ((sort && after) || (offset_text && !sort))
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                               "after pages the id order; sort by fields pages with offset", NULL);
    int archived = !state || !strcmp(state, "active") ? 0
                   : !strcmp(state, "archived")       ? 1
                   : !strcmp(state, "all")            ? 2
                                                      : -1;
    if (archived < 0)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "state is active, archived or all", NULL);
    wheres w = {.n = 0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, take_where, &w);
    enum MHD_Result res;
    page p = {r->ws, NULL, cJSON_CreateArray(), 0, limit, 0};
    kt_error err;
    kt_status st = KT_OK;
    if (w.bad) {
        res = srv_reply_status(r, &w.err, NULL);
        goto out;
    }
    if (q && (w.n || after || archived || sort)) {
        res = srv_reply_error(r, MHD_HTTP_BAD_REQUEST,
                              "q searches active records and takes no where, after, sort or state",
                              NULL);
        goto out;
    }
    if (q) {
        p.entity = r->seg[0];
        st = kt_find(r->ws, q, LIMIT_MAX, on_record, &p, &err);
    } else if (sort) {
        kt_list_opts o = {w.f, w.n, archived, limit, offset};
        st = kt_list_ordered(r->ws, r->seg[0], &o, sort, on_record, &p, &err);
    } else {
        kt_list_opts o = {w.f, w.n, archived, limit, 0};
        st = kt_list_after(r->ws, r->seg[0], &o, from, on_record, &p, &err);
    }
    if (st) {
        /* the entity exists: a missing field is a bad filter, not a missing resource */
        if (st == KT_NOTFOUND) err.code = KT_USAGE;
        res = srv_reply_status(r, &err, NULL);
        goto out;
    }
    char *link = !q && p.count == limit ? next_link(r, &w, limit, p.last, sort, offset) : NULL;
    const char *headers[] = {MHD_HTTP_HEADER_LINK, link, NULL};
    res = srv_reply_json(r, MHD_HTTP_OK, p.items, link ? headers : NULL);
    p.items = NULL;
    kt_free(link);
out:
    cJSON_Delete(p.items);
    for (size_t i = 0; i < w.n; i++)
        kt_filter_clear(&w.f[i]);
    return res;
}

/* The request body as the values of rec: strings, numbers, true/false, null (clears) and arrays
 * of strings (sets). id, entity, state and merged_into are the record's, not fields. */
static kt_status body_record(srv_req *r, kt_record *rec, kt_error *err)
{
    if (!r->body.len) return kt_error_set(err, KT_USAGE, "send the fields as a JSON object");
    cJSON *j = cJSON_ParseWithLength(r->body.data, r->body.len);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return kt_error_set(err, KT_USAGE, "the body is not a JSON object");
    }
    static const char *const own[] = {"id", "entity", "state", "merged_into"};
    kt_status st = KT_OK;
    const cJSON *it;
    cJSON_ArrayForEach(it, j)
    {
        if (st) break;
        int skip = 0;
        for (size_t i = 0; i < 4; i++)
            skip |= !strcmp(it->string, own[i]);
        if (skip) continue;
        char num[64];
        if (cJSON_IsString(it)) {
            st = kt_record_set(rec, it->string, it->valuestring, err);
        } else if (cJSON_IsNumber(it)) {
            double d = it->valuedouble;
            if (d == (double)(long long)d)
                snprintf(num, sizeof num, "%lld", (long long)d);
            else
                snprintf(num, sizeof num, "%.15g", d);
            st = kt_record_set(rec, it->string, num, err);
        } else if (cJSON_IsBool(it)) {
            st = kt_record_set(rec, it->string, cJSON_IsTrue(it) ? "true" : "false", err);
        } else if (cJSON_IsNull(it)) {
            st = kt_record_set(rec, it->string, NULL, err);
        } else if (cJSON_IsArray(it)) {
            int n = cJSON_GetArraySize(it), k = 0;
            const char **items = kt_calloc((size_t)n + 1, sizeof *items);
            if (!items) {
                st = kt_error_set(err, KT_NOMEM, "out of memory");
                break;
            }
            const cJSON *x;
            cJSON_ArrayForEach(x, it)
            {
                if (!cJSON_IsString(x)) {
                    st =
                        kt_error_set(err, KT_USAGE, "%s: a set is an array of strings", it->string);
                    break;
                }
                items[k++] = x->valuestring;
            }
            if (!st) st = kt_record_set_list(rec, it->string, items, (size_t)k, err);
            kt_free(items);
        } else {
            st = kt_error_set(err, KT_USAGE,
                              "%s: a value is text, a number, true, false, null or "
                              "an array of texts",
                              it->string);
        }
    }
    cJSON_Delete(j);
    return st;
}

/* Replies with the record as stored now, its version as the ETag. */
static enum MHD_Result reply_record(srv_req *r, kt_id id, unsigned status)
{
    kt_record *rec = NULL;
    kt_error err;
    long long version = 0;
    if (kt_get(r->ws, id, &rec, &err) || kt_record_version(r->ws, id, &version, &err)) {
        kt_record_free(rec);
        return srv_reply_status(r, &err, NULL);
    }
    char etag[40], location[128];
    snprintf(etag, sizeof etag, "\"%lld\"", version);
    snprintf(location, sizeof location, "/api/v1/%s/%lld", rec->entity, id);
    const char *headers[] = {MHD_HTTP_HEADER_ETAG, etag,
                             status == MHD_HTTP_CREATED ? MHD_HTTP_HEADER_LOCATION : NULL, location,
                             NULL};
    enum MHD_Result res = srv_reply_json(r, status, kt_json_record(r->ws, rec, NULL), headers);
    kt_record_free(rec);
    return res;
}

/* 409: the failures, and the records the new one probably duplicates with their scores. */
static enum MHD_Result reply_duplicate(srv_req *r, const kt_record *rec, const kt_failures *f,
                                       const kt_error *err)
{
    kt_dupe_match *m = NULL;
    size_t n = 0;
    kt_error ignored;
    if (kt_dupes_for_record(r->ws, rec, -1, &m, &n, 10, &ignored)) n = 0;
    cJSON *e, *body = srv_error_body(MHD_HTTP_CONFLICT, err->message, f, &e);
    cJSON *cands = cJSON_AddArrayToObject(e, "candidates");
    for (size_t i = 0; i < f->n; i++) {
        const kt_failure *x = &f->items[i];
        kt_id id = x->rule && !strcmp(x->rule, "duplicate") ? kt_id_parse(x->value) : 0;
        kt_record *c = NULL;
        if (!id || kt_get(r->ws, id, &c, &ignored)) continue;
        cJSON *cand = cJSON_CreateObject();
        cJSON_AddStringToObject(cand, "id", x->value);
        for (size_t k = 0; k < n; k++)
            if (m[k].id == id) cJSON_AddNumberToObject(cand, "score", m[k].score);
        cJSON_AddItemToObject(cand, "record", kt_json_record(r->ws, c, NULL));
        cJSON_AddItemToArray(cands, cand);
        kt_record_free(c);
    }
    kt_free(m);
    return srv_reply_json(r, MHD_HTTP_CONFLICT, body, NULL);
}

static enum MHD_Result create(srv_req *r)
{
    kt_record *rec = kt_record_new(r->seg[0]);
    if (!rec) return srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    kt_error err;
    kt_failures f;
    kt_failures_init(&f);
    const char *allow = srv_arg(r, "allow_duplicate");
    kt_save_opts o = {.allow_duplicate = allow && !strcmp(allow, "1")};
    enum MHD_Result res;
    kt_status st = body_record(r, rec, &err);
    if (!st) st = kt_save(r->ws, rec, &o, &f, &err);
    if (!st && !o.allow_duplicate) st = kt_dupes_queue_similar(r->ws, rec, "api", &err);
    if (st == KT_CONSTRAINT && f.n)
        res = reply_duplicate(r, rec, &f, &err);
    else if (st)
        res = srv_reply_status(r, &err, &f);
    else
        res = reply_record(r, rec->id, MHD_HTTP_CREATED);
    kt_failures_free(&f);
    kt_record_free(rec);
    return res;
}

/* If-Match: "12", W/"12" or *; -1 when absent, -2 when it is not a version. */
static long long if_match(srv_req *r)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
    if (!h) return -1;
    while (*h == ' ')
        h++;
    if (!strcmp(h, "*")) return -1;
    if (!strncmp(h, "W/", 2)) h += 2;
    if (*h == '"') h++;
    char *end;
    long long v = strtoll(h, &end, 10);
    if (end == h || (*end && strcmp(end, "\"") != 0) || v < 0) return -2;
    return v;
}

static enum MHD_Result patch(srv_req *r, kt_id id)
{
    long long want = if_match(r);
    if (want == -2)
        return srv_reply_error(r, MHD_HTTP_BAD_REQUEST, "If-Match is a record version (the ETag)",
                               NULL);
    kt_record *rec = kt_record_new(r->seg[0]);
    if (!rec) return srv_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", NULL);
    rec->id = id;
    kt_error err;
    kt_failures f;
    kt_failures_init(&f);
    kt_store *s = kt_ws_store(r->ws);
    enum MHD_Result res;
    long long version = 0;
    kt_save_opts o = {.allow_duplicate = 1};
    /* The version is compared and the change written under one write lock: no lost update. */
    kt_status st = body_record(r, rec, &err);
    if (!st) st = kt_auth_allow(r->ws, KT_ACT_WRITE, r->seg[0], &err);
    if (!st && !(st = kt_store_begin(s, &err))) {
        st = kt_record_version(r->ws, id, &version, &err);
        if (!st && want >= 0 && version != want) {
            kt_store_rollback(s);
            char msg[160];
            snprintf(msg, sizeof msg,
                     "record %lld changed since version %lld (now %lld): read it "
                     "again and reapply your change",
                     id, want, version);
            res = srv_reply_error(r, MHD_HTTP_PRECONDITION_FAILED, msg, NULL);
            goto out;
        }
        if (!st) st = kt_save(r->ws, rec, &o, &f, &err);
        if (st)
            kt_store_rollback(s);
        else
            st = kt_store_commit(s, &err);
    }
    res = st ? srv_reply_status(r, &err, &f) : reply_record(r, id, MHD_HTTP_OK);
out:
    kt_failures_free(&f);
    kt_record_free(rec);
    return res;
}

typedef struct changes {
    cJSON *items;
} changes;

static int on_change(void *ud, const kt_change *c)
{
    cJSON_AddItemToArray(((changes *)ud)->items, kt_json_change(c));
    return 0;
}

enum MHD_Result srv_records(srv_req *r)
{
    const char *m = r->method, *entity = r->seg[0];
    int get = !strcmp(m, "GET"), post = !strcmp(m, "POST");
    if (!kt_registry_entity(kt_ws_registry(r->ws), entity))
        return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "there is no such entity", NULL);
    if (r->nseg == 1 && get) return list(r);
    if (r->nseg == 1 && post) return create(r);
    if (r->nseg == 1)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET or POST", NULL);
    kt_id id = kt_id_parse(r->seg[1]);
    char of[64];
    kt_error err;
    if (!id || kt_ws_entity_of(r->ws, id, of, sizeof of, &err) || strcmp(of, entity) != 0)
        return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "there is no such record", NULL);
    if (r->nseg == 2 && get) return reply_record(r, id, MHD_HTTP_OK);
    if (r->nseg == 2 && !strcmp(m, "PATCH")) return patch(r, id);
    if (r->nseg == 2)
        return srv_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET or PATCH", NULL);
    const char *what = r->seg[2];
    if (r->nseg == 3 && post && (!strcmp(what, "archive") || !strcmp(what, "restore"))) {
        kt_save_opts o = {0};
        kt_status st =
            what[0] == 'a' ? kt_archive(r->ws, id, &o, &err) : kt_restore(r->ws, id, &o, &err);
        return st ? srv_reply_status(r, &err, NULL) : reply_record(r, id, MHD_HTTP_OK);
    }
    if (r->nseg == 3 && !strcmp(what, "consents")) return srv_consents(r, id);
    if (r->nseg == 3 &&
        (!strcmp(what, "erase") || !strcmp(what, "anonymise") || !strcmp(what, "export")))
        return srv_person(r, id, what);
    if (r->nseg == 3 && get && !strcmp(what, "history")) {
        changes c = {cJSON_CreateArray()};
        if (kt_history(r->ws, id, on_change, &c, &err)) {
            cJSON_Delete(c.items);
            return srv_reply_status(r, &err, NULL);
        }
        return srv_reply_json(r, MHD_HTTP_OK, c.items, NULL);
    }
    return srv_reply_error(r, MHD_HTTP_NOT_FOUND, "not found", NULL);
}
