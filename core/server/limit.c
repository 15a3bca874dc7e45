/* A request rate per caller (a token, a user): a token bucket each, so a runaway program gets
 * 429 instead of slowing everyone. Callers share a fixed table; two that hash alike share a
 * bucket, which only makes the limit stricter for them. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "server.h"

#define SLOTS 1024

typedef struct bucket {
    char who[KT_AUTH_SOURCE_MAX + 1];
    double tokens;
    double at; /* seconds, monotonic */
} bucket;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bucket buckets[SLOTS];

static unsigned long hash(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

int srv_rate_ok(const srv_req *r)
{
    double rate = r->cfg->rate;
    if (rate <= 0) return 1;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    double burst = rate * 2 > 1 ? rate * 2 : 1;
    pthread_mutex_lock(&lock);
    bucket *b = &buckets[hash(r->who) % SLOTS];
    if (strcmp(b->who, r->who) != 0) {
        strcpy(b->who, r->who);
        b->tokens = burst;
        b->at = now;
    }
    b->tokens += (now - b->at) * rate;
    if (b->tokens > burst) b->tokens = burst;
    b->at = now;
    int ok = b->tokens >= 1;
    if (ok) b->tokens -= 1;
    pthread_mutex_unlock(&lock);
    return ok;
}
