/*
 * intern.c: the table of shared strings (see intern.h).
 *
 * Owns one hash table, chained, of entries that carry their reference
 * count, length and hash in front of the bytes, so intern_put() finds its
 * entry from the string itself.  The table grows when it holds more
 * strings than buckets and shrinks when it holds fewer than an eighth, and
 * is freed when empty: what it costs follows the rows.  The hash is keyed
 * with a random seed, so a camera cannot choose strings that share a
 * chain.  Main thread only.
 */
#include <sys/random.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/intern.h"

#define BUCKETS_MIN 256

struct ient {
	struct ient *next; /* same bucket */
	size_t hash;
	uint32_t refs;
	uint32_t len; /* bytes in s, the trailing NUL not counted */
	char s[];
};

static struct {
	struct ient **bucket;
	size_t n_buckets; /* a power of two; 0: no table */
	size_t count, bytes;
	size_t seed;
	bool seeded;
} I;

static const char empty[1];

static struct ient *
entry_of(const char *s)
{
	return (struct ient *)(void *)(s - offsetof(struct ient, s));
}

static size_t
hash_of(const unsigned char *p, size_t len)
{
	size_t i, x = I.seed;

	for (i = 0; i < len; i++)
		x = (x ^ p[i]) * 1099511628211u; /* FNV-1a, keyed */
	return x ^ (x >> 29);
}

/* Rehash into n buckets; on failure keep the old ones (longer chains). */
static int
resize(size_t n)
{
	struct ient **nb, *e, *next;
	size_t i;

	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		return -1;
	for (i = 0; i < I.n_buckets; i++)
		for (e = I.bucket[i]; e != NULL; e = next) {
			next = e->next;
			e->next = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	free(I.bucket);
	I.bucket = nb;
	I.n_buckets = n;
	return 0;
}

static int
table_init(void)
{
	if (!I.seeded) {
		if (getrandom(&I.seed, sizeof(I.seed), GRND_NONBLOCK) !=
		    (ssize_t)sizeof(I.seed))
			I.seed = (size_t)&I ^ (size_t)0xcbf29ce484222325ULL;
		I.seeded = true;
	}
	return resize(BUCKETS_MIN);
}

const char *
intern_mem(const void *p, size_t len)
{
	struct ient *e, **head;
	size_t h;

	if (len == 0 || len >= UINT32_MAX ||
	    (I.n_buckets == 0 && table_init() != 0))
		return empty;
	h = hash_of(p, len);
	head = &I.bucket[h & (I.n_buckets - 1)];
	for (e = *head; e != NULL; e = e->next)
		if (e->hash == h && e->len == len &&
		    memcmp(e->s, p, len) == 0) {
			e->refs++;
			return e->s;
		}
	if ((e = malloc(offsetof(struct ient, s) + len + 1)) == NULL)
		return empty;
	e->hash = h;
	e->refs = 1;
	e->len = (uint32_t)len;
	memcpy(e->s, p, len);
	e->s[len] = '\0';
	e->next = *head;
	*head = e;
	I.count++;
	I.bytes += len;
	if (I.count > I.n_buckets)
		resize(I.n_buckets * 2);
	return e->s;
}

const char *
intern_get(const char *s)
{
	return s != NULL ? intern_mem(s, strlen(s)) : empty;
}

void
intern_put(const char *s)
{
	struct ient *e, **pp;

	if (s == NULL || s == empty)
		return;
	e = entry_of(s);
	if (--e->refs > 0)
		return;
	for (pp = &I.bucket[e->hash & (I.n_buckets - 1)]; *pp != e;
	     pp = &(*pp)->next)
		;
	*pp = e->next;
	I.count--;
	I.bytes -= e->len;
	free(e);
	if (I.count == 0) {
		free(I.bucket);
		I.bucket = NULL;
		I.n_buckets = 0;
	} else if (I.n_buckets > BUCKETS_MIN && I.count < I.n_buckets / 8)
		resize(I.n_buckets / 2);
}

size_t
intern_len(const char *s)
{
	return s == NULL || s == empty ? 0 : entry_of(s)->len;
}

size_t
intern_count(size_t *bytes)
{
	if (bytes != NULL)
		*bytes = I.bytes;
	return I.count;
}
