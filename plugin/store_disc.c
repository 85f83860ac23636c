/*
 * store_disc.c: what WS-Discovery sightings do to the devices.
 *
 * Owns the identity rules for discovered cameras: a sighting is the device
 * with the same endpoint reference, else the same MAC, else the same
 * address, so a camera that moves (DHCP) keeps its row and one that
 * answers on several interfaces appears once.  Before any poll succeeds,
 * what discovery says (name and hardware scopes, endpoint) gives the
 * provisional verdict, so a camera with no credentials still has one.
 * Main thread only.
 */
#include <string.h>
#include <strings.h>

#include "daemon.h"
#include "store_int.h"
#include "strutil.h"

static bool
same_address(const struct device *d, const char *addr)
{
	char host[CAM_ADDR_MAX];

	if (d->id.address[0] != '\0')
		return strcmp(d->id.address, addr) == 0;
	store_url_host(d->key, host, sizeof(host));
	return strcmp(host, addr) == 0;
}

static bool
has_mac(const struct device *d, const uint8_t mac[6])
{
	size_t i;

	for (i = 0; i < d->id.n_macs && i < CAM_MACS_MAX; i++)
		if (memcmp(d->id.macs[i], mac, 6) == 0)
			return true;
	return false;
}

static bool
endpoint_fits(const struct device *d, const struct disc_sighting *sg)
{
	return d->id.endpoint[0] == '\0' || sg->endpoint[0] == '\0';
}

/* Linear, and bounded by the discovery rate limit; see discovery.c. */
struct device *
store_find_sighting(struct store *s, const struct disc_sighting *sg)
{
	struct device *by_mac = NULL, *by_addr = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct device *d = s->devs[i];
		if (sg->endpoint[0] != '\0' &&
		    strcasecmp(d->id.endpoint, sg->endpoint) == 0)
			return d;
		if (by_mac == NULL && sg->has_mac && has_mac(d, sg->mac))
			by_mac = d;
		if (by_addr == NULL && sg->address[0] != '\0' &&
		    same_address(d, sg->address))
			by_addr = d;
	}
	/* A device that already has another endpoint is another camera. */
	if (by_mac != NULL && endpoint_fits(by_mac, sg))
		return by_mac;
	if (by_addr != NULL && endpoint_fits(by_addr, sg))
		return by_addr;
	return NULL;
}

static size_t
discovered_rows(const struct store *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->devs[i]->method > DISC_CONFIGURED &&
		    !s->devs[i]->configured)
			n++;
	return n;
}

bool
store_discovered_full(const struct store *s, int max)
{
	return discovered_rows(s) >= (size_t)max;
}

/* Silent for days: the camera is gone (or was never there, if spoofed). */
size_t
store_expire(struct store *s, time_t now, int days)
{
	time_t last, limit = now - (time_t)days * 86400;
	size_t i, n = 0;

	for (i = s->n; i > 0; i--) {
		struct device *d = s->devs[i - 1];
		if (d->method <= DISC_CONFIGURED || d->configured ||
		    d->in_flight)
			continue;
		last = d->first_seen;
		if (d->last_seen > last)
			last = d->last_seen;
		/* Announcing keeps a row only while polls reach it. */
		if (d->reachable && d->last_announced > last)
			last = d->last_announced;
		if (last < limit) {
			store_remove_at(s, i - 1);
			n++;
		}
	}
	if (n > 0)
		store_reindex(s);
	return n;
}

/*
 * The table is full: make room by dropping the discovered row that was
 * never identified, does not answer, and was heard of longest ago, so
 * that rows a spoofer created cannot lock real cameras out for good.
 */
static bool
evict_one(struct store *s)
{
	size_t i, victim = s->n;
	time_t best = 0, t;

	for (i = 0; i < s->n; i++) {
		const struct device *d = s->devs[i];
		if (d->method <= DISC_CONFIGURED || d->configured ||
		    d->identified || d->reachable || d->in_flight)
			continue;
		t = d->last_announced > d->first_seen ? d->last_announced
						      : d->first_seen;
		if (victim == s->n || t < best) {
			victim = i;
			best = t;
		}
	}
	if (victim == s->n)
		return false;
	store_remove_at(s, victim);
	store_reindex(s);
	return true;
}

struct device *
store_add_discovered(struct store *s, const struct disc_sighting *sg,
    const char *credentials, int max, time_t now)
{
	char url[CAM_STR_MAX];
	struct device *d;

	if (sg->kind != DISC_SEEN ||
	    onvif_target_url(sg->url, url, sizeof(url)) != 0)
		return NULL;
	if ((d = store_find_key(s, url)) != NULL)
		return d;
	if (store_discovered_full(s, max) && !evict_one(s))
		return NULL;
	if ((d = store_insert(s, url, 0)) == NULL)
		return NULL;
	d->method = sg->method;
	d->first_seen = now;
	d->reachable = true;
	str_lcpy(d->credentials, credentials, sizeof(d->credentials));
	str_lcpy(d->id.address, sg->address, sizeof(d->id.address));
	store_reindex(s);
	return d;
}

/*
 * A discovered camera that moved: take the new URL, unless another row has
 * it, or the row was identified and no poll has since failed at its old
 * address (a Bye is not enough: anyone can send one).  Otherwise the
 * sighting may be a spoof claiming its endpoint; the poll the caller
 * sends settles it.
 */
static int
move(struct store *s, struct device *d, const struct disc_sighting *sg)
{
	char url[CAM_STR_MAX];

	if (d->configured || onvif_target_url(sg->url, url, sizeof(url)) != 0 ||
	    strcmp(d->key, url) == 0)
		return 0;
	if ((d->identified && (d->reachable || d->bye)) ||
	    store_find_key(s, url) != NULL)
		return -1;
	str_lcpy(d->key, url, sizeof(d->key));
	str_lcpy(d->id.address, sg->address, sizeof(d->id.address));
	store_reindex(s);
	return 1;
}

static void
take_scopes(struct device *d, const struct disc_sighting *sg)
{
	size_t i;

	/* Found by MAC or address: an endpoint it has is not overwritten. */
	if (d->id.endpoint[0] == '\0')
		str_lcpy(d->id.endpoint, sg->endpoint, sizeof(d->id.endpoint));
	/* A poll's GetScopes is authenticated: it wins once there is one. */
	if (!d->identified || d->id.n_scopes == 0) {
		for (i = 0; i < sg->n_scopes && i < CAM_SCOPES_MAX; i++)
			str_lcpy(d->id.scopes[i], sg->scopes[i], CAM_STR_MAX);
		d->id.n_scopes = i;
	}
	if (d->id.n_macs == 0 && sg->has_mac) {
		memcpy(d->id.macs[0], sg->mac, 6);
		d->id.n_macs = 1;
	}
	if (d->id.address[0] == '\0')
		str_lcpy(d->id.address, sg->address, sizeof(d->id.address));
}

int
store_sighting(struct store *s, struct device *d,
    const struct disc_sighting *sg, const struct policy *pol, time_t now,
    int *moved, struct dev_event *ev)
{
	struct policy_result nv;

	*moved = move(s, d, sg);
	if (*moved < 0)
		return 0;
	take_scopes(d, sg);
	d->last_announced = now;
	if (sg->metadata_version != 0)
		d->metadata_version = sg->metadata_version;
	if (d->method == 0)
		d->method = sg->method;
	if (d->identified)
		return 0;
	store_classify(d, pol, now, &nv);
	return store_verdict_events(d, &nv, ev, 0);
}

int
store_bye(struct store *s, struct device *d, const char *from, time_t now,
    struct dev_event *ev)
{
	(void)s;
	if (!same_address(d, from))
		return -1;
	d->last_announced = now;
	if (!d->reachable)
		return 0;
	d->reachable = false;
	d->bye = true;
	d->poll_status = ONVIF_UNREACHABLE;
	str_lcpy(d->poll_detail, "WS-Discovery Bye", sizeof(d->poll_detail));
	return store_push_event(ev, 0, EV_UNREACHABLE, d, NULL);
}
