/*
 * Options, programs and the trace's life: setopt(), strcompile(), go(), stop(). Programs are
 * compiled at once and enabled at go(), in dtrace(1)'s order (see ht_enable_programs).
 */
#include <stdlib.h>
#include "consumer.h"

/* A string argument into buf; 0, or -1 when it is not a string. */
static int ht_string_arg(napi_env env, napi_value v, char *buf, size_t size)
{
	napi_valuetype type;
	if (napi_typeof(env, v, &type) != napi_ok || type != napi_string)
		return -1;
	napi_get_value_string_utf8(env, v, buf, size, NULL);
	return 0;
}

napi_value ht_setopt(napi_env env, napi_callback_info info)
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

napi_value ht_strcompile(napi_env env, napi_callback_info info)
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

napi_value ht_go(napi_env env, napi_callback_info info)
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

napi_value ht_stop(napi_env env, napi_callback_info info)
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
