/* A guard in front of string.find, match, gmatch and gsub. Lua's matcher backtracks, and a
 * handful of repetitions that can match the same characters ("a*a*a*a*a*a*b" on 80 a's) runs
 * for minutes inside one C call where no hook can reach. The guard estimates the worst case
 * before matching and refuses it with a clear error; the watchdog's runaway callback remains
 * the last resort for what slips through.
 *
 * The estimate: k = the longest run of unbounded repetitions (*, +, -) whose classes share a
 * character, not broken by a mandatory item that cannot match that character. The matcher can
 * then try about C(n + k, k) splits of a subject of n bytes at each of n starting points.
 * Runs of up to 3 are always allowed: everyday patterns such as "^%s*(.-)%s*$" have them and
 * the estimate cannot tell them from ".-.-.-b". That leaves a gap (".-.-.-b" on 300 bytes runs
 * for seconds), which the watchdog's runaway callback covers. */
#include <ctype.h>
#include <string.h>

#include <lauxlib.h>

#include "script/host_int.h"

/* Splits allowed before we refuse. Measured: Lua's matcher covers about 5 * 10^8 of them a
 * second ("a*" x4 .. "b" on 60 a's: estimate 3.9e7, 0.07 s), so a refused pattern would have
 * run for more than about 0.1 s; the estimate is close for these patterns, not loose. */
#define WORK_MAX 5e7
#define RUN_ALWAYS_OK 3
#define ITEMS_MAX 64

enum { KIND_FIND, KIND_MATCH, KIND_GMATCH, KIND_GSUB };

typedef struct item {
    const char *p, *ep; /* the single-character class */
    char quant;         /* '*', '+', '-', '?' or 0 */
    char any;           /* matches any character (a back-reference) */
    char blocks;        /* %b: mandatory and treated as matching nothing */
} item;

static int class_match(int c, int cl)
{
    int res;
    switch (tolower(cl)) {
    case 'a':
        res = isalpha(c);
        break;
    case 'c':
        res = iscntrl(c);
        break;
    case 'd':
        res = isdigit(c);
        break;
    case 'g':
        res = isgraph(c);
        break;
    case 'l':
        res = islower(c);
        break;
    case 'p':
        res = ispunct(c);
        break;
    case 's':
        res = isspace(c);
        break;
    case 'u':
        res = isupper(c);
        break;
    case 'w':
        res = isalnum(c);
        break;
    case 'x':
        res = isxdigit(c);
        break;
    default:
        return cl == c;
    }
    if (isupper(cl)) res = !res;
    return res != 0;
}

/* lstrlib.c's matchbracketclass and singlematch, for one character. */
static int bracket_match(int c, const char *p, const char *ec)
{
    int sig = 1;
    if (*(p + 1) == '^') {
        sig = 0;
        p++;
    }
    while (++p < ec) {
        if (*p == '%') {
            p++;
            if (p < ec && class_match(c, (unsigned char)*p)) return sig;
        } else if (p + 2 < ec && *(p + 1) == '-') {
            if ((unsigned char)*p <= c && c <= (unsigned char)*(p + 2)) return sig;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return sig;
        }
    }
    return !sig;
}

static int item_has(const item *it, int c)
{
    if (it->any) return 1;
    if (it->blocks) return 0;
    switch (*it->p) {
    case '.':
        return 1;
    case '%':
        return it->p + 1 < it->ep && class_match(c, (unsigned char)it->p[1]);
    case '[':
        return bracket_match(c, it->p, it->ep - 1);
    default:
        return (unsigned char)*it->p == c;
    }
}

/* lstrlib.c's classEnd, returning NULL on a malformed pattern (the matcher reports it). */
static const char *class_end(const char *p, const char *end)
{
    if (*p == '%') return p + 1 < end ? p + 2 : NULL;
    if (*p == '[') {
        p++;
        if (p < end && *p == '^') p++;
        do {
            if (p >= end) return NULL;
            if (*p++ == '%' && p < end) p++;
        } while (p < end && *p != ']');
        return p < end ? p + 1 : NULL;
    }
    return p + 1;
}

/* Splits the pattern into items; returns how many, or -1 when it cannot judge. */
static int parse(const char *p, const char *end, item *items)
{
    int n = 0;
    while (p < end) {
        if (*p == '(' || *p == ')' || (*p == '$' && p + 1 == end)) {
            p++;
            continue;
        }
        if (n == ITEMS_MAX) return -1;
        item *it = &items[n];
        memset(it, 0, sizeof *it);
        if (*p == '%' && p + 1 < end && (p[1] == 'b' || p[1] == 'f')) {
            if (p[1] == 'b') {
                if (end - p < 4) return -1;
                it->blocks = 1;
                p += 4;
                n++;
            } else {
                const char *ep = class_end(p + 2, end); /* a frontier matches no character */
                if (!ep) return -1;
                p = ep;
            }
            continue;
        }
        if (*p == '%' && p + 1 < end && isdigit((unsigned char)p[1])) {
            it->any = 1;
            p += 2;
            n++;
            continue;
        }
        const char *ep = class_end(p, end);
        if (!ep) return -1;
        it->p = p;
        it->ep = ep;
        if (ep < end && strchr("*+-?", *ep)) {
            it->quant = *ep;
            ep++;
        }
        p = ep;
        n++;
    }
    return n;
}

static int longest_run(const item *items, int n)
{
    int best = 0;
    for (int c = 0; c < 256; c++) {
        int run = 0;
        for (int i = 0; i < n; i++) {
            const item *it = &items[i];
            int has = item_has(it, c);
            if (has && it->quant && it->quant != '?') {
                if (++run > best) best = run;
            } else if (!has && it->quant != '*' && it->quant != '-' && it->quant != '?') {
                run = 0;
            }
        }
    }
    return best;
}

static double splits(double n, int k)
{
    double r = 1;
    for (int i = 1; i <= k; i++)
        r = r * (n + i) / i;
    return r;
}

/* The slow half of the check, kept out of line so that the common case does not pay for the
 * item array on its stack. */
static __attribute__((noinline)) void check_costly(lua_State *L, int kind, const char *pat,
                                                   const char *end)
{
    static const char *const names[] = {"find", "match", "gmatch", "gsub"};
    size_t slen;
    if (lua_type(L, 1) != LUA_TSTRING || (kind == KIND_FIND && lua_toboolean(L, 4))) return;
    lua_tolstring(L, 1, &slen);
    int anchored = *pat == '^';
    if (anchored) pat++;
    double starts = anchored ? 1 : (double)slen + 1;
    item items[ITEMS_MAX];
    int n = parse(pat, end, items);
    if (n < 0) return;
    int k = longest_run(items, n);
    if (k <= RUN_ALWAYS_OK || starts * splits((double)slen, k) <= WORK_MAX) return;
    luaL_error(L,
               "string.%s: pattern too costly for a %I-byte text (%d repetitions that can "
               "match the same characters would backtrack for too long); simplify the pattern",
               names[kind], (lua_Integer)slen, k);
}

/* Called for every find, match, gmatch and gsub, so the common case (few repetitions) costs
 * one pass over the pattern and nothing else. */
static void check(lua_State *L, int kind)
{
    size_t plen;
    const char *pat = lua_tolstring(L, 2, &plen);
    if (!pat) return; /* the library reports bad arguments */
    const char *end = pat + plen;
    int quants = 0;
    for (const char *q = pat; q < end; q++)
        quants += *q == '*' || *q == '+' || *q == '-';
    if (quants > RUN_ALWAYS_OK) check_costly(L, kind, pat, end);
}

/* The library's own functions, called directly: a nested lua_call would cost more than the
 * match itself for short texts. They are the same for every state, so one copy serves all. */
static lua_CFunction original[4];

static int guarded(lua_State *L, int kind)
{
    check(L, kind);
    return original[kind](L);
}

static int guarded_find(lua_State *L)
{
    return guarded(L, KIND_FIND);
}

static int guarded_match(lua_State *L)
{
    return guarded(L, KIND_MATCH);
}

static int guarded_gmatch(lua_State *L)
{
    return guarded(L, KIND_GMATCH);
}

static int guarded_gsub(lua_State *L)
{
    return guarded(L, KIND_GSUB);
}

void host_guard_patterns(lua_State *L, int strlib)
{
    static const char *const names[] = {"find", "match", "gmatch", "gsub"};
    static const lua_CFunction guards[] = {guarded_find, guarded_match, guarded_gmatch,
                                           guarded_gsub};
    for (int i = 0; i < 4; i++) {
        lua_getfield(L, strlib, names[i]);
        lua_CFunction f = lua_tocfunction(L, -1);
        lua_pop(L, 1);
        if (!f || f == guards[i]) continue;
        original[i] = f;
        lua_pushcfunction(L, guards[i]);
        lua_setfield(L, strlib, names[i]);
    }
}
