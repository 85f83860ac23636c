/*
 * check_store_unauth.c: what SADP and DHIP sightings do to the rows, driven
 * with plain structs and the shipped policy (no sockets, no SNMP): a camera
 * with ONVIF off classified (and announced) from its reply alone, one row
 * for a camera that WS-Discovery finds too, facts merged per protocol,
 * ONVIF's identity never overwritten.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "agent/store.h"
#include "common/strutil.h"

static struct policy *pol;

static void
setup(void)
{
	pol = fx_policy("", "lab");
}

static void
teardown(void)
{
	policy_free(pol);
}

static void
add_fact(struct disc_sighting *sg, enum cam_fact_kind k, const char *text)
{
	struct cam_fact *f = &sg->facts[sg->n_facts++];

	f->kind = (uint8_t)k;
	f->probe = sg->method == DISC_SADP ? PROBE_SADP : PROBE_DHIP;
	str_lcpy(f->text, text, sizeof(f->text));
}

/* An SADP reply as disc_unauth.c queues it: a Hikvision with ONVIF off. */
static void
sadp_sighting(struct disc_sighting *sg, const char *addr, const char *fw)
{
	memset(sg, 0, sizeof(*sg));
	sg->kind = DISC_SEEN;
	sg->method = DISC_SADP;
	snprintf(sg->url, sizeof(sg->url), "http://%s:80/onvif/device_service",
	    addr);
	str_lcpy(sg->address, addr, sizeof(sg->address));
	str_parse_mac("44:19:b6:3a:5c:71", sg->mac);
	sg->has_mac = true;
	add_fact(sg, FACT_PROTOCOL, "sadp");
	add_fact(sg, FACT_MODEL, "DS-2CD2386G2-IU");
	add_fact(sg, FACT_SERIAL, "DS-2CD2386G2-IU20230517AAWRK51873096");
	add_fact(sg, FACT_FIRMWARE, fw);
	add_fact(sg, FACT_PRIVATE_PORT, "8000");
}

/* A WS-Discovery Hello of the same camera (ONVIF on). */
static void
wsd_sighting(struct disc_sighting *sg, const char *addr)
{
	memset(sg, 0, sizeof(*sg));
	sg->kind = DISC_SEEN;
	sg->method = DISC_HELLO;
	str_lcpy(sg->endpoint, "urn:uuid:0a0b0c0d-0000-4000-8000-4419b63a5c71",
	    sizeof(sg->endpoint));
	snprintf(
	    sg->url, sizeof(sg->url), "http://%s/onvif/device_service", addr);
	str_lcpy(sg->address, addr, sizeof(sg->address));
	str_lcpy(sg->scopes[0],
	    "onvif://www.onvif.org/hardware/DS-2CD2386G2-IU", CAM_STR_MAX);
	sg->n_scopes = 1;
}

static struct device *
sight(struct store *s, const struct disc_sighting *sg, time_t now, int *n,
    struct dev_event *ev)
{
	struct cfg_discovery c;
	enum disc_added added;
	struct device *d = store_find_sighting(s, sg);
	int moved;

	memset(&c, 0, sizeof(c));
	c.max_devices = 100;
	c.max_per_host = 4;
	if (d == NULL)
		d = store_add_discovered(s, sg, &c, now, &added);
	ck_assert_ptr_nonnull(d);
	*n = store_sighting(s, d, sg, pol, now, &moved, ev);
	ck_assert_int_eq(moved, 0);
	return d;
}

static int
row_fact_count(const struct device *d, enum cam_probe p)
{
	static struct cam_identity id;
	size_t i;
	int n = 0;

	row_identity_get(&d->id, &id);
	for (i = 0; i < id.facts.n; i++)
		n += id.facts.f[i].probe == p;
	return n;
}

START_TEST(sadp_alone_restricts_and_announces_at_once)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;
	int n;

	sadp_sighting(&sg, "192.0.2.41", "V5.7.3build 220112");
	d = sight(s, &sg, 1000, &n, ev);
	ck_assert_int_eq(d->method, DISC_SADP);
	ck_assert_str_eq(d->key, "http://192.0.2.41:80/onvif/device_service");
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_DETECTED_RESTRICTED);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_int_eq(d->verdict.zone, ZONE_SENSITIVE);
	ck_assert(d->verdict.evidence & POLICY_EV(EV_MAKER_PROTOCOL));
	ck_assert(d->verdict.evidence & POLICY_EV(EV_MODEL));
	/* The reply's model, serial and firmware, until a poll says. */
	ck_assert_str_eq(d->id.model, "DS-2CD2386G2-IU");
	ck_assert_str_eq(d->id.firmware, "V5.7.3build 220112");
	ck_assert_uint_eq(d->id.n_macs, 1);
	ck_assert_uint_eq(d->id.facts_answered, CAM_PROBE(PROBE_SADP));
	ck_assert_int_eq(row_fact_count(d, PROBE_SADP), 5);
	/* Its next reply: no second announcement; an upgrade shows. */
	sadp_sighting(&sg, "192.0.2.41", "V5.8.0build 240101");
	ck_assert_ptr_eq(sight(s, &sg, 1300, &n, ev), d);
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(d->id.firmware, "V5.8.0build 240101");
	ck_assert_int_eq(row_fact_count(d, PROBE_SADP), 5);
	ck_assert_uint_eq(store_count(s), 1);
	store_free(s);
}
END_TEST

/* Either order, one row; the URL WS-Discovery gave stays. */
START_TEST(wsd_and_sadp_make_one_row)
{
	struct store *s = store_new(NULL);
	struct disc_sighting w, sa;
	struct dev_event ev[4];
	struct device *d;
	int n, moved;

	wsd_sighting(&w, "192.0.2.41");
	sadp_sighting(&sa, "192.0.2.41", "V5.7.3build 220112");
	d = sight(s, &w, 1000, &n, ev);
	ck_assert_int_eq(d->method, DISC_HELLO);
	ck_assert_ptr_eq(sight(s, &sa, 1001, &n, ev), d);
	ck_assert_str_eq(d->key, "http://192.0.2.41/onvif/device_service");
	ck_assert_uint_eq(d->id.n_scopes, 1); /* SADP sends none */
	ck_assert_str_eq(d->id.endpoint, w.endpoint);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_uint_eq(store_count(s), 1);
	store_free(s);

	/* SADP first: WS-Discovery's XAddr then wins, and stays. */
	s = store_new(NULL);
	d = sight(s, &sa, 1000, &n, ev);
	ck_assert_ptr_eq(store_find_sighting(s, &w), d);
	ck_assert_int_eq(store_sighting(s, d, &w, pol, 1001, &moved, ev), 0);
	ck_assert_int_eq(moved, 1);
	ck_assert_str_eq(d->key, "http://192.0.2.41/onvif/device_service");
	ck_assert_ptr_eq(sight(s, &sa, 1002, &n, ev), d);
	ck_assert_str_eq(d->key, "http://192.0.2.41/onvif/device_service");
	ck_assert_int_eq(d->method, DISC_SADP); /* how it was first found */
	ck_assert_int_eq(row_fact_count(d, PROBE_SADP), 5);
	ck_assert_uint_eq(store_count(s), 1);
	store_free(s);
}
END_TEST

/* A camera that moved (DHCP) is found by its MAC, and follows. */
START_TEST(sadp_follows_a_move_by_mac)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;
	int n, moved;

	sadp_sighting(&sg, "192.0.2.41", "V5.7.3build 220112");
	d = sight(s, &sg, 1000, &n, ev);
	sadp_sighting(&sg, "192.0.2.77", "V5.7.3build 220112");
	ck_assert_ptr_eq(store_find_sighting(s, &sg), d);
	store_sighting(s, d, &sg, pol, 1001, &moved, ev);
	ck_assert_int_eq(moved, 1);
	ck_assert_str_eq(d->key, "http://192.0.2.77:80/onvif/device_service");
	ck_assert_str_eq(d->id.address, "192.0.2.77");
	ck_assert_uint_eq(store_count(s), 1);
	store_free(s);
}
END_TEST

/*
 * Facts of other collectors stay, both ways: a poll that asked only ONVIF
 * (and HTTP) keeps what SADP said, so the evidence shows both; a sighting
 * keeps the poll's.  What ONVIF gave is never replaced; what it left
 * empty the facts fill.
 */
START_TEST(facts_merge_and_onvif_wins)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct dev_event ev[4];
	static struct onvif_result r;
	struct device *d;
	int n;

	sadp_sighting(&sg, "192.0.2.41", "V5.7.3build 220112");
	d = sight(s, &sg, 1000, &n, ev);
	memset(&r, 0, sizeof(r));
	r.status = ONVIF_OK;
	str_lcpy(r.id.manufacturer, "HIKVISION", CAM_STR_MAX);
	str_lcpy(r.id.model, "DS-2CD2386G2-IU", CAM_STR_MAX);
	str_lcpy(r.id.firmware, "V5.7.3 build 220112", CAM_STR_MAX);
	str_lcpy(r.id.address, "192.0.2.41", CAM_ADDR_MAX);
	cam_fact_add(&r.id.facts, FACT_HTTP_SERVER, PROBE_HTTP, "App-webs/", 9);
	r.id.facts.tried = CAM_PROBE(PROBE_ONVIF) | CAM_PROBE(PROBE_HTTP);
	r.id.facts.answered = r.id.facts.tried;
	store_apply(s, d, &r, pol, 1010, ev);
	ck_assert(d->identified);
	ck_assert_int_eq(row_fact_count(d, PROBE_SADP), 5);
	ck_assert_int_eq(row_fact_count(d, PROBE_HTTP), 1);
	ck_assert(d->verdict.evidence & POLICY_EV(EV_MANUFACTURER));
	ck_assert(d->verdict.evidence & POLICY_EV(EV_MAKER_PROTOCOL));
	sadp_sighting(&sg, "192.0.2.41", "V5.8.0build 240101");
	ck_assert_ptr_eq(sight(s, &sg, 1300, &n, ev), d);
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(d->id.firmware, "V5.7.3 build 220112");
	/* ONVIF said no serial: SADP's fills it (unauth_adopt_facts). */
	ck_assert_str_eq(d->id.serial, "DS-2CD2386G2-IU20230517AAWRK51873096");
	ck_assert_int_eq(row_fact_count(d, PROBE_SADP), 5);
	ck_assert_int_eq(row_fact_count(d, PROBE_HTTP), 1);
	ck_assert_uint_eq(d->id.facts_answered,
	    CAM_PROBE(PROBE_ONVIF) | CAM_PROBE(PROBE_SADP) |
		CAM_PROBE(PROBE_HTTP));
	/* A poll that asked SADP itself has the last word on SADP. */
	memset(&r.id.facts, 0, sizeof(r.id.facts));
	cam_fact_add(&r.id.facts, FACT_PROTOCOL, PROBE_SADP, "sadp", 4);
	r.id.facts.tried = CAM_PROBE(PROBE_ONVIF) | CAM_PROBE(PROBE_SADP);
	r.id.facts.answered = r.id.facts.tried;
	store_apply(s, d, &r, pol, 1400, ev);
	ck_assert_int_eq(row_fact_count(d, PROBE_SADP), 1);
	ck_assert_int_eq(row_fact_count(d, PROBE_HTTP), 1);
	store_free(s);
}
END_TEST

/* A Dahua OEM by DHIP: restricted, the OEM's brand shown. */
START_TEST(dhip_oem_restricted_with_its_brand)
{
	struct store *s = store_new(NULL);
	struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;
	int n;

	memset(&sg, 0, sizeof(sg));
	sg.kind = DISC_SEEN;
	sg.method = DISC_DHIP;
	str_lcpy(sg.url, "http://192.0.2.60:80/onvif/device_service",
	    sizeof(sg.url));
	str_lcpy(sg.address, "192.0.2.60", sizeof(sg.address));
	add_fact(&sg, FACT_PROTOCOL, "dhip");
	add_fact(&sg, FACT_MODEL, "SS 3530 MF FACE W");
	add_fact(&sg, FACT_SERIAL, "K3LJ3400209RH");
	add_fact(&sg, FACT_FIRMWARE, "2.000.00IB004.0.R");
	add_fact(&sg, FACT_VENDOR, "Intelbras");
	add_fact(&sg, FACT_PRIVATE_PORT, "37777");
	d = sight(s, &sg, 1000, &n, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_DETECTED_RESTRICTED);
	ck_assert_int_eq(d->method, DISC_DHIP);
	ck_assert_str_eq(d->verdict.maker, "dahua");
	ck_assert_str_eq(d->verdict.brand, "Intelbras");
	store_free(s);
}
END_TEST

/* The state file keeps how the row was found, and its facts. */
START_TEST(state_keeps_method_and_facts)
{
	char dir[200], path[256], err[256];
	struct store *s = store_new(NULL), *s2 = store_new(NULL);
	struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;
	int n;

	/* Under $TMPDIR (default /tmp), as every test's own directory. */
	ck_assert_int_eq(cr_tmpdir(dir, sizeof(dir), "check_store_unauth"), 0);
	snprintf(path, sizeof(path), "%s/state", dir);
	sadp_sighting(&sg, "192.0.2.41", "V5.7.3build 220112");
	sight(s, &sg, 1000, &n, ev);
	ck_assert_int_eq(store_save(s, path), 0);
	ck_assert_int_eq(store_load(s2, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(store_count(s2), 1);
	d = store_at(s2, 0);
	ck_assert_int_eq(d->method, DISC_SADP);
	ck_assert_int_eq(row_fact_count(d, PROBE_SADP), 5);
	ck_assert(d->announced);
	store_free(s);
	store_free(s2);
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("store_unauth");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sadp_alone_restricts_and_announces_at_once);
	tcase_add_test(tc, wsd_and_sadp_make_one_row);
	tcase_add_test(tc, sadp_follows_a_move_by_mac);
	tcase_add_test(tc, facts_merge_and_onvif_wins);
	tcase_add_test(tc, dhip_oem_restricted_with_its_brand);
	tcase_add_test(tc, state_keeps_method_and_facts);
	suite_add_tcase(su, tc);
	return cr_run(su, CK_FORK_GETENV);
}
