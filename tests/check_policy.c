/*
 * check_policy.c: unit tests of the policy engine: the classification
 * tables (check_policy_cases.c, check_policy_facts.c), loading errors with
 * file and line, the IEEE registry (test copy and, when installed,
 * Debian's), sites, lists, names, JSON, page markers and facts given by
 * hand.  Single-threaded test process.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "policy_cases.h"
#include "policy/oui.h"
#include "policy/policy_int.h"
#include "common/strutil.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

#define SHIPPED TOP_SRCDIR "/data/policy.xml"
#define TEST_OUI TOP_SRCDIR "/tests/data/oui"
#define BAD TOP_SRCDIR "/tests/policy-bad/"
#define DEBIAN_OUI "/usr/share/ieee-data"

static struct policy *pol;

static struct policy *
load(const char *path, const char *oui)
{
	char err[600];
	struct policy *p = policy_load(path, oui, err, sizeof(err));

	ck_assert_msg(p != NULL, "%s", err);
	return p;
}

static void
setup(void)
{
	char err[256];

	pol = load(SHIPPED, TEST_OUI);
	ck_assert_int_eq(policy_add_site(pol, "campus", "10.0.0.0/8", "general",
			     err, sizeof(err)),
	    0);
	ck_assert_int_eq(policy_add_site(pol, "lab", "10.1.0.0/16", "sensitive",
			     err, sizeof(err)),
	    0);
	ck_assert_int_eq(policy_add_site(pol, "core", "10.2.0.0/16", "core",
			     err, sizeof(err)),
	    0);
	ck_assert_int_eq(policy_add_site(pol, "lab6", "2001:db8:1::/48",
			     "sensitive", err, sizeof(err)),
	    0);
	ck_assert_int_eq(pol_add_waiver(pol, "WAIVED-1", "", "2026-06-30",
			     "RA-1", err, sizeof(err)),
	    0);
	ck_assert_int_eq(pol_add_waiver(pol, "", "28:57:be:00:00:99",
			     "2026-01-31", "RA-2", err, sizeof(err)),
	    0);
}

static void
teardown(void)
{
	policy_free(pol);
	pol = NULL;
}

/* The shared checks, and what the shipped policy promises of every result. */
static void
check_case(const struct pcase *c, const struct policy_result *r)
{
	pcase_check(c, r);
	ck_assert_msg(strlen(r->reason) < 255 && r->reason[0] != '\0',
	    "%s: reason length", c->name);
	ck_assert(r->confidence >= 0 && r->confidence <= 100);
	ck_assert(
	    (r->maker[0] != '\0') == (r->verdict != VERDICT_UNIDENTIFIED));
}

static void
run_case(const struct pcase *c)
{
	static struct cam_identity id;
	struct policy_result r;
	char err[256];

	if (c->lists != NULL)
		ck_assert_int_eq(
		    policy_set_lists(pol, c->lists, err, sizeof(err)), 0);
	pcase_fill(&id, c);
	policy_evaluate(pol, &id, pcase_day(c->date ? c->date : CASE_NOW), &r);
	if (c->zone != 0)
		policy_result_set_zone(&r, c->zone);
	check_case(c, &r);
}

START_TEST(test_table)
{
	run_case(&policy_cases[_i]);
}
END_TEST

START_TEST(test_fact_table)
{
	run_case(&policy_fact_cases[_i]);
}
END_TEST

/* Each broken policy names its file and the offending line. */
static const struct {
	const char *file;
	int line;
	const char *what;
} bad_cases[] = {
    {"bad-schema.xml", 12, "colour"},
    {"bad-regex.xml", 12, "missing closing parenthesis"},
    {"bad-cidr.xml", 14, "bad CIDR '10.0.0.300/8'"},
    {"unknown-list.xml", 11, "unknown list 'l3'"},
    {"unknown-source.xml", 11, "unknown source 'report'"},
    {"bad-waiver.xml", 14, "bad MAC"},
    {"doctype.xml", 2, "DOCTYPE"},
    {"fact-kind.xml", 12, "smtp-banner"},
    {"fact-both.xml", 12, "pattern= or text=, exactly one"},
    {"fact-neither.xml", 12, "pattern= or text=, exactly one"},
    {"fact-regex.xml", 13, "missing closing parenthesis"},
    {"fact-marker-pattern.xml", 12, "http-marker matchers take text="},
    {"fact-nothing.xml", 13, "adds nothing"},
    {"fact-weight-alone.xml", 12, "weight= without evidence="},
    {"fact-weight-range.xml", 12, "101"},
    {"fact-brand.xml", 14, "brand 'Acme Pro' is not a name or brand"},
    {"fact-own-brand.xml", 12, "is the maker itself"},
    {"not-xml.xml", 7, "Premature end of data"},
    {"no-such-file.xml", 0, "no-such-file.xml"},
};

START_TEST(test_bad_policy)
{
	char path[512], err[600], want[600];
	struct policy *p;

	snprintf(path, sizeof(path), BAD "%s", bad_cases[_i].file);
	p = policy_load(path, "", err, sizeof(err));
	ck_assert_ptr_null(p);
	if (bad_cases[_i].line > 0) {
		snprintf(
		    want, sizeof(want), "%s:%d: ", path, bad_cases[_i].line);
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
		    "'%s' does not start with '%s'", err, want);
	}
	ck_assert_msg(strstr(err, bad_cases[_i].what) != NULL,
	    "'%s' lacks '%s'", err, bad_cases[_i].what);
}
END_TEST

START_TEST(test_shipped_policy)
{
	struct policy_counts c;
	struct policy *p = load(SHIPPED, "");
	char buf[128];

	ck_assert_str_eq(policy_version(p), "2026.11.3");
	ck_assert_str_eq(policy_date(p), "2026-11-30");
	ck_assert_uint_eq(policy_list_count(p), 3);
	ck_assert_str_eq(policy_list_id(p, 0), "uk-nsl");
	ck_assert(policy_list_active(p, 0));
	ck_assert(policy_list_active(p, 1));
	ck_assert(!policy_list_active(p, 2));
	policy_get_counts(p, &c);
	ck_assert_uint_ge(c.restricted_makers, 8);
	ck_assert_uint_ge(c.makers, 16);
	ck_assert_uint_ge(c.oem, 10);
	ck_assert_uint_ge(c.module_makers, 13); /* Wi-Fi modules and chips */
	ck_assert_uint_eq(policy_oui_entries(p), 0);
	ck_assert_uint_eq(c.unbased, 0); /* every shipped maker says where */
	/* uk-nsl by jurisdiction, the US lists by name; the core rule. */
	policy_list_jurisdictions(p, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "CN HK MO");
	policy_list_jurisdictions(p, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	policy_list_jurisdictions(p, 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(c.zone_rules, 1);
	policy_zone_rule_describe(p, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "uk-core-prc: core zone, makers based in CN HK "
	    "MO: disconnect");
	ck_assert_str_eq(policy_maker_name(p, "hikvision"), "Hikvision");
	ck_assert_uint_ge(c.facts, 40);
	ck_assert_uint_eq(c.markers, 5);
	policy_free(p);
}
END_TEST

/* The collector's search list: each marker once, the policy's own. */
START_TEST(test_http_markers)
{
	const char *const *m = NULL;
	size_t n = policy_http_markers(pol, &m), i, j;
	int dahua = 0, hik = 0;

	ck_assert_uint_eq(n, 5);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(m[i]);
		dahua += strcmp(m[i], "ui-dialog-content") == 0;
		hik += strcmp(m[i], "/doc/page/login.asp") == 0;
		for (j = 0; j < i; j++)
			ck_assert_str_ne(m[i], m[j]);
	}
	ck_assert_int_eq(dahua, 1);
	ck_assert_int_eq(hik, 1);
}
END_TEST

/* classify --fact: the probe is given or inferred; mistakes are named. */
START_TEST(test_fact_arg)
{
	static struct cam_identity id;
	char err[256];
	int i;

	memset(&id, 0, sizeof(id));
	ck_assert_int_eq(policy_fact_arg(&id, "protocol=dhip", err, 256), 0);
	ck_assert_int_eq(
	    policy_fact_arg(&id, "serial=3C06520PAN00001", err, sizeof(err)),
	    0);
	ck_assert_int_eq(policy_fact_arg(&id, "rtsp-realm=a=b", err, 256), 0);
	ck_assert_int_eq(
	    policy_fact_arg(&id, "https:http-title=WEB", err, sizeof(err)), 0);
	ck_assert_int_eq(policy_fact_arg(&id, "oem-code=1", err, 256), 0);
	ck_assert_uint_eq(id.facts.n, 5);
	ck_assert_int_eq(id.facts.f[0].probe, PROBE_DHIP);
	ck_assert_int_eq(id.facts.f[1].probe, PROBE_DHIP);
	ck_assert_int_eq(id.facts.f[2].kind, FACT_RTSP_REALM);
	ck_assert_int_eq(id.facts.f[2].probe, PROBE_RTSP);
	ck_assert_str_eq(id.facts.f[2].text, "a=b");
	ck_assert_int_eq(id.facts.f[3].probe, PROBE_HTTPS);
	ck_assert_int_eq(id.facts.f[4].probe, PROBE_SADP);
	ck_assert(id.facts.answered & CAM_PROBE(PROBE_HTTPS));
	ck_assert_int_eq(policy_fact_arg(&id, "protocol", err, 256), -1);
	ck_assert_ptr_nonnull(strstr(err, "KIND=TEXT"));
	ck_assert_int_eq(policy_fact_arg(&id, "banner=x", err, 256), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown kind 'banner'"));
	ck_assert_int_eq(policy_fact_arg(&id, "ftp:model=x", err, 256), -1);
	ck_assert_ptr_nonnull(strstr(err, "probe 'ftp'"));
	/* A duplicate or an empty text adds nothing, as from a collector. */
	ck_assert_int_eq(policy_fact_arg(&id, "protocol=dhip", err, 256), 0);
	ck_assert_int_eq(policy_fact_arg(&id, "model=", err, 256), 0);
	ck_assert_uint_eq(id.facts.n, 5);
	for (i = 0; id.facts.n < CAM_FACTS_MAX; i++) {
		char arg[32];

		snprintf(arg, sizeof(arg), "http-marker=m%d", i);
		ck_assert_int_eq(policy_fact_arg(&id, arg, err, 256), 0);
	}
	ck_assert_int_eq(policy_fact_arg(&id, "model=x", err, 256), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than"));
}
END_TEST

START_TEST(test_small_policy)
{
	struct policy *p =
	    load(TOP_SRCDIR "/tests/data/policy-small.xml", TEST_OUI);
	struct cam_identity id;
	struct policy_result r;

	memset(&id, 0, sizeof(id));
	str_lcpy(id.model, "AC-123", sizeof(id.model));
	str_lcpy(id.serial, "AC123", sizeof(id.serial));
	str_lcpy(id.address, "10.1.0.9", sizeof(id.address));
	ck_assert_int_eq(str_parse_mac("3c:ef:8c:00:00:01", id.macs[0]), 0);
	id.n_macs = 1;
	policy_evaluate(p, &id, pcase_day("2026-03-01"), &r);
	ck_assert_int_eq(r.verdict, VERDICT_RESTRICTED);
	ck_assert_str_eq(r.maker, "acme");
	ck_assert_str_eq(r.site, "secure-lab");
	ck_assert_str_eq(r.waiver, "RA-1");
	ck_assert_int_eq(r.action, ACTION_NONE);
	policy_evaluate(p, &id, pcase_day("2026-07-01"), &r);
	ck_assert_int_eq(r.action, ACTION_REMOVE);
	str_lcpy(id.address, "2001:db8::1", sizeof(id.address));
	policy_evaluate(p, &id, pcase_day("2026-07-01"), &r);
	ck_assert_str_eq(r.site, "core-net");
	ck_assert_int_eq(r.action, ACTION_DISCONNECT);
	policy_free(p);
}
END_TEST

START_TEST(test_sites_and_lists)
{
	char err[256];

	ck_assert_int_eq(
	    policy_add_site(pol, "x", "10.0.0.1/8", "core", err, sizeof(err)),
	    -1);
	ck_assert_int_eq(
	    policy_add_site(pol, "x", "10.0.0.0/33", "core", err, sizeof(err)),
	    -1);
	ck_assert_int_eq(
	    policy_add_site(pol, "x", "fe80::/129", "core", err, sizeof(err)),
	    -1);
	ck_assert_int_eq(
	    policy_add_site(pol, "x", "10.0.0.0", "core", err, sizeof(err)),
	    -1);
	ck_assert_int_eq(
	    policy_add_site(pol, "x", "10.0.0.0/8", "secret", err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "secret"));
	ck_assert_int_eq(
	    policy_set_lists(pol, "uk-nsl,eu-list", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown list 'eu-list'");
	ck_assert_int_eq(
	    policy_set_lists(pol, "fcc-covered", err, sizeof(err)), 0);
	ck_assert(!policy_list_active(pol, 0));
	ck_assert(policy_list_active(pol, 2));
}
END_TEST

START_TEST(test_names_and_json)
{
	struct cam_identity id;
	struct policy_result r;
	struct json_object *o = json_object_new_object(), *v;
	char err[64];

	ck_assert_str_eq(policy_evidence_name(0), "manufacturer");
	ck_assert_str_eq(policy_evidence_name(EV_OEM_BRAND), "oem-brand");
	ck_assert_str_eq(policy_evidence_name(EV_MAC_OUI), "mac-oui");
	ck_assert_str_eq(policy_evidence_name(EV_ENDPOINT), "endpoint");
	ck_assert_str_eq(
	    policy_evidence_name(EV_MAKER_PROTOCOL), "maker-protocol");
	ck_assert_str_eq(policy_evidence_name(EV_HTTP_BANNER), "http-banner");
	ck_assert_str_eq(policy_evidence_name(EV_HTTP_REALM), "http-realm");
	ck_assert_str_eq(policy_evidence_name(EV_HTTP_PAGE), "http-page");
	ck_assert_str_eq(policy_evidence_name(EV_RTSP), "rtsp");
	ck_assert_str_eq(
	    policy_evidence_name(EV_TLS_CERTIFICATE), "tls-certificate");
	ck_assert_str_eq(policy_evidence_name(EV_OEM_CODE), "oem-code");
	ck_assert_int_eq(EV_OEM_CODE, 19);
	ck_assert_str_eq(policy_evidence_name(EV_COUNT), "?");
	ck_assert_int_eq(VERDICT_COMPLIANT, 1);
	ck_assert_int_eq(VERDICT_UNIDENTIFIED, 3);
	ck_assert_int_eq(ACTION_INVESTIGATE, 5);
	memset(&id, 0, sizeof(id));
	str_lcpy(id.manufacturer, "HIKVISION", sizeof(id.manufacturer));
	str_lcpy(id.serial, "WAIVED-1", sizeof(id.serial));
	policy_evaluate(pol, &id, pcase_day(CASE_NOW), &r);
	policy_result_json(&r, o);
	ck_assert(json_object_object_get_ex(o, "verdict", &v));
	ck_assert_str_eq(json_object_get_string(v), "restricted");
	ck_assert(json_object_object_get_ex(o, "lists", &v));
	ck_assert_int_eq(json_object_array_length(v), 2);
	ck_assert(json_object_object_get_ex(o, "evidence", &v));
	ck_assert_str_eq(
	    json_object_get_string(json_object_array_get_idx(v, 0)),
	    "manufacturer");
	ck_assert(json_object_object_get_ex(o, "waiver", &v));
	ck_assert(json_object_object_get_ex(v, "expires", &v));
	ck_assert_str_eq(json_object_get_string(v), "2026-06-30");
	ck_assert(json_object_object_get_ex(o, "confidence", &v));
	ck_assert(json_object_object_get_ex(o, "action", &v));
	ck_assert(json_object_object_get_ex(o, "reason", &v));
	ck_assert(json_object_object_get_ex(o, "mac_vendor", &v));
	ck_assert(json_object_object_get_ex(o, "brand", &v));
	ck_assert_str_eq(json_object_get_string(v), "");
	json_object_put(o);
	o = json_object_new_object();
	str_lcpy(id.manufacturer, "Amcrest", sizeof(id.manufacturer));
	ck_assert_int_eq(policy_fact_arg(&id, "protocol=rpc2", err, 64), 0);
	policy_evaluate(pol, &id, pcase_day(CASE_NOW), &r);
	policy_result_json(&r, o);
	ck_assert(json_object_object_get_ex(o, "brand", &v));
	ck_assert_str_eq(json_object_get_string(v), "Amcrest");
	ck_assert(json_object_object_get_ex(o, "evidence", &v));
	ck_assert_str_eq(
	    json_object_get_string(json_object_array_get_idx(v, 1)),
	    "maker-protocol");
	json_object_put(o);
}
END_TEST

START_TEST(test_long_reason)
{
	struct cam_identity id;
	struct policy_result r;

	memset(&id, 0, sizeof(id));
	/* An unknown maker's name lands in the reason: it must be cut. */
	memset(id.manufacturer, 'x', CAM_STR_MAX - 1);
	memcpy(id.manufacturer + 250, "\xc3\xa9\xc3\xa9", 4);
	policy_evaluate(pol, &id, pcase_day(CASE_NOW), &r);
	ck_assert_uint_lt(strlen(r.reason), 255);
	ck_assert_int_eq(r.verdict, VERDICT_UNIDENTIFIED);
}
END_TEST

START_TEST(test_oui_test_registry)
{
	char err[256], n1[128], n2[128];
	struct oui_registry *r = oui_load(TEST_OUI, err, sizeof(err));
	uint8_t mac[6];
	ssize_t i;

	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_uint_eq(oui_count(r), 36);
	ck_assert_str_eq(oui_date(r), "2023-11-14");
	str_parse_mac("40:2c:76:10:00:00", mac);
	ck_assert_int_ge(i = oui_find(r, mac), 0);
	ck_assert_str_eq(oui_org(r, i), "Shanghai Dahua Scale Factory");
	ck_assert_int_eq(oui_bits(r, i), 28);
	str_parse_mac("40:2c:76:f0:00:00", mac);
	ck_assert_str_eq(
	    oui_org(r, oui_find(r, mac)), "IEEE Registration Authority");
	str_parse_mac("70:b3:d5:f2:f0:00", mac);
	ck_assert_str_eq(oui_org(r, oui_find(r, mac)), "TELEPLATFORMS");
	/* The record after the two-line address still parses. */
	str_parse_mac("3c:7a:aa:00:00:00", mac);
	ck_assert_str_eq(
	    oui_org(r, oui_find(r, mac)), "China Dragon Technology Limited");
	str_parse_mac("02:00:00:00:00:00", mac);
	ck_assert_int_eq(oui_find(r, mac), -1);
	oui_org_normalise(
	    n1, sizeof(n1), "SHENZHEN BILIAN ELECTRONIC CO.\xef\xbc\x8cLTD");
	ck_assert_str_eq(n1, " shenzhen bilian electronic co ltd ");
	oui_org_normalise(n2, sizeof(n2), "Shenzhen Bilian electronic");
	ck_assert(oui_org_match(n1, n2));
	oui_org_normalise(n1, sizeof(n1), "Shanghai Dahua Scale Factory");
	oui_org_normalise(n2, sizeof(n2), "Zhejiang Dahua Technology");
	ck_assert(!oui_org_match(n1, n2));
	oui_org_normalise(
	    n1, sizeof(n1), "Zhejiang Dahua Technology Co., Ltd.");
	ck_assert(oui_org_match(n1, n2));
	oui_org_normalise(n1, sizeof(n1), "Kedah Electronics Engineering, LLC");
	oui_org_normalise(n2, sizeof(n2), "Keda");
	ck_assert(!oui_org_match(n1, n2));
	oui_free(r);
	ck_assert_ptr_null(oui_load(TOP_SRCDIR "/tests", err, sizeof(err)));
}
END_TEST

/* Debian's ieee-data, when installed: fast, and our patterns fit it. */
START_TEST(test_oui_debian)
{
	struct policy *p;
	struct cam_identity id;
	struct policy_result r;
	struct timespec t0, t1;
	double secs;

	if (access(DEBIAN_OUI "/oui.csv", R_OK) != 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p = load(SHIPPED, DEBIAN_OUI);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs < 1.0, "loading took %.3f s", secs);
	ck_assert_uint_gt(policy_oui_entries(p), 40000);
	ck_assert_int_eq(strlen(policy_oui_date(p)), 10);
	memset(&id, 0, sizeof(id));
	id.n_macs = 1;
	str_parse_mac("bc:ad:28:00:00:01", id.macs[0]); /* Hikvision */
	policy_evaluate(p, &id, pcase_day(CASE_NOW), &r);
	ck_assert_str_eq(r.suspect, "hikvision");
	ck_assert_ptr_nonnull(strstr(r.mac_vendor, "Hikvision"));
	str_parse_mac("e0:19:1d:00:00:01", id.macs[0]); /* Huawei */
	policy_evaluate(p, &id, pcase_day(CASE_NOW), &r);
	ck_assert(r.evidence & POLICY_EV(EV_MAC_OUI_WEAK));
	str_parse_mac("40:2c:76:10:00:01", id.macs[0]); /* the scale maker */
	policy_evaluate(p, &id, pcase_day(CASE_NOW), &r);
	ck_assert_str_eq(r.suspect, "");
	ck_assert_str_eq(r.mac_vendor, "Shanghai Dahua Scale Factory");
	str_parse_mac("20:32:33:00:00:01", id.macs[0]); /* Bilian, "，" */
	policy_evaluate(p, &id, pcase_day(CASE_NOW), &r);
	ck_assert(r.evidence & POLICY_EV(EV_MAC_OUI_MODULE));
	str_parse_mac("90:ff:d6:00:00:01", id.macs[0]); /* Honor */
	policy_evaluate(p, &id, pcase_day(CASE_NOW), &r);
	ck_assert_uint_eq(r.evidence, 0);
	policy_free(p);
}
END_TEST

static Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("table");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_table, 0, (int)n_policy_cases);
	tcase_add_loop_test(tc, test_fact_table, 0, (int)n_policy_fact_cases);
	tcase_add_test(tc, test_http_markers);
	tcase_add_test(tc, test_fact_arg);
	tcase_add_test(tc, test_sites_and_lists);
	tcase_add_test(tc, test_names_and_json);
	tcase_add_test(tc, test_long_reason);
	suite_add_tcase(s, tc);
	tc = tcase_create("load");
	tcase_add_loop_test(tc, test_bad_policy, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_shipped_policy);
	tcase_add_test(tc, test_small_policy);
	suite_add_tcase(s, tc);
	tc = tcase_create("oui");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_oui_test_registry);
	tcase_add_test(tc, test_oui_debian);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return pcase_run(policy_suite());
}
