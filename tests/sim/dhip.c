/*
 * dhip.c: Dahua DHIP discovery messages (notes, section 2): recognising
 * the framed DHDiscover.search (32-byte header, both body lengths; bare
 * or NUL-terminated JSON and other methods get no answer), and writing
 * the framed client.notifyDevInfo reply: keys in alphabetical order, '/'
 * escaped as "\/", the body ending in "\n\0" counted in its length.
 * Values are the profile's: dhip_field NAME VALUE overrides a deviceInfo
 * key's template (or adds a key).  dhip-long-length and
 * dhip-short-length make the header lie about the body.
 *
 * Pure functions of their arguments; the UDP thread.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camsim.h"
#include "common/strutil.h"

#define HEADER 32
#define SEARCH_MAX 4096 /* longer datagrams are not searches we answer */
#define LIE 4096 /* dhip-long-length: declared body this much longer */

enum jtype { J_STR, J_NUM, J_V4, J_V6 };

/*
 * deviceInfo keys seen in captures (notes, section 2), in the order a
 * reply sends them.  Values: @-templates, or numbers; those the sources
 * do not give are invented and marked so.
 */
static const struct jkey {
	const char *name;
	enum jtype type;
	const char *tmpl;
} keys[] = {
    {"AlarmInputChannels", J_NUM, "0"}, /* invented */
    {"AlarmOutputChannels", J_NUM, "0"}, /* invented */
    {"DeviceClass", J_STR, "IPC"}, /* IPC/NVR/VTO... [2+] */
    {"DeviceID", J_STR, ""}, /* invented: empty */
    {"DeviceType", J_STR, "@model"}, /* the model [2+] */
    {"Find", J_STR, "BC"}, /* [2+] */
    {"FindVersion", J_NUM, "2"}, /* invented */
    {"HttpPort", J_NUM, "@port"}, {"IPv4Address", J_V4, NULL},
    {"IPv6Address", J_V6, NULL},
    {"Init", J_NUM, "1"}, /* invented: initialised */
    {"MachineName", J_STR, "@serial"}, /* invented */
    {"Manufacturer", J_STR, "Private"}, /* IPC capture [go-paste] */
    {"Port", J_NUM, "37777"}, /* Dahua private TCP port [2+] */
    {"RemoteVideoInputChannels", J_NUM, "0"}, /* invented */
    {"SerialNo", J_STR, "@serial"}, /* [2+] */
    {"UnLoginFuncMask", J_NUM, "0"}, /* invented */
    {"Vendor", J_STR, "Private"}, /* IPC capture [go-paste] */
    {"Version", J_STR, "@dhip-version"}, /* firmware without its date */
    {"VideoInputChannels", J_NUM, "1"}, /* invented */
    {"VideoOutputChannels", J_NUM, "0"}, /* invented */
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

/*
 * 0 for a framed DHDiscover.search; 1 for a framed request of another
 * method (named in method); -1 for anything unframed or inconsistent.
 */
int
dhip_probe(const unsigned char *d, size_t len, char *method, size_t msz)
{
	char body[SEARCH_MAX + 1], *m;
	size_t blen, n;

	method[0] = '\0';
	if (len < HEADER || len > SEARCH_MAX || le32(d) != HEADER ||
	    memcmp(d + 4, "DHIP", 4) != 0)
		return -1;
	blen = le32(d + 16);
	if (blen != len - HEADER || le32(d + 20) != 0 || le32(d + 24) != blen ||
	    le32(d + 28) != 0)
		return -1;
	memcpy(body, d + HEADER, blen);
	body[blen] = '\0';
	if ((m = strstr(body, "\"method\"")) == NULL)
		return -1;
	m += 8 + strspn(m + 8, " \t\r\n");
	if (*m++ != ':')
		return -1;
	m += strspn(m, " \t\r\n");
	if (*m++ != '"')
		return -1;
	n = strcspn(m, "\"");
	snprintf(method, msz, "%.*s", (int)n, m);
	return strcmp(method, "DHDiscover.search") == 0 ? 0 : 1;
}

/* A JSON string: '"', '\\' and '/' escaped, control bytes as \u00XX. */
static void
jstr(struct sbuf *b, const char *s)
{
	sb_put(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\' || *s == '/')
			sb_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			sb_printf(b, "\\u%04x", (unsigned char)*s);
		else
			sb_put(b, s, 1);
	}
	sb_put(b, "\"", 1);
}

static void
value(struct sbuf *b, const struct sim_camera *c, enum jtype t, const char *tm)
{
	const char *fw = c->spec->prof.firmware;
	char v[512];

	if (strcmp(tm, "@dhip-version") == 0)
		/* "2.800.0000016.0.R, Build Date ..." is sent up to ','. */
		snprintf(v, sizeof(v), "%.*s", (int)strcspn(fw, ","), fw);
	else
		expand(c, NULL, tm, v, sizeof(v));
	/* A number that is not one is sent as a string. */
	if (t == J_NUM && v[0] != '\0' && v[strspn(v, "0123456789")] == '\0')
		sb_puts(b, v);
	else
		jstr(b, v);
}

static void
address(struct sbuf *b, const struct sim_camera *c, enum jtype t)
{
	char v[128];

	if (t == J_V4) {
		sb_puts(b, "{\"DefaultGateway\":");
		expand(c, NULL, "@gw", v, sizeof(v));
		jstr(b, v);
		sb_puts(b, ",\"DhcpEnable\":false,\"IPAddress\":");
		jstr(b, c->host);
		sb_puts(b, ",\"SubnetMask\":\"255.255.255.0\"}");
		return;
	}
	sb_puts(b,
	    "{\"DefaultGateway\":\"\",\"DhcpEnable\":false,"
	    "\"IPAddress\":");
	jstr(b, "/64");
	sb_puts(b, ",\"LinkLocalAddress\":");
	expand(c, NULL, "@ll6/64", v, sizeof(v));
	jstr(b, v);
	sb_puts(b, "}");
}

/* The deviceInfo keys, ours and the profile's extra ones, sorted. */
struct entry {
	const char *name;
	enum jtype type;
	const char *tmpl;
};

static int
entry_cmp(const void *x, const void *y)
{
	return strcmp(
	    ((const struct entry *)x)->name, ((const struct entry *)y)->name);
}

static size_t
entries(const struct sim_surface *s, struct entry *e)
{
	size_t i, n = 0;
	int k;

	for (i = 0; i < NKEYS; i++) {
		e[n].name = keys[i].name;
		e[n].type = keys[i].type;
		e[n++].tmpl = keys[i].tmpl;
	}
	for (k = 0; k < s->ndhip_fields; k++) {
		for (i = 0; i < NKEYS; i++)
			if (strcmp(keys[i].name, s->dhip_fields[k].name) == 0)
				break;
		if (i < NKEYS && keys[i].type != J_V4 && keys[i].type != J_V6) {
			e[i].tmpl = s->dhip_fields[k].value;
		} else if (i == NKEYS) {
			e[n].name = s->dhip_fields[k].name;
			e[n].type = J_STR;
			e[n++].tmpl = s->dhip_fields[k].value;
		}
	}
	qsort(e, n, sizeof(*e), entry_cmp);
	return n;
}

/*
 * The framed notifyDevInfo reply into out; its length (header and body),
 * 0 if it does not fit.
 */
size_t
dhip_build(const struct sim_camera *c, unsigned char *out, size_t outsz)
{
	struct entry e[NKEYS + SIM_FIELDS];
	struct sbuf b;
	char mac[24];
	size_t i, n, blen;
	uint32_t declared;

	if (outsz <= HEADER + 2)
		return 0;
	b.p = (char *)out + HEADER;
	b.len = 0;
	b.cap = outsz - HEADER - 1; /* room for the final NUL */
	b.over = 0;
	expand(c, NULL, "@mac-colon", mac, sizeof(mac));
	sb_puts(&b, "{\"mac\":");
	jstr(&b, mac);
	sb_puts(&b,
	    ",\"method\":\"client.notifyDevInfo\",\"params\":{"
	    "\"deviceInfo\":{");
	n = entries(&c->spec->prof.surf, e);
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_puts(&b, ",");
		jstr(&b, e[i].name);
		sb_puts(&b, ":");
		if (e[i].type == J_V4 || e[i].type == J_V6)
			address(&b, c, e[i].type);
		else
			value(&b, c, e[i].type, e[i].tmpl);
	}
	sb_puts(&b, "}}}\n");
	if (b.over)
		return 0;
	out[HEADER + b.len] = '\0'; /* the "\n\0" end, counted */
	blen = b.len + 1;
	declared = (uint32_t)blen;
	if (c->spec->fault == SIM_FAULT_DHIP_LONG)
		declared += LIE;
	else if (c->spec->fault == SIM_FAULT_DHIP_SHORT)
		declared /= 2;
	memset(out, 0, HEADER);
	put_le32(out, HEADER);
	memcpy(out + 4, "DHIP", 4);
	put_le32(out + 16, declared);
	put_le32(out + 24, declared);
	return HEADER + blen;
}
