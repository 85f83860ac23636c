/*
 * check_unauth.c: unit tests for the codecs of the collectors that need
 * no credentials (onvif/unauth.h, onvif/unauth_parse.h): SADP and DHIP
 * messages, HTTP and RTSP reply heads, chunked bodies, realms, titles,
 * Dahua's RPC2_Login challenge, and adopting facts.  Replies in vendor
 * shapes and hostile ones (length lies, truncation, oversize, control
 * characters, deep JSON, missing fields, a wrong Uuid), all composed here
 * byte by byte, none copied from a capture.  No sockets; single-threaded.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onvif/unauth.h"
#include "onvif/unauth_parse.h"
#include "common/strutil.h"

#define UUID "5B0C1E2D-7A41-4C9E-8F00-2D6E4B1A9C33"

/* ~15 KB: off the test's stack. */
static struct cam_identity id;

static void
reset(void)
{
	memset(&id, 0, sizeof(id));
}

static const char *
fact(enum cam_fact_kind k)
{
	const struct cam_fact *f = cam_fact_find(&id.facts, k);

	return f != NULL ? f->text : NULL;
}

static size_t
count(enum cam_fact_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < id.facts.n; i++)
		n += id.facts.f[i].kind == k;
	return n;
}

static bool
has_fact(enum cam_fact_kind k, const char *text)
{
	size_t i;

	for (i = 0; i < id.facts.n; i++)
		if (id.facts.f[i].kind == k &&
		    strcmp(id.facts.f[i].text, text) == 0)
			return true;
	return false;
}

static const char *
mac(size_t i)
{
	static char buf[18];

	ck_assert_uint_gt(id.n_macs, i);
	return str_format_mac(id.macs[i], buf, sizeof(buf));
}

static void
assert_untouched(void)
{
	static const struct cam_identity zero;

	ck_assert_int_eq(memcmp(&id, &zero, sizeof(id)), 0);
}

/* ---- SADP ---------------------------------------------------------------- */

/* A ProbeMatch in the layout the sources describe: the root and the Uuid
 * on the first line, then one element per line, CRLF ends. */
static const char hik_match[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    "<ProbeMatch><Uuid>" UUID "</Uuid>\r\n"
    "<Types>inquiry</Types>\r\n"
    "<DeviceType>148805</DeviceType>\r\n"
    "<DeviceDescription>DS-2CD2386G2-IU</DeviceDescription>\r\n"
    "<DeviceSN>DS-2CD2386G2-IU20230517AAWRK51873096</DeviceSN>\r\n"
    "<CommandPort>8000</CommandPort>\r\n"
    "<HttpPort>80</HttpPort>\r\n"
    "<MAC>44-19-b6-3a-5c-71</MAC>\r\n"
    "<IPv4Address>10.20.30.41</IPv4Address>\r\n"
    "<IPv6Address>::</IPv6Address>\r\n"
    "<DHCP>false</DHCP>\r\n"
    "<SoftwareVersion>V5.7.3build 220112</SoftwareVersion>\r\n"
    "<DSPVersion>V7.3 build 220112</DSPVersion>\r\n"
    "<Activated>true</Activated>\r\n"
    "<DetailOEMCode>1</DetailOEMCode>\r\n"
    "<HCPlatformEnable>flase</HCPlatformEnable>\r\n"
    "<Salt></Salt>\r\n"
    "<DeviceLock>flase</DeviceLock>\r\n"
    "</ProbeMatch>\r\n";

START_TEST(sadp_inquiry_built)
{
	char buf[512];
	int n = sadp_build_inquiry(UUID, buf, sizeof(buf));

	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert_str_eq(buf,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>" UUID
	    "</Uuid><Types>inquiry</Types></Probe>");
	/* Too small, not a UUID, markup in it: refused. */
	ck_assert_int_eq(sadp_build_inquiry(UUID, buf, (size_t)n), -1);
	ck_assert_int_eq(sadp_build_inquiry("123", buf, sizeof(buf)), -1);
	ck_assert_int_eq(sadp_build_inquiry("5B0C1E2D-7A41-4C9E-8F00-2D6E4B1A9<"
					    "/U",
			     buf, sizeof(buf)),
	    -1);
	ck_assert_int_eq(sadp_build_inquiry(NULL, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(sadp_hikvision_match)
{
	reset();
	ck_assert_int_eq(
	    sadp_parse(hik_match, strlen(hik_match), UUID, &id), 0);
	ck_assert_str_eq(fact(FACT_PROTOCOL), "sadp");
	ck_assert_str_eq(fact(FACT_MODEL), "DS-2CD2386G2-IU");
	ck_assert_str_eq(
	    fact(FACT_SERIAL), "DS-2CD2386G2-IU20230517AAWRK51873096");
	ck_assert_str_eq(fact(FACT_FIRMWARE), "V5.7.3build 220112");
	ck_assert_str_eq(fact(FACT_OEM_CODE), "1");
	ck_assert_str_eq(fact(FACT_DEVICE_CLASS), "148805");
	ck_assert_str_eq(fact(FACT_PRIVATE_PORT), "8000");
	ck_assert_str_eq(mac(0), "44:19:b6:3a:5c:71");
	ck_assert_str_eq(id.address, "10.20.30.41");
	ck_assert_uint_eq(id.facts.answered, CAM_PROBE(PROBE_SADP));
	for (size_t i = 0; i < id.facts.n; i++)
		ck_assert_uint_eq(id.facts.f[i].probe, PROBE_SADP);
	/* An address already known is kept; the Uuid compares in any case. */
	reset();
	strcpy(id.address, "192.0.2.7");
	ck_assert_int_eq(sadp_parse(hik_match, strlen(hik_match),
			     "5b0c1e2d-7a41-4c9e-8f00-2d6e4b1a9c33", &id),
	    0);
	ck_assert_str_eq(id.address, "192.0.2.7");
	/* Discovery passes no Uuid. */
	reset();
	ck_assert_int_eq(
	    sadp_parse(hik_match, strlen(hik_match), NULL, &id), 0);
}
END_TEST

START_TEST(sadp_wrong_uuid_refused)
{
	reset();
	ck_assert_int_eq(sadp_parse(hik_match, strlen(hik_match),
			     "00000000-0000-4000-8000-000000000000", &id),
	    -1);
	assert_untouched();
}
END_TEST

START_TEST(sadp_every_truncation_refused)
{
	size_t n, len = strlen(hik_match);

	/* Every cut but the trailing CRLF loses the root's end tag. */
	for (n = 0; n < len - 2; n++) {
		reset();
		ck_assert_msg(sadp_parse(hik_match, n, UUID, &id) == -1,
		    "cut at %zu accepted", n);
		assert_untouched();
	}
}
END_TEST

static int
sadp_doc(const char *body)
{
	char buf[4096];

	snprintf(buf, sizeof(buf),
	    "<ProbeMatch><Uuid>" UUID "</Uuid>%s</ProbeMatch>", body);
	reset();
	return sadp_parse(buf, strlen(buf), UUID, &id);
}

START_TEST(sadp_markup_refused)
{
	/* Nesting, DTDs, comments, CDATA, processing instructions,
	 * attributes on a child, mismatched tags, text at the root level,
	 * unknown entities: all refused, nothing added. */
	static const char *const bad[] = {
	    "<MAC><x>1</x></MAC>",
	    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
	    "<!-- hi -->",
	    "<DeviceSN><![CDATA[x]]></DeviceSN>",
	    "<?pi x?>",
	    "<DeviceSN a=\"1\">x</DeviceSN>",
	    "<DeviceSN>x</DeviceSn>",
	    "<DeviceSN>x</DeviceSN",
	    "loose text",
	    "<DeviceSN>&ent;</DeviceSN>",
	    "<DeviceSN>&#65;</DeviceSN>",
	    "<DeviceSN>a & b</DeviceSN>",
	    "< DeviceSN>x</DeviceSN>",
	    "<>x</>",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(sadp_doc(bad[i]) == -1, "accepted: %s", bad[i]);
		assert_untouched();
	}
	/* The five entities are decoded; an empty element is fine. */
	ck_assert_int_eq(sadp_doc("<DeviceDescription>A&amp;B &lt;&gt;&quot;"
				  "&apos;</DeviceDescription><Salt/>"),
	    0);
	ck_assert_str_eq(fact(FACT_MODEL), "A&B <>\"'");
}
END_TEST

START_TEST(sadp_prologue_and_trailer)
{
	char buf[2048];

	/* No root, another root, junk after the root: refused. */
	static const char probe[] = "<Probe><Uuid>" UUID "</Uuid></Probe>";

	reset();
	ck_assert_int_eq(sadp_parse(probe, strlen(probe), UUID, &id), -1);
	snprintf(buf, sizeof(buf), "%sjunk", hik_match);
	ck_assert_int_eq(sadp_parse(buf, strlen(buf), UUID, &id), -1);
	snprintf(buf, sizeof(buf), "%s<ProbeMatch>", hik_match);
	ck_assert_int_eq(sadp_parse(buf, strlen(buf), UUID, &id), -1);
	assert_untouched();
	/* A BOM, and NULs after the document (a C responder's terminator). */
	snprintf(buf, sizeof(buf), "\xef\xbb\xbf%s", hik_match);
	size_t n = strlen(buf);
	memset(buf + n, 0, 4);
	ck_assert_int_eq(sadp_parse(buf, n + 4, UUID, &id), 0);
	/* A NUL inside the document is not text. */
	reset();
	memcpy(buf, hik_match, sizeof(hik_match));
	buf[100] = '\0';
	ck_assert_int_eq(sadp_parse(buf, strlen(hik_match), UUID, &id), -1);
	assert_untouched();
}
END_TEST

START_TEST(sadp_missing_uuid_refused)
{
	static const char doc[] =
	    "<ProbeMatch><DeviceSN>X</DeviceSN></ProbeMatch>";

	reset();
	ck_assert_int_eq(sadp_parse(doc, strlen(doc), NULL, &id), -1);
	assert_untouched();
}
END_TEST

START_TEST(sadp_oversize_and_many_elements)
{
	char *buf = malloc(40000);
	size_t n;

	ck_assert_ptr_nonnull(buf);
	/* Over the 16 KiB cap, however well formed. */
	n = (size_t)sprintf(buf, "<ProbeMatch><Uuid>" UUID "</Uuid><Salt>");
	memset(buf + n, 'a', 17000);
	n += 17000;
	n += (size_t)sprintf(buf + n, "</Salt></ProbeMatch>");
	reset();
	ck_assert_int_eq(sadp_parse(buf, n, UUID, &id), -1);
	assert_untouched();
	/* 200 small elements: over the element cap. */
	n = (size_t)sprintf(buf, "<ProbeMatch><Uuid>" UUID "</Uuid>");
	for (int i = 0; i < 200; i++)
		n += (size_t)sprintf(buf + n, "<E>%d</E>", i);
	n += (size_t)sprintf(buf + n, "</ProbeMatch>");
	ck_assert_int_eq(sadp_parse(buf, n, UUID, &id), -1);
	assert_untouched();
	free(buf);
}
END_TEST

START_TEST(sadp_values_cleaned_and_capped)
{
	char doc[1024], longv[400];

	memset(longv, 'M', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	snprintf(doc, sizeof(doc),
	    "<DeviceDescription>DS\x1b[31m-2CD\x07</DeviceDescription>"
	    "<DeviceSN>%s</DeviceSN>"
	    "<DeviceDescription>second</DeviceDescription>"
	    "<MAC>not a mac</MAC>"
	    "<IPv4Address>999.1.1.1</IPv4Address>",
	    longv);
	ck_assert_int_eq(sadp_doc(doc), 0);
	/* Control characters become '?', the first repeat wins. */
	ck_assert_str_eq(fact(FACT_MODEL), "DS?[31m-2CD?");
	ck_assert_uint_eq(count(FACT_MODEL), 1);
	ck_assert_uint_eq(strlen(fact(FACT_SERIAL)), CAM_FACT_MAX - 1);
	ck_assert_uint_eq(id.n_macs, 0);
	ck_assert_str_eq(id.address, "");
}
END_TEST

/* ---- DHIP ---------------------------------------------------------------- */

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A frame of body; the two lengths as given (the body's when 0). */
static size_t
dhip_frame(
    uint8_t *out, const char *body, size_t blen, uint32_t l1, uint32_t l2)
{
	memset(out, 0, 32);
	le32(out, 32);
	memcpy(out + 4, "DHIP", 4);
	le32(out + 16, l1 ? l1 : (uint32_t)blen);
	le32(out + 24, l2 ? l2 : (uint32_t)blen);
	memcpy(out + 32, body, blen);
	return 32 + blen;
}

static const char dahua_reply[] =
    "{\"mac\":\"3c:ef:8c:12:34:56\",\"method\":\"client.notifyDevInfo\","
    "\"params\":{\"deviceInfo\":{\"AlarmInputChannels\":2,"
    "\"DeviceClass\":\"IPC\",\"DeviceID\":\"\","
    "\"DeviceType\":\"IPC-HDW1431T1-S4\",\"HttpPort\":80,"
    "\"IPv4Address\":{\"DefaultGateway\":\"10.20.30.1\","
    "\"DhcpEnable\":false,\"IPAddress\":\"10.20.30.52\","
    "\"SubnetMask\":\"255.255.255.0\"},"
    "\"Init\":1,\"MachineName\":\"IPC\",\"Manufacturer\":\"General\","
    "\"Port\":37777,\"SerialNo\":\"6C01E93PAG69A7D\","
    "\"Vendor\":\"Private\",\"Version\":\"2.800.0000000.13.R\","
    "\"WebVersion\":\"3.2.1\\/x\"}}}\n";

START_TEST(dhip_search_built)
{
	static const uint8_t head[32] = {0x20, 0, 0, 0, 'D', 'H', 'I', 'P', 0,
	    0, 0, 0, 0, 0, 0, 0, 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x3a, 0, 0, 0, 0, 0,
	    0, 0};
	static const char body[] =
	    "{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\","
	    "\"uni\":1}}";
	uint8_t buf[256];
	int n = dhip_build_search(buf, sizeof(buf));

	ck_assert_int_eq(n, 32 + 58);
	ck_assert_int_eq(memcmp(buf, head, 32), 0);
	ck_assert_int_eq(memcmp(buf + 32, body, 58), 0);
	ck_assert_int_eq(dhip_build_search(buf, 89), -1);
}
END_TEST

START_TEST(dhip_dahua_reply)
{
	uint8_t buf[4096];
	/* The declared length covers the trailing "\n\0". */
	size_t n = dhip_frame(buf, dahua_reply, sizeof(dahua_reply), 0, 0);

	reset();
	ck_assert_int_eq(dhip_parse(buf, n, &id), 0);
	ck_assert_str_eq(fact(FACT_PROTOCOL), "dhip");
	ck_assert_str_eq(fact(FACT_MODEL), "IPC-HDW1431T1-S4");
	ck_assert_str_eq(fact(FACT_SERIAL), "6C01E93PAG69A7D");
	ck_assert_str_eq(fact(FACT_FIRMWARE), "2.800.0000000.13.R");
	ck_assert(has_fact(FACT_VENDOR, "Private"));
	ck_assert(has_fact(FACT_VENDOR, "General"));
	ck_assert_str_eq(fact(FACT_DEVICE_CLASS), "IPC");
	ck_assert_str_eq(fact(FACT_PRIVATE_PORT), "37777");
	ck_assert_str_eq(mac(0), "3c:ef:8c:12:34:56");
	ck_assert_str_eq(id.address, "10.20.30.52");
	ck_assert_uint_eq(id.facts.answered, CAM_PROBE(PROBE_DHIP));
	/* Vendor and Manufacturer alike: one fact.  Trailing padding past
	 * the declared body (NULs, newline) is fine. */
	char body[2048];
	snprintf(body, sizeof(body),
	    "{\"method\":\"client.notifyDevInfo\",\"params\":{\"deviceInfo\":"
	    "{\"Vendor\":\"Intelbras\",\"Manufacturer\":\"Intelbras\","
	    "\"Port\":\"8000\"}}}");
	n = dhip_frame(buf, body, strlen(body), 0, 0);
	memcpy(buf + n, "\n\0\0", 3);
	reset();
	ck_assert_int_eq(dhip_parse(buf, n + 3, &id), 0);
	ck_assert_uint_eq(count(FACT_VENDOR), 1);
	ck_assert_str_eq(fact(FACT_PRIVATE_PORT), "8000");
	ck_assert_ptr_null(fact(FACT_MODEL));
}
END_TEST

START_TEST(dhip_frame_lies_refused)
{
	uint8_t buf[4096];
	size_t blen = strlen(dahua_reply), n;

	reset();
	/* Body longer than the datagram. */
	n = dhip_frame(
	    buf, dahua_reply, blen, (uint32_t)blen + 1, (uint32_t)blen + 1);
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	/* The two lengths disagree. */
	n = dhip_frame(
	    buf, dahua_reply, blen, (uint32_t)blen, (uint32_t)blen - 1);
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	/* A length of 2^32 + blen (upper half set). */
	n = dhip_frame(buf, dahua_reply, blen, 0, 0);
	buf[20] = 1;
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	/* Header length other than 32; magic wrong ("PIHD"). */
	n = dhip_frame(buf, dahua_reply, blen, 0, 0);
	buf[0] = 0x24;
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	n = dhip_frame(buf, dahua_reply, blen, 0, 0);
	memcpy(buf + 4, "PIHD", 4);
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	/* Bytes after the declared body that are not padding. */
	n = dhip_frame(
	    buf, dahua_reply, blen, (uint32_t)blen - 10, (uint32_t)blen - 10);
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	/* Empty body; header only; nothing. */
	n = dhip_frame(buf, "", 0, 0, 0);
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	ck_assert_int_eq(dhip_parse(buf, 31, &id), -1);
	ck_assert_int_eq(dhip_parse(NULL, 0, &id), -1);
	assert_untouched();
}
END_TEST

START_TEST(dhip_every_truncation_refused)
{
	uint8_t buf[4096];
	size_t n = dhip_frame(buf, dahua_reply, strlen(dahua_reply), 0, 0);

	for (size_t k = 0; k < n; k++) {
		reset();
		ck_assert_msg(dhip_parse(buf, k, &id) == -1, "cut at %zu", k);
		assert_untouched();
	}
}
END_TEST

static int
dhip_body(const char *body)
{
	static uint8_t buf[70000];
	size_t n = dhip_frame(buf, body, strlen(body), 0, 0);

	reset();
	return dhip_parse(buf, n, &id);
}

START_TEST(dhip_json_refused)
{
	static const char *const bad[] = {
	    "not json",
	    "[1,2,3]",
	    "{\"method\":\"client.notifyDevInfo\"}",
	    "{\"method\":\"client.notifyDevInfo\",\"params\":{}}",
	    "{\"method\":\"client.notifyDevInfo\",\"params\":{\"deviceInfo\":"
	    "\"x\"}}",
	    "{\"method\":\"DHDiscover.search\",\"params\":{\"deviceInfo\":{}}}",
	    "{\"method\":7,\"params\":{\"deviceInfo\":{}}}",
	    "{\"method\":\"client.notifyDevInfo\",\"params\":{\"deviceInfo\":{}}}"
	    " trailing",
	    "{'method':'client.notifyDevInfo'}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(dhip_body(bad[i]) == -1, "accepted: %s", bad[i]);
		assert_untouched();
	}
	/* A NUL inside the body, before its last bytes. */
	static const char nul[] = "{\"method\":\"client.notifyDevInfo\","
				  "\"params\":{\"deviceInfo\":{}}}\n\0x";
	static uint8_t buf[256];
	size_t n = dhip_frame(buf, nul, sizeof(nul) - 1, 0, 0);
	reset();
	ck_assert_int_eq(dhip_parse(buf, n, &id), -1);
	assert_untouched();
	ck_assert_int_eq(dhip_body("{\"method\":\"client.notifyDevInfo\","
				   "\"params\":{\"deviceInfo\":{}}}"),
	    0);
	ck_assert_str_eq(fact(FACT_PROTOCOL), "dhip");
}
END_TEST

START_TEST(dhip_deep_and_big_refused)
{
	char *body = malloc(40000);
	size_t n;
	int i;

	ck_assert_ptr_nonnull(body);
	/* 100 nested arrays inside deviceInfo: over the depth limit. */
	n = (size_t)sprintf(body,
	    "{\"method\":\"client.notifyDevInfo\","
	    "\"params\":{\"deviceInfo\":{\"X\":");
	for (i = 0; i < 100; i++)
		body[n++] = '[';
	for (i = 0; i < 100; i++)
		body[n++] = ']';
	strcpy(body + n, "}}}");
	ck_assert_int_eq(dhip_body(body), -1);
	assert_untouched();
	/* 20 KB of a valid reply: over the body cap. */
	n = (size_t)sprintf(body,
	    "{\"method\":\"client.notifyDevInfo\","
	    "\"params\":{\"deviceInfo\":{\"X\":\"");
	memset(body + n, 'a', 20000);
	strcpy(body + n + 20000, "\"}}}");
	ck_assert_int_eq(dhip_body(body), -1);
	assert_untouched();
	free(body);
}
END_TEST

START_TEST(dhip_strings_cleaned)
{
	ck_assert_int_eq(
	    dhip_body("{\"method\":\"client.notifyDevInfo\",\"params\":"
		      "{\"deviceInfo\":{\"DeviceType\":\"IPC\\u001b[2J\\u0000"
		      "hidden\",\"SerialNo\":\"\\u00e9t\\u00e9\","
		      "\"Port\":[1],\"Vendor\":17}}}"),
	    0);
	/* Escape codes cleaned; an embedded NUL ends the string. */
	ck_assert_str_eq(fact(FACT_MODEL), "IPC?[2J");
	ck_assert_str_eq(fact(FACT_SERIAL), "\xc3\xa9t\xc3\xa9");
	ck_assert_ptr_null(fact(FACT_PRIVATE_PORT));
	ck_assert_ptr_null(fact(FACT_VENDOR));
}
END_TEST

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

/* ---- facts --------------------------------------------------------------- */

START_TEST(tcp_facts_leave_room_for_sadp)
{
	char h[8192];
	size_t n;

	/* 60 distinct realms: the TCP collectors stop short of the reserve. */
	n = (size_t)sprintf(h, "HTTP/1.1 401 X\r\n");
	for (int i = 0; i < 60; i++)
		n += (size_t)sprintf(
		    h + n, "WWW-Authenticate: Digest realm=\"r%d\"\r\n", i);
	n += (size_t)sprintf(h + n, "\r\n");
	ck_assert_int_eq(ux_parse_head(h, n, "HTTP", &head), 1);
	reset();
	ux_head_facts(&head, PROBE_HTTP, false, &id);
	ck_assert_uint_eq(id.facts.n, CAM_FACTS_MAX - UX_FACTS_RESERVED);
	ck_assert_int_eq(
	    sadp_parse(hik_match, strlen(hik_match), UUID, &id), 0);
	ck_assert_uint_eq(id.facts.n, CAM_FACTS_MAX - 1);
	ck_assert_str_eq(fact(FACT_MODEL), "DS-2CD2386G2-IU");
	/* Once SADP has answered, the rest of the list is anybody's. */
	reset();
	ck_assert_int_eq(
	    sadp_parse(hik_match, strlen(hik_match), UUID, &id), 0);
	ux_head_facts(&head, PROBE_HTTP, false, &id);
	ck_assert_uint_eq(id.facts.n, CAM_FACTS_MAX);
}
END_TEST

START_TEST(adopt_facts)
{
	reset();
	cam_fact_add(&id.facts, FACT_SERIAL, PROBE_HTTP, "FROMRPC2", 8);
	ck_assert_int_eq(
	    sadp_parse(hik_match, strlen(hik_match), UUID, &id), 0);
	strcpy(id.model, "ONVIF-MODEL");
	unauth_adopt_facts(&id);
	/* ONVIF's word is kept; SADP's beats the HTTP one. */
	ck_assert_str_eq(id.model, "ONVIF-MODEL");
	ck_assert_str_eq(id.serial, "DS-2CD2386G2-IU20230517AAWRK51873096");
	ck_assert_str_eq(id.firmware, "V5.7.3build 220112");
	ck_assert_str_eq(id.manufacturer, "");
	/* Only an HTTP serial: it is taken. */
	reset();
	cam_fact_add(&id.facts, FACT_SERIAL, PROBE_HTTP, "FROMRPC2", 8);
	unauth_adopt_facts(&id);
	ck_assert_str_eq(id.serial, "FROMRPC2");
	ck_assert_str_eq(id.model, "");
}
END_TEST

START_TEST(status_names)
{
	ck_assert_str_eq(unauth_status_name(UNAUTH_OK), "ok");
	ck_assert_str_eq(unauth_status_name(UNAUTH_SILENT), "silent");
	ck_assert_str_eq(unauth_status_name(UNAUTH_REFUSED), "refused");
	ck_assert_str_eq(unauth_status_name(UNAUTH_MALFORMED), "malformed");
	ck_assert_str_eq(unauth_status_name(UNAUTH_TLS_ERROR), "tls-error");
	ck_assert_str_eq(unauth_status_name(UNAUTH_NOT_TRIED), "not-tried");
	ck_assert_str_eq(unauth_status_name(UNAUTH_STATUS_COUNT), "?");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("unauth");
	TCase *tc = tcase_create("codecs");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, sadp_inquiry_built);
	tcase_add_test(tc, sadp_hikvision_match);
	tcase_add_test(tc, sadp_wrong_uuid_refused);
	tcase_add_test(tc, sadp_every_truncation_refused);
	tcase_add_test(tc, sadp_markup_refused);
	tcase_add_test(tc, sadp_prologue_and_trailer);
	tcase_add_test(tc, sadp_missing_uuid_refused);
	tcase_add_test(tc, sadp_oversize_and_many_elements);
	tcase_add_test(tc, sadp_values_cleaned_and_capped);
	tcase_add_test(tc, dhip_search_built);
	tcase_add_test(tc, dhip_dahua_reply);
	tcase_add_test(tc, dhip_frame_lies_refused);
	tcase_add_test(tc, dhip_every_truncation_refused);
	tcase_add_test(tc, dhip_json_refused);
	tcase_add_test(tc, dhip_deep_and_big_refused);
	tcase_add_test(tc, dhip_strings_cleaned);
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
	tcase_add_test(tc, tcp_facts_leave_room_for_sadp);
	tcase_add_test(tc, adopt_facts);
	tcase_add_test(tc, status_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
