/*
 * check_store_facts.c: the store's rules for what cameras say without
 * credentials (store_apply with poll results that carry a probe's facts,
 * or none), driven with plain structs and the shipped policy: a camera
 * ONVIF does not name is identified from its facts, announced once (not
 * again at the next poll, nor after a restart), keeps its facts between
 * probes so its verdict does not flap, changes firmware and serial from
 * the same source only, and answers for its reachability through them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "agent/config.h"
#include "agent/store.h"
#include "common/strutil.h"

#define URL "http://192.0.2.10/onvif/device_service"
#define ECI_SERIAL "ECI-T24F220230615AAWRAC4440853"
#define ECI_FW "V5.7.1build 220609"
#define HIK_SERIAL "DS-2CD2386G2-IU20230517AAWRK51873096"

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
add(struct store *s)
{
	return fx_camera(s, URL, 1000);
}

/* A poll whose ONVIF call ended with st, without a probe. */
static void
polled(struct onvif_result *r, enum onvif_status st)
{
	memset(r, 0, sizeof(*r));
	r->status = st;
	str_lcpy(r->id.address, "192.0.2.10", CAM_ADDR_MAX);
}

/* The collectors asked; nothing answered (yet). */
static void
probed(struct onvif_result *r)
{
	r->id.facts.tried = CAM_PROBE(PROBE_SADP) | CAM_PROBE(PROBE_DHIP) |
	    CAM_PROBE(PROBE_HTTP) | CAM_PROBE(PROBE_HTTPS) |
	    CAM_PROBE(PROBE_RTSP) | CAM_PROBE(PROBE_TLS);
}

/* An AVYCON (a Hikvision OEM) with ONVIF off, answering SADP. */
static void
avycon(struct onvif_result *r, const char *serial, const char *fw)
{
	polled(r, ONVIF_HTTP_ERROR);
	probed(r);
	fx_fact(r, FACT_PROTOCOL, PROBE_SADP, "sadp");
	fx_fact(r, FACT_MODEL, PROBE_SADP, "ECI-T24F2");
	fx_fact(r, FACT_SERIAL, PROBE_SADP, serial);
	fx_fact(r, FACT_FIRMWARE, PROBE_SADP, fw);
	fx_fact(r, FACT_OEM_CODE, PROBE_SADP, "1");
}

static int
apply(struct store *s, struct device *d, const struct onvif_result *r,
    time_t now, struct dev_event *ev)
{
	int n = store_apply(s, d, r, pol, now, ev);

	ck_assert_int_le(n, 4);
	return n;
}

/*
 * The first poll (at 1001, the row classified at 1000): ONVIF ended with
 * st, every collector was asked and one fact came back.  Its events.
 */
static int
first_poll(struct store *s, struct device *d, struct onvif_result *r,
    enum onvif_status st, enum cam_fact_kind k, const char *text,
    struct dev_event *ev)
{
	store_reclassify(s, pol, 1000, NULL, NULL);
	polled(r, st);
	probed(r);
	fx_fact(r, k, PROBE_HTTP, text);
	return apply(s, d, r, 1001, ev);
}

START_TEST(facts_identify_and_announce_once)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct onvif_result r;
	struct dev_event ev[4];

	/* Before any poll: "unidentified", not yet known. */
	store_reclassify(s, pol, 1000, NULL, NULL);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_UNIDENTIFIED);
	avycon(&r, ECI_SERIAL, ECI_FW);
	ck_assert_int_eq(apply(s, d, &r, 1001, ev), 1);
	ck_assert_int_eq(ev[0].type, EV_DETECTED_RESTRICTED);
	ck_assert(d->identified && d->by_facts && d->announced);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(d->verdict.maker, "hikvision");
	ck_assert_str_eq(d->verdict.brand, "AVYCON");
	ck_assert(d->verdict.evidence & POLICY_EV(EV_MAKER_PROTOCOL));
	/* Model, serial and firmware come from the facts. */
	ck_assert_str_eq(d->id.model, "ECI-T24F2");
	ck_assert_str_eq(d->id.serial, ECI_SERIAL);
	ck_assert_str_eq(d->id.firmware, ECI_FW);
	ck_assert_str_eq(d->id.manufacturer, "");
	ck_assert_uint_eq(d->id.n_facts, 5);
	ck_assert_int_eq(d->probed_at, 1001);
	ck_assert_int_eq(d->last_seen, 1001);
	/* The same again: nothing. */
	ck_assert_int_eq(apply(s, d, &r, 1002, ev), 0);
	ck_assert_int_eq(d->probed_at, 1002);
	/* A poll the rate limit kept from probing: facts and verdict stay. */
	polled(&r, ONVIF_HTTP_ERROR);
	ck_assert_int_eq(apply(s, d, &r, 1003, ev), 0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(d->verdict.brand, "AVYCON");
	ck_assert_uint_eq(d->id.n_facts, 5);
	ck_assert_str_eq(d->id.model, "ECI-T24F2");
	ck_assert_int_eq(d->probed_at, 1002);
	/* A probe nothing answered: the same. */
	probed(&r);
	ck_assert_int_eq(apply(s, d, &r, 1004, ev), 0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_uint_eq(d->id.n_facts, 5);
	ck_assert_int_eq(d->probed_at, 1004);
	store_free(s);
}
END_TEST

START_TEST(firmware_and_serial_from_the_same_source)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct onvif_result r;
	struct dev_event ev[4];
	int n;

	avycon(&r, ECI_SERIAL, ECI_FW);
	apply(s, d, &r, 1001, ev);
	/* SADP's firmware changed: the camera was upgraded. */
	avycon(&r, ECI_SERIAL, "V5.7.15build 230901");
	n = apply(s, d, &r, 1002, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_FIRMWARE_CHANGED);
	ck_assert_str_eq(ev[0].previous, ECI_FW);
	ck_assert_str_eq(d->id.firmware, "V5.7.15build 230901");
	/* A probe whose SADP reply was lost: SADP's facts are kept for it,
	 * no change of firmware or verdict. */
	polled(&r, ONVIF_HTTP_ERROR);
	probed(&r);
	fx_fact(&r, FACT_HTTP_SERVER, PROBE_HTTP, "App-webs/");
	ck_assert_int_eq(apply(s, d, &r, 1003, ev), 0);
	ck_assert_str_eq(d->id.model, "ECI-T24F2");
	ck_assert_str_eq(d->verdict.brand, "AVYCON");
	ck_assert_uint_eq(d->id.facts_answered, CAM_PROBE(PROBE_HTTP));
	ck_assert_uint_eq(d->id.facts_carried, CAM_PROBE(PROBE_SADP));
	/* Another serial at the address: swapped, and announced anew. */
	avycon(&r, "ECI-T24F220240101AAWRAC0000001", "V5.7.15build 230901");
	n = apply(s, d, &r, 1004, ev);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ev[0].type, EV_SWAPPED);
	ck_assert_int_eq(ev[1].type, EV_DETECTED_RESTRICTED);
	/* Now ONVIF answers (switched on), its serial in another shape: a
	 * change of source, not of camera. */
	polled(&r, ONVIF_OK);
	str_lcpy(r.id.manufacturer, "AVYCON", CAM_STR_MAX);
	str_lcpy(r.id.model, "ECI-T24F2", CAM_STR_MAX);
	str_lcpy(r.id.serial, "AC0000001", CAM_STR_MAX);
	str_lcpy(r.id.firmware, "V5.7.15 build 230901", CAM_STR_MAX);
	ck_assert_int_eq(apply(s, d, &r, 1005, ev), 0);
	ck_assert(d->identified && !d->by_facts);
	/* The facts of the last probe stay with it (SADP's five, and the web
	 * server's, carried over from the probe before). */
	ck_assert_uint_eq(d->id.n_facts, 6);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	/* ONVIF locked again, the collectors answer: ONVIF's identity stays,
	 * no swap from SADP's differently shaped serial. */
	avycon(&r, "ECI-T24F220240101AAWRAC0000001", "V5.7.15build 230901");
	ck_assert_int_eq(apply(s, d, &r, 1006, ev), 0);
	ck_assert_str_eq(d->id.serial, "AC0000001");
	ck_assert_str_eq(d->id.manufacturer, "AVYCON");
	ck_assert(!d->by_facts);
	store_free(s);
}
END_TEST

/* SADP silent twice (another camera there, or SADP switched off): its
 * facts go, and the verdict follows what is left. */
START_TEST(facts_of_a_collector_silent_twice_go)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct onvif_result r, web;
	struct dev_event ev[4];
	int n;

	avycon(&r, ECI_SERIAL, ECI_FW);
	apply(s, d, &r, 1001, ev);
	polled(&web, ONVIF_HTTP_ERROR);
	probed(&web);
	fx_fact(&web, FACT_HTTP_SERVER, PROBE_HTTP, "nginx");
	ck_assert_int_eq(apply(s, d, &web, 1002, ev), 0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	n = apply(s, d, &web, 1003, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_VERDICT_CHANGED);
	ck_assert_str_eq(ev[0].previous, "restricted");
	ck_assert_int_eq(d->verdict.verdict, VERDICT_UNIDENTIFIED);
	ck_assert_uint_eq(d->id.n_facts, 1);
	ck_assert_uint_eq(d->id.facts_carried, 0);
	ck_assert_str_eq(d->id.model, "");
	/* SADP back: restricted again, no second "detected". */
	n = apply(s, d, &r, 1004, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_VERDICT_CHANGED);
	ck_assert_str_eq(ev[0].previous, "unidentified");
	store_free(s);
}
END_TEST

START_TEST(restart_keeps_verdict_and_announcement)
{
	struct store *s = store_new(NULL), *t;
	struct device *d = add(s);
	struct onvif_result r;
	struct dev_event ev[4];
	char path[256], err[256];

	avycon(&r, ECI_SERIAL, ECI_FW);
	ck_assert_int_eq(apply(s, d, &r, 1001, ev), 1);
	snprintf(path, sizeof(path), "%s/state", tmpdir);
	ck_assert_int_eq(store_save(s, path), 0);
	store_free(s);
	t = store_new(NULL);
	ck_assert_int_eq(store_load(t, path, err, sizeof(err)), 0);
	d = add(t);
	ck_assert(d->identified && d->by_facts && d->announced);
	/* The facts came back: the restart classifies as before. */
	ck_assert_int_eq(store_reclassify(t, pol, 2000, NULL, NULL), 0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(d->verdict.brand, "AVYCON");
	/* Not probed since the start: the first poll probes. */
	ck_assert_int_eq(d->probed_at, 0);
	ck_assert_int_eq(apply(t, d, &r, 2001, ev), 0);
	/* A poll without a probe neither. */
	polled(&r, ONVIF_HTTP_ERROR);
	ck_assert_int_eq(apply(t, d, &r, 2002, ev), 0);
	/* And a firmware change is still one after the restart. */
	avycon(&r, ECI_SERIAL, "V5.8.0build 240101");
	ck_assert_int_eq(apply(t, d, &r, 2003, ev), 1);
	ck_assert_int_eq(ev[0].type, EV_FIRMWARE_CHANGED);
	store_free(t);
	unlink(path);
}
END_TEST

/* A poll that failed ONVIF and probes nothing telling, then ONVIF. */
START_TEST(facts_that_name_nothing_do_not_identify)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct onvif_result r;
	struct dev_event ev[4];

	ck_assert_int_eq(first_poll(s, d, &r, ONVIF_NO_CREDENTIALS,
			     FACT_HTTP_SERVER, "nginx", ev),
	    0);
	ck_assert(!d->identified);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_UNIDENTIFIED);
	ck_assert_uint_eq(d->id.facts_answered, CAM_PROBE(PROBE_HTTP));
	/* ONVIF's first identification is still no change of verdict. */
	polled(&r, ONVIF_OK);
	str_lcpy(r.id.manufacturer, "AXIS", CAM_STR_MAX);
	str_lcpy(r.id.model, "P3818-PVE", CAM_STR_MAX);
	ck_assert_int_eq(apply(s, d, &r, 1002, ev), 0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_COMPLIANT);
	store_free(s);
}
END_TEST

/* A realm names a compliant maker: identified, no trap. */
START_TEST(compliant_from_facts_is_identified_quietly)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct onvif_result r;
	struct dev_event ev[4];

	ck_assert_int_eq(first_poll(s, d, &r, ONVIF_AUTH_FAILED,
			     FACT_HTTP_REALM, "AXIS_ACCC8E123456", ev),
	    0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_COMPLIANT);
	ck_assert_str_eq(d->verdict.maker, "axis");
	ck_assert(d->identified && d->by_facts);
	ck_assert(!d->announced);
	store_free(s);
}
END_TEST

START_TEST(reachable_through_the_collectors)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct onvif_result r;
	struct dev_event ev[4];
	struct store_counts c;
	int n;

	avycon(&r, ECI_SERIAL, ECI_FW);
	r.status = ONVIF_UNREACHABLE; /* ONVIF's port closed */
	ck_assert_int_eq(apply(s, d, &r, 1001, ev), 1);
	ck_assert(d->reachable);
	store_counts(s, &c);
	ck_assert_uint_eq(c.unreachable, 0);
	/* Gone: ONVIF and the collectors (probed: ONVIF was down). */
	polled(&r, ONVIF_TIMEOUT);
	probed(&r);
	n = apply(s, d, &r, 1002, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_UNREACHABLE);
	store_counts(s, &c);
	ck_assert_uint_eq(c.unreachable, 1);
	/* The identity and verdict stay. */
	ck_assert_int_eq(d->verdict.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(d->id.model, "ECI-T24F2");
	avycon(&r, ECI_SERIAL, ECI_FW);
	r.status = ONVIF_TIMEOUT;
	n = apply(s, d, &r, 1003, ev);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].type, EV_REACHABLE);
	store_free(s);
}
END_TEST

/* A zone rule's action on a compliant camera on the core network. */
START_TEST(zone_rule_counts_on_the_core)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct policy_result r;
	struct store_counts c;

	memset(&r, 0, sizeof(r));
	r.verdict = VERDICT_COMPLIANT;
	r.zone = ZONE_CORE;
	r.action = ACTION_DISCONNECT;
	str_lcpy(r.maker, "milesight", sizeof(r.maker));
	str_lcpy(r.jurisdiction, "CN", sizeof(r.jurisdiction));
	str_lcpy(r.zone_rule, "uk-core-prc", sizeof(r.zone_rule));
	row_verdict_set(&d->verdict, &r);
	store_counts(s, &c);
	ck_assert_uint_eq(c.compliant, 1);
	ck_assert_uint_eq(c.restricted, 0);
	ck_assert_uint_eq(c.restricted_core, 1);
	r.action = ACTION_NONE; /* a waiver, or no rule */
	row_verdict_set(&d->verdict, &r);
	store_counts(s, &c);
	ck_assert_uint_eq(c.restricted_core, 0);
	store_free(s);
}
END_TEST

START_TEST(verdict_change_makes_the_next_poll_probe)
{
	struct store *s = store_new(NULL);
	struct device *d = add(s);
	struct onvif_result r;
	struct dev_event ev[4];

	/* ONVIF names an Axis; the collectors ran too (probe all). */
	polled(&r, ONVIF_OK);
	str_lcpy(r.id.manufacturer, "AXIS", CAM_STR_MAX);
	str_lcpy(r.id.model, "P3818-PVE", CAM_STR_MAX);
	str_lcpy(r.id.serial, "ACCC8E123456", CAM_STR_MAX);
	probed(&r);
	fx_fact(&r, FACT_HTTP_REALM, PROBE_HTTP, "AXIS_ACCC8E123456");
	ck_assert_int_eq(apply(s, d, &r, 1001, ev), 0);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_COMPLIANT);
	ck_assert_int_eq(d->probed_at, 1001);
	/* Its ONVIF words change the verdict, no probe in that poll: the
	 * next poll probes, whatever the interval. */
	polled(&r, ONVIF_OK);
	str_lcpy(r.id.manufacturer, "HIKVISION", CAM_STR_MAX);
	str_lcpy(r.id.model, "DS-2CD2386G2-IU", CAM_STR_MAX);
	str_lcpy(r.id.serial, "ACCC8E123456", CAM_STR_MAX);
	ck_assert_int_ge(apply(s, d, &r, 1002, ev), 1);
	ck_assert_int_ne(d->verdict.verdict, VERDICT_COMPLIANT);
	ck_assert_int_eq(d->probed_at, 0);
	/* A probe's own verdict change does not undo its time. */
	avycon(&r, ECI_SERIAL, ECI_FW);
	apply(s, d, &r, 1003, ev);
	ck_assert_int_eq(d->probed_at, 1003);
	store_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("store_facts");
	TCase *tc = tcase_create("core");
	int status;

	if (cr_tmpdir(tmpdir, sizeof(tmpdir), "check_store_facts") != 0)
		return EXIT_FAILURE;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, facts_identify_and_announce_once);
	tcase_add_test(tc, firmware_and_serial_from_the_same_source);
	tcase_add_test(tc, facts_of_a_collector_silent_twice_go);
	tcase_add_test(tc, restart_keeps_verdict_and_announcement);
	tcase_add_test(tc, facts_that_name_nothing_do_not_identify);
	tcase_add_test(tc, compliant_from_facts_is_identified_quietly);
	tcase_add_test(tc, reachable_through_the_collectors);
	tcase_add_test(tc, verdict_change_makes_the_next_poll_probe);
	tcase_add_test(tc, zone_rule_counts_on_the_core);
	suite_add_tcase(su, tc);
	status = cr_run(su, CK_FORK_GETENV);
	rmdir(tmpdir);
	return status;
}
