/*
 * snapshot(): the recorder's per-second read. Entries stay (Linux keeps them cumulative) and each
 * distribution's change since the last snapshot comes back as typed arrays:
 *   { records: [{ varid, name, action, params, key: string[], lo, hi, count: BigInt64Array }],
 *     health: [{ kind, message, count }], done: boolean }
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aggregation-walk.h"
#include "buckets.h"

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

static int ht_snapshot_one(ht_walk_t *w, const dtrace_aggdata_t *agg)
{
	ht_consumer_t *c = w->c;
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
	ht_walk_t w = { c, ht_snapshot_one, NULL, 0 };
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
