/* Walking the aggregations: what aggwalk(), aggclear() and snapshot() share (aggregation-walk.c). */
#ifndef HT_AGGREGATION_WALK_H
#define HT_AGGREGATION_WALK_H

#include "consumer.h"

typedef struct ht_walk ht_walk_t;
/* Called per entry; returns a DTRACE_AGGWALK_* value. */
typedef int ht_entry_f(ht_walk_t *w, const dtrace_aggdata_t *agg);

struct ht_walk {
	ht_consumer_t *c;
	ht_entry_f *fn;
	napi_value out; /* snapshot(): the records array */
	uint32_t nout;
};

/* "quantize", "count", ... */
const char *ht_function_name(dtrace_actkind_t action);
void ht_set_int(napi_env env, napi_value o, const char *name, int64_t n);
/* { base, step, levels } for lquantize, { factor, low, high, steps } for llquantize, else {}. */
napi_value ht_params(napi_env env, dtrace_actkind_t action, uint64_t p);
/* The key tuple, as values (text = 0) or exact text (text = 1); NULL with c->error set if unsupported. */
napi_value ht_key(ht_consumer_t *c, const dtrace_aggdata_t *agg, int text);
/* Status (drops, exit()), a fresh snap of the aggregation maps, then w->fn per entry. 0, or -1 thrown. */
int ht_walk(napi_env env, ht_walk_t *w);
/* The consumer, with tracing started; NULL with an Error thrown otherwise. */
ht_consumer_t *ht_running(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv, const char *what);

#endif
