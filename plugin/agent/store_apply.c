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
 * Main thread only.
 */
#include <stdio.h>
#include <string.h>

#include "agent/store.h"
#include "agent/store_int.h"
#include "common/strutil.h"

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

static int
identity_events(struct device *d, const struct cam_identity *nid,
    struct dev_event *ev, int n)
{
	if (!d->identified)
		return n;
	if (d->id.serial[0] != '\0' && nid->serial[0] != '\0' &&
	    strcmp(d->id.serial, nid->serial) != 0) {
		n = store_push_event(ev, n, EV_SWAPPED, d, d->id.serial);
		d->announced = false;
		d->verdict.verdict = 0;
	} else if (d->id.firmware[0] != '\0' &&
	    strcmp(d->id.firmware, nid->firmware) != 0)
		n = store_push_event(
		    ev, n, EV_FIRMWARE_CHANGED, d, d->id.firmware);
	return n;
}

/*
 * A poll does not say what discovery said (the endpoint reference) and may
 * lack scopes or a MAC: keep discovery's then.
 */
static void
keep_discovered(struct row_identity *id, const struct cam_identity *polled)
{
	/* Main thread only: 10 KB kept off the stack. */
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
	/* Nor what SADP or DHIP discovery heard, unless it asked them too. */
	if (id->n_facts > 0) {
		static struct cam_facts old;
		row_facts_get(id, &old);
		store_merge_facts(&merged.facts, &old);
	}
	row_identity_set(id, &merged);
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

int
store_apply(struct store *s, struct device *d, const struct onvif_result *r,
    const struct policy *pol, time_t now, struct dev_event *ev)
{
	struct policy_result nv;
	int n = 0;
	bool was_reachable = d->reachable, was_polled;

	(void)s;
	was_polled = d->poll_status != POLL_PENDING;
	d->in_flight = false;
	d->bye = false;
	d->poll_status = (int)r->status;
	row_set_shared(&d->poll_detail, r->detail);
	d->reachable = !status_unreachable(r->status);
	/* A restored device counts as reachable until a poll says otherwise. */
	if (!d->reachable && was_reachable)
		n = store_push_event(ev, n, EV_UNREACHABLE, d, NULL);
	else if (d->reachable && !was_reachable &&
	    (was_polled || d->identified))
		n = store_push_event(ev, n, EV_REACHABLE, d, NULL);
	n = tls_events(d, r, ev, n);
	/*
	 * "Unidentified" before a first identification only means not yet
	 * known: the verdict that follows is not a change worth a trap (a
	 * provisional verdict from discovery's scopes is, and stays).
	 */
	if (r->status == ONVIF_OK && !d->identified &&
	    d->verdict.verdict == VERDICT_UNIDENTIFIED)
		d->verdict.verdict = 0;
	if (r->status == ONVIF_OK) {
		n = identity_events(d, &r->id, ev, n);
		keep_discovered(&d->id, &r->id);
		d->auth = r->auth;
		d->identified = true;
		d->last_seen = now;
	} else if (r->id.address[0] != '\0')
		row_set_own(&d->id.address, r->id.address);
	store_classify(d, pol, now, &nv);
	return store_verdict_events(d, &nv, ev, n);
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
		store_classify(s->devs[i], pol, now, &nv);
		n = store_verdict_events(s->devs[i], &nv, ev, 0);
		for (k = 0; k < n && emit != NULL; k++)
			emit(&ev[k], arg);
		total += n;
	}
	return total;
}
