/*
 * policy_eval.c: classify one observation against a loaded policy.
 *
 * policy_evaluate() only reads the policy and writes the caller's result,
 * so any thread may call it at any time once the policy is built.
 *
 * How signals combine (the rule the tests pin down):
 *  - Every signal is credited to a maker: its own name or a sub-brand as
 *    Manufacturer, DHIP Vendor, in a name/hardware/manufacturer scope or
 *    in a fact matcher's brand= (a "label"), a reported OEM brand, and
 *    device evidence: model shape 30, firmware shape 25, MAC OUI 25 (5
 *    for makers whose blocks are mostly phones and routers), serial shape
 *    15, HardwareId 15 (5 when the value is common), scope layout 10, MAC
 *    inside the endpoint UUID 10.  Model, serial and firmware facts (SADP,
 *    DHIP) meet the same patterns as ONVIF's.  Each fact signal (maker
 *    protocol, HTTP banner, realm, page, RTSP, TLS certificate, OEM code)
 *    weighs what the policy's strongest matcher of it says
 *    (policy_facts.c); a signal counts as distinct from 10 points.
 *  - A maker is attributed when it is labelled; or when an OEM label is
 *    backed by at least 25 points of device evidence; or, with no label at
 *    all, by at least 50 points from two or more distinct signals.  An OEM
 *    label alone, a lone OUI, a weak OUI or a Wi-Fi module's OUI never
 *    attribute: they leave the camera unidentified, naming the suspect.
 *  - When several makers are attributed, a restricted one wins: relabelling
 *    is exactly how rebrands hide, and a false alarm costs a review while a
 *    miss leaves the camera in place.  A compliant attribution contradicted
 *    by 25 points of device evidence for a restricted maker becomes
 *    unidentified.  Every contradiction sets conflict and is named in the
 *    reason.
 *  - Compliant needs a positive attribution to a maker no active list
 *    covers; anything else that is not restricted is unidentified.
 *    A list covers the makers its lists= name and those based in its
 *    jurisdictions; the attributed maker's zone rules (policy_juris.c)
 *    may then make the zone's action stricter.
 *  - A Manufacturer that names nobody (a shop brand, "General", "IPC")
 *    takes nothing away: device evidence attributes as above.  A
 *    component maker's MAC block (a Wi-Fi module, a chip) never does.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "policy/policy_int.h"
#include "common/strutil.h"

#define W_LABEL 60
#define W_OEM 15
#define OEM_BACKING 25 /* device points that confirm an OEM label */
#define DEVICE_ALONE 50 /* device points that attribute on their own */
#define CONTRADICTS 25 /* device points that spoil a compliant label */
#define MAX_PREFIXES 8 /* words of a label we compare */

/* Append to the reason (at most 254 bytes), never splitting UTF-8. */
static void
reason_add(struct policy_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->reason), max = sizeof(r->reason) - 1, n;
	va_list ap;

	if (len + 1 >= max)
		return;
	va_start(ap, fmt);
	n = (size_t)vsnprintf(r->reason + len, max - len, fmt, ap);
	va_end(ap);
	if (len + n < max - 1)
		return;
	n = max - 1;
	while (n > 0 && ((unsigned char)r->reason[n] & 0xc0) == 0x80)
		n--;
	r->reason[n] = '\0';
}

/*
 * The camera called itself by label li: its own name or a sub-brand
 * attributes, an OEM brand waits for device evidence.
 */
void
pol_credit_label(struct pol_eval *e, size_t li, uint32_t extra)
{
	static const uint32_t kind_ev[] = {
	    0, POLICY_EV(EV_BRAND), POLICY_EV(EV_OEM_BRAND)};
	const struct pol_label *l = &e->pol->labels[li];
	struct pol_cand *c = &e->c[l->maker];

	c->ev |= kind_ev[l->kind] | extra;
	if (l->kind == LABEL_OEM)
		c->oem = (int)li + 1;
	else
		c->label = 1;
	if (l->kind != LABEL_OWN && c->brand == 0)
		c->brand = (int)li + 1;
}

/*
 * Compare a label against every word-prefix of text ("CP PLUS India"):
 * a Manufacturer or DHIP Vendor (from 0) or a scope (from EV_SCOPE).
 */
void
pol_match_labels(struct pol_eval *e, const char *text, uint32_t from_scope)
{
	char pre[MAX_PREFIXES][POL_TEXT_MAX], sq[POL_TEXT_MAX];
	size_t np = 0, o = 0, i, j;
	const char *p;
	int own;

	for (p = text; np < MAX_PREFIXES && o + 1 < sizeof(sq); p++) {
		int alnum =
		    (unsigned char)*p < 0x80 && isalnum((unsigned char)*p);

		if (alnum)
			sq[o++] = (char)tolower((unsigned char)*p);
		else if (o > 0 && (np == 0 || strlen(pre[np - 1]) != o)) {
			sq[o] = '\0';
			memcpy(pre[np++], sq, o + 1);
		}
		if (*p == '\0')
			break;
	}
	for (i = 0; i < e->pol->n_labels; i++) {
		const struct pol_label *l = &e->pol->labels[i];

		for (j = 0; j < np && strcmp(pre[j], l->squash) != 0; j++)
			;
		if (j == np)
			continue;
		/* Its own name as Manufacturer (or DHIP Vendor) says more. */
		own = l->kind == LABEL_OWN && from_scope == 0;
		pol_credit_label(
		    e, i, from_scope | (own ? POLICY_EV(EV_MANUFACTURER) : 0));
	}
}

void
pol_match_regexes(struct pol_eval *e, int ev, const char *s, uint32_t extra)
{
	size_t i;

	if (*s == '\0')
		return;
	for (i = 0; i < e->pol->n_regexes; i++) {
		const struct pol_regex *rx = &e->pol->regexes[i];

		if (rx->ev == ev && pol_re_match(e, rx->re, s))
			e->c[rx->maker].ev |= POLICY_EV(ev) | extra;
	}
}

/* A name/hardware/manufacturer scope value: labels, then model words. */
static void
scope_value(struct pol_eval *e, const char *val)
{
	char buf[CAM_STR_MAX], *w, *save = NULL;

	pol_match_labels(e, val, POLICY_EV(EV_SCOPE));
	pol_match_regexes(e, EV_MODEL, val, POLICY_EV(EV_SCOPE));
	str_lcpy(buf, val, sizeof(buf));
	for (w = strtok_r(buf, " _", &save); w != NULL;
	     w = strtok_r(NULL, " _", &save))
		pol_match_regexes(e, EV_MODEL, w, POLICY_EV(EV_SCOPE));
}

static void
add_mac(struct pol_eval *e, const uint8_t mac[6])
{
	if (e->n_macs < POL_MACS_MAX)
		memcpy(e->macs[e->n_macs++], mac, 6);
}

static void
scan_scopes(struct pol_eval *e)
{
	static const char pfx[] = "onvif://www.onvif.org/";
	char dec[CAM_STR_MAX];
	const char *cat, *val;
	uint8_t mac[6];
	size_t i, k;

	for (i = 0; i < e->id->n_scopes && i < CAM_SCOPES_MAX; i++) {
		str_pct_decode(dec, sizeof(dec), e->id->scopes[i]);
		for (k = 0; k < e->pol->n_regexes; k++)
			if (e->pol->regexes[k].ev == EV_SCOPE_LAYOUT &&
			    pol_re_match(e, e->pol->regexes[k].re, dec))
				e->c[e->pol->regexes[k].maker].ev |=
				    POLICY_EV(EV_SCOPE_LAYOUT);
		if (strncasecmp(dec, pfx, sizeof(pfx) - 1) != 0)
			continue;
		cat = dec + sizeof(pfx) - 1;
		if ((val = strchr(cat, '/')) == NULL || *++val == '\0')
			continue;
		if (strncasecmp(cat, "mac/", 4) == 0) {
			if (str_parse_mac(val, mac) == 0)
				add_mac(e, mac);
		} else if (strncasecmp(cat, "name/", 5) == 0 ||
		    strncasecmp(cat, "hardware/", 9) == 0 ||
		    strncasecmp(cat, "manufacturer/", 13) == 0)
			scope_value(e, val);
	}
}

static void
match_hwid(struct pol_eval *e, const char *hw)
{
	size_t i;

	if (*hw == '\0')
		return;
	for (i = 0; i < e->pol->n_hwids; i++) {
		const struct pol_hwid *h = &e->pol->hwids[i];

		if (strcasecmp(h->value, hw) != 0)
			continue;
		e->c[h->maker].ev |= POLICY_EV(EV_HARDWARE_ID);
		e->c[h->maker].hwid_strong |= !h->weak;
	}
}

/*
 * Maker index owning a MAC's block, POL_OUI_MODULE, or POL_OUI_NONE.
 * The policy's own prefixes come first: they exist because the shipped
 * registry is older than the maker's newest blocks.
 */
static int
mac_class(const struct policy *pol, const uint8_t m[6], ssize_t *idx)
{
	uint64_t v = 0;
	size_t i;
	int k;

	for (k = 0; k < 6; k++)
		v = (v << 8) | m[k];
	*idx = oui_find(pol->oui, m);
	for (i = 0; i < pol->n_prefixes; i++)
		if (pol->prefixes[i].prefix ==
		    v >> (48 - pol->prefixes[i].bits))
			return pol->prefixes[i].maker;
	return *idx >= 0 ? pol->oui_class[*idx] : POL_OUI_NONE;
}

/* Multicast and locally administered (randomised) MACs name no vendor. */
static int
mac_usable(const uint8_t m[6])
{
	return (m[0] & 0x03) == 0 && (m[0] | m[1] | m[2]) != 0;
}

static void
scan_macs(struct pol_eval *e)
{
	size_t i;
	ssize_t idx;
	int cls;

	for (i = 0; i < e->n_macs; i++) {
		if (!mac_usable(e->macs[i]))
			continue;
		cls = mac_class(e->pol, e->macs[i], &idx);
		if (idx >= 0 && e->out->mac_vendor[0] == '\0')
			str_lcpy(e->out->mac_vendor, oui_org(e->pol->oui, idx),
			    sizeof(e->out->mac_vendor));
		if (cls <= POL_OUI_MODULE) {
			e->module_org = idx;
			e->component = POL_OUI_MODULE - cls;
			e->out->evidence |= POLICY_EV(EV_MAC_OUI_MODULE);
		} else if (cls >= 0)
			e->c[cls].ev |= e->pol->makers[cls].weak_oui
			    ? POLICY_EV(EV_MAC_OUI_WEAK)
			    : POLICY_EV(EV_MAC_OUI);
	}
}

/* Bosch puts the MAC first in the endpoint UUID, Reolink last. */
static void
scan_endpoint(struct pol_eval *e)
{
	char hex[64];
	size_t n = 0, off;
	const char *p = e->id->endpoint;
	uint8_t mac[6];
	ssize_t idx;
	int cls, k;

	if (strncasecmp(p, "urn:uuid:", 9) != 0)
		return;
	for (p += 9; *p != '\0' && n + 1 < sizeof(hex); p++)
		if (isxdigit((unsigned char)*p))
			hex[n++] = *p;
	hex[n] = '\0';
	if (n != 32)
		return;
	for (off = 0; off <= 20; off += 20) {
		char m[13];

		memcpy(m, hex + off, 12);
		m[12] = '\0';
		if (str_parse_mac(m, mac) != 0 || !mac_usable(mac))
			continue;
		cls = mac_class(e->pol, mac, &idx);
		for (k = 0; k < (int)e->n_macs; k++)
			if (memcmp(e->macs[k], mac, 6) == 0)
				cls = POL_OUI_NONE; /* already counted */
		if (cls >= 0 && !e->pol->makers[cls].weak_oui)
			e->c[cls].ev |= POLICY_EV(EV_ENDPOINT);
	}
}

/* Device evidence points; *nsig counts signals worth 10 or more. */
static int
device_points(const struct pol_cand *c, int *nsig)
{
	static const struct {
		int bit;
		int w;
	} tab[] = {{EV_MODEL, 30}, {EV_FIRMWARE, 25}, {EV_MAC_OUI, 25},
	    {EV_SERIAL, 15}, {EV_SCOPE_LAYOUT, 10}, {EV_ENDPOINT, 10},
	    {EV_MAC_OUI_WEAK, 5}};
	size_t i;
	int d = 0, w;

	*nsig = 0;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!(c->ev & POLICY_EV(tab[i].bit)))
			continue;
		d += tab[i].w;
		*nsig += tab[i].w >= 10;
	}
	if (c->ev & POLICY_EV(EV_HARDWARE_ID)) {
		w = c->hwid_strong ? 15 : 5;
		d += w;
		*nsig += w >= 10;
	}
	/* Fact signals weigh what their strongest matcher says. */
	for (i = 0; (c->ev & POL_EV_FACT_MASK) && i < POL_EV_FACTS; i++) {
		d += c->fw[i];
		*nsig += c->fw[i] >= 10;
	}
	return d;
}

static int
attributed(const struct pol_cand *c)
{
	int nsig, d = device_points(c, &nsig);

	return c->label || (c->oem && d >= OEM_BACKING) ||
	    (d >= DEVICE_ALONE && nsig >= 2);
}

static int
score(const struct pol_cand *c)
{
	int nsig;

	return (c->label ? W_LABEL : 0) + (c->oem ? W_OEM : 0) +
	    device_points(c, &nsig);
}

static int
restricted(const struct pol_eval *e, int m)
{
	return (e->pol->makers[m].lists & e->pol->active) != 0;
}

/* Is a better than b as the answer?  Restricted first, then score. */
static int
better(const struct pol_eval *e, int a, int b)
{
	if (b < 0)
		return 1;
	if (restricted(e, a) != restricted(e, b))
		return restricted(e, a);
	return score(&e->c[a]) > score(&e->c[b]);
}

/* "model, maker-protocol (sadp), mac-oui": the protocol says which. */
static void
signal_names(const struct pol_eval *e, const struct pol_cand *c, uint32_t ev,
    char *buf, size_t bufsz)
{
	int b;

	buf[0] = '\0';
	for (b = 0; b < EV_COUNT; b++) {
		if (!(ev & POLICY_EV(b)))
			continue;
		if (buf[0] != '\0')
			strncat(buf, ", ", bufsz - strlen(buf) - 1);
		strncat(buf, policy_evidence_name(b), bufsz - strlen(buf) - 1);
		if (b != EV_MAKER_PROTOCOL || c->proto == 0)
			continue;
		strncat(buf, " (", bufsz - strlen(buf) - 1);
		strncat(buf, e->id->facts.f[c->proto - 1].text,
		    bufsz - strlen(buf) - 1);
		strncat(buf, ")", bufsz - strlen(buf) - 1);
	}
}

static void
active_lists(const struct pol_eval *e, int m, char *buf, size_t bufsz)
{
	size_t i;
	uint32_t mask = e->pol->makers[m].lists & e->pol->active;

	buf[0] = '\0';
	for (i = 0; i < e->pol->n_lists; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (buf[0] != '\0')
			strncat(buf, ",", bufsz - strlen(buf) - 1);
		strncat(buf, e->pol->lists[i].id, bufsz - strlen(buf) - 1);
	}
}

/* Why the winner is the winner. */
static void
explain_attribution(struct pol_eval *e, int w)
{
	struct policy_result *r = e->out;
	const struct pol_cand *c = &e->c[w];
	const struct pol_label *b =
	    c->brand > 0 ? &e->pol->labels[c->brand - 1] : NULL;
	char sig[192];

	signal_names(e, c,
	    c->ev & ~(POLICY_EV(EV_OEM_BRAND) | POLICY_EV(EV_BRAND)), sig,
	    sizeof(sig));
	/* An OEM label always sets the brand: b covers c->oem. */
	if (b != NULL)
		reason_add(r, "%s, a %s of %s: %s", b->text,
		    b->kind == LABEL_OEM ? "reported OEM" : "sub-brand",
		    r->maker_name, sig[0] != '\0' ? sig : "its name");
	else if (c->label)
		reason_add(r, "%s by %s", r->maker, sig);
	else
		reason_add(
		    r, "%s by device evidence alone (%s)", r->maker, sig);
	if (r->verdict == VERDICT_RESTRICTED)
		reason_add(r, "; listed on %s", r->lists);
	else
		reason_add(r, "; no active list covers %s", r->maker);
}

static void
explain_suspicion(struct pol_eval *e, int s)
{
	struct policy_result *r = e->out;
	const struct pol_cand *c = &e->c[s];
	char sig[192];
	int nsig;

	signal_names(e, c, c->ev, sig, sizeof(sig));
	if (c->oem && device_points(c, &nsig) == 0)
		reason_add(r,
		    "'%s' is a reported OEM of %s but no device "
		    "evidence confirms it",
		    e->pol->labels[c->oem - 1].text, r->suspect);
	else if (c->ev == POLICY_EV(EV_MAC_OUI_WEAK))
		reason_add(r,
		    "only a %s MAC OUI, and its blocks are mostly "
		    "phones and routers",
		    r->suspect);
	else
		reason_add(r,
		    "suspected %s from %s only: not enough to "
		    "attribute",
		    r->suspect, sig);
}

/* Report every other maker that some signal pointed to. */
static void
explain_conflicts(struct pol_eval *e, int w)
{
	char sig[192];
	size_t m;
	int nsig;

	for (m = 0; m < e->pol->n_makers; m++) {
		const struct pol_cand *c = &e->c[m];

		if ((int)m == w || c->ev == 0)
			continue;
		if (!c->label && !c->oem &&
		    device_points(c, &nsig) < CONTRADICTS)
			continue;
		e->out->conflict = 1;
		signal_names(e, c, c->ev, sig, sizeof(sig));
		reason_add(
		    e->out, "; conflict: %s by %s", e->pol->makers[m].id, sig);
	}
}

static void
set_maker(struct pol_eval *e, int m, char *dst)
{
	const struct pol_cand *c = &e->c[m];

	str_lcpy(dst, e->pol->makers[m].id, POLICY_ID_MAX);
	if (c->brand > 0)
		str_lcpy(e->out->brand, e->pol->labels[c->brand - 1].text,
		    sizeof(e->out->brand));
	if (dst == e->out->maker) {
		str_lcpy(e->out->maker_name, e->pol->makers[m].name,
		    sizeof(e->out->maker_name));
		active_lists(e, m, e->out->lists, sizeof(e->out->lists));
	}
	e->out->evidence |= e->c[m].ev;
}

/* A restricted maker whose device evidence spoils a compliant label. */
static int
spoiler(const struct pol_eval *e, int w)
{
	size_t m;
	int nsig, best = -1;

	for (m = 0; m < e->pol->n_makers; m++)
		if ((int)m != w && restricted(e, (int)m) &&
		    device_points(&e->c[m], &nsig) >= CONTRADICTS &&
		    better(e, (int)m, best))
			best = (int)m;
	return best;
}

static void
decide(struct pol_eval *e)
{
	struct policy_result *r = e->out;
	int m, w = -1, s = -1, sp;

	for (m = 0; m < (int)e->pol->n_makers; m++) {
		if (e->c[m].ev == 0 && !e->c[m].oem)
			continue;
		if (attributed(&e->c[m]) && better(e, m, w))
			w = m;
		if (better(e, m, s))
			s = m;
	}
	if (w >= 0 && !restricted(e, w) && (sp = spoiler(e, w)) >= 0) {
		r->verdict = VERDICT_UNIDENTIFIED;
		r->conflict = 1;
		set_maker(e, sp, r->suspect);
		reason_add(r, "says %s but %s device evidence contradicts it",
		    e->pol->makers[w].id, r->suspect);
		r->confidence = score(&e->c[sp]) / 2;
		explain_conflicts(e, sp);
	} else if (w >= 0) {
		r->verdict =
		    restricted(e, w) ? VERDICT_RESTRICTED : VERDICT_COMPLIANT;
		set_maker(e, w, r->maker);
		explain_attribution(e, w);
		explain_conflicts(e, w);
		r->confidence = score(&e->c[w]);
		if (r->conflict)
			r->confidence /= 2;
	} else if (s >= 0) {
		r->verdict = VERDICT_UNIDENTIFIED;
		set_maker(e, s, r->suspect);
		explain_suspicion(e, s);
		r->confidence = score(&e->c[s]) < 40 ? score(&e->c[s]) : 40;
	} else {
		r->verdict = VERDICT_UNIDENTIFIED;
		if (e->id->manufacturer[0] != '\0')
			reason_add(r, "manufacturer '%s' is not a known maker",
			    e->id->manufacturer);
		else
			reason_add(r, "no signal names a known maker");
	}
	if (r->confidence > 100)
		r->confidence = 100;
}

static void
find_site(struct pol_eval *e)
{
	uint8_t a[16];
	size_t i;
	int b;

	e->out->zone = ZONE_GENERAL;
	if (e->id->address[0] == '\0' || pol_parse_addr(e->id->address, a) != 0)
		return;
	for (i = 0; i < e->pol->n_sites; i++) {
		const struct pol_site *s = &e->pol->sites[i];

		for (b = 0; b < s->plen; b++)
			if ((a[b / 8] ^ s->addr[b / 8]) & (0x80 >> (b % 8)))
				break;
		if (b == s->plen) {
			str_lcpy(e->out->site, s->name, sizeof(e->out->site));
			e->out->zone = s->zone;
			return;
		}
	}
}

static int
waiver_applies(const struct pol_eval *e, const struct pol_waiver *w)
{
	size_t i;

	if (!w->has_mac)
		return e->id->serial[0] != '\0' &&
		    strcasecmp(w->serial, e->id->serial) == 0;
	for (i = 0; i < e->id->n_macs && i < CAM_MACS_MAX; i++)
		if (memcmp(w->mac, e->id->macs[i], 6) == 0)
			return 1;
	return 0;
}

static void
find_waiver(struct pol_eval *e, time_t now)
{
	size_t i;

	for (i = 0; i < e->pol->n_waivers; i++) {
		const struct pol_waiver *w = &e->pol->waivers[i];

		if (!waiver_applies(e, w))
			continue;
		if (now < w->expires) {
			str_lcpy(
			    e->out->waiver, w->ref, sizeof(e->out->waiver));
			e->out->waiver_expires = w->expires;
			reason_add(e->out, "; waiver %s until %s", w->ref,
			    w->expires_s);
			return;
		}
		reason_add(
		    e->out, "; waiver %s expired %s", w->ref, w->expires_s);
	}
}

/* A component maker's block: a Wi-Fi module's or a chip's, never a maker. */
static void
explain_module(struct pol_eval *e)
{
	const char *what = pol_component_what(e->pol, e->component);

	if (e->module_org >= 0)
		reason_add(e->out, "; %s OUI (%s) ignored", what,
		    oui_org(e->pol->oui, (size_t)e->module_org));
	else if (e->out->evidence & POLICY_EV(EV_MAC_OUI_MODULE))
		reason_add(e->out, "; %s OUI ignored", what);
	pol_explain_component_name(e);
}

/* The attributed maker's jurisdiction and the zone rules on it. */
static void
juris(struct pol_eval *e)
{
	size_t m;

	if (e->out->maker[0] == '\0')
		return;
	for (m = 0; m < e->pol->n_makers; m++)
		if (strcmp(e->pol->makers[m].id, e->out->maker) == 0) {
			pol_eval_zrules(e, (int)m);
			return;
		}
}

void
policy_evaluate(const struct policy *pol, const struct cam_identity *id,
    time_t now, struct policy_result *out)
{
	static struct pol_eval zero;
	struct pol_eval e = zero;
	size_t i;

	memset(out, 0, sizeof(*out));
	e.pol = pol;
	e.id = id;
	e.out = out;
	e.module_org = -1;
	e.component = -1;
	e.md = pcre2_match_data_create(1, NULL);
	pol_match_labels(&e, id->manufacturer, 0);
	pol_match_regexes(&e, EV_MODEL, id->model, 0);
	pol_match_regexes(&e, EV_FIRMWARE, id->firmware, 0);
	pol_match_regexes(&e, EV_SERIAL, id->serial, 0);
	match_hwid(&e, id->hardware_id);
	for (i = 0; i < id->n_macs && i < CAM_MACS_MAX; i++)
		add_mac(&e, id->macs[i]);
	pol_eval_facts(&e);
	scan_scopes(&e);
	scan_macs(&e);
	scan_endpoint(&e);
	pcre2_match_data_free(e.md);
	decide(&e);
	explain_module(&e);
	juris(&e);
	find_site(&e);
	find_waiver(&e, now);
	policy_result_set_zone(out, out->zone);
}
