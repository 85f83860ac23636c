/*
 * expand.c: the profile's templates for the unauthenticated surfaces,
 * expanded per reply: "@serial", "@MAC", "@nonce" and the others below
 * become the camera's values (README.md, "Templates").  Nothing is stored
 * per camera: a range of 100,000 cameras shares its profile's templates
 * and each reply computes its own text.  Also bounded string buffers,
 * random hex and a printable copy of untrusted bytes for the log.
 *
 * Pure functions of their arguments (random_hex draws from OpenSSL's
 * generator, which is thread-safe); any thread.
 */
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "camsim.h"
#include "common/strutil.h"

void
sb_put(struct sbuf *b, const void *s, size_t n)
{
	if (b->over || n >= b->cap - b->len) {
		b->over = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->over = 1;
		b->p[b->len] = '\0';
	} else
		b->len += (size_t)n;
}

/* nbytes random bytes as 2 * nbytes hex digits (out has room + NUL). */
void
random_hex(char *out, size_t nbytes, int upper)
{
	unsigned char r[64];
	size_t i;

	if (nbytes > sizeof(r))
		nbytes = sizeof(r);
	if (RAND_bytes(r, (int)nbytes) != 1)
		memset(r, 0x5a, nbytes);
	for (i = 0; i < nbytes; i++)
		snprintf(out + 2 * i, 3, upper ? "%02X" : "%02x", r[i]);
	out[2 * nbytes] = '\0';
}

/* The profile's first MAC, or zeros. */
void
sim_mac(const struct sim_camera *c, unsigned char mac[6])
{
	const struct sim_profile *p = &c->spec->prof;

	if (p->nmacs == 0 || str_parse_mac(p->macs[0].addr, mac) != 0)
		memset(mac, 0, 6);
}

/* Untrusted bytes as printable ASCII for a log line: others become '.'. */
void
sim_clean(const void *in, size_t len, char *out, size_t outsz)
{
	const unsigned char *s = in;
	size_t i;

	if (outsz == 0)
		return;
	for (i = 0; i < len && i + 1 < outsz; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '.';
	out[i] = '\0';
}

static void
put_mac(struct sbuf *b, const struct sim_camera *c, int upper, char sep)
{
	unsigned char m[6];
	int i;

	sim_mac(c, m);
	for (i = 0; i < 6; i++) {
		if (i > 0 && sep != '\0')
			sb_put(b, &sep, 1);
		sb_printf(b, upper ? "%02X" : "%02x", m[i]);
	}
}

/* fe80:: from the MAC (EUI-64), as the camera's IPv6 link-local. */
static void
put_ll6(struct sbuf *b, const struct sim_camera *c)
{
	unsigned char m[6];

	sim_mac(c, m);
	sb_printf(b, "fe80::%x:%x:%x:%x", (m[0] ^ 2) << 8 | m[1],
	    m[2] << 8 | 0xff, 0xfe00 | m[3], m[4] << 8 | m[5]);
}

/* The camera's address with its last octet 1 (a made-up gateway). */
static void
put_gateway(struct sbuf *b, const struct sim_camera *c)
{
	struct in_addr a;
	char s[INET_ADDRSTRLEN];

	if (inet_pton(AF_INET, c->host, &a) != 1) {
		sb_puts(b, "::");
		return;
	}
	a.s_addr = htonl((ntohl(a.s_addr) & ~0xffUL) | 1);
	sb_puts(b, inet_ntop(AF_INET, &a, s, sizeof(s)));
}

/*
 * Hikvision's nonce shape: the hex of a base64 text (notes, section 3).
 * 24 random bytes make 32 base64 characters, 64 hex digits.
 */
static void
put_nonce_b64hex(struct sbuf *b)
{
	unsigned char r[24], t[40];
	int i, n;

	if (RAND_bytes(r, sizeof(r)) != 1)
		memset(r, 0x33, sizeof(r));
	n = EVP_EncodeBlock(t, r, sizeof(r));
	for (i = 0; i < n; i++)
		sb_printf(b, "%02x", t[i]);
}

static void
put_date(struct sbuf *b, const char *fmt)
{
	char s[128];
	time_t now = time(NULL);
	struct tm tm;
	size_t n;

	gmtime_r(&now, &tm);
	if (fmt == NULL)
		fmt = "%a, %d %b %Y %H:%M:%S GMT";
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	n = strftime(s, sizeof(s), fmt, &tm);
#pragma GCC diagnostic pop
	sb_put(b, s, n);
}

static void
put_random(struct sbuf *b, size_t nbytes, int upper)
{
	char h[129];

	random_hex(h, nbytes, upper);
	sb_puts(b, h);
}

/* Dahua's Etag shape "<n>:<hex>": derived from the serial. */
static void
put_etag(struct sbuf *b, const struct sim_camera *c)
{
	const char *s = c->spec->prof.serial;
	unsigned long h = 5381;

	for (; *s != '\0'; s++)
		h = h * 33 + (unsigned char)*s;
	sb_printf(b, "%lu:%08lx", h % 4096, h & 0xffffffffUL);
}

static void
put_text(struct sbuf *b, const char *s)
{
	if (s != NULL)
		sb_puts(b, s);
}

/* Placeholders that name the camera: 1 if name was one of them. */
static int
put_camera(struct sbuf *b, const struct sim_camera *c, int k)
{
	const struct sim_profile *p = &c->spec->prof;
	char ip[24];

	switch (k) {
	case 0:
		if (strcmp(p->serial, "@address") == 0) {
			/* Reolink: the address without its dots. */
			str_lcpy(ip, c->host, sizeof(ip));
			for (char *s = ip; *s != '\0'; s++)
				if (*s != '.')
					sb_put(b, s, 1);
		} else
			sb_puts(b, p->serial);
		return 1;
	case 1:
		sb_puts(b, p->model);
		return 1;
	case 2:
		sb_puts(b, p->firmware);
		return 1;
	case 3:
		sb_puts(b, p->manufacturer);
		return 1;
	case 4:
		sb_puts(b, c->host);
		return 1;
	case 5:
		sb_printf(b, "%d", c->port);
		return 1;
	case 6:
		put_gateway(b, c);
		return 1;
	case 7:
		put_ll6(b, c);
		return 1;
	default:
		return 0;
	}
}

/*
 * Known placeholder names; a name that is a prefix of another comes after
 * it, so that the longest one matches.
 */
static const char *const names[] = {
    /* put_camera(), by index */
    "serial", "model", "firmware", "manufacturer", "ip", "port", "gw", "ll6",
    /* 8.. */
    "MAC-dashed", "mac-dashed", "mac-colon", "MAC", "mac", "nonce-b64hex",
    "nonce", "NONCE", "opaque", "realm", "challenge2", "challenge", "type",
    "length", "connection", "public", "cseq", "date", "etag", "nbsp", "ms",
    "@"};

static void
put_var(struct sbuf *b, const struct sim_camera *c, const struct xvars *v,
    const char *name)
{
	struct timespec ts;

	if (strcmp(name, "MAC-dashed") == 0)
		put_mac(b, c, 1, '-');
	else if (strcmp(name, "mac-dashed") == 0)
		put_mac(b, c, 0, '-');
	else if (strcmp(name, "mac-colon") == 0)
		put_mac(b, c, 0, ':');
	else if (strcmp(name, "MAC") == 0)
		put_mac(b, c, 1, '\0');
	else if (strcmp(name, "mac") == 0)
		put_mac(b, c, 0, '\0');
	else if (strcmp(name, "nonce-b64hex") == 0)
		put_nonce_b64hex(b);
	else if (strcmp(name, "nonce") == 0 || strcmp(name, "NONCE") == 0)
		put_random(b, 16, name[0] == 'N');
	else if (strcmp(name, "opaque") == 0)
		put_random(b, 8, 0);
	else if (strcmp(name, "realm") == 0)
		put_text(b, v->realm);
	else if (strcmp(name, "challenge2") == 0)
		put_text(b, v->challenge2);
	else if (strcmp(name, "challenge") == 0)
		put_text(b, v->challenge);
	else if (strcmp(name, "type") == 0)
		put_text(b, v->type);
	else if (strcmp(name, "length") == 0 && v->length >= 0)
		sb_printf(b, "%ld", v->length);
	else if (strcmp(name, "connection") == 0)
		put_text(b, v->connection);
	else if (strcmp(name, "public") == 0)
		put_text(b, v->public_methods);
	else if (strcmp(name, "cseq") == 0 && v->cseq >= 0)
		sb_printf(b, "%d", v->cseq);
	else if (strcmp(name, "date") == 0)
		put_date(b, v->date_fmt);
	else if (strcmp(name, "etag") == 0)
		put_etag(b, c);
	else if (strcmp(name, "nbsp") == 0)
		sb_puts(b, "\xc2\xa0");
	else if (strcmp(name, "ms") == 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		sb_printf(b, "%lld",
		    (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	} else if (strcmp(name, "@") == 0)
		sb_puts(b, "@");
}

/* The index of the placeholder at s (after '@'), its length in *len. */
static int
match_name(const char *s, size_t *len)
{
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (strncmp(s, names[i], n) != 0)
			continue;
		/* "@macro" is not "@mac" followed by "ro"; "@nbspCA" is. */
		if (names[i][0] != '@' && strcmp(names[i], "nbsp") != 0 &&
		    ((s[n] >= 'a' && s[n] <= 'z') ||
			(s[n] >= 'A' && s[n] <= 'Z') ||
			(s[n] >= '0' && s[n] <= '9')))
			continue;
		*len = n;
		return (int)i;
	}
	return -1;
}

/*
 * Append tmpl with its placeholders replaced.  An '@' that starts no
 * known name stays as it is ("@WebVersion@" in a Dahua page).
 */
void
expand_sb(const struct sim_camera *c, const struct xvars *v, const char *tmpl,
    struct sbuf *b)
{
	static const struct xvars none = {
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1};
	const char *s = tmpl, *at;
	size_t n;
	int k;

	if (v == NULL)
		v = &none;
	while ((at = strchr(s, '@')) != NULL) {
		sb_put(b, s, (size_t)(at - s));
		if ((k = match_name(at + 1, &n)) < 0) {
			sb_put(b, "@", 1);
			s = at + 1;
			continue;
		}
		if (!put_camera(b, c, k))
			put_var(b, c, v, names[k]);
		s = at + 1 + n;
	}
	sb_puts(b, s);
}

/* Expand into out (always NUL-terminated, cut to fit); the length. */
size_t
expand(const struct sim_camera *c, const struct xvars *v, const char *tmpl,
    char *out, size_t outsz)
{
	struct sbuf b = {out, 0, outsz, 0};

	out[0] = '\0';
	expand_sb(c, v, tmpl, &b);
	return b.len;
}
