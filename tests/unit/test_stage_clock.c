/* The stage clock (kt import --stages): time goes to the stage that was running, a nested
 * stage's time is not counted twice, and nothing is counted before it starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "kartoteka/stage_clock.h"

/* Some CPU time the compiler cannot drop. */
static void burn(void)
{
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 20000000UL; i++)
        x += i;
}

static void off_until_started(void **state)
{
    (void)state;
    assert_int_equal(kt_stage_switch(KT_STAGE_WRITE), KT_STAGE_OTHER);
    burn();
    assert_true(kt_stage_seconds(KT_STAGE_WRITE) == 0);
}

static void charges_the_running_stage(void **state)
{
    (void)state;
    kt_stage_clock_start();
    assert_int_equal(kt_stage_switch(KT_STAGE_WRITE), KT_STAGE_OTHER);
    burn();
    kt_stage was = kt_stage_switch(KT_STAGE_INDEX); /* nested inside the write */
    assert_int_equal(was, KT_STAGE_WRITE);
    burn();
    burn();
    assert_int_equal(kt_stage_switch(was), KT_STAGE_INDEX);
    double write = kt_stage_seconds(KT_STAGE_WRITE), index = kt_stage_seconds(KT_STAGE_INDEX);
    assert_true(write > 0);
    assert_true(index > write); /* twice the work, counted once */
    assert_true(kt_stage_seconds(KT_STAGE_READ_MAP) == 0);
    /* the running stage counts up to now */
    burn();
    assert_true(kt_stage_seconds(KT_STAGE_WRITE) > write);
    /* a restart forgets it all */
    kt_stage_clock_start();
    assert_true(kt_stage_seconds(KT_STAGE_INDEX) == 0);
    assert_int_equal(kt_stage_switch(KT_STAGE_OTHER), KT_STAGE_OTHER);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(kt_stage_name(KT_STAGE_READ_MAP), "read+map");
    assert_string_equal(kt_stage_name(KT_STAGE_DEDUPE), "dedupe lookup");
    assert_string_equal(kt_stage_name(KT_STAGE_COMMIT), "commit");
    assert_string_equal(kt_stage_name(KT_STAGE_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(off_until_started),
        cmocka_unit_test(charges_the_running_stage),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
