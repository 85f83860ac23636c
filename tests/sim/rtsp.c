/*
 * rtsp.c: the camera's RTSP server as a client without credentials sees
 * it (rtsp-port=): OPTIONS and DESCRIBE answered with the statuses,
 * headers, Public list, Date style and Digest realm of the profile
 * (rtsp_* keys; notes, section 4), never a stream.  Credentials sent are
 * captured and refused: the reply stays 401.  Hostile modes: rtsp-drip
 * (headers that never end) and rtsp-huge (an enormous description).
 *
 * One connection per thread (server.c); bytes go through conn.c, which
 * captures them.  No shared state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "camsim.h"
#include "common/strutil.h"

#define HEAD_MAX (16 * 1024) /* one request's headers */
#define BODY_MAX (64 * 1024) /* a request body we read and drop */
#define MAX_REQUESTS 100
#define IDLE_MS 15000
#define READ_MS 10000

static const char *const default_head[] = {"CSeq: @cseq", "Public: @public",
    "WWW-Authenticate: @challenge", "WWW-Authenticate: @challenge2"};

struct rreq {
	char method[32];
	char url[512];
	int cseq;
	char scheme[16]; /* of an Authorization header, or "" */
	long clen;
};

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
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 454:
		return "Session Not Found";
	case 501:
		return "Not Implemented";
	default:
		return status < 500 ? "Client Error" : "Server Error";
	}
}

static void
parse_header(char *line, struct rreq *r)
{
	char *colon = strchr(line, ':'), *v;

	if (colon == NULL)
		return;
	*colon = '\0';
	v = colon + 1 + strspn(colon + 1, " \t");
	if (strcasecmp(line, "CSeq") == 0)
		r->cseq = (int)(strtol(v, NULL, 10) & 0x7fffffff);
	else if (strcasecmp(line, "Content-Length") == 0)
		r->clen = strtol(v, NULL, 10);
	else if (strcasecmp(line, "Authorization") == 0)
		snprintf(r->scheme, sizeof(r->scheme), "%.*s",
		    (int)strcspn(v, " "), v);
}

/* The request line and the headers we use; 0, or -1 if it is not RTSP. */
static int
parse(char *head, struct rreq *r)
{
	char *line, *save, version[16];

	memset(r, 0, sizeof(*r));
	r->cseq = -1;
	line = strtok_r(head, "\r\n", &save);
	if (line == NULL ||
	    sscanf(line, "%31s %511s %15s", r->method, r->url, version) != 3 ||
	    strncmp(version, "RTSP/1.", 7) != 0)
		return -1;
	while ((line = strtok_r(NULL, "\r\n", &save)) != NULL)
		parse_header(line, r);
	return r->clen < 0 || r->clen > BODY_MAX ? -1 : 0;
}

/*
 * Read one request (headers and any body, dropped) from buf[0..*have).
 * 1 with r filled and *used its length, 0 when the peer left or idled,
 * -1 for something that is not an RTSP request.
 */
static int
read_request(
    struct sim_conn *cn, char *buf, size_t *have, struct rreq *r, size_t *used)
{
	char *end, head[HEAD_MAX];
	size_t hlen;
	ssize_t n;

	for (;;) {
		buf[*have] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if (*have >= HEAD_MAX)
			return -1;
		n = conn_recv(cn, buf + *have, HEAD_MAX - *have,
		    *have > 0 ? READ_MS : IDLE_MS);
		if (n <= 0)
			return *have > 0 ? -1 : 0;
		*have += (size_t)n;
	}
	hlen = (size_t)(end - buf) + 4;
	memcpy(head, buf, hlen);
	head[hlen] = '\0';
	if (parse(head, r) != 0)
		return -1;
	*used = hlen;
	/* A body (ANNOUNCE, SET_PARAMETER): read past it, bounded. */
	while (*have < hlen + (size_t)r->clen && *have < HEAD_MAX) {
		n = conn_recv(cn, buf + *have, HEAD_MAX - *have, READ_MS);
		if (n <= 0)
			return 0;
		*have += (size_t)n;
	}
	*used = hlen + (size_t)r->clen < *have ? hlen + (size_t)r->clen : *have;
	return 1;
}

/* What a method gets without (valid) credentials. */
static int
status_of(const struct sim_surface *s, const struct rreq *r)
{
	static const char *const stream[] = {"DESCRIBE", "SETUP", "PLAY",
	    "PAUSE", "TEARDOWN", "GET_PARAMETER", "SET_PARAMETER", "ANNOUNCE",
	    "RECORD"};
	size_t i;

	if (strcmp(r->method, "OPTIONS") == 0)
		return s->rtsp_options;
	for (i = 0; i < sizeof(stream) / sizeof(stream[0]); i++)
		if (strcmp(r->method, stream[i]) == 0)
			return s->rtsp_describe == 200 ? 401 : s->rtsp_describe;
	return s->rtsp_options == 401 ? 401 : 501;
}

static void
challenges(const struct sim_camera *c, char *ch, char *ch2, size_t size)
{
	const struct sim_surface *s = &c->spec->prof.surf;
	struct xvars v = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1};
	char realm[128];

	expand(c, NULL,
	    s->rtsp_realm[0] != '\0'	   ? s->rtsp_realm
		: s->http_realm[0] != '\0' ? s->http_realm
					   : c->spec->prof.realm,
	    realm, sizeof(realm));
	v.realm = realm;
	expand(c, &v,
	    s->rtsp_challenge[0] != '\0'
		? s->rtsp_challenge
		: "Digest realm=\"@realm\", nonce=\"@nonce\"",
	    ch, size);
	expand(c, &v, s->rtsp_challenge2, ch2, size);
}

/* Status line and the profile's headers; a header left empty is dropped. */
static int
send_reply(struct sim_conn *cn, const struct rreq *r, int status)
{
	const struct sim_camera *c = cn->cam;
	const struct sim_surface *s = &c->spec->prof.surf;
	char ch[SIM_STR], ch2[SIM_STR], line[1024], head[4096], *colon;
	struct xvars v = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1};
	struct sbuf b = {head, 0, sizeof(head), 0};
	int i,
	    n = s->nrtsp_head > 0
	    ? s->nrtsp_head
	    : (int)(sizeof(default_head) / sizeof(default_head[0]));

	ch[0] = ch2[0] = '\0';
	if (status == 401)
		challenges(c, ch, ch2, sizeof(ch));
	v.challenge = ch;
	v.challenge2 = ch2;
	v.cseq = r->cseq;
	v.date_fmt = s->rtsp_date[0] != '\0' ? s->rtsp_date : NULL;
	if (status == 200 && strcmp(r->method, "OPTIONS") == 0)
		v.public_methods = s->rtsp_public;
	sb_printf(&b, "RTSP/1.0 %d %s\r\n", status, reason(status));
	for (i = 0; i < n; i++) {
		expand(c, &v,
		    s->nrtsp_head > 0 ? s->rtsp_head[i] : default_head[i], line,
		    sizeof(line));
		colon = strchr(line, ':');
		if (colon != NULL && colon[1 + strspn(colon + 1, " ")] == '\0')
			continue;
		sb_printf(&b, "%s\r\n", line);
	}
	sb_puts(&b, "\r\n");
	return b.over ? -1 : conn_send_all(cn, head, b.len);
}

/* rtsp-drip: a status line, then header bytes every drip-ms, no end. */
static void
drip(struct sim_conn *cn, const struct rreq *r)
{
	static const char line[] = "X-Drip: a\r\n";
	char head[64];
	size_t i;
	int n;

	n = snprintf(head, sizeof(head), "RTSP/1.0 200 OK\r\nCSeq: %d\r\n",
	    r->cseq < 0 ? 0 : r->cseq);
	if (conn_send_all(cn, head, (size_t)n) != 0)
		return;
	for (i = 0;; i = (i + 1) % (sizeof(line) - 1))
		if (conn_send_all(cn, line + i, 1) != 0 ||
		    conn_pause(cn, cn->cam->spec->drip_ms) != 0)
			return;
}

/* rtsp-huge: a description of huge-mb MB, then the connection closes. */
static void
huge(struct sim_conn *cn, const struct rreq *r)
{
	char head[256];
	int n;

	n = snprintf(head, sizeof(head),
	    "RTSP/1.0 200 OK\r\nCSeq: %d\r\nContent-Type: application/sdp\r\n"
	    "Content-Length: %ld\r\n\r\n",
	    r->cseq < 0 ? 0 : r->cseq, cn->cam->spec->huge_bytes);
	if (conn_send_all(cn, head, (size_t)n) == 0)
		fault_stream_filler(cn, "v=0\r\ns=", cn->cam->spec->huge_bytes);
}

/* Serve RTSP requests on cn until the peer leaves (connection thread). */
void
rtsp_serve(struct sim_conn *cn)
{
	struct sim_camera *c = cn->cam;
	char buf[HEAD_MAX + 1], url[80];
	size_t have = 0, used;
	struct rreq r;
	int i, rc, status;

	for (i = 0; i < MAX_REQUESTS && !sim_stopping; i++) {
		if ((rc = read_request(cn, buf, &have, &r, &used)) <= 0) {
			if (rc < 0)
				sim_log(c, "rtsp: not an RTSP request: closed");
			return;
		}
		sim_clean(r.url, strlen(r.url), url, sizeof(url));
		if (c->spec->fault == SIM_FAULT_RTSP_DRIP ||
		    c->spec->fault == SIM_FAULT_RTSP_HUGE) {
			sim_log(c, "rtsp: %s %s fault=%s", r.method, url,
			    fault_name(c->spec->fault));
			if (c->spec->fault == SIM_FAULT_RTSP_DRIP)
				drip(cn, &r);
			else
				huge(cn, &r);
			return;
		}
		status = status_of(&c->spec->prof.surf, &r);
		sim_log(c, "rtsp: %s %s status=%d auth=%s%s", r.method, url,
		    status, r.scheme[0] != '\0' ? "refused-" : "-", r.scheme);
		if (send_reply(cn, &r, status) != 0)
			return;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
}
