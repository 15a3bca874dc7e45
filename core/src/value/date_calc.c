#include "kartoteka/date.h"

#include <string.h>

#include "value/value_util.h"

/* Far beyond any calendar date, but keeps the day-number arithmetic clear of overflow. */
#define SAFE_DAYS (1L << 40)
#define MAX_SPAN (KT_DATE_MAX_DAYS - KT_DATE_MIN_DAYS)

int kt_date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int kt_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && kt_date_is_leap(year) ? 29 : days[month - 1];
}

/* Howard Hinnant's days_from_civil: eras of 400 years make the leap rules a closed formula. */
long kt_date_from_civil(int year, int month, int day)
{
    long y = (long)year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void kt_date_to_civil(long days, int *year, int *month, int *day)
{
    if (days > SAFE_DAYS) days = SAFE_DAYS;
    if (days < -SAFE_DAYS) days = -SAFE_DAYS;
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (year) *year = (int)(yoe + era * 400 + (m <= 2));
    if (month) *month = (int)m;
    if (day) *day = (int)d;
}

int kt_date_year(long days)
{
    int y;
    kt_date_to_civil(days, &y, NULL, NULL);
    return y;
}

int kt_date_month(long days)
{
    int m;
    kt_date_to_civil(days, NULL, &m, NULL);
    return m;
}

int kt_date_day(long days)
{
    int d;
    kt_date_to_civil(days, NULL, NULL, &d);
    return d;
}

int kt_date_weekday(long days)
{
    /* 1970-01-01 was a Thursday (ISO 4); keep the remainder non-negative before days 0. */
    long w = ((days % 7) + 7 + 3) % 7;
    return (int)w + 1;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int split(const char *ymd, int *y, int *m, int *d)
{
    if (!ymd || strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-') return 0;
    if (!digits(ymd, 4, y) || !digits(ymd + 5, 2, m) || !digits(ymd + 8, 2, d)) return 0;
    return *y >= 1 && *d >= 1 && *d <= kt_date_days_in_month(*y, *m);
}

kt_status kt_date_days(const char *ymd, long *days, kt_error *err)
{
    int y, m, d;
    if (!split(ymd, &y, &m, &d))
        return kt_error_set(err, KT_INVALID, "\"%.40s\" is not a real date written as YYYY-MM-DD",
                            ymd ? ymd : "(null)");
    *days = kt_date_from_civil(y, m, d);
    return KT_OK;
}

void kt_date_from_days(long days, char out[KT_DATE_SIZE])
{
    if (days < KT_DATE_MIN_DAYS || days > KT_DATE_MAX_DAYS) {
        out[0] = '\0';
        return;
    }
    int y, m, d;
    kt_date_to_civil(days, &y, &m, &d);
    kt_vu_write_ymd(out, y, m, d);
}

kt_status kt_date_add_days(const char *ymd, long n, char out[KT_DATE_SIZE], kt_error *err)
{
    long days;
    kt_status st = kt_date_days(ymd, &days, err);
    if (st != KT_OK) return st;
    if (n > MAX_SPAN || n < -MAX_SPAN || days + n < KT_DATE_MIN_DAYS || days + n > KT_DATE_MAX_DAYS)
        return kt_error_set(err, KT_INVALID, "%s plus %ld days falls outside years 1 to 9999", ymd,
                            n);
    kt_date_from_days(days + n, out);
    return KT_OK;
}

kt_status kt_date_add_months(const char *ymd, long n, char out[KT_DATE_SIZE], kt_error *err)
{
    int y, m, d;
    if (!split(ymd, &y, &m, &d))
        return kt_error_set(err, KT_INVALID, "\"%.40s\" is not a real date written as YYYY-MM-DD",
                            ymd ? ymd : "(null)");
    long total = (long)y * 12 + (m - 1);
    if (n > 12L * 10000 || n < -12L * 10000 || total + n < 12 || total + n > 9999L * 12 + 11)
        return kt_error_set(err, KT_INVALID, "%s plus %ld months falls outside years 1 to 9999",
                            ymd, n);
    total += n;
    int y2 = (int)(total / 12), m2 = (int)(total % 12) + 1;
    int last = kt_date_days_in_month(y2, m2);
    kt_vu_write_ymd(out, y2, m2, d < last ? d : last);
    return KT_OK;
}

/* The day a (month, day) is kept in a given year: 29 February moves to the 28th in common years. */
static int kept_day(int year, int month, int day)
{
    return (month == 2 && day == 29 && !kt_date_is_leap(year)) ? 28 : day;
}

int kt_date_anniversary(const char *event_ymd, const char *day_ymd)
{
    int y1, m1, d1, y2, m2, d2;
    if (!split(event_ymd, &y1, &m1, &d1) || !split(day_ymd, &y2, &m2, &d2)) return 0;
    return y2 >= y1 && m1 == m2 && kept_day(y2, m1, d1) == d2;
}

int kt_date_years_between(const char *birth_ymd, const char *day_ymd)
{
    int y1, m1, d1, y2, m2, d2;
    if (!split(birth_ymd, &y1, &m1, &d1) || !split(day_ymd, &y2, &m2, &d2)) return -1;
    if (kt_date_from_civil(y2, m2, d2) < kt_date_from_civil(y1, m1, d1)) return -1;
    int years = y2 - y1;
    int bd = kept_day(y2, m1, d1);
    if (m2 < m1 || (m2 == m1 && d2 < bd)) years--;
    return years;
}
