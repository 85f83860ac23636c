/*
 * check_unauth_http.c: unit tests for the codecs of the collectors that
 * speak TCP without credentials (onvif/unauth_parse.h): HTTP and RTSP
 * reply heads (vendor shapes, incremental, hostile), Content-Length forms,
 * chunked bodies, challenge realms and the MACs in them, page titles, and
 * Dahua's RPC2_Login challenge (and what it must refuse).  check_unauth.c
 * runs them (unauth_http_tests) with its SADP and DHIP tests.  No sockets;
 * single-threaded.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onvif/unauth.h"
#include "onvif/unauth_parse.h"
#include "common/strutil.h"
#include "check_unauth.h"

/* ---- HTTP and RTSP heads ------------------------------------------------- */

static struct ux_head head;

static const char hik_401[] =
    "HTTP/1.1 401 Unauthorized\r\n"
    "Date: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
    "Server: App-webs/\r\n"
    "Content-Length: 178\r\n"
    "Content-Type: text/html\r\n"
    "Connection: close\r\n"
    "WWW-Authenticate: Digest qop=\"auth\", realm=\"IP Camera(C2183)\", "
    "nonce=\"4e5445334e7a59774e444d364d7a5a6a4e6d4d794e44413d\", "
    "stale=\"FALSE\"\r\n"
    "WWW-Authenticate: Basic realm=\"IP Camera(C2183)\"\r\n"
    "\r\n";

static const char dahua_200[] = "HTTP/1.1 200 OK\r\n"
				"CACHE-CONTROL: max-age=0\r\n"
				"CONNECTION: close\r\n"
				"CONTENT-LENGTH: 12\r\n"
				"CONTENT-TYPE: text/html\r\n"
				"Etag: \"5:6d7a\"\r\n"
				"P3P: CP=CAO PSA OUR\r\n"
				"\r\n";

START_TEST(head_hikvision_401)
{
	size_t i = 0;

	ck_assert_int_eq(
	    ux_parse_head(hik_401, strlen(hik_401), "HTTP", &head), 1);
	ck_assert_int_eq(head.code, 401);
	ck_assert_uint_eq(head.len, strlen(hik_401));
	ck_assert_int_eq(ux_content_length(&head), 178);
	ck_assert_ptr_nonnull(ux_header_next(&head, "www-authenticate", &i));
	ck_assert_ptr_nonnull(ux_header_next(&head, "WWW-AUTHENTICATE", &i));
	ck_assert_ptr_null(ux_header_next(&head, "WWW-Authenticate", &i));
	reset();
	ux_head_facts(&head, PROBE_HTTP, false, &id);
	ck_assert_str_eq(fact(FACT_HTTP_SERVER), "App-webs/");
	ck_assert_ptr_null(fact(FACT_HTTP_STYLE));
	/* Digest and Basic realms, the same text once. */
	ck_assert_uint_eq(count(FACT_HTTP_REALM), 1);
	ck_assert_str_eq(fact(FACT_HTTP_REALM), "IP Camera(C2183)");
	ck_assert_uint_eq(id.facts.f[0].probe, PROBE_HTTP);
}
END_TEST

START_TEST(head_dahua_style)
{
	ck_assert_int_eq(
	    ux_parse_head(dahua_200, strlen(dahua_200), "HTTP", &head), 1);
	ck_assert_int_eq(ux_content_length(&head), 12);
	reset();
	ux_head_facts(&head, PROBE_HTTPS, false, &id);
	ck_assert(has_fact(FACT_HTTP_STYLE, "no-server"));
	ck_assert(has_fact(FACT_HTTP_STYLE, "upper-case-headers"));
	ck_assert_uint_eq(id.facts.f[0].probe, PROBE_HTTPS);
	/* One mixed-case long name and the style is gone. */
	static const char mixed[] = "HTTP/1.1 200 OK\r\nCONNECTION: close\r\n"
				    "Content-Length: 0\r\n\r\n";
	ck_assert_int_eq(ux_parse_head(mixed, strlen(mixed), "HTTP", &head), 1);
	reset();
	ux_head_facts(&head, PROBE_HTTP, false, &id);
	ck_assert(!has_fact(FACT_HTTP_STYLE, "upper-case-headers"));
}
END_TEST

START_TEST(head_incremental)
{
	size_t n, len = strlen(hik_401);

	for (n = 0; n < len; n++)
		ck_assert_msg(ux_parse_head(hik_401, n, "HTTP", &head) == 0,
		    "prefix %zu", n);
	ck_assert_int_eq(ux_parse_head(hik_401, len, "HTTP", &head), 1);
	/* Bare LF line ends, a folded line, a line without a colon. */
	static const char odd[] = "HTTP/1.0 401 Unauthorized\n"
				  "Server: old\n"
				  " folded continuation\n"
				  "no colon here\n"
				  "WWW-Authenticate: Basic realm=\"/\"\n"
				  "\n"
				  "body";
	ck_assert_int_eq(ux_parse_head(odd, strlen(odd), "HTTP", &head), 1);
	ck_assert_uint_eq(head.n, 2);
	ck_assert_uint_eq(head.len, strlen(odd) - 4);
}
END_TEST

START_TEST(head_hostile_refused)
{
	static const char *const bad[] = {
	    "SSH-2.0-OpenSSH_9.2\r\n",
	    "HTTP/1.1 abc OK\r\n\r\n",
	    "HTTP/1.1 099 Low\r\n\r\n",
	    "HTTP/1.1 2000 OK\r\n\r\n",
	    "HTTP/x.1 200 OK\r\n\r\n",
	    "RTSP/1.0 200 OK\r\n\r\n",
	    "<html>",
	};
	char *big = malloc(100000);
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(
		    ux_parse_head(bad[i], strlen(bad[i]), "HTTP", &head) == -1,
		    "accepted: %s", bad[i]);
	/* A NUL in the head. */
	static const char nul[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
	ck_assert_int_eq(
	    ux_parse_head(nul, sizeof(nul) - 1, "HTTP", &head), -1);
	/* 65 headers. */
	ck_assert_ptr_nonnull(big);
	n = (size_t)sprintf(big, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 65; i++)
		n += (size_t)sprintf(big + n, "X-%d: y\r\n", i);
	n += (size_t)sprintf(big + n, "\r\n");
	ck_assert_int_eq(ux_parse_head(big, n, "HTTP", &head), -1);
	/* A line over the cap, ended or still growing. */
	n = (size_t)sprintf(big, "HTTP/1.1 200 OK\r\nX: ");
	memset(big + n, 'a', 5000);
	ck_assert_int_eq(ux_parse_head(big, n + 5000, "HTTP", &head), -1);
	memcpy(big + n + 5000, "\r\n\r\n", 4);
	ck_assert_int_eq(ux_parse_head(big, n + 5004, "HTTP", &head), -1);
	free(big);
}
END_TEST

START_TEST(content_length_forms)
{
	static const struct {
		const char *head;
		long want;
	} cases[] = {
	    {"HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", 42},
	    {"HTTP/1.1 200 OK\r\n\r\n", -1},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 4x\r\n\r\n", -1},
	    {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", -1},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", -1},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
		-1},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
		5},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(ux_parse_head(cases[i].head,
				     strlen(cases[i].head), "HTTP", &head),
		    1);
		ck_assert_int_eq(ux_content_length(&head), cases[i].want);
	}
}
END_TEST

START_TEST(chunked_bodies)
{
	static const char enc[] = "4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n";
	char buf[128];
	size_t next, n;

	static const char te[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				 "gzip, Chunked\r\n\r\n";

	ck_assert_int_eq(ux_parse_head(te, strlen(te), "HTTP", &head), 1);
	ck_assert(ux_is_chunked(&head));
	/* Incomplete at every cut; complete at the 0 chunk's line. */
	for (n = 0; n < strlen(enc) - 2; n++) {
		next = 0;
		ck_assert_msg(ux_chunk_scan(enc, n, &next) == 0, "cut %zu", n);
	}
	next = 0;
	ck_assert_int_eq(ux_chunk_scan(enc, strlen(enc), &next), 1);
	/* Resuming from where a scan stopped. */
	next = 0;
	ck_assert_int_eq(ux_chunk_scan(enc, 12, &next), 0);
	ck_assert_uint_eq(next, 9);
	ck_assert_int_eq(ux_chunk_scan(enc, strlen(enc), &next), 1);
	memcpy(buf, enc, sizeof(enc));
	n = ux_dechunk(buf, strlen(enc));
	ck_assert_uint_eq(n, 9);
	ck_assert_int_eq(memcmp(buf, "Wikipedia", 9), 0);
	/* Bad size, data without its line end, an absurd size. */
	next = 0;
	ck_assert_int_eq(ux_chunk_scan("zz\r\nab\r\n", 8, &next), -1);
	next = 0;
	ck_assert_int_eq(ux_chunk_scan("2\r\nabcd\r\n", 9, &next), -1);
	next = 0;
	ck_assert_int_eq(ux_chunk_scan("fffffff0\r\n", 10, &next), -1);
	/* A cut body decodes as far as its whole chunks go. */
	memcpy(buf, enc, sizeof(enc));
	ck_assert_uint_eq(ux_dechunk(buf, 14), 4);
}
END_TEST

static size_t
realms(const char *val, char out[][CAM_FACT_MAX], size_t max)
{
	size_t pos = 0, n = 0;

	while (n < max &&
	    ux_next_realm(val, strlen(val), &pos, out[n], CAM_FACT_MAX))
		n++;
	return n;
}

START_TEST(challenge_realms)
{
	char r[8][CAM_FACT_MAX];

	ck_assert_uint_eq(realms("Digest realm=\"a\\\"b\", nonce=\"x\", "
				 "Basic realm=\"IPCamera Login\"",
			      r, 8),
	    2);
	ck_assert_str_eq(r[0], "a\"b");
	ck_assert_str_eq(r[1], "IPCamera Login");
	ck_assert_uint_eq(
	    realms("Digest realm=\"Use 'live' as User Name in order to log in "
		   "to the respective level\",nonce=\"0a\",opaque=\"\","
		   "stale=FALSE,algorithm=MD5,qop=\"auth\"",
		r, 8),
	    1);
	ck_assert_str_eq(r[0],
	    "Use 'live' as User Name in order to log in "
	    "to the respective level");
	ck_assert_uint_eq(realms("Basic REALM=device", r, 8), 1);
	ck_assert_str_eq(r[0], "device");
	/* A realm-looking text inside another value is not a realm. */
	ck_assert_uint_eq(
	    realms("Digest nonce=\"realm=x\", opaque=y", r, 8), 0);
	/* Garbage ends; an unterminated quote gives what it holds. */
	ck_assert_uint_eq(realms("=,,\"\"==\" ,realm", r, 8), 0);
	ck_assert_uint_eq(realms("Digest realm=\"open", r, 8), 1);
	ck_assert_str_eq(r[0], "open");
	ck_assert_uint_eq(realms("", r, 8), 0);
}
END_TEST

START_TEST(realm_macs)
{
	uint8_t m[6];
	char buf[18];

	ck_assert_int_eq(ux_realm_mac("c4790503a344", m), 0);
	ck_assert_str_eq(
	    str_format_mac(m, buf, sizeof(buf)), "c4:79:05:03:a3:44");
	ck_assert_int_eq(ux_realm_mac("AXIS_ACCC8E012345", m), 0);
	ck_assert_str_eq(
	    str_format_mac(m, buf, sizeof(buf)), "ac:cc:8e:01:23:45");
	ck_assert_int_eq(ux_realm_mac("AXIS_WS_ACCC8E012346", m), 0);
	ck_assert_int_eq(ux_realm_mac("iPolis_00-09-18-12-34-56", m), 0);
	ck_assert_str_eq(
	    str_format_mac(m, buf, sizeof(buf)), "00:09:18:12:34:56");
	ck_assert_int_eq(ux_realm_mac("IP Camera(C2183)", m), -1);
	ck_assert_int_eq(ux_realm_mac("iPolis", m), -1);
	ck_assert_int_eq(ux_realm_mac("c4:79:05:03:a3:44", m), -1);
	ck_assert_int_eq(ux_realm_mac("Login to 6C01E93PAG69A7D", m), -1);
}
END_TEST

START_TEST(page_titles)
{
	char t[CAM_FACT_MAX];
	static const char page[] =
	    "\xef\xbb\xbf<!DOCTYPE html><html><head><titles>no</titles>"
	    "<TITLE id=\"t\">WEB SERVICE</TITLE></head>";

	ck_assert_int_eq(ux_html_title(page, strlen(page), t, sizeof(t)), 0);
	ck_assert_str_eq(t, "WEB SERVICE");
	ck_assert_int_eq(ux_html_title("<title></title>", 15, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "");
	ck_assert_int_eq(ux_html_title("<title>open", 11, t, sizeof(t)), -1);
	ck_assert_int_eq(ux_html_title("<title", 6, t, sizeof(t)), -1);
	ck_assert_int_eq(ux_html_title("nothing", 7, t, sizeof(t)), -1);
	ck_assert_int_eq(ux_html_title("<title>abcdef</title>", 21, t, 4), 0);
	ck_assert_str_eq(t, "abc");
}
END_TEST

START_TEST(rtsp_heads)
{
	static const char hik[] =
	    "RTSP/1.0 200 OK\r\nCSeq: 1\r\n"
	    "Public: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, "
	    "SET_PARAMETER, GET_PARAMETER\r\n"
	    "Date:  Thu, May 14 2020 16:45:35 GMT\r\n\r\n";
	static const char unv[] =
	    "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"
	    "WWW-Authenticate: Digest realm=\"c4790503a344\",nonce=\"ab\", "
	    "stale=\"FALSE\"\r\n\r\n";

	ck_assert_int_eq(ux_parse_head(hik, strlen(hik), "HTTP", &head), -1);
	ck_assert_int_eq(ux_parse_head(hik, strlen(hik), "RTSP", &head), 1);
	reset();
	ux_head_facts(&head, PROBE_RTSP, true, &id);
	ck_assert_str_eq(fact(FACT_RTSP_PUBLIC),
	    "OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, "
	    "SET_PARAMETER, GET_PARAMETER");
	/* Weekday-month-day-year order kept (the leading blanks are not:
	 * cam_fact_add trims them). */
	ck_assert_str_eq(fact(FACT_RTSP_DATE), "Thu, May 14 2020 16:45:35 GMT");
	ck_assert_ptr_null(fact(FACT_RTSP_SERVER));
	ck_assert_ptr_null(fact(FACT_HTTP_STYLE));
	ck_assert_int_eq(ux_parse_head(unv, strlen(unv), "RTSP", &head), 1);
	ux_head_facts(&head, PROBE_RTSP, true, &id);
	ck_assert_str_eq(fact(FACT_RTSP_REALM), "c4790503a344");
	ck_assert_str_eq(mac(0), "c4:79:05:03:a3:44");
}
END_TEST

/* ---- RPC2_Login ---------------------------------------------------------- */

START_TEST(rpc2_challenge)
{
	static const char body[] =
	    "{ \"error\" : { \"code\" : 268632079, \"message\" : \"Component "
	    "error: login challenge!\" }, \"id\" : 1, \"params\" : { "
	    "\"authorization\" : \"8e1d0d7a\", \"encryption\" : \"Default\", "
	    "\"mac\" : \"3CEF8C6101C0\", \"random\" : \"1234\", \"realm\" : "
	    "\"Login to 3C06520PAN00001\" }, \"result\" : false, \"session\" "
	    ": 7 }\n";
	static const char hex_realm[] =
	    "{\"params\":{\"random\":\"1\",\"realm\":\"Login to "
	    "0123456789abcdef0123456789ABCDEF\"}}";

	reset();
	ck_assert_int_eq(ux_rpc2_facts(body, strlen(body), PROBE_HTTP, &id), 0);
	ck_assert_str_eq(fact(FACT_PROTOCOL), "rpc2");
	ck_assert_str_eq(fact(FACT_HTTP_REALM), "Login to 3C06520PAN00001");
	ck_assert_str_eq(fact(FACT_SERIAL), "3C06520PAN00001");
	ck_assert_str_eq(mac(0), "3c:ef:8c:61:01:c0");
	/* Newer firmware: an opaque id, not a serial. */
	reset();
	ck_assert_int_eq(
	    ux_rpc2_facts(hex_realm, strlen(hex_realm), PROBE_HTTPS, &id), 0);
	ck_assert_ptr_null(fact(FACT_SERIAL));
	ck_assert_uint_eq(count(FACT_HTTP_REALM), 1);
}
END_TEST

START_TEST(rpc2_refused)
{
	static const char *const bad[] = {
	    "",
	    "<html>401</html>",
	    "{\"result\":false}",
	    "{\"params\":[1]}",
	    "{\"params\":{\"realm\":5}}",
	    "{\"params\":{\"realm\":\"x\"}} junk",
	    "{\"params\":{\"realm\":\"x\"}",
	};
	char deep[512];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		ck_assert_msg(ux_rpc2_facts(bad[i], strlen(bad[i]), PROBE_HTTP,
				  &id) == -1,
		    "accepted: %s", bad[i]);
		assert_untouched();
	}
	n = (size_t)sprintf(deep, "{\"params\":{\"realm\":\"x\",\"d\":");
	for (int i = 0; i < 50; i++)
		deep[n++] = '[';
	for (int i = 0; i < 50; i++)
		deep[n++] = ']';
	strcpy(deep + n, "}}");
	reset();
	ck_assert_int_eq(
	    ux_rpc2_facts(deep, strlen(deep), PROBE_HTTP, &id), -1);
	assert_untouched();
}
END_TEST

void
unauth_http_tests(TCase *tc)
{
	tcase_add_test(tc, head_hikvision_401);
	tcase_add_test(tc, head_dahua_style);
	tcase_add_test(tc, head_incremental);
	tcase_add_test(tc, head_hostile_refused);
	tcase_add_test(tc, content_length_forms);
	tcase_add_test(tc, chunked_bodies);
	tcase_add_test(tc, challenge_realms);
	tcase_add_test(tc, realm_macs);
	tcase_add_test(tc, page_titles);
	tcase_add_test(tc, rtsp_heads);
	tcase_add_test(tc, rpc2_challenge);
	tcase_add_test(tc, rpc2_refused);
}
