/* Clusters: links taken strongest first (Kruskal), so a cluster's score is its weakest needed
 * link; two groups are never joined when that would put a pair declared distinct together, nor
 * when fewer than half of the pairs between them are links or score at least the support bar
 * (the threshold less DD_SUPPORT_MARGIN): a record joins a cluster only when it is close to at
 * least half of its members, so one shared word cannot chain hundreds of companies into one
 * cluster. The bar sits below the threshold because copies made from one original (a star, as
 * in FEBRL) are close to each other without each pair reaching the threshold. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"

typedef struct uf {
    uint32_t *parent, *size;
    double *score;
    /* per group: a list of its distinct-pair ends (entry e: node e/2's partner) */
    int64_t *head, *tail, *next;
    uint32_t *len;
    const uint64_t *distinct;
    /* per group: its members (first[root], then member_next), for counting links across */
    uint32_t *first, *last, *member_next;
    /* the links of each node: adj[adj_at[i] .. adj_at[i + 1]) */
    size_t *adj_at;
    uint32_t *adj;
} uf;

static uint32_t find(uf *u, uint32_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

static uint32_t partner(const uf *u, int64_t e)
{
    uint64_t d = u->distinct[e / 2];
    return (e % 2) ? (uint32_t)(d >> 32) : (uint32_t)(d & 0xffffffffu);
}

/* Would joining groups ra and rb put a distinct pair together? */
static int forbidden(uf *u, uint32_t ra, uint32_t rb)
{
    if (!u->head) return 0;
    if (u->len[ra] > u->len[rb]) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    for (int64_t e = u->head[ra]; e >= 0; e = u->next[e])
        if (find(u, partner(u, e)) == rb) return 1;
    return 0;
}

/* The links between groups ra and rb, counted from the smaller one's members. */
static uint64_t links_between(uf *u, uint32_t ra, uint32_t rb)
{
    if (u->size[ra] > u->size[rb]) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    uint64_t n = 0;
    for (uint32_t m = u->first[ra]; m != UINT32_MAX; m = u->member_next[m])
        for (size_t e = u->adj_at[m]; e < u->adj_at[m + 1]; e++)
            n += find(u, u->adj[e]) == rb;
    return n;
}

/* Do the groups match each other enough to be one: at least half the pairs across are links,
 * or score at least support? */
static int evidenced(uf *u, const dd_table *t, double support, uint32_t ra, uint32_t rb)
{
    uint64_t need = ((uint64_t)u->size[ra] * u->size[rb] + 1) / 2;
    uint64_t have = links_between(u, ra, rb);
    if (have >= need) return 1;
    have = 0; /* counted again below, links among them */
    for (uint32_t m = u->first[ra]; m != UINT32_MAX; m = u->member_next[m])
        for (uint32_t v = u->first[rb]; v != UINT32_MAX; v = u->member_next[v]) {
            double s = dd_score(t->rule, dd_table_row(t, m), dd_table_row(t, v), NULL);
            if (s >= support) have++;
            if (have >= need) return 1;
        }
    return 0;
}

static void join(uf *u, uint32_t ra, uint32_t rb, double s)
{
    if (u->size[ra] < u->size[rb]) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    u->parent[rb] = ra;
    u->member_next[u->last[ra]] = u->first[rb];
    u->last[ra] = u->last[rb];
    u->size[ra] += u->size[rb];
    if (u->score[rb] < u->score[ra]) u->score[ra] = u->score[rb];
    if (s < u->score[ra]) u->score[ra] = s;
    if (u->head && u->head[rb] >= 0) {
        if (u->head[ra] < 0)
            u->head[ra] = u->head[rb];
        else
            u->next[u->tail[ra]] = u->head[rb];
        u->tail[ra] = u->tail[rb];
        u->len[ra] += u->len[rb];
    }
}

static int by_score_desc(const void *a, const void *b)
{
    const kt_dupe_pair *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

static int by_cluster(const void *a, const void *b)
{
    const kt_dupe_cluster *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->ids[0] < y->ids[0] ? -1 : x->ids[0] > y->ids[0];
}

static void uf_free(uf *u)
{
    kt_free(u->parent);
    kt_free(u->size);
    kt_free(u->score);
    kt_free(u->head);
    kt_free(u->tail);
    kt_free(u->next);
    kt_free(u->len);
    kt_free(u->first);
    kt_free(u->last);
    kt_free(u->member_next);
    kt_free(u->adj_at);
    kt_free(u->adj);
}

/* Each node's links (rows of the table) for links_between. */
static int adjacency(uf *u, size_t n, const kt_dupe_pair *links, size_t nlinks)
{
    u->adj_at = kt_calloc(n + 2, sizeof *u->adj_at);
    u->adj = kt_malloc((2 * nlinks + 1) * sizeof *u->adj);
    if (!u->adj_at || !u->adj) return -1;
    for (size_t i = 0; i < nlinks; i++) {
        u->adj_at[links[i].a + 2]++;
        u->adj_at[links[i].b + 2]++;
    }
    for (size_t i = 2; i < n + 2; i++)
        u->adj_at[i] += u->adj_at[i - 1];
    /* adj_at[i + 1] is node i's next free slot while filling, its end afterwards */
    for (size_t i = 0; i < nlinks; i++) {
        u->adj[u->adj_at[links[i].a + 1]++] = (uint32_t)links[i].b;
        u->adj[u->adj_at[links[i].b + 1]++] = (uint32_t)links[i].a;
    }
    return 0;
}

static int uf_init(uf *u, size_t n, const uint64_t *distinct, size_t nd, const kt_dupe_pair *links,
                   size_t nlinks)
{
    memset(u, 0, sizeof *u);
    u->distinct = distinct;
    u->parent = kt_malloc((n + 1) * sizeof *u->parent);
    u->size = kt_malloc((n + 1) * sizeof *u->size);
    u->score = kt_malloc((n + 1) * sizeof *u->score);
    u->first = kt_malloc((n + 1) * sizeof *u->first);
    u->last = kt_malloc((n + 1) * sizeof *u->last);
    u->member_next = kt_malloc((n + 1) * sizeof *u->member_next);
    if (!u->parent || !u->size || !u->score || !u->first || !u->last || !u->member_next ||
        adjacency(u, n, links, nlinks))
        return -1;
    for (size_t i = 0; i < n; i++) {
        u->parent[i] = (uint32_t)i;
        u->size[i] = 1;
        u->score[i] = 2.0;
        u->first[i] = u->last[i] = (uint32_t)i;
        u->member_next[i] = UINT32_MAX;
    }
    if (!nd) return 0;
    u->head = kt_malloc((n + 1) * sizeof *u->head);
    u->tail = kt_malloc((n + 1) * sizeof *u->tail);
    u->len = kt_calloc(n + 1, sizeof *u->len);
    u->next = kt_malloc(2 * nd * sizeof *u->next);
    if (!u->head || !u->tail || !u->len || !u->next) return -1;
    for (size_t i = 0; i < n; i++)
        u->head[i] = -1;
    for (size_t e = 0; e < 2 * nd; e++) {
        uint32_t node =
            (e % 2) ? (uint32_t)(distinct[e / 2] & 0xffffffffu) : (uint32_t)(distinct[e / 2] >> 32);
        u->next[e] = u->head[node];
        if (u->head[node] < 0) u->tail[node] = (int64_t)e;
        u->head[node] = (int64_t)e;
        u->len[node]++;
    }
    return 0;
}

static kt_status groups(const dd_table *t, uf *u, kt_dupes *out, kt_error *err)
{
    size_t nc = 0, nids = 0;
    uint32_t *slot = kt_malloc((t->n + 1) * sizeof *slot);
    if (!slot) return kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; i < t->n; i++)
        if (u->parent[i] == i && u->size[i] > 1) {
            slot[i] = (uint32_t)nc++;
            nids += u->size[i];
        }
    out->clusters = kt_calloc(nc + 1, sizeof *out->clusters);
    out->id_store = kt_malloc((nids + 1) * sizeof *out->id_store);
    if (!out->clusters || !out->id_store) {
        kt_free(slot);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    size_t off = 0;
    for (size_t i = 0; i < t->n; i++)
        if (u->parent[i] == i && u->size[i] > 1) {
            kt_dupe_cluster *c = &out->clusters[slot[i]];
            c->ids = out->id_store + off;
            c->score = u->score[i];
            off += u->size[i];
        }
    for (size_t i = 0; i < t->n; i++) { /* rows are in id order, so ids stay ascending */
        uint32_t r = find(u, (uint32_t)i);
        if (u->size[r] < 2) continue;
        kt_dupe_cluster *c = &out->clusters[slot[r]];
        c->ids[c->n++] = t->ids[i];
    }
    out->n = nc;
    if (nc) qsort(out->clusters, nc, sizeof *out->clusters, by_cluster);
    kt_free(slot);
    return KT_OK;
}

kt_status dd_cluster(const dd_table *t, kt_dupe_pair *links, size_t nlinks, double support,
                     const uint64_t *distinct, size_t ndistinct, kt_dupes *out, kt_error *err)
{
    uf u;
    kt_status st = KT_OK;
    if (uf_init(&u, t->n, distinct, ndistinct, links, nlinks)) {
        uf_free(&u);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    if (nlinks) qsort(links, nlinks, sizeof *links, by_score_desc);
    out->pairs = kt_malloc((nlinks + 1) * sizeof *out->pairs);
    if (!out->pairs) st = kt_error_set(err, KT_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < nlinks; i++) {
        uint32_t ra = find(&u, (uint32_t)links[i].a), rb = find(&u, (uint32_t)links[i].b);
        if (ra == rb || forbidden(&u, ra, rb) || !evidenced(&u, t, support, ra, rb)) continue;
        join(&u, ra, rb, links[i].score);
        out->pairs[out->npairs++] =
            (kt_dupe_pair){t->ids[links[i].a], t->ids[links[i].b], links[i].score};
    }
    if (!st) st = groups(t, &u, out, err);
    uf_free(&u);
    return st;
}
