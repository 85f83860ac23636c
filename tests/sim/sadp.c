/*
 * sadp.c: Hikvision SADP messages (notes, section 1): reading an inquiry
 * Probe, and writing the ProbeMatch (or the unsolicited Hello) in the real
 * layout: CRLF line ends, "<ProbeMatch><Uuid>" together on the first line
 * after the declaration, one element a line in the order of a captured
 * reply, the Probe's Uuid echoed, "flase" where the firmware writes it.
 * Values are the profile's: sadp_field NAME VALUE overrides an element's
 * template (or adds an element at the end).  The hostile modes
 * sadp-huge, sadp-deep and sadp-dtd reshape the reply.
 *
 * Pure functions of their arguments; the UDP thread and (Hellos, before
 * it starts) the main thread.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "camsim.h"
#include "common/strutil.h"

#define PROBE_MAX 8192 /* longer datagrams are not Probes we answer */
#define HUGE_TEXT 60000 /* sadp-huge: a 60 KB DeviceDescription */
#define DEEP_LEVELS 8000 /* sadp-deep: 56 KB of nesting */

/*
 * The elements of a ProbeMatch in the order of the captured DS-2CD2385G1-I
 * reply ([go-paste]).  Values: @-templates (expand.c) or the few below;
 * the ones not named in the notes' sources are invented and marked so.
 */
static const struct {
	const char *name, *tmpl;
} fields[] = {
    {"DeviceType", "0"}, /* opaque product code: profiles set it */
    {"DeviceDescription", "@model"}, /* the model [2+] */
    {"DeviceSN", "@serial"}, /* Hikvision serial shape [2+] */
    {"CommandPort", "8000"}, /* private SDK port [2+] */
    {"HttpPort", "@port"}, {"MAC", "@mac-dashed"}, /* lower-case, dashes [2+] */
    {"IPv4Address", "@ip"}, {"IPv4SubnetMask", "255.255.255.0"}, /* invented */
    {"IPv4Gateway", "@gw"}, /* invented: .1 of the address */
    {"IPv6Address", "::"}, /* invented */
    {"IPv6Gateway", "::"}, /* invented */
    {"IPv6MaskLen", "64"}, /* invented */
    {"DHCP", "false"}, /* invented */
    {"AnalogChannelNum", "0"}, /* invented */
    {"DigitalChannelNum", "0"}, /* invented */
    {"SoftwareVersion", "@sadp-firmware"}, /* no space before build [2+] */
    {"DSPVersion", "V7.3 build 220112"}, /* shape [2+], value invented */
    {"BootTime", "@boot"}, /* invented format */
    {"Encrypt", "true"}, /* invented */
    {"ResetAbility", "false"}, /* invented */
    {"DiskNumber", "0"}, /* invented */
    {"Activated", "true"}, /* factory-fresh: false [design] */
    {"PasswordResetAbility", "true"}, /* invented */
    {"PasswordResetModeSecond", "true"}, /* invented */
    {"DetailOEMCode", "1"}, /* "new baseline" [sdk], AVYCON's value [1] */
    {"SupportSecurityQuestion", "true"}, /* invented */
    {"SupportHCPlatform", "true"}, /* invented */
    {"HCPlatformEnable", "flase"}, /* the typo [2+] */
    {"IsModifyVerificationCode", "false"}, /* invented */
    {"Salt", "@salt"}, /* invented: SHA-256 of the serial */
    {"DeviceLock", "flase"}, /* the typo [2+] */
    {"SDKOverTLSPort", "8443"}, /* invented */
    {"SDKServerStatus", "true"}, /* invented */
    {"SDKOverTLSServerStatus", "true"}, /* invented */
    {"SupportMailBox", "true"}, /* invented */
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The text of <name>...</name> in d, if it is plain text under max. */
static int
elem(const char *d, const char *name, char *out, size_t outsz)
{
	char open[48], close[48];
	const char *p, *e;

	snprintf(open, sizeof(open), "<%s>", name);
	snprintf(close, sizeof(close), "</%s>", name);
	if ((p = strstr(d, open)) == NULL)
		return -1;
	p += strlen(open);
	if ((e = strstr(p, close)) == NULL || (size_t)(e - p) >= outsz ||
	    memchr(p, '<', (size_t)(e - p)) != NULL)
		return -1;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 0;
}

/*
 * A Probe: its Uuid (1 to 64 of [0-9A-Za-z-], echoed into XML) and its
 * Types verb, trimmed.  0, or -1 when d (NUL-terminated) is not a Probe.
 */
int
sadp_probe(const char *d, size_t len, char *uuid, size_t uuidsz, char *types,
    size_t typessz)
{
	const char *p = d;
	char t[64];
	size_t n;

	if (len > PROBE_MAX || strlen(d) != len)
		return -1;
	p += strspn(p, " \t\r\n");
	if (strncmp(p, "<?xml", 5) == 0 && (p = strstr(p, "?>")) != NULL)
		p += 2 + strspn(p + 2, " \t\r\n");
	if (p == NULL || strncmp(p, "<Probe>", 7) != 0 ||
	    strstr(p, "</Probe>") == NULL)
		return -1;
	if (elem(p, "Uuid", uuid, uuidsz) != 0 || uuid[0] == '\0' ||
	    strlen(uuid) > 64 ||
	    uuid[strspn(uuid,
		"0123456789ABCDEFabcdefGHIJKLMNOPQRSTUVWXYZ"
		"ghijklmnopqrstuvwxyz-")] != '\0')
		return -1;
	if (elem(p, "Types", t, sizeof(t)) != 0)
		return -1;
	n = strspn(t, " \t\r\n");
	str_lcpy(types, t + n, typessz);
	n = strlen(types);
	while (n > 0 && isspace((unsigned char)types[n - 1]))
		types[--n] = '\0';
	return 0;
}

static time_t boot_time;
static pthread_once_t boot_once = PTHREAD_ONCE_INIT;

static void
boot_init(void)
{
	boot_time = time(NULL);
}

static void
escape(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			sb_puts(b, "&amp;");
		else if (*s == '<')
			sb_puts(b, "&lt;");
		else if (*s == '>')
			sb_puts(b, "&gt;");
		else
			sb_put(b, s, 1);
	}
}

/* The values only SADP has: @sadp-firmware, @boot, @salt. */
static void
sadp_value(const struct sim_camera *c, const char *tmpl, char *out, size_t sz)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	const char *fw = c->spec->prof.firmware, *b;
	struct tm tm;

	if (strcmp(tmpl, "@sadp-firmware") == 0) {
		/* "V5.7.3 build 220112" is sent as "V5.7.3build 220112". */
		b = strstr(fw, " build");
		snprintf(out, sz, "%.*s%s",
		    b != NULL ? (int)(b - fw) : (int)strlen(fw), fw,
		    b != NULL ? b + 1 : "");
	} else if (strcmp(tmpl, "@boot") == 0) {
		pthread_once(&boot_once, boot_init);
		localtime_r(&boot_time, &tm);
		strftime(out, sz, "%Y-%m-%d %H:%M:%S", &tm);
	} else if (strcmp(tmpl, "@salt") == 0) {
		EVP_Digest(c->spec->prof.serial, strlen(c->spec->prof.serial),
		    md, &n, EVP_sha256(), NULL);
		for (i = 0; i < n && 2 * i + 2 < sz; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
	} else
		expand(c, NULL, tmpl, out, sz);
}

/* The profile's override of an element, or NULL. */
static const char *
override(const struct sim_surface *s, const char *name)
{
	int i;

	/* The last one wins, as for other keys. */
	for (i = s->nsadp_fields - 1; i >= 0; i--)
		if (strcmp(s->sadp_fields[i].name, name) == 0)
			return s->sadp_fields[i].value;
	return NULL;
}

static int
known(const char *name)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return 1;
	return 0;
}

static void
element(struct sbuf *b, const struct sim_camera *c, const char *name,
    const char *tmpl)
{
	enum sim_fault f = c->spec->fault;
	char v[1024];
	size_t i;

	sb_printf(b, "<%s>", name);
	if (strcmp(name, "DeviceDescription") == 0 && f == SIM_FAULT_SADP_HUGE)
		for (i = 0; i < HUGE_TEXT; i++)
			sb_put(b, "A", 1);
	else if (strcmp(name, "DeviceDescription") == 0 &&
	    f == SIM_FAULT_SADP_DEEP) {
		for (i = 0; i < DEEP_LEVELS; i++)
			sb_puts(b, "<a>");
		for (i = 0; i < DEEP_LEVELS; i++)
			sb_puts(b, "</a>");
	} else if (strcmp(name, "DeviceDescription") == 0 &&
	    f == SIM_FAULT_SADP_DTD)
		sb_puts(b, "&l9;");
	else if (strcmp(name, "DeviceSN") == 0 && f == SIM_FAULT_SADP_DTD)
		sb_puts(b, "&ext;");
	else {
		sadp_value(c, tmpl, v, sizeof(v));
		escape(b, v);
	}
	sb_printf(b, "</%s>\r\n", name);
}

/* sadp-dtd: an external entity and the "billion laughs". */
static void
doctype(struct sbuf *b, const char *root)
{
	int i;

	sb_printf(b,
	    "<!DOCTYPE %s [\r\n<!ENTITY ext SYSTEM \"file:///etc/passwd\">\r\n"
	    "<!ENTITY l0 \"lol\">\r\n",
	    root);
	for (i = 1; i < 10; i++)
		sb_printf(b,
		    "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;"
		    "&l%d;&l%d;\">\r\n",
		    i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
		    i - 1, i - 1);
	sb_puts(b, "]>\r\n");
}

/*
 * A ProbeMatch answering uuid, or (hello) a Hello with a Uuid of the
 * camera's own; its length, 0 if it does not fit in out.
 */
size_t
sadp_build(const struct sim_camera *c, const char *uuid, int hello, char *out,
    size_t outsz)
{
	const struct sim_surface *s = &c->spec->prof.surf;
	const char *root = hello ? "Hello" : "ProbeMatch", *o, *p;
	struct sbuf b = {out, 0, outsz, 0};
	unsigned h;
	char own[40];
	size_t i;
	int k;

	if (hello) {
		/* Stable per camera: a hash of the address, then the MAC. */
		for (h = 2166136261u, p = c->host; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		snprintf(own, sizeof(own), "%08X-%04X-%04X-%04X-", h,
		    (h >> 16) & 0xffff, h & 0xffff, (h >> 8) & 0xffff);
		expand(c, NULL, "@MAC", own + 24, sizeof(own) - 24);
		uuid = own;
	}
	out[0] = '\0';
	sb_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n");
	if (c->spec->fault == SIM_FAULT_SADP_DTD)
		doctype(&b, root);
	sb_printf(&b, "<%s><Uuid>%s</Uuid>\r\n<Types>%s</Types>\r\n", root,
	    uuid, hello ? "hello" : "inquiry");
	for (i = 0; i < NFIELDS; i++) {
		o = override(s, fields[i].name);
		element(&b, c, fields[i].name, o != NULL ? o : fields[i].tmpl);
	}
	for (k = 0; k < s->nsadp_fields; k++)
		if (!known(s->sadp_fields[k].name))
			element(&b, c, s->sadp_fields[k].name,
			    s->sadp_fields[k].value);
	sb_printf(&b, "</%s>", root);
	return b.over ? 0 : b.len;
}
