/*
 * store_disc.c: what discovery's sightings (WS-Discovery, SADP, DHIP) do to
 * the devices.
 *
 * Owns the identity rules for discovered cameras: a sighting is the device
 * with the same endpoint reference, else the same MAC, else the same
 * address, so a camera that moves (DHCP) keeps its row, one that answers
 * on several interfaces appears once, and one that answers WS-Discovery
 * and its maker's protocol too is one row.  Before any poll succeeds,
 * what discovery says (name and hardware scopes, endpoint; the facts of an
 * SADP or DHIP reply, and the model, serial and firmware they name) gives
 * the provisional verdict, so a camera with no credentials, or with ONVIF
 * off, still has one.
 * Also owns what discovery may add: at most discover-max-per-host rows
 * made by one sender and discover-max in all, and which row makes room
 * when the table is full, so that one LAN host cannot fill the table or
 * keep real cameras out of it.
 * Main thread only.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/store.h"
#include "agent/store_int.h"
#include "onvif/unauth.h"

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

static bool
is_discovered(const struct device *d)
{
	return d->method > DISC_CONFIGURED && !d->configured;
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

/* ---- senders: who a discovered row came from ----------------------------- */

/*
 * The sender of a discovered row: the address it is known at (discovery
 * only takes an XAddr on the sender's own address, and a move takes the
 * new sender's), else its URL's host; the rule same_address() follows.
 * In place, without a copy: this runs for every row of a pass.
 */
static const char *
sender_of(const struct device *d, size_t *len)
{
	const char *h;

	if (d->id.address[0] != '\0') {
		*len = strlen(d->id.address);
		return d->id.address;
	}
	h = strstr(d->key, "://");
	h = h != NULL ? h + 3 : d->key;
	if (*h == '[') {
		h++;
		*len = strcspn(h, "]");
	} else
		*len = strcspn(h, ":/");
	return h;
}

/* Discovered rows in all, and those of sender, in one pass. */
static void
census(
    const struct store *s, const char *sender, size_t *rows, size_t *of_sender)
{
	size_t i, len, slen = strlen(sender);
	const char *h;

	*rows = *of_sender = 0;
	for (i = 0; i < s->n; i++) {
		if (!is_discovered(s->devs[i]))
			continue;
		(*rows)++;
		h = sender_of(s->devs[i], &len);
		if (len == slen && memcmp(h, sender, len) == 0)
			(*of_sender)++;
	}
}

/*
 * Discovered rows per sender: open addressing, at most half full, and each
 * row's slot, so the second pass needs no lookup.
 */
struct tally_slot {
	const char *host; /* into a row; NULL: free */
	uint32_t len, rows;
};

struct tally {
	struct tally_slot *slot;
	uint32_t *of_row;
	size_t mask;
};

static size_t
tally_find(const struct tally *t, const char *h, size_t len)
{
	size_t i, x = 2166136261u; /* FNV-1a */

	for (i = 0; i < len; i++)
		x = (x ^ (unsigned char)h[i]) * 16777619u;
	for (i = x & t->mask; t->slot[i].host != NULL; i = (i + 1) & t->mask)
		if (t->slot[i].len == len &&
		    memcmp(t->slot[i].host, h, len) == 0)
			break;
	return i;
}

static int
tally_build(const struct store *s, struct tally *t)
{
	size_t i, k, len, size = 16;
	const char *h;

	while (size < 2 * s->n)
		size *= 2;
	t->slot = calloc(size, sizeof(*t->slot));
	t->of_row = calloc(s->n + 1, sizeof(*t->of_row));
	if (t->slot == NULL || t->of_row == NULL || size > UINT32_MAX)
		return -1;
	t->mask = size - 1;
	for (i = 0; i < s->n; i++) {
		if (!is_discovered(s->devs[i]))
			continue;
		h = sender_of(s->devs[i], &len);
		k = tally_find(t, h, len);
		t->slot[k].host = h;
		t->slot[k].len = (uint32_t)len;
		t->slot[k].rows++;
		t->of_row[i] = (uint32_t)k;
	}
	return 0;
}

static void
tally_free(struct tally *t)
{
	free(t->slot);
	free(t->of_row);
}

struct victim {
	size_t i, sender_rows;
	bool identified, reachable;
	time_t heard;
};

/* a goes before b: its sender has more rows, then it is worth less. */
static bool
goes_first(const struct victim *a, const struct victim *b)
{
	if (a->sender_rows != b->sender_rows)
		return a->sender_rows > b->sender_rows;
	if (a->identified != b->identified)
		return !a->identified;
	if (a->reachable != b->reachable)
		return !a->reachable;
	return a->heard < b->heard;
}

static void
victim_of(
    const struct device *d, size_t i, const struct tally *t, struct victim *v)
{
	v->i = i;
	/* No tally (out of memory): the old rule. */
	v->sender_rows = t->mask != 0 ? t->slot[t->of_row[i]].rows : 1;
	v->identified = d->identified;
	v->reachable = d->reachable;
	v->heard = d->last_announced > d->first_seen ? d->last_announced
						     : d->first_seen;
}

/*
 * The table is full: make room, so that rows a LAN host made up cannot lock
 * real cameras out.  First from the sender with the most rows (a host
 * announcing endpoints by the thousand), its row worth least: never
 * identified, then not answering, then heard of longest ago.  Where no
 * sender has two rows, only a row never identified that does not answer
 * may go.  Never a configured camera, never a row being polled.  Two
 * passes and a table of senders: O(n) per new row.
 */
static bool
evict_one(struct store *s)
{
	struct tally t = {NULL, NULL, 0};
	struct victim best = {0}, v;
	size_t i;

	best.i = s->n;
	if (tally_build(s, &t) != 0)
		t.mask = 0;
	for (i = 0; i < s->n; i++) {
		const struct device *d = s->devs[i];
		if (!is_discovered(d) || d->in_flight)
			continue;
		victim_of(d, i, &t, &v);
		if (v.sender_rows < 2 && (v.identified || v.reachable))
			continue;
		if (best.i == s->n || goes_first(&v, &best))
			best = v;
	}
	tally_free(&t);
	if (best.i == s->n)
		return false;
	store_key_remove(s, s->devs[best.i]);
	store_remove_at(s, best.i);
	return true;
}

/*
 * A new row, unless its sender made max_per_host already (one host cannot
 * fill the table, and a flood of its announcements is refused by one
 * pass), or the table is full and nothing may go.
 */
struct device *
store_add_discovered(struct store *s, const struct disc_sighting *sg,
    const struct cfg_discovery *cfg, time_t now, enum disc_added *what)
{
	char url[CAM_STR_MAX];
	struct device *d;
	size_t rows, mine;

	*what = DISC_REFUSED_URL;
	if (sg->kind != DISC_SEEN ||
	    onvif_target_url(sg->url, url, sizeof(url)) != 0)
		return NULL;
	*what = DISC_ADDED_KNOWN;
	if ((d = store_find_key(s, url)) != NULL)
		return d;
	census(s, sg->address, &rows, &mine);
	*what = DISC_REFUSED_HOST;
	if (mine >= (size_t)cfg->max_per_host)
		return NULL;
	*what = DISC_REFUSED_FULL;
	if (rows >= (size_t)cfg->max_devices && !evict_one(s))
		return NULL;
	if ((d = store_insert(s, url, 0)) == NULL)
		return NULL; /* out of memory: as good as full */
	d->method = sg->method;
	d->first_seen = now;
	d->reachable = true;
	row_set_shared(&d->credentials, cfg->credentials);
	row_set_own(&d->id.address, sg->address);
	store_key_insert(s, d);
	*what = DISC_ADDED_NEW;
	return d;
}

/* SADP and DHIP: the maker's protocol, not WS-Discovery. */
static bool
by_maker_protocol(const struct disc_sighting *sg)
{
	return sg->method == DISC_SADP || sg->method == DISC_DHIP;
}

/*
 * A discovered camera that moved: take the new URL, unless another row has
 * it, or the row was identified and no poll has since failed at its old
 * address (a Bye is not enough: anyone can send one).  Otherwise the
 * sighting may be a spoof claiming its endpoint; the poll the caller
 * sends settles it.  An SADP or DHIP reply only guesses the ONVIF URL
 * from the web port: at the same address, the row keeps the one it has
 * (WS-Discovery's XAddr, say), or the two would take turns.
 */
static int
move(struct store *s, struct device *d, const struct disc_sighting *sg)
{
	char url[CAM_STR_MAX];

	if (d->configured || onvif_target_url(sg->url, url, sizeof(url)) != 0 ||
	    strcmp(d->key, url) == 0 ||
	    (by_maker_protocol(sg) && same_address(d, sg->address)))
		return 0;
	if ((d->identified && d->reachable) || store_find_key(s, url) != NULL)
		return -1;
	store_key_remove(s, d);
	row_set_own(&d->key, url);
	row_set_own(&d->id.address, sg->address);
	store_key_insert(s, d);
	return 1;
}

static void
take_scopes(struct device *d, const struct disc_sighting *sg)
{
	/* Found by MAC or address: an endpoint it has is not overwritten. */
	if (d->id.endpoint[0] == '\0')
		row_set_own(&d->id.endpoint, sg->endpoint);
	/* A poll's GetScopes is authenticated: it wins once there is one.
	 * SADP and DHIP send none: WS-Discovery's stay. */
	if ((!d->identified || d->id.n_scopes == 0) && !by_maker_protocol(sg))
		row_set_scopes(&d->id, sg->scopes, sg->n_scopes);
	if (d->id.n_macs == 0 && sg->has_mac) {
		memcpy(d->id.macs[0], sg->mac, 6);
		d->id.n_macs = 1;
	}
	if (d->id.address[0] == '\0')
		row_set_own(&d->id.address, sg->address);
}

void
store_merge_facts(struct cam_facts *newer, const struct cam_facts *older)
{
	const struct cam_fact *f;
	size_t i;

	for (i = 0; i < older->n && i < CAM_FACTS_MAX; i++) {
		f = &older->f[i];
		if (!(newer->tried & CAM_PROBE(f->probe)))
			cam_fact_add(
			    newer, f->kind, f->probe, f->text, sizeof(f->text));
	}
	newer->answered |= older->answered & ~newer->tried;
	newer->tried |= older->tried;
}

/*
 * What an SADP or DHIP reply says replaces what that protocol said before;
 * the facts of the other collectors stay.  Until a poll identifies the
 * camera, its model, serial and firmware are the ones the facts name (as
 * unauth_adopt_facts() fills what ONVIF left empty), so they follow a
 * firmware upgrade; a poll's are never overwritten.
 */
static void
take_facts(struct device *d, const struct disc_sighting *sg)
{
	/* Main thread only: 14 KB kept off the stack. */
	static struct cam_identity id;
	static struct cam_facts heard;
	enum cam_probe p = sg->method == DISC_SADP ? PROBE_SADP : PROBE_DHIP;
	const struct cam_fact *f;
	size_t i;

	memset(&heard, 0, sizeof(heard));
	for (i = 0; i < sg->n_facts && i < DISC_FACTS_MAX; i++) {
		f = &sg->facts[i];
		cam_fact_add(&heard, f->kind, p, f->text, sizeof(f->text));
	}
	heard.tried = heard.answered = CAM_PROBE(p);
	row_identity_get(&d->id, &id);
	store_merge_facts(&heard, &id.facts);
	id.facts = heard;
	if (!d->identified) {
		id.model[0] = id.serial[0] = id.firmware[0] = '\0';
		unauth_adopt_facts(&id);
	}
	row_identity_set(&d->id, &id);
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
	if (by_maker_protocol(sg))
		take_facts(d, sg);
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

/*
 * A Bye says nothing we can check (anyone on the LAN can send one in the
 * camera's name, from its address): it only asks for a poll, and the
 * camera is unreachable when that poll fails.
 */
int
store_bye(struct store *s, struct device *d, const char *from, time_t now)
{
	(void)s;
	if (!same_address(d, from))
		return -1;
	d->bye = true;
	d->last_announced = now;
	return 0;
}
