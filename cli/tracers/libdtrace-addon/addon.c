/*
 * heat-tracer's libdtrace binding, on Node-API: the Consumer class, its methods and its life.
 *   new Consumer()        dtrace_open(), bufsize and aggsize 4m (node-libdtrace's defaults)
 *   version()  aggmin()  aggmax()                                   here
 *   setopt(name, value?)  strcompile(program)  go()  stop()         program.c
 *   consume(fn)                                                      consume.c
 *   aggwalk(fn)  aggclear()  snapshot()                              aggwalk.c, snapshot.c
 *   close(): Promise  closeSync()                                    close.c
 * Every libdtrace failure is a thrown one-line Error (errors.c); a consumer left open is closed
 * when Node's environment shuts down (process exit). Platform differences: dtrace-platform.h.
 */
#include <stdlib.h>
#include "consumer.h"

/* At environment teardown (process exit): close what is still open; a close already running on
 * a worker thread is left to finish, or to the kernel, which frees every BPF object with our fds. */
static void ht_cleanup(void *arg)
{
	ht_consumer_t *c = arg;
	if (c->state != HT_CLOSING && c->state != HT_CLOSED) {
		ht_release(c, c->state);
		c->state = HT_CLOSED;
	}
}

static void ht_finalize(napi_env env, void *data, void *hint)
{
	ht_consumer_t *c = data;
	(void)hint;
	if (c->state == HT_CLOSING)
		return; /* the worker still uses it: left allocated (a few KB, once) */
	napi_remove_env_cleanup_hook(env, ht_cleanup, c);
	ht_cleanup(c);
	free(c);
}

static napi_value ht_new(napi_env env, napi_callback_info info)
{
	napi_value self;
	ht_consumer_t *c;
	int err;

	napi_get_cb_info(env, info, NULL, NULL, &self, NULL);
	if ((c = calloc(1, sizeof(*c))) == NULL || (c->previous = ht_previous_new()) == NULL) {
		free(c);
		return ht_throw(env, 0, "out of memory");
	}
	if ((c->dtp = dtrace_open(DTRACE_VERSION, 0, &err)) == NULL) {
		ht_previous_free(c->previous);
		free(c);
		return ht_throw(env, 0, "%s", dtrace_errmsg(NULL, err));
	}
	(void)dtrace_setopt(c->dtp, "bufsize", "4m");
	(void)dtrace_setopt(c->dtp, "aggsize", "4m");
	napi_wrap(env, self, c, ht_finalize, NULL, NULL);
	napi_add_env_cleanup_hook(env, ht_cleanup, c);
	return self;
}

static napi_value ht_version(napi_env env, napi_callback_info info)
{
	napi_value v;
	(void)info;
	napi_create_string_utf8(env, _dtrace_version, NAPI_AUTO_LENGTH, &v);
	return v;
}

static const int64_t ht_aggmin_value = INT64_MIN, ht_aggmax_value = INT64_MAX;

/* aggmin() / aggmax(): INT64_MIN / INT64_MAX, the open ends of ranges, as numbers (node-libdtrace's). */
static napi_value ht_int64_constant(napi_env env, napi_callback_info info)
{
	void *data;
	napi_value v;

	napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
	napi_create_int64(env, *(const int64_t *)data, &v);
	return v;
}

static napi_value ht_init(napi_env env, napi_value exports)
{
	napi_property_descriptor methods[] = {
		{ "setopt", NULL, ht_setopt, NULL, NULL, NULL, napi_default, NULL },
		{ "strcompile", NULL, ht_strcompile, NULL, NULL, NULL, napi_default, NULL },
		{ "go", NULL, ht_go, NULL, NULL, NULL, napi_default, NULL },
		{ "consume", NULL, ht_consume, NULL, NULL, NULL, napi_default, NULL },
		{ "aggwalk", NULL, ht_aggwalk, NULL, NULL, NULL, napi_default, NULL },
		{ "snapshot", NULL, ht_snapshot, NULL, NULL, NULL, napi_default, NULL },
		{ "aggclear", NULL, ht_aggclear, NULL, NULL, NULL, napi_default, NULL },
		{ "aggmin", NULL, ht_int64_constant, NULL, NULL, NULL, napi_default, (void *)&ht_aggmin_value },
		{ "aggmax", NULL, ht_int64_constant, NULL, NULL, NULL, napi_default, (void *)&ht_aggmax_value },
		{ "stop", NULL, ht_stop, NULL, NULL, NULL, napi_default, NULL },
		{ "close", NULL, ht_close, NULL, NULL, NULL, napi_default, NULL },
		{ "closeSync", NULL, ht_close_sync, NULL, NULL, NULL, napi_default, NULL },
		{ "version", NULL, ht_version, NULL, NULL, NULL, napi_default, NULL },
	};
	napi_value cls;

	napi_define_class(env, "Consumer", NAPI_AUTO_LENGTH, ht_new, NULL, sizeof(methods) / sizeof(methods[0]), methods, &cls);
	napi_set_named_property(env, exports, "Consumer", cls);
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, ht_init)
