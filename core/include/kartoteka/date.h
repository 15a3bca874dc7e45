/* Calendar arithmetic on civil dates (proleptic Gregorian) as day numbers: days since 1970-01-01,
 * negative before it. Dates as text are always the canonical "YYYY-MM-DD" of years 1..9999
 * (kt_value_parse_date turns what people type into that). Inputs are borrowed. */
#ifndef KARTOTEKA_DATE_H
#define KARTOTEKA_DATE_H

#include "kartoteka/error.h"
#include "kartoteka/value.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KT_DATE_MIN_DAYS (-719162L) /* 0001-01-01 */
#define KT_DATE_MAX_DAYS 2932896L   /* 9999-12-31 */

int kt_date_is_leap(int year);
/* 28..31, or 0 when month is not 1..12. */
int kt_date_days_in_month(int year, int month);

/* Day number of a civil date, no range checks (Howard Hinnant's days_from_civil). */
long kt_date_from_civil(int year, int month, int day);
/* The civil date of a day number (civil_from_days); any pointer may be NULL. */
void kt_date_to_civil(long days, int *year, int *month, int *day);
int kt_date_year(long days);
int kt_date_month(long days); /* 1..12 */
int kt_date_day(long days);   /* 1..31 */
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int kt_date_weekday(long days);

/* Day number of a canonical YYYY-MM-DD; KT_INVALID for anything else or an impossible date. */
kt_status kt_date_days(const char *ymd, long *days, kt_error *err);
/* Writes YYYY-MM-DD; days outside KT_DATE_MIN_DAYS..KT_DATE_MAX_DAYS write "". */
void kt_date_from_days(long days, char out[KT_DATE_SIZE]);

/* ymd plus n days (n may be negative); KT_INVALID when ymd is bad or the result leaves 1..9999. */
kt_status kt_date_add_days(const char *ymd, long n, char out[KT_DATE_SIZE], kt_error *err);
/* ymd plus n months, the day clamped to the end of the target month (2024-01-31 + 1 month =
 * 2024-02-29); KT_INVALID when ymd is bad or the result leaves years 1..9999. */
kt_status kt_date_add_months(const char *ymd, long n, char out[KT_DATE_SIZE], kt_error *err);

/* 1 when day_ymd is an anniversary of event_ymd: same month and day in the event's year or a
 * later one. A 29 February event is kept on 29 February in leap years and on 28 February in
 * the others. 0 otherwise, and 0 when either date is not canonical. */
int kt_date_anniversary(const char *event_ymd, const char *day_ymd);

/* Completed years from birth_ymd to day_ymd (a 29 February birthday completes a year on
 * 28 February in non-leap years); -1 when either is bad or day is before birth. */
int kt_date_years_between(const char *birth_ymd, const char *day_ymd);

/* Today's date in an IANA time zone ("Europe/Warsaw"; NULL or "" = the process's local zone).
 * Overrides, for tests and `--as-of`: KT_TODAY=YYYY-MM-DD wins, else the date of
 * KT_NOW=YYYY-MM-DDTHH:MM:SS; a malformed override is KT_INVALID, never ignored. An unknown zone
 * is KT_INVALID. Not thread-safe when tz is given: it sets TZ for the call and restores it. */
kt_status kt_date_today(const char *tz, char out[KT_DATE_SIZE], kt_error *err);

/* Now as YYYY-MM-DDTHH:MM:SS wall-clock time in tz (as for kt_date_today). KT_NOW wins; else,
 * when KT_TODAY is set, that date with the current time of day in tz. Same thread caveat. */
kt_status kt_date_now(const char *tz, char out[KT_DATETIME_SIZE], kt_error *err);

/* The KT_NOW override as canonical YYYY-MM-DDTHH:MM:SS; *found 0 when unset. The one reader of
 * KT_NOW, for every clock (the store's timestamps too): malformed is KT_INVALID. */
kt_status kt_date_now_override(char out[KT_DATETIME_SIZE], int *found, kt_error *err);

#ifdef __cplusplus
}
#endif
#endif
