/*
 * The cumulative buckets of each (aggregation variable, key) at the last snapshot. Linux DTrace
 * keeps aggregations cumulative in BPF maps; a snapshot reports this second's counts as the
 * difference, so no event is lost between reading an entry and clearing it (a walk that deletes
 * map entries loses what lands between its read and its delete).
 */
#include <stdlib.h>
#include <string.h>
#include "consumer.h"

typedef struct ht_entry {
	struct ht_entry *next;
	char *key;
	size_t keysize;
	int n;
	int64_t *values;
} ht_entry_t;

struct ht_previous {
	ht_entry_t **slots;
	size_t nslots;
	size_t count;
};

static uint64_t ht_hash(const char *key, size_t size)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < size; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	return h;
}

ht_previous_t *ht_previous_new(void)
{
	ht_previous_t *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->nslots = 256;
	p->slots = calloc(p->nslots, sizeof(*p->slots));
	if (p->slots == NULL) {
		free(p);
		return NULL;
	}
	return p;
}

void ht_previous_free(ht_previous_t *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nslots; i++) {
		for (ht_entry_t *e = p->slots[i], *next; e != NULL; e = next) {
			next = e->next;
			free(e->key);
			free(e->values);
			free(e);
		}
	}
	free(p->slots);
	free(p);
}

/* Doubles the table when it averages two entries a slot. */
static void ht_grow(ht_previous_t *p)
{
	size_t nslots = p->nslots * 2;
	ht_entry_t **slots = calloc(nslots, sizeof(*slots));
	if (slots == NULL)
		return; /* keep the longer chains */
	for (size_t i = 0; i < p->nslots; i++) {
		for (ht_entry_t *e = p->slots[i], *next; e != NULL; e = next) {
			size_t s = ht_hash(e->key, e->keysize) % nslots;
			next = e->next;
			e->next = slots[s];
			slots[s] = e;
		}
	}
	free(p->slots);
	p->slots = slots;
	p->nslots = nslots;
}

static ht_entry_t *ht_add(ht_previous_t *p, const char *key, size_t keysize, size_t slot)
{
	ht_entry_t *e = calloc(1, sizeof(*e));
	if (e == NULL || (e->key = malloc(keysize ? keysize : 1)) == NULL) {
		free(e);
		return NULL;
	}
	memcpy(e->key, key, keysize);
	e->keysize = keysize;
	e->next = p->slots[slot];
	p->slots[slot] = e;
	p->count++;
	return e;
}

int64_t *ht_previous_get(ht_previous_t *p, const char *key, size_t keysize, int n)
{
	size_t slot = ht_hash(key, keysize) % p->nslots;
	ht_entry_t *e;

	for (e = p->slots[slot]; e != NULL; e = e->next)
		if (e->keysize == keysize && memcmp(e->key, key, keysize) == 0)
			break;
	if (e == NULL) {
		if (p->count >= p->nslots * 2) {
			ht_grow(p);
			slot = ht_hash(key, keysize) % p->nslots;
		}
		if ((e = ht_add(p, key, keysize, slot)) == NULL)
			return NULL;
	}
	if (e->n != n) {
		free(e->values);
		if ((e->values = calloc(n ? n : 1, sizeof(int64_t))) == NULL) {
			e->n = 0;
			return NULL;
		}
		e->n = n;
	}
	return e->values;
}
