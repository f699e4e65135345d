/*
 * consumer.consume(fn): the principal buffer since the last call, as node-libdtrace gave it:
 * fn(probe, { data }) per trace() record or printf() output, then fn(probe) once the probe's
 * records are done. probe = { provider, module, function, name }.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "records.h"

static napi_value ht_probe_object(napi_env env, const dtrace_probedesc_t *pd)
{
	napi_value o, v;

	napi_create_object(env, &o);
	napi_create_string_utf8(env, HT_PROBE_PROVIDER(pd), NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "provider", v);
	napi_create_string_utf8(env, HT_PROBE_MODULE(pd), NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "module", v);
	napi_create_string_utf8(env, HT_PROBE_FUNCTION(pd), NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "function", v);
	napi_create_string_utf8(env, HT_PROBE_NAME(pd), NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, o, "name", v);
	return o;
}

/* Calls fn(probe) or fn(probe, { data }); returns 0 when the JS function threw. */
static int ht_call(ht_consumer_t *c, const dtrace_probedesc_t *pd, napi_value data)
{
	napi_env env = c->env;
	napi_value argv[2], result;
	size_t argc = 1;

	argv[0] = ht_probe_object(env, pd);
	if (data != NULL) {
		napi_create_object(env, &argv[1]);
		napi_set_named_property(env, argv[1], "data", data);
		argc = 2;
	}
	if (napi_call_function(env, c->self, c->callback, argc, argv, &result) != napi_ok) {
		c->js_threw = 1;
		return 0;
	}
	return 1;
}

/*
 * printf() output: libdtrace formats it into our memory stream after ht_on_record returns for its
 * record, so it is handed on at the next call (the next record, or the probe's end). A stream, not
 * dtrace_handle_buffered(): Linux DTrace 2.0 never flushes buffered printf() output to the handler.
 */
static int ht_flush_printf(ht_consumer_t *c, const dtrace_probedesc_t *pd)
{
	napi_value text;

	fflush(c->out);
	if (c->outlen == c->outpos)
		return 1;
	napi_create_string_utf8(c->env, c->outbuf + c->outpos, c->outlen - c->outpos, &text);
	c->outpos = c->outlen;
	return ht_call(c, pd, text);
}

static int ht_on_record(const dtrace_probedata_t *data, const dtrace_recdesc_t *rec, void *arg)
{
	ht_consumer_t *c = arg;
	char action[64];

	if (c->js_threw || !ht_flush_printf(c, data->dtpda_pdesc))
		return DTRACE_CONSUME_ABORT;
	if (rec == NULL) {
		ht_call(c, data->dtpda_pdesc, NULL);
		return DTRACE_CONSUME_NEXT;
	}
	if (rec->dtrd_action == DTRACEACT_PRINTF)
		return DTRACE_CONSUME_THIS; /* libdtrace formats it into c->out */
	if (!ht_record_supported(rec)) {
		const dtrace_probedesc_t *pd = data->dtpda_pdesc;
		snprintf(c->error, sizeof(c->error), "unsupported action %s in record for %s:%s:%s:%s",
		    ht_action_name(rec->dtrd_action, action, sizeof(action)), HT_PROBE_PROVIDER(pd),
		    HT_PROBE_MODULE(pd), HT_PROBE_FUNCTION(pd), HT_PROBE_NAME(pd));
		return DTRACE_CONSUME_ABORT;
	}
	if (!ht_call(c, data->dtpda_pdesc, ht_record_value(c->env, c, rec, data->dtpda_data)))
		return DTRACE_CONSUME_ABORT;
	return DTRACE_CONSUME_NEXT; /* handled here: libdtrace need not print it */
}

napi_value ht_consume(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	napi_valuetype type;
	ht_consumer_t *c = ht_this(env, info, &argc, argv);
	dtrace_workstatus_t status;

	if (c == NULL)
		return NULL;
	if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function)
		return ht_throw(env, 1, "expected function as argument");
	if (c->state != HT_GOING && c->state != HT_STOPPED)
		return ht_throw(env, 0, "couldn't consume: tracing has not started (call go() first)");
	c->env = env;
	c->callback = argv[0];
	c->js_threw = 0;
	c->error[0] = '\0';
	c->outpos = 0;
	if ((c->out = open_memstream(&c->outbuf, &c->outlen)) == NULL)
		return ht_throw(env, 0, "couldn't consume: out of memory");
	status = dtrace_work(c->dtp, c->out, NULL, ht_on_record, c);
	fclose(c->out);
	free(c->outbuf);
	c->out = NULL;
	c->outbuf = NULL;
	c->env = NULL;
	if (c->js_threw)
		return NULL; /* the callback's exception propagates */
	if (c->error[0] != '\0')
		return ht_throw(env, 0, "%s", c->error);
	if (status == DTRACE_WORKSTATUS_ERROR)
		return ht_throw_dtrace(env, c, "couldn't consume");
	return NULL;
}
