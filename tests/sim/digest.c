/*
 * digest.c: server side of HTTP Digest authentication (RFC 7616, MD5,
 * qop=auth), as Hikvision firmware from V5.7.13 demands for ONVIF, and
 * the check of HTTP Basic credentials for the basic-* fault modes.
 *
 * Written here rather than with gSOAP's httpda plugin because the
 * simulator answers a missing or wrong Authorization with a raw HTML 401
 * page, which the camera sends before any SOAP processing.  Nonces are
 * stateless (time stamp + keyed hash), so any connection thread may call
 * these functions; the key is set once under pthread_once.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "camsim.h"
#include "common/strutil.h"

#define NONCE_LIFETIME 300 /* seconds before a nonce is stale */

static unsigned char secret[16];
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;

static void
secret_init(void)
{
	if (RAND_bytes(secret, sizeof(secret)) != 1)
		memset(secret, 0x5a, sizeof(secret));
}

/* MD5 of the concatenation of parts, in lower-case hex. */
static void
md5_hex(char out[33], const char *const *parts, int nparts)
{
	EVP_MD_CTX *ctx;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return;
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	for (i = 0; i < (unsigned int)nparts; i++)
		EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < len && i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
make_nonce(const struct sim_camera *c, time_t t, char *out, size_t outsz)
{
	char stamp[24], key[40], mac[33], lb[SIM_LABEL];
	const char *parts[4];
	int i;

	pthread_once(&secret_once, secret_init);
	for (i = 0; i < 16; i++)
		snprintf(key + 2 * i, 3, "%02x", secret[i]);
	snprintf(stamp, sizeof(stamp), "%08lx", (unsigned long)t);
	parts[0] = key;
	parts[1] = sim_label(c, lb, sizeof(lb));
	parts[2] = ":";
	parts[3] = stamp;
	md5_hex(mac, parts, 4);
	snprintf(out, outsz, "%s%.24s", stamp, mac);
}

void
digest_challenge(const struct sim_camera *c, int stale, char *out, size_t outsz)
{
	char nonce[64];

	make_nonce(c, time(NULL), nonce, sizeof(nonce));
	snprintf(out, outsz,
	    "Digest realm=\"%s\", qop=\"auth\", "
	    "nonce=\"%s\", opaque=\"%.16s\", algorithm=\"MD5\", stale=\"%s\"",
	    c->spec->prof.realm, nonce, nonce + 8, stale ? "TRUE" : "FALSE");
}

/* Copy one value (quoted or not) from s; returns the end of it. */
static const char *
copy_value(const char *s, char *out, size_t outsz)
{
	size_t o = 0;
	int quoted = *s == '"';

	for (s += quoted; *s != '\0'; s++) {
		if (quoted ? *s == '"' : (*s == ',' || *s == ' '))
			break;
		if (quoted && *s == '\\' && s[1] != '\0')
			s++;
		if (out != NULL && o + 1 < outsz)
			out[o++] = *s;
	}
	if (out != NULL)
		out[o] = '\0';
	return quoted && *s == '"' ? s + 1 : s;
}

/* Find k in a Digest parameter list; copies its (unquoted) value. */
static int
param(const char *s, const char *k, char *out, size_t outsz)
{
	size_t klen = strlen(k), n;
	int match;

	while (*s != '\0') {
		s += strspn(s, " ,\t");
		n = strcspn(s, "=, ");
		if (s[n] != '=')
			return -1;
		match = n == klen && strncasecmp(s, k, klen) == 0;
		s = copy_value(s + n + 1, match ? out : NULL, outsz);
		if (match)
			return 0;
	}
	return -1;
}

/* 1 fresh and ours, 0 ours but stale, -1 forged. */
static int
nonce_state(const struct sim_camera *c, const char *nonce)
{
	char expect[64], stamp[9];
	unsigned long t;

	if (strlen(nonce) != 32)
		return -1;
	memcpy(stamp, nonce, 8);
	stamp[8] = '\0';
	t = strtoul(stamp, NULL, 16);
	make_nonce(c, (time_t)t, expect, sizeof(expect));
	if (strcmp(expect, nonce) != 0)
		return -1;
	return (unsigned long)time(NULL) - t <= NONCE_LIFETIME;
}

static int
response_ok(const struct sim_camera *c, const struct sim_req *r, const char *a)
{
	char user[128], realm[128], nonce[64], uri[512], resp[64];
	char qop[16] = "", nc[16] = "", cnonce[128] = "";
	char ha1[33], ha2[33], want[33];
	const char *p[11];

	if (param(a, "username", user, sizeof(user)) ||
	    param(a, "realm", realm, sizeof(realm)) ||
	    param(a, "nonce", nonce, sizeof(nonce)) ||
	    param(a, "uri", uri, sizeof(uri)) ||
	    param(a, "response", resp, sizeof(resp)))
		return 0;
	param(a, "qop", qop, sizeof(qop));
	param(a, "nc", nc, sizeof(nc));
	param(a, "cnonce", cnonce, sizeof(cnonce));
	if (strcmp(user, c->spec->prof.user) != 0 ||
	    strcmp(realm, c->spec->prof.realm) != 0)
		return 0;
	p[0] = user;
	p[1] = ":";
	p[2] = realm;
	p[3] = ":";
	p[4] = c->spec->prof.password;
	md5_hex(ha1, p, 5);
	p[0] = r->method;
	p[1] = ":";
	p[2] = uri;
	md5_hex(ha2, p, 3);
	p[0] = ha1;
	p[1] = ":";
	p[2] = nonce;
	p[3] = ":";
	if (qop[0] != '\0') {
		p[4] = nc;
		p[5] = ":";
		p[6] = cnonce;
		p[7] = ":";
		p[8] = qop;
		p[9] = ":";
		p[10] = ha2;
		md5_hex(want, p, 11);
	} else {
		p[4] = ha2;
		md5_hex(want, p, 5);
	}
	return strcasecmp(want, resp) == 0;
}

/* 1 if r carries Basic credentials naming the camera's user and password. */
int
basic_check(const struct sim_camera *c, const struct sim_req *r)
{
	unsigned char dec[sizeof(r->authorization)];
	char want[sizeof(c->spec->prof.user) + sizeof(c->spec->prof.password) +
	    1];
	const char *a = r->authorization;
	size_t len;
	int n;

	if (strncasecmp(a, "Basic ", 6) != 0)
		return 0;
	a += 6 + strspn(a + 6, " ");
	len = strcspn(a, " \t");
	/* The authorization field bounds len, and so 3 * len / 4 < dec. */
	if (len == 0 || len % 4 != 0)
		return 0;
	if ((n = EVP_DecodeBlock(dec, (const unsigned char *)a, (int)len)) < 0)
		return 0;
	/* EVP_DecodeBlock counts the bytes that '=' padding stands for. */
	n -= (a[len - 1] == '=') + (a[len - 2] == '=');
	snprintf(want, sizeof(want), "%s:%s", c->spec->prof.user,
	    c->spec->prof.password);
	return (size_t)n == strlen(want) && memcmp(dec, want, (size_t)n) == 0;
}

/*
 * 1 if r carries a valid Digest Authorization for camera c; 0 if it is
 * missing or wrong (*stale set when only the nonce has expired).
 */
int
digest_check(const struct sim_camera *c, const struct sim_req *r, int *stale)
{
	char nonce[64];
	const char *a = r->authorization;
	int st;

	*stale = 0;
	if (strncasecmp(a, "Digest ", 7) != 0)
		return 0;
	a += 7;
	if (param(a, "nonce", nonce, sizeof(nonce)) != 0 ||
	    (st = nonce_state(c, nonce)) < 0)
		return 0;
	if (!response_ok(c, r, a))
		return 0;
	if (st == 0) {
		*stale = 1;
		return 0;
	}
	return 1;
}
