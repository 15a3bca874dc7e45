/* Imports without a script: the built-in map chosen by the reader's format. Lines of a
 * `kt export` (JSON or NDJSON objects whose "id" is an export key) come back as the records
 * they were: matched by that key only (never by similarity: records the source kept apart stay
 * apart), references remapped from export keys to this workspace's ids (a reference to a line
 * further on waits for the end of the file), archived and merged states restored. Other JSON
 * rows go through the identity mapping. vCards map their standard properties onto a person
 * and the company named by ORG. Kept in C next to the importer: these maps must agree with the
 * exporter (export.h) and the reader's keys (read/vcf_reader.c), not be edited per workspace.
 * Files of other formats go through the identity mapping alone (identity_map.c). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dedupe/merge_int.h"
#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/export.h"
#include "kartoteka/query.h"

typedef struct later {
    kt_id id;    /* the record waiting */
    char *field; /* its reference field, or NULL for merged_into */
    char *key;   /* the export key it refers to */
    long line;
} later;

typedef struct laters {
    later *items;
    size_t n, cap;
} laters;

/* A record of the row being made, and the field of it that waits for the id of the row's
 * record named "org" (a vCard's company). */
typedef struct made {
    kt_import_out out;
    const char *ref_field;
} made;

enum { PLAIN, JSON, VCF };

struct imp_builtin {
    kt_import_map base; /* first: the import holds a pointer to it */
    kt_ws *ws;
    int kind;
    char *entity;
    made rows[2]; /* the row's records: a vCard's company and person at most */
    size_t n;
    kt_record *cur; /* the record being filled */
    kt_status put_st;
    /* the current kt export line */
    char *key;
    kt_id known; /* the record its key names here already, or 0 */
    char state[16];
    laters row; /* its references still unknown (id 0 until saved), and merged_into */
    laters waiting;
    kt_buf notes;
};

static void laters_clear(laters *l)
{
    for (size_t i = 0; i < l->n; i++) {
        kt_free(l->items[i].field);
        kt_free(l->items[i].key);
    }
    l->n = 0;
}

static kt_status laters_add(laters *l, kt_id id, const char *field, const char *key, long line,
                            kt_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        later *p = kt_realloc(l->items, cap * sizeof *p);
        if (!p) return kt_error_set(err, KT_NOMEM, "out of memory");
        l->items = p;
        l->cap = cap;
    }
    later *x = &l->items[l->n];
    *x = (later){id, field ? kt_strdup(field) : NULL, kt_strdup(key), line};
    if ((field && !x->field) || !x->key) {
        kt_free(x->field);
        kt_free(x->key);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    l->n++;
    return KT_OK;
}

static const char *cell(const kt_read_row *row, const char *key)
{
    for (size_t i = 0; i < row->count; i++)
        if (!strcmp(row->keys[i], key))
            return row->values[i] && *row->values[i] ? row->values[i] : NULL;
    return NULL;
}

/* Starts the row's next record, of entity: the one put() fills. */
static kt_status start(imp_builtin *b, const char *entity, kt_error *err)
{
    made *m = &b->rows[b->n];
    memset(m, 0, sizeof *m);
    m->out.on_match = KT_ON_MATCH_SCRIPT;
    m->out.nth = 1;
    if (!(m->out.rec = kt_record_new(entity))) return kt_error_set(err, KT_NOMEM, "out of memory");
    b->cur = m->out.rec;
    b->n++;
    return KT_OK;
}

static kt_import_out *current(imp_builtin *b)
{
    return &b->rows[b->n - 1].out;
}

/* Sets a field of the current record; NULL leaves it out. A failure (out of memory) is kept
 * for the end of the row. */
static void put(imp_builtin *b, const char *key, const char *value)
{
    kt_error e;
    if (value && !b->put_st) b->put_st = kt_record_set(b->cur, key, value, &e);
}

/* The current record's match keys, one field each, in order. */
static void match_on(imp_builtin *b, const char *const *fields, size_t n)
{
    kt_import_out *o = current(b);
    kt_error e;
    o->has_keys = 1;
    for (size_t i = 0; i < n && !b->put_st; i++)
        b->put_st = kt_import_keys_add(&o->keys, fields[i], 1, &e);
}

/* ---- kt export lines ---- */

static kt_status record_state(kt_ws *ws, kt_id id, char state[16], kt_error *err)
{
    kt_record *r = NULL;
    kt_status st = kt_get(ws, id, &r, err);
    if (!st) snprintf(state, 16, "%s", r->state);
    kt_record_free(r);
    return st;
}

static kt_status make_exported(imp_builtin *b, const kt_read_row *row, const char *key,
                               kt_error *err)
{
    const char *entity = cell(row, "entity") ? cell(row, "entity") : b->entity;
    const char *state = cell(row, "state"), *winner = cell(row, "merged_into");
    kt_free(b->key);
    if (!(b->key = kt_strdup(key))) return kt_error_set(err, KT_NOMEM, "out of memory");
    snprintf(b->state, sizeof b->state, "%s", state ? state : "active");
    kt_status st = kt_export_key_find(b->ws, key, &b->known, err);
    char here[16] = "";
    if (!st && b->known) st = record_state(b->ws, b->known, here, err);
    if (!st && winner && !strcmp(b->state, "merged"))
        st = laters_add(&b->row, 0, NULL, winner, row->line, err);
    if (st) return st;
    const kt_registry *reg = kt_ws_registry(b->ws);
    if ((st = start(b, entity, err))) return st;
    kt_import_out *o = current(b);
    o->has_keys = 1; /* none: the export key decides (imp_builtin_known) */
    o->no_dedupe = 1;
    /* a merged record stays as its merge left it; it is not written again */
    if (!strcmp(here, "merged")) o->on_match = KT_ON_MATCH_SKIP;
    for (size_t i = 0; i < row->count && !st; i++) {
        const char *k = row->keys[i], *v = row->values[i];
        if (!v || imp_not_a_field(k)) continue;
        const kt_field *f = kt_registry_field(reg, entity, k);
        if (!f && kt_registry_entity(reg, entity)) { /* never dropped in silence */
            st = kt_error_set(err, KT_INVALID,
                              "line %ld: %s.%s: this workspace has no such field; declare it in "
                              "kartoteka.lua as the exporting workspace did, then import again",
                              row->line, entity, k);
            break;
        }
        if (!f) continue; /* an unknown entity: the write door rejects the row */
        char uid[KT_EXPORT_UID_SIZE];
        kt_id n, target = 0;
        if (f->kind == KT_TYPE_REF && kt_export_key_parse(v, uid, &n)) {
            if ((st = kt_export_key_find(b->ws, v, &target, err))) break;
            if (!target) {
                st = laters_add(&b->row, 0, k, v, row->line, err);
                continue;
            }
            char id[32];
            snprintf(id, sizeof id, "%lld", (long long)target);
            put(b, k, id);
        } else {
            put(b, k, v);
        }
    }
    return st;
}

/* ---- vCards ---- */

static void note_line(kt_buf *b, const char *label, const char *value)
{
    if (!value) return;
    if (b->len) kt_buf_putc(b, '\n', NULL);
    kt_buf_printf(b, NULL, "%s: %s", label, value);
}

static int has_type(const char *types, const char *t)
{
    size_t n = strlen(t);
    for (const char *p = types; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && !strncmp(p, t, n)) return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* The nth value of a repeated property ("tel", "tel2", ...) and its TYPE list. */
static const char *nth(const kt_read_row *row, const char *name, int i, const char **types)
{
    char key[48], tkey[56];
    if (i == 1)
        snprintf(key, sizeof key, "%s", name);
    else
        snprintf(key, sizeof key, "%s%d", name, i);
    snprintf(tkey, sizeof tkey, "%s.type", key);
    *types = cell(row, tkey);
    return cell(row, key);
}

typedef struct slot {
    const char *type, *field; /* a value whose TYPE holds type goes to field first */
} slot;

/* Places each TEL or EMAIL: into the field its TYPE names when free, else into the first free
 * of fields (in order); what finds no free field is kept in the notes, not dropped. */
static void place(imp_builtin *b, const kt_read_row *row, const char *prop, const char *label,
                  const slot *typed, size_t ntyped, const char *const *fields, size_t nfields,
                  kt_buf *notes)
{
    const char *value[4] = {NULL, NULL, NULL, NULL}; /* per fields[] */
    const char *types;
    for (int i = 1; i <= 32; i++) {
        const char *v = nth(row, prop, i, &types);
        if (!v) {
            if (i > 1) break;
            continue;
        }
        size_t to = nfields;
        for (size_t t = 0; t < ntyped && to == nfields; t++)
            for (size_t f = 0; f < nfields; f++)
                if (has_type(types, typed[t].type) && !strcmp(fields[f], typed[t].field) &&
                    !value[f])
                    to = f;
        for (size_t f = 0; f < nfields && to == nfields; f++)
            if (!value[f]) to = f;
        if (to < nfields) {
            value[to] = v;
            continue;
        }
        char l[80];
        snprintf(l, sizeof l, "%s%s%.60s%s", label, types ? " (" : "", types ? types : "",
                 types ? ")" : "");
        note_line(notes, l, v);
    }
    for (size_t f = 0; f < nfields; f++)
        put(b, fields[f], value[f]);
}

static int placeholder_name(const char *fn)
{
    static const char *const entities[] = {"person ", "company "};
    for (size_t i = 0; fn && i < 2; i++) {
        size_t n = strlen(entities[i]);
        if (!strncmp(fn, entities[i], n) && fn[n] && strspn(fn + n, "0123456789") == strlen(fn + n))
            return 1;
    }
    return 0;
}

static int iso_date(const char *s)
{
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' && strspn(s, "0123456789-") == 10;
}

static void put_address(imp_builtin *b, const kt_read_row *row, kt_buf *notes)
{
    put(b, "street", cell(row, "adr.street"));
    put(b, "city", cell(row, "adr.locality"));
    put(b, "postal_code", cell(row, "adr.code"));
    const char *country = cell(row, "adr.country");
    char code[3] = "";
    if (country && strlen(country) == 2 && isalpha((unsigned char)country[0]) &&
        isalpha((unsigned char)country[1])) {
        code[0] = (char)toupper((unsigned char)country[0]);
        code[1] = (char)toupper((unsigned char)country[1]);
        put(b, "country", code);
    } else {
        note_line(notes, "country", country);
    }
    note_line(notes, "region", cell(row, "adr.region"));
    note_line(notes, "P.O. box", cell(row, "adr.pobox"));
    note_line(notes, "address line", cell(row, "adr.ext"));
}

static kt_status make_vcard(imp_builtin *b, const kt_read_row *row, kt_failures *fails,
                            int *refused, kt_error *err)
{
    const char *given = cell(row, "n.given"), *family = cell(row, "n.family");
    const char *fn = cell(row, "fn"), *org = cell(row, "org"), *kind = cell(row, "kind");
    int is_org = kind && !strcmp(kind, "org");
    if (!given && !family && (!fn || placeholder_name(fn)) && !(is_org && org)) {
        *refused = 1;
        return kt_failures_add(fails, KT_SEVERITY_ERROR, NULL, fn, "name",
                               fn ? "the card's only name is a placeholder for a nameless record "
                                    "(FN:entity id): a record needs a name"
                                  : "the card has neither N nor FN: a record needs a name");
    }
    kt_buf *notes = &b->notes;
    kt_buf_reset(notes);
    kt_status st;
    static const char *const one_email[] = {"email"}, *const one_phone[] = {"work_phone"};
    if (is_org) {
        static const char *const org_keys[] = {"external_id", "name"};
        if ((st = start(b, "company", err))) return st;
        put(b, "name", fn ? fn : org);
        put(b, "external_id", cell(row, "uid"));
        place(b, row, "email", "e-mail", NULL, 0, one_email, 1, notes);
        place(b, row, "tel", "phone", NULL, 0, one_phone, 1, notes);
        put(b, "website", cell(row, "url"));
        note_line(notes, "note", cell(row, "note"));
        put(b, "notes", notes->len ? kt_buf_str(notes) : NULL);
        match_on(b, org_keys, 2);
        return KT_OK;
    }
    if (org) {
        static const char *const name_key[] = {"name"};
        if ((st = start(b, "company", err))) return st;
        if (!(current(b)->ref = kt_strdup("org")))
            return kt_error_set(err, KT_NOMEM, "out of memory");
        put(b, "name", org);
        current(b)->on_match =
            KT_ON_MATCH_SKIP; /* a contact names its company; it does not edit it */
        match_on(b, name_key, 1);
    }
    if ((st = start(b, "person", err))) return st;
    if (given || family) {
        put(b, "first_name", given);
        put(b, "last_name", family);
    } else { /* FN only: the last word is the family name */
        const char *sp = strrchr(fn, ' ');
        if (sp) {
            char *first = kt_strndup(fn, (size_t)(sp - fn));
            if (!first) return kt_error_set(err, KT_NOMEM, "out of memory");
            put(b, "first_name", first);
            kt_free(first);
            put(b, "last_name", sp + 1);
        } else {
            put(b, "first_name", fn);
        }
    }
    static const slot tel_types[] = {{"cell", "mobile"}, {"work", "work_phone"}};
    static const slot email_types[] = {{"home", "personal_email"}, {"work", "email"}};
    static const char *const tels[] = {"mobile", "work_phone"};
    static const char *const emails[] = {"email", "personal_email"};
    place(b, row, "tel", "phone", tel_types, 2, tels, 2, notes);
    place(b, row, "email", "e-mail", email_types, 2, emails, 2, notes);
    const char *bday = cell(row, "bday");
    if (iso_date(bday))
        put(b, "birth_date", bday);
    else
        note_line(notes, "birthday", bday);
    put_address(b, row, notes);
    put(b, "job_title", cell(row, "title"));
    put(b, "external_id", cell(row, "uid"));
    note_line(notes, "department", cell(row, "org.unit"));
    note_line(notes, "website", cell(row, "url"));
    const char *note = cell(row, "note");
    if (note && notes->len) {
        kt_buf full = KT_BUF_INIT;
        kt_buf_printf(&full, NULL, "%s\n%s", note, kt_buf_str(notes));
        put(b, "notes", kt_buf_str(&full));
        kt_buf_free(&full);
    } else {
        put(b, "notes", note ? note : notes->len ? kt_buf_str(notes) : NULL);
    }
    if (org) b->rows[b->n - 1].ref_field = "company";
    static const char *const person_keys[] = {"external_id", "email", "mobile"};
    match_on(b, person_keys, 3);
    return KT_OK;
}

/* The identity mapping never makes a record without a name: a row for an entity that has name
 * fields (first_name, last_name, name, title) must fill one of them with more than blanks.
 * Returns the message when it does not, else NULL; the names it looked for go into names. */
static const char *nameless(const kt_registry *reg, const char *entity, const kt_read_row *row,
                            char *names, size_t size)
{
    static const char *const name_fields[] = {"first_name", "last_name", "name", "title", NULL};
    size_t n = 0;
    names[0] = '\0';
    for (size_t i = 0; name_fields[i]; i++) {
        if (!kt_registry_field(reg, entity, name_fields[i])) continue;
        const char *v = cell(row, name_fields[i]);
        while (v && isspace((unsigned char)*v))
            v++;
        if (v && *v) return NULL;
        if (n < size)
            n += (size_t)snprintf(names + n, size - n, "%s%s", n ? " or " : "", name_fields[i]);
    }
    return n ? names : NULL;
}

static void drop_rows(imp_builtin *b)
{
    for (size_t i = 0; i < b->n; i++)
        kt_import_out_clear(&b->rows[i].out);
    b->n = 0;
    b->cur = NULL;
}

static kt_status identity(imp_builtin *b, const kt_read_row *row, kt_error *err)
{
    made *m = &b->rows[0];
    memset(m, 0, sizeof *m);
    m->out.on_match = KT_ON_MATCH_SCRIPT;
    m->out.nth = 1;
    kt_status st = imp_identity_record(b->ws, b->entity, row, &m->out.rec, err);
    if (!st) b->n = 1;
    return st;
}

static kt_status map_row(kt_import_map *map, const kt_read_row *row, size_t *count,
                         kt_failures *fails, int *refused, kt_error *err)
{
    imp_builtin *b = (imp_builtin *)map;
    *refused = 0;
    *count = 0;
    drop_rows(b);
    b->put_st = KT_OK;
    laters_clear(&b->row);
    b->known = 0;
    kt_free(b->key);
    b->key = NULL;
    kt_status st;
    const char *id = b->kind == JSON ? cell(row, "id") : NULL;
    char uid[KT_EXPORT_UID_SIZE];
    kt_id n;
    if (b->kind == VCF)
        st = make_vcard(b, row, fails, refused, err);
    else if (kt_export_key_parse(id, uid, &n))
        st = make_exported(b, row, id, err);
    else if (b->kind == PLAIN)
        st = identity(b, row, err);
    else {
        const char *entity = cell(row, "entity") ? cell(row, "entity") : b->entity;
        char names[80], why[160];
        if (!nameless(kt_ws_registry(b->ws), entity, row, names, sizeof names))
            st = identity(b, row, err);
        else {
            snprintf(why, sizeof why, "the row fills no %s: a %s needs a name", names, entity);
            *refused = 1;
            st = kt_failures_add(fails, KT_SEVERITY_ERROR, NULL, NULL, "name", why);
        }
    }
    if (!st && b->put_st) st = kt_error_set(err, KT_NOMEM, "out of memory");
    if (st || *refused) {
        drop_rows(b);
        return st;
    }
    *count = b->n;
    return KT_OK;
}

/* Hands record i over, its company given the id of the row's record named "org". */
static kt_status record(kt_import_map *map, size_t i, const kt_import_refs *refs, kt_import_out *o,
                        kt_failures *fails, int *ok, kt_error *err)
{
    imp_builtin *b = (imp_builtin *)map;
    made *m = &b->rows[i];
    *o = m->out;
    memset(&m->out, 0, sizeof m->out);
    if (!m->ref_field) return KT_OK;
    size_t k = 0;
    while (k < refs->n && strcmp(refs->names[k], "org"))
        k++;
    if (k < refs->n && refs->ids[k]) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)refs->ids[k]);
        return kt_record_set(o->rec, m->ref_field, id, err);
    }
    kt_record_unset(o->rec, m->ref_field);
    *ok = 0;
    kt_failures_add(fails, KT_SEVERITY_ERROR, m->ref_field, "org", "ref",
                    "refers to no earlier record of this row");
    return KT_OK;
}

static void row_done(kt_import_map *map)
{
    drop_rows((imp_builtin *)map);
}

static kt_id known(kt_import_map *map)
{
    return ((imp_builtin *)map)->known;
}

/* After the row's record was saved as id: remembers its export key, archives it when the file
 * says so, and keeps the references (and merge) that wait for records further on. */
static kt_status saved(kt_import_map *map, kt_id id, int created, const kt_save_opts *so,
                       kt_error *err)
{
    imp_builtin *b = (imp_builtin *)map;
    if (!b->row.n && !b->key) return KT_OK;
    kt_status st = KT_OK;
    if (created && b->key) st = kt_export_key_keep(b->ws, b->key, id, err);
    if (!st && created && !strcmp(b->state, "archived")) st = kt_archive(b->ws, id, so, err);
    for (size_t i = 0; i < b->row.n && !st; i++) {
        later *x = &b->row.items[i];
        if (x->field || created) st = laters_add(&b->waiting, id, x->field, x->key, x->line, err);
    }
    laters_clear(&b->row);
    kt_free(b->key);
    b->key = NULL;
    return st;
}

static kt_status link_later(imp_builtin *b, const later *x, kt_id target, const kt_save_opts *so,
                            kt_error *err)
{
    if (!x->field) {
        kt_status st = dd_set_state(b->ws, x->id, "merged", target, err);
        char wid[32];
        snprintf(wid, sizeof wid, "%lld", target);
        return st ? st
                  : kt_history_add(b->ws, x->id, "merge", "merged_into", NULL, wid, so->source,
                                   so->batch, err);
    }
    char entity[64], text[32];
    kt_status st = kt_ws_entity_of(b->ws, x->id, entity, sizeof entity, err);
    if (st) return st;
    kt_record *rec = kt_record_new(entity);
    if (!rec) return kt_error_set(err, KT_NOMEM, "out of memory");
    rec->id = x->id;
    snprintf(text, sizeof text, "%lld", target);
    kt_failures fails;
    kt_failures_init(&fails);
    kt_save_opts o = *so;
    o.allow_duplicate = 1;
    st = kt_record_set(rec, x->field, text, err);
    if (!st) st = kt_save(b->ws, rec, &o, &fails, err);
    if (st && fails.n)
        kt_error_set(err, st, "line %ld: %s: %s", x->line, x->field, fails.items[0].message);
    kt_failures_free(&fails);
    kt_record_free(rec);
    return st;
}

/* After the last row: the references that waited, and merges. A reference to a record neither
 * in the file nor in the workspace fails the import, naming its line. */
static kt_status finish(kt_import_map *map, const kt_save_opts *so, kt_error *err)
{
    imp_builtin *b = (imp_builtin *)map;
    kt_status st = KT_OK;
    size_t missing = 0, first = 0;
    for (size_t i = 0; i < b->waiting.n && !st; i++) {
        later *x = &b->waiting.items[i];
        kt_id target = 0;
        st = kt_export_key_find(b->ws, x->key, &target, err);
        if (!st && !target && !missing++) first = i;
        if (!st && target) st = link_later(b, x, target, so, err);
    }
    if (!st && missing) {
        later *x = &b->waiting.items[first];
        st = kt_error_set(err, KT_INVALID,
                          "line %ld: %s: the record %s refers to is neither in this file nor in "
                          "the workspace (%zu reference%s like it); import the file that holds "
                          "it first, or export with --all",
                          x->line, x->field ? x->field : "merged_into", x->key, missing,
                          missing == 1 ? "" : "s");
    }
    laters_clear(&b->waiting);
    return st;
}

static void free_map(kt_import_map *map)
{
    imp_builtin *b = (imp_builtin *)map;
    drop_rows(b);
    laters_clear(&b->row);
    laters_clear(&b->waiting);
    kt_free(b->row.items);
    kt_free(b->waiting.items);
    kt_free(b->key);
    kt_free(b->entity);
    kt_import_keys_free(&b->base.keys);
    kt_buf_free(&b->notes);
    kt_free(b);
}

kt_status imp_builtin_new(kt_ws *ws, const char *entity, const char *format, kt_import_map **out,
                          kt_error *err)
{
    *out = NULL;
    imp_builtin *b = kt_calloc(1, sizeof *b);
    if (!b) return kt_error_set(err, KT_NOMEM, "out of memory");
    b->ws = ws;
    b->kind = !format                                                ? PLAIN
              : !strcmp(format, "vcf")                               ? VCF
              : !strcmp(format, "ndjson") || !strcmp(format, "json") ? JSON
                                                                     : PLAIN;
    b->base = (kt_import_map){.name = "(import)",
                              .on_match = KT_ON_MATCH_UPDATE,
                              .map = map_row,
                              .record = record,
                              .row_done = row_done,
                              .free = free_map};
    if (b->kind != PLAIN) b->base.known = known, b->base.saved = saved, b->base.finish = finish;
    kt_status st = (b->entity = kt_strdup(entity ? entity : "person"))
                       ? KT_OK
                       : kt_error_set(err, KT_NOMEM, "out of memory");
    /* The identity mapping matches on the external id: a re-import changes nothing. */
    if (!st) st = kt_import_keys_add(&b->base.keys, "external_id", 1, err);
    if (st) {
        free_map(&b->base);
        return st;
    }
    b->base.entity = b->entity;
    *out = &b->base;
    return KT_OK;
}
