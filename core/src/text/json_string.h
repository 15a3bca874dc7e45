/* A JSON string writer shared by the modules that write JSON by hand (report output, the write
 * door's history), so there is one escaper to get right. */
#ifndef KT_TEXT_JSON_STRING_H
#define KT_TEXT_JSON_STRING_H

#include <stddef.h>

#include "kartoteka/buf.h"

/* Appends s (borrowed) to out as a JSON string literal: '"', '\\' and control characters
 * escaped, and U+2028/U+2029 (line ends to JavaScript); other UTF-8 passes through. Bytes that
 * are not UTF-8 become \ufffd so the JSON stays valid; when replaced is not NULL, *replaced is
 * increased by their count (0 added means the text comes back exactly). */
kt_status kt_text_put_json_string(kt_buf *out, const char *s, size_t *replaced, kt_error *err);

#endif
