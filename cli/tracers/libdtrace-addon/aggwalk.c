/*
 * aggwalk(fn): node-libdtrace's walk. fn(varid, key[], value, info) per entry gathered since the
 * last walk, which it then removes; value is a number for count/sum/min/max/avg and
 * [[lo, hi], count][] (non-zero buckets) for the distributions; info = { name, action, params }.
 * aggclear(): removes every entry, as a walk that keeps nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include "aggregation-walk.h"
#include "buckets.h"
#include "records.h"

static napi_value ht_info(napi_env env, const dtrace_aggdata_t *agg)
{
	const dtrace_aggdesc_t *desc = agg->dtada_desc;
	const dtrace_recdesc_t *rec = HT_VALREC(desc);
	napi_value o, v;

	napi_create_object(env, &o);
	napi_create_string_utf8(env, desc->dtagd_name, NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "name", v);
	napi_create_string_utf8(env, ht_function_name(rec->dtrd_action), NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "action", v);
	napi_set_named_property(env, o, "params", ht_params(env, rec->dtrd_action, HT_PARAMS(agg, rec)));
	return o;
}

/* [[lo, hi], count] for each non-zero bucket, as numbers (node-libdtrace's shape). */
static napi_value ht_distribution_value(ht_consumer_t *c, const dtrace_aggdata_t *agg)
{
	const dtrace_recdesc_t *rec = HT_VALREC(agg->dtada_desc);
	const int64_t *data = HT_BUCKETS(agg, rec);
	int n = HT_NBUCKETS(rec);
	int64_t *lo = malloc(2 * sizeof(int64_t) * (n > 0 ? n : 1)), *hi = lo + n;
	napi_value list, pair, range, v;
	uint32_t j = 0;

	if (lo == NULL || ht_bucket_ranges(rec->dtrd_action, HT_PARAMS(agg, rec), n, lo, hi) != 0) {
		snprintf(c->error, sizeof(c->error), "unexpected layout of %s in aggregation \"%s\"", ht_function_name(rec->dtrd_action), agg->dtada_desc->dtagd_name);
		free(lo);
		return NULL;
	}
	napi_create_array(c->env, &list);
	for (int i = 0; i < n; i++) {
		if (data[i] == 0)
			continue;
		napi_create_array_with_length(c->env, 2, &range);
		napi_create_int64(c->env, lo[i], &v);
		napi_set_element(c->env, range, 0, v);
		napi_create_int64(c->env, hi[i], &v);
		napi_set_element(c->env, range, 1, v);
		napi_create_array_with_length(c->env, 2, &pair);
		napi_set_element(c->env, pair, 0, range);
		napi_create_int64(c->env, data[i], &v);
		napi_set_element(c->env, pair, 1, v);
		napi_set_element(c->env, list, j++, pair);
	}
	free(lo);
	return list;
}

static napi_value ht_value(ht_consumer_t *c, const dtrace_aggdata_t *agg)
{
	const dtrace_recdesc_t *rec = HT_VALREC(agg->dtada_desc);
	const int64_t *data = (const int64_t *)(agg->dtada_data + rec->dtrd_offset);
	dtrace_actkind_t action = rec->dtrd_action;
	char buf[64];
	napi_value v;

	if (action == HT_AGG_COUNT || action == HT_AGG_MIN || action == HT_AGG_MAX || action == HT_AGG_SUM) {
		napi_create_int64(c->env, data[0], &v);
		return v;
	}
	if (action == HT_AGG_AVG) {
		napi_create_double(c->env, data[0] ? data[1] / (double)data[0] : 0, &v);
		return v;
	}
	if (ht_is_distribution(action))
		return ht_distribution_value(c, agg);
	snprintf(c->error, sizeof(c->error), "unsupported aggregating action %s in aggregation \"%s\"",
	    ht_action_name(action, buf, sizeof(buf)), agg->dtada_desc->dtagd_name);
	return NULL;
}

static int ht_aggwalk_one(ht_walk_t *w, const dtrace_aggdata_t *agg)
{
	ht_consumer_t *c = w->c;
	napi_value argv[4], result;

	napi_create_int32(c->env, agg->dtada_desc->dtagd_varid, &argv[0]);
	if ((argv[1] = ht_key(c, agg, 0)) == NULL || (argv[2] = ht_value(c, agg)) == NULL)
		return DTRACE_AGGWALK_ERROR;
	argv[3] = ht_info(c->env, agg);
	if (napi_call_function(c->env, c->self, c->callback, 4, argv, &result) != napi_ok) {
		c->js_threw = 1;
		return DTRACE_AGGWALK_ERROR;
	}
	return DTRACE_AGGWALK_REMOVE;
}

static int ht_remove_entry(ht_walk_t *w, const dtrace_aggdata_t *agg)
{
	(void)w;
	(void)agg;
	return DTRACE_AGGWALK_REMOVE;
}

napi_value ht_aggwalk(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	napi_valuetype type;
	ht_consumer_t *c = ht_running(env, info, &argc, argv, "walk aggregate");
	ht_walk_t w = { c, ht_aggwalk_one, NULL, 0 };

	if (c == NULL)
		return NULL;
	if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function)
		return ht_throw(env, 1, "expected function as argument");
	c->callback = argv[0];
	ht_walk(env, &w);
	return NULL;
}

napi_value ht_aggclear(napi_env env, napi_callback_info info)
{
	size_t argc = 0;
	ht_consumer_t *c = ht_running(env, info, &argc, NULL, "clear aggregate");
	ht_walk_t w = { c, ht_remove_entry, NULL, 0 };

	if (c == NULL || ht_walk(env, &w) != 0)
		return NULL;
	ht_previous_free(c->previous);
	c->previous = ht_previous_new();
	return NULL;
}
