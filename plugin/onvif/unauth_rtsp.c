/*
 * unauth_rtsp.c: the RTSP collector: OPTIONS (CSeq 1) then DESCRIBE
 * (CSeq 2) of rtsp://ADDR:PORT/ on one connection, without credentials.
 * A 401 to either is the answer we want: its realm names the maker, and
 * Uniview's and Axis's carry the MAC.  RTSP keeps the connection open, so
 * a reply is framed by its head and Content-Length, never by the close.
 * Caller's thread.
 */
#include <stdio.h>
#include <string.h>

#include "onvif/unauth_int.h"

static int
format_request(const struct ux_ctx *c, int cseq, char *out, size_t outsz)
{
	int n = snprintf(out, outsz,
	    "%s rtsp://%s:%d/ RTSP/1.0\r\nCSeq: %d\r\n"
	    "User-Agent: camcomply\r\n%s\r\n",
	    cseq == 1 ? "OPTIONS" : "DESCRIBE", c->host, ux_port(c, PROBE_RTSP),
	    cseq, cseq == 1 ? "" : "Accept: application/sdp\r\n");

	return n > 0 && (size_t)n < outsz ? n : -1;
}

/* Send and read one request; a connection closed under us (after the
 * first reply, or idle since the first phase) is reopened once. */
static enum unauth_status
exchange(struct ux_ctx *c, struct ux_conn *cn, int cseq, struct ux_reply *rep)
{
	enum unauth_status st;
	char req[512];
	int n = format_request(c, cseq, req, sizeof(req));

	if (n < 0)
		return UNAUTH_MALFORMED;
	for (int attempt = 0;; attempt++) {
		if (cn->fd < 0 &&
		    (st = ux_open(c, PROBE_RTSP, cn)) != UNAUTH_OK)
			return st;
		st = ux_send(c, cn, req, (size_t)n);
		if (st == UNAUTH_OK)
			st = ux_read_reply(c, cn, "RTSP", false, rep);
		if (st != UNAUTH_REFUSED || attempt == 1 ||
		    (cseq == 1 && !cn->pre))
			return st;
		ux_close(c, cn);
	}
}

void
ux_rtsp_probe(struct ux_ctx *c)
{
	struct ux_conn cn = {.fd = -1};
	struct ux_reply rep;
	enum unauth_status st;

	for (int cseq = 1; cseq <= 2; cseq++) {
		st = exchange(c, &cn, cseq, &rep);
		ux_status(c, PROBE_RTSP, st);
		if (st != UNAUTH_OK)
			break;
		c->id->facts.answered |= CAM_PROBE(PROBE_RTSP);
		ux_head_facts(&rep.head, PROBE_RTSP, true, c->id);
	}
	ux_close(c, &cn);
}
