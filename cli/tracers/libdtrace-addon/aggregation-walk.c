/* Walking the aggregations: status, a snap of the maps, then a callback per entry; and the
 * pieces of an entry every reader hands to JS (function name, parameters, key). */
#include <stdio.h>
#include "aggregation-walk.h"
#include "records.h"

const char *ht_function_name(dtrace_actkind_t action)
{
	return action == HT_AGG_QUANTIZE ? "quantize" : action == HT_AGG_LQUANTIZE ? "lquantize" :
	    action == HT_AGG_LLQUANTIZE ? "llquantize" : action == HT_AGG_COUNT ? "count" :
	    action == HT_AGG_SUM ? "sum" : action == HT_AGG_MIN ? "min" : action == HT_AGG_MAX ? "max" :
	    action == HT_AGG_AVG ? "avg" : action == HT_AGG_STDDEV ? "stddev" : "unknown";
}

void ht_set_int(napi_env env, napi_value o, const char *name, int64_t n)
{
	napi_value v;
	napi_create_int64(env, n, &v);
	napi_set_named_property(env, o, name, v);
}

/* { base, step, levels } for lquantize, { factor, low, high, steps } for llquantize, else {}. */
napi_value ht_params(napi_env env, dtrace_actkind_t action, uint64_t p)
{
	napi_value o;

	napi_create_object(env, &o);
	if (action == HT_AGG_LQUANTIZE) {
		ht_set_int(env, o, "base", DTRACE_LQUANTIZE_BASE(p));
		ht_set_int(env, o, "step", DTRACE_LQUANTIZE_STEP(p));
		ht_set_int(env, o, "levels", DTRACE_LQUANTIZE_LEVELS(p));
	} else if (action == HT_AGG_LLQUANTIZE) {
		ht_set_int(env, o, "factor", HT_LLQ_FACTOR(p));
		ht_set_int(env, o, "low", HT_LLQ_LOW(p));
		ht_set_int(env, o, "high", HT_LLQ_HIGH(p));
		ht_set_int(env, o, "steps", HT_LLQ_STEPS(p));
	}
	return o;
}

/* The key tuple, as values (text = 0) or exact text (text = 1); NULL with c->error set if unsupported. */
napi_value ht_key(ht_consumer_t *c, const dtrace_aggdata_t *agg, int text)
{
	const dtrace_aggdesc_t *desc = agg->dtada_desc;
	napi_value key, v;
	char buf[2048];

	napi_create_array_with_length(c->env, HT_NKEYS(desc), &key);
	for (int i = 0; i < HT_NKEYS(desc); i++) {
		const dtrace_recdesc_t *rec = HT_KEYREC(desc, i);
		const char *addr = HT_KEYBASE(agg) + rec->dtrd_offset;
		if (!ht_record_supported(rec)) {
			snprintf(c->error, sizeof(c->error), "unsupported action %s as key #%d in aggregation \"%s\"",
			    ht_action_name(rec->dtrd_action, buf, sizeof(buf)), i + 1, desc->dtagd_name);
			return NULL;
		}
		if (text) {
			ht_record_text(c, rec, addr, buf, sizeof(buf));
			napi_create_string_utf8(c->env, buf, NAPI_AUTO_LENGTH, &v);
		} else {
			v = ht_record_value(c->env, c, rec, addr);
		}
		napi_set_element(c->env, key, i, v);
	}
	return key;
}

static int ht_walk_entry(const dtrace_aggdata_t *agg, void *arg)
{
	ht_walk_t *w = arg;
	return w->fn(w, agg);
}

/* Status (drops, exit()), a fresh snap of the aggregation maps, then the walk. 0, or -1 thrown. */
int ht_walk(napi_env env, ht_walk_t *w)
{
	ht_consumer_t *c = w->c;
	int rval;

	c->env = env;
	c->js_threw = 0;
	c->error[0] = '\0';
	if (dtrace_status(c->dtp) == -1) {
		c->env = NULL;
		ht_throw_dtrace(env, c, "couldn't get status");
		return -1;
	}
	if (dtrace_aggregate_snap(c->dtp) == -1) {
		c->env = NULL;
		ht_throw_dtrace(env, c, "couldn't snap aggregate");
		return -1;
	}
	rval = dtrace_aggregate_walk(c->dtp, ht_walk_entry, w);
	c->env = NULL;
	if (c->js_threw)
		return -1;
	if (c->error[0] != '\0') {
		ht_throw(env, 0, "%s", c->error);
		return -1;
	}
	if (rval == -1) {
		ht_throw_dtrace(env, c, "couldn't walk aggregate");
		return -1;
	}
	return 0;
}

/* The consumer, with tracing started; NULL with an Error thrown otherwise. */
ht_consumer_t *ht_running(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv, const char *what)
{
	ht_consumer_t *c = ht_this(env, info, argc, argv);
	if (c != NULL && c->state != HT_GOING && c->state != HT_STOPPED) {
		ht_throw(env, 0, "couldn't %s: tracing has not started (call go() first)", what);
		return NULL;
	}
	return c;
}
