/*
 * Inclusive [lo, hi] bounds of every bucket of quantize(), lquantize() and llquantize(), from the
 * function and its encoded parameters; INT64_MIN / INT64_MAX mark the open ends. llquantize's
 * layout differs by platform and lives in dtrace-platform.h.
 */
#include "buckets.h"

/* quantize: ..., [-3, -2], [-1, -1], [0, 0], [1, 1], [2, 3], [4, 7], ... */
static int ht_quantize_ranges(int n, int64_t *lo, int64_t *hi)
{
	if (n != (int)DTRACE_QUANTIZE_NBUCKETS)
		return -1;
	for (int i = 0; i < n; i++) {
		if (i < (int)DTRACE_QUANTIZE_ZEROBUCKET) {
			lo[i] = i > 0 ? DTRACE_QUANTIZE_BUCKETVAL(i - 1) + 1 : INT64_MIN;
			hi[i] = DTRACE_QUANTIZE_BUCKETVAL(i);
		} else if (i == (int)DTRACE_QUANTIZE_ZEROBUCKET) {
			lo[i] = hi[i] = 0;
		} else {
			lo[i] = DTRACE_QUANTIZE_BUCKETVAL(i);
			hi[i] = i < n - 1 ? DTRACE_QUANTIZE_BUCKETVAL(i + 1) - 1 : INT64_MAX;
		}
	}
	return 0;
}

/* lquantize(v, base, limit, step): (< base), levels buckets of step, (>= base + levels * step). */
static int ht_lquantize_ranges(uint64_t params, int n, int64_t *lo, int64_t *hi)
{
	int64_t base = DTRACE_LQUANTIZE_BASE(params), step = DTRACE_LQUANTIZE_STEP(params);
	int levels = DTRACE_LQUANTIZE_LEVELS(params);

	if (n != levels + 2)
		return -1;
	for (int i = 0; i <= levels + 1; i++) {
		lo[i] = i == 0 ? INT64_MIN : base + (i - 1) * step;
		hi[i] = i > levels ? INT64_MAX : base + i * step - 1;
	}
	return 0;
}

int ht_bucket_ranges(dtrace_actkind_t action, uint64_t params, int n, int64_t *lo, int64_t *hi)
{
	if (action == HT_AGG_QUANTIZE)
		return ht_quantize_ranges(n, lo, hi);
	if (action == HT_AGG_LQUANTIZE)
		return ht_lquantize_ranges(params, n, lo, hi);
	if (action == HT_AGG_LLQUANTIZE && n >= 3) {
		ht_llquantize_ranges(params, n, lo, hi);
		return 0;
	}
	return -1;
}

int ht_is_distribution(dtrace_actkind_t action)
{
	return action == HT_AGG_QUANTIZE || action == HT_AGG_LQUANTIZE || action == HT_AGG_LLQUANTIZE;
}
