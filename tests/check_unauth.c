/*
 * check_unauth.c: unit tests for the codecs of the collectors that need
 * no credentials (onvif/unauth.h, onvif/unauth_parse.h): SADP and DHIP
 * messages and adopting facts here; HTTP and RTSP reply heads, chunked
 * bodies, realms, titles and Dahua's RPC2_Login challenge in
 * check_unauth_http.c (check_unauth.h between them).  Replies in vendor
 * shapes and hostile ones (length lies, truncation, oversize, control
 * characters, deep JSON, missing fields, a wrong Uuid), all composed here
 * byte by byte, none copied from a capture.  No sockets; single-threaded.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "onvif/unauth.h"
#include "onvif/unauth_parse.h"
#include "common/strutil.h"
#include "check_unauth.h"

#define UUID "5B0C1E2D-7A41-4C9E-8F00-2D6E4B1A9C33"

/* ~15 KB: off the test's stack. */
struct cam_identity id;

void
reset(void)
{
	memset(&id, 0, sizeof(id));
}

const char *
fact(enum cam_fact_kind k)
{
	const struct cam_fact *f = cam_fact_find(&id.facts, k);

	return f != NULL ? f->text : NULL;
}

size_t
count(enum cam_fact_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < id.facts.n; i++)
		n += id.facts.f[i].kind == k;
	return n;
}

bool
has_fact(enum cam_fact_kind k, const char *text)
{
	size_t i;

	for (i = 0; i < id.facts.n; i++)
		if (id.facts.f[i].kind == k &&
		    strcmp(id.facts.f[i].text, text) == 0)
			return true;
	return false;
}

const char *
mac(size_t i)
{
	static char buf[18];

	ck_assert_uint_gt(id.n_macs, i);
	return str_format_mac(id.macs[i], buf, sizeof(buf));
}

void
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

/* ---- facts --------------------------------------------------------------- */

static struct ux_head head;

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
	unauth_http_tests(tc);
	tcase_add_test(tc, tcp_facts_leave_room_for_sadp);
	tcase_add_test(tc, adopt_facts);
	tcase_add_test(tc, status_names);
	suite_add_tcase(s, tc);
	return cr_run(s, CK_FORK_GETENV);
}
