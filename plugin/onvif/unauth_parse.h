/*
 * unauth_parse.h: the pure parsers behind the HTTP, HTTPS and RTSP
 * collectors (unauth.h): the reply head, chunked bodies, challenge realms,
 * the page title, Dahua's RPC2_Login challenge, and the facts each yields.
 *
 * Pure functions on a buffer: no sockets, no allocation except json-c's
 * for the RPC2 body (freed before return), no global state.  Callable from
 * any thread, and from a fuzzer: every input is untrusted and bounded
 * here, whatever the caller's own caps.
 */
#ifndef CAMCOMPLY_UNAUTH_PARSE_H
#define CAMCOMPLY_UNAUTH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/camera.h"

/* A head with more headers, or a longer line, is refused (malformed). */
#define UX_MAX_HEADERS 64
#define UX_MAX_LINE 4096
/* An RPC2 reply body larger than this is not parsed. */
#define UX_RPC2_MAX 16384
/*
 * Room kept in the fact list for SADP and DHIP (a device's own record of
 * itself, 8 facts at most), whose replies may be read after the TCP
 * collectors ran: until one of them has answered, facts of the other
 * collectors stop short of it.
 */
#define UX_FACTS_RESERVED 8

struct ux_header {
	const char *name, *value; /* into the parsed buffer, not terminated */
	size_t name_len, value_len; /* value: surrounding blanks dropped */
};

struct ux_head {
	int code; /* 100..999 */
	size_t len; /* status line, headers and the blank line */
	size_t n;
	struct ux_header h[UX_MAX_HEADERS];
};

/*
 * Parse the status line ("HTTP/1.x NNN ..." or "RTSP/1.0 NNN ...", as
 * proto says: "HTTP" or "RTSP") and the headers of a reply at buf.  CRLF or
 * bare LF line ends; a folded continuation line and a line without a colon
 * are skipped.  Returns 1 when the head is complete (head->len set), 0 when
 * more bytes are needed, -1 when it is not a reply head (bad status line, a
 * NUL, too many headers, a line over UX_MAX_LINE).
 */
int ux_parse_head(
    const char *buf, size_t len, const char *proto, struct ux_head *head);

/* The next header called name (case-insensitive) at index *from or later;
 * NULL when there is none.  *from moves past the one returned. */
const struct ux_header *ux_header_next(
    const struct ux_head *, const char *name, size_t *from);

/* Content-Length; -1 when absent, not a number below 2^31, or given twice
 * with different values. */
long ux_content_length(const struct ux_head *);
/* The last Transfer-Encoding is chunked. */
bool ux_is_chunked(const struct ux_head *);

/*
 * A chunked body, checked without changing it: *next is where the next
 * chunk-size line starts (0 at first; moved past whole chunks only, so the
 * call can resume as bytes arrive).  Returns 1 when the last chunk was
 * seen, 0 when more bytes are needed, -1 when malformed.
 */
int ux_chunk_scan(const char *buf, size_t len, size_t *next);
/* Decode the whole chunks at buf in place; returns the decoded length. */
size_t ux_dechunk(char *buf, size_t len);

/*
 * The next realm of a WWW-Authenticate value (any scheme, several
 * challenges in one value too), unquoted and unescaped into out.  *pos is
 * where to resume (start at 0).  Returns 1 with a realm, 0 when no more.
 */
int ux_next_realm(
    const char *val, size_t len, size_t *pos, char *out, size_t outsz);
/* The realm names a MAC: 12 hex digits (Uniview), AXIS_<mac>,
 * AXIS_WS_<mac>, iPolis_<mac>.  0 with mac set, else -1. */
int ux_realm_mac(const char *realm, uint8_t mac[6]);

/* The text of the first <title> of an HTML page into out; -1: none. */
int ux_html_title(const char *body, size_t len, char *out, size_t outsz);

/*
 * The facts of one reply head: for HTTP (probe PROBE_HTTP or PROBE_HTTPS)
 * http-server, http-style, http-realm; for RTSP rtsp-server, rtsp-public,
 * rtsp-realm, rtsp-date.  MACs named by a realm go to id->macs.
 */
void ux_head_facts(
    const struct ux_head *, enum cam_probe, bool rtsp, struct cam_identity *);

/*
 * Dahua's RPC2_Login first-step reply (a login challenge): protocol "rpc2",
 * the realm as http-realm, the serial of "Login to <serial>" (not when it is
 * 32 hex digits, newer firmware's opaque id), the MAC.  0 when the body was
 * such a challenge, -1 otherwise (nothing added).
 */
int ux_rpc2_facts(
    const char *body, size_t len, enum cam_probe, struct cam_identity *);

/*
 * A reply body as one JSON object (json-c, strict syntax, nesting at most
 * depth): trailing blanks and NULs are dropped; a body over max bytes, with
 * a NUL inside, or with bytes after the object gives NULL.  The caller
 * puts the object.
 */
struct json_object *ux_json_object(
    const char *body, size_t len, size_t max, int depth);

/* Add a MAC to id->macs unless zero, known or the list is full. */
void ux_add_mac(struct cam_identity *, const uint8_t mac[6]);
/* cam_fact_add() of a NUL-terminated string (UX_FACTS_RESERVED kept). */
void ux_fact(struct cam_identity *, enum cam_fact_kind, enum cam_probe,
    const char *text);

#endif
