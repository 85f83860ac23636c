/*
 * store.c: the devices camcomplyd knows, their stable indexes, and the
 * changes worth a notification.
 *
 * Owns struct device lifetimes (the MIB only points at them), index
 * allocation (never reused, kept across restarts through the state file),
 * the verdict bookkeeping that decides which traps fire, and the summary
 * counts.  Main thread only; no Net-SNMP here, the MIB is reached through
 * store_hooks.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/store.h"
#include "agent/store_int.h"

static int
cmp_key(const void *a, const void *b)
{
	const struct device *const *da = a, *const *db = b;

	return strcmp((*da)->key, (*db)->key);
}

/* The by-key index is rebuilt after changes, so lookups are O(log n). */
void
store_reindex(struct store *s)
{
	memcpy(s->by_key, s->devs, s->n * sizeof(*s->devs));
	qsort(s->by_key, s->n, sizeof(*s->by_key), cmp_key);
	s->n_keyed = s->n;
}

/* Where key goes in by_key[0..n_keyed): the first entry not below it. */
static size_t
key_slot(const struct store *s, const char *key)
{
	size_t lo = 0, hi = s->n_keyed;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->by_key[mid]->key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * One row added (after store_insert) or about to go or change its key:
 * keep by_key sorted with one memmove, O(n), where a re-sort costs
 * O(n log n) key comparisons, too slow per sighting on a table of 100,000.
 * Out of step (several rows changed): sort once.
 */
void
store_key_insert(struct store *s, struct device *d)
{
	size_t i;

	if (s->n_keyed + 1 != s->n) {
		store_reindex(s);
		return;
	}
	i = key_slot(s, d->key);
	memmove(&s->by_key[i + 1], &s->by_key[i],
	    (s->n_keyed - i) * sizeof(*s->by_key));
	s->by_key[i] = d;
	s->n_keyed++;
}

void
store_key_remove(struct store *s, const struct device *d)
{
	size_t i;

	if (s->n_keyed != s->n)
		store_reindex(s);
	i = key_slot(s, d->key);
	/* Keys are unique; were they ever not, a scan still finds d. */
	if (i == s->n_keyed || s->by_key[i] != d)
		for (i = 0; i < s->n_keyed && s->by_key[i] != d; i++)
			;
	if (i == s->n_keyed)
		return;
	memmove(&s->by_key[i], &s->by_key[i + 1],
	    (s->n_keyed - i - 1) * sizeof(*s->by_key));
	s->n_keyed--;
}

struct device *
store_find_key(struct store *s, const char *key)
{
	struct device probe, *pp = &probe, **hit;

	probe.key = key;
	hit = bsearch(&pp, s->by_key, s->n_keyed, sizeof(*s->by_key), cmp_key);
	return hit != NULL ? *hit : NULL;
}

struct store *
store_new(const struct store_hooks *hooks)
{
	struct store *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if (hooks != NULL)
		s->hooks = *hooks;
	s->next_index = 1;
	return s;
}

void
store_free(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	/* Last row first: the MIB's sorted array drops its tail in O(1). */
	for (i = s->n; i > 0; i--) {
		if (s->hooks.row_removed != NULL)
			s->hooks.row_removed(s->devs[i - 1], s->hooks.arg);
		store_row_free(s->devs[i - 1]);
	}
	free(s->devs);
	free(s->by_key);
	free(s);
}

/* Devices stay sorted by index: indexes only grow, so append keeps order. */
struct device *
store_insert(struct store *s, const char *key, uint32_t index)
{
	struct device *d, **nd, **nk;
	size_t i;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		if ((nd = realloc(s->devs, cap * sizeof(*nd))) == NULL)
			return NULL;
		s->devs = nd;
		if ((nk = realloc(s->by_key, cap * sizeof(*nk))) == NULL)
			return NULL;
		s->by_key = nk;
		s->cap = cap;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	store_row_init(d);
	row_set_own(&d->key, key);
	if (d->key[0] == '\0') { /* out of memory, or no key at all */
		store_row_free(d);
		return NULL;
	}
	d->index = index ? index : s->next_index;
	if (d->index >= s->next_index)
		s->next_index = d->index + 1;
	d->poll_status = POLL_PENDING;
	/* Loaded indexes may arrive in any order: insert in place. */
	for (i = s->n; i > 0 && s->devs[i - 1]->index > d->index; i--)
		s->devs[i] = s->devs[i - 1];
	s->devs[i] = d;
	s->n++;
	if (s->hooks.row_added != NULL)
		s->hooks.row_added(d, s->hooks.arg);
	return d;
}

void
store_remove_at(struct store *s, size_t i)
{
	struct device *d = s->devs[i];

	if (s->hooks.row_removed != NULL)
		s->hooks.row_removed(d, s->hooks.arg);
	memmove(
	    &s->devs[i], &s->devs[i + 1], (s->n - i - 1) * sizeof(*s->devs));
	s->n--;
	store_row_free(d);
}

static void
set_config(struct device *d, const struct cfg_camera *c)
{
	d->configured = true;
	if (d->method == 0)
		d->method = DISC_CONFIGURED;
	row_set_shared(&d->credentials, c->credentials);
	row_set_shared(&d->site_cfg, c->site);
	row_set_shared(&d->zone_cfg, c->zone);
	d->probe_cfg = c->probe;
	d->probe_ports = c->ports;
	/* tls-pin: the operator vouches for this certificate. */
	if (c->has_pin) {
		if (!d->has_pin || memcmp(d->tls_pin, c->tls_pin, 32) != 0)
			d->cert_alarm = false;
		memcpy(d->tls_pin, c->tls_pin, sizeof(d->tls_pin));
		d->has_pin = d->pin_cfg = true;
	}
}

struct device *
store_add_camera(struct store *s, const struct cfg_camera *c, time_t now)
{
	struct device *d = store_find_key(s, c->url);

	if (d == NULL) {
		if ((d = store_insert(s, c->url, 0)) == NULL)
			return NULL;
		d->first_seen = now;
		store_reindex(s);
	}
	set_config(d, c);
	return d;
}

/* Taken out of the config, not found by discovery, not being polled. */
bool
store_removable(const struct device *d)
{
	return !d->configured && d->method <= DISC_CONFIGURED && !d->in_flight;
}

/*
 * One sort before and one after, so a config of 10,000 cameras costs
 * O(n log n).  config_read() has refused duplicate URLs, so a camera added
 * in this pass never needs to be found again in the same pass.
 */
void
store_sync_config(struct store *s, const struct config *cfg, time_t now)
{
	struct device *d;
	size_t i;

	store_reindex(s);
	for (i = 0; i < s->n; i++) {
		d = s->devs[i];
		d->configured = false;
		d->pin_cfg = false;
		/* Discovered rows stay, with discovery's credentials. */
		d->probe_cfg = CFG_PROBE_UNSET;
		memset(&d->probe_ports, 0, sizeof(d->probe_ports));
		if (d->method > DISC_CONFIGURED) {
			row_set_shared(&d->credentials, cfg->disc.credentials);
			row_set_shared(&d->site_cfg, "");
			row_set_shared(&d->zone_cfg, "");
		}
	}
	for (i = 0; i < cfg->n_cameras; i++) {
		d = store_find_key(s, cfg->cameras[i].url);
		if (d == NULL) {
			if ((d = store_insert(s, cfg->cameras[i].url, 0)) ==
			    NULL)
				continue;
			d->first_seen = now;
		}
		set_config(d, &cfg->cameras[i]);
	}
	/* A camera taken out of the config leaves the table (not in flight). */
	for (i = s->n; i > 0; i--)
		if (store_removable(s->devs[i - 1]))
			store_remove_at(s, i - 1);
	store_reindex(s);
}

struct device *
store_find(struct store *s, uint32_t index)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->devs[mid]->index == index)
			return s->devs[mid];
		if (s->devs[mid]->index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct device *
store_next_after(struct store *s, uint32_t index)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->devs[mid]->index <= index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n ? s->devs[lo] : NULL;
}

size_t
store_count(const struct store *s)
{
	return s->n;
}

struct device *
store_at(struct store *s, size_t i)
{
	return i < s->n ? s->devs[i] : NULL;
}

void
store_counts(const struct store *s, struct store_counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < s->n; i++) {
		const struct device *d = s->devs[i];
		c->total++;
		if (d->method > DISC_CONFIGURED)
			c->discovered++;
		/* ONVIF timed out or was unreachable, and no collector
		 * answered (store_apply). */
		if (!d->reachable && d->poll_status != POLL_PENDING)
			c->unreachable++;
		switch (d->verdict.verdict) {
		case VERDICT_COMPLIANT:
			c->compliant++;
			/* A zone rule on its maker's jurisdiction wants it off
			 * the core network: it counts there as restricted. */
			if (d->verdict.action != ACTION_NONE &&
			    d->verdict.zone == ZONE_CORE)
				c->restricted_core++;
			break;
		case VERDICT_RESTRICTED:
			c->restricted++;
			/* A waiver in force takes a camera out of the alarms.
			 */
			if (d->verdict.action == ACTION_NONE)
				break;
			if (d->verdict.zone == ZONE_SENSITIVE)
				c->restricted_sensitive++;
			else if (d->verdict.zone == ZONE_CORE)
				c->restricted_core++;
			break;
		default:
			c->unidentified++;
			break;
		}
	}
}
