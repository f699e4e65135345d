/* One-line errors for JS, and the consumer behind `this` (every method starts there). */
#include <stdarg.h>
#include <stdio.h>
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
