/* Listening: the address, the worker threads and their workspaces, and a clean stop on SIGTERM
 * or SIGINT (no new requests, the ones in flight finished, every database closed). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/store.h"
#include "server.h"

#define MAX_WORKERS 256
#define DRAIN_SECONDS 30

/* Every workspace a worker opened, closed by the main thread once the workers have stopped. */
static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static kt_ws *workers[MAX_WORKERS];
static size_t nworkers;
static _Thread_local kt_ws *mine;
static _Thread_local size_t my_slot;
static _Thread_local struct stat my_config; /* kartoteka.lua when mine was opened */
static _Thread_local long long my_fields;   /* the registry's version when mine was opened */

/* What tells a changed kartoteka.lua: an editor replaces the file (a new inode) or rewrites it
 * (a new time or size). */
static int config_stat(const srv_config *cfg, struct stat *out)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/" KT_WS_CONFIG, cfg->dir);
    return stat(path, out);
}

static int config_changed(const struct stat *a, const struct stat *b)
{
    return a->st_ino != b->st_ino || a->st_size != b->st_size ||
           a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

/* The registry's version in ws's database; -1 when it cannot be read (then nothing reloads). */
static long long fields_version(kt_ws *ws)
{
    long long v;
    kt_error err;
    return kt_store_registry_version(kt_ws_store(ws), &v, &err) ? -1 : v;
}

/* A worker whose kartoteka.lua changed, or whose registry another worker or `kt field add`
 * changed in the database, opens the workspace again between two requests, so new fields,
 * rules, access rules and webhooks apply without a restart. When the new file does not load,
 * the worker keeps serving with the configuration it has and says why on stderr, once. */
static kt_ws *reload(const srv_config *cfg)
{
    struct stat now;
    int file = config_stat(cfg, &now) == 0 && config_changed(&now, &my_config);
    long long fields = fields_version(mine);
    if (!file && (fields < 0 || fields == my_fields)) return mine;
    kt_ws *ws = NULL;
    kt_error err;
    if (file) my_config = now;
    my_fields = fields;
    if (cfg->open_ws(cfg->dir, &ws, &err)) {
        fprintf(stderr,
                "kt serve: kartoteka.lua changed but does not load (%s); serving with "
                "the configuration before\n",
                err.message);
        return mine;
    }
    pthread_mutex_lock(&workers_lock);
    workers[my_slot] = ws;
    pthread_mutex_unlock(&workers_lock);
    kt_ws_close(mine);
    my_fields = fields_version(ws); /* opening may itself have written kartoteka.lua's fields */
    return mine = ws;
}

kt_ws *srv_worker_ws(const srv_config *cfg, kt_error *err)
{
    if (mine) return reload(cfg);
    kt_ws *ws = NULL;
    struct stat before;
    int known = config_stat(cfg, &before) == 0;
    if (cfg->open_ws(cfg->dir, &ws, err)) return NULL;
    pthread_mutex_lock(&workers_lock);
    int room = nworkers < MAX_WORKERS;
    if (room) workers[my_slot = nworkers++] = ws;
    pthread_mutex_unlock(&workers_lock);
    if (!room) {
        kt_ws_close(ws);
        kt_error_set(err, KT_LIMIT, "too many worker threads");
        return NULL;
    }
    if (known) my_config = before;
    my_fields = fields_version(ws);
    return mine = ws;
}

static void close_workers(void)
{
    pthread_mutex_lock(&workers_lock);
    for (size_t i = nworkers; i-- > 0;)
        kt_ws_close(workers[i]);
    nworkers = 0;
    pthread_mutex_unlock(&workers_lock);
}

/* "host:port", "[v6]:port"; a missing host is 127.0.0.1. */
static kt_status parse_listen(const char *text, struct sockaddr_storage *sa, kt_error *err)
{
    char host[128];
    const char *colon = strrchr(text, ':');
    if (!colon || !colon[1] || (size_t)(colon - text) >= sizeof host) goto bad;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) goto bad;
    snprintf(host, sizeof host, "%.*s", (int)(colon - text), text);
    memset(sa, 0, sizeof *sa);
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']') goto bad;
        host[n - 1] = '\0';
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) goto bad;
        return KT_OK;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host[0] ? host : "127.0.0.1", &s4->sin_addr) != 1) goto bad;
    return KT_OK;
bad:
    return kt_error_set(err, KT_USAGE,
                        "--listen \"%s\" is not an address: HOST:PORT, e.g. 127.0.0.1:8080", text);
}

#define PEM_MAX (1024 * 1024)

/* A PEM file, whole, NUL-ended: what MHD takes. *out freed with wipe_free. */
static kt_status read_pem(const char *path, char **out, kt_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) return kt_error_set(err, KT_NOTFOUND, "cannot read %s", path);
    kt_buf b = KT_BUF_INIT;
    b.max = PEM_MAX;
    char chunk[4096];
    size_t n;
    kt_status st = KT_OK;
    while (!st && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        st = kt_buf_append(&b, chunk, n, err);
    fclose(fp);
    if (!st && b.len == 0) st = kt_error_set(err, KT_INVALID, "%s is empty", path);
    if (st) {
        kt_buf_free(&b);
        return st;
    }
    *out = kt_buf_take(&b);
    return KT_OK;
}

/* A private key does not linger in freed memory. */
static void wipe_free(char *p)
{
    if (!p) return;
    volatile char *v = p;
    while (*v)
        *v++ = 0;
    kt_free(p);
}

kt_status srv_run(const srv_config *cfg, kt_error *err)
{
    struct sockaddr_storage sa;
    kt_status st = parse_listen(cfg->listen, &sa, err);
    if (st) return st;
    /* The workers inherit this mask, so only sigwait below sees the signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    char *cert = NULL, *key = NULL;
    if (cfg->tls_cert &&
        ((st = read_pem(cfg->tls_cert, &cert, err)) || (st = read_pem(cfg->tls_key, &key, err)))) {
        kt_free(cert);
        pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
        return st;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO;
    if (sa.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    if (cert) flags |= MHD_USE_TLS;
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &sa},
        {MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, 1000, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)srv_completed, (void *)cfg},
        {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
        {cert ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, srv_handle, (void *)cfg,
                                            MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!d) {
        pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
        wipe_free(cert);
        wipe_free(key);
        return kt_error_set(err, KT_IO,
                            cert ? "cannot serve HTTPS on %s (in use, not this machine's, or the "
                                   "certificate and key do not fit)"
                                 : "cannot listen on %s (in use, or not this machine's)",
                            cfg->listen);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64] = "";
    if (sa.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, host, sizeof host);
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, host, sizeof host);
    fprintf(stderr, "kt: serving %s on %s://%s%s%s:%u/api/v1 with %d threads\n", cfg->dir,
            cert ? "https" : "http", sa.ss_family == AF_INET6 ? "[" : "", host,
            sa.ss_family == AF_INET6 ? "]" : "", info ? (unsigned)info->port : 0, cfg->threads);
    int loopback = sa.ss_family == AF_INET6 ? !strcmp(host, "::1") : !strncmp(host, "127.", 4);
    if (!loopback && !cert)
        fprintf(stderr, "kt: warning: tokens cross the network in clear: serve HTTPS "
                        "(--tls-cert, --tls-key) or stay on 127.0.0.1 behind a proxy\n");
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "kt: %s: finishing the requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_socket listening = MHD_quiesce_daemon(d);
    for (int i = 0; i < DRAIN_SECONDS * 20 && srv_in_flight() > 0; i++)
        usleep(50 * 1000);
    MHD_stop_daemon(d);
    if (listening != MHD_INVALID_SOCKET) close(listening);
    close_workers();
    wipe_free(cert);
    wipe_free(key);
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    fprintf(stderr, "kt: stopped; the database is closed\n");
    return KT_OK;
}
