/* Imports without a script: the built-in map chosen by the reader's format. Lines of a
 * `kt export` (JSON or NDJSON objects whose "id" is an export key) come back as the records
 * they were: matched by that key only (never by similarity: records the source kept apart stay
 * apart), references remapped from export keys to this workspace's ids (a reference to a line
 * further on waits for the end of the file), archived and merged states restored. Other JSON
 * rows go through the identity mapping. vCards map their standard properties onto a person
 * and the company named by ORG. Kept in C next to the importer: these maps must agree with the
 * exporter (export.h) and the reader's keys (read/vcf_reader.c), not be edited per workspace. */
#include <ctype.h>
#include <lauxlib.h>
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

struct imp_builtin {
    kt_ws *ws;
    int vcf;
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

kt_status imp_builtin_new(kt_ws *ws, const char *format, imp_builtin **out, kt_error *err)
{
    *out = NULL;
    int vcf = format && !strcmp(format, "vcf");
    if (!vcf && (!format || (strcmp(format, "ndjson") && strcmp(format, "json")))) return KT_OK;
    imp_builtin *b = kt_calloc(1, sizeof *b);
    if (!b) return kt_error_set(err, KT_NOMEM, "out of memory");
    b->ws = ws;
    b->vcf = vcf;
    *out = b;
    return KT_OK;
}

void imp_builtin_free(imp_builtin *b)
{
    if (!b) return;
    laters_clear(&b->row);
    laters_clear(&b->waiting);
    kt_free(b->row.items);
    kt_free(b->waiting.items);
    kt_free(b->key);
    kt_buf_free(&b->notes);
    kt_free(b);
}

static const char *cell(const kt_read_row *row, const char *key)
{
    for (size_t i = 0; i < row->count; i++)
        if (!strcmp(row->keys[i], key))
            return row->values[i] && *row->values[i] ? row->values[i] : NULL;
    return NULL;
}

static void set_str(lua_State *L, const char *key, const char *value)
{
    if (!value) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

/* ---- kt export lines ---- */

static int meta_key(const char *k)
{
    static const char *const meta[] = {"id",          "entity",     "state",
                                       "merged_into", "created_at", "updated_at"};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (!strcmp(k, meta[i])) return 1;
    return 0;
}

static kt_status record_state(kt_ws *ws, kt_id id, char state[16], kt_error *err)
{
    kt_record *r = NULL;
    kt_status st = kt_get(ws, id, &r, err);
    if (!st) snprintf(state, 16, "%s", r->state);
    kt_record_free(r);
    return st;
}

static kt_status push_exported(imp_builtin *b, imp_script *s, const kt_read_row *row,
                               const char *key, kt_error *err)
{
    lua_State *L = s->L;
    const char *entity = cell(row, "entity") ? cell(row, "entity") : s->entity;
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
    lua_createtable(L, 1, 0);
    lua_createtable(L, 0, (int)row->count + 4);
    set_str(L, "entity", entity);
    lua_newtable(L); /* no match keys: the export key decides (imp_builtin_known) */
    lua_setfield(L, -2, "match");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "dedupe");
    /* a merged record stays as its merge left it; it is not written again */
    if (!strcmp(here, "merged")) set_str(L, "on_match", "skip");
    for (size_t i = 0; i < row->count && !st; i++) {
        const char *k = row->keys[i], *v = row->values[i];
        if (!v || meta_key(k)) continue;
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
            lua_pushinteger(L, target);
        } else {
            lua_pushstring(L, v);
        }
        lua_setfield(L, -2, k);
    }
    lua_rawseti(L, -2, 1);
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
static void place(lua_State *L, const kt_read_row *row, const char *prop, const char *label,
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
        set_str(L, fields[f], value[f]);
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

static void push_address(lua_State *L, const kt_read_row *row, kt_buf *notes)
{
    set_str(L, "street", cell(row, "adr.street"));
    set_str(L, "city", cell(row, "adr.locality"));
    set_str(L, "postal_code", cell(row, "adr.code"));
    const char *country = cell(row, "adr.country");
    char code[3] = "";
    if (country && strlen(country) == 2 && isalpha((unsigned char)country[0]) &&
        isalpha((unsigned char)country[1])) {
        code[0] = (char)toupper((unsigned char)country[0]);
        code[1] = (char)toupper((unsigned char)country[1]);
        set_str(L, "country", code);
    } else {
        note_line(notes, "country", country);
    }
    note_line(notes, "region", cell(row, "adr.region"));
    note_line(notes, "P.O. box", cell(row, "adr.pobox"));
    note_line(notes, "address line", cell(row, "adr.ext"));
}

static kt_status push_vcard(imp_builtin *b, imp_script *s, const kt_read_row *row,
                            kt_failures *fails, int *refused, kt_error *err)
{
    lua_State *L = s->L;
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
    kt_status st = KT_OK;
    lua_createtable(L, 2, 0);
    static const char *const one_email[] = {"email"}, *const one_phone[] = {"work_phone"};
    if (is_org) {
        lua_createtable(L, 0, 12);
        set_str(L, "entity", "company");
        set_str(L, "name", fn ? fn : org);
        set_str(L, "external_id", cell(row, "uid"));
        place(L, row, "email", "e-mail", NULL, 0, one_email, 1, notes);
        place(L, row, "tel", "phone", NULL, 0, one_phone, 1, notes);
        set_str(L, "website", cell(row, "url"));
        note_line(notes, "note", cell(row, "note"));
        set_str(L, "notes", notes->len ? kt_buf_str(notes) : NULL);
        lua_createtable(L, 2, 0);
        lua_pushstring(L, "external_id");
        lua_rawseti(L, -2, 1);
        lua_pushstring(L, "name");
        lua_rawseti(L, -2, 2);
        lua_setfield(L, -2, "match");
        lua_rawseti(L, -2, 1);
        return st;
    }
    int n = 0;
    if (org) {
        lua_createtable(L, 0, 5);
        set_str(L, "entity", "company");
        set_str(L, "ref", "org");
        set_str(L, "name", org);
        set_str(L, "on_match", "skip"); /* a contact names its company; it does not edit it */
        lua_pushstring(L, "name");
        lua_setfield(L, -2, "match");
        lua_rawseti(L, -2, ++n);
    }
    lua_createtable(L, 0, 20);
    set_str(L, "entity", "person");
    if (given || family) {
        set_str(L, "first_name", given);
        set_str(L, "last_name", family);
    } else { /* FN only: the last word is the family name */
        const char *sp = strrchr(fn, ' ');
        if (sp) {
            lua_pushlstring(L, fn, (size_t)(sp - fn));
            lua_setfield(L, -2, "first_name");
            set_str(L, "last_name", sp + 1);
        } else {
            set_str(L, "first_name", fn);
        }
    }
    static const slot tel_types[] = {{"cell", "mobile"}, {"work", "work_phone"}};
    static const slot email_types[] = {{"home", "personal_email"}, {"work", "email"}};
    static const char *const tels[] = {"mobile", "work_phone"};
    static const char *const emails[] = {"email", "personal_email"};
    place(L, row, "tel", "phone", tel_types, 2, tels, 2, notes);
    place(L, row, "email", "e-mail", email_types, 2, emails, 2, notes);
    const char *bday = cell(row, "bday");
    if (iso_date(bday))
        set_str(L, "birth_date", bday);
    else
        note_line(notes, "birthday", bday);
    push_address(L, row, notes);
    set_str(L, "job_title", cell(row, "title"));
    set_str(L, "external_id", cell(row, "uid"));
    note_line(notes, "department", cell(row, "org.unit"));
    note_line(notes, "website", cell(row, "url"));
    const char *note = cell(row, "note");
    if (note && notes->len) {
        kt_buf full = KT_BUF_INIT;
        kt_buf_printf(&full, NULL, "%s\n%s", note, kt_buf_str(notes));
        set_str(L, "notes", kt_buf_str(&full));
        kt_buf_free(&full);
    } else {
        set_str(L, "notes", note ? note : notes->len ? kt_buf_str(notes) : NULL);
    }
    if (org) {
        lua_createtable(L, 0, 1);
        set_str(L, "ref", "org");
        lua_setfield(L, -2, "company");
    }
    lua_createtable(L, 3, 0);
    lua_pushstring(L, "external_id");
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, "email");
    lua_rawseti(L, -2, 2);
    lua_pushstring(L, "mobile");
    lua_rawseti(L, -2, 3);
    lua_setfield(L, -2, "match");
    lua_rawseti(L, -2, ++n);
    return st;
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

kt_status imp_builtin_map(imp_builtin *b, imp_script *s, const kt_read_row *row, int *idx,
                          size_t *count, kt_failures *fails, int *refused, kt_error *err)
{
    lua_State *L = s->L;
    int top = lua_gettop(L);
    *refused = 0;
    *count = 0;
    laters_clear(&b->row);
    b->known = 0;
    kt_free(b->key);
    b->key = NULL;
    kt_status st;
    const char *id = cell(row, "id");
    char uid[KT_EXPORT_UID_SIZE];
    kt_id n;
    if (b->vcf)
        st = push_vcard(b, s, row, fails, refused, err);
    else if (kt_export_key_parse(id, uid, &n))
        st = push_exported(b, s, row, id, err);
    else {
        const char *entity = cell(row, "entity") ? cell(row, "entity") : s->entity;
        char names[80], why[160];
        if (!nameless(kt_ws_registry(b->ws), entity, row, names, sizeof names))
            return imp_script_map(s, row, idx, count, err); /* the identity mapping */
        snprintf(why, sizeof why, "the row fills no %s: a %s needs a name", names, entity);
        *refused = 1;
        return kt_failures_add(fails, KT_SEVERITY_ERROR, NULL, NULL, "name", why);
    }
    if (st || *refused) {
        lua_settop(L, top);
        return st;
    }
    *idx = lua_gettop(L);
    *count = (size_t)lua_rawlen(L, -1);
    return KT_OK;
}

kt_id imp_builtin_known(const imp_builtin *b)
{
    return b ? b->known : 0;
}

kt_status imp_builtin_saved(imp_builtin *b, kt_id id, int created, const kt_save_opts *so,
                            kt_error *err)
{
    if (!b || (!b->row.n && !b->key)) return KT_OK;
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

kt_status imp_builtin_finish(imp_builtin *b, const kt_save_opts *so, kt_error *err)
{
    if (!b) return KT_OK;
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
