/* The number an SMS goes to. A gateway wants E.164 (+48600100200), while an action may hand over
 * what a person typed ("600 100 200"); the number is read the way the record's own phone field
 * reads it: its type (the phone plugin when loaded), its kind (a landline cannot take an SMS)
 * and the record's country. */
#include <stdio.h>
#include <string.h>

#include "channel/channel.h"
#include "kartoteka/alloc.h"
#include "kartoteka/registry.h"
#include "kartoteka/save.h"
#include "record/field_value.h"

/* The entity's phone field for SMS: one whose kind is "mobile", else the first phone field. */
static const kt_field *sms_field(const kt_entity *e)
{
    const kt_field *first = NULL;
    for (size_t i = 0; e && i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if (f->kind != KT_TYPE_PHONE) continue;
        if (f->type_kind && !strcmp(f->type_kind, "mobile")) return f;
        if (!first) first = f;
    }
    return first;
}

kt_status kt_sms_recipient(kt_ws *ws, const kt_record *rec, const char *to, char **out,
                           kt_error *err)
{
    kt_registry *reg = kt_ws_registry(ws);
    const kt_field *f = sms_field(rec ? kt_registry_entity(reg, rec->entity) : NULL);
    if (!f) f = sms_field(kt_registry_entity(reg, "person"));
    *out = NULL;
    if (!f) return kt_error_set(err, KT_INVALID, "an SMS needs a phone field to read %s", to);
    kt_value in = {(char *)to, NULL, 0, 0}, v = {0}; /* in borrowed */
    kt_failures fails;
    kt_failures_init(&fails);
    int ok = 1;
    kt_status st = kt_field_normalise(ws, f, rec, &in, &v, &fails, &ok, err);
    if (!st && !ok)
        st = kt_error_set(err, KT_INVALID, "SMS to \"%s\": %s (read as %s.%s)", to,
                          fails.n ? fails.items[0].message : "not a phone number", f->entity,
                          f->name);
    else if (!st && (!v.text || v.text[0] != '+'))
        st = kt_error_set(err, KT_INVALID,
                          "SMS to \"%s\": not an international number (+CC...); with plugin "
                          "\"phone\" loaded national numbers are read in the record's country",
                          to);
    if (!st) *out = v.text, v.text = NULL;
    kt_value_clear(&v);
    kt_failures_free(&fails);
    return st;
}
