/* SQL written for SQLite, made readable by PostgreSQL. SQLite numbers parameters ?1, ?2 (or ?
 * in order), PostgreSQL $1, $2; a table's INTEGER is SQLite's 64-bit integer, PostgreSQL's
 * bigint; INSERT OR IGNORE is INSERT ... ON CONFLICT DO NOTHING, INSERT OR REPLACE an update
 * of the row holding the same primary key (SQLite would also replace rows that clash on another
 * unique key: Kartoteka's tables replaced that way have none); reading a PRAGMA is a call of
 * kt_pragma (schema/pg/002_sqlite_functions.sql). What else differs is left to
 * the engine's callers: a statement PostgreSQL cannot read fails when prepared. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "store/pg_sql.h"

/* Where the quoted text or comment starting at p ends (just past it). */
static const char *skip_quoted(const char *p)
{
    if (*p == '-' && p[1] == '-') {
        while (*p && *p != '\n')
            p++;
        return p;
    }
    if (*p == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e ? e + 2 : p + strlen(p);
    }
    if (*p == '$' && p[1] == '$') { /* a function's body, PostgreSQL's own already */
        const char *e = strstr(p + 2, "$$");
        return e ? e + 2 : p + strlen(p);
    }
    char q = *p++;
    while (*p) {
        if (*p == q && p[1] == q)
            p += 2; /* a doubled quote stands for itself */
        else if (*p++ == q)
            break;
    }
    return p;
}

static int is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static int word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(w, lit, n) == 0;
}

static int starts_quote(const char *p)
{
    return *p == '\'' || *p == '"' || (*p == '-' && p[1] == '-') || (*p == '/' && p[1] == '*') ||
           (*p == '$' && p[1] == '$');
}

/* The words that change, and the word that follows "INSERT OR" (IGNORE becomes a clause at
 * the statement's end). */
typedef struct state {
    int ddl;    /* the statement is CREATE or ALTER: column types are SQLite's */
    int ignore; /* INSERT OR IGNORE: ON CONFLICT DO NOTHING goes at the end */
    /* INSERT OR REPLACE: ON CONFLICT on the primary key (PostgreSQL names it TABLE_pkey)
     * DO UPDATE SET each listed column */
    int replace;
    char cols[512];
    int first; /* no word seen yet in the statement */
    /* an upsert: SQLite reads a bare column in DO UPDATE ... WHERE as the table's, PostgreSQL
     * finds it ambiguous beside excluded's, so it is qualified with the table's name */
    char table[64];
    int into;    /* the previous word was INTO: the next is the table */
    int upsert;  /* DO UPDATE seen */
    int qualify; /* inside the upsert's WHERE */
} state;

/* Words of a condition that are not columns. */
static int is_keyword(const char *w, size_t n)
{
    static const char *const kw[] = {
        "AND",  "OR",   "NOT",  "IS",   "NULL", "IN",       "LIKE",     "GLOB", "TRUE",    "FALSE",
        "CASE", "WHEN", "THEN", "ELSE", "END",  "EXCLUDED", "DISTINCT", "FROM", "BETWEEN", NULL};
    for (size_t i = 0; kw[i]; i++)
        if (word_is(w, n, kw[i])) return 1;
    return isdigit((unsigned char)*w);
}

/* 1 when a '+' written after out[0..j) is a sign, not an addition: it follows an operator, a
 * comma, an opening parenthesis or a keyword such as AND. */
static int unary(const char *out, size_t j)
{
    while (j > 0 && out[j - 1] == ' ')
        j--;
    if (j == 0) return 1;
    char c = out[j - 1];
    if (strchr("=<>(,", c)) return 1;
    size_t k = j;
    while (k > 0 && is_word(out[k - 1]))
        k--;
    return j > k && (word_is(out + k, j - k, "AND") || word_is(out + k, j - k, "OR") ||
                     word_is(out + k, j - k, "WHERE") || word_is(out + k, j - k, "NOT") ||
                     word_is(out + k, j - k, "ON") || word_is(out + k, j - k, "BY") ||
                     word_is(out + k, j - k, "SELECT"));
}

/* 1 when p (just past CROSS) reads "JOIN table [alias] ON". */
static int cross_with_on(const char *p)
{
    if (strncasecmp(p, "JOIN", 4) != 0 || is_word(p[4])) return 0;
    p += 4;
    for (int words = 0; words < 3; words++) {
        p += strspn(p, " \n");
        const char *w = p;
        if (*p == '"')
            p = skip_quoted(p);
        else
            while (is_word(*p))
                p++;
        if (p == w) return 0;
        if (word_is(w, (size_t)(p - w), "ON")) return words > 0;
    }
    return 0;
}

static size_t put(char *out, size_t j, const char *s)
{
    size_t n = strlen(s);
    memcpy(out + j, s, n);
    return j + n;
}

static size_t end_statement(char *out, size_t j, state *st)
{
    /* before the statement's trailing spaces */
    size_t k = j;
    while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '\n' || out[k - 1] == '\t'))
        k--;
    if (st->ignore || (st->replace && st->cols[0])) {
        char keep[64];
        size_t tail = j - k < sizeof keep ? j - k : 0;
        memcpy(keep, out + k, tail);
        if (st->ignore) {
            k = put(out, k, " ON CONFLICT DO NOTHING");
        } else {
            k += (size_t)sprintf(out + k, " ON CONFLICT ON CONSTRAINT \"%s_pkey\" DO UPDATE SET ",
                                 st->table);
            for (char *c = strtok(st->cols, ", "), *sep = ""; c; c = strtok(NULL, ", "), sep = ", ")
                k += (size_t)sprintf(out + k, "%s%s = excluded.%s", sep, c, c);
        }
        memcpy(out + k, keep, tail);
        j = k + tail;
    }
    st->cols[0] = '\0';
    st->ddl = st->ignore = st->replace = st->into = st->upsert = st->qualify = 0;
    st->table[0] = '\0';
    st->first = 1;
    return j;
}

char *kt_pg_translate(const char *sql, int *nparams, const char **tail)
{
    size_t len = strlen(sql), marks = 0, stmts = 1;
    for (const char *q = sql; *q; q++) {
        marks += *q == '?';
        stmts += *q == ';';
    }
    /* a "?" becomes "$" and at most eleven digits; a word at most "double precision" or the
     * table's name (64) and a dot before it; a statement gains at most " ON CONFLICT DO
     * NOTHING" or an ON CONFLICT clause with each of its columns twice (cols, 512) */
    char *out = kt_malloc(len * 66 + marks * 11 + stmts * (32 + 1100) + 1);
    if (!out) return NULL;
    size_t j = 0;
    int next = 0, max = 0;
    state st = {.first = 1};
    int ended = 0;
    const char *p = sql;
    while (*p) {
        if (starts_quote(p)) {
            const char *e = skip_quoted(p);
            memcpy(out + j, p, (size_t)(e - p));
            j += (size_t)(e - p);
            p = e;
        } else if (*p == '?') {
            int n = 0;
            p++;
            if (isdigit((unsigned char)*p))
                while (isdigit((unsigned char)*p))
                    n = n * 10 + (*p++ - '0');
            else
                n = next + 1;
            next = n;
            if (n > max) max = n;
            j += (size_t)snprintf(out + j, 13, "$%d", n);
        } else if (*p == ';') {
            j = end_statement(out, j, &st);
            p++;
            if (tail) {
                ended = 1;
                break;
            }
            out[j++] = ';';
        } else if (is_word(*p) && (p == sql || !is_word(p[-1]))) {
            const char *w = p;
            while (is_word(*p))
                p++;
            size_t n = (size_t)(p - w);
            if (st.first) {
                st.ddl = word_is(w, n, "CREATE") || word_is(w, n, "ALTER");
                st.first = 0;
                /* PRAGMA name (a read): SELECT kt_pragma('name'), schema/pg's stand-in */
                const char *q = p + strspn(p, " ");
                size_t m = 0;
                while (is_word(q[m]))
                    m++;
                if (word_is(w, n, "PRAGMA") && m && m < 40 && (!q[m] || q[m] == ';')) {
                    j += (size_t)sprintf(out + j, "SELECT kt_pragma('%.*s')", (int)m, q);
                    p = q + m;
                    continue;
                }
            }
            if (st.into && n < sizeof st.table) {
                memcpy(st.table, w, n);
                st.table[n] = '\0';
                const char *open = p + strspn(p, " "), *close = strchr(open, ')');
                if (st.replace && *open == '(' && close &&
                    (size_t)(close - open) < sizeof st.cols) {
                    memcpy(st.cols, open + 1, (size_t)(close - open - 1));
                    st.cols[close - open - 1] = '\0';
                }
            }
            st.into = word_is(w, n, "INTO");
            if (word_is(w, n, "UPDATE") && j >= 3 && strncasecmp(out + j - 3, "DO ", 3) == 0)
                st.upsert = 1;
            int qualify = st.qualify;
            if (st.upsert && word_is(w, n, "WHERE")) st.qualify = 1;
            const char *after = p + strspn(p, " ");
            if (qualify && st.table[0] && !is_keyword(w, n) && (w == sql || w[-1] != '.') &&
                *after != '.' && *after != '(') {
                j += (size_t)sprintf(out + j, "%s.%.*s", st.table, (int)n, w);
            } else if (word_is(w, n, "CROSS") && cross_with_on(after)) {
                /* SQLite's CROSS JOIN ... ON fixes the join order; PostgreSQL's takes no ON */
                p = after;
            } else if (word_is(w, n, "NOT") && strncasecmp(after, "INDEXED", 7) == 0 &&
                       !is_word(after[7])) {
                /* SQLite's "do not use an index here": PostgreSQL's planner decides alone */
                p = after + 7;
            } else if (word_is(w, n, "INDEXED") && strncasecmp(after, "BY", 2) == 0 &&
                       !is_word(after[2])) {
                p = after + 2;
                p += strspn(p, " ");
                while (is_word(*p))
                    p++;
            } else if (st.ddl && word_is(w, n, "INTEGER")) {
                j = put(out, j, "bigint");
            } else if (st.ddl && word_is(w, n, "REAL")) {
                j = put(out, j, "double precision");
            } else if (st.ddl && word_is(w, n, "BLOB")) {
                j = put(out, j, "bytea");
            } else if (word_is(w, n, "OR") && j >= 7 &&
                       strncasecmp(out + j - 7, "INSERT ", 7) == 0) {
                /* INSERT OR IGNORE: drop "OR IGNORE", remember the clause */
                const char *q = p;
                while (*q == ' ')
                    q++;
                if (strncasecmp(q, "IGNORE", 6) == 0 && !is_word(q[6])) {
                    st.ignore = 1;
                    p = q + 6;
                    while (*p == ' ')
                        p++;
                    continue;
                }
                if (strncasecmp(q, "REPLACE", 7) == 0 && !is_word(q[7])) {
                    st.replace = 1;
                    p = q + 7;
                    while (*p == ' ')
                        p++;
                    continue;
                }
                memcpy(out + j, w, n);
                j += n;
            } else {
                memcpy(out + j, w, n);
                j += n;
            }
        } else if (*p == '+' && unary(out, j) && (is_word(p[1]) || p[1] == '"')) {
            p++; /* SQLite's "+column" keeps an index out of the plan; PostgreSQL has no unary
                  * plus on text */
        } else {
            out[j++] = *p++;
        }
    }
    if (!ended) j = end_statement(out, j, &st);
    out[j] = '\0';
    if (tail) *tail = p;
    *nparams = max;
    return out;
}
