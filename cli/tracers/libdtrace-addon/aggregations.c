/*
 * Reading aggregations:
 *  - aggwalk(fn): node-libdtrace's walk. fn(varid, key[], value, info) per entry gathered since the
 *    last walk, which it then removes; value is a number for count/sum/min/max/avg and
 *    [[lo, hi], count][] (non-zero buckets) for the distributions; info = { name, action, params }.
 *  - snapshot(): the recorder's per-second read. Entries stay (Linux keeps them cumulative) and
 *    each distribution's change since the last snapshot comes back as typed arrays:
 *    { records: [{ varid, name, action, params, key: string[], lo, hi, count: BigInt64Array }],
 *      health: [{ kind, message, count }], done: boolean }.
 *  - aggclear(): removes every entry, as a walk that keeps nothing.
 */
#include <stdlib.h>
#include <string.h>
#include "buckets.h"
#include "records.h"

typedef int ht_entry_f(ht_consumer_t *c, const dtrace_aggdata_t *agg);

typedef struct ht_walk {
	ht_consumer_t *c;
	ht_entry_f *fn;
	napi_value out; /* snapshot(): the records array */
	uint32_t nout;
} ht_walk_t;

static const char *ht_function_name(dtrace_actkind_t action)
{
	return action == HT_AGG_QUANTIZE ? "quantize" : action == HT_AGG_LQUANTIZE ? "lquantize" :
	    action == HT_AGG_LLQUANTIZE ? "llquantize" : action == HT_AGG_COUNT ? "count" :
	    action == HT_AGG_SUM ? "sum" : action == HT_AGG_MIN ? "min" : action == HT_AGG_MAX ? "max" :
	    action == HT_AGG_AVG ? "avg" : action == HT_AGG_STDDEV ? "stddev" : "unknown";
}

static void ht_set_int(napi_env env, napi_value o, const char *name, int64_t n)
{
	napi_value v;
	napi_create_int64(env, n, &v);
	napi_set_named_property(env, o, name, v);
}

/* { base, step, levels } for lquantize, { factor, low, high, steps } for llquantize, else {}. */
static napi_value ht_params(napi_env env, dtrace_actkind_t action, uint64_t p)
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

/* The key tuple, as values (text = 0) or exact text (text = 1); NULL with c->error set if unsupported. */
static napi_value ht_key(ht_consumer_t *c, const dtrace_aggdata_t *agg, int text)
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

static int ht_aggwalk_one(ht_consumer_t *c, const dtrace_aggdata_t *agg)
{
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

static napi_value ht_bigint64_array(napi_env env, const int64_t *values, size_t n)
{
	napi_value buffer, array;
	void *data;

	napi_create_arraybuffer(env, n * sizeof(int64_t), &data, &buffer);
	if (n > 0)
		memcpy(data, values, n * sizeof(int64_t));
	napi_create_typedarray(env, napi_bigint64_array, n, buffer, 0, &array);
	return array;
}

/* Keeps this second's non-zero buckets (current - previous) in out[0..], returns how many. */
static int ht_deltas(const int64_t *cur, int64_t *prev, const int64_t *lo, const int64_t *hi, int n, int64_t *out)
{
	int reset = 0, k = 0;

	for (int i = 0; i < n; i++)
		reset |= cur[i] < prev[i]; /* the program truncated or cleared it: count from zero */
	for (int i = 0; i < n; i++) {
		int64_t d = reset ? cur[i] : cur[i] - prev[i];
		prev[i] = cur[i];
		if (d != 0 && lo[i] <= hi[i]) {
			out[k] = lo[i];
			out[n + k] = hi[i];
			out[2 * n + k++] = d;
		}
	}
	return k;
}

static napi_value ht_snapshot_record(ht_consumer_t *c, const dtrace_aggdata_t *agg, const int64_t *out, int n, int k)
{
	const dtrace_recdesc_t *rec = HT_VALREC(agg->dtada_desc);
	napi_value o, key, v;

	if ((key = ht_key(c, agg, 1)) == NULL)
		return NULL;
	napi_create_object(c->env, &o);
	ht_set_int(c->env, o, "varid", agg->dtada_desc->dtagd_varid);
	napi_create_string_utf8(c->env, agg->dtada_desc->dtagd_name, NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(c->env, o, "name", v);
	napi_create_string_utf8(c->env, ht_function_name(rec->dtrd_action), NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(c->env, o, "action", v);
	napi_set_named_property(c->env, o, "params", ht_params(c->env, rec->dtrd_action, HT_PARAMS(agg, rec)));
	napi_set_named_property(c->env, o, "key", key);
	napi_set_named_property(c->env, o, "lo", ht_bigint64_array(c->env, out, k));
	napi_set_named_property(c->env, o, "hi", ht_bigint64_array(c->env, out + n, k));
	napi_set_named_property(c->env, o, "count", ht_bigint64_array(c->env, out + 2 * n, k));
	return o;
}

static int ht_snapshot_one(ht_consumer_t *c, const dtrace_aggdata_t *agg, ht_walk_t *w)
{
	const dtrace_recdesc_t *rec = HT_VALREC(agg->dtada_desc);
	int n = HT_NBUCKETS(rec), k;
	int64_t *buf, *prev;
	napi_value record = NULL;

	if (!ht_is_distribution(rec->dtrd_action))
		return DTRACE_AGGWALK_NEXT; /* count(), sum() ...: not a histogram */
	if ((buf = malloc(5 * sizeof(int64_t) * n)) == NULL ||
	    (prev = ht_previous_get(c->previous, HT_KEYBYTES(agg), HT_KEYSIZE(agg), n)) == NULL ||
	    ht_bucket_ranges(rec->dtrd_action, HT_PARAMS(agg, rec), n, buf, buf + n) != 0) {
		snprintf(c->error, sizeof(c->error), "cannot read %s in aggregation \"%s\" (out of memory or unexpected layout)", ht_function_name(rec->dtrd_action), agg->dtada_desc->dtagd_name);
		free(buf);
		return DTRACE_AGGWALK_ERROR;
	}
	k = ht_deltas(HT_BUCKETS(agg, rec), prev, buf, buf + n, n, buf + 2 * n);
	if (k > 0 && (record = ht_snapshot_record(c, agg, buf + 2 * n, n, k)) != NULL)
		napi_set_element(c->env, w->out, w->nout++, record);
	free(buf);
	return k > 0 && record == NULL ? DTRACE_AGGWALK_ERROR : DTRACE_AGGWALK_NEXT;
}

static int ht_walk_entry(const dtrace_aggdata_t *agg, void *arg)
{
	ht_walk_t *w = arg;
	return w->fn ? w->fn(w->c, agg) : ht_snapshot_one(w->c, agg, w);
}

static int ht_remove_entry(ht_consumer_t *c, const dtrace_aggdata_t *agg)
{
	(void)c;
	(void)agg;
	return DTRACE_AGGWALK_REMOVE;
}

/* Status (drops, exit()), a fresh snap of the aggregation maps, then the walk. 0, or -1 thrown. */
static int ht_walk(napi_env env, ht_walk_t *w)
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
static ht_consumer_t *ht_running(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv, const char *what)
{
	ht_consumer_t *c = ht_this(env, info, argc, argv);
	if (c != NULL && c->state != HT_GOING && c->state != HT_STOPPED) {
		ht_throw(env, 0, "couldn't %s: tracing has not started (call go() first)", what);
		return NULL;
	}
	return c;
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

/* Reads the principal buffer only for libdtrace's sake: probe errors and drops reach the handlers. */
static int ht_ignore_record(const dtrace_probedata_t *data, const dtrace_recdesc_t *rec, void *arg)
{
	(void)data;
	(void)rec;
	(void)arg;
	return DTRACE_CONSUME_NEXT;
}

napi_value ht_snapshot(napi_env env, napi_callback_info info)
{
	size_t argc = 0;
	ht_consumer_t *c = ht_running(env, info, &argc, NULL, "snapshot");
	ht_walk_t w = { c, NULL, NULL, 0 };
	napi_value result, done;
	int status;

	if (c == NULL)
		return NULL;
	status = dtrace_work(c->dtp, NULL, NULL, ht_ignore_record, c);
	if (status == DTRACE_WORKSTATUS_ERROR)
		return ht_throw_dtrace(env, c, "couldn't read the trace buffers");
	napi_create_array(env, &w.out);
	if (ht_walk(env, &w) != 0)
		return NULL;
	napi_create_object(env, &result);
	napi_set_named_property(env, result, "records", w.out);
	napi_set_named_property(env, result, "health", ht_health_take(env, c));
	napi_get_boolean(env, status == DTRACE_WORKSTATUS_DONE, &done);
	napi_set_named_property(env, result, "done", done);
	return result;
}
