/* The chart a report draws: freeing what a script or plugin filled. */
#include "kartoteka/alloc.h"
#include "report/report_int.h"

void report_chart_free(kt_report_chart *c)
{
    if (!c) return;
    kt_free(c->kind);
    kt_free(c->title);
    kt_free(c->label);
    kt_free(c->value);
    kt_free(c->note);
    for (size_t i = 0; i < c->nbeside; i++)
        kt_free(c->beside[i]);
    kt_free(c->beside);
    report_table_clear(&c->data);
    kt_free(c);
}
