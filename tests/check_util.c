/*
 * check_util.c: unit tests for strutil.c and the pure parts of onvif.c
 * (target URLs, status names).  No sockets.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "common/camera.h"
#include "onvif/onvif.h"
#include "common/strutil.h"

START_TEST(clean_keeps_utf8_and_drops_controls)
{
	char out[CAM_STR_MAX];

	ck_assert_str_eq(
	    str_clean(out, sizeof(out), "  HIKVISION \r\n"), "HIKVISION");
	ck_assert_str_eq(
	    str_clean(out, sizeof(out), "Caf\xc3\xa9"), "Caf\xc3\xa9");
	ck_assert_str_eq(str_clean(out, sizeof(out),
			     "a\x01"
			     "b\x7f"
			     "c"),
	    "a?b?c");
	/* Invalid UTF-8: a lone continuation byte and an overlong slash. */
	ck_assert_str_eq(
	    str_clean(out, sizeof(out), "x\x80y\xc0\xafz"), "x?y?z");
	/* C1 controls and UTF-16 surrogates are refused. */
	ck_assert_str_eq(
	    str_clean(out, sizeof(out), "\xc2\x85\xed\xa0\x80"), "??");
	/* Bidirectional overrides and isolates too (U+202E, U+2066). */
	ck_assert_str_eq(
	    str_clean(out, sizeof(out), "a\xe2\x80\xaegnp.exe\xe2\x81\xa6"),
	    "a?gnp.exe?");
	ck_assert_str_eq(str_clean(out, sizeof(out), NULL), "");
}
END_TEST

START_TEST(clean_cuts_at_255_without_splitting)
{
	char in[600], out[CAM_STR_MAX];
	size_t i;

	/* 300 two-byte characters: the cut must fall between two of them. */
	for (i = 0; i < 300; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	in[600 - 1] = '\0';
	in[598] = '\0';
	str_clean(out, sizeof(out), in);
	ck_assert_uint_le(strlen(out), 255);
	ck_assert_uint_eq(strlen(out) % 2, 0);
	memset(in, 'A', 599);
	in[599] = '\0';
	ck_assert_uint_eq(strlen(str_clean(out, sizeof(out), in)), 255);
}
END_TEST

START_TEST(mac_spellings)
{
	uint8_t mac[6];
	char buf[18];

	ck_assert_int_eq(str_parse_mac("28:57:BE:65:7d:d5", mac), 0);
	ck_assert_str_eq(
	    str_format_mac(mac, buf, sizeof(buf)), "28:57:be:65:7d:d5");
	ck_assert_int_eq(str_parse_mac("28-57-be-65-7d-d5", mac), 0);
	ck_assert_int_eq(str_parse_mac("2857.be65.7dd5", mac), 0);
	ck_assert_int_eq(str_parse_mac("2857be657dd5", mac), 0);
	ck_assert_str_eq(
	    str_format_mac(mac, buf, sizeof(buf)), "28:57:be:65:7d:d5");
	/* The garbage some Wi-Fi cameras report must not parse. */
	ck_assert_int_ne(
	    str_parse_mac("41a0bc:41a0bd:41a0be:41a0bf:41a0c0:41a0c1", mac), 0);
	ck_assert_int_ne(str_parse_mac("28:57:be:65:7d", mac), 0);
	ck_assert_int_ne(str_parse_mac("zz:57:be:65:7d:d5", mac), 0);
	ck_assert_int_ne(str_parse_mac("", mac), 0);
	ck_assert_int_ne(str_parse_mac(NULL, mac), 0);
}
END_TEST

START_TEST(percent_decoding)
{
	char out[CAM_STR_MAX];

	ck_assert_str_eq(
	    str_pct_decode(out, sizeof(out), "name/HIKVISION%20DS-2CD2143G2-I"),
	    "name/HIKVISION DS-2CD2143G2-I");
	ck_assert_str_eq(str_pct_decode(out, sizeof(out), "100%"), "100%");
	ck_assert_str_eq(str_pct_decode(out, sizeof(out), "%zz%4"), "%zz%4");
}
END_TEST

START_TEST(target_urls)
{
	char url[CAM_STR_MAX];

	ck_assert_int_eq(onvif_target_url("127.0.0.1", url, sizeof(url)), 0);
	ck_assert_str_eq(url, "http://127.0.0.1/onvif/device_service");
	ck_assert_int_eq(
	    onvif_target_url("127.0.0.1:8000", url, sizeof(url)), 0);
	ck_assert_str_eq(url, "http://127.0.0.1:8000/onvif/device_service");
	ck_assert_int_eq(onvif_target_url("[::1]:8080", url, sizeof(url)), 0);
	ck_assert_str_eq(url, "http://[::1]:8080/onvif/device_service");
	ck_assert_int_eq(
	    onvif_target_url("https://cam.example:443", url, sizeof(url)), 0);
	ck_assert_str_eq(url, "https://cam.example:443/onvif/device_service");
	ck_assert_int_eq(onvif_target_url("http://10.1.1.1/onvif/services", url,
			     sizeof(url)),
	    0);
	ck_assert_str_eq(url, "http://10.1.1.1/onvif/services");
	ck_assert_int_ne(onvif_target_url("", url, sizeof(url)), 0);
	ck_assert_int_ne(onvif_target_url("ftp://x/y", url, sizeof(url)), 0);
	ck_assert_int_ne(onvif_target_url("a b", url, sizeof(url)), 0);
	ck_assert_int_ne(onvif_target_url("host/path", url, sizeof(url)), 0);
}
END_TEST

START_TEST(status_names)
{
	ck_assert_str_eq(onvif_status_name(ONVIF_OK), "ok");
	ck_assert_str_eq(onvif_status_name(ONVIF_CLOCK_SKEW), "clock-skew");
	ck_assert_str_eq(onvif_status_name(ONVIF_TLS_ERROR), "tls-error");
	ck_assert_str_eq(onvif_status_name((enum onvif_status)99), "unknown");
}
END_TEST

START_TEST(facts_are_cleaned_capped_and_unique)
{
	struct cam_facts fs;
	char long_text[400];
	enum cam_fact_kind k;

	memset(&fs, 0, sizeof(fs));
	ck_assert_int_eq(cam_fact_add(&fs, FACT_HTTP_SERVER, PROBE_HTTP,
			     "App-webs/\x01x", 11),
	    1);
	ck_assert_str_eq(fs.f[0].text, "App-webs/?x");
	/* Same kind and text: once; empty: never; a NUL ends the text. */
	ck_assert_int_eq(cam_fact_add(&fs, FACT_HTTP_SERVER, PROBE_HTTPS,
			     "App-webs/\x01x", 11),
	    0);
	ck_assert_int_eq(
	    cam_fact_add(&fs, FACT_HTTP_TITLE, PROBE_HTTP, "  ", 2), 0);
	ck_assert_int_eq(
	    cam_fact_add(&fs, FACT_MODEL, PROBE_SADP, "DS-2CD\0zz", 9), 1);
	ck_assert_str_eq(cam_fact_find(&fs, FACT_MODEL)->text, "DS-2CD");
	ck_assert_int_eq(cam_fact_find(&fs, FACT_MODEL)->probe, PROBE_SADP);
	ck_assert_ptr_null(cam_fact_find(&fs, FACT_SERIAL));
	memset(long_text, 'a', sizeof(long_text));
	ck_assert_int_eq(cam_fact_add(&fs, FACT_HTTP_TITLE, PROBE_HTTP,
			     long_text, sizeof(long_text)),
	    1);
	ck_assert_uint_eq(strlen(cam_fact_find(&fs, FACT_HTTP_TITLE)->text),
	    CAM_FACT_MAX - 1);
	ck_assert_int_eq(
	    cam_fact_add(&fs, FACT_KIND_COUNT, PROBE_HTTP, "x", 1), 0);
	/* A full list drops the rest. */
	for (int i = 0; i < CAM_FACTS_MAX + 5; i++) {
		char t[16];
		snprintf(t, sizeof(t), "realm%d", i);
		cam_fact_add(&fs, FACT_HTTP_REALM, PROBE_HTTP, t, strlen(t));
	}
	ck_assert_uint_eq(fs.n, CAM_FACTS_MAX);
	/* Names round-trip. */
	for (int i = FACT_NONE + 1; i < FACT_KIND_COUNT; i++) {
		ck_assert_int_eq(cam_fact_parse(cam_fact_name(i), &k), 0);
		ck_assert_int_eq(k, i);
	}
	ck_assert_int_eq(cam_fact_parse("nonsense", &k), -1);
	ck_assert_str_eq(cam_probe_name(PROBE_DHIP), "dhip");
}
END_TEST

/*
 * The same serial from DHIP and from Dahua's RPC2_Login (HTTP): which
 * reply the collectors read first depends on timing (a DHIP reply that
 * comes after the web pages is read at the end), yet the facts, which
 * camDeviceFacts shows by collector and the state file keeps, must not:
 * the one fact is the first collector's in enum cam_probe's order.
 */
START_TEST(facts_shared_by_collectors_are_the_first_collectors)
{
	struct cam_facts a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	cam_fact_add(&a, FACT_SERIAL, PROBE_DHIP, "4K02C31PAZ5A8F1", 15);
	cam_fact_add(&a, FACT_SERIAL, PROBE_HTTP, "4K02C31PAZ5A8F1", 15);
	cam_fact_add(&b, FACT_SERIAL, PROBE_HTTP, "4K02C31PAZ5A8F1", 15);
	cam_fact_add(&b, FACT_SERIAL, PROBE_DHIP, "4K02C31PAZ5A8F1", 15);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_uint_eq(b.n, 1);
	ck_assert_int_eq(a.f[0].probe, PROBE_DHIP);
	ck_assert_int_eq(b.f[0].probe, PROBE_DHIP);
}
END_TEST

START_TEST(port_lists)
{
	uint16_t p[8];

	ck_assert_int_eq(str_parse_ports("34567", p, 8), 1);
	ck_assert_uint_eq(p[0], 34567);
	ck_assert_int_eq(str_parse_ports("1,65535,9527", p, 8), 3);
	ck_assert_uint_eq(p[1], 65535);
	ck_assert_uint_eq(p[2], 9527);
	ck_assert_int_eq(str_parse_ports("1,2", p, 1), -1);
	ck_assert_int_eq(str_parse_ports("", p, 8), -1);
	ck_assert_int_eq(str_parse_ports("0", p, 8), -1);
	ck_assert_int_eq(str_parse_ports("65536", p, 8), -1);
	ck_assert_int_eq(str_parse_ports("1,", p, 8), -1);
	ck_assert_int_eq(str_parse_ports(",1", p, 8), -1);
	ck_assert_int_eq(str_parse_ports("1,,2", p, 8), -1);
	ck_assert_int_eq(str_parse_ports("1, 2", p, 8), -1);
	ck_assert_int_eq(str_parse_ports("+1", p, 8), -1);
	ck_assert_int_eq(str_parse_ports("7,7", p, 8), -1);
	ck_assert_int_eq(str_parse_ports(NULL, p, 8), -1);
	ck_assert_str_eq(cam_probe_name(PROBE_PORTS), "ports");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, clean_keeps_utf8_and_drops_controls);
	tcase_add_test(tc, clean_cuts_at_255_without_splitting);
	tcase_add_test(tc, mac_spellings);
	tcase_add_test(tc, percent_decoding);
	tcase_add_test(tc, target_urls);
	tcase_add_test(tc, status_names);
	tcase_add_test(tc, facts_are_cleaned_capped_and_unique);
	tcase_add_test(tc, facts_shared_by_collectors_are_the_first_collectors);
	tcase_add_test(tc, port_lists);
	suite_add_tcase(s, tc);
	return cr_run(s, CK_FORK_GETENV);
}
