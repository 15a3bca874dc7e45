/* What kt shows beyond its data, decided in one place: -q and -v, colour (only on a terminal,
 * never with NO_COLOR), and the progress line of long work (on stderr, only on a terminal,
 * only once the work has taken a second). The core reports progress through the workspace's
 * callback (kt_ws_set_progress) or an import's; this file draws it. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static int verbosity; /* -1 quiet, 0 normal, 1 verbose */

/* The progress state is shared with the ticker thread of work that counts nothing (a report's
 * SQL): every read and draw holds this lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

static struct {
    int on;                       /* stderr is a terminal and not -q */
    int drawn;                    /* a line is on screen */
    int shown;                    /* one was drawn since the start */
    struct timespec start, last;
    long done;
    double after; /* seconds of quiet before the first line */
    pthread_t ticker;
    int ticking, stop;
    const char *task; /* what the ticker names: "report abc" */
} prog;

void cli_set_verbosity(int v)
{
    verbosity = v;
}

int cli_quiet(void)
{
    return verbosity < 0;
}

int cli_verbose(void)
{
    return verbosity > 0;
}

int cli_color(FILE *f)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    if (no && *no) return 0; /* no-color.org: present and not empty */
    if (term && !strcmp(term, "dumb")) return 0;
    return isatty(fileno(f));
}

const char *cli_sgr(FILE *f, const char *code)
{
    if (!cli_color(f)) return "";
    if (!strcmp(code, "error")) return "\033[1;31m";
    if (!strcmp(code, "warning")) return "\033[1;33m";
    if (!strcmp(code, "head")) return "\033[1m";
    return "\033[0m"; /* "off" */
}

void cli_say(const char *fmt, ...)
{
    if (cli_quiet()) return;
    cli_progress_clear();
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void cli_info(const char *fmt, ...)
{
    if (!cli_verbose()) return;
    cli_progress_clear();
    va_list ap;
    va_start(ap, fmt);
    fputs("kt: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void cli_progress_begin(void)
{
    prog.on = !cli_quiet() && isatty(2) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
    prog.drawn = prog.shown = 0;
    prog.done = -1;
    /* KT_PROGRESS_DELAY_MS lets a test see the line without a second of work */
    const char *delay = getenv("KT_PROGRESS_DELAY_MS");
    prog.after = delay && *delay ? strtod(delay, NULL) / 1000 : 1;
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.last = prog.start;
}

int cli_progress_on(void)
{
    return prog.on;
}

static void draw(const char *what, long done, long total, double secs)
{
    prog.drawn = 1;
    fprintf(stderr, "\r%ld", done);
    if (total) fprintf(stderr, "/%ld", total);
    fprintf(stderr, " %s  %.0f/s", what ? what : "", done / secs);
    if (total && done > 0 && done < total)
        fprintf(stderr, "  ETA %.0fs", (double)(total - done) * secs / (double)done);
    fputs("\033[K", stderr); /* what a longer earlier line left */
    fflush(stderr);
}

void cli_progress(const char *what, long done, long total)
{
    if (!prog.on) return;
    pthread_mutex_lock(&lock);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs = since(&prog.start, &now);
    /* a second of quiet first, so short commands never flash a line; then four redraws a
     * second at most, and the last one of a known total */
    if (secs < prog.after || done == prog.done ||
        (prog.shown && since(&prog.last, &now) < 0.25 && (!total || done < total))) {
        pthread_mutex_unlock(&lock);
        return;
    }
    prog.last = now;
    prog.shown = 1;
    prog.done = done;
    draw(what, done, total, secs);
    pthread_mutex_unlock(&lock);
}

/* Four times a second: the time the work has taken, unless counted progress was drawn lately. */
static void *tick(void *ud)
{
    (void)ud;
    pthread_mutex_lock(&lock);
    while (!prog.stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000L;
        if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&wake, &lock, &until);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double secs = since(&prog.start, &now);
        if (prog.stop || secs < prog.after || (prog.shown && since(&prog.last, &now) < 0.5))
            continue;
        prog.drawn = 1;
        fprintf(stderr, "\r%s: %.0f s\033[K", prog.task, secs);
        fflush(stderr);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

void cli_progress_ticker(const char *task)
{
    if (!prog.on || prog.ticking) return;
    prog.task = task;
    prog.stop = 0;
    prog.ticking = pthread_create(&prog.ticker, NULL, tick, NULL) == 0;
}

void cli_progress_clear(void)
{
    if (prog.ticking) {
        pthread_mutex_lock(&lock);
        prog.stop = 1;
        pthread_cond_signal(&wake);
        pthread_mutex_unlock(&lock);
        pthread_join(prog.ticker, NULL);
        prog.ticking = 0;
    }
    if (!prog.drawn) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    prog.drawn = 0;
}

static void ws_progress(void *ud, const char *what, long done, long total)
{
    (void)ud;
    cli_progress(what, done, total);
}

void cli_progress_attach(kt_cli *cli)
{
    if (cli->ws && prog.on) kt_ws_set_progress(cli->ws, ws_progress, NULL);
}
