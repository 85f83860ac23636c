/*
 * check_store.c: the store's notification rules and the state file, driven
 * with plain structs and the shipped policy (no sockets, no SNMP).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "agent/store.h"
#include "agent/config.h"
#include "common/intern.h"
#include "common/strutil.h"

static struct policy *pol;
/* Under $TMPDIR (default /tmp), as every test's own directory. */
static char tmpdir[200];

static void
setup(void)
{
	pol = fx_policy("", "hq");
}

static void
teardown(void)
{
	policy_free(pol);
}

static struct device *
add(struct store *s, const char *url)
{
	return fx_camera(s, url, 1000);
}

START_TEST(restricted_detected_once)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s, "http://192.0.2.10/onvif/device_service");
	struct onvif_result r;
	struct dev_event ev[4];
	int n;

	fx_hik_result(&r, "V5.7.13 build 230706", "SER1");
	n = store_apply(s, d, &r, pol, 1001, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_DETECTED_RESTRICTED);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_int_eq(d->verdict.action, ACTION_REMOVE);
	/* The same camera again: nothing new. */
	ck_assert_int_eq(store_apply(s, d, &r, pol, 1002, ev), 0);
	store_free(s);
}
END_TEST

START_TEST(firmware_swap_and_reachability)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s, "http://192.0.2.10/onvif/device_service");
	struct onvif_result r, down;
	struct dev_event ev[4];
	int n;

	fx_hik_result(&r, "V5.7.13 build 230706", "SER1");
	store_apply(s, d, &r, pol, 1001, ev);
	fx_hik_result(&r, "V5.8.0 build 240101", "SER1");
	n = store_apply(s, d, &r, pol, 1002, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_FIRMWARE_CHANGED);
	ck_assert_str_eq(ev[0].previous, "V5.7.13 build 230706");
	/* Another serial at the same address: a swap, announced anew. */
	fx_hik_result(&r, "V5.8.0 build 240101", "SER2");
	n = store_apply(s, d, &r, pol, 1003, ev);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ev[0].type, EV_SWAPPED);
	ck_assert_str_eq(ev[0].previous, "SER1");
	ck_assert_int_eq(ev[1].type, EV_DETECTED_RESTRICTED);
	/* Down keeps the identity and verdict; back up says so. */
	memset(&down, 0, sizeof(down));
	down.status = ONVIF_TIMEOUT;
	n = store_apply(s, d, &down, pol, 1004, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_UNREACHABLE);
	ck_assert_str_eq(d->id.serial, "SER2");
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_int_eq(store_apply(s, d, &down, pol, 1005, ev), 0);
	n = store_apply(s, d, &r, pol, 1006, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_REACHABLE);
	store_free(s);
}
END_TEST

START_TEST(verdict_change_carries_previous)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s, "http://192.0.2.11/onvif/device_service");
	struct onvif_result r;
	struct dev_event ev[4];
	int n;

	fx_hik_result(&r, "V5.7.13 build 230706", "SER1");
	str_lcpy(r.id.manufacturer, "AXIS", CAM_STR_MAX);
	str_lcpy(r.id.model, "P3818-PVE", CAM_STR_MAX);
	str_lcpy(r.id.firmware, "11.9.60", CAM_STR_MAX);
	str_parse_mac("b8:a4:4f:a0:4f:26", r.id.macs[0]);
	/* Classified before any poll: "unidentified", not yet known. */
	store_reclassify(s, pol, 1000, NULL, NULL);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_UNIDENTIFIED);
	/* Its first identification is no change of verdict: no trap. */
	n = store_apply(s, d, &r, pol, 1001, ev);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_COMPLIANT);
	/* Same serial, now answering as a Hikvision: first restricted sighting.
	 */
	fx_hik_result(&r, "11.9.60", "SER1");
	n = store_apply(s, d, &r, pol, 1002, ev);
	ck_assert_int_ge(n, 1);
	ck_assert_int_eq(ev[n - 1].type, EV_DETECTED_RESTRICTED);
	/* Back to compliant: a verdict change naming "restricted". */
	fx_hik_result(&r, "11.9.60", "SER1");
	str_lcpy(r.id.manufacturer, "AXIS", CAM_STR_MAX);
	str_lcpy(r.id.model, "P3818-PVE", CAM_STR_MAX);
	str_parse_mac("b8:a4:4f:a0:4f:26", r.id.macs[0]);
	n = store_apply(s, d, &r, pol, 1003, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_VERDICT_CHANGED);
	ck_assert_str_eq(ev[0].previous, "restricted");
	store_free(s);
}
END_TEST

START_TEST(state_round_trip_keeps_indexes_and_announcements)
{
	char path[256], err[256];
	struct store *s = store_new(NULL), *s2;
	struct device *a, *b, *d;
	struct onvif_result r;
	struct dev_event ev[4];

	snprintf(path, sizeof(path), "%s/state", tmpdir);
	a = add(s, "http://192.0.2.10/onvif/device_service");
	b = add(s, "http://192.0.2.12/onvif/device_service");
	fx_hik_result(&r, "V5.7.13 build 230706", "SER 1%=\xc3\xa9");
	store_apply(s, a, &r, pol, 1001, ev);
	/* What it said without credentials comes back too, byte for byte. */
	static struct cam_identity was, back;
	memset(&was, 0, sizeof(was));
	was.facts.tried = CAM_PROBE(PROBE_SADP) | CAM_PROBE(PROBE_HTTP);
	was.facts.answered = CAM_PROBE(PROBE_SADP);
	cam_fact_add(&was.facts, FACT_PROTOCOL, PROBE_SADP, "sadp", 4);
	cam_fact_add(
	    &was.facts, FACT_HTTP_TITLE, PROBE_HTTP, "a b%c=d \xc3\xa9", 12);
	cam_fact_add(&was.facts, FACT_RTSP_DATE, PROBE_RTSP, "x", 1);
	row_set_facts(&a->id, &was.facts);
	ck_assert_int_eq(store_save(s, path), 0);
	s2 = store_new(NULL);
	ck_assert_int_eq(store_load(s2, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(store_count(s2), 2);
	d = store_find(s2, a->index);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->key, a->key);
	ck_assert_str_eq(d->id.serial, a->id.serial);
	row_identity_get(&d->id, &back);
	ck_assert_uint_eq(back.facts.n, 3);
	ck_assert_uint_eq(back.facts.tried, was.facts.tried);
	ck_assert_uint_eq(back.facts.answered, was.facts.answered);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(back.facts.f[i].kind, was.facts.f[i].kind);
		ck_assert_int_eq(back.facts.f[i].probe, was.facts.f[i].probe);
		ck_assert_str_eq(back.facts.f[i].text, was.facts.f[i].text);
	}
	ck_assert(d->announced);
	ck_assert_ptr_nonnull(store_find(s2, b->index));
	/* Polling it again after the restart: no second detection. */
	ck_assert_int_eq(store_apply(s2, d, &r, pol, 1002, ev), 0);
	/* A new camera gets a fresh index, never a reused one. */
	d = add(s2, "http://192.0.2.13/onvif/device_service");
	ck_assert_uint_gt(d->index, b->index);
	store_free(s);
	store_free(s2);
}
END_TEST

/* A Hello as discovery.c queues it: Hikvision's scopes, no credentials. */
static void
hik_sighting(struct disc_sighting *sg, const char *endpoint, const char *addr)
{
	memset(sg, 0, sizeof(*sg));
	sg->kind = DISC_SEEN;
	sg->method = DISC_HELLO;
	str_lcpy(sg->endpoint, endpoint, sizeof(sg->endpoint));
	snprintf(
	    sg->url, sizeof(sg->url), "http://%s/onvif/device_service", addr);
	str_lcpy(sg->address, addr, sizeof(sg->address));
	str_lcpy(sg->scopes[0],
	    "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I",
	    CAM_STR_MAX);
	str_lcpy(sg->scopes[1], "onvif://www.onvif.org/hardware/DS-2CD2143G2-I",
	    CAM_STR_MAX);
	sg->n_scopes = 2;
}

static enum disc_added added;

/* store_add_discovered() with this table size and per-sender limit. */
static struct device *
discover(struct store *s, const struct disc_sighting *sg, const char *creds,
    int max, int per_host, time_t now)
{
	struct cfg_discovery c;

	memset(&c, 0, sizeof(c));
	str_lcpy(c.credentials, creds, sizeof(c.credentials));
	c.max_devices = max;
	c.max_per_host = per_host;
	return store_add_discovered(s, sg, &c, now, &added);
}

START_TEST(hello_gives_provisional_verdict_and_one_row)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;
	int n, moved;

	hik_sighting(
	    &sg, "urn:uuid:0a0b0c0d-0000-4000-8000-000000000001", "192.0.2.20");
	ck_assert_ptr_null(store_find_sighting(s, &sg));
	d = discover(s, &sg, "site-creds", 10, 4, 1000);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->method, DISC_HELLO);
	ck_assert_str_eq(d->credentials, "site-creds");
	n = store_sighting(s, d, &sg, pol, 1000, &moved, ev);
	ck_assert_int_eq(moved, 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_DETECTED_RESTRICTED);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_int_eq(d->verdict.zone, ZONE_SENSITIVE);
	ck_assert_int_eq((int)d->last_announced, 1000);
	/* The same endpoint from another interface's address: same row. */
	str_lcpy(sg.address, "192.0.2.21", sizeof(sg.address));
	str_lcpy(
	    sg.url, "http://192.0.2.21/onvif/device_service", sizeof(sg.url));
	ck_assert_ptr_eq(store_find_sighting(s, &sg), d);
	/* Not identified yet: it may move (DHCP) and keeps its index. */
	ck_assert_int_eq(store_sighting(s, d, &sg, pol, 1001, &moved, ev), 0);
	ck_assert_int_eq(moved, 1);
	ck_assert_str_eq(d->key, "http://192.0.2.21/onvif/device_service");
	ck_assert_uint_eq(store_count(s), 1);
	store_free(s);
}
END_TEST

START_TEST(spoofed_move_and_bye_are_refused)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg, bye;
	struct onvif_result r;
	struct dev_event ev[4];
	struct device *d;
	int moved;

	hik_sighting(
	    &sg, "urn:uuid:0a0b0c0d-0000-4000-8000-000000000002", "192.0.2.10");
	d = discover(s, &sg, "", 10, 4, 1000);
	store_sighting(s, d, &sg, pol, 1000, &moved, ev);
	fx_hik_result(&r, "V5.7.13 build 230706", "SER1");
	store_apply(s, d, &r, pol, 1001, ev);
	/* The poll keeps what discovery said that a poll does not. */
	ck_assert_str_eq(d->id.endpoint, sg.endpoint);
	/* Answering at its address: a Hello claiming it elsewhere is refused.
	 */
	str_lcpy(
	    sg.url, "http://192.0.2.99/onvif/device_service", sizeof(sg.url));
	str_lcpy(sg.address, "192.0.2.99", sizeof(sg.address));
	store_sighting(s, d, &sg, pol, 1002, &moved, ev);
	ck_assert_int_eq(moved, -1);
	ck_assert_str_eq(d->key, "http://192.0.2.10/onvif/device_service");
	/* A Bye from another address changes nothing... */
	memset(&bye, 0, sizeof(bye));
	bye.kind = DISC_BYE;
	str_lcpy(bye.endpoint, sg.endpoint, sizeof(bye.endpoint));
	str_lcpy(bye.address, "192.0.2.99", sizeof(bye.address));
	ck_assert_ptr_eq(store_find_sighting(s, &bye), d);
	ck_assert_int_eq(store_bye(s, d, bye.address, 1003), -1);
	ck_assert(!d->bye);
	ck_assert_int_eq((int)d->last_announced, 1000);
	/* ... from its own (spoofable too) it only asks for a poll. */
	ck_assert_int_eq(store_bye(s, d, "192.0.2.10", 1004), 0);
	ck_assert(d->bye);
	ck_assert(d->reachable);
	ck_assert_int_eq((int)d->last_announced, 1004);
	/* A Bye then a Hello from elsewhere: still no move. */
	store_sighting(s, d, &sg, pol, 1005, &moved, ev);
	ck_assert_int_eq(moved, -1);
	ck_assert_str_eq(d->key, "http://192.0.2.10/onvif/device_service");
	store_free(s);
}
END_TEST

/* A Bye asks for a poll; the poll decides, so spoofed Byes flap nothing. */
START_TEST(bye_waits_for_the_poll)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct onvif_result ok, down;
	struct dev_event ev[4];
	struct device *d;
	int moved;

	hik_sighting(
	    &sg, "urn:uuid:0a0b0c0d-0000-4000-8000-000000000005", "192.0.2.10");
	d = discover(s, &sg, "", 10, 4, 1000);
	store_sighting(s, d, &sg, pol, 1000, &moved, ev);
	fx_hik_result(&ok, "V5.7.13 build 230706", "SER1");
	memset(&down, 0, sizeof(down));
	down.status = ONVIF_UNREACHABLE;
	ck_assert_int_eq(store_apply(s, d, &ok, pol, 1001, ev), 0);
	ck_assert(d->identified && d->announced);
	/* A spoofed Bye: the camera answers the poll, and no trap at all. */
	ck_assert_int_eq(store_bye(s, d, "192.0.2.10", 1002), 0);
	ck_assert_int_eq(store_apply(s, d, &ok, pol, 1003, ev), 0);
	ck_assert(!d->bye);
	ck_assert(d->reachable);
	/* A real one: the poll fails, and that makes it unreachable, once. */
	ck_assert_int_eq(store_bye(s, d, "192.0.2.10", 1004), 0);
	ck_assert_int_eq(store_apply(s, d, &down, pol, 1005, ev), 1);
	ck_assert_int_eq(ev[0].type, EV_UNREACHABLE);
	ck_assert(!d->reachable);
	ck_assert(!d->bye);
	ck_assert_int_eq(store_bye(s, d, "192.0.2.10", 1006), 0);
	ck_assert_int_eq(store_apply(s, d, &down, pol, 1007, ev), 0);
	/* Its old address failed: it may now move (DHCP). */
	str_lcpy(
	    sg.url, "http://192.0.2.11/onvif/device_service", sizeof(sg.url));
	str_lcpy(sg.address, "192.0.2.11", sizeof(sg.address));
	store_sighting(s, d, &sg, pol, 1008, &moved, ev);
	ck_assert_int_eq(moved, 1);
	ck_assert_str_eq(d->key, "http://192.0.2.11/onvif/device_service");
	/* The index by key followed the move. */
	ck_assert_ptr_eq(discover(s, &sg, "", 10, 4, 1009), d);
	ck_assert_int_eq(added, DISC_ADDED_KNOWN);
	store_free(s);
}
END_TEST

/* A sighting of endpoint n from addr, at its own port and path. */
static void
flood_sighting(struct disc_sighting *sg, const char *addr, unsigned n)
{
	char ep[64];

	snprintf(ep, sizeof(ep), "urn:uuid:f100d000-0000-4000-8000-%012u", n);
	hik_sighting(sg, ep, addr);
	snprintf(sg->url, sizeof(sg->url), "http://%s:%u/onvif/%u", addr,
	    8000 + n, n);
}

static size_t
rows_of(struct store *s, const char *addr)
{
	size_t i, n = 0;

	for (i = 0; i < store_count(s); i++)
		if (!store_at(s, i)->configured &&
		    strcmp(store_at(s, i)->id.address, addr) == 0)
			n++;
	return n;
}

START_TEST(one_sender_makes_at_most_max_per_host_rows)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct device *first = NULL, *d;
	unsigned n;

	/* A flood of new endpoints from one host: four rows, then refusals. */
	for (n = 0; n < 50; n++) {
		flood_sighting(&sg, "192.0.2.66", n);
		d = discover(s, &sg, "", 100, 4, 1000 + n);
		ck_assert_int_eq(
		    added, n < 4 ? DISC_ADDED_NEW : DISC_REFUSED_HOST);
		if (n == 0)
			first = d;
	}
	ck_assert_uint_eq(store_count(s), 4);
	ck_assert_uint_eq(rows_of(s, "192.0.2.66"), 4);
	/* A row it has already is still found, at the limit. */
	flood_sighting(&sg, "192.0.2.66", 0);
	ck_assert_ptr_eq(discover(s, &sg, "", 100, 4, 2000), first);
	ck_assert_int_eq(added, DISC_ADDED_KNOWN);
	/* Another sender is not held to the first one's rows. */
	flood_sighting(&sg, "192.0.2.67", 100);
	ck_assert_ptr_nonnull(discover(s, &sg, "", 100, 4, 2001));
	ck_assert_int_eq(added, DISC_ADDED_NEW);
	/* Configured cameras on a host do not count against it. */
	add(s, "http://192.0.2.68:81/onvif/device_service");
	add(s, "http://192.0.2.68:82/onvif/device_service");
	for (n = 200; n < 205; n++) {
		flood_sighting(&sg, "192.0.2.68", n);
		discover(s, &sg, "", 100, 4, 2002);
		ck_assert_int_eq(
		    added, n < 204 ? DISC_ADDED_NEW : DISC_REFUSED_HOST);
	}
	ck_assert_uint_eq(rows_of(s, "192.0.2.68"), 4);
	ck_assert_uint_eq(store_count(s), 4 + 1 + 2 + 4);
	store_free(s);
}
END_TEST

/* Rows of sender addr, numbered from n, announced at t, t+2, ... */
static void
fill(struct store *s, const char *addr, unsigned n, unsigned rows, time_t t,
    int max)
{
	struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;
	unsigned i;
	int moved;

	for (i = 0; i < rows; i++) {
		flood_sighting(&sg, addr, n + i);
		d = discover(s, &sg, "", max, 4, t);
		ck_assert_int_eq(added, DISC_ADDED_NEW);
		store_sighting(s, d, &sg, pol, t + 2 * (time_t)i, &moved, ev);
	}
}

/* A poll of endpoint n at addr returns r (from addr, as a poll does). */
static void
answer(struct store *s, const char *addr, unsigned n, struct onvif_result *r)
{
	struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;

	flood_sighting(&sg, addr, n);
	ck_assert_ptr_nonnull(d = store_find_sighting(s, &sg));
	if (r->status == ONVIF_OK)
		str_lcpy(r->id.address, addr, sizeof(r->id.address));
	store_apply(s, d, r, pol, 1100, ev);
}

static struct device *
find_url(struct store *s, const char *url)
{
	size_t i;

	for (i = 0; i < store_count(s); i++)
		if (strcmp(store_at(s, i)->key, url) == 0)
			return store_at(s, i);
	return NULL;
}

static bool
has_endpoint(struct store *s, unsigned n)
{
	struct disc_sighting sg;

	flood_sighting(&sg, "192.0.2.1", n);
	return store_find_sighting(s, &sg) != NULL;
}

START_TEST(full_table_evicts_from_the_biggest_sender)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct onvif_result ok, down;
	struct device *d;

	fx_hik_result(&ok, "V5.7.13 build 230706", "SER1");
	memset(&down, 0, sizeof(down));
	down.status = ONVIF_UNREACHABLE;
	/* A configured camera on the flooder's host: never counted, never
	 * evicted. */
	add(s, "http://192.0.2.66:81/onvif/device_service");
	/* Full, max 8: .66 has 4 rows, .67 3, a real camera at .10 one. */
	fill(s, "192.0.2.66", 0, 4, 1010, 8);
	fill(s, "192.0.2.67", 10, 3, 1001, 8);
	fill(s, "192.0.2.10", 20, 1, 1000, 8);
	answer(s, "192.0.2.10", 20, &ok);
	/* .66: one identified, one not answering, two waiting. */
	answer(s, "192.0.2.66", 0, &ok);
	answer(s, "192.0.2.66", 3, &down);
	/* A real camera appears: .66's row not answering makes room. */
	flood_sighting(&sg, "192.0.2.11", 30);
	ck_assert_ptr_nonnull(discover(s, &sg, "", 8, 4, 1200));
	ck_assert_int_eq(added, DISC_ADDED_NEW);
	ck_assert(!has_endpoint(s, 3));
	ck_assert_uint_eq(rows_of(s, "192.0.2.66"), 3);
	/* .66 and .67 have 3 each: the row heard of longest ago goes
	 * (.67's first, at 1001), never .66's identified one. */
	flood_sighting(&sg, "192.0.2.12", 31);
	ck_assert_ptr_nonnull(discover(s, &sg, "", 8, 4, 1201));
	ck_assert(!has_endpoint(s, 10));
	/* A row being polled never goes: .66's waiting rows are in flight,
	 * so its identified one is the next to go. */
	flood_sighting(&sg, "192.0.2.66", 1);
	store_find_sighting(s, &sg)->in_flight = true;
	flood_sighting(&sg, "192.0.2.66", 2);
	store_find_sighting(s, &sg)->in_flight = true;
	flood_sighting(&sg, "192.0.2.13", 32);
	ck_assert_ptr_nonnull(discover(s, &sg, "", 8, 4, 1202));
	ck_assert(!has_endpoint(s, 0));
	ck_assert(has_endpoint(s, 1) && has_endpoint(s, 2));
	ck_assert_uint_eq(store_count(s), 1 + 8);
	ck_assert_ptr_nonnull(
	    find_url(s, "http://192.0.2.66:81/onvif/device_service"));
	/* The index by key lost the evicted rows: their URLs make new rows. */
	flood_sighting(&sg, "192.0.2.66", 3);
	d = discover(s, &sg, "", 100, 4, 1203);
	ck_assert_int_eq(added, DISC_ADDED_NEW);
	ck_assert_str_eq(d->key, sg.url);
	store_free(s);
}
END_TEST

START_TEST(sightings_never_merge_or_steal_rows)
{
	struct store *s = store_new(NULL);
	struct disc_sighting a, b;
	struct dev_event ev[4];
	struct device *da, *db;
	int moved;

	hik_sighting(
	    &a, "urn:uuid:0a0b0c0d-0000-4000-8000-00000000000a", "192.0.2.40");
	hik_sighting(
	    &b, "urn:uuid:0a0b0c0d-0000-4000-8000-00000000000b", "192.0.2.41");
	/* The same MAC (a cloned default) but two endpoints: two rows. */
	str_parse_mac("28:57:be:00:00:01", a.mac);
	memcpy(b.mac, a.mac, 6);
	a.has_mac = b.has_mac = true;
	da = discover(s, &a, "", 10, 4, 1000);
	store_sighting(s, da, &a, pol, 1000, &moved, ev);
	ck_assert_ptr_null(store_find_sighting(s, &b));
	db = discover(s, &b, "", 10, 4, 1000);
	ck_assert_ptr_ne(da, db);
	store_sighting(s, db, &b, pol, 1000, &moved, ev);
	/* b claims a's URL with its own endpoint: refused, keys stay unique. */
	str_lcpy(b.url, a.url, sizeof(b.url));
	str_lcpy(b.address, a.address, sizeof(b.address));
	ck_assert_ptr_eq(store_find_sighting(s, &b), db);
	store_sighting(s, db, &b, pol, 1001, &moved, ev);
	ck_assert_int_eq(moved, -1);
	ck_assert_str_eq(db->key, "http://192.0.2.41/onvif/device_service");
	ck_assert_str_eq(da->id.endpoint, a.endpoint);
	store_free(s);
}
END_TEST

START_TEST(full_table_evicts_a_silent_unknown_row)
{
	struct store *s = store_new(NULL);
	struct disc_sighting a, b;
	struct device *d;

	hik_sighting(
	    &a, "urn:uuid:0a0b0c0d-0000-4000-8000-0000000000c1", "192.0.2.50");
	hik_sighting(
	    &b, "urn:uuid:0a0b0c0d-0000-4000-8000-0000000000c2", "192.0.2.51");
	d = discover(s, &a, "", 1, 4, 1000);
	/* Answering: it stays, and the newcomer is capped. */
	ck_assert_ptr_null(discover(s, &b, "", 1, 4, 1001));
	/* Never identified and not answering: it makes room. */
	d->reachable = false;
	d = discover(s, &b, "", 1, 4, 1002);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(store_count(s), 1);
	ck_assert_str_eq(
	    store_at(s, 0)->key, "http://192.0.2.51/onvif/device_service");
	store_free(s);
}
END_TEST

START_TEST(discovered_rows_survive_sync_restart_and_cap)
{
	char path[256], err[256];
	struct store *s = store_new(NULL), *s2;
	struct disc_sighting sg;
	struct config cfg;
	struct dev_event ev[4];
	struct device *d;
	int moved;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(path, sizeof(path), "%s/state-disc", tmpdir);
	hik_sighting(
	    &sg, "urn:uuid:0a0b0c0d-0000-4000-8000-000000000003", "192.0.2.30");
	d = discover(s, &sg, "", 1, 4, 1000);
	store_sighting(s, d, &sg, pol, 1000, &moved, ev);
	/* The cap: one discovered row at most. */
	hik_sighting(
	    &sg, "urn:uuid:0a0b0c0d-0000-4000-8000-000000000004", "192.0.2.31");
	ck_assert_ptr_null(discover(s, &sg, "", 1, 4, 1000));
	/* An empty config keeps discovered rows. */
	store_sync_config(s, &cfg, 1001);
	ck_assert_uint_eq(store_count(s), 1);
	ck_assert_int_eq(store_save(s, path), 0);
	s2 = store_new(NULL);
	ck_assert_int_eq(store_load(s2, path, err, sizeof(err)), 0);
	store_sync_config(s2, &cfg, 1002);
	ck_assert_uint_eq(store_count(s2), 1);
	d = store_at(s2, 0);
	ck_assert_int_eq(d->method, DISC_HELLO);
	ck_assert_int_eq((int)d->last_announced, 1000);
	ck_assert_uint_eq(d->id.n_scopes, 2);
	ck_assert(d->announced);
	store_free(s);
	store_free(s2);
}
END_TEST

/*
 * Rows keep one copy of what an estate repeats and give every string back:
 * 100 cameras of one model share its strings, a poll round of identical
 * answers allocates nothing new, a camera reporting a new firmware every
 * poll does not grow the table, and an emptied store leaves it empty.
 */
START_TEST(rows_share_strings_and_give_them_back)
{
	struct store *s = store_new(NULL);
	struct device *d[100];
	struct onvif_result r;
	struct dev_event ev[4];
	struct cam_identity back;
	char url[64], serial[16];
	size_t i, held, held1 = 0, bytes, bytes1 = 0;

	for (i = 0; i < 100; i++) {
		snprintf(url, sizeof(url), "http://192.0.2.%zu/onvif", i + 1);
		snprintf(serial, sizeof(serial), "SER%zu", i);
		d[i] = add(s, url);
		fx_hik_result(&r, "V5.7.13 build 230706", serial);
		str_lcpy(r.id.scopes[0], "onvif://www.onvif.org/type/video",
		    CAM_STR_MAX);
		r.id.n_scopes = 1;
		store_apply(s, d[i], &r, pol, 1001, ev);
	}
	ck_assert_ptr_eq(d[0]->id.model, d[99]->id.model);
	ck_assert_ptr_eq(d[0]->id.scopes, d[99]->id.scopes);
	ck_assert_ptr_eq(d[0]->verdict.reason, d[99]->verdict.reason);
	ck_assert_str_eq(d[99]->id.serial, "SER99");
	/* What the policy reads is what the poll said. */
	row_identity_get(&d[99]->id, &back);
	ck_assert_int_eq(memcmp(back.macs, r.id.macs, 6), 0);
	ck_assert_uint_eq(back.n_scopes, 1);
	ck_assert_str_eq(back.scopes[0], r.id.scopes[0]);
	ck_assert_str_eq(back.firmware, r.id.firmware);
	held = intern_count(&bytes);
	ck_assert_uint_lt(held, 30); /* not one per row */
	store_apply(s, d[99], &r, pol, 1002, ev);
	ck_assert_uint_eq(intern_count(NULL), held);
	/* A hostile camera: a new firmware string every poll. */
	for (i = 0; i < 1000; i++) {
		snprintf(r.id.firmware, CAM_STR_MAX, "V%zu-%0200zu", i, i);
		store_apply(s, d[99], &r, pol, 1003 + (time_t)i, ev);
		if (i == 0)
			held1 = intern_count(&bytes1);
	}
	ck_assert_uint_eq(intern_count(&bytes), held1);
	/* One firmware string held, not a thousand (of 200 bytes each). */
	ck_assert_uint_lt(bytes, bytes1 + 64);
	ck_assert_str_eq(d[99]->id.firmware, r.id.firmware);
	store_free(s);
	ck_assert_uint_eq(intern_count(&bytes), 0);
	ck_assert_uint_eq(bytes, 0);
}
END_TEST

START_TEST(corrupt_state_is_set_aside)
{
	char path[256], aside[300], err[256];
	struct store *s = store_new(NULL);
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad", tmpdir);
	f = fopen(path, "w");
	fputs("camcomply-state 1\ndev index=1 key=x\ngarbage\n", f);
	fclose(f);
	ck_assert_int_eq(store_load(s, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "corrupt"));
	snprintf(aside, sizeof(aside), "%s.corrupt", path);
	ck_assert_int_eq(access(aside, F_OK), 0);
	ck_assert_int_ne(access(path, F_OK), 0);
	store_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("store");
	TCase *tc = tcase_create("core");
	int status;

	if (cr_tmpdir(tmpdir, sizeof(tmpdir), "check_store") != 0)
		return EXIT_FAILURE;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, restricted_detected_once);
	tcase_add_test(tc, firmware_swap_and_reachability);
	tcase_add_test(tc, verdict_change_carries_previous);
	tcase_add_test(tc, state_round_trip_keeps_indexes_and_announcements);
	tcase_add_test(tc, corrupt_state_is_set_aside);
	tcase_add_test(tc, rows_share_strings_and_give_them_back);
	tcase_add_test(tc, hello_gives_provisional_verdict_and_one_row);
	tcase_add_test(tc, spoofed_move_and_bye_are_refused);
	tcase_add_test(tc, discovered_rows_survive_sync_restart_and_cap);
	tcase_add_test(tc, sightings_never_merge_or_steal_rows);
	tcase_add_test(tc, full_table_evicts_a_silent_unknown_row);
	tcase_add_test(tc, bye_waits_for_the_poll);
	tcase_add_test(tc, one_sender_makes_at_most_max_per_host_rows);
	tcase_add_test(tc, full_table_evicts_from_the_biggest_sender);
	suite_add_tcase(su, tc);
	status = cr_run(su, CK_FORK_GETENV);
	cr_rmtree(tmpdir);
	return status;
}
