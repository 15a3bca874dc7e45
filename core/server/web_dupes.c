/* Duplicates: the clusters of probable duplicates of an entity with the explanation (field by
 * field scores), a merge where the value of each differing field is chosen, and "not a
 * duplicate", which the duplicate check remembers; and the review: the pair the model is least
 * sure of, answered Same / Different / Skip as kt dupes review does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/dedupe.h"
#include "kartoteka/save.h"
#include "web.h"

#define MAX_CLUSTERS 50
#define MAX_MEMBERS 16

static void explain(web_req *w, html *h, const kt_dedupe_rule *rule, kt_id a, kt_id b)
{
    kt_dedupe_explain e;
    kt_error err;
    if (kt_dedupe_explain_pair(w->ws, rule, a, b, &e, &err)) return;
    html_open(h, "ul", "class", "why", HTML_END);
    for (size_t i = 0; i < e.n; i++) {
        char line[96];
        if (e.parts[i].score < 0) continue;
        snprintf(line, sizeof line, ": %.2f (%s)", e.parts[i].score, e.parts[i].method);
        html_open(h, "li", HTML_END);
        html_el(h, "strong", e.parts[i].field, HTML_END);
        html_text(h, line);
        html_close(h, "li");
    }
    html_close(h, "ul");
    kt_dedupe_explain_clear(&e);
}

/* The merge form of one cluster: which record stays, and per differing field whose value. */
static void cluster_form(web_req *w, html *h, const kt_entity *e, const kt_dupe_cluster *c,
                         size_t k)
{
    kt_record *recs[MAX_MEMBERS] = {0};
    size_t n = c->n < MAX_MEMBERS ? c->n : MAX_MEMBERS;
    kt_error err;
    for (size_t i = 0; i < n; i++)
        if (kt_get(w->ws, c->ids[i], &recs[i], &err)) goto out;
    char action[96], label[128], buf[512], idtext[32], rid[64];
    snprintf(action, sizeof action, "/dupes/%s/merge", e->name);
    html_open(h, "form", "method", "post", "action", action, "class", "merge", HTML_END);
    web_csrf_input(w, h);
    html_open(h, "table", HTML_END);
    html_open(h, "tr", HTML_END);
    html_el(h, "th", web_word(w, "Merge"), HTML_END);
    for (size_t i = 0; i < n; i++) {
        snprintf(idtext, sizeof idtext, "%lld", c->ids[i]);
        snprintf(rid, sizeof rid, "winner-%zu-%zu", k, i);
        html_open(h, "th", HTML_END);
        html_open(h, "input", "type", "radio", "name", "winner", "value", idtext, "id", rid,
                  "checked", i == 0 ? "" : NULL, HTML_END);
        html_open(h, "label", "for", rid, HTML_END);
        web_record_link(w, h, c->ids[i]);
        html_close(h, "label");
        html_open(h, "input", "type", "hidden", "name", "member", "value", idtext, HTML_END);
        html_close(h, "th");
    }
    html_close(h, "tr");
    for (size_t f = 0; f < e->nfields; f++) {
        const kt_field *fd = &e->fields[f];
        int differs = 0;
        for (size_t i = 1; i < n; i++)
            if (!kt_value_equal(kt_record_get(recs[0], fd->name), kt_record_get(recs[i], fd->name)))
                differs = 1;
        html_open(h, "tr", "class", differs ? "differs" : NULL, HTML_END);
        html_el(h, "th", web_field_label(w, fd, label, sizeof label), "scope", "row", HTML_END);
        for (size_t i = 0; i < n; i++) {
            const char *v = web_value_text(w, fd, recs[i], buf, sizeof buf);
            html_open(h, "td", HTML_END);
            if (differs && *v) {
                char name[96];
                snprintf(name, sizeof name, "pick_%s", fd->name);
                snprintf(idtext, sizeof idtext, "%lld", c->ids[i]);
                snprintf(rid, sizeof rid, "pick-%zu-%zu-%zu", k, f, i);
                html_open(h, "input", "type", "radio", "name", name, "value", idtext, "id", rid,
                          HTML_END);
                html_el(h, "label", v, "for", rid, HTML_END);
            } else {
                html_text(h, v);
            }
            html_close(h, "td");
        }
        html_close(h, "tr");
    }
    html_close(h, "table");
    html_el(h, "button", web_word(w, "Merge"), "type", "submit", "name", "do", "value", "merge",
            HTML_END);
    html_el(h, "button", web_word(w, "Not a duplicate"), "type", "submit", "name", "do", "value",
            "distinct", HTML_END);
    html_close(h, "form");
out:
    for (size_t i = 0; i < n; i++)
        kt_record_free(recs[i]);
}

static enum MHD_Result act(web_req *w, const kt_entity *e)
{
    const char *members[MAX_MEMBERS], *what = web_form_get(&w->form, "do");
    size_t n = web_form_all(&w->form, "member", members, MAX_MEMBERS);
    kt_id ids[MAX_MEMBERS], winner = 0;
    const char *wt = web_form_get(&w->form, "winner");
    kt_error err;
    char of[64];
    for (size_t i = 0; i < n; i++) {
        ids[i] = kt_id_parse(members[i]);
        if (!ids[i] || kt_ws_entity_of(w->ws, ids[i], of, sizeof of, &err) || strcmp(of, e->name))
            return web_fail(w, MHD_HTTP_BAD_REQUEST, "not records of this kind");
    }
    if (wt) winner = kt_id_parse(wt);
    if (n < 2) return web_fail(w, MHD_HTTP_BAD_REQUEST, "a cluster has two records or more");
    kt_status st = KT_OK;
    if (what && !strcmp(what, "distinct")) {
        for (size_t i = 0; !st && i < n; i++)
            for (size_t j = i + 1; !st && j < n; j++)
                st = kt_dupes_distinct(w->ws, ids[i], ids[j], &err);
    } else {
        kt_id losers[MAX_MEMBERS];
        size_t nl = 0;
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (ids[i] == winner)
                found = 1;
            else
                losers[nl++] = ids[i];
        if (!found) return web_fail(w, MHD_HTTP_BAD_REQUEST, "choose the record that stays");
        /* the values chosen from the others are set on the one that stays, then the merge
         * fills what it still lacks */
        kt_record *change = kt_record_new(e->name), *from = NULL;
        if (!change) return web_fail(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        change->id = winner;
        for (size_t f = 0; !st && f < e->nfields; f++) {
            char name[96];
            snprintf(name, sizeof name, "pick_%s", e->fields[f].name);
            const char *p = web_form_get(&w->form, name);
            kt_id src = p ? kt_id_parse(p) : 0;
            if (!src || src == winner) continue;
            int member = 0;
            for (size_t i = 0; i < n; i++)
                member |= ids[i] == src;
            if (!member || (st = kt_get(w->ws, src, &from, &err))) continue;
            const kt_value *v = kt_record_get(from, e->fields[f].name);
            if (v && v->is_set)
                st = kt_record_set_list(change, e->fields[f].name, (const char *const *)v->items,
                                        v->nitems, &err);
            else
                st = kt_record_set(change, e->fields[f].name, v ? v->text : NULL, &err);
            kt_record_free(from);
            from = NULL;
        }
        kt_failures fl;
        kt_failures_init(&fl);
        kt_save_opts o = {.allow_duplicate = 1};
        if (!st && change->n) st = kt_save(w->ws, change, &o, &fl, &err);
        kt_failures_free(&fl);
        kt_record_free(change);
        char source[KT_AUTH_SOURCE_MAX + 16];
        if (!st)
            st = kt_merge(w->ws, winner, losers, nl,
                          kt_auth_source(w->ws, "merge", source, sizeof source), &err);
        if (!st) {
            char href[128];
            snprintf(href, sizeof href, "/e/%s/%lld", e->name, winner);
            return web_redirect(w, href, NULL);
        }
    }
    if (st) return web_fail(w, srv_http_status(st), err.message);
    char href[96];
    snprintf(href, sizeof href, "/dupes/%s", e->name);
    return web_redirect(w, href, NULL);
}

/* The pair at position at of the review list, its explanation field by field and the three
 * answers. */
static enum MHD_Result review_page(web_req *w, const kt_entity *e)
{
    const char *at_text = srv_arg(w->r, "at");
    long long at = at_text ? kt_id_parse(at_text) : 0; /* 1 and up, else 0 */
    if (at > 1000) at = 1000;
    char title[160], label[128], href[96];
    snprintf(title, sizeof title, "%s: %s", web_word(w, "Review"),
             web_label(w, e->label, e->name, label, sizeof label));
    html h = HTML_INIT;
    web_page_begin(w, &h, title);
    snprintf(href, sizeof href, "/dupes/%s", e->name);
    html_open(&h, "p", HTML_END);
    html_el(&h, "a", web_word(w, "Duplicates"), "href", href, HTML_END);
    html_close(&h, "p");
    kt_dedupe_rule *rule = NULL;
    kt_dupe_review *items = NULL;
    size_t n = 0;
    kt_error err;
    if (kt_dedupe_rule_get(w->ws, e->name, &rule, &err) ||
        kt_dupes_review_list(w->ws, rule, (size_t)at + 1, &items, &n, &err)) {
        html_el(&h, "p", err.message, "class", "error", HTML_END);
    } else if (n <= (size_t)at) {
        html_el(&h, "p", web_word(w, "No pair left to review."), HTML_END);
    } else {
        static const char *const level[] = {"missing", "far", "close", "exact"};
        const kt_dedupe_explain *x = &items[at].why;
        char line[96], a[32], b[32], next[32];
        snprintf(line, sizeof line, "%lld ~ %lld: %.3f", x->a, x->b, x->score < 0 ? 0 : x->score);
        html_open(&h, "section", "class", "review", HTML_END);
        html_el(&h, "h2", line, HTML_END);
        html_open(&h, "table", HTML_END);
        html_open(&h, "tr", HTML_END);
        html_el(&h, "th", "", HTML_END);
        html_open(&h, "th", HTML_END);
        web_record_link(w, &h, x->a);
        html_close(&h, "th");
        html_open(&h, "th", HTML_END);
        web_record_link(w, &h, x->b);
        html_close(&h, "th");
        html_el(&h, "th", x->trained ? "level" : "score", HTML_END);
        html_el(&h, "th", x->trained ? "bits" : "weight", HTML_END);
        html_close(&h, "tr");
        for (size_t i = 0; i < x->n; i++) {
            const kt_dedupe_part *p = &x->parts[i];
            html_open(&h, "tr", HTML_END);
            html_el(&h, "th", p->field, "scope", "row", HTML_END);
            html_el(&h, "td", p->a ? p->a : "-", HTML_END);
            html_el(&h, "td", p->b ? p->b : "-", HTML_END);
            if (x->trained)
                snprintf(line, sizeof line, "%s", level[p->level + 1]);
            else if (p->score < 0)
                snprintf(line, sizeof line, "missing");
            else
                snprintf(line, sizeof line, "%.3f", p->score);
            html_el(&h, "td", line, HTML_END);
            snprintf(line, sizeof line, "%+.2f", p->contribution);
            html_el(&h, "td", line, HTML_END);
            html_close(&h, "tr");
        }
        html_close(&h, "table");
        snprintf(href, sizeof href, "/dupes/%s/review", e->name);
        snprintf(a, sizeof a, "%lld", x->a);
        snprintf(b, sizeof b, "%lld", x->b);
        snprintf(next, sizeof next, "%lld", at);
        html_open(&h, "form", "method", "post", "action", href, "class", "review", HTML_END);
        web_csrf_input(w, &h);
        html_open(&h, "input", "type", "hidden", "name", "a", "value", a, HTML_END);
        html_open(&h, "input", "type", "hidden", "name", "b", "value", b, HTML_END);
        html_open(&h, "input", "type", "hidden", "name", "at", "value", next, HTML_END);
        html_el(&h, "button", web_word(w, "Same"), "type", "submit", "name", "do", "value", "same",
                HTML_END);
        html_el(&h, "button", web_word(w, "Different"), "type", "submit", "name", "do", "value",
                "distinct", HTML_END);
        html_el(&h, "button", web_word(w, "Skip"), "type", "submit", "name", "do", "value", "skip",
                HTML_END);
        html_close(&h, "form");
        html_close(&h, "section");
    }
    kt_dupes_review_free(items, n);
    kt_dedupe_rule_free(rule);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}

/* An answer: a label (the pair leaves the list, so the same position shows the next one), or a
 * skip (the next position). */
static enum MHD_Result review_act(web_req *w, const kt_entity *e)
{
    const char *what = web_form_get(&w->form, "do"), *at_text = web_form_get(&w->form, "at");
    const char *at_a = web_form_get(&w->form, "a"), *at_b = web_form_get(&w->form, "b");
    kt_id a = at_a ? kt_id_parse(at_a) : 0, b = at_b ? kt_id_parse(at_b) : 0;
    long long at = at_text ? kt_id_parse(at_text) : 0;
    kt_dupe_label l = KT_DUPE_UNLABELLED;
    int skip = what && !strcmp(what, "skip");
    if (!skip && (!what || !strcmp(what, "clear") || kt_dupes_label_parse(what, &l)))
        return web_fail(w, MHD_HTTP_BAD_REQUEST, "answer same, distinct or skip");
    kt_error err;
    char of[64], source[KT_AUTH_SOURCE_MAX + 16];
    if (!skip) {
        if (!a || !b || kt_ws_entity_of(w->ws, a, of, sizeof of, &err) || strcmp(of, e->name))
            return web_fail(w, MHD_HTTP_BAD_REQUEST, "not records of this kind");
        kt_status st = kt_dupes_label(w->ws, a, b, l,
                                      kt_auth_source(w->ws, "label", source, sizeof source), &err);
        if (st) return web_fail(w, srv_http_status(st), err.message);
    }
    char href[128];
    if (skip || at)
        snprintf(href, sizeof href, "/dupes/%s/review?at=%lld", e->name, at + skip);
    else
        snprintf(href, sizeof href, "/dupes/%s/review", e->name);
    return web_redirect(w, href, NULL);
}

enum MHD_Result web_dupes(web_req *w)
{
    const char *entity = w->nseg >= 2 ? w->seg[1] : "person";
    const kt_entity *e = kt_registry_entity(kt_ws_registry(w->ws), entity);
    if (!e) return web_fail(w, MHD_HTTP_NOT_FOUND, web_word(w, "There is no such page."));
    if (!web_may(w, KT_ACT_MERGE, entity))
        return web_fail(w, MHD_HTTP_FORBIDDEN, "your role may not merge");
    if (w->post && w->nseg == 3 && !strcmp(w->seg[2], "merge")) return act(w, e);
    if (w->nseg == 3 && !strcmp(w->seg[2], "review"))
        return w->post ? review_act(w, e) : review_page(w, e);
    kt_dedupe_rule *rule = NULL;
    kt_dupes d = {0};
    kt_error err;
    char title[160], label[128];
    snprintf(title, sizeof title, "%s: %s", web_word(w, "Duplicates"),
             web_label(w, e->label, e->name, label, sizeof label));
    html h = HTML_INIT;
    web_page_begin(w, &h, title);
    char review[96];
    snprintf(review, sizeof review, "/dupes/%s/review", e->name);
    html_open(&h, "p", HTML_END);
    html_el(&h, "a", web_word(w, "Review"), "href", review, "class", "review", HTML_END);
    html_close(&h, "p");
    if (kt_dedupe_rule_get(w->ws, entity, &rule, &err) ||
        kt_dupes_find(w->ws, rule, -1, &d, &err)) {
        html_el(&h, "p", err.message, "class", "error", HTML_END);
    } else if (!d.n) {
        html_el(&h, "p", web_word(w, "Nothing found."), HTML_END);
    }
    for (size_t k = 0; k < d.n && k < MAX_CLUSTERS; k++) {
        char head[64];
        snprintf(head, sizeof head, "%.2f", d.clusters[k].score);
        html_open(&h, "section", "class", "cluster", HTML_END);
        html_el(&h, "h2", head, HTML_END);
        if (d.clusters[k].n >= 2) explain(w, &h, rule, d.clusters[k].ids[0], d.clusters[k].ids[1]);
        cluster_form(w, &h, e, &d.clusters[k], k);
        html_close(&h, "section");
    }
    kt_dupes_clear(&d);
    kt_dedupe_rule_free(rule);
    web_page_end(w, &h);
    return web_send(w, &h, MHD_HTTP_OK);
}
