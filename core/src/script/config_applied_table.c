/* kt_config_applied's statements, in one place (schema/017_sale_rollup.sql). */
#include <stdio.h>

#include "kartoteka/alloc.h"
#include "script/config_applied_table.h"

kt_status kt_config_applied_get(kt_store *s, char hash[33], char **files, int *found, kt_error *err)
{
    kt_stmt *q;
    *files = NULL;
    *found = 0;
    hash[0] = '\0';
    kt_status st =
        kt_store_prepare(s, "SELECT hash, files FROM kt_config_applied WHERE id = 1", &q, err);
    if (st) return st;
    int step = kt_stmt_step(q);
    if (step == KT_STMT_ROW) {
        *found = 1;
        snprintf(hash, 33, "%s", kt_stmt_text(q, 0));
        const char *f = kt_stmt_text(q, 1);
        if (f && !(*files = kt_strdup(f))) st = kt_error_set(err, KT_NOMEM, "out of memory");
    }
    kt_stmt_reset(q);
    if (step != KT_STMT_ROW && step != KT_STMT_DONE)
        return kt_store_fail(s, err, "reading the applied configuration");
    return st;
}

kt_status kt_config_applied_put(kt_store *s, const char *hash, const char *files, kt_error *err)
{
    return kt_store_run(s,
                        "INSERT INTO kt_config_applied(id, hash, files) VALUES (1, ?1, ?2) "
                        "ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, files = "
                        "excluded.files WHERE hash <> excluded.hash OR files <> excluded.files",
                        "remembering the applied configuration", err, "tt", hash, files);
}
