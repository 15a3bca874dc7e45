/* The files of schema/, embedded at build time (see schema/embed.cmake). */
#ifndef KT_STORE_SCHEMA_FILES_H
#define KT_STORE_SCHEMA_FILES_H

typedef struct kt_schema_file {
    const char *name; /* "001_core.sql" */
    const char *text; /* the file's contents, NUL-terminated */
} kt_schema_file;

/* Sorted by name, ended by {NULL, NULL}. */
extern const kt_schema_file kt_schema_files[];

#endif
