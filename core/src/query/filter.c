/* `--where` filters: parsing "name<op>value". */
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/query.h"

kt_status kt_filter_parse(const char *text, kt_filter *f, kt_error *err)
{
    static const struct {
        const char *tok;
        kt_filter_op op;
    } ops[] = {{"!=", KT_OP_NE}, {"<=", KT_OP_LE}, {">=", KT_OP_GE}, {"=", KT_OP_EQ},
               {"<", KT_OP_LT},  {">", KT_OP_GT},  {"~", KT_OP_CONTAINS}};
    memset(f, 0, sizeof *f);
    size_t name_len = strcspn(text, "!<>=~");
    if (name_len == 0 || text[name_len] == '\0')
        return kt_error_set(err, KT_USAGE,
                            "filter \"%s\" is not of the form name=value (operators: = != < <= > "
                            ">= ~)",
                            text);
    const char *rest = text + name_len;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].tok);
        if (strncmp(rest, ops[i].tok, n) != 0) continue;
        f->op = ops[i].op;
        f->field = kt_strndup(text, name_len);
        f->value = kt_strdup(rest + n);
        if (!f->field || !f->value) {
            kt_filter_clear(f);
            return kt_error_set(err, KT_NOMEM, "out of memory");
        }
        return KT_OK;
    }
    return kt_error_set(err, KT_USAGE, "filter \"%s\": unknown operator", text);
}

void kt_filter_clear(kt_filter *f)
{
    kt_free(f->field);
    kt_free(f->value);
    memset(f, 0, sizeof *f);
}
