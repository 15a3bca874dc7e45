/* Consent, checked in C for every message of a marketing campaign: the audience's own check
 * sees only the record acted on, while an action may address anyone (kt.send { to = ... }).
 * The addressee is the person named by `person`, and every person of the workspace one of
 * whose e-mail or phone fields holds the address; any of them refusing the message's purpose
 * (the channel's kind: email or sms) refuses it. A person refuses a purpose they withdrew or
 * whose consent expired; one with no record of it refuses when marketing_consent is "no". */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/consent.h"
#include "kartoteka/registry.h"

#define ADDRESS_MAX 512

typedef struct finding {
    kt_ws *ws;
    const char *purpose;
    kt_id refused_by;
    kt_status st;
    kt_error err;
} finding;

static int note_refusal(void *ud, const kt_record *rec)
{
    finding *f = ud;
    int ok = 1;
    if ((f->st = kt_consent_permits(f->ws, rec, f->purpose, &ok, &f->err))) return 1;
    if (ok) return 0;
    f->refused_by = rec->id;
    return 1;
}

/* "Jan <jan@example.com>" -> "jan@example.com"; anything else as it is. */
static void bare_address(const char *to, char *out, size_t n)
{
    const char *lt = strrchr(to, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt && gt > lt + 1)
        snprintf(out, n, "%.*s", (int)(gt - lt - 1), lt + 1);
    else
        snprintf(out, n, "%s", to);
}

/* Looks for people whose field holds addr. The condition is built, not parsed: an address is
 * data, never text of the filter language (its quotes, "and", "in (...)" mean nothing here). */
static kt_status check_field(kt_ws *ws, const kt_field *fd, const char *addr, finding *f,
                             kt_error *err)
{
    kt_filter flt = {(char *)fd->name, KT_OP_EQ, (char *)addr, NULL, 0}; /* borrowed */
    /* archived people keep their no */
    kt_list_opts o = {&flt, 1, 2, 0, 0};
    kt_error e2;
    kt_status st = kt_list(ws, "person", &o, note_refusal, f, &e2);
    /* an address this field's type refuses is not in it */
    if (st == KT_INVALID) return KT_OK;
    if (st && err) *err = e2;
    if (!st && f->st && err) *err = f->err;
    return st ? st : f->st;
}

static kt_status check_address(kt_ws *ws, const char *to, finding *f, kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), "person");
    if (!e || !to || !*to) return KT_OK;
    char addr[ADDRESS_MAX], lower[ADDRESS_MAX];
    bare_address(to, addr, sizeof addr);
    if (!addr[strspn(addr, " \t")]) return KT_OK; /* "=" on a blank would match empty fields */
    /* mail systems treat addresses without regard to case; people type them either way */
    for (size_t i = 0; i < sizeof lower; i++) {
        char ch = addr[i];
        lower[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
        if (!ch) break;
    }
    kt_status st = KT_OK;
    for (size_t i = 0; !st && i < e->nfields && !f->refused_by; i++) {
        const kt_field *fd = &e->fields[i];
        if (fd->kind != KT_TYPE_EMAIL && fd->kind != KT_TYPE_PHONE) continue;
        st = check_field(ws, fd, addr, f, err);
        if (!st && !f->refused_by && fd->kind == KT_TYPE_EMAIL && strcmp(lower, addr) != 0)
            st = check_field(ws, fd, lower, f, err);
    }
    return st;
}

kt_status kt_consent_refused(kt_ws *ws, kt_id person, const char *purpose, const char *to,
                             kt_id *refused_by, kt_error *err)
{
    finding f = {ws, purpose, 0, KT_OK, {0}};
    *refused_by = 0;
    if (person > 0) {
        kt_record *rec = NULL;
        int ok = 1;
        kt_status st = kt_get(ws, person, &rec, err);
        if (st && st != KT_NOTFOUND) return st;
        if (rec && !strcmp(rec->entity, "person"))
            st = kt_consent_permits(ws, rec, purpose, &ok, err);
        if (rec && !ok) f.refused_by = rec->id;
        kt_record_free(rec);
        if (st) return st;
    }
    if (!f.refused_by) {
        kt_status st = check_address(ws, to, &f, err);
        if (st) return st;
    }
    *refused_by = f.refused_by;
    return KT_OK;
}
