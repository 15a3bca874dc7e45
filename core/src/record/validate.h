/* Internal: validation shared by the write door and `kt check`. */
#ifndef KT_RECORD_VALIDATE_H
#define KT_RECORD_VALIDATE_H

#include "kartoteka/save.h"

/* Normalises and validates every field of `in` (whose values may be raw input) against entity
 * e, appending failures. When out is given (an empty record of the entity, with in's id), it
 * receives the normalised values of every field that passed its type; one that failed is left
 * out. Rules run when check_rules is set, also when a field failed, so every failure is listed,
 * but they see a failed field as absent, and a rule declaring such a field is skipped. */
kt_status kt_validate_full(kt_ws *ws, const kt_entity *e, const kt_record *in, kt_record *out,
                           int check_rules, kt_failures *fails, kt_error *err);

#endif
