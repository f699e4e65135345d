/*
 * One libdtrace consumer (a dtrace_hdl_t) as the addon's files share it: its life-cycle state,
 * the JS callback of the call in progress, and the health events libdtrace's drop and error
 * handlers queued for the next snapshot.
 */
#ifndef HT_CONSUMER_H
#define HT_CONSUMER_H

#include <node_api.h>
#include <stddef.h>
#include <stdio.h>
#include "dtrace-platform.h"

typedef enum ht_state {
	HT_OPEN,    /* dtrace_open() done; options and programs may be given */
	HT_GOING,   /* dtrace_go() done */
	HT_STOPPED, /* dtrace_stop() done; data can still be read */
	HT_CLOSING, /* dtrace_close() running on a worker thread */
	HT_CLOSED
} ht_state_t;

typedef enum ht_health_kind { HT_HEALTH_DROP, HT_HEALTH_ERROR } ht_health_kind_t;

typedef struct ht_health_event {
	ht_health_kind_t kind;
	uint64_t count;
	char message[240];
} ht_health_event_t;

#define HT_PROGRAMS_MAX 16

/* Events kept between two snapshots; more are counted in `lost`, not kept. */
#define HT_HEALTH_MAX 64

typedef struct ht_previous ht_previous_t;

typedef struct ht_consumer {
	dtrace_hdl_t *dtp;
	ht_state_t state;
	int inited;         /* dtrace_init() done (Linux) */
	napi_env env;       /* set during a call that may call back into JS */
	napi_value self;
	napi_value callback;
	int js_threw;       /* the JS callback threw: stop walking, let it propagate */
	char error[512];    /* a walk's own error, when it ended one */
	FILE *out;          /* consume(): printf() output, a memory stream */
	char *outbuf;
	size_t outlen, outpos;
	ht_health_event_t health[HT_HEALTH_MAX];
	int nhealth;
	uint64_t health_lost;
	ht_previous_t *previous; /* snapshot(): cumulative values at the last snapshot */
	dtrace_prog_t *progs[HT_PROGRAMS_MAX]; /* compiled, enabled at go() */
	int nprogs;
} ht_consumer_t;

/* Throws a one-line Error "<what>: <libdtrace's message>" and returns NULL. */
napi_value ht_throw_dtrace(napi_env env, ht_consumer_t *c, const char *what);
/* Throws a one-line Error (or TypeError when type is set) and returns NULL. */
napi_value ht_throw(napi_env env, int type, const char *fmt, ...);
/* The consumer behind `this`, or NULL with an Error thrown when it is closed. */
ht_consumer_t *ht_this(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv);
/* Copies s into buf as one line: newlines become "; ", trailing ones are dropped. */
void ht_one_line(char *buf, size_t size, const char *s);

/* program.c: setopt(), strcompile(), go(), stop(). */
napi_value ht_setopt(napi_env env, napi_callback_info info);
napi_value ht_strcompile(napi_env env, napi_callback_info info);
napi_value ht_go(napi_env env, napi_callback_info info);
napi_value ht_stop(napi_env env, napi_callback_info info);

/* close.c: close() (a Promise; the detach runs on a worker thread), closeSync(), and the release
 * both use: dtrace_stop() when state is HT_GOING, then dtrace_close(). */
napi_value ht_close(napi_env env, napi_callback_info info);
napi_value ht_close_sync(napi_env env, napi_callback_info info);
void ht_release(ht_consumer_t *c, ht_state_t state);

/* health.c: libdtrace's drop and error handlers, and the queue they fill. */
int ht_health_install(ht_consumer_t *c);
napi_value ht_health_take(napi_env env, ht_consumer_t *c);

/* aggwalk.c, snapshot.c */
napi_value ht_aggwalk(napi_env env, napi_callback_info info);
napi_value ht_snapshot(napi_env env, napi_callback_info info);
napi_value ht_aggclear(napi_env env, napi_callback_info info);

/* consume.c */
napi_value ht_consume(napi_env env, napi_callback_info info);

/* previous-values.c: last cumulative buckets per (variable, key), for per-second deltas. */
ht_previous_t *ht_previous_new(void);
void ht_previous_free(ht_previous_t *p);
/* The baseline for this entry, sized n (zeros when new, or when n changed). NULL: out of memory. */
int64_t *ht_previous_get(ht_previous_t *p, const char *key, size_t keysize, int n);

#endif
