/* Every allocation of the core goes through these, so that a test can fail the N-th one
 * (fault injection) and a budget can be kept. Same contracts as the C library functions. */
#ifndef KARTOTEKA_ALLOC_H
#define KARTOTEKA_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *kt_malloc(size_t n);                    /* caller frees with kt_free */
void *kt_calloc(size_t count, size_t size);   /* caller frees with kt_free */
void *kt_realloc(void *p, size_t n);          /* on failure p is untouched and still owned */
void kt_free(void *p);                        /* accepts NULL */
char *kt_strdup(const char *s);               /* NULL in, NULL out; caller frees */
char *kt_strndup(const char *s, size_t n);    /* caller frees */

/* Fault injection: make the n-th allocation from now fail (0 disables). Returns how many
 * allocations have been attempted since the last call, so a test can walk n upwards. */
unsigned long kt_alloc_fail_at(unsigned long n);

#ifdef __cplusplus
}
#endif
#endif
