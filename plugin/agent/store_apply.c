/*
 * store_apply.c: fold a poll result into a device and decide which
 * notifications it deserves.
 *
 * Rules (the MIB's DESCRIPTIONs say the same):
 * - camRestrictedDeviceDetected once per physical device: when it is first
 *   seen, or first identified, as restricted.  A restart restores the
 *   "announced" mark from the state file, so it does not fire again.
 * - camDeviceVerdictChanged for any other verdict change of an identified
 *   device, with the previous verdict.
 * - camDeviceSwapped when the serial at the same address changes; the new
 *   camera is a new device, so it may be announced again.
 * - camDeviceFirmwareChanged when the firmware of the same camera changes.
 * - camDeviceUnreachable / camDeviceReachable on timeout or unreachable and
 *   back.  A failed poll keeps the last known identity and verdict.
 * - What a camera says without credentials (the collectors of a probe,
 *   onvif/unauth.h): a probe that got an answer replaces the row's facts
 *   (a collector silent this once keeps its own for one probe more), one
 *   that did not, or a poll without one, keeps them, so the verdict does
 *   not flap between probes.  A camera ONVIF does not name takes its
 *   model, serial and firmware from them and counts as identified when
 *   they name it (a model, a serial, or a maker the policy finds): the
 *   rules above apply to it as to one ONVIF named, serial and firmware
 *   compared only with the same source's.  A camera a collector answered
 *   is reachable, whatever ONVIF did.
 * Main thread only.
 */
#include <stdio.h>
#include <string.h>

#include "agent/store.h"
#include "agent/store_int.h"
#include "common/strutil.h"
#include "onvif/unauth.h"

static bool
status_unreachable(int st)
{
	return st == ONVIF_TIMEOUT || st == ONVIF_UNREACHABLE;
}

/* The host of a service URL, for devices never reached (site by address). */
void
store_url_host(const char *url, char *out, size_t outsz)
{
	const char *h = strstr(url, "://");
	size_t n;

	h = h != NULL ? h + 3 : url;
	if (*h == '[') {
		h++;
		n = strcspn(h, "]");
	} else
		n = strcspn(h, ":/");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, h, n);
	out[n] = '\0';
}

/*
 * The policy reads the fixed-size record: the row is expanded into one.
 * Static (main thread only): 10 KB kept off the stack, and initialised
 * once, since the regex engine may read past a string's NUL.
 */
void
store_classify(struct device *d, const struct policy *pol, time_t now,
    struct policy_result *out)
{
	static struct cam_identity id;
	enum policy_zone z;

	row_identity_get(&d->id, &id);
	if (id.address[0] == '\0')
		store_url_host(d->key, id.address, sizeof(id.address));
	policy_evaluate(pol, &id, now, out);
	if (d->site_cfg[0] != '\0' && policy_zone_parse(d->zone_cfg, &z) == 0) {
		str_lcpy(out->site, d->site_cfg, sizeof(out->site));
		policy_result_set_zone(out, z);
	}
}

int
store_push_event(struct dev_event *ev, int n, enum dev_event_type t,
    struct device *d, const char *prev)
{
	ev[n].type = t;
	ev[n].dev = d;
	str_lcpy(
	    ev[n].previous, prev != NULL ? prev : "", sizeof(ev[n].previous));
	return n + 1;
}

/* Verdict bookkeeping shared by poll results and policy reloads. */
int
store_verdict_events(struct device *d, const struct policy_result *nv,
    struct dev_event *ev, int n)
{
	enum policy_verdict old = d->verdict.verdict;

	if (nv->verdict == VERDICT_RESTRICTED && !d->announced) {
		d->announced = true;
		n = store_push_event(ev, n, EV_DETECTED_RESTRICTED, d, NULL);
	} else if (old != 0 && old != nv->verdict && d->identified)
		n = store_push_event(
		    ev, n, EV_VERDICT_CHANGED, d, policy_verdict_name(old));
	row_verdict_set(&d->verdict, nv);
	return n;
}

/*
 * What a poll learned of the camera's TLS certificate.  The pin follows
 * the certificate while nothing enforces it (verify-tls yes or no), so
 * that switching to pin mode trusts today's certificate; where it is
 * enforced, only a poll that matched it gets here, or a tls-pin from the
 * config set it.  A mismatch alarms once until a poll matches again.
 */
static int
tls_events(
    struct device *d, const struct onvif_result *r, struct dev_event *ev, int n)
{
	char pinned[65];

	if (!r->have_tls)
		return n;
	memcpy(d->tls_seen, r->tls_sha256, sizeof(d->tls_seen));
	d->has_tls_seen = true;
	if (r->status == ONVIF_CERT_CHANGED) {
		if (d->cert_alarm)
			return n;
		d->cert_alarm = true;
		str_format_sha256(d->tls_pin, pinned, sizeof(pinned));
		return store_push_event(ev, n, EV_CERT_CHANGED, d, pinned);
	}
	d->cert_alarm = false;
	if (!d->pin_cfg) {
		memcpy(d->tls_pin, r->tls_sha256, sizeof(d->tls_pin));
		d->has_pin = true;
	}
	return n;
}

/* ---- a poll's identity: ONVIF's, or what the camera said without one ---- */

/* What one result brings, beyond its ONVIF status. */
struct apply {
	const struct onvif_result *r;
	bool onvif_ok; /* ONVIF answered: its identity */
	bool probed; /* the collectors ran (facts.tried names one) */
	bool answered; /* ... and one of them answered */
	bool fresh; /* the identity comes from the facts alone */
	uint8_t carried; /* collectors whose facts are kept one probe more */
};

static void
apply_init(
    struct apply *a, const struct device *d, const struct onvif_result *r)
{
	const uint32_t others = ~CAM_PROBE(PROBE_ONVIF);

	a->r = r;
	a->onvif_ok = r->status == ONVIF_OK;
	a->probed = (r->id.facts.tried & others) != 0;
	a->answered = a->probed && (r->id.facts.answered & others) != 0;
	/* An identity ONVIF gave is kept; the facts fill what it lacks. */
	a->fresh =
	    !a->onvif_ok && a->answered && (!d->identified || d->by_facts);
}

/*
 * A poll does not say what discovery said (the endpoint reference) and may
 * lack scopes or a MAC: keep discovery's then.  The record is static (main
 * thread only: 15 KB kept off the stack), valid until the next call.
 */
static struct cam_identity *
with_discovered(
    const struct row_identity *id, const struct cam_identity *polled)
{
	static struct cam_identity merged;
	const char *sc;
	size_t i;

	merged = *polled;
	if (merged.endpoint[0] == '\0')
		str_lcpy(
		    merged.endpoint, id->endpoint, sizeof(merged.endpoint));
	if (merged.n_scopes == 0) {
		for (i = 0, sc = id->scopes; i < id->n_scopes;
		     i++, sc = row_scope_next(sc))
			str_lcpy(merged.scopes[i], sc, CAM_STR_MAX);
		merged.n_scopes = id->n_scopes;
	}
	if (merged.n_macs == 0) {
		memcpy(merged.macs, id->macs, sizeof(merged.macs));
		merged.n_macs = id->n_macs;
	}
	return &merged;
}

/*
 * The facts a probe that got answers leaves: those of the collectors that
 * answered, and for one probe more those of a collector that answered the
 * one before but not this one (a lost datagram, a busy web server), so
 * that one missed reply does not change a verdict; at a second miss they
 * go.  Returns the collectors carried over.
 */
static uint8_t
carry_facts(const struct cam_facts *old, struct cam_facts *nf)
{
	uint32_t missed = old->answered & nf->tried & ~nf->answered;
	size_t i;

	for (i = 0; missed != 0 && i < old->n; i++)
		if (missed & CAM_PROBE(old->f[i].probe))
			cam_fact_add(nf, (enum cam_fact_kind)old->f[i].kind,
			    (enum cam_probe)old->f[i].probe, old->f[i].text,
			    strlen(old->f[i].text));
	return (uint8_t)missed;
}

/*
 * The identity the row takes (a static record, main thread only): ONVIF's
 * when it answered; the facts' alone for a camera ONVIF never named (or
 * named only by facts); else the row's ONVIF identity.  The facts are the
 * probe's when a collector answered (carry_facts), else the row's.
 * Whichever, the model, serial and firmware left empty come from them.
 */
static struct cam_identity *
new_identity(const struct device *d, struct apply *a)
{
	static struct cam_identity was;
	static struct cam_facts old;
	const struct cam_identity *rid = &a->r->id;
	struct cam_identity *nid;

	row_identity_get(&d->id, &was);
	old = was.facts;
	if (a->onvif_ok || a->fresh)
		nid = with_discovered(&d->id, rid);
	else {
		if (was.n_macs == 0) {
			memcpy(was.macs, rid->macs, sizeof(was.macs));
			was.n_macs = rid->n_macs;
		}
		if (rid->address[0] != '\0')
			str_lcpy(
			    was.address, rid->address, sizeof(was.address));
		nid = &was;
	}
	if (a->answered) {
		nid->facts = rid->facts;
		a->carried = carry_facts(&old, &nid->facts);
		/* What SADP or DHIP discovery heard, when the probe did not
		 * ask them, stays. */
		store_merge_facts(&nid->facts, &old);
	} else {
		nid->facts = old;
		a->carried = d->id.facts_carried;
	}
	unauth_adopt_facts(nid);
	return nid;
}

/*
 * Serial and firmware changes of an identified camera, from the same
 * source as before (ONVIF's and a discovery reply's differ in shape: a
 * Hikvision's SADP firmware has no space before "build").  The facts'
 * firmware counts only when they said one.
 */
static int
identity_events(struct device *d, const struct cam_identity *nid,
    const struct apply *a, struct dev_event *ev, int n)
{
	if (!d->identified || (a->onvif_ok ? d->by_facts : !a->fresh))
		return n;
	if (d->id.serial[0] != '\0' && nid->serial[0] != '\0' &&
	    strcmp(d->id.serial, nid->serial) != 0) {
		n = store_push_event(ev, n, EV_SWAPPED, d, d->id.serial);
		d->announced = false;
		d->verdict.verdict = 0;
	} else if (d->id.firmware[0] != '\0' &&
	    (a->onvif_ok || nid->firmware[0] != '\0') &&
	    strcmp(d->id.firmware, nid->firmware) != 0)
		n = store_push_event(
		    ev, n, EV_FIRMWARE_CHANGED, d, d->id.firmware);
	return n;
}

/* camDeviceEvidence's bits only facts said without credentials set. */
#define FACT_EVIDENCE (POLICY_EV(EV_COUNT) - POLICY_EV(EV_MAKER_PROTOCOL))
_Static_assert(EV_MAKER_PROTOCOL == 13 && EV_OEM_CODE == 19 && EV_COUNT == 20,
    "the evidence of facts is bits 13 to 19");

/*
 * Take the result's identity.  A swapped camera's old facts were about the
 * old camera: gone unless this poll brought new ones.  Returns whether
 * the camera is identified now: ONVIF named it, or its facts gave a model
 * or serial, or a maker (*nv) on their own evidence (not only on what
 * discovery's scopes said).
 */
static bool
take_identity(struct device *d, struct apply *a, const struct policy *pol,
    time_t now, struct policy_result *nv, struct dev_event *ev, int *n)
{
	struct cam_identity *nid = new_identity(d, a);
	int before = *n;

	*n = identity_events(d, nid, a, ev, *n);
	if (*n > before && ev[*n - 1].type == EV_SWAPPED && !a->answered)
		memset(&nid->facts, 0, sizeof(nid->facts));
	row_identity_set(&d->id, nid);
	d->id.facts_carried = a->carried;
	store_classify(d, pol, now, nv);
	if (a->onvif_ok)
		return true;
	return a->fresh &&
	    (nid->model[0] != '\0' || nid->serial[0] != '\0' ||
		(nv->verdict != VERDICT_UNIDENTIFIED &&
		    (nv->evidence & FACT_EVIDENCE) != 0));
}

/* Whether the camera answers: ONVIF reached it, or a collector did. */
static int
reach_events(struct device *d, const struct apply *a, struct dev_event *ev)
{
	bool was_reachable = d->reachable;
	bool was_polled = d->poll_status != POLL_PENDING;
	int n = 0;

	d->poll_status = (int)a->r->status;
	d->reachable = !status_unreachable(a->r->status) || a->answered;
	/* A restored device counts as reachable until a poll says otherwise. */
	if (!d->reachable && was_reachable)
		n = store_push_event(ev, n, EV_UNREACHABLE, d, NULL);
	else if (d->reachable && !was_reachable &&
	    (was_polled || d->identified))
		n = store_push_event(ev, n, EV_REACHABLE, d, NULL);
	return n;
}

int
store_apply(struct store *s, struct device *d, const struct onvif_result *r,
    const struct policy *pol, time_t now, struct dev_event *ev)
{
	enum policy_verdict old = d->verdict.verdict;
	struct policy_result nv;
	struct apply a;
	bool identifies = false;
	int n;

	(void)s;
	apply_init(&a, d, r);
	d->in_flight = false;
	d->bye = false;
	row_set_shared(&d->poll_detail, r->detail);
	n = reach_events(d, &a, ev);
	n = tls_events(d, r, ev, n);
	if (a.probed)
		d->probed_at = now;
	if (a.onvif_ok || a.answered)
		identifies = take_identity(d, &a, pol, now, &nv, ev, &n);
	else {
		if (r->id.address[0] != '\0')
			row_set_own(&d->id.address, r->id.address);
		store_classify(d, pol, now, &nv);
	}
	/*
	 * "Unidentified" before a first identification only means not yet
	 * known: the verdict that follows is not a change worth a trap (a
	 * provisional verdict from discovery's scopes is, and stays).
	 */
	if (identifies && !d->identified &&
	    d->verdict.verdict == VERDICT_UNIDENTIFIED)
		d->verdict.verdict = 0;
	if (identifies) {
		d->identified = true;
		d->by_facts = !a.onvif_ok;
	}
	if (a.onvif_ok)
		d->auth = r->auth;
	if (a.onvif_ok || a.answered)
		d->last_seen = now;
	n = store_verdict_events(d, &nv, ev, n);
	/* A verdict changed by anything but a probe: the next poll probes. */
	if (!a.probed && old != 0 && d->verdict.verdict != old)
		d->probed_at = 0;
	return n;
}

int
store_reclassify(struct store *s, const struct policy *pol, time_t now,
    void (*emit)(const struct dev_event *, void *), void *arg)
{
	struct dev_event ev[2];
	struct policy_result nv;
	size_t i;
	int k, n, total = 0;

	for (i = 0; i < s->n; i++) {
		enum policy_verdict old = s->devs[i]->verdict.verdict;
		store_classify(s->devs[i], pol, now, &nv);
		n = store_verdict_events(s->devs[i], &nv, ev, 0);
		/* A new policy may say more with more facts: probe again. */
		if (old != 0 && s->devs[i]->verdict.verdict != old)
			s->devs[i]->probed_at = 0;
		for (k = 0; k < n && emit != NULL; k++)
			emit(&ev[k], arg);
		total += n;
	}
	return total;
}
