/*
 * policy.c: everything around a loaded policy except reading the XML and
 * evaluating observations: sites, waivers, active lists, the MAC registry
 * attached to the policy, accessors, names and JSON output.
 *
 * Functions that change a policy (policy_add_site, policy_set_lists,
 * pol_add_waiver, pol_attach_oui, policy_free) are main-thread only and
 * must not run while another thread evaluates; the rest are read-only.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "policy/policy_int.h"
#include "common/strutil.h"

#ifndef CAMCOMPLY_OUI_REGISTRY
#define CAMCOMPLY_OUI_REGISTRY "/usr/share/ieee-data"
#endif

static const char *const verdict_names[] = {
    "?", "compliant", "restricted", "unidentified"};
static const char *const zone_names[] = {"?", "general", "core", "sensitive"};
static const char *const action_names[] = {
    "?", "none", "review", "disconnect", "remove", "investigate"};
static const char *const evidence_names[] = {"manufacturer", "brand",
    "oem-brand", "model", "firmware", "hardware-id", "serial", "scope",
    "scope-layout", "mac-oui", "mac-oui-weak", "mac-oui-module", "endpoint",
    "maker-protocol", "http-banner", "http-realm", "http-page", "rtsp",
    "tls-certificate", "oem-code"};
_Static_assert(sizeof(evidence_names) / sizeof(evidence_names[0]) == EV_COUNT,
    "a name for every evidence bit");

/* Append a zeroed element to a growable array; NULL when out of memory. */
void *
pol_push(void *arrp, size_t *n, size_t *cap, size_t elsz)
{
	void **arr = arrp;
	char *el;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *nbuf = realloc(*arr, ncap * elsz);

		if (nbuf == NULL)
			return NULL;
		*arr = nbuf;
		*cap = ncap;
	}
	el = (char *)*arr + (*n)++ * elsz;
	memset(el, 0, elsz);
	return el;
}

/*
 * Brand spellings differ only in case, spaces and punctuation
 * ("CP PLUS", "CP_PLUS", "CPPlus"): compare letters and digits only.
 */
char *
pol_squash(char *dst, size_t dstsz, const char *src)
{
	size_t o = 0;

	for (; *src != '\0' && o + 1 < dstsz; src++)
		if ((unsigned char)*src < 0x80 && isalnum((unsigned char)*src))
			dst[o++] = (char)tolower((unsigned char)*src);
	dst[o] = '\0';
	return dst;
}

/* Numeric IPv4 or IPv6 into a 16-byte form (IPv4 as ::ffff:a.b.c.d). */
int
pol_parse_addr(const char *s, uint8_t addr[16])
{
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1) {
		memset(addr, 0, 10);
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, s, addr) == 1 ? 0 : -1;
}

int
pol_parse_cidr(const char *cidr, uint8_t addr[16], int *plen)
{
	char buf[80], *slash, *end;
	long len;
	int max, i;

	str_lcpy(buf, cidr, sizeof(buf));
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	if (pol_parse_addr(buf, addr) != 0)
		return -1;
	max = strchr(buf, ':') != NULL ? 128 : 32;
	len = strtol(slash, &end, 10);
	if (*slash == '\0' || *end != '\0' || len < 0 || len > max)
		return -1;
	*plen = (int)len + (max == 32 ? 96 : 0);
	/* Host bits set ("10.1.2.3/16") usually mean a typo: refuse them. */
	for (i = *plen; i < 128; i++)
		if (addr[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return 0;
}

int
policy_zone_parse(const char *s, enum policy_zone *z)
{
	int i;

	for (i = ZONE_GENERAL; i <= ZONE_SENSITIVE; i++)
		if (s != NULL && strcmp(s, zone_names[i]) == 0) {
			*z = (enum policy_zone)i;
			return 0;
		}
	return -1;
}

int
policy_add_site(struct policy *pol, const char *name, const char *cidr,
    const char *zone, char *err, size_t errsz)
{
	struct pol_site s, *slot;
	size_t i;

	memset(&s, 0, sizeof(s));
	if (pol_parse_cidr(cidr, s.addr, &s.plen) != 0) {
		snprintf(err, errsz, "site '%s': bad CIDR '%s'", name, cidr);
		return -1;
	}
	if (policy_zone_parse(zone, &s.zone) != 0) {
		snprintf(err, errsz,
		    "site '%s': zone '%s' is not sensitive, core or general",
		    name, zone);
		return -1;
	}
	str_lcpy(s.name, name, sizeof(s.name));
	if (pol_push(&pol->sites, &pol->n_sites, &pol->cap_sites, sizeof(s)) ==
	    NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	/* Keep longest prefixes first so the first match is the best. */
	for (i = pol->n_sites - 1; i > 0 && pol->sites[i - 1].plen < s.plen;
	     i--)
		pol->sites[i] = pol->sites[i - 1];
	slot = &pol->sites[i];
	*slot = s;
	return 0;
}

int
pol_add_waiver(struct policy *pol, const char *serial, const char *mac,
    const char *expires, const char *ref, char *err, size_t errsz)
{
	struct pol_waiver *w;
	struct tm tm;
	char *end;

	if ((*serial == '\0') == (*mac == '\0')) {
		snprintf(
		    err, errsz, "waiver '%s': give a serial or a mac", ref);
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(expires, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0') {
		snprintf(err, errsz, "waiver '%s': bad expiry date '%s'", ref,
		    expires);
		return -1;
	}
	if ((w = pol_push(&pol->waivers, &pol->n_waivers, &pol->cap_waivers,
		 sizeof(*w))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (*mac != '\0' && str_parse_mac(mac, w->mac) != 0) {
		pol->n_waivers--;
		snprintf(err, errsz, "waiver '%s': bad MAC '%s'", ref, mac);
		return -1;
	}
	w->has_mac = *mac != '\0';
	str_lcpy(w->serial, serial, sizeof(w->serial));
	/* The expiry day itself is still covered (until 24:00 UTC). */
	w->expires = timegm(&tm) + 86400;
	str_lcpy(w->expires_s, expires, sizeof(w->expires_s));
	str_lcpy(w->ref, ref, sizeof(w->ref));
	return 0;
}

int
policy_set_lists(struct policy *pol, const char *ids, char *err, size_t errsz)
{
	char buf[512], *w, *save = NULL;
	uint32_t mask = 0;
	size_t i;

	str_lcpy(buf, ids, sizeof(buf));
	for (w = strtok_r(buf, ", \t", &save); w != NULL;
	     w = strtok_r(NULL, ", \t", &save)) {
		for (i = 0; i < pol->n_lists; i++)
			if (strcmp(pol->lists[i].id, w) == 0)
				break;
		if (i == pol->n_lists) {
			snprintf(err, errsz, "unknown list '%s'", w);
			return -1;
		}
		mask |= 1u << i;
	}
	pol->active = mask;
	return 0;
}

/* Which maker (or module maker) a registry organisation belongs to. */
static int
classify_org(const struct policy *pol, const char *org)
{
	char norm[512];
	size_t i;

	oui_org_normalise(norm, sizeof(norm), org);
	/* A component maker wins: its blocks never name a camera's maker. */
	for (i = 0; i < pol->n_orgpats; i++)
		if (pol->orgpats[i].maker <= POL_OUI_MODULE &&
		    oui_org_match(norm, pol->orgpats[i].norm))
			return pol->orgpats[i].maker;
	for (i = 0; i < pol->n_orgpats; i++)
		if (oui_org_match(norm, pol->orgpats[i].norm))
			return pol->orgpats[i].maker;
	return POL_OUI_NONE;
}

/*
 * Load the registry and classify every block once, so that evaluation
 * costs one binary search per MAC and no string work.
 */
int
pol_attach_oui(struct policy *pol, const char *dir, char *err, size_t errsz)
{
	size_t i, n;
	const char *prev = NULL;
	int cls = POL_OUI_NONE;

	if (dir != NULL && *dir == '\0')
		return 0;
	pol->oui =
	    oui_load(dir != NULL ? dir : CAMCOMPLY_OUI_REGISTRY, err, errsz);
	if (pol->oui == NULL) {
		if (dir != NULL)
			return -1;
		err[0] = '\0'; /* the default registry is optional */
		return 0;
	}
	n = oui_count(pol->oui);
	if ((pol->oui_class = calloc(n ? n : 1, sizeof(int16_t))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *org = oui_org(pol->oui, i);

		/* Neighbouring blocks often share an owner: reuse its class. */
		if (prev == NULL || strcmp(prev, org) != 0)
			cls = classify_org(pol, org);
		pol->oui_class[i] = (int16_t)cls;
		prev = org;
	}
	return 0;
}

void
policy_free(struct policy *pol)
{
	size_t i;

	if (pol == NULL)
		return;
	for (i = 0; i < pol->n_regexes; i++)
		pcre2_code_free(pol->regexes[i].re);
	free(pol->regexes);
	pol_free_facts(pol);
	free(pol->labels);
	free(pol->hwids);
	free(pol->orgpats);
	free(pol->prefixes);
	free(pol->sites);
	free(pol->waivers);
	free(pol->oui_class);
	oui_free(pol->oui);
	free(pol);
}

const char *
policy_verdict_name(enum policy_verdict v)
{
	return v >= VERDICT_COMPLIANT && v <= VERDICT_UNIDENTIFIED
	    ? verdict_names[v]
	    : "?";
}

const char *
policy_zone_name(enum policy_zone z)
{
	return z >= ZONE_GENERAL && z <= ZONE_SENSITIVE ? zone_names[z] : "?";
}

const char *
policy_action_name(enum policy_action a)
{
	return a >= ACTION_NONE && a <= ACTION_INVESTIGATE ? action_names[a]
							   : "?";
}

const char *
policy_evidence_name(int bit)
{
	return bit >= 0 && bit < EV_COUNT ? evidence_names[bit] : "?";
}

/* The UK order: the action follows the verdict and where the camera is. */
void
policy_result_set_zone(struct policy_result *r, enum policy_zone z)
{
	r->zone = z;
	if (r->verdict == VERDICT_RESTRICTED)
		r->action = z == ZONE_SENSITIVE ? ACTION_REMOVE
		    : z == ZONE_CORE		? ACTION_DISCONNECT
						: ACTION_REVIEW;
	else if (r->verdict == VERDICT_UNIDENTIFIED && z == ZONE_SENSITIVE)
		r->action = ACTION_INVESTIGATE;
	else
		r->action = ACTION_NONE;
	/* A risk acceptance in force keeps the verdict but stops the action. */
	if (r->waiver[0] != '\0')
		r->action = ACTION_NONE;
	else
		pol_apply_zone_rule(r); /* policy_juris.c */
}

static void
json_add_str(struct json_object *obj, const char *key, const char *val)
{
	json_object_object_add(obj, key, json_object_new_string(val));
}

void
policy_result_json(const struct policy_result *r, struct json_object *obj)
{
	struct json_object *arr, *w;
	char buf[sizeof(r->lists)], *tok, *save = NULL, date[16];
	struct tm tm;
	int b;

	json_add_str(obj, "verdict", policy_verdict_name(r->verdict));
	json_add_str(obj, "maker", r->maker);
	json_add_str(obj, "maker_name", r->maker_name);
	json_add_str(obj, "brand", r->brand);
	json_add_str(obj, "suspect", r->suspect);
	arr = json_object_new_array();
	str_lcpy(buf, r->lists, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		json_object_array_add(arr, json_object_new_string(tok));
	json_object_object_add(obj, "lists", arr);
	arr = json_object_new_array();
	for (b = 0; b < EV_COUNT; b++)
		if (r->evidence & POLICY_EV(b))
			json_object_array_add(
			    arr, json_object_new_string(evidence_names[b]));
	json_object_object_add(obj, "evidence", arr);
	json_object_object_add(
	    obj, "confidence", json_object_new_int(r->confidence));
	json_object_object_add(
	    obj, "conflict", json_object_new_boolean(r->conflict));
	json_add_str(obj, "action", policy_action_name(r->action));
	json_add_str(obj, "zone", policy_zone_name(r->zone));
	json_add_str(obj, "site", r->site);
	json_add_str(obj, "reason", r->reason);
	w = NULL;
	if (r->waiver[0] != '\0') {
		/* Expiry is stored as the first second past the last day. */
		time_t last = r->waiver_expires - 86400;

		gmtime_r(&last, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		w = json_object_new_object();
		json_add_str(w, "reference", r->waiver);
		json_add_str(w, "expires", date);
	}
	json_object_object_add(obj, "waiver", w);
	json_add_str(obj, "mac_vendor", r->mac_vendor);
	json_add_str(obj, "jurisdiction", r->jurisdiction);
	json_add_str(obj, "zone_rule", r->zone_rule);
}

const char *
policy_path(const struct policy *pol)
{
	return pol->path;
}

const char *
policy_version(const struct policy *pol)
{
	return pol->version;
}

const char *
policy_date(const struct policy *pol)
{
	return pol->date;
}

size_t
policy_list_count(const struct policy *pol)
{
	return pol->n_lists;
}

const char *
policy_list_id(const struct policy *pol, size_t i)
{
	return i < pol->n_lists ? pol->lists[i].id : "";
}

const char *
policy_list_name(const struct policy *pol, size_t i)
{
	return i < pol->n_lists ? pol->lists[i].name : "";
}

int
policy_list_active(const struct policy *pol, size_t i)
{
	return i < pol->n_lists && (pol->active & (1u << i)) != 0;
}

const char *
policy_oui_date(const struct policy *pol)
{
	return oui_date(pol->oui);
}

size_t
policy_oui_entries(const struct policy *pol)
{
	return oui_count(pol->oui);
}

const char *
policy_maker_name(const struct policy *pol, const char *id)
{
	size_t i;

	for (i = 0; i < pol->n_makers; i++)
		if (strcmp(pol->makers[i].id, id) == 0)
			return pol->makers[i].name;
	return NULL;
}

void
policy_get_counts(const struct policy *pol, struct policy_counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->lists = pol->n_lists;
	c->makers = pol->n_makers;
	for (i = 0; i < pol->n_makers; i++)
		c->restricted_makers += pol->makers[i].lists != 0;
	for (i = 0; i < pol->n_labels; i++) {
		if (pol->labels[i].kind == LABEL_OEM)
			c->oem++;
		else
			c->brands++;
	}
	c->patterns = pol->n_regexes;
	c->oui_patterns = pol->n_orgpats - pol->n_module_makers;
	c->oui_prefixes = pol->n_prefixes;
	c->module_makers = pol->n_module_makers;
	c->sites = pol->n_sites;
	c->waivers = pol->n_waivers;
	c->sources = pol->n_sources;
	c->facts = pol->n_facts;
	c->markers = pol->n_markers;
	c->components = pol->n_components;
	c->zone_rules = pol->n_zrules;
	c->unbased = pol->n_unbased;
}
