/*
 * sadp.c: Hikvision SADP (Search Active Devices Protocol) messages, the
 * inquiry Probe we send and the ProbeMatch a camera answers (unauth.h).
 *
 * The reply is parsed by a small hand-written scanner, not libxml2: the
 * format is one root element holding flat <Tag>value</Tag> children, and
 * a scanner that accepts only that (no DTD, no comment, no CDATA, no
 * entity but the five predefined ones, no nesting below the root, a size
 * cap) has nothing to configure wrongly, keeps the ONVIF library free of
 * libxml2, and is a pure function a fuzzer can drive.  Any thread.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "onvif/unauth.h"
#include "onvif/unauth_parse.h"
#include "common/strutil.h"

/* A real ProbeMatch is about 1.5 KB; more is not a camera's. */
#define SADP_MAX_REPLY 16384
#define SADP_MAX_ELEMENTS 128
#define SADP_MAX_TAG 64
#define SADP_VAL 128 /* what a fact keeps */

struct sadp_reply {
	char uuid[SADP_VAL], model[SADP_VAL], serial[SADP_VAL], fw[SADP_VAL];
	char oem[SADP_VAL], devtype[SADP_VAL], port[SADP_VAL], mac[SADP_VAL];
	char ipv4[SADP_VAL], types[SADP_VAL], http[SADP_VAL];
};

static const struct sadp_field {
	const char *tag;
	size_t off;
} sadp_fields[] = {
    {"Uuid", offsetof(struct sadp_reply, uuid)},
    {"DeviceDescription", offsetof(struct sadp_reply, model)},
    {"DeviceSN", offsetof(struct sadp_reply, serial)},
    {"SoftwareVersion", offsetof(struct sadp_reply, fw)},
    {"DetailOEMCode", offsetof(struct sadp_reply, oem)},
    {"DeviceType", offsetof(struct sadp_reply, devtype)},
    {"CommandPort", offsetof(struct sadp_reply, port)},
    {"MAC", offsetof(struct sadp_reply, mac)},
    {"IPv4Address", offsetof(struct sadp_reply, ipv4)},
    {"Types", offsetof(struct sadp_reply, types)},
    {"HttpPort", offsetof(struct sadp_reply, http)},
};

int
sadp_build_inquiry(const char *uuid, char *buf, size_t bufsz)
{
	int n;

	/* The uuid goes in unescaped: only a UUID's own characters. */
	if (uuid == NULL || strlen(uuid) != 36 ||
	    strspn(uuid, "0123456789ABCDEFabcdef-") != 36)
		return -1;
	n = snprintf(buf, bufsz,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<Probe><Uuid>%s</Uuid><Types>inquiry</Types></Probe>",
	    uuid);
	return n > 0 && (size_t)n < bufsz ? n : -1;
}

/* ---- the scanner --------------------------------------------------------- */

struct scan {
	const char *p, *end;
};

static bool
ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
skip_ws(struct scan *s)
{
	while (s->p < s->end && ws(*s->p))
		s->p++;
}

static bool
starts(const struct scan *s, const char *lit)
{
	size_t k = strlen(lit);

	return (size_t)(s->end - s->p) >= k && memcmp(s->p, lit, k) == 0;
}

static bool
name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* A tag name at s->p; its length (moved past), 0 when there is none. */
static size_t
tag_name(struct scan *s)
{
	size_t n = 0;

	while (s->p + n < s->end && name_char(s->p[n]) && n <= SADP_MAX_TAG)
		n++;
	if (n > SADP_MAX_TAG)
		return 0;
	s->p += n;
	return n;
}

/* Decode text (no '<') into out; -1 on an entity other than the five. */
static int
decode(const char *p, size_t n, char *out, size_t outsz)
{
	static const struct {
		const char *name;
		char c;
	} ent[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'},
	    {"&quot;", '"'}, {"&apos;", '\''}};
	size_t i = 0, o = 0, e, k;
	char c;

	while (i < n) {
		c = p[i];
		if (c == '&') {
			for (e = 0; e < 5; e++) {
				k = strlen(ent[e].name);
				if (n - i >= k &&
				    memcmp(p + i, ent[e].name, k) == 0)
					break;
			}
			if (e == 5)
				return -1;
			c = ent[e].c;
			i += k;
		} else
			i++;
		if (out != NULL && o + 1 < outsz)
			out[o++] = c;
	}
	if (out != NULL)
		out[o] = '\0';
	return 0;
}

static char *
field_slot(struct sadp_reply *r, const char *tag, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(sadp_fields) / sizeof(sadp_fields[0]); i++)
		if (strlen(sadp_fields[i].tag) == n &&
		    memcmp(sadp_fields[i].tag, tag, n) == 0)
			return (char *)r + sadp_fields[i].off;
	return NULL;
}

/* One child <Tag>text</Tag> or <Tag/> at s->p (on the '<'). */
static int
child(struct scan *s, struct sadp_reply *r)
{
	const char *tag, *text, *lt;
	size_t n;
	char *slot;

	s->p++;
	tag = s->p;
	if ((n = tag_name(s)) == 0)
		return -1;
	if (starts(s, "/>")) {
		s->p += 2;
		return 0;
	}
	if (!starts(s, ">"))
		return -1; /* attributes: not in a ProbeMatch child */
	text = ++s->p;
	if ((lt = memchr(text, '<', (size_t)(s->end - text))) == NULL)
		return -1;
	s->p = lt;
	/* The end tag of this element, or it nests: refused. */
	if (!starts(s, "</") || (size_t)(s->end - lt) < n + 3 ||
	    memcmp(lt + 2, tag, n) != 0)
		return -1;
	s->p = lt + 2 + n;
	skip_ws(s);
	if (!starts(s, ">"))
		return -1;
	s->p++;
	slot = field_slot(r, tag, n);
	if (slot != NULL && *slot != '\0')
		slot = NULL; /* a repeated field: the first one counts */
	return decode(text, (size_t)(lt - text), slot, SADP_VAL);
}

/* The roots of the messages read: sadp_parse() takes only the first. */
static const char *const roots[] = {"ProbeMatch", "Hello", "Probe"};

/* The XML declaration and the root's start tag: which root in *root. */
static int
prologue(struct scan *s, size_t n_roots, size_t *root)
{
	const char *q;
	size_t k = 0;

	if (starts(s, "\xef\xbb\xbf"))
		s->p += 3;
	skip_ws(s);
	if (starts(s, "<?xml")) {
		q = memmem(s->p, (size_t)(s->end - s->p), "?>", 2);
		if (q == NULL || q - s->p > 256)
			return -1;
		s->p = q + 2;
		skip_ws(s);
	}
	for (*root = 0; *root < n_roots; (*root)++) {
		k = strlen(roots[*root]);
		if (starts(s, "<") && (size_t)(s->end - s->p) > k + 1 &&
		    memcmp(s->p + 1, roots[*root], k) == 0 &&
		    (s->p[k + 1] == '>' || ws(s->p[k + 1])))
			break;
	}
	if (*root == n_roots)
		return -1;
	s->p += 1 + k;
	/* Attributes of the root are ignored; no markup inside them. */
	q = memchr(s->p, '>', (size_t)(s->end - s->p));
	if (q == NULL || q - s->p > 256 ||
	    memchr(s->p, '<', (size_t)(q - s->p)) != NULL ||
	    (q > s->p && q[-1] == '/'))
		return -1;
	s->p = q + 1;
	return 0;
}

/* One of the first n_roots roots, flat children only: which in *root. */
static int
scan_reply(const char *buf, size_t len, size_t n_roots, struct sadp_reply *r,
    size_t *root)
{
	struct scan s = {buf, buf + len};
	int elements = 0;
	size_t k;

	if (prologue(&s, n_roots, root) != 0)
		return -1;
	k = strlen(roots[*root]);
	for (;;) {
		skip_ws(&s);
		if (s.p >= s.end || *s.p != '<')
			return -1; /* text at the root level, or no end */
		if (starts(&s, "</") && (size_t)(s.end - s.p) >= k + 2 &&
		    memcmp(s.p + 2, roots[*root], k) == 0) {
			s.p += 2 + k;
			skip_ws(&s);
			if (!starts(&s, ">"))
				return -1;
			s.p++;
			skip_ws(&s);
			return s.p == s.end ? 0 : -1;
		}
		if (++elements > SADP_MAX_ELEMENTS || child(&s, r) != 0)
			return -1;
	}
}

/* ---- the reply ----------------------------------------------------------- */

static void
sadp_facts(const struct sadp_reply *r, struct cam_identity *id)
{
	struct in_addr a;
	uint8_t mac[6];

	ux_fact(id, FACT_PROTOCOL, PROBE_SADP, "sadp");
	ux_fact(id, FACT_MODEL, PROBE_SADP, r->model);
	ux_fact(id, FACT_SERIAL, PROBE_SADP, r->serial);
	ux_fact(id, FACT_FIRMWARE, PROBE_SADP, r->fw);
	ux_fact(id, FACT_OEM_CODE, PROBE_SADP, r->oem);
	ux_fact(id, FACT_DEVICE_CLASS, PROBE_SADP, r->devtype);
	ux_fact(id, FACT_PRIVATE_PORT, PROBE_SADP, r->port);
	if (str_parse_mac(r->mac, mac) == 0)
		ux_add_mac(id, mac);
	if (id->address[0] == '\0' && inet_pton(AF_INET, r->ipv4, &a) == 1)
		str_lcpy(id->address, r->ipv4, sizeof(id->address));
	id->facts.answered |= CAM_PROBE(PROBE_SADP);
}

/* Trailing NULs (a C responder's terminator) are tolerated; any other NUL
 * is not text.  The length without them, or 0. */
static size_t
text_len(const char *buf, size_t len)
{
	if (buf == NULL || len == 0 || len > SADP_MAX_REPLY)
		return 0;
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	return memchr(buf, '\0', len) == NULL ? len : 0;
}

int
sadp_parse(const char *buf, size_t len, const char *expect_uuid,
    struct cam_identity *id)
{
	struct sadp_reply r;
	size_t root;

	if ((len = text_len(buf, len)) == 0)
		return -1;
	memset(&r, 0, sizeof(r));
	if (scan_reply(buf, len, 1, &r, &root) != 0 || r.uuid[0] == '\0')
		return -1;
	if (expect_uuid != NULL && strcasecmp(r.uuid, expect_uuid) != 0)
		return -1;
	sadp_facts(&r, id);
	return 0;
}

static int
port_number(const char *s)
{
	long v = 0;

	if (*s == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
		return 0;
	v = strtol(s, NULL, 10);
	return v >= 1 && v <= 65535 ? (int)v : 0;
}

int
sadp_parse_msg(
    const char *buf, size_t len, struct sadp_msg *m, struct cam_identity *id)
{
	struct sadp_reply r;
	size_t root;

	memset(m, 0, sizeof(*m));
	if ((len = text_len(buf, len)) == 0)
		return -1;
	memset(&r, 0, sizeof(r));
	if (scan_reply(buf, len, 3, &r, &root) != 0)
		return -1;
	if (root == 2) {
		m->kind = SADP_INQUIRY; /* another client's: nothing to take */
		return 0;
	}
	if (r.uuid[0] == '\0')
		return -1;
	m->kind = root == 1 || strcasecmp(r.types, "hello") == 0
	    ? SADP_HELLO
	    : SADP_PROBE_MATCH;
	/* Not a UUID: it cannot be one of ours. */
	if (strlen(r.uuid) < sizeof(m->uuid))
		str_lcpy(m->uuid, r.uuid, sizeof(m->uuid));
	m->http_port = port_number(r.http);
	sadp_facts(&r, id);
	return 0;
}
