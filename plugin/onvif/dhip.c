/*
 * dhip.c: Dahua DHIP discovery messages, the framed DHDiscover.search we
 * send and the client.notifyDevInfo a camera answers (unauth.h).
 *
 * A frame is a 32-byte header (its own length, "DHIP", session and
 * request ids, the body length twice as 64-bit little-endian numbers) and
 * a JSON body.  The parser checks the frame strictly before json-c sees a
 * byte, and json-c parses with a depth limit and strict syntax.  Pure
 * functions on a buffer: any thread, fuzzable.
 */
#include <arpa/inet.h>
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onvif/unauth.h"
#include "onvif/unauth_parse.h"
#include "common/strutil.h"

#define DHIP_HEADER 32
/* A real reply is about 1 KB; more is not a camera's. */
#define DHIP_MAX_BODY 16384
/* deviceInfo sits at depth 3, IPv4Address's members at 4. */
#define DHIP_JSON_DEPTH 8

static const char dhip_search[] =
    "{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\",\"uni\":1}}";

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
dhip_build_search(uint8_t *buf, size_t bufsz)
{
	size_t body = sizeof(dhip_search) - 1;

	if (bufsz < DHIP_HEADER + body)
		return -1;
	memset(buf, 0, DHIP_HEADER);
	put_le32(buf, DHIP_HEADER);
	memcpy(buf + 4, "DHIP", 4);
	/* 8..15: session and request ids, zero for discovery */
	put_le32(buf + 16, (uint32_t)body);
	put_le32(buf + 24, (uint32_t)body);
	memcpy(buf + DHIP_HEADER, dhip_search, body);
	return (int)(DHIP_HEADER + body);
}

/* The body of a well-framed datagram; NULL when the frame lies. */
static const char *
frame_body(const uint8_t *buf, size_t len, size_t *blen)
{
	uint32_t b1, b2;
	size_t i;

	if (len < DHIP_HEADER || get_le32(buf) != DHIP_HEADER ||
	    memcmp(buf + 4, "DHIP", 4) != 0)
		return NULL;
	b1 = get_le32(buf + 16);
	b2 = get_le32(buf + 24);
	/* 64-bit lengths: the upper halves must be zero. */
	if (get_le32(buf + 20) != 0 || get_le32(buf + 28) != 0 || b1 != b2 ||
	    b1 == 0 || b1 > DHIP_MAX_BODY || b1 > len - DHIP_HEADER)
		return NULL;
	/* After the declared body only padding may follow. */
	for (i = DHIP_HEADER + b1; i < len; i++)
		if (buf[i] != '\0' && buf[i] != '\n' && buf[i] != '\r')
			return NULL;
	*blen = b1;
	return (const char *)buf + DHIP_HEADER;
}

static struct json_object *
member(struct json_object *o, const char *key, enum json_type t)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, t))
		return NULL;
	return v;
}

static const char *
str_member(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_string);

	return v != NULL ? json_object_get_string(v) : NULL;
}

static void
fact(struct cam_identity *id, enum cam_fact_kind k, struct json_object *o,
    const char *key)
{
	ux_fact(id, k, PROBE_DHIP, str_member(o, key));
}

static void
dhip_facts(
    struct json_object *top, struct json_object *di, struct cam_identity *id)
{
	const char *vendor = str_member(di, "Vendor");
	const char *maker = str_member(di, "Manufacturer");
	struct json_object *port, *v4;
	const char *s;
	uint8_t mac[6];
	struct in_addr a;
	char num[24];

	ux_fact(id, FACT_PROTOCOL, PROBE_DHIP, "dhip");
	fact(id, FACT_MODEL, di, "DeviceType");
	fact(id, FACT_SERIAL, di, "SerialNo");
	fact(id, FACT_FIRMWARE, di, "Version");
	ux_fact(id, FACT_VENDOR, PROBE_DHIP, vendor);
	/* cam_fact_add drops an exact duplicate of Vendor. */
	ux_fact(id, FACT_VENDOR, PROBE_DHIP, maker);
	fact(id, FACT_DEVICE_CLASS, di, "DeviceClass");
	if ((port = member(di, "Port", json_type_int)) != NULL) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_object_get_int64(port));
		ux_fact(id, FACT_PRIVATE_PORT, PROBE_DHIP, num);
	} else
		fact(id, FACT_PRIVATE_PORT, di, "Port");
	if ((s = str_member(top, "mac")) != NULL && str_parse_mac(s, mac) == 0)
		ux_add_mac(id, mac);
	v4 = member(di, "IPv4Address", json_type_object);
	if (id->address[0] == '\0' && (s = str_member(v4, "IPAddress")) &&
	    inet_pton(AF_INET, s, &a) == 1)
		str_lcpy(id->address, s, sizeof(id->address));
	id->facts.answered |= CAM_PROBE(PROBE_DHIP);
}

/* HttpPort: a number, or a string of digits. */
static int
http_port(struct json_object *di)
{
	struct json_object *v;
	const char *s;
	long long n = 0;

	if ((v = member(di, "HttpPort", json_type_int)) != NULL)
		n = json_object_get_int64(v);
	else if ((s = str_member(di, "HttpPort")) != NULL && *s != '\0' &&
	    strlen(s) <= 5 && strspn(s, "0123456789") == strlen(s))
		n = strtoll(s, NULL, 10);
	return n >= 1 && n <= 65535 ? (int)n : 0;
}

int
dhip_parse(const uint8_t *buf, size_t len, struct cam_identity *id)
{
	int port;

	return dhip_parse_port(buf, len, &port, id);
}

int
dhip_parse_port(
    const uint8_t *buf, size_t len, int *port, struct cam_identity *id)
{
	struct json_object *top, *params, *di;
	const char *body, *method;
	size_t blen;

	*port = 0;
	if (buf == NULL || (body = frame_body(buf, len, &blen)) == NULL ||
	    (top = ux_json_object(
		 body, blen, DHIP_MAX_BODY, DHIP_JSON_DEPTH)) == NULL)
		return -1;
	method = str_member(top, "method");
	params = member(top, "params", json_type_object);
	di = member(params, "deviceInfo", json_type_object);
	if (method == NULL || strcmp(method, "client.notifyDevInfo") != 0 ||
	    di == NULL) {
		json_object_put(top);
		return -1;
	}
	dhip_facts(top, di, id);
	*port = http_port(di);
	json_object_put(top);
	return 0;
}
