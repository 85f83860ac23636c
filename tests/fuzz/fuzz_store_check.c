/*
 * fuzz_store_check.c: the store's invariants (fuzz_store.h), read from its
 * insides (agent/store_int.h) and through its public lookups alike.
 */
#include <string.h>
#include <strings.h>

#include "agent/store_int.h"
#include "common/intern.h"

#include "fuzz.h"
#include "fuzz_store.h"

static void
check_own_str(const char *s, size_t max)
{
	FUZZ_CHECK(s != NULL);
	FUZZ_CHECK(strnlen(s, max) < max);
}

/* The facts as a row keeps them: what a collector could have added. */
static void
check_row_facts(const struct device *d)
{
	static struct cam_facts fs;

	FUZZ_CHECK(d->id.n_facts <= CAM_FACTS_MAX);
	FUZZ_CHECK(d->id.n_facts == 0 || d->id.facts != NULL);
	row_facts_get(&d->id, &fs);
	fuzz_check_facts(&fs);
}

static void
check_row_strings(const struct device *d)
{
	const char *sc;
	size_t i, packed = 0;

	check_own_str(d->key, CAM_STR_MAX);
	FUZZ_CHECK(d->key[0] != '\0');
	check_own_str(d->credentials, CAM_STR_MAX);
	check_own_str(d->site_cfg, CAM_STR_MAX);
	check_own_str(d->zone_cfg, CAM_STR_MAX);
	check_own_str(d->poll_detail, CAM_STR_MAX);
	check_own_str(d->id.manufacturer, CAM_STR_MAX);
	check_own_str(d->id.model, CAM_STR_MAX);
	check_own_str(d->id.firmware, CAM_STR_MAX);
	check_own_str(d->id.hardware_id, CAM_STR_MAX);
	check_own_str(d->id.serial, CAM_STR_MAX);
	check_own_str(d->id.hostname, CAM_STR_MAX);
	check_own_str(d->id.endpoint, CAM_STR_MAX);
	check_own_str(d->id.address, CAM_ADDR_MAX);
	check_own_str(d->verdict.maker, CAM_STR_MAX);
	check_own_str(d->verdict.reason, CAM_STR_MAX);
	FUZZ_CHECK(d->id.n_scopes <= CAM_SCOPES_MAX);
	FUZZ_CHECK(d->id.n_macs <= CAM_MACS_MAX);
	FUZZ_CHECK(d->id.scopes != NULL);
	for (i = 0, sc = d->id.scopes; i < d->id.n_scopes;
	     i++, sc = row_scope_next(sc)) {
		check_own_str(sc, CAM_STR_MAX);
		packed += strlen(sc) + 1;
	}
	if (d->id.n_scopes > 0)
		FUZZ_CHECK(intern_len(d->id.scopes) == packed);
	check_row_facts(d);
}

static void
check_row(struct store *s, size_t i)
{
	struct device *d = s->devs[i];

	FUZZ_CHECK(d != NULL);
	FUZZ_CHECK(d->index >= 1 && d->index < s->next_index);
	if (i > 0)
		FUZZ_CHECK(s->devs[i - 1]->index < d->index);
	FUZZ_CHECK(store_find(s, d->index) == d);
	FUZZ_CHECK(store_at(s, i) == d);
	FUZZ_CHECK(store_next_after(s, i > 0 ? s->devs[i - 1]->index : 0) == d);
	FUZZ_CHECK(store_find_key(s, d->key) == d);
	FUZZ_CHECK(d->poll_status >= 0 && d->poll_status <= POLL_PENDING);
	FUZZ_CHECK((int)d->method >= 0 && d->method <= DISC_METHOD_MAX);
	check_row_strings(d);
}

static void
check_counts(const struct store *s)
{
	struct store_counts c;
	unsigned discovered = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		discovered += s->devs[i]->method > DISC_CONFIGURED;
	store_counts(s, &c);
	FUZZ_CHECK(c.total == s->n && store_count(s) == s->n);
	FUZZ_CHECK(c.compliant + c.restricted + c.unidentified == c.total);
	FUZZ_CHECK(c.restricted_sensitive + c.restricted_core <= c.restricted);
	FUZZ_CHECK(c.unreachable <= c.total);
	FUZZ_CHECK(c.discovered == discovered);
}

void
fuzz_store_check(struct store *s, bool one_endpoint)
{
	size_t i, j;

	FUZZ_CHECK(s->n <= s->cap);
	FUZZ_CHECK(s->n_keyed == s->n);
	for (i = 1; i < s->n_keyed; i++)
		FUZZ_CHECK(
		    strcmp(s->by_key[i - 1]->key, s->by_key[i]->key) < 0);
	for (i = 0; i < s->n; i++)
		check_row(s, i);
	FUZZ_CHECK(store_next_after(
		       s, s->n > 0 ? s->devs[s->n - 1]->index : 0) == NULL);
	check_counts(s);
	if (!one_endpoint)
		return;
	for (i = 0; i < s->n; i++) {
		const char *e = s->devs[i]->id.endpoint;
		if (e[0] == '\0')
			continue;
		for (j = i + 1; j < s->n; j++)
			FUZZ_CHECK(strcasecmp(e, s->devs[j]->id.endpoint) != 0);
	}
}

void
fuzz_intern_check(void)
{
	FUZZ_CHECK(intern_count(NULL) == 0);
}
