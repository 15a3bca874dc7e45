/* The API's cost: a record read (GET /person/{id}) and a search (GET /find?q=NAME&limit=50)
 * over HTTP against kt serve, against the same reads done in-process (kt_get / kt_find and the
 * same JSON encoding), same run, same ids and names. Prints ops/s and p50/p95 latency for each:
 * in-process (one thread), HTTP with one client (the latency a caller sees) and HTTP with
 * several clients on keep-alive connections (the throughput). A search at 1 M people costs
 * about a thousand record reads, so searches are a tenth of the reads' count.
 *   bench_serve WS_DIR API_URL TOKEN [ops=1000] [clients=4]
 * (bench_serve.sh starts the server and passes its address and a token.) */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include "kartoteka/config.h"
#include "kartoteka/json.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"
#include "kartoteka/workspace.h"

typedef struct job {
    const char *api, *token;
    char (*paths)[256];
    size_t from, n;
    double *lat; /* seconds per request, n of them */
    long failed;
} job;

static void report(const char *what, double *lat, size_t n, double wall)
{
    bench_sort(lat, n);
    printf("%-34s %9.0f ops/s   p50 %8.3f ms   p95 %8.3f ms\n", what, (double)n / wall,
           lat[n / 2] * 1e3, lat[(n * 95) / 100] * 1e3);
}

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static void *client(void *ud)
{
    job *j = ud;
    CURL *c = curl_easy_init();
    char auth[256], url[1024];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", j->token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    for (size_t i = 0; i < j->n; i++) {
        snprintf(url, sizeof url, "%s%s", j->api, j->paths[j->from + i]);
        curl_easy_setopt(c, CURLOPT_URL, url);
        double t = bench_now();
        long code = 0;
        if (curl_easy_perform(c) != CURLE_OK ||
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200)
            j->failed++;
        j->lat[i] = bench_now() - t;
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

/* The paths over HTTP with `clients` connections; prints the figures. */
static long over_http(const char *what, const char *api, const char *token, char (*paths)[256],
                      size_t n, int clients)
{
    double *lat = calloc(n, sizeof *lat);
    job jobs[64];
    pthread_t th[64];
    size_t per = n / (size_t)clients;
    double t = bench_now();
    for (int k = 0; k < clients; k++) {
        jobs[k] = (job){api, token, paths, per * (size_t)k, per, lat + per * (size_t)k, 0};
        pthread_create(&th[k], NULL, client, &jobs[k]);
    }
    long failed = 0;
    for (int k = 0; k < clients; k++) {
        pthread_join(th[k], NULL);
        failed += jobs[k].failed;
    }
    char label[96];
    snprintf(label, sizeof label, "%s, HTTP, %d client%s", what, clients, clients > 1 ? "s" : "");
    report(label, lat, per * (size_t)clients, bench_now() - t);
    free(lat);
    return failed;
}

typedef struct found {
    kt_ws *ws;
    long n;
} found;

static int on_found(void *ud, const kt_record *rec)
{
    found *f = ud;
    cJSON *j = kt_json_record(f->ws, rec, NULL);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_free(text);
    cJSON_Delete(j);
    f->n++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_serve WS_DIR API_URL TOKEN [ops=1000] [clients=4]\n");
        return 64;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* each figure as soon as it is measured */
    size_t ops = argc > 4 ? strtoul(argv[4], NULL, 10) : 1000;
    int clients = argc > 5 ? atoi(argv[5]) : 4;
    if (ops < 200 || clients < 1 || clients > 64) return 64;
    size_t searches = ops / 10;
    kt_ws *ws = NULL;
    kt_error err;
    const char *pd = getenv("KT_PLUGIN_PATH");
    kt_config_opts o = {0};
    o.plugin_dirs = &pd;
    o.nplugin_dirs = pd ? 1 : 0;
    if (kt_ws_open(argv[1], &ws, &err) || kt_config_apply(ws, &o, &err)) {
        fprintf(stderr, "bench_serve: %s\n", err.message);
        return 1;
    }
    long long max = 0, people = 0;
    kt_store_int(kt_ws_store(ws), "SELECT max(id) FROM kt_record", "", &max, &err);
    kt_store_int(kt_ws_store(ws), "SELECT count(*) FROM kt_record WHERE entity = 'person'", "",
                 &people, &err);
    printf("people: %lld, requests per measurement: %zu reads, %zu searches\n", people, ops,
           searches);
    char(*reads)[256] = calloc(ops, sizeof *reads);
    char(*finds)[256] = calloc(ops, sizeof *finds);
    kt_id *ids = calloc(ops, sizeof *ids);
    char(*names)[128] = calloc(ops, sizeof *names);
    double *lat = calloc(ops, sizeof *lat);
    srand(7);
    /* the same random people for every measurement; their last names are the searches */
    for (size_t i = 0; i < ops;) {
        kt_id id = 1 + (kt_id)(((unsigned long long)rand() * RAND_MAX + (unsigned)rand()) %
                               (unsigned long long)max);
        kt_record *r = NULL;
        if (kt_get(ws, id, &r, &err)) continue;
        const kt_value *v = kt_record_get(r, "last_name");
        if (strcmp(r->entity, "person") == 0 && v && v->text && *v->text && !strchr(v->text, ' ')) {
            ids[i] = id;
            snprintf(names[i], sizeof names[i], "%s", v->text);
            snprintf(reads[i], sizeof reads[i], "/person/%lld", id);
            char *q = curl_easy_escape(NULL, v->text, 0);
            snprintf(finds[i], sizeof finds[i], "/find?limit=50&q=%s", q);
            curl_free(q);
            i++;
        }
        kt_record_free(r);
    }
    double t = bench_now();
    for (size_t i = 0; i < ops; i++) {
        double s = bench_now();
        kt_record *r = NULL;
        if (!kt_get(ws, ids[i], &r, &err)) {
            found f = {ws, 0};
            on_found(&f, r);
        }
        kt_record_free(r);
        lat[i] = bench_now() - s;
    }
    report("record read, in-process", lat, ops, bench_now() - t);
    long failed = over_http("record read", argv[2], argv[3], reads, ops, 1);
    failed += over_http("record read", argv[2], argv[3], reads, ops, clients);
    long hits = 0;
    t = bench_now();
    for (size_t i = 0; i < searches; i++) {
        double s = bench_now();
        found f = {ws, 0};
        kt_find(ws, names[i], 50, on_found, &f, &err);
        hits += f.n;
        lat[i] = bench_now() - s;
    }
    report("search (50 hits max), in-process", lat, searches, bench_now() - t);
    printf("(searches found %.1f records on average)\n", (double)hits / (double)searches);
    failed += over_http("search", argv[2], argv[3], finds, searches, 1);
    failed += over_http("search", argv[2], argv[3], finds, searches, clients);
    printf("failed HTTP requests: %ld\n", failed);
    free(reads);
    free(finds);
    free(ids);
    free(names);
    free(lat);
    kt_ws_close(ws);
    return failed ? 1 : 0;
}
