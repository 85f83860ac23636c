/*
 * store_row.c: a row's strings in their compact form.
 *
 * Owns the conversion between struct device's compact fields and the
 * fixed-size records a poll (struct cam_identity) and the policy engine
 * (struct policy_result) use, and the strings' lifetimes: a row's own
 * strings are allocated at their length, shared ones are references into
 * common/intern.c, and a row gives all of them back when it goes.  A row
 * is 424 bytes and its own strings instead of 11.8 KB: the records have
 * room for 255 bytes in every string and for 32 scopes, and a camera
 * fills a few of them with a few dozen bytes.
 * Main thread only, as the store and the intern table are.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/store.h"
#include "agent/store_int.h"
#include "common/intern.h"
#include "common/strutil.h"

/* An own string that is empty: no allocation, nothing to free. */
static const char none[1];

static size_t
bounded_len(const char *s)
{
	return strnlen(s, CAM_STR_MAX - 1);
}

void
row_set_own(const char **field, const char *s)
{
	size_t len = bounded_len(s);
	char *copy;

	if (strncmp(*field, s, len) == 0 && (*field)[len] == '\0')
		return;
	if (len == 0 || (copy = malloc(len + 1)) == NULL)
		copy = (char *)none; /* out of memory: the value is lost */
	else {
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	if (*field != none)
		free((char *)*field);
	*field = copy;
}

void
row_set_shared(const char **field, const char *s)
{
	size_t len = bounded_len(s);
	const char *old = *field;

	if (strncmp(old, s, len) == 0 && old[len] == '\0')
		return;
	*field = intern_mem(s, len);
	intern_put(old);
}

/*
 * The list packed as "a\0b\0c\0" and interned whole: the cameras of one
 * model and site send the same list, so they share one copy.
 */
void
row_set_scopes(
    struct row_identity *id, const char (*scopes)[CAM_STR_MAX], size_t n)
{
	char packed[CAM_SCOPES_MAX * CAM_STR_MAX];
	const char *old = id->scopes;
	size_t i, o = 0, len;

	if (n > CAM_SCOPES_MAX)
		n = CAM_SCOPES_MAX;
	for (i = 0; i < n; i++) {
		len = bounded_len(scopes[i]);
		memcpy(packed + o, scopes[i], len);
		packed[o + len] = '\0';
		o += len + 1;
	}
	id->scopes = intern_mem(packed, o);
	/* Out of memory: no scopes, rather than a count without them. */
	id->n_scopes = intern_len(id->scopes) == o ? (uint8_t)n : 0;
	intern_put(old);
}

void
row_set_facts(struct row_identity *id, const struct cam_facts *fs)
{
	char packed[CAM_FACTS_MAX * (CAM_FACT_MAX + 2)];
	const char *old = id->facts;
	size_t i, o = 0, len, n = fs->n < CAM_FACTS_MAX ? fs->n : CAM_FACTS_MAX;

	for (i = 0; i < n; i++) {
		len = strnlen(fs->f[i].text, CAM_FACT_MAX - 1);
		packed[o++] = (char)(fs->f[i].kind + 1);
		packed[o++] = (char)(fs->f[i].probe + 1);
		memcpy(packed + o, fs->f[i].text, len);
		packed[o + len] = '\0';
		o += len + 1;
	}
	id->facts = intern_mem(packed, o);
	id->n_facts = intern_len(id->facts) == o ? (uint8_t)n : 0;
	id->facts_tried = (uint8_t)fs->tried;
	id->facts_answered = (uint8_t)fs->answered;
	intern_put(old);
}

void
row_facts_get(const struct row_identity *id, struct cam_facts *fs)
{
	const char *p = id->facts;
	size_t i;

	memset(fs, 0, sizeof(*fs));
	fs->tried = id->facts_tried;
	fs->answered = id->facts_answered;
	for (i = 0; i < id->n_facts; i++, p += strlen(p) + 1) {
		fs->f[i].kind = (uint8_t)(p[0] - 1);
		fs->f[i].probe = (uint8_t)(p[1] - 1);
		p += 2;
		str_lcpy(fs->f[i].text, p, CAM_FACT_MAX);
	}
	fs->n = id->n_facts;
}

const char *
row_scope(const struct row_identity *id, size_t i)
{
	const char *p = id->scopes;

	while (i-- > 0)
		p += strlen(p) + 1;
	return p;
}

void
row_identity_set(struct row_identity *id, const struct cam_identity *from)
{
	size_t n_macs =
	    from->n_macs < CAM_MACS_MAX ? from->n_macs : CAM_MACS_MAX;

	row_set_shared(&id->manufacturer, from->manufacturer);
	row_set_shared(&id->model, from->model);
	row_set_shared(&id->firmware, from->firmware);
	row_set_shared(&id->hardware_id, from->hardware_id);
	row_set_own(&id->serial, from->serial);
	row_set_own(&id->hostname, from->hostname);
	row_set_own(&id->endpoint, from->endpoint);
	row_set_own(&id->address, from->address);
	row_set_scopes(id, from->scopes, from->n_scopes);
	row_set_facts(id, &from->facts);
	memset(id->macs, 0, sizeof(id->macs));
	memcpy(id->macs, from->macs, n_macs * 6);
	id->n_macs = (uint8_t)n_macs;
}

/* Writes every field the policy engine reads; the unused scopes are not. */
void
row_identity_get(const struct row_identity *id, struct cam_identity *to)
{
	const char *sc;
	size_t i;

	str_lcpy(to->manufacturer, id->manufacturer, CAM_STR_MAX);
	str_lcpy(to->model, id->model, CAM_STR_MAX);
	str_lcpy(to->firmware, id->firmware, CAM_STR_MAX);
	str_lcpy(to->serial, id->serial, CAM_STR_MAX);
	str_lcpy(to->hardware_id, id->hardware_id, CAM_STR_MAX);
	str_lcpy(to->hostname, id->hostname, CAM_STR_MAX);
	str_lcpy(to->endpoint, id->endpoint, CAM_STR_MAX);
	str_lcpy(to->address, id->address, CAM_ADDR_MAX);
	memcpy(to->macs, id->macs, sizeof(to->macs));
	to->n_macs = id->n_macs;
	for (i = 0, sc = id->scopes; i < id->n_scopes;
	     i++, sc = row_scope_next(sc))
		str_lcpy(to->scopes[i], sc, CAM_STR_MAX);
	to->n_scopes = id->n_scopes;
	row_facts_get(id, &to->facts);
}

void
row_verdict_set(struct row_verdict *v, const struct policy_result *r)
{
	v->verdict = r->verdict;
	v->action = r->action;
	v->zone = r->zone;
	v->evidence = r->evidence;
	v->confidence = r->confidence;
	v->conflict = r->conflict;
	v->waiver_expires = r->waiver_expires;
	row_set_shared(&v->maker, r->maker);
	row_set_shared(&v->maker_name, r->maker_name);
	row_set_shared(&v->suspect, r->suspect);
	row_set_shared(&v->lists, r->lists);
	row_set_shared(&v->site, r->site);
	row_set_shared(&v->waiver, r->waiver);
	row_set_shared(&v->reason, r->reason);
	row_set_shared(&v->mac_vendor, r->mac_vendor);
	row_set_shared(&v->brand, r->brand);
	str_lcpy(v->jurisdiction, r->jurisdiction, sizeof(v->jurisdiction));
}

/* ---- a row's life ----------------------------------------------------- */

/* A row's string fields, own and shared: init and free walk them. */
#define N_OWN 5
#define N_SHARED 19

static void
row_fields(
    struct device *d, const char **own[N_OWN], const char **shared[N_SHARED])
{
	const char **o[N_OWN] = {&d->key, &d->id.serial, &d->id.hostname,
	    &d->id.endpoint, &d->id.address};
	const char **s[N_SHARED] = {&d->credentials, &d->site_cfg, &d->zone_cfg,
	    &d->poll_detail, &d->id.manufacturer, &d->id.model, &d->id.firmware,
	    &d->id.hardware_id, &d->id.scopes, &d->id.facts, &d->verdict.maker,
	    &d->verdict.maker_name, &d->verdict.suspect, &d->verdict.lists,
	    &d->verdict.site, &d->verdict.waiver, &d->verdict.reason,
	    &d->verdict.mac_vendor, &d->verdict.brand};

	memcpy(own, o, sizeof(o));
	memcpy(shared, s, sizeof(s));
}

void
store_row_init(struct device *d)
{
	const char **own[N_OWN], **shared[N_SHARED];
	size_t i;

	row_fields(d, own, shared);
	for (i = 0; i < N_OWN; i++)
		*own[i] = none;
	for (i = 0; i < N_SHARED; i++)
		*shared[i] = intern_get("");
}

void
store_row_free(struct device *d)
{
	const char **own[N_OWN], **shared[N_SHARED];
	size_t i;

	row_fields(d, own, shared);
	for (i = 0; i < N_OWN; i++)
		if (*own[i] != none)
			free((char *)*own[i]);
	for (i = 0; i < N_SHARED; i++)
		intern_put(*shared[i]);
	free(d);
}
