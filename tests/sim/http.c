/*
 * http.c: the simulator's own HTTP/1.1 layer: reads one request with
 * bounds and timeouts, and writes a reply the way the camera's fault mode
 * says (dripped, cut, chunked, with a lying Content-Length, headers that
 * never end, or not at all).  Bytes go through conn.c, so the same code
 * serves HTTP and HTTPS.
 *
 * Called from connection threads only; no shared state.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strcasestr */
#endif
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "camsim.h"
#include "common/strutil.h"

#define HEADER_MAX (32 * 1024)
#define BODY_MAX (1024 * 1024)
#define IDLE_MS 15000 /* between requests on one connection */
#define READ_MS 10000 /* between two pieces of one request */
#define CHUNK 700 /* chunk size of fault=chunked */

/* Read more bytes into *bufp; returns bytes read, <= 0 if none came. */
static ssize_t
fill(struct sim_conn *cn, char **bufp, size_t *capp, size_t *havep, int ms)
{
	char *nb;
	ssize_t n;

	if (*capp - *havep < 4096) {
		if ((nb = realloc(*bufp, *capp * 2 + 8192)) == NULL)
			return -1;
		*bufp = nb;
		*capp = *capp * 2 + 8192;
	}
	n = conn_recv(cn, *bufp + *havep, *capp - *havep - 1, ms);
	if (n > 0)
		*havep += (size_t)n;
	return n;
}

static void
header_value(char *dst, size_t dstsz, const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	str_lcpy(dst, v, dstsz);
}

/* Parse the request line and the headers we use; 0 or -HTTP status. */
static int
parse_head(char *head, struct sim_req *r, long *clen, int *chunked, int *expect)
{
	char *line, *save, *colon, version[16];
	int http11;

	line = strtok_r(head, "\r\n", &save);
	if (line == NULL ||
	    sscanf(line, "%15s %255s %15s", r->method, r->path, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7) != 0)
		return -400;
	http11 = strcmp(version, "HTTP/1.1") == 0;
	r->http10 = strcmp(version, "HTTP/1.0") == 0;
	r->keep_alive = http11;
	*clen = -1;
	while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
		if ((colon = strchr(line, ':')) == NULL)
			return -400;
		*colon++ = '\0';
		if (strcasecmp(line, "Content-Length") == 0)
			*clen = strtol(colon, NULL, 10);
		else if (strcasecmp(line, "Transfer-Encoding") == 0)
			*chunked = strcasestr(colon, "chunked") != NULL;
		else if (strcasecmp(line, "Content-Type") == 0)
			header_value(
			    r->content_type, sizeof(r->content_type), colon);
		else if (strcasecmp(line, "SOAPAction") == 0)
			header_value(
			    r->soapaction, sizeof(r->soapaction), colon);
		else if (strcasecmp(line, "Authorization") == 0)
			header_value(
			    r->authorization, sizeof(r->authorization), colon);
		else if (strcasecmp(line, "Expect") == 0)
			*expect = strcasestr(colon, "100-continue") != NULL;
		else if (strcasecmp(line, "Connection") == 0)
			r->keep_alive = strcasestr(colon, "close") ? 0
			    : strcasestr(colon, "keep-alive")	   ? 1
								   : http11;
	}
	return 0;
}

/*
 * Read one request into *bufp (which may already hold bytes of it).
 * Returns 1 with r filled (r->body malloc'ed), 0 when the peer went away
 * or idled out between requests, or -STATUS for a request we refuse.
 */
int
http_read_request(struct sim_conn *cn, char **bufp, size_t *capp, size_t *havep,
    struct sim_req *r)
{
	char *end, *head;
	size_t hlen;
	long clen;
	int chunked = 0, expect = 0, rc;

	while (*bufp == NULL ||
	    (*(*bufp + *havep) = '\0',
		(end = strstr(*bufp, "\r\n\r\n")) == NULL)) {
		if (*havep >= HEADER_MAX)
			return -431;
		if (fill(cn, bufp, capp, havep, *havep ? READ_MS : IDLE_MS) <=
		    0)
			return *havep ? -400 : 0;
	}
	hlen = (size_t)(end - *bufp) + 4;
	if ((head = strndup(*bufp, hlen)) == NULL)
		return -500;
	rc = parse_head(head, r, &clen, &chunked, &expect);
	free(head);
	if (rc != 0)
		return rc;
	if (chunked)
		return -411;
	if (clen > BODY_MAX)
		return -413;
	if (clen < 0)
		clen = 0;
	if (expect && *havep < hlen + (size_t)clen)
		conn_send_all(cn, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	while (*havep < hlen + (size_t)clen)
		if (fill(cn, bufp, capp, havep, READ_MS) <= 0)
			return 0;
	if ((r->body = malloc((size_t)clen + 1)) == NULL)
		return -500;
	memcpy(r->body, *bufp + hlen, (size_t)clen);
	r->body[clen] = '\0';
	r->body_len = (size_t)clen;
	r->raw = *bufp;
	r->raw_len = r->used = hlen + (size_t)clen;
	return 1;
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 411:
		return "Length Required";
	case 413:
		return "Payload Too Large";
	case 415:
		return "Unsupported Media Type";
	case 431:
		return "Request Header Fields Too Large";
	default:
		return status < 500 ? "Error" : "Internal Server Error";
	}
}

static void
default_body(struct sim_reply *rep)
{
	char page[256];
	int n;

	n = snprintf(page, sizeof(page),
	    "<html><head><title>%d %s</title>"
	    "</head><body><h1>%d %s</h1></body></html>\n",
	    rep->status, http_reason(rep->status), rep->status,
	    http_reason(rep->status));
	rep->body = strndup(page, (size_t)n);
	rep->len = rep->body != NULL ? (size_t)n : 0;
}

/*
 * Content-Length "-1" writes Transfer-Encoding: chunked instead.  The
 * head is held for the body that follows (conn_send_more), except where
 * a fault mode wants it on the wire on its own.
 */
static int
send_head_as(struct sim_conn *cn, const struct sim_reply *rep, long clen,
    int keep, int more)
{
	char head[2048];
	const char *ctype;
	int n;

	ctype = rep->html ? "text/html"
	    : rep->soap11 ? "text/xml; charset=utf-8"
			  : "application/soap+xml; charset=utf-8";
	n = snprintf(head, sizeof(head),
	    "HTTP/1.1 %d %s\r\n"
	    "Server: camsim\r\nContent-Type: %s\r\n",
	    rep->status, http_reason(rep->status), ctype);
	if (clen < 0)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Transfer-Encoding: chunked\r\n");
	else
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Content-Length: %ld\r\n", clen);
	if (rep->challenge[0] != '\0')
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "WWW-Authenticate: %s\r\n", rep->challenge);
	if (rep->challenge2[0] != '\0')
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "WWW-Authenticate: %s\r\n", rep->challenge2);
	n += snprintf(head + n, sizeof(head) - (size_t)n,
	    "Connection: %s\r\n\r\n", keep ? "keep-alive" : "close");
	if (n >= (int)sizeof(head))
		return -1;
	return more ? conn_send_more(cn, head, (size_t)n)
		    : conn_send_all(cn, head, (size_t)n);
}

static int
send_head(struct sim_conn *cn, const struct sim_reply *rep, long clen, int keep)
{
	return send_head_as(cn, rep, clen, keep, 0);
}

static int
send_chunked(struct sim_conn *cn, const struct sim_reply *rep, int keep)
{
	char line[32];
	size_t off, n;

	if (send_head(cn, rep, -1, keep) != 0)
		return -1;
	for (off = 0; off < rep->len; off += n) {
		n = rep->len - off < CHUNK ? rep->len - off : CHUNK;
		snprintf(line, sizeof(line), "%zx\r\n", n);
		if (conn_send_all(cn, line, strlen(line)) != 0 ||
		    conn_send_all(cn, rep->body + off, n) != 0 ||
		    conn_send_all(cn, "\r\n", 2) != 0)
			return -1;
	}
	return conn_send_all(cn, "0\r\n\r\n", 5);
}

/* The whole reply, headers included, one byte per drip_ms. */
static void
send_drip(struct sim_conn *cn, const struct sim_reply *rep)
{
	char head[1024];
	size_t i;
	int n;

	n = snprintf(head, sizeof(head),
	    "HTTP/1.1 %d %s\r\nContent-Type: "
	    "%s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
	    rep->status, http_reason(rep->status),
	    rep->soap11 ? "text/xml" : "application/soap+xml", rep->len);
	for (i = 0; i < (size_t)n + rep->len; i++) {
		if (conn_send_all(cn,
			i < (size_t)n ? head + i : rep->body + i - (size_t)n,
			1) != 0)
			return;
		if (conn_pause(cn, cn->cam->spec->drip_ms) != 0)
			return;
	}
}

/*
 * fault=header-drip: a status line, then header lines one byte every
 * drip_ms, never the blank line that ends them, until the peer closes.
 */
static void
header_drip(struct sim_conn *cn)
{
	static const char status[] = "HTTP/1.1 200 OK\r\n";
	static const char line[] = "X-Drip: a\r\n";
	size_t i;

	if (conn_send_all(cn, status, sizeof(status) - 1) != 0)
		return;
	for (i = 0;; i = (i + 1) % (sizeof(line) - 1))
		if (conn_send_all(cn, line + i, 1) != 0 ||
		    conn_pause(cn, cn->cam->spec->drip_ms) != 0)
			return;
}

/*
 * Write rep to fd.  Returns 1 if the connection may serve another
 * request, 0 if it must be closed.
 */
int
http_send_reply(struct sim_conn *cn, struct sim_reply *rep, int keep)
{
	enum sim_fault f = rep->faulty ? cn->cam->spec->fault : SIM_FAULT_NONE;

	keep = keep && !rep->close;
	if (rep->surface)
		return web_send(cn, rep, keep);
	if (rep->body == NULL)
		default_body(rep);
	switch (f) {
	case SIM_FAULT_NO_ANSWER:
		conn_wait_close(cn);
		return 0;
	case SIM_FAULT_SLOW_DRIP:
		send_drip(cn, rep);
		return 0;
	case SIM_FAULT_HEADER_DRIP:
		header_drip(cn);
		return 0;
	case SIM_FAULT_CLOSE_MID_REPLY:
		if (send_head(cn, rep, (long)rep->len, 0) == 0)
			conn_send_all(cn, rep->body, rep->len / 2);
		return 0;
	case SIM_FAULT_SHORT_BODY:
	case SIM_FAULT_SHORT_BODY_KEEP:
		if (send_head(cn, rep, (long)rep->len + 64, 0) == 0 &&
		    conn_send_all(cn, rep->body, rep->len) == 0 &&
		    f == SIM_FAULT_SHORT_BODY_KEEP)
			conn_wait_close(cn);
		return 0;
	case SIM_FAULT_HUGE_BODY:
		if (send_head(cn, rep, cn->cam->spec->huge_bytes, 0) == 0)
			fault_stream_huge(cn);
		return 0;
	case SIM_FAULT_CHUNKED:
		return send_chunked(cn, rep, keep) == 0 && keep;
	default:
		if (send_head_as(cn, rep, (long)rep->len, keep, rep->len > 0) !=
			0 ||
		    conn_send_all(cn, rep->body, rep->len) != 0)
			return 0;
		return keep;
	}
}
