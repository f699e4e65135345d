/*
 * heat-tracer's libdtrace binding, on Node-API: the Consumer class and its life cycle.
 *   new Consumer()        dtrace_open(), bufsize and aggsize 4m (node-libdtrace's defaults)
 *   setopt(name, value?)  strcompile(program)  go()  stop()  version()  aggmin()  aggmax()
 *   close(): Promise      dtrace_stop() + dtrace_close() on a worker thread: detaching many
 *                         probes takes the kernel a minute (720 syscall probes: ~55 s)
 *   closeSync()           the same on this thread
 * consume / aggwalk / snapshot / aggclear: consume.c, aggregations.c. Every libdtrace failure is a
 * thrown one-line Error; a consumer left open is closed when Node's environment shuts down.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "consumer.h"

void ht_one_line(char *buf, size_t size, const char *s)
{
	size_t j = 0;

	for (; *s != '\0' && j + 3 < size; s++) {
		if (*s != '\n') {
			buf[j++] = *s;
		} else if (s[1] != '\0' && s[1] != '\n' && j > 0) {
			buf[j++] = ';';
			buf[j++] = ' ';
		}
	}
	buf[j] = '\0';
}

napi_value ht_throw(napi_env env, int type, const char *fmt, ...)
{
	char raw[1024], line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	ht_one_line(line, sizeof(line), raw);
	if (type)
		napi_throw_type_error(env, NULL, line);
	else
		napi_throw_error(env, NULL, line);
	return NULL;
}

napi_value ht_throw_dtrace(napi_env env, ht_consumer_t *c, const char *what)
{
	return ht_throw(env, 0, "%s: %s", what, dtrace_errmsg(c->dtp, dtrace_errno(c->dtp)));
}

ht_consumer_t *ht_this(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv)
{
	ht_consumer_t *c = NULL;
	napi_value self;

	if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok ||
	    napi_unwrap(env, self, (void **)&c) != napi_ok || c == NULL) {
		ht_throw(env, 1, "not a Consumer");
		return NULL;
	}
	if (c->state == HT_CLOSING || c->state == HT_CLOSED) {
		ht_throw(env, 0, "the consumer is closed");
		return NULL;
	}
	c->self = self;
	return c;
}

/* dtrace_stop() if tracing, then dtrace_close(). Runs on any one thread; the handle is not shared. */
static void ht_release(ht_consumer_t *c, ht_state_t state)
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

/* A string argument into buf; 0, or -1 when it is not a string. */
static int ht_string_arg(napi_env env, napi_value v, char *buf, size_t size)
{
	napi_valuetype type;
	if (napi_typeof(env, v, &type) != napi_ok || type != napi_string)
		return -1;
	napi_get_value_string_utf8(env, v, buf, size, NULL);
	return 0;
}

static napi_value ht_setopt(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], text;
	char option[256], value[256];
	napi_valuetype type = napi_undefined;
	ht_consumer_t *c = ht_this(env, info, &argc, argv);

	if (c == NULL)
		return NULL;
	if (argc < 1 || ht_string_arg(env, argv[0], option, sizeof(option)) != 0)
		return ht_throw(env, 1, "expected an option to set");
	if (argc >= 2)
		napi_typeof(env, argv[1], &type);
	if (type == napi_object || type == napi_function)
		return ht_throw(env, 1, "option value can't be an %s", type == napi_object ? "object or array" : "function");
	if (type != napi_undefined) {
		napi_coerce_to_string(env, argv[1], &text);
		napi_get_value_string_utf8(env, text, value, sizeof(value), NULL);
	}
	if (dtrace_setopt(c->dtp, option, type == napi_undefined ? NULL : value) != 0)
		return ht_throw(env, 0, "couldn't set option '%s': %s", option, dtrace_errmsg(c->dtp, dtrace_errno(c->dtp)));
	return NULL;
}

/* Once, after the options: dtrace_init() (Linux; it loads the BPF library and the providers). */
static int ht_prepare(napi_env env, ht_consumer_t *c)
{
	if (c->inited)
		return 0;
	if (HT_DTRACE_INIT(c->dtp) != 0) {
		ht_throw_dtrace(env, c, "couldn't initialize DTrace");
		return -1;
	}
	c->inited = 1;
	return 0;
}

/*
 * At go(), in dtrace(1)'s order: the drop and error handlers (the latter compiles and enables a
 * dtrace:::ERROR clause) after the programs are compiled and before they are enabled. Linux
 * DTrace 2.0 corrupts its heap ("double free or corruption", or a crash in libctf's
 * ctf_rollback) at dtrace_go() for programs of three or more clauses when the ERROR clause was
 * compiled first, or enabled before them; dtrace(1)'s order does not.
 */
static int ht_enable_programs(napi_env env, ht_consumer_t *c)
{
	dtrace_proginfo_t pinfo;

	if (ht_health_install(c) != 0) {
		ht_throw_dtrace(env, c, "couldn't install the drop and error handlers");
		return -1;
	}
	for (int i = 0; i < c->nprogs; i++) {
		if (dtrace_program_exec(c->dtp, c->progs[i], &pinfo) == -1) {
			ht_throw_dtrace(env, c, "couldn't execute the D program");
			return -1;
		}
	}
	return 0;
}

static napi_value ht_strcompile(napi_env env, napi_callback_info info)
{
	size_t argc = 1, len;
	napi_value argv[1];
	dtrace_prog_t *prog;
	char *program;
	ht_consumer_t *c = ht_this(env, info, &argc, argv);
	napi_valuetype type;

	if (c == NULL)
		return NULL;
	if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_string)
		return ht_throw(env, 1, "expected program");
	if (c->state != HT_OPEN)
		return ht_throw(env, 0, "couldn't compile: tracing has already started");
	if (ht_prepare(env, c) != 0)
		return NULL;
	napi_get_value_string_utf8(env, argv[0], NULL, 0, &len);
	if ((program = malloc(len + 1)) == NULL)
		return ht_throw(env, 0, "out of memory");
	napi_get_value_string_utf8(env, argv[0], program, len + 1, NULL);
	if (c->nprogs == HT_PROGRAMS_MAX) {
		free(program);
		return ht_throw(env, 0, "couldn't compile: at most %d programs per consumer", HT_PROGRAMS_MAX);
	}
	prog = dtrace_program_strcompile(c->dtp, program, DTRACE_PROBESPEC_NAME, 0, 0, NULL);
	free(program);
	if (prog == NULL)
		return ht_throw_dtrace(env, c, "couldn't compile the D program");
	c->progs[c->nprogs++] = prog; /* enabled at go(): see ht_enable_programs */
	return NULL;
}

static napi_value ht_go(napi_env env, napi_callback_info info)
{
	char why[256];
	size_t argc = 0;
	ht_consumer_t *c = ht_this(env, info, &argc, NULL);

	if (c == NULL)
		return NULL;
	if (c->state != HT_OPEN)
		return ht_throw(env, 0, "couldn't enable tracing: it has already started");
	if (ht_prepare(env, c) != 0 || ht_enable_programs(env, c) != 0)
		return NULL;
	if (HT_BEFORE_GO(why, sizeof(why)) != 0)
		return ht_throw(env, 0, "couldn't enable tracing: %s", why);
	if (HT_DTRACE_GO(c->dtp) == -1)
		return ht_throw_dtrace(env, c, "couldn't enable tracing");
	c->state = HT_GOING;
	HT_TRACED_BEGIN();
	return NULL;
}

static napi_value ht_stop(napi_env env, napi_callback_info info)
{
	size_t argc = 0;
	ht_consumer_t *c = ht_this(env, info, &argc, NULL);

	if (c == NULL || c->state != HT_GOING)
		return NULL;
	if (dtrace_stop(c->dtp) == -1)
		return ht_throw_dtrace(env, c, "couldn't disable tracing");
	c->state = HT_STOPPED;
	return NULL;
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

static napi_value ht_close(napi_env env, napi_callback_info info)
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

static napi_value ht_close_sync(napi_env env, napi_callback_info info)
{
	size_t argc = 0;
	ht_consumer_t *c = ht_this(env, info, &argc, NULL);

	if (c != NULL) {
		ht_release(c, c->state);
		c->state = HT_CLOSED;
	}
	return NULL;
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
