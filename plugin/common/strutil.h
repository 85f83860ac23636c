/*
 * strutil.h: small string helpers shared by every module.
 *
 * Pure functions, callable from any thread.
 */
#ifndef CAMCOMPLY_STRUTIL_H
#define CAMCOMPLY_STRUTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copy untrusted text into dst (size dstsz, at most 255 bytes used when
 * dstsz is CAM_STR_MAX): invalid UTF-8 and control characters become '?',
 * leading and trailing white space is dropped, and the cut never splits a
 * UTF-8 sequence.  NULL src gives "".  Returns dst.
 */
char *str_clean(char *dst, size_t dstsz, const char *src);

/* strlcpy semantics: always NUL-terminates, returns strlen(src). */
size_t str_lcpy(char *dst, const char *src, size_t dstsz);

/*
 * Parse a MAC in the spellings cameras use (aa:bb:cc:dd:ee:ff,
 * AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff, aabbccddeeff).  Returns 0 on success.
 */
int str_parse_mac(const char *s, uint8_t mac[6]);

/* "aa:bb:cc:dd:ee:ff" into buf (at least 18 bytes). */
char *str_format_mac(const uint8_t mac[6], char *buf, size_t bufsz);

/* Percent-decode src into dst; invalid escapes are kept as they are. */
char *str_pct_decode(char *dst, size_t dstsz, const char *src);

/*
 * A SHA-256 in 64 hex digits (colons between the pairs allowed, as openssl
 * prints fingerprints) into out[32]; 0, or -1 if it is not one.
 */
int str_parse_sha256(const char *hex, uint8_t out[32]);
/* 64 lowercase hex digits into buf (at least 65 bytes). */
char *str_format_sha256(const uint8_t sha[32], char *buf, size_t bufsz);

/*
 * A list of TCP ports, "34567" or "34567,9527": each 1..65535, no
 * repeats, at most max of them, comma-separated without spaces or a
 * trailing comma.  Their count, or -1 when it is not such a list.
 */
int str_parse_ports(const char *s, uint16_t *out, size_t max);

#endif
