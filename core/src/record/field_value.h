/* Internal: a field's values — normalising input by type, and moving values in and out of
 * SQLite columns. */
#ifndef KT_RECORD_FIELD_VALUE_H
#define KT_RECORD_FIELD_VALUE_H

#include "kartoteka/save.h"

/* Normalises `in` for field f into `out` (zeroed by the caller). When the value breaks the
 * field's type or constraints, adds failures (naming field, value and rule) and sets *ok = 0;
 * returns non-OK only for a failure of the machinery itself. `rec` gives context (country). */
kt_status kt_field_normalise(kt_ws *ws, const kt_field *f, const kt_record *rec, const kt_value *in,
                             kt_value *out, kt_failures *fails, int *ok, kt_error *err);

/* Binds a canonical value to parameter idx in the column's storage form. */
kt_status kt_field_bind(kt_stmt *st, int idx, const kt_field *f, const kt_value *v, kt_error *err);
/* Reads column col into out (zeroed) as the canonical value. */
kt_status kt_field_column(kt_stmt *st, int col, const kt_field *f, kt_value *out, kt_error *err);

#endif
