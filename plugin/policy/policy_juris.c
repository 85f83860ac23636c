/*
 * policy_juris.c: jurisdiction as data.  Where each maker is based
 * (<based>), lists defined by jurisdiction (<list jurisdictions=>), zone
 * rules that act on a jurisdiction whatever the lists say (<zone-rule>),
 * and component makers (Wi-Fi modules, chips) that never stand for a
 * camera's maker.
 *
 * The loader (main thread) calls the pol_load_* functions and then
 * pol_finish_lists(); evaluation only reads what they built.  A list's
 * members are its makers' own lists= plus every maker based in one of its
 * jurisdictions, resolved once at load, so the engine's list logic is
 * unchanged.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "policy/policy_int.h"
#include "common/strutil.h"

/* Ranks of enum policy_action: a zone rule only ever makes it stricter. */
static const int severity[] = {0, 0, 1, 3, 4, 2};

static void
prop(const xmlNode *n, const char *name, char *buf, size_t bufsz)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);

	str_lcpy(buf, v != NULL ? (const char *)v : "", bufsz);
	xmlFree(v);
}

int
pol_parse_juris(struct pol_juris *j, const char *codes, char *err, size_t errsz)
{
	char buf[256], *w, *save = NULL;

	memset(j, 0, sizeof(*j));
	str_lcpy(buf, codes, sizeof(buf));
	for (w = strtok_r(buf, " \t\n", &save); w != NULL;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (strlen(w) != 2 || w[0] < 'A' || w[0] > 'Z' || w[1] < 'A' ||
		    w[1] > 'Z') {
			snprintf(err, errsz,
			    "'%s' is not an ISO 3166-1 alpha-2 code", w);
			return -1;
		}
		if (pol_juris_has(j, w))
			continue;
		if (j->n == POL_JURIS_MAX) {
			snprintf(err, errsz, "more than %d jurisdictions",
			    POL_JURIS_MAX);
			return -1;
		}
		memcpy(j->cc[j->n++], w, 3);
	}
	return 0;
}

int
pol_juris_has(const struct pol_juris *j, const char *cc)
{
	size_t i;

	for (i = 0; cc[0] != '\0' && i < j->n; i++)
		if (strcmp(j->cc[i], cc) == 0)
			return 1;
	return 0;
}

static void
juris_format(const struct pol_juris *j, char *buf, size_t bufsz)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < j->n; i++)
		snprintf(buf + strlen(buf), bufsz - strlen(buf), "%s%s",
		    i > 0 ? " " : "", j->cc[i]);
}

/* A maker's <based>: one only (the schema cannot say so in a sequence). */
int
pol_load_based(
    struct policy *pol, int mi, const xmlNode *n, char *err, size_t errsz)
{
	struct pol_maker *m = &pol->makers[mi];
	struct pol_juris j;
	char cc[16];

	if (m->country[0] != '\0') {
		snprintf(
		    err, errsz, "maker '%s' has more than one <based>", m->id);
		return -1;
	}
	prop(n, "country", cc, sizeof(cc));
	if (pol_parse_juris(&j, cc, err, errsz) != 0)
		return -1;
	if (j.n != 1) {
		snprintf(err, errsz, "<based> names one country");
		return -1;
	}
	memcpy(m->country, j.cc[0], 3);
	prop(n, "parent", m->parent, sizeof(m->parent));
	return 0;
}

static int
zone_of(const char *s, enum policy_zone *z)
{
	return policy_zone_parse(s, z);
}

static int
action_of(const char *s, enum policy_action *a)
{
	int i;

	for (i = ACTION_NONE; i <= ACTION_INVESTIGATE; i++)
		if (strcmp(policy_action_name((enum policy_action)i), s) == 0) {
			*a = (enum policy_action)i;
			return 0;
		}
	return -1;
}

int
pol_load_zrule(struct policy *pol, const xmlNode *n, char *err, size_t errsz)
{
	struct pol_zrule *r;
	char buf[256];
	size_t i;

	if (pol->n_zrules == POL_ZRULES_MAX) {
		snprintf(err, errsz, "more than %d zone rules", POL_ZRULES_MAX);
		return -1;
	}
	r = &pol->zrules[pol->n_zrules];
	memset(r, 0, sizeof(*r));
	prop(n, "id", r->id, sizeof(r->id));
	prop(n, "source", r->source, sizeof(r->source));
	prop(n, "zone", buf, sizeof(buf));
	if (zone_of(buf, &r->zone) != 0) {
		snprintf(err, errsz, "unknown zone '%s'", buf);
		return -1;
	}
	prop(n, "action", buf, sizeof(buf));
	if (action_of(buf, &r->action) != 0) {
		snprintf(err, errsz, "unknown action '%s'", buf);
		return -1;
	}
	prop(n, "jurisdictions", buf, sizeof(buf));
	if (pol_parse_juris(&r->juris, buf, err, errsz) != 0)
		return -1;
	prop(n, "list", buf, sizeof(buf));
	r->list = -1;
	for (i = 0; buf[0] != '\0' && i < pol->n_lists; i++)
		if (strcmp(pol->lists[i].id, buf) == 0)
			r->list = (int)i;
	if (buf[0] != '\0' && r->list < 0) {
		snprintf(err, errsz, "unknown list '%s'", buf);
		return -1;
	}
	for (i = 0; i < pol->n_zrules; i++)
		if (strcmp(pol->zrules[i].id, r->id) == 0) {
			snprintf(err, errsz, "zone rule '%s' twice", r->id);
			return -1;
		}
	pol->n_zrules++;
	return 0;
}

/* Index of the component maker called name, a new one if none. */
static int
component(struct policy *pol, const char *name, const char *kind, int reuse,
    char *err, size_t errsz)
{
	struct pol_component *c;
	size_t ci;

	for (ci = 0; reuse && ci < pol->n_components; ci++)
		if (strcmp(pol->components[ci].name, name) == 0)
			return (int)ci;
	if (pol->n_components == POL_COMPONENTS_MAX) {
		snprintf(err, errsz, "more than %d component makers",
		    POL_COMPONENTS_MAX);
		return -1;
	}
	c = &pol->components[pol->n_components];
	str_lcpy(c->name, name, sizeof(c->name));
	str_lcpy(c->kind, kind, sizeof(c->kind));
	return (int)pol->n_components++;
}

/*
 * <component-maker name= kind= org=> (one per organisation pattern, name
 * repeated) or the older <module-maker org=>, a Wi-Fi module maker.
 */
int
pol_load_component(
    struct policy *pol, const xmlNode *n, char *err, size_t errsz)
{
	struct pol_orgpat *o;
	char org[POL_TEXT_MAX], name[POLICY_NAME_MAX], kind[16];
	int ci;

	prop(n, "org", org, sizeof(org));
	if (strcmp((const char *)n->name, "module-maker") == 0)
		ci = component(pol, org, "wifi-module", 0, err, errsz);
	else {
		prop(n, "name", name, sizeof(name));
		prop(n, "kind", kind, sizeof(kind));
		ci = component(pol, name, kind, 1, err, errsz);
	}
	if (ci < 0)
		return -1;
	o = pol_push(
	    &pol->orgpats, &pol->n_orgpats, &pol->cap_orgpats, sizeof(*o));
	if (o == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	oui_org_normalise(o->norm, sizeof(o->norm), org);
	o->maker = POL_OUI_MODULE - ci;
	pol->n_module_makers++;
	if (strcmp(o->norm, " ") == 0) {
		snprintf(err, errsz, "empty organisation pattern");
		return -1;
	}
	return 0;
}

/* Every maker based in a list's jurisdictions is on the list. */
void
pol_finish_lists(struct policy *pol)
{
	size_t i, l;

	for (i = 0; i < pol->n_makers; i++) {
		struct pol_maker *m = &pol->makers[i];

		m->explicit_lists = m->lists;
		pol->n_unbased += m->country[0] == '\0';
		for (l = 0; l < pol->n_lists; l++)
			if (pol_juris_has(&pol->lists[l].juris, m->country))
				m->lists |= 1u << l;
	}
}

/* The maker was attributed: its jurisdiction and the rules that hit it. */
void
pol_eval_zrules(const struct pol_eval *e, int mi)
{
	const struct pol_maker *m = &e->pol->makers[mi];
	struct policy_result *r = e->out;
	size_t i;

	str_lcpy(r->jurisdiction, m->country, sizeof(r->jurisdiction));
	for (i = 0; i < e->pol->n_zrules; i++) {
		const struct pol_zrule *z = &e->pol->zrules[i];

		if (!pol_juris_has(&z->juris, m->country) ||
		    (z->list >= 0 && !(e->pol->active & (1u << z->list))))
			continue;
		if (severity[z->action] <= severity[r->zone_action[z->zone]])
			continue;
		r->zone_action[z->zone] = (uint8_t)z->action;
		str_lcpy(r->zone_rule_id[z->zone], z->id, POLICY_ID_MAX);
	}
}

/* The phrase for a component maker's kind, as reasons say it. */
const char *
pol_component_what(const struct policy *pol, int ci)
{
	static const char *const kinds[][2] = {{"wifi-module", "Wi-Fi module"},
	    {"chip", "chip vendor"}, {"module", "module maker"}};
	size_t k;

	for (k = 0; ci >= 0 && k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(pol->components[ci].kind, kinds[k][0]) == 0)
			return kinds[k][1];
	return "Wi-Fi module";
}

/*
 * Nothing attributed the camera and its Manufacturer is a component
 * maker's name ("HiSilicon"): say so, it names the chip, not the maker.
 */
void
pol_explain_component_name(const struct pol_eval *e)
{
	struct policy_result *r = e->out;
	char sq[POL_TEXT_MAX], cq[POL_TEXT_MAX];
	size_t ci, len = strlen(r->reason);

	if (r->verdict != VERDICT_UNIDENTIFIED || r->suspect[0] != '\0')
		return;
	pol_squash(sq, sizeof(sq), e->id->manufacturer);
	for (ci = 0; sq[0] != '\0' && ci < e->pol->n_components; ci++) {
		pol_squash(cq, sizeof(cq), e->pol->components[ci].name);
		if (strcmp(sq, cq) != 0)
			continue;
		snprintf(r->reason + len, sizeof(r->reason) - len,
		    "; %s is a %s, never a camera's maker",
		    e->pol->components[ci].name,
		    pol_component_what(e->pol, (int)ci));
		return;
	}
}

/* policy_result_set_zone's last step: a stricter zone rule wins. */
void
pol_apply_zone_rule(struct policy_result *r)
{
	int za = r->zone_action[r->zone];

	if (r->reason_zone > 0 && r->reason_zone - 1 < sizeof(r->reason))
		r->reason[r->reason_zone - 1] = '\0';
	r->zone_rule[0] = '\0';
	if (za == 0 || severity[za] <= severity[r->action])
		return;
	r->action = (enum policy_action)za;
	str_lcpy(r->zone_rule, r->zone_rule_id[r->zone], sizeof(r->zone_rule));
	if (r->reason_zone == 0)
		r->reason_zone = strlen(r->reason) + 1;
	snprintf(r->reason + strlen(r->reason),
	    sizeof(r->reason) - strlen(r->reason),
	    "; zone rule %s: a %s-based maker on a %s zone: %s", r->zone_rule,
	    r->jurisdiction, policy_zone_name(r->zone),
	    policy_action_name(r->action));
}

/* ---- accessors for `policy check` ---------------------------------- */

const char *
policy_maker_country(const struct policy *pol, const char *id)
{
	size_t i;

	for (i = 0; i < pol->n_makers; i++)
		if (strcmp(pol->makers[i].id, id) == 0)
			return pol->makers[i].country;
	return NULL;
}

size_t
policy_maker_count(const struct policy *pol)
{
	return pol->n_makers;
}

const char *
policy_maker_id(const struct policy *pol, size_t i)
{
	return i < pol->n_makers ? pol->makers[i].id : NULL;
}

int
policy_list_covers(const struct policy *pol, size_t l, size_t mi)
{
	return l < pol->n_lists && mi < pol->n_makers &&
	    (pol->makers[mi].lists & (1u << l)) != 0;
}

void
policy_list_jurisdictions(
    const struct policy *pol, size_t i, char *buf, size_t bufsz)
{
	buf[0] = '\0';
	if (i < pol->n_lists)
		juris_format(&pol->lists[i].juris, buf, bufsz);
}

size_t
policy_zone_rule_count(const struct policy *pol)
{
	return pol->n_zrules;
}

void
policy_zone_rule_describe(
    const struct policy *pol, size_t i, char *buf, size_t bufsz)
{
	const struct pol_zrule *z;
	char j[3 * POL_JURIS_MAX + 1];

	buf[0] = '\0';
	if (i >= pol->n_zrules)
		return;
	z = &pol->zrules[i];
	juris_format(&z->juris, j, sizeof(j));
	snprintf(buf, bufsz, "%s: %s zone, makers based in %s: %s%s%s%s", z->id,
	    policy_zone_name(z->zone), j, policy_action_name(z->action),
	    z->list >= 0 ? " (while " : "",
	    z->list >= 0 ? pol->lists[z->list].id : "",
	    z->list >= 0 ? " is active)" : "");
}
