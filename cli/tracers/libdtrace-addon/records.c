/*
 * One trace() datum or aggregation key as JS sees it, as node-libdtrace gave it: integers as
 * numbers (64-bit ones may round, as before; snapshot() keys are exact decimal text), strings as
 * strings, and sym()/mod()/usym()/umod()/uaddr() as "module`symbol" text.
 */
#include <stdio.h>
#include <string.h>
#include "records.h"

int ht_record_supported(const dtrace_recdesc_t *rec)
{
	switch (rec->dtrd_action) {
	case DTRACEACT_DIFEXPR:
	case DTRACEACT_SYM:
	case DTRACEACT_MOD:
	case DTRACEACT_USYM:
	case DTRACEACT_UMOD:
	case DTRACEACT_UADDR:
		return 1;
	default:
		return 0;
	}
}

const char *ht_action_name(dtrace_actkind_t action, char *buf, size_t size)
{
	static const struct { dtrace_actkind_t action; const char *name; } names[] = {
		{ DTRACEACT_DIFEXPR, "<DIF expression>" }, { DTRACEACT_EXIT, "exit()" },
		{ DTRACEACT_PRINTF, "printf()" }, { DTRACEACT_PRINTA, "printa()" },
		{ DTRACEACT_USTACK, "ustack()" }, { DTRACEACT_STACK, "stack()" },
		{ DTRACEACT_SYM, "sym()" }, { DTRACEACT_MOD, "mod()" }, { DTRACEACT_USYM, "usym()" },
		{ DTRACEACT_UMOD, "umod()" }, { DTRACEACT_UADDR, "uaddr()" },
		{ HT_AGG_COUNT, "count()" }, { HT_AGG_MIN, "min()" }, { HT_AGG_MAX, "max()" },
		{ HT_AGG_AVG, "avg()" }, { HT_AGG_SUM, "sum()" }, { HT_AGG_STDDEV, "stddev()" },
		{ HT_AGG_QUANTIZE, "quantize()" }, { HT_AGG_LQUANTIZE, "lquantize()" },
		{ HT_AGG_LLQUANTIZE, "llquantize()" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].action == action)
			return names[i].name;
	snprintf(buf, size, "<unknown action 0x%x>", (unsigned)action);
	return buf;
}

/* sym(): "mod`sym" without "+0x.."; mod(): the part before the tick, or "<unknown>". */
static void ht_address_text(ht_consumer_t *c, const dtrace_recdesc_t *rec, const char *addr, char *buf, size_t size)
{
	const uint64_t *words = (const uint64_t *)addr;
	char *cut;

	buf[0] = '\0';
	if (DTRACEACT_CLASS(rec->dtrd_action) == DTRACEACT_KERNEL)
		dtrace_addr2str(c->dtp, words[0], buf, (int)size - 1);
	else
		dtrace_uaddr2str(c->dtp, (pid_t)words[0], words[1], buf, (int)size - 1);

	if (rec->dtrd_action == DTRACEACT_MOD || rec->dtrd_action == DTRACEACT_UMOD) {
		if ((cut = strchr(buf, '`')) == NULL)
			snprintf(buf, size, "<unknown>");
		else
			*cut = '\0';
	} else if (rec->dtrd_action == DTRACEACT_SYM || rec->dtrd_action == DTRACEACT_USYM) {
		if ((cut = strrchr(buf, '+')) != NULL)
			*cut = '\0';
	}
}

int ht_record_decode(ht_consumer_t *c, const dtrace_recdesc_t *rec, const char *addr, int64_t *n, char *buf, size_t size)
{
	if (rec->dtrd_action != DTRACEACT_DIFEXPR) {
		ht_address_text(c, rec, addr, buf, size);
		return 0;
	}
	switch (rec->dtrd_size) {
	case sizeof(int64_t): *n = *(const int64_t *)addr; return 1;
	case sizeof(int32_t): *n = *(const int32_t *)addr; return 1;
	case sizeof(uint16_t): *n = *(const uint16_t *)addr; return 1;
	case sizeof(uint8_t): *n = *(const uint8_t *)addr; return 1;
	default:
		snprintf(buf, size, "%.*s", (int)strnlen(addr, rec->dtrd_size), addr);
		return 0;
	}
}

napi_value ht_record_value(napi_env env, ht_consumer_t *c, const dtrace_recdesc_t *rec, const char *addr)
{
	char buf[2048];
	int64_t n;
	napi_value v;

	if (ht_record_decode(c, rec, addr, &n, buf, sizeof(buf)))
		napi_create_int64(env, n, &v);
	else
		napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &v);
	return v;
}

void ht_record_text(ht_consumer_t *c, const dtrace_recdesc_t *rec, const char *addr, char *buf, size_t size)
{
	int64_t n;

	if (ht_record_decode(c, rec, addr, &n, buf, size))
		snprintf(buf, size, "%lld", (long long)n);
}
