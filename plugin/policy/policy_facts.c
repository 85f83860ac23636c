/*
 * policy_facts.c: what a camera volunteers without credentials (SADP,
 * DHIP, HTTP, RTSP, TLS facts in id.facts) meets the policy's <fact>
 * matchers.  Owns the matchers (built by pol_add_fact() and
 * pol_finish_facts() while the policy loads, on the main thread), the
 * page markers the HTTP collector searches for (policy_http_markers()),
 * the evaluation of one identity's facts (pol_eval_facts(), read-only,
 * any thread) and the parser of facts given by hand (policy_fact_arg()).
 *
 * A matcher names a fact kind, a PCRE2 pattern or a literal text (both
 * without regard to case), the evidence signal it adds with a weight, and
 * optionally the brand the fact names: a label of its maker, which then
 * counts as if the camera had reported that name as its Manufacturer.
 * Model, serial and firmware facts also meet the maker's <model>,
 * <serial> and <firmware> patterns, and a DHIP Vendor the maker's names
 * and brands, as ONVIF's fields do; model, serial and firmware matchers
 * read ONVIF's fields too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "common/strutil.h"

/*
 * Compile a policy pattern: case-insensitive, JIT when available (it
 * makes 100,000 classifications cost well under a second).  NULL with a
 * message in err.
 */
pcre2_code *
pol_compile(const char *pat, char *err, size_t errsz)
{
	char msg[160];
	int ecode;
	PCRE2_SIZE eoff;
	pcre2_code *re;

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS, &ecode, &eoff, NULL);
	if (re == NULL) {
		pcre2_get_error_message(ecode, (PCRE2_UCHAR *)msg, sizeof(msg));
		snprintf(err, errsz,
		    "bad regular expression '%s' at offset %zu: %s", pat,
		    (size_t)eoff, msg);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static int
fact_evidence(const char *name)
{
	int b;

	for (b = POL_EV_FACT_FIRST; b < EV_COUNT; b++)
		if (strcmp(name, policy_evidence_name(b)) == 0)
			return b;
	return -1;
}

/* The maker's label spelled like name (case and punctuation aside). */
static int
find_label(const struct policy *pol, int maker, const char *name)
{
	char sq[POL_TEXT_MAX];
	size_t i;

	pol_squash(sq, sizeof(sq), name);
	for (i = 0; i < pol->n_labels; i++)
		if (pol->labels[i].maker == maker &&
		    strcmp(pol->labels[i].squash, sq) == 0)
			return (int)i;
	return -1;
}

/* What a matcher adds: evidence with a weight, a brand, or both. */
static int
fact_effect(struct policy *pol, int maker, const struct pol_fact_spec *s,
    struct pol_fact *f, char *err, size_t errsz)
{
	char *end;
	long w = 0;
	int li;

	f->ev = -1;
	if (*s->evidence != '\0' && (f->ev = fact_evidence(s->evidence)) < 0) {
		snprintf(err, errsz, "evidence '%s' is not a fact signal",
		    s->evidence);
		return -1;
	}
	if (*s->weight != '\0') {
		w = strtol(s->weight, &end, 10);
		if (*end != '\0' || w < 0 || w > POL_WEIGHT_MAX) {
			snprintf(err, errsz, "weight '%s' is not 0 to %d",
			    s->weight, POL_WEIGHT_MAX);
			return -1;
		}
		if (f->ev < 0) {
			snprintf(err, errsz, "weight= without evidence=");
			return -1;
		}
	}
	f->weight = (int)w;
	if (*s->brand == '\0') {
		if (f->ev >= 0)
			return 0;
		snprintf(err, errsz,
		    "a fact matcher adds nothing: give evidence= or brand=");
		return -1;
	}
	if ((li = find_label(pol, maker, s->brand)) < 0) {
		snprintf(err, errsz,
		    "brand '%s' is not a name or brand of '%s'", s->brand,
		    pol->makers[maker].id);
		return -1;
	}
	if (pol->labels[li].kind == LABEL_OWN && f->ev < 0) {
		snprintf(err, errsz,
		    "brand '%s' is the maker itself: say with evidence= "
		    "which signal names it",
		    s->brand);
		return -1;
	}
	f->label = li + 1;
	return 0;
}

int
pol_add_fact(struct policy *pol, int maker, const struct pol_fact_spec *s,
    char *err, size_t errsz)
{
	struct pol_fact f;
	enum cam_fact_kind kind;

	memset(&f, 0, sizeof(f));
	f.maker = maker;
	if (cam_fact_parse(s->kind, &kind) != 0) {
		snprintf(err, errsz, "unknown fact kind '%s'", s->kind);
		return -1;
	}
	f.kind = (int)kind;
	if ((*s->pattern == '\0') == (*s->text == '\0')) {
		snprintf(err, errsz,
		    "a fact matcher takes pattern= or text=, exactly one");
		return -1;
	}
	if (kind == FACT_HTTP_MARKER && *s->text == '\0') {
		snprintf(err, errsz,
		    "http-marker matchers take text=: pages are searched "
		    "for the literal string");
		return -1;
	}
	if (fact_effect(pol, maker, s, &f, err, errsz) != 0)
		return -1;
	str_lcpy(f.text, s->text, sizeof(f.text));
	if (*s->pattern != '\0' &&
	    (f.re = pol_compile(s->pattern, err, errsz)) == NULL)
		return -1;
	if (pol_push(&pol->facts, &pol->n_facts, &pol->cap_facts, sizeof(f)) ==
	    NULL) {
		pcre2_code_free(f.re);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	pol->facts[pol->n_facts - 1] = f;
	return 0;
}

/* Each http-marker text once, in policy order. */
static int
collect_markers(struct policy *pol)
{
	size_t i, j, k;

	free(pol->markers);
	pol->n_markers = 0;
	k = pol->fact_first[FACT_HTTP_MARKER + 1] -
	    pol->fact_first[FACT_HTTP_MARKER];
	if ((pol->markers = calloc(k ? k : 1, sizeof(char *))) == NULL)
		return -1;
	for (i = pol->fact_first[FACT_HTTP_MARKER];
	     i < pol->fact_first[FACT_HTTP_MARKER + 1]; i++) {
		for (j = 0; j < pol->n_markers &&
		     strcmp(pol->markers[j], pol->facts[i].text) != 0;
		     j++)
			;
		if (j == pol->n_markers)
			pol->markers[pol->n_markers++] = pol->facts[i].text;
	}
	return 0;
}

/*
 * Group the matchers by kind (keeping policy order within a kind) so
 * that a fact meets only its own kind's, and list the markers.
 */
int
pol_finish_facts(struct policy *pol, char *err, size_t errsz)
{
	struct pol_fact *sorted;
	size_t next[FACT_KIND_COUNT], i;
	int k;

	memset(pol->fact_first, 0, sizeof(pol->fact_first));
	for (i = 0; i < pol->n_facts; i++)
		pol->fact_first[pol->facts[i].kind + 1]++;
	for (k = 0; k < FACT_KIND_COUNT; k++) {
		pol->fact_first[k + 1] += pol->fact_first[k];
		next[k] = pol->fact_first[k];
	}
	sorted = calloc(pol->n_facts ? pol->n_facts : 1, sizeof(*sorted));
	if (sorted == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (i = 0; i < pol->n_facts; i++)
		sorted[next[pol->facts[i].kind]++] = pol->facts[i];
	free(pol->facts);
	pol->facts = sorted;
	pol->cap_facts = pol->n_facts ? pol->n_facts : 1;
	if (collect_markers(pol) != 0) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void
pol_free_facts(struct policy *pol)
{
	size_t i;

	for (i = 0; i < pol->n_facts; i++)
		pcre2_code_free(pol->facts[i].re);
	free(pol->facts);
	free(pol->markers);
}

size_t
policy_http_markers(const struct policy *pol, const char *const **out)
{
	*out = (const char *const *)pol->markers;
	return pol->markers != NULL ? pol->n_markers : 0;
}

/* ---- evaluation ------------------------------------------------------ */

/* fi: the fact's index, or -1 for an ONVIF field. */
static void
credit(struct pol_eval *e, const struct pol_fact *m, int fi)
{
	struct pol_cand *c = &e->c[m->maker];
	uint8_t *w;

	if (m->ev >= 0) {
		c->ev |= POLICY_EV(m->ev);
		w = &c->fw[m->ev - POL_EV_FACT_FIRST];
		if (m->weight > *w)
			*w = (uint8_t)m->weight;
		if (m->ev == EV_MAKER_PROTOCOL && c->proto == 0 && fi >= 0 &&
		    e->id->facts.f[fi].kind == FACT_PROTOCOL)
			c->proto = fi + 1;
	}
	if (m->label > 0)
		pol_credit_label(e, (size_t)m->label - 1, 0);
}

/* Every matcher of kind k against text. */
static void
match_kind(struct pol_eval *e, int k, const char *text, int fi)
{
	const struct policy *pol = e->pol;
	size_t i;

	for (i = pol->fact_first[k]; i < pol->fact_first[k + 1]; i++) {
		const struct pol_fact *m = &pol->facts[i];

		if (m->re != NULL ? pol_re_match(e, m->re, text)
				  : strcasecmp(m->text, text) == 0)
			credit(e, m, fi);
	}
}

/*
 * What SADP and DHIP report as model, serial, firmware and vendor meets
 * the patterns and names ONVIF's fields meet.  A fact the collector
 * already copied into the identity is not matched twice.
 */
static void
builtin(struct pol_eval *e, const struct cam_fact *f)
{
	const struct cam_identity *id = e->id;

	switch (f->kind) {
	case FACT_MODEL:
		if (strcmp(f->text, id->model) != 0)
			pol_match_regexes(e, EV_MODEL, f->text, 0);
		break;
	case FACT_SERIAL:
		if (strcmp(f->text, id->serial) != 0)
			pol_match_regexes(e, EV_SERIAL, f->text, 0);
		break;
	case FACT_FIRMWARE:
		if (strcmp(f->text, id->firmware) != 0)
			pol_match_regexes(e, EV_FIRMWARE, f->text, 0);
		break;
	case FACT_VENDOR:
		if (strcasecmp(f->text, id->manufacturer) != 0)
			pol_match_labels(e, f->text, 0);
		break;
	default:
		break;
	}
}

/*
 * The identity's facts against the matchers of their kind.  Model, serial
 * and firmware matchers also read ONVIF's fields: a model prefix names
 * its brand whoever reported it.
 */
void
pol_eval_facts(struct pol_eval *e)
{
	const struct cam_identity *id = e->id;
	const struct cam_facts *fs = &id->facts;
	size_t i, n = fs->n < CAM_FACTS_MAX ? fs->n : CAM_FACTS_MAX;

	if (id->model[0] != '\0')
		match_kind(e, FACT_MODEL, id->model, -1);
	if (id->serial[0] != '\0')
		match_kind(e, FACT_SERIAL, id->serial, -1);
	if (id->firmware[0] != '\0')
		match_kind(e, FACT_FIRMWARE, id->firmware, -1);
	for (i = 0; i < n; i++) {
		const struct cam_fact *f = &fs->f[i];

		if (f->kind <= FACT_NONE || f->kind >= FACT_KIND_COUNT ||
		    memchr(f->text, '\0', sizeof(f->text)) == NULL)
			continue;
		builtin(e, f);
		match_kind(e, f->kind, f->text, (int)i);
	}
}

/* ---- facts given by hand (classify --fact, the tests) ----------------- */

static int
probe_parse(const char *name, enum cam_probe *p)
{
	int i;

	for (i = 0; i < PROBE_COUNT; i++)
		if (strcmp(name, cam_probe_name((enum cam_probe)i)) == 0) {
			*p = (enum cam_probe)i;
			return 0;
		}
	return -1;
}

/* The collector that would have heard a fact of this kind. */
static enum cam_probe
probe_of(const struct cam_identity *id, enum cam_fact_kind k, const char *text)
{
	const struct cam_fact *proto;
	const char *name = cam_fact_name(k);

	if (k == FACT_PROTOCOL)
		return strcasecmp(text, "dhip") == 0 ? PROBE_DHIP
		    : strcasecmp(text, "rpc2") == 0  ? PROBE_HTTP
						     : PROBE_SADP;
	if (strncmp(name, "http-", 5) == 0)
		return PROBE_HTTP;
	if (strncmp(name, "rtsp-", 5) == 0)
		return PROBE_RTSP;
	if (strncmp(name, "tls-", 4) == 0)
		return PROBE_TLS;
	if (k == FACT_VENDOR)
		return PROBE_DHIP;
	if (k != FACT_OEM_CODE &&
	    (proto = cam_fact_find(&id->facts, FACT_PROTOCOL)) != NULL)
		return (enum cam_probe)proto->probe;
	return PROBE_SADP;
}

int
policy_fact_arg(
    struct cam_identity *id, const char *arg, char *err, size_t errsz)
{
	char buf[CAM_FACT_MAX + 32], *kind, *text, *colon;
	enum cam_fact_kind k;
	enum cam_probe p;
	int have_probe = 0;

	str_lcpy(buf, arg, sizeof(buf));
	if ((text = strchr(buf, '=')) == NULL) {
		snprintf(err, errsz, "fact '%s': want KIND=TEXT", arg);
		return -1;
	}
	*text++ = '\0';
	kind = buf;
	if ((colon = strchr(buf, ':')) != NULL) {
		*colon = '\0';
		kind = colon + 1;
		if (probe_parse(buf, &p) != 0) {
			snprintf(err, errsz,
			    "fact '%s': probe '%s' is not onvif, sadp, dhip, "
			    "http, https, rtsp or tls",
			    arg, buf);
			return -1;
		}
		have_probe = 1;
	}
	if (cam_fact_parse(kind, &k) != 0) {
		snprintf(err, errsz, "fact '%s': unknown kind '%s'", arg, kind);
		return -1;
	}
	if (!have_probe)
		p = probe_of(id, k, text);
	if (id->facts.n >= CAM_FACTS_MAX) {
		snprintf(err, errsz, "fact '%s': more than %d facts", arg,
		    CAM_FACTS_MAX);
		return -1;
	}
	/* An empty text or a duplicate adds nothing, as from a collector. */
	cam_fact_add(&id->facts, k, p, text, strlen(text));
	id->facts.tried |= CAM_PROBE(p);
	id->facts.answered |= CAM_PROBE(p);
	return 0;
}
