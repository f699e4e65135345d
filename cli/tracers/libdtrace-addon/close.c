/*
 * Closing a consumer: dtrace_stop() if tracing, then dtrace_close(), which detaches the probes.
 * The kernel takes long over that for many probes (720 syscall probes: ~55 s here), so close()
 * runs it on a worker thread and returns a Promise; closeSync() runs it on this thread.
 */
#include <stdlib.h>
#include "consumer.h"

/* dtrace_stop() if tracing, then dtrace_close(). Runs on any one thread; the handle is not shared. */
void ht_release(ht_consumer_t *c, ht_state_t state)
{
	if (state == HT_GOING)
		(void)dtrace_stop(c->dtp);
	if (state == HT_GOING || state == HT_STOPPED)
		HT_TRACED_END();
	dtrace_close(c->dtp);
	c->dtp = NULL;
	ht_previous_free(c->previous);
	c->previous = NULL;
}

typedef struct ht_close_work {
	ht_consumer_t *c;
	napi_async_work work;
	napi_deferred deferred;
	ht_state_t was;
} ht_close_work_t;

static void ht_close_execute(napi_env env, void *data)
{
	ht_close_work_t *w = data;
	(void)env;
	ht_release(w->c, w->was);
}

static void ht_close_complete(napi_env env, napi_status status, void *data)
{
	ht_close_work_t *w = data;
	napi_value undefined;
	(void)status;
	w->c->state = HT_CLOSED;
	napi_get_undefined(env, &undefined);
	napi_resolve_deferred(env, w->deferred, undefined);
	napi_delete_async_work(env, w->work);
	free(w);
}

napi_value ht_close(napi_env env, napi_callback_info info)
{
	size_t argc = 0;
	napi_value promise, name;
	ht_consumer_t *c = ht_this(env, info, &argc, NULL);
	ht_close_work_t *w;

	if (c == NULL)
		return NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return ht_throw(env, 0, "out of memory");
	w->c = c;
	w->was = c->state;
	napi_create_promise(env, &w->deferred, &promise);
	napi_create_string_utf8(env, "libdtrace close", NAPI_AUTO_LENGTH, &name);
	napi_create_async_work(env, NULL, name, ht_close_execute, ht_close_complete, w, &w->work);
	c->state = HT_CLOSING;
	napi_queue_async_work(env, w->work);
	return promise;
}

napi_value ht_close_sync(napi_env env, napi_callback_info info)
{
	size_t argc = 0;
	ht_consumer_t *c = ht_this(env, info, &argc, NULL);

	if (c != NULL) {
		ht_release(c, c->state);
		c->state = HT_CLOSED;
	}
	return NULL;
}
