/*
 * Every place where the libdtrace consumer API differs between Oracle Linux DTrace 2.x (built and
 * tested here) and illumos / macOS / FreeBSD (the API node-libdtrace was written against, which
 * cannot be compiled on this machine: that branch follows illumos's dtrace.h and node-libdtrace).
 * The rest of the addon uses only what this header defines, plus the parts of the API both share.
 *
 *                          Linux DTrace 2.x                 illumos / macOS / FreeBSD
 *  headers               <dtrace.h> needs -I<prefix>/include/dtrace-private (sys/ctf-api.h,
 *                          dtrace/ and config.h), and NBBY from <sys/param.h>   <dtrace.h>
 *  start-up              dtrace_init() after the options,  nothing
 *                          before compiling (else a crash in dt_provider_lookup)
 *  dtrace_go             dtrace_go(dtp, cflags)            dtrace_go(dtp)
 *  aggregation records   dtagd_krecs[0] = variable id,     dtagd_rec[0] = variable id,
 *                          krecs[1..] keys in dtada_key;     rec[1..n-2] keys, rec[n-1] value,
 *                          drecs[1] the value in dtada_data  all in dtada_data
 *  function ids          private DT_AGG_* (dt_aggregate.h), public DTRACEAGG_*
 *                          in alphabetical order
 *  l/llquantize params   dtagd_sig; data = buckets only    first 64-bit word of the data
 *  llquantize encoding   steps<<48 | hmag<<32 | lmag<<16   factor<<48 | low<<32 | high<<16
 *                          | factor                          | nsteps
 *  llquantize buckets    negative and positive ranges      0..factor^low-1, then positive
 *                          around one "abs() < factor^lmag"  ranges only, then overflow
 *                          bucket; steps/factor unused        (node-libdtrace's ranges)
 *                          ("ghost") bins per magnitude
 *  probe description     pd->prv, mod, fun, prb            pd->dtpd_provider, _mod, _func, _name
 *  version string        "Oracle D 2.0"                    "Sun D 1.x"
 *  handles per process   one tracing at a time, and only   any number
 *                          if a static flag is cleared
 *                          before go() (linux-global-maps.c)
 *  printf() to a handler dtrace_handle_buffered output is   flushed per record
 *                          never flushed: we pass a FILE*
 *  aggregation data      cumulative in BPF maps; a walk    per-CPU buffers switched at each
 *                          returning DTRACE_AGGWALK_REMOVE    snap; REMOVE drops the user copy
 *                          deletes the map entries
 */
#ifndef HT_DTRACE_PLATFORM_H
#define HT_DTRACE_PLATFORM_H

#include <sys/param.h> /* NBBY, used by the DTRACE_QUANTIZE_* macros */
#include <stddef.h>
#include <stdint.h>
#include <dtrace.h>

#ifdef __linux__

#define HT_DTRACE_INIT(dtp) dtrace_init(dtp)
#define HT_DTRACE_GO(dtp) dtrace_go((dtp), 0)
/* 0, or -1 with the reason in why; then a count of handles tracing: see linux-global-maps.c. */
int ht_linux_before_go(char *why, size_t size);
void ht_linux_traced(int delta);
#define HT_BEFORE_GO(why, size) ht_linux_before_go((why), (size))
#define HT_TRACED_BEGIN() ht_linux_traced(1)
#define HT_TRACED_END() ht_linux_traced(-1)

/* dt_aggregate.h (private): enum dt_aggfid, alphabetical from DTRACEACT_AGGREGATION. */
#define HT_AGG_AVG (DTRACEACT_AGGREGATION + 0)
#define HT_AGG_COUNT (DTRACEACT_AGGREGATION + 1)
#define HT_AGG_LLQUANTIZE (DTRACEACT_AGGREGATION + 2)
#define HT_AGG_LQUANTIZE (DTRACEACT_AGGREGATION + 3)
#define HT_AGG_MAX (DTRACEACT_AGGREGATION + 4)
#define HT_AGG_MIN (DTRACEACT_AGGREGATION + 5)
#define HT_AGG_QUANTIZE (DTRACEACT_AGGREGATION + 6)
#define HT_AGG_STDDEV (DTRACEACT_AGGREGATION + 7)
#define HT_AGG_SUM (DTRACEACT_AGGREGATION + 8)

/* Key records, 0-based (the variable id record is skipped), and where their bytes live. */
#define HT_NKEYS(desc) ((int)(desc)->dtagd_nkrecs - 1)
#define HT_KEYREC(desc, i) (&(desc)->dtagd_krecs[(i) + 1])
#define HT_KEYBASE(agg) ((agg)->dtada_key)
/* The bytes that identify one (variable, key) entry. */
#define HT_KEYBYTES(agg) ((const char *)(agg)->dtada_key)
#define HT_KEYSIZE(agg) ((size_t)(agg)->dtada_desc->dtagd_ksize)
/* The value record; its buckets start at its offset (no parameter word). */
#define HT_VALREC(desc) (&(desc)->dtagd_drecs[1])
#define HT_PARAMS(agg, rec) ((uint64_t)(agg)->dtada_desc->dtagd_sig)
#define HT_BUCKETS(agg, rec) ((const int64_t *)((agg)->dtada_data + (rec)->dtrd_offset))
#define HT_NBUCKETS(rec) ((int)((rec)->dtrd_size / sizeof(uint64_t)))

#define HT_PROBE_PROVIDER(pd) ((pd)->prv)
#define HT_PROBE_MODULE(pd) ((pd)->mod)
#define HT_PROBE_FUNCTION(pd) ((pd)->fun)
#define HT_PROBE_NAME(pd) ((pd)->prb)

#define HT_LLQ_FACTOR(p) DTRACE_LLQUANTIZE_FACTOR(p)
#define HT_LLQ_LOW(p) DTRACE_LLQUANTIZE_LMAG(p)
#define HT_LLQ_HIGH(p) DTRACE_LLQUANTIZE_HMAG(p)
#define HT_LLQ_STEPS(p) DTRACE_LLQUANTIZE_STEPS(p)

/* factor^e, saturating at INT64_MAX. */
static inline int64_t ht_pow(int64_t factor, int e)
{
	__int128 v = 1;
	while (e-- > 0 && v <= INT64_MAX)
		v *= factor;
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* Inclusive bounds of positive log bucket k (0-based above the underflow bucket). A "ghost"
 * bucket no integer falls in (steps > factor at magnitude 0) gets lo > hi. */
static inline void ht_llq_positive(uint64_t p, int k, int64_t *lo, int64_t *hi)
{
	int factor = HT_LLQ_FACTOR(p), steps = HT_LLQ_STEPS(p), per = steps - steps / factor;
	int j = k % per + steps / factor;
	__int128 m = ht_pow(factor, HT_LLQ_LOW(p) + k / per + 1);
	*lo = (int64_t)((j * m + steps - 1) / steps);
	*hi = (int64_t)(((j + 1) * m + steps - 1) / steps - 1);
}

/* All n buckets (dt_cg.c, dt_cg_agg_llquantize_bin): negative overflow, negative log buckets,
 * "abs() < factor^lmag", positive log buckets, positive overflow. */
static inline void ht_llquantize_ranges(uint64_t p, int n, int64_t *lo, int64_t *hi)
{
	int factor = HT_LLQ_FACTOR(p), under = (n - 1) / 2, i;
	int64_t top = ht_pow(factor, HT_LLQ_HIGH(p) + 1), small = ht_pow(factor, HT_LLQ_LOW(p));

	for (i = under + 1; i < n - 1; i++) {
		ht_llq_positive(p, i - under - 1, &lo[i], &hi[i]);
		lo[2 * under - i] = -hi[i];
		hi[2 * under - i] = -lo[i];
	}
	lo[under] = 1 - small;
	hi[under] = small - 1;
	lo[0] = INT64_MIN;
	hi[0] = -top;
	lo[n - 1] = top;
	hi[n - 1] = INT64_MAX;
}

#else /* illumos, macOS, FreeBSD: as node-libdtrace's libdtrace.cc read them (untested here) */

#define HT_DTRACE_INIT(dtp) 0
#define HT_DTRACE_GO(dtp) dtrace_go(dtp)
#define HT_BEFORE_GO(why, size) 0
#define HT_TRACED_BEGIN() ((void)0)
#define HT_TRACED_END() ((void)0)

#define HT_AGG_AVG DTRACEAGG_AVG
#define HT_AGG_COUNT DTRACEAGG_COUNT
#define HT_AGG_LLQUANTIZE (DTRACEACT_AGGREGATION + 9)
#define HT_AGG_LQUANTIZE DTRACEAGG_LQUANTIZE
#define HT_AGG_MAX DTRACEAGG_MAX
#define HT_AGG_MIN DTRACEAGG_MIN
#define HT_AGG_QUANTIZE DTRACEAGG_QUANTIZE
#define HT_AGG_STDDEV DTRACEAGG_STDDEV
#define HT_AGG_SUM DTRACEAGG_SUM

#define HT_NKEYS(desc) ((int)(desc)->dtagd_nrecs - 2)
#define HT_KEYREC(desc, i) (&(desc)->dtagd_rec[(i) + 1])
#define HT_KEYBASE(agg) ((agg)->dtada_data)
/* The key is the data up to the value record (variable id and keys). */
#define HT_KEYBYTES(agg) ((const char *)(agg)->dtada_data)
#define HT_KEYSIZE(agg) ((size_t)HT_VALREC((agg)->dtada_desc)->dtrd_offset)
#define HT_VALREC(desc) (&(desc)->dtagd_rec[(desc)->dtagd_nrecs - 1])
/* lquantize and llquantize data start with their encoded parameters. */
#define HT_HAS_PARAM_WORD(rec) ((rec)->dtrd_action == HT_AGG_LQUANTIZE || (rec)->dtrd_action == HT_AGG_LLQUANTIZE)
#define HT_PARAMS(agg, rec) (HT_HAS_PARAM_WORD(rec) ? *(const uint64_t *)((agg)->dtada_data + (rec)->dtrd_offset) : 0)
#define HT_BUCKETS(agg, rec) ((const int64_t *)((agg)->dtada_data + (rec)->dtrd_offset) + (HT_HAS_PARAM_WORD(rec) ? 1 : 0))
#define HT_NBUCKETS(rec) ((int)((rec)->dtrd_size / sizeof(uint64_t)) - (HT_HAS_PARAM_WORD(rec) ? 1 : 0))

#define HT_PROBE_PROVIDER(pd) ((pd)->dtpd_provider)
#define HT_PROBE_MODULE(pd) ((pd)->dtpd_mod)
#define HT_PROBE_FUNCTION(pd) ((pd)->dtpd_func)
#define HT_PROBE_NAME(pd) ((pd)->dtpd_name)

#define HT_LLQ_FACTOR(p) ((uint16_t)(((p) >> 48) & UINT16_MAX))
#define HT_LLQ_LOW(p) ((uint16_t)(((p) >> 32) & UINT16_MAX))
#define HT_LLQ_HIGH(p) ((uint16_t)(((p) >> 16) & UINT16_MAX))
#define HT_LLQ_STEPS(p) ((uint16_t)((p) & UINT16_MAX))

/* node-libdtrace's ranges_llquantize: [0, factor^low), then steps per magnitude up to high. */
static inline void ht_llquantize_ranges(uint64_t p, int n, int64_t *lo, int64_t *hi)
{
	int64_t value = 1, next, step;
	int factor = HT_LLQ_FACTOR(p), nsteps = HT_LLQ_STEPS(p), order, b = 0;

	for (order = 0; order < HT_LLQ_LOW(p); order++)
		value *= factor;
	lo[b] = 0;
	hi[b++] = value - 1;
	next = value * factor;
	step = next > nsteps ? next / nsteps : 1;
	while (order <= HT_LLQ_HIGH(p) && b < n - 1) {
		lo[b] = value;
		hi[b++] = value + step - 1;
		if ((value += step) != next)
			continue;
		next = value * factor;
		step = next > nsteps ? next / nsteps : 1;
		order++;
	}
	lo[b] = value;
	hi[b] = INT64_MAX;
}

#endif

#endif
