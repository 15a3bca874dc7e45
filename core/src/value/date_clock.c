#include "kartoteka/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kartoteka/alloc.h"
#include "kartoteka/value.h"
#include "value/value_util.h"

/* glibc quietly treats an unknown TZ as UTC; a campaign sent at the wrong hour is worse than a
 * refusal, so the zone must exist as a file of the tz database. */
static kt_status check_zone(const char *tz, kt_error *err)
{
    size_t n = strlen(tz);
    int safe = n < 200 && tz[0] != '/' && !strstr(tz, "..");
    for (size_t i = 0; safe && i < n; i++) {
        char c = tz[i];
        safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '/' || c == '_' || c == '-' || c == '+';
    }
    if (!safe) return kt_error_set(err, KT_INVALID, "\"%.80s\" is not a time zone name", tz);
    if (strcmp(tz, "UTC") == 0) return KT_OK;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
    if (access(path, R_OK) != 0)
        return kt_error_set(err, KT_INVALID,
                            "\"%s\" is not a known time zone (expected an IANA name such as "
                            "Europe/Warsaw)",
                            tz);
    return KT_OK;
}

static kt_status wall_clock(const char *tz, struct tm *tm, kt_error *err)
{
    time_t t = time(NULL);
    if (!tz || !*tz) {
        if (!localtime_r(&t, tm)) return kt_error_set(err, KT_INTERNAL, "the clock is unreadable");
        return KT_OK;
    }
    kt_status st = check_zone(tz, err);
    if (st != KT_OK) return st;
    const char *old = getenv("TZ");
    char *saved = NULL;
    if (old && !(saved = kt_strdup(old))) return kt_error_set(err, KT_NOMEM, "out of memory");
    setenv("TZ", tz, 1);
    tzset();
    struct tm *ok = localtime_r(&t, tm);
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    kt_free(saved);
    if (!ok) return kt_error_set(err, KT_INTERNAL, "the clock is unreadable in %s", tz);
    return KT_OK;
}

/* The overrides are read as people would type them, but a bad one is an error: a test or an
 * `--as-of` run silently falling back to the real clock would act on the wrong day. */
kt_status kt_date_now_override(char out[KT_DATETIME_SIZE], int *found, kt_error *err)
{
    const char *v = getenv("KT_NOW");
    *found = v && *v;
    if (!*found) return KT_OK;
    kt_status st = kt_value_parse_datetime(v, out, err);
    if (st != KT_OK) kt_error_prefix(err, "KT_NOW: ");
    return st;
}

static kt_status override_today(char out[KT_DATE_SIZE], int *found, kt_error *err)
{
    const char *v = getenv("KT_TODAY");
    *found = v && *v;
    if (!*found) return KT_OK;
    kt_status st = kt_value_parse_date(v, out, err);
    if (st != KT_OK) kt_error_prefix(err, "KT_TODAY: ");
    return st;
}

kt_status kt_date_today(const char *tz, char out[KT_DATE_SIZE], kt_error *err)
{
    int found;
    kt_status st = override_today(out, &found, err);
    if (st != KT_OK || found) return st;
    char now[KT_DATETIME_SIZE];
    st = kt_date_now_override(now, &found, err);
    if (st != KT_OK) return st;
    if (found) {
        memcpy(out, now, 10);
        out[10] = '\0';
        return KT_OK;
    }
    struct tm tm;
    st = wall_clock(tz, &tm, err);
    if (st != KT_OK) return st;
    kt_vu_write_ymd(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return KT_OK;
}

kt_status kt_date_now(const char *tz, char out[KT_DATETIME_SIZE], kt_error *err)
{
    int found;
    kt_status st = kt_date_now_override(out, &found, err);
    if (st != KT_OK || found) return st;
    char today[KT_DATE_SIZE];
    st = override_today(today, &found, err);
    if (st != KT_OK) return st;
    struct tm tm;
    st = wall_clock(tz, &tm, err);
    if (st != KT_OK) return st;
    if (found)
        memcpy(out, today, 10);
    else
        kt_vu_write_ymd(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    out[10] = 'T';
    /* A leap second is shown as :59 so the result stays a valid datetime. */
    kt_vu_write_hms(out + 11, tm.tm_hour, tm.tm_min, tm.tm_sec > 59 ? 59 : tm.tm_sec);
    return KT_OK;
}
