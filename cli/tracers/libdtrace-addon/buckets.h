/* Bucket bounds of D's distribution functions (buckets.c). */
#ifndef HT_BUCKETS_H
#define HT_BUCKETS_H

#include "dtrace-platform.h"

/* True for quantize(), lquantize() and llquantize(). */
int ht_is_distribution(dtrace_actkind_t action);
/* Fills lo[n], hi[n]; -1 when n does not fit the function and parameters. */
int ht_bucket_ranges(dtrace_actkind_t action, uint64_t params, int n, int64_t *lo, int64_t *hi);

#endif
