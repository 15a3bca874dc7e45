#include <string.h>

#include "kartoteka/alloc.h"
#include "registry/field_props.h"

struct kt_registry {
    kt_entity *entities;
    size_t n, cap;
};

kt_registry *kt_registry_new(void)
{
    return kt_calloc(1, sizeof(kt_registry));
}

static void field_clear(kt_field *f)
{
    kt_free(f->entity);
    kt_free(f->name);
    kt_free(f->type);
    kt_free(f->label);
    kt_field_free_options(f->options, f->noptions);
    if (f->pattern) regfree(&f->regex);
    kt_free(f->pattern);
    kt_free(f->min);
    kt_free(f->max);
    kt_free(f->default_value);
    kt_free(f->ref);
    kt_free(f->type_kind);
    kt_free(f->origin);
    memset(f, 0, sizeof *f);
}

void kt_registry_free(kt_registry *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        kt_entity *e = &r->entities[i];
        for (size_t j = 0; j < e->nfields; j++)
            field_clear(&e->fields[j]);
        kt_free(e->fields);
        kt_free(e->name);
        kt_free(e->label);
    }
    kt_free(r->entities);
    kt_free(r);
}

const kt_entity *kt_registry_entity(const kt_registry *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->entities[i].name[0] == name[0] && strcmp(r->entities[i].name, name) == 0)
            return &r->entities[i];
    return NULL;
}

size_t kt_registry_entity_count(const kt_registry *r)
{
    return r->n;
}

const kt_entity *kt_registry_entity_at(const kt_registry *r, size_t i)
{
    return i < r->n ? &r->entities[i] : NULL;
}

kt_field *kt_registry_field_mut(kt_registry *r, const char *entity, const char *name)
{
    kt_entity *e = (kt_entity *)kt_registry_entity(r, entity);
    if (!e) return NULL;
    /* looked up for every field of every saved record: the first byte settles most */
    for (size_t i = 0; i < e->nfields; i++)
        if (e->fields[i].name[0] == name[0] && strcmp(e->fields[i].name, name) == 0)
            return &e->fields[i];
    return NULL;
}

const kt_field *kt_registry_field(const kt_registry *r, const char *entity, const char *name)
{
    return kt_registry_field_mut((kt_registry *)r, entity, name);
}

kt_status kt_registry_put_entity(kt_registry *r, const char *name, const char *label_json,
                                 int builtin, kt_error *err)
{
    if (!kt_registry_valid_name(name))
        return kt_error_set(
            err, KT_INVALID,
            "'%s' is not a valid entity name (use a-z, 0-9 and _, starting with a letter)", name);
    kt_entity *e = (kt_entity *)kt_registry_entity(r, name);
    if (!e) {
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 8;
            kt_entity *ne = kt_realloc(r->entities, cap * sizeof *ne);
            if (!ne) return kt_error_set(err, KT_NOMEM, "out of memory");
            r->entities = ne;
            r->cap = cap;
        }
        e = &r->entities[r->n];
        memset(e, 0, sizeof *e);
        e->name = kt_strdup(name);
        if (!e->name) return kt_error_set(err, KT_NOMEM, "out of memory");
        e->builtin = builtin;
        r->n++;
    }
    if (label_json) {
        char *l = kt_strdup(label_json);
        if (!l) return kt_error_set(err, KT_NOMEM, "out of memory");
        kt_free(e->label);
        e->label = l;
    }
    return KT_OK;
}

/* Builds the field a declaration asks for, on top of the current definition if any. */
static kt_status build_field(kt_field *nf, const kt_field *old, const kt_field_decl *d, int builtin,
                             kt_error *err)
{
    const char *type = d->type ? d->type : (old ? old->type : NULL);
    if (!type)
        return kt_error_set(err, KT_INVALID, "field %s.%s: a new field needs a type", d->entity,
                            d->name);
    if (old && strcmp(old->type, type) != 0)
        return kt_error_set(err, KT_DENIED,
                            "field %s.%s: changing the type from %s to %s would change stored "
                            "values; add a new field instead",
                            d->entity, d->name, old->type, type);
    nf->entity = kt_strdup(d->entity);
    nf->name = kt_strdup(d->name);
    nf->type = kt_strdup(type);
    nf->origin = kt_strdup(old ? old->origin : (d->origin ? d->origin : "cli"));
    if (!nf->entity || !nf->name || !nf->type || !nf->origin)
        return kt_error_set(err, KT_NOMEM, "out of memory");
    nf->kind = kt_type_kind_of(type);
    nf->scale = 2;
    nf->builtin = old ? old->builtin : builtin;
    if (old) {
        nf->position = old->position;
        nf->default_fn = old->default_fn;
        nf->default_ud = old->default_ud;
    }
    if (old && !d->replace) {
        char *props = kt_field_props_json(old);
        if (!props) return kt_error_set(err, KT_NOMEM, "out of memory");
        kt_status st = kt_field_apply_props(nf, props, err);
        kt_free(props);
        if (st) return st;
    }
    kt_status st = kt_field_apply_props(nf, d->props, err);
    if (st) return st;
    return kt_field_check_props(nf, err);
}

kt_status kt_registry_put_field(kt_registry *r, const kt_field_decl *d, int builtin, int *changed,
                                kt_error *err)
{
    if (changed) *changed = 0;
    if (!kt_registry_valid_name(d->name))
        return kt_error_set(err, KT_INVALID,
                            "'%s.%s': '%s' is not a valid field name (use a-z, 0-9 and _, "
                            "starting with a letter; id, state and kt_* are reserved)",
                            d->entity, d->name, d->name);
    kt_entity *e = (kt_entity *)kt_registry_entity(r, d->entity);
    if (!e)
        return kt_error_set(
            err, KT_NOTFOUND,
            "field %s.%s: there is no entity '%s' (declare it with entity \"%s\" {})", d->entity,
            d->name, d->entity, d->entity);
    kt_field *old = kt_registry_field_mut(r, d->entity, d->name);
    kt_field nf;
    memset(&nf, 0, sizeof nf);
    kt_status st = build_field(&nf, old, d, builtin, err);
    if (st) {
        field_clear(&nf);
        return st;
    }
    if (old) {
        char *a = kt_field_props_json(old), *b = kt_field_props_json(&nf);
        int differs = !a || !b || strcmp(a, b) != 0;
        kt_free(a);
        kt_free(b);
        if (changed) *changed = differs;
        field_clear(old);
        *old = nf;
        return KT_OK;
    }
    if (e->nfields == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        kt_field *nfs = kt_realloc(e->fields, cap * sizeof *nfs);
        if (!nfs) {
            field_clear(&nf);
            return kt_error_set(err, KT_NOMEM, "out of memory");
        }
        e->fields = nfs;
        e->cap = cap;
    }
    nf.position = e->nfields ? e->fields[e->nfields - 1].position + 1 : 1;
    e->fields[e->nfields++] = nf;
    if (changed) *changed = 1;
    return KT_OK;
}

kt_status kt_registry_remove_field(kt_registry *r, const char *entity, const char *name)
{
    kt_entity *e = (kt_entity *)kt_registry_entity(r, entity);
    kt_field *f = kt_registry_field_mut(r, entity, name);
    if (!f) return KT_NOTFOUND;
    size_t i = (size_t)(f - e->fields);
    field_clear(f);
    memmove(&e->fields[i], &e->fields[i + 1], (e->nfields - i - 1) * sizeof *f);
    e->nfields--;
    return KT_OK;
}

kt_status kt_registry_rename_field(kt_registry *r, const char *entity, const char *name,
                                   const char *new_name, kt_error *err)
{
    kt_field *f = kt_registry_field_mut(r, entity, name);
    if (!f) return kt_error_set(err, KT_NOTFOUND, "there is no field %s.%s", entity, name);
    char *n = kt_strdup(new_name);
    if (!n) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_free(f->name);
    f->name = n;
    return KT_OK;
}
