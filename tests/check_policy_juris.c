/*
 * check_policy_juris.c: unit tests of jurisdiction as data against the
 * test policy tests/data/policy-juris.xml: lists defined by jurisdiction
 * and by explicit entries, zone rules on general, sensitive and core
 * zones, white-label cameras attributed to their ODM by device evidence,
 * component makers (chip vendors, Wi-Fi modules) that never attribute,
 * and the loader's refusals.  Single-threaded test process.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "check_run.h"
#include "policy/policy_int.h"
#include "common/strutil.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

#define JURIS TOP_SRCDIR "/tests/data/policy-juris.xml"
#define TEST_OUI TOP_SRCDIR "/tests/data/oui"
#define BAD TOP_SRCDIR "/tests/policy-bad/"
#define NOW ((time_t)1796040000) /* 2026-11-30 */

static struct policy *pol;

static void
setup(void)
{
	char err[600];

	pol = policy_load(JURIS, TEST_OUI, err, sizeof(err));
	ck_assert_msg(pol != NULL, "%s", err);
}

static void
teardown(void)
{
	policy_free(pol);
	pol = NULL;
}

static size_t
maker_index(const char *id)
{
	size_t i;

	for (i = 0; i < policy_maker_count(pol); i++)
		if (strcmp(policy_maker_id(pol, i), id) == 0)
			return i;
	ck_abort_msg("no maker %s", id);
	return 0;
}

static void
set_lists(const char *ids)
{
	char err[128];

	ck_assert_msg(
	    policy_set_lists(pol, ids, err, sizeof(err)) == 0, "%s", err);
}

static void
classify(struct cam_identity *id, const char *addr, struct policy_result *r)
{
	str_lcpy(id->address, addr, sizeof(id->address));
	policy_evaluate(pol, id, NOW, r);
}

static void
fact(struct cam_identity *id, const char *arg)
{
	char err[128];

	ck_assert_msg(
	    policy_fact_arg(id, arg, err, sizeof(err)) == 0, "%s", err);
}

#define REASON_HAS(r, s)                                                       \
	ck_assert_msg(strstr((r)->reason, (s)) != NULL,                        \
	    "reason '%s' lacks '%s'", (r)->reason, (s))

START_TEST(test_list_members)
{
	struct policy_counts c;
	char buf[128];

	/* uk: CN, HK and MO makers by jurisdiction, "listed" explicitly. */
	ck_assert(policy_list_covers(pol, 0, maker_index("bigcn")));
	ck_assert(policy_list_covers(pol, 0, maker_index("odm")));
	ck_assert(policy_list_covers(pol, 0, maker_index("hkco")));
	ck_assert(policy_list_covers(pol, 0, maker_index("subco")));
	ck_assert(policy_list_covers(pol, 0, maker_index("listed")));
	ck_assert(!policy_list_covers(pol, 0, maker_index("twco")));
	ck_assert(!policy_list_covers(pol, 0, maker_index("nobase")));
	/* us: only what names it. */
	ck_assert(policy_list_covers(pol, 1, maker_index("bigcn")));
	ck_assert(!policy_list_covers(pol, 1, maker_index("odm")));
	ck_assert(!policy_list_covers(pol, 1, maker_index("hkco")));
	policy_list_jurisdictions(pol, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "CN HK MO");
	policy_list_jurisdictions(pol, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	ck_assert_str_eq(policy_maker_country(pol, "subco"), "CN");
	ck_assert_str_eq(policy_maker_country(pol, "twco"), "TW");
	ck_assert_str_eq(policy_maker_country(pol, "nobase"), "");
	ck_assert_ptr_null(policy_maker_country(pol, "nosuch"));
	policy_get_counts(pol, &c);
	ck_assert_uint_eq(c.unbased, 1);
	ck_assert_uint_eq(c.zone_rules, 2);
	ck_assert_uint_eq(c.components, 3);
	ck_assert_uint_eq(c.module_makers, 3);
	ck_assert_uint_eq(c.restricted_makers, 5);
	policy_zone_rule_describe(pol, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "core-prc: core zone, makers based in CN HK MO: "
	    "disconnect (while uk is active)");
}
END_TEST

/* Named on "us" only, based in CN: on "uk" too. */
START_TEST(test_jurisdiction_adds_list)
{
	struct cam_identity id;
	struct policy_result r;

	memset(&id, 0, sizeof(id));
	str_lcpy(id.manufacturer, "Bigcam", sizeof(id.manufacturer));
	str_lcpy(id.model, "BC-1234", sizeof(id.model));
	classify(&id, "192.0.2.1", &r);
	ck_assert_int_eq(r.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(r.lists, "uk,us");
	ck_assert_str_eq(r.jurisdiction, "CN");
	set_lists("us");
	classify(&id, "192.0.2.1", &r);
	ck_assert_str_eq(r.lists, "us");
	/* A TW-based maker no list names is compliant. */
	str_lcpy(id.manufacturer, "Islandcam", sizeof(id.manufacturer));
	id.model[0] = '\0';
	classify(&id, "192.0.2.1", &r);
	ck_assert_int_eq(r.verdict, VERDICT_COMPLIANT);
	ck_assert_str_eq(r.jurisdiction, "TW");
	/* A parent in the PRC makes the subsidiary PRC-based. */
	set_lists("uk");
	str_lcpy(id.manufacturer, "Subcam", sizeof(id.manufacturer));
	classify(&id, "192.0.2.1", &r);
	ck_assert_int_eq(r.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(r.jurisdiction, "CN");
}
END_TEST

/* The same camera on a general, a sensitive and a core zone. */
START_TEST(test_zones)
{
	static const struct {
		const char *lists, *addr;
		enum policy_action action;
		const char *rule;
	} t[] = {
	    /* The UK list by jurisdiction: review, remove, disconnect. */
	    {"uk,us", "10.0.0.5", ACTION_REVIEW, ""},
	    {"uk,us", "10.1.0.5", ACTION_REMOVE, ""},
	    {"uk,us", "10.2.0.5", ACTION_DISCONNECT, ""},
	    /* No list covers it: the zone rules alone. */
	    {"us", "10.0.0.5", ACTION_REVIEW, "general-prc"},
	    {"us", "10.1.0.5", ACTION_NONE, ""},
	    {"us", "10.2.0.5", ACTION_NONE, ""}, /* core-prc needs uk */
	};
	struct cam_identity id;
	struct policy_result r;
	size_t i;

	memset(&id, 0, sizeof(id));
	str_lcpy(id.manufacturer, "Odmtech", sizeof(id.manufacturer));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		set_lists(t[i].lists);
		classify(&id, t[i].addr, &r);
		ck_assert_msg(r.action == t[i].action, "%zu: %s (%s)", i,
		    policy_action_name(r.action), r.reason);
		ck_assert_str_eq(r.zone_rule, t[i].rule);
		if (t[i].rule[0] != '\0')
			REASON_HAS(&r,
			    "zone rule general-prc: a CN-based maker "
			    "on a general zone: review");
	}
}
END_TEST

/* The core rule for an unlisted PRC maker, chosen again and again. */
START_TEST(test_zone_rule_set_zone)
{
	struct cam_identity id;
	struct policy_result r;
	char first[POLICY_REASON_MAX];

	memset(&id, 0, sizeof(id));
	str_lcpy(id.manufacturer, "Harbourcam", sizeof(id.manufacturer));
	set_lists("uk");
	classify(&id, "192.0.2.9", &r);
	ck_assert_int_eq(r.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(r.jurisdiction, "HK");
	ck_assert_int_eq(r.zone_action[ZONE_CORE], ACTION_DISCONNECT);
	ck_assert_int_eq(r.zone_action[ZONE_GENERAL], 0); /* CN only */
	str_lcpy(first, r.reason, sizeof(first));
	policy_result_set_zone(&r, ZONE_CORE);
	ck_assert_int_eq(r.action, ACTION_DISCONNECT);
	ck_assert_str_eq(r.zone_rule, ""); /* the list already says so */
	/* Odmtech with uk active, then its rule alone once uk is off. */
	str_lcpy(id.manufacturer, "Odmtech", sizeof(id.manufacturer));
	set_lists("us");
	classify(&id, "192.0.2.9", &r);
	str_lcpy(first, r.reason, sizeof(first));
	policy_result_set_zone(&r, ZONE_GENERAL);
	policy_result_set_zone(&r, ZONE_GENERAL);
	ck_assert_int_eq(r.action, ACTION_REVIEW);
	REASON_HAS(&r, "; zone rule general-prc");
	ck_assert_ptr_null(strstr(strstr(r.reason, "general-prc") + 1,
	    "general-prc")); /* said once */
	/* Another zone drops the rule's part of the reason. */
	policy_result_set_zone(&r, ZONE_SENSITIVE);
	ck_assert_int_eq(r.action, ACTION_NONE);
	ck_assert_str_eq(r.reason,
	    "odm by manufacturer; no active list covers "
	    "odm");
	policy_result_set_zone(&r, ZONE_GENERAL);
	ck_assert_str_eq(r.reason, first);
}
END_TEST

/* Shop brands and generic strings do not stop the ODM's evidence. */
START_TEST(test_white_label)
{
	static const char *const mfr[] = {
	    "General", "IPC", "H264DVR", "NVT", "", "Shopcam Pro"};
	struct cam_identity id;
	struct policy_result r;

	memset(&id, 0, sizeof(id));
	str_lcpy(id.model, "IPC", sizeof(id.model));
	str_lcpy(id.firmware, "V4.02.R11.34500140.10001.131900.00000",
	    sizeof(id.firmware));
	fact(&id, "http-server=uc-httpd 1.0.0");
	str_lcpy(id.manufacturer, mfr[_i], sizeof(id.manufacturer));
	classify(&id, "10.1.0.7", &r);
	ck_assert_msg(
	    r.verdict == VERDICT_RESTRICTED, "%s: %s", mfr[_i], r.reason);
	ck_assert_str_eq(r.maker, "odm");
	ck_assert_str_eq(r.jurisdiction, "CN");
	ck_assert_str_eq(r.lists, "uk");
	ck_assert(r.evidence & POLICY_EV(EV_FIRMWARE));
	ck_assert(r.evidence & POLICY_EV(EV_HTTP_BANNER));
	ck_assert_int_eq(r.action, ACTION_REMOVE);
	REASON_HAS(&r, "odm by device evidence alone (firmware, http-banner)");
}
END_TEST

/* One ODM signal suspects, never attributes; nothing: unidentified. */
START_TEST(test_white_label_weak)
{
	struct cam_identity id;
	struct policy_result r;

	memset(&id, 0, sizeof(id));
	str_lcpy(id.manufacturer, "General", sizeof(id.manufacturer));
	fact(&id, "http-server=uc-httpd");
	classify(&id, "10.1.0.7", &r);
	ck_assert_int_eq(r.verdict, VERDICT_UNIDENTIFIED);
	ck_assert_str_eq(r.suspect, "odm");
	ck_assert_str_eq(r.jurisdiction, "");
	ck_assert_int_eq(r.action, ACTION_INVESTIGATE);
	memset(&id, 0, sizeof(id));
	str_lcpy(id.manufacturer, "General", sizeof(id.manufacturer));
	classify(&id, "10.1.0.7", &r);
	ck_assert_int_eq(r.verdict, VERDICT_UNIDENTIFIED);
	ck_assert_str_eq(r.suspect, "");
	ck_assert_int_eq(r.action, ACTION_INVESTIGATE);
	classify(&id, "10.2.0.7", &r);
	ck_assert_int_eq(r.action, ACTION_NONE);
}
END_TEST

/* A chip vendor's OUI, or its name as Manufacturer, names no maker. */
START_TEST(test_chip_vendor)
{
	struct cam_identity id;
	struct policy_result r;

	memset(&id, 0, sizeof(id));
	ck_assert_int_eq(str_parse_mac("d0:31:10:12:34:56", id.macs[0]), 0);
	id.n_macs = 1;
	classify(&id, "10.1.0.8", &r);
	ck_assert_int_eq(r.verdict, VERDICT_UNIDENTIFIED);
	ck_assert_str_eq(r.suspect, "");
	ck_assert(r.evidence & POLICY_EV(EV_MAC_OUI_MODULE));
	ck_assert_int_eq(r.action, ACTION_INVESTIGATE);
	REASON_HAS(&r, "chip vendor OUI (Ingenic Semiconductor");
	str_lcpy(id.manufacturer, "HiSilicon", sizeof(id.manufacturer));
	classify(&id, "10.0.0.8", &r);
	ck_assert_int_eq(r.verdict, VERDICT_UNIDENTIFIED);
	REASON_HAS(&r, "HiSilicon is a chip vendor, never a camera's maker");
	/* The older <module-maker> is a Wi-Fi module. */
	memset(&id, 0, sizeof(id));
	ck_assert_int_eq(str_parse_mac("20:32:33:00:00:01", id.macs[0]), 0);
	id.n_macs = 1;
	classify(&id, "10.0.0.8", &r);
	REASON_HAS(&r, "Wi-Fi module OUI");
}
END_TEST

START_TEST(test_json)
{
	struct cam_identity id;
	struct policy_result r;
	struct json_object *o = json_object_new_object(), *v;

	memset(&id, 0, sizeof(id));
	str_lcpy(id.manufacturer, "Odmtech", sizeof(id.manufacturer));
	set_lists("us");
	classify(&id, "10.0.0.9", &r);
	policy_result_json(&r, o);
	ck_assert(json_object_object_get_ex(o, "jurisdiction", &v));
	ck_assert_str_eq(json_object_get_string(v), "CN");
	ck_assert(json_object_object_get_ex(o, "zone_rule", &v));
	ck_assert_str_eq(json_object_get_string(v), "general-prc");
	json_object_put(o);
}
END_TEST

static const struct {
	const char *file, *what;
} bad[] = {
    {"based-twice.xml", ":9: Element 'based': This element is not expected"},
    {"based-country.xml", "country"},
    {"zone-rule-list.xml", ":8: unknown list 'nope'"},
    {"zone-rule-action.xml", "action"},
};

START_TEST(test_bad)
{
	char path[512], err[600];
	struct policy *p;

	snprintf(path, sizeof(path), "%s%s", BAD, bad[_i].file);
	p = policy_load(path, "", err, sizeof(err));
	ck_assert_msg(p == NULL, "%s loaded", bad[_i].file);
	ck_assert_msg(strstr(err, bad[_i].what) != NULL, "'%s' lacks '%s'", err,
	    bad[_i].what);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy-juris");
	TCase *tc = tcase_create("juris");

	/* The fixtures have no schema beside them: use the source tree's. */
	setenv("CAMCOMPLY_POLICY_SCHEMA", TOP_SRCDIR "/data/policy.xsd", 1);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_list_members);
	tcase_add_test(tc, test_jurisdiction_adds_list);
	tcase_add_test(tc, test_zones);
	tcase_add_test(tc, test_zone_rule_set_zone);
	tcase_add_loop_test(tc, test_white_label, 0, 6);
	tcase_add_test(tc, test_white_label_weak);
	tcase_add_test(tc, test_chip_vendor);
	tcase_add_test(tc, test_json);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	return cr_run(s, CK_FORK_GETENV);
}
