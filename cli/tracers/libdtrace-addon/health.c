/*
 * libdtrace's drop and error handlers. Without them libdtrace aborts the run at the first drop or
 * probe error (EDT_DROPABORT / EDT_ERRABORT); with them each becomes a health event, queued until
 * the next snapshot hands them to JS as [{ kind: 'drop' | 'error', message, count }], the shape of
 * heat-tracer's HealthEvent. Messages are libdtrace's own, as dtrace(1) prints them, e.g.
 *   "12 drops on CPU 0", "error in dt_clause_0 for probe ID 812 (...): invalid address (0x0)".
 */
#include <string.h>
#include "consumer.h"

static void ht_health_push(ht_consumer_t *c, ht_health_kind_t kind, uint64_t count, const char *msg)
{
	ht_health_event_t *e;

	if (c->nhealth == HT_HEALTH_MAX) {
		c->health_lost += count;
		return;
	}
	e = &c->health[c->nhealth++];
	e->kind = kind;
	e->count = count;
	ht_one_line(e->message, sizeof(e->message), msg ? msg : "");
}

static int ht_on_drop(const dtrace_dropdata_t *drop, void *arg)
{
	ht_health_push(arg, HT_HEALTH_DROP, drop->dtdda_drops, drop->dtdda_msg);
	return DTRACE_HANDLE_OK;
}

static int ht_on_error(const dtrace_errdata_t *err, void *arg)
{
	ht_health_push(arg, HT_HEALTH_ERROR, 1, err->dteda_msg);
	return DTRACE_HANDLE_OK;
}

int ht_health_install(ht_consumer_t *c)
{
	if (dtrace_handle_drop(c->dtp, ht_on_drop, c) == -1)
		return -1;
	return dtrace_handle_err(c->dtp, ht_on_error, c);
}

static napi_value ht_health_object(napi_env env, ht_health_kind_t kind, const char *message, uint64_t count)
{
	napi_value o, v;

	napi_create_object(env, &o);
	napi_create_string_utf8(env, kind == HT_HEALTH_DROP ? "drop" : "error", NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "kind", v);
	napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "message", v);
	napi_create_double(env, (double)count, &v);
	napi_set_named_property(env, o, "count", v);
	return o;
}

napi_value ht_health_take(napi_env env, ht_consumer_t *c)
{
	napi_value list;
	uint32_t n = 0;

	napi_create_array(env, &list);
	for (int i = 0; i < c->nhealth; i++) {
		ht_health_event_t *e = &c->health[i];
		napi_set_element(env, list, n++, ht_health_object(env, e->kind, e->message, e->count));
	}
	if (c->health_lost > 0)
		napi_set_element(env, list, n, ht_health_object(env, HT_HEALTH_DROP, "more drops and errors than one second's queue holds", c->health_lost));
	c->nhealth = 0;
	c->health_lost = 0;
	return list;
}
