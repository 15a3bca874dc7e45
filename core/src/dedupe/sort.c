/* An in-place sort of 64-bit words for kt dupes' keys and pairs. glibc's qsort is a merge sort
 * that copies the whole array first: at a million people that copy (over 100 MiB for the keys,
 * as much for the pairs) was the peak of the memory kt dupes takes. */
#include "dedupe/dd_int.h"

static void insertion(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void swap(uint64_t *a, uint64_t *b)
{
    uint64_t t = *a;
    *a = *b;
    *b = t;
}

/* Quicksort, median of three, Hoare partition (equal runs split evenly: pairs repeat), the
 * smaller side first so the stack stays logarithmic. */
void dd_sort_u64(uint64_t *a, size_t n)
{
    while (n > 16) {
        size_t m = n / 2;
        if (a[m] < a[0]) swap(&a[m], &a[0]);
        if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[m]) swap(&a[n - 1], &a[m]);
        uint64_t pivot = a[m];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j) break;
            swap(&a[i++], &a[j--]);
        }
        size_t left = j + 1; /* a[0..j] <= pivot <= a[j+1..n) */
        if (left < n - left) {
            dd_sort_u64(a, left);
            a += left;
            n -= left;
        } else {
            dd_sort_u64(a + left, n - left);
            n = left;
        }
    }
    insertion(a, n);
}
