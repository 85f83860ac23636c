/*
 * check_wsd_hostile.c: unit tests for wsd.c against hostile datagrams (not
 * XML, truncated, entity expansion, a DTD in UTF-16, deep nesting,
 * oversize, too many matches, scopes and XAddrs, dirty scopes, a match
 * without an endpoint, a wrong envelope), and for scope decoding and the
 * choice of the XAddr.  check_wsd.c runs them (wsd_hostile_tests) with its
 * vendor-shaped ones.  No sockets; single-threaded.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wsd/wsd.h"
#include "check_wsd.h"

/* ---- hostile datagrams -------------------------------------------------- */

START_TEST(not_xml_and_truncated)
{
	char cut[sizeof(hikvision)];

	ck_assert_int_eq(parse("hello, camera"), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_int_eq(
	    wsd_parse("", 0, &msg, err, sizeof(err)), WSD_E_MALFORMED);
	assert_zeroed();
	/* Half a ProbeMatch: the parse must fail, not return the half. */
	memcpy(cut, hikvision, sizeof(hikvision) / 2);
	cut[sizeof(hikvision) / 2] = '\0';
	ck_assert_int_eq(parse(cut), WSD_E_MALFORMED);
	assert_zeroed();
	/* Only len counts: the same bytes without their last one. */
	ck_assert_int_eq(
	    wsd_parse(hikvision, strlen(hikvision) - 3, &msg, err, sizeof(err)),
	    WSD_E_MALFORMED);
	/* No err buffer at all is fine too. */
	ck_assert_int_eq(wsd_parse("<", 1, &msg, NULL, 0), WSD_E_MALFORMED);
}
END_TEST

START_TEST(billion_laughs_refused)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
	    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
	    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
	    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
	    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
	    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
	    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
	    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Header><MessageID>&lol9;</MessageID></s:Header>"
	    "<s:Body><d:Probe/></s:Body></s:Envelope>";
	static const char ext[] =
	    "<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\"><s:Body>&x;</s:Body>"
	    "</s:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "DTD"));
	ck_assert_int_eq(parse(ext), WSD_E_MALFORMED);
	assert_zeroed();
}
END_TEST

/* ASCII into UTF-16LE with a BOM: what a byte search for "<!DOCTYPE" misses. */
static size_t
utf16le(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	ck_assert_uint_le(2 * strlen(s) + 2, outsz);
	out[n++] = '\xff';
	out[n++] = '\xfe';
	for (; *s != '\0'; s++) {
		out[n++] = *s;
		out[n++] = '\0';
	}
	return n;
}

START_TEST(dtd_in_utf16_refused)
{
	static const char plain[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Body><d:Probe/></s:Body></s:Envelope>";
	static const char with_dtd[] =
	    "<!DOCTYPE s:Envelope [<!ELEMENT s:Envelope ANY>]>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Body><d:Probe/></s:Body></s:Envelope>";
	char buf[1024];
	size_t n;

	/* The decoding works: the same document without a DTD parses. */
	n = utf16le(plain, buf, sizeof(buf));
	ck_assert_int_eq(wsd_parse(buf, n, &msg, err, sizeof(err)), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_PROBE);
	n = utf16le(with_dtd, buf, sizeof(buf));
	ck_assert_int_eq(
	    wsd_parse(buf, n, &msg, err, sizeof(err)), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "DTD"));
}
END_TEST

/* An envelope whose Body holds `levels` nested <a>, closed or not. */
static char *
nested(size_t levels, bool closed)
{
	struct gen g = {0};
	size_t i;

	put(&g, "<s:Envelope xmlns:s=\"" SOAP12 "\"><s:Body>");
	for (i = 0; i < levels; i++)
		put(&g, "<a>");
	for (i = 0; closed && i < levels; i++)
		put(&g, "</a>");
	if (closed)
		put(&g, "</s:Body></s:Envelope>");
	return g.p;
}

START_TEST(deep_nesting_refused)
{
	char *x;
	clock_t t0 = clock();

	/* 10,000 levels do not fit in a datagram we parse... */
	x = nested(10000, false);
	ck_assert_int_eq(parse(x), WSD_E_OVERSIZED);
	free(x);
	/* ...5,000 do, and fail on depth at once. */
	x = nested(5000, false);
	ck_assert_uint_le(strlen(x), WSD_MAX_DATAGRAM);
	ck_assert_int_eq(parse(x), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "deep"));
	free(x);
	/* Our own limit, far below libxml2's 256: Envelope, Body and 30
	 * more make 32, one more is refused. */
	x = nested(30, true);
	ck_assert_int_eq(parse(x), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_UNKNOWN);
	free(x);
	x = nested(31, true);
	ck_assert_int_eq(parse(x), WSD_E_MALFORMED);
	ck_assert_ptr_nonnull(strstr(err, "deep"));
	free(x);
	ck_assert_msg(clock() - t0 < CLOCKS_PER_SEC, "slow");
}
END_TEST

START_TEST(oversized_refused_unparsed)
{
	char *x = malloc(20000);
	size_t n = strlen(hikvision);

	ck_assert_ptr_nonnull(x);
	/* A valid ProbeMatch padded with white space to the exact limit. */
	memcpy(x, hikvision, n);
	memset(x + n, ' ', 20000 - n);
	ck_assert_int_eq(
	    wsd_parse(x, WSD_MAX_DATAGRAM, &msg, err, sizeof(err)), WSD_OK);
	ck_assert_int_eq(
	    wsd_parse(x, WSD_MAX_DATAGRAM + 1, &msg, err, sizeof(err)),
	    WSD_E_OVERSIZED);
	assert_zeroed();
	ck_assert_int_eq(
	    wsd_parse(x, 20000, &msg, err, sizeof(err)), WSD_E_OVERSIZED);
	free(x);
}
END_TEST

static const char pm_head[] =
    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
    "xmlns:d=\"" WSD "\"><s:Header><a:RelatesTo>urn:uuid:p</a:RelatesTo>"
    "</s:Header><s:Body><d:ProbeMatches>";
static const char pm_tail[] = "</d:ProbeMatches></s:Body></s:Envelope>";

START_TEST(hundred_matches_four_kept)
{
	struct gen g = {0};
	char one[128];
	int i;

	put(&g, pm_head);
	for (i = 0; i < 100; i++) {
		snprintf(one, sizeof(one),
		    "<d:ProbeMatch><a:EndpointReference><a:Address>e%d"
		    "</a:Address></a:EndpointReference></d:ProbeMatch>",
		    i);
		put(&g, one);
	}
	put(&g, pm_tail);
	ck_assert_uint_le(g.n, WSD_MAX_DATAGRAM);
	ck_assert_int_eq(parse(g.p), WSD_OK);
	ck_assert_uint_eq(msg.n_matches, WSD_MAX_MATCHES);
	ck_assert_uint_eq(msg.matches_dropped, 96);
	ck_assert_str_eq(msg.matches[0].endpoint, "e0");
	ck_assert_str_eq(msg.matches[3].endpoint, "e3");
	free(g.p);
}
END_TEST

START_TEST(five_hundred_scopes_capped)
{
	struct gen g = {0};
	char one[32];
	int i;

	put(&g, pm_head);
	put(&g,
	    "<d:ProbeMatch><a:EndpointReference><a:Address>e"
	    "</a:Address></a:EndpointReference><d:Scopes>");
	for (i = 0; i < 500; i++) {
		snprintf(one, sizeof(one), "s:%d ", i);
		put(&g, one);
	}
	put(&g, "</d:Scopes></d:ProbeMatch>");
	put(&g, pm_tail);
	ck_assert_int_eq(parse(g.p), WSD_OK);
	ck_assert_uint_eq(msg.matches[0].n_scopes, CAM_SCOPES_MAX);
	ck_assert_str_eq(msg.matches[0].scopes[0], "s:0");
	ck_assert_str_eq(msg.matches[0].scopes[31], "s:31");
	free(g.p);
}
END_TEST

START_TEST(long_xaddr_dropped_not_cut)
{
	struct gen g = {0};
	char *big = malloc(5001);
	const struct wsd_match *m = &msg.matches[0];
	struct in_addr any = {0}, host;

	ck_assert_ptr_nonnull(big);
	memcpy(big, "http://10.0.0.1/", 16);
	memset(big + 16, 'x', 5000 - 16);
	big[5000] = '\0';
	put(&g, pm_head);
	put(&g,
	    "<d:ProbeMatch><a:EndpointReference><a:Address>e"
	    "</a:Address></a:EndpointReference><d:XAddrs>"
	    "http://10.0.0.2/a ");
	put(&g, big);
	put(&g, " http://10.0.0.3/b</d:XAddrs></d:ProbeMatch>");
	put(&g, pm_tail);
	ck_assert_int_eq(parse(g.p), WSD_OK);
	ck_assert_uint_eq(m->n_xaddrs, 2);
	ck_assert_str_eq(m->xaddrs[0], "http://10.0.0.2/a");
	ck_assert_str_eq(m->xaddrs[1], "http://10.0.0.3/b");
	ck_assert_int_eq(
	    wsd_choose_xaddr(m, ip("10.0.0.3"), any, any, &host), 1);
	free(big);
	free(g.p);
}
END_TEST

START_TEST(scopes_cleaned)
{
	/* DEL and a C1 control are legal XML characters but not printable;
	 * an ISO-8859-1 document is decoded to UTF-8. */
	static const char ctl[] =
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Hello><a:EndpointReference>"
	    "<a:Address>e&#x7f;</a:Address></a:EndpointReference><d:Scopes>"
	    "a&#x7f;b c&#x85;d caf\xe9</d:Scopes></d:Hello></s:Body>"
	    "</s:Envelope>";
	/* Raw invalid UTF-8 in a UTF-8 document. */
	static const char bad[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Hello><a:EndpointReference>"
	    "<a:Address>e</a:Address></a:EndpointReference><d:Scopes>"
	    "x\xff\xfey \xc0\xaf</d:Scopes></d:Hello></s:Body></s:Envelope>";
	const struct wsd_match *m = &msg.matches[0];

	ck_assert_int_eq(parse(ctl), WSD_OK);
	ck_assert_str_eq(m->endpoint, "e?");
	ck_assert_uint_eq(m->n_scopes, 3);
	ck_assert_str_eq(m->scopes[0], "a?b");
	ck_assert_str_eq(m->scopes[1], "c?d");
	ck_assert_str_eq(m->scopes[2], "caf\xc3\xa9");
	/* libxml2 refuses it outright; nothing of it may come through. */
	ck_assert_int_eq(parse(bad), WSD_E_MALFORMED);
	assert_zeroed();
}
END_TEST

START_TEST(match_without_endpoint)
{
	static const char xml[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:ProbeMatches>"
	    "<d:ProbeMatch><d:XAddrs>http://10.0.0.9/</d:XAddrs></d:ProbeMatch>"
	    "<d:ProbeMatch><a:EndpointReference><a:Address>  </a:Address>"
	    "</a:EndpointReference></d:ProbeMatch>"
	    "<d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:ok"
	    "</a:Address></a:EndpointReference></d:ProbeMatch>"
	    "</d:ProbeMatches></s:Body></s:Envelope>";
	static const char none[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\"><s:Body>"
	    "<d:ProbeMatches><d:ProbeMatch><d:XAddrs>http://10.0.0.9/"
	    "</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body>"
	    "</s:Envelope>";
	/* An Address in a foreign namespace is no Address. */
	static const char hello[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"urn:not-wsa\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Hello><a:EndpointReference>"
	    "<a:Address>urn:uuid:x</a:Address></a:EndpointReference>"
	    "</d:Hello></s:Body></s:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_uint_eq(msg.n_matches, 1);
	ck_assert_uint_eq(msg.matches_dropped, 2);
	ck_assert_str_eq(msg.matches[0].endpoint, "urn:uuid:ok");
	ck_assert_uint_eq(msg.matches[0].n_xaddrs, 0);
	ck_assert_int_eq(parse(none), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "ProbeMatch"));
	ck_assert_int_eq(parse(hello), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "Hello"));
}
END_TEST

START_TEST(wrong_envelope_refused)
{
	static const char wrong_ns[] =
	    "<s:Envelope xmlns:s=\"http://example.com/soap\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Probe/></s:Body></s:Envelope>";
	static const char no_ns[] =
	    "<Envelope><Body><Probe/></Body></Envelope>";
	static const char not_envelope[] = "<s:Body xmlns:s=\"" SOAP12 "\"/>";
	/* A SOAP 1.1 Body inside a SOAP 1.2 Envelope. */
	static const char mixed[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:t=\"" SOAP11 "\" "
	    "xmlns:d=\"" WSD "\"><t:Body><d:Probe/></t:Body></s:Envelope>";

	ck_assert_int_eq(parse(wrong_ns), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "example.com"));
	ck_assert_int_eq(parse(no_ns), WSD_E_MALFORMED);
	ck_assert_int_eq(parse(not_envelope), WSD_E_MALFORMED);
	ck_assert_int_eq(parse(mixed), WSD_E_MALFORMED);
	ck_assert_ptr_nonnull(strstr(err, "Body"));
}
END_TEST

/* ---- scope decoding and the XAddr choice -------------------------------- */

static void
set_scopes(struct wsd_match *m, const char *const *s, size_t n)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++)
		snprintf(m->scopes[i], CAM_STR_MAX, "%s", s[i]);
	m->n_scopes = n;
}

START_TEST(scope_info_variants)
{
	static const char *const hanwha[] = {
	    "ONVIF://www.onvif.org/Name/XNV-8080R",
	    SC "MANUFACTURER/Hanwha%20Vision",
	    SC "MAC/004084F896AB",
	    SC "mac/00:11:22:33:44:55", /* the first wins */
	    SC "Location/Seoul",
	    SC "location/",
	    SC "location/Floor%202",
	    "http://www.example.com/name/not-onvif",
	    SC "name",
	    SC "namex/no",
	};
	static const char *const flir[] = {
	    SC "name/", /* empty: the next one counts */
	    SC "name/FC-690",
	    SC "manufacturer/FLIR%20Systems",
	    SC "manufacturer/DVTel",
	    SC "hardware/caf%C3%A9%01",
	    SC "mac/41a0bc:41a0bd:41a0be:41a0bf:41a0c0:41a0c1",
	};
	struct wsd_match m;
	struct wsd_scope_info si;

	set_scopes(&m, hanwha, sizeof(hanwha) / sizeof(hanwha[0]));
	wsd_scope_info(&m, &si);
	ck_assert_str_eq(si.name, "XNV-8080R");
	ck_assert_str_eq(si.manufacturer, "Hanwha Vision");
	ck_assert_str_eq(si.mac, "00:40:84:f8:96:ab");
	ck_assert_str_eq(si.location, "Seoul, Floor 2");
	ck_assert_str_eq(si.hardware, "");
	set_scopes(&m, flir, sizeof(flir) / sizeof(flir[0]));
	wsd_scope_info(&m, &si);
	ck_assert_str_eq(si.name, "FC-690");
	ck_assert_str_eq(si.manufacturer, "FLIR Systems");
	ck_assert_str_eq(si.hardware, "caf\xc3\xa9?");
	ck_assert_str_eq(si.mac, "");
	ck_assert_str_eq(si.location, "");
}
END_TEST

START_TEST(location_join_bounded)
{
	static const char *const mstar[] = {
	    SC "location/China", SC "location/Shenzhen"};
	struct wsd_match m;
	struct wsd_scope_info si;
	size_t i;

	set_scopes(&m, mstar, 2);
	wsd_scope_info(&m, &si);
	ck_assert_str_eq(si.location, "China, Shenzhen");
	/* 32 long locations: whole values while they fit, never a cut. */
	memset(&m, 0, sizeof(m));
	for (i = 0; i < CAM_SCOPES_MAX; i++) {
		snprintf(m.scopes[i], CAM_STR_MAX, SC "location/%0100zu", i);
	}
	m.n_scopes = CAM_SCOPES_MAX;
	wsd_scope_info(&m, &si);
	ck_assert_uint_eq(strlen(si.location), 100 + 2 + 100);
}
END_TEST

static void
set_xaddrs(struct wsd_match *m, const char *const *x, size_t n)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++)
		snprintf(m->xaddrs[i], CAM_STR_MAX, "%s", x[i]);
	m->n_xaddrs = n;
}

START_TEST(xaddr_unusable_forms)
{
	static const char *const x[] = {
	    "http://camera.local/onvif/device_service",
	    "http://[fe80::1]/onvif/device_service",
	    "http://0.0.0.0/",
	    "http://224.0.0.1/",
	    "http://239.255.255.250:3702/",
	    "http://255.255.255.255/",
	    "http://10.0.0.1:99999/",
	    "http://10.0.0.1:/",
	    "http://10.0.0.1:80x/",
	    "ftp://10.0.0.1/",
	    "http://10.0.0.256/",
	    "http://10.1/",
	    "http://user@10.0.0.1/",
	    "10.0.0.1",
	};
	struct wsd_match m;
	struct in_addr any = {0}, host = {0};

	set_xaddrs(&m, x, sizeof(x) / sizeof(x[0]) - 6);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), -1);
	set_xaddrs(&m, x + 8, 6);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), -1);
	ck_assert_uint_eq(host.s_addr, 0);
}
END_TEST

START_TEST(xaddr_ranking)
{
	static const char *const x[] = {
	    "https://10.0.0.5/onvif/device_service",
	    "http://169.254.1.2/onvif/device_service",
	    "HTTPS://192.168.1.20:443/onvif/device_service",
	    "http://10.0.0.5:80/onvif/device_service",
	    "http://192.168.1.20:8000?x",
	    "http://127.0.0.1/onvif/device_service",
	};
	struct wsd_match m;
	struct in_addr any = {0}, host;
	struct in_addr ifa = ip("192.168.1.1"), mask = ip("255.255.255.0");

	set_xaddrs(&m, x, 6);
	/* The source wins over the subnet, http over https. */
	ck_assert_int_eq(
	    wsd_choose_xaddr(&m, ip("10.0.0.5"), ifa, mask, &host), 3);
	/* Unknown source: the receiving interface's subnet. */
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, ifa, mask, &host), 4);
	ck_assert_uint_eq(host.s_addr, ip("192.168.1.20").s_addr);
	/* Nothing known: the first routable http. */
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), 3);
	/* A link-local source is the source (its datagram reached us). */
	ck_assert_int_eq(
	    wsd_choose_xaddr(&m, ip("169.254.1.2"), any, any, &host), 1);
	/* Loopback counts as routable: the simulated cameras live there. */
	set_xaddrs(&m, x + 5, 1);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), 0);
	ck_assert_uint_eq(host.s_addr, ip("127.0.0.1").s_addr);
	/* https alone still counts. */
	set_xaddrs(&m, x, 2);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), 0);
}
END_TEST

void
wsd_hostile_tests(TCase *tc)
{
	tcase_add_test(tc, not_xml_and_truncated);
	tcase_add_test(tc, billion_laughs_refused);
	tcase_add_test(tc, dtd_in_utf16_refused);
	tcase_add_test(tc, deep_nesting_refused);
	tcase_add_test(tc, oversized_refused_unparsed);
	tcase_add_test(tc, hundred_matches_four_kept);
	tcase_add_test(tc, five_hundred_scopes_capped);
	tcase_add_test(tc, long_xaddr_dropped_not_cut);
	tcase_add_test(tc, scopes_cleaned);
	tcase_add_test(tc, match_without_endpoint);
	tcase_add_test(tc, wrong_envelope_refused);
	tcase_add_test(tc, scope_info_variants);
	tcase_add_test(tc, location_join_bounded);
	tcase_add_test(tc, xaddr_unusable_forms);
	tcase_add_test(tc, xaddr_ranking);
}
