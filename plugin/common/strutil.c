/*
 * strutil.c: string helpers for untrusted input (camera replies, scopes,
 * MAC spellings).  Pure functions, callable from any thread.
 */

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/strutil.h"

size_t
str_lcpy(char *dst, const char *src, size_t dstsz)
{
	size_t len = strlen(src);

	if (dstsz > 0) {
		size_t n = len < dstsz - 1 ? len : dstsz - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
utf8_seq_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and out-of-range code points. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls are as unwelcome in a MIB string as C0 ones. */
	if (cp >= 0x80 && cp < 0xa0)
		return 0;
	/*
	 * Bidirectional formatting (LRM, RLM, ALM, the embeddings, overrides
	 * and isolates): a camera's name holding U+202E would show an
	 * operator's table or report reversed from that point.
	 */
	if (cp == 0x200e || cp == 0x200f || cp == 0x61c ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return n;
}

char *
str_clean(char *dst, size_t dstsz, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, n;

	if (dstsz == 0)
		return dst;
	dst[0] = '\0';
	if (src == NULL)
		return dst;
	while (*s != '\0' && isspace(*s))
		s++;
	while (*s != '\0') {
		n = utf8_seq_len(s);
		if (n == 0 || (n == 1 && (*s < 0x20 || *s == 0x7f))) {
			/* Tabs and newlines fold to a space, the rest to '?'.
			 */
			char c = (*s == '\t' || *s == '\n' || *s == '\r') ? ' '
									  : '?';
			if (o + 1 >= dstsz)
				break;
			dst[o++] = c;
			/* One '?' per broken sequence, not per byte. */
			s++;
			while (n == 0 && (*s & 0xc0) == 0x80)
				s++;
			continue;
		}
		if (o + n >= dstsz)
			break;
		memcpy(dst + o, s, n);
		o += n;
		s += n;
	}
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
	return dst;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
str_parse_mac(const char *s, uint8_t mac[6])
{
	int digits[12];
	size_t nd = 0;
	const char *p;

	if (s == NULL)
		return -1;
	for (p = s; *p != '\0'; p++) {
		int v = hexval((unsigned char)*p);
		if (v >= 0) {
			if (nd == 12)
				return -1;
			digits[nd++] = v;
		} else if (*p != ':' && *p != '-' && *p != '.')
			return -1;
	}
	if (nd != 12)
		return -1;
	for (nd = 0; nd < 6; nd++)
		mac[nd] = (uint8_t)(digits[2 * nd] << 4 | digits[2 * nd + 1]);
	return 0;
}

char *
str_format_mac(const uint8_t mac[6], char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

char *
str_pct_decode(char *dst, size_t dstsz, const char *src)
{
	size_t o = 0;

	if (dstsz == 0)
		return dst;
	while (*src != '\0' && o + 1 < dstsz) {
		int hi, lo;

		if (src[0] == '%' &&
		    (hi = hexval((unsigned char)src[1])) >= 0 &&
		    (lo = hexval((unsigned char)src[2])) >= 0) {
			dst[o++] = (char)(hi << 4 | lo);
			src += 3;
		} else
			dst[o++] = *src++;
	}
	dst[o] = '\0';
	return dst;
}

int
str_parse_sha256(const char *hex, uint8_t out[32])
{
	unsigned v;
	size_t i, j = 0;

	/* Colons between the pairs are allowed: openssl prints them so. */
	for (i = 0; j < 32; j++) {
		if (sscanf(hex + i, "%2x", &v) != 1 ||
		    !isxdigit((unsigned char)hex[i]) ||
		    !isxdigit((unsigned char)hex[i + 1]))
			return -1;
		out[j] = (uint8_t)v;
		i += 2;
		if (hex[i] == ':' && j < 31)
			i++;
	}
	return hex[i] == '\0' ? 0 : -1;
}

char *
str_format_sha256(const uint8_t sha[32], char *buf, size_t bufsz)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < 32 && 2 * i + 2 < bufsz; i++)
		snprintf(buf + 2 * i, bufsz - 2 * i, "%02x", sha[i]);
	return buf;
}

int
str_parse_ports(const char *s, uint16_t *out, size_t max)
{
	size_t n = 0, i;
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	for (;;) {
		if (*s < '0' || *s > '9')
			return -1;
		v = strtol(s, &end, 10);
		if (v < 1 || v > 65535 || n >= max)
			return -1;
		for (i = 0; i < n; i++)
			if (out[i] == (uint16_t)v)
				return -1;
		out[n++] = (uint16_t)v;
		if (*end == '\0')
			return (int)n;
		if (*end != ',' || end[1] == '\0')
			return -1;
		s = end + 1;
	}
}
