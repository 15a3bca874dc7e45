/* libFuzzer target: what a user types after --where and `kt find`: kt_filter_parse_all on
 * each line of the input, kt_list with the filters that parse, kt_find (FTS5 query syntax) with the
 * whole input. The workspace holds a few records of every kind of field. */
#include <stdint.h>
#include <string.h>

#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "fuzz_ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILTERS 4

static kt_ws *ws;

static int count(void *ud, const kt_record *rec)
{
    (void)rec;
    return ++*(long *)ud > 50;
}

static void add(const char *const *kv)
{
    kt_record *r = kt_record_new("person");
    kt_error err;
    for (; kv[0]; kv += 2)
        if (kt_record_set_csv(r, kv[0], kv[1], &err)) abort();
    if (kt_save(ws, r, NULL, NULL, &err)) abort();
    kt_record_free(r);
}

static void setup(void)
{
    ws = fuzz_ws_make();
    kt_error err;
    kt_field_decl pets = {"person", "pets", "set", "{\"options\":[\"dog\",\"cat\",\"fish\"]}",
                          "fuzz",   0};
    kt_field_decl size = {"person", "shoe", "decimal", "{\"scale\":1}", "fuzz", 0};
    kt_field_decl vip = {"person", "vip", "bool", NULL, "fuzz", 0};
    if (kt_ws_declare_field(ws, &pets, &err) || kt_ws_declare_field(ws, &size, &err) ||
        kt_ws_declare_field(ws, &vip, &err))
        abort();
    add((const char *const[]){"first_name", "Łukasz", "last_name", "Żółkiewski", "pets", "dog,cat",
                              "birth_date", "1980-05-17", "shoe", "44.5", "vip", "true", "email",
                              "lukasz@example.pl", NULL});
    add((const char *const[]){"first_name", "Мария", "last_name", "Волкова", "city", "Москва",
                              "pets", "fish", NULL});
    add((const char *const[]){"first_name", "شکوه", "last_name", "قهستانی", "country", "IR", NULL});
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const entities[] = {"person", "company", "deal", "activity"};
    if (!ws) setup();
    if (size < 1 || size > 2048) return 0;
    char text[2049];
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    kt_error err;
    kt_filter filters[MAX_FILTERS];
    size_t n = 0;
    char *save = NULL;
    char *copy = strdup(text);
    if (!copy) return 0;
    for (char *line = strtok_r(copy, "\n", &save); line && n < MAX_FILTERS;
         line = strtok_r(NULL, "\n", &save)) {
        (void)kt_filter_parse_all(line, filters, MAX_FILTERS, &n, &err);
    }
    kt_list_opts o = {filters, n, data[0] % 3, (data[0] >> 2) & 7, (data[0] >> 5) & 3};
    long seen = 0;
    (void)kt_list(ws, entities[(data[0] >> 2) & 3], &o, count, &seen, &err);
    for (size_t i = 0; i < n; i++)
        kt_filter_clear(&filters[i]);
    free(copy);
    seen = 0;
    (void)kt_find(ws, text, 10, count, &seen, &err);
    return 0;
}
