/* Trace records and aggregation keys as JS values or text (records.c). */
#ifndef HT_RECORDS_H
#define HT_RECORDS_H

#include "consumer.h"

/* True for the record kinds a key or trace() datum may be: DIF expressions and symbols. */
int ht_record_supported(const dtrace_recdesc_t *rec);
/* "quantize()", "stack()", ... for messages. */
const char *ht_action_name(dtrace_actkind_t action, char *buf, size_t size);
/* 1 with *n set for an integer, 0 with the text in buf for a string or symbol. */
int ht_record_decode(ht_consumer_t *c, const dtrace_recdesc_t *rec, const char *addr, int64_t *n, char *buf, size_t size);
napi_value ht_record_value(napi_env env, ht_consumer_t *c, const dtrace_recdesc_t *rec, const char *addr);
/* Integers as exact decimal text. */
void ht_record_text(ht_consumer_t *c, const dtrace_recdesc_t *rec, const char *addr, char *buf, size_t size);

#endif
