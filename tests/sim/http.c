/*
 * http.c: the simulator's own HTTP/1.1 layer: reads one request with
 * bounds and timeouts, and writes a reply the way the camera's fault mode
 * says (dripped, cut, chunked, with a lying Content-Length, or not at all).
 *
 * Called from connection threads only; no shared state.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strcasestr */
#endif
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "camsim.h"
#include "strutil.h"

#define HEADER_MAX (32 * 1024)
#define BODY_MAX (1024 * 1024)
#define IDLE_MS 15000 /* between requests on one connection */
#define READ_MS 10000 /* between two pieces of one request */
#define CHUNK 700 /* chunk size of fault=chunked */

/* 1 readable, 0 timed out, -1 stopping or error. */
static int
wait_readable(int fd, int ms)
{
	struct pollfd pfd[2];
	int rc;

	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = sim_stop_fd;
	pfd[1].events = POLLIN;
	do {
		rc = poll(pfd, 2, ms);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0 || (pfd[1].revents & POLLIN))
		return -1;
	return rc > 0;
}

/* Read more bytes into *bufp; returns bytes read, 0 on EOF, -1 on error. */
static ssize_t
fill(int fd, char **bufp, size_t *capp, size_t *havep, int ms)
{
	char *nb;
	ssize_t n;

	if (wait_readable(fd, ms) != 1)
		return -1;
	if (*capp - *havep < 4096) {
		if ((nb = realloc(*bufp, *capp * 2 + 8192)) == NULL)
			return -1;
		*bufp = nb;
		*capp = *capp * 2 + 8192;
	}
	do {
		n = recv(fd, *bufp + *havep, *capp - *havep - 1, 0);
	} while (n < 0 && errno == EINTR);
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
http_read_request(
    int fd, char **bufp, size_t *capp, size_t *havep, struct sim_req *r)
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
		if (fill(fd, bufp, capp, havep, *havep ? READ_MS : IDLE_MS) <=
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
		http_send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	while (*havep < hlen + (size_t)clen)
		if (fill(fd, bufp, capp, havep, READ_MS) <= 0)
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

int
http_send_all(int fd, const void *p, size_t len)
{
	const char *s = p;
	ssize_t n;

	while (len > 0) {
		n = send(fd, s, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Hold the connection open, silent, until the peer closes or we stop. */
void
http_wait_close(int fd)
{
	char sink[4096];

	while (wait_readable(fd, -1) == 1)
		if (recv(fd, sink, sizeof(sink), 0) <= 0)
			break;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
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
	    rep->status, reason(rep->status), rep->status, reason(rep->status));
	rep->body = strndup(page, (size_t)n);
	rep->len = rep->body != NULL ? (size_t)n : 0;
}

/* Content-Length "-1" writes Transfer-Encoding: chunked instead. */
static int
send_head(int fd, const struct sim_reply *rep, long clen, int keep)
{
	char head[1024];
	const char *ctype;
	int n;

	ctype = rep->html ? "text/html"
	    : rep->soap11 ? "text/xml; charset=utf-8"
			  : "application/soap+xml; charset=utf-8";
	n = snprintf(head, sizeof(head),
	    "HTTP/1.1 %d %s\r\n"
	    "Server: camsim\r\nContent-Type: %s\r\n",
	    rep->status, reason(rep->status), ctype);
	if (clen < 0)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Transfer-Encoding: chunked\r\n");
	else
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Content-Length: %ld\r\n", clen);
	if (rep->challenge[0] != '\0')
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "WWW-Authenticate: %s\r\n", rep->challenge);
	n += snprintf(head + n, sizeof(head) - (size_t)n,
	    "Connection: %s\r\n\r\n", keep ? "keep-alive" : "close");
	if (n >= (int)sizeof(head))
		return -1;
	return http_send_all(fd, head, (size_t)n);
}

static int
send_chunked(int fd, const struct sim_reply *rep, int keep)
{
	char line[32];
	size_t off, n;

	if (send_head(fd, rep, -1, keep) != 0)
		return -1;
	for (off = 0; off < rep->len; off += n) {
		n = rep->len - off < CHUNK ? rep->len - off : CHUNK;
		snprintf(line, sizeof(line), "%zx\r\n", n);
		if (http_send_all(fd, line, strlen(line)) != 0 ||
		    http_send_all(fd, rep->body + off, n) != 0 ||
		    http_send_all(fd, "\r\n", 2) != 0)
			return -1;
	}
	return http_send_all(fd, "0\r\n\r\n", 5);
}

/* The whole reply, headers included, one byte per drip_ms. */
static void
send_drip(int fd, const struct sim_camera *cam, const struct sim_reply *rep)
{
	char head[1024];
	size_t i;
	int n;

	n = snprintf(head, sizeof(head),
	    "HTTP/1.1 %d %s\r\nContent-Type: "
	    "%s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
	    rep->status, reason(rep->status),
	    rep->soap11 ? "text/xml" : "application/soap+xml", rep->len);
	for (i = 0; i < (size_t)n + rep->len; i++) {
		if (http_send_all(fd,
			i < (size_t)n ? head + i : rep->body + i - (size_t)n,
			1) != 0)
			return;
		if (wait_readable(sim_stop_fd, cam->drip_ms) != 0)
			return;
	}
}

/*
 * Write rep to fd.  Returns 1 if the connection may serve another
 * request, 0 if it must be closed.
 */
int
http_send_reply(int fd, struct sim_camera *cam, struct sim_reply *rep, int keep)
{
	enum sim_fault f = rep->faulty ? cam->fault : SIM_FAULT_NONE;

	keep = keep && !rep->close;
	if (rep->body == NULL)
		default_body(rep);
	switch (f) {
	case SIM_FAULT_NO_ANSWER:
		http_wait_close(fd);
		return 0;
	case SIM_FAULT_SLOW_DRIP:
		send_drip(fd, cam, rep);
		return 0;
	case SIM_FAULT_CLOSE_MID_REPLY:
		if (send_head(fd, rep, (long)rep->len, 0) == 0)
			http_send_all(fd, rep->body, rep->len / 2);
		return 0;
	case SIM_FAULT_SHORT_BODY:
	case SIM_FAULT_SHORT_BODY_KEEP:
		if (send_head(fd, rep, (long)rep->len + 64, 0) == 0 &&
		    http_send_all(fd, rep->body, rep->len) == 0 &&
		    f == SIM_FAULT_SHORT_BODY_KEEP)
			http_wait_close(fd);
		return 0;
	case SIM_FAULT_HUGE_BODY:
		if (send_head(fd, rep, cam->huge_bytes, 0) == 0)
			fault_stream_huge(fd, cam);
		return 0;
	case SIM_FAULT_CHUNKED:
		return send_chunked(fd, rep, keep) == 0 && keep;
	default:
		if (send_head(fd, rep, (long)rep->len, keep) != 0 ||
		    http_send_all(fd, rep->body, rep->len) != 0)
			return 0;
		return keep;
	}
}
