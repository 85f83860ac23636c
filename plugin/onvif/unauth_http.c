/*
 * unauth_http.c: the HTTP and HTTPS collectors.
 *
 * What they send, all of it: GET / ; one GET per maker family on a path
 * that answers 401 with the family's realm (or a page) without
 * credentials; and Dahua's RPC2_Login first step, whose password is the
 * empty string by design of that protocol (the reply is a challenge that
 * carries the serial and the MAC).  Never a second login step, never an
 * Authorization header, never a password, never Basic: no credential is
 * within reach of this file.  HTTP/1.1, one request per connection
 * (Connection: close), so every reply is framed by the peer closing even
 * when its Content-Length lies.  Caller's thread.
 */
#include <stdio.h>
#include <string.h>

#include "onvif/unauth_int.h"

/* The first step of Dahua's web login: user name, empty password. */
#define RPC2_LOGIN_BODY                                                        \
	"{\"method\":\"global.login\",\"params\":{\"userName\":\"admin\","     \
	"\"password\":\"\",\"clientType\":\"Web3.0\","                         \
	"\"loginType\":\"Direct\"},\"id\":1}"

struct http_req {
	const char *method, *path, *body;
};

static const struct http_req http_reqs[] = {
    {"GET", "/", NULL},
    {"GET", "/ISAPI/System/deviceInfo", NULL}, /* Hikvision */
    {"GET", "/cgi-bin/magicBox.cgi?action=getSystemInfo", NULL}, /* Dahua */
    {"GET", "/LAPI/V1.0/System/DeviceBasicInfo", NULL}, /* Uniview */
    {"GET", "/axis-cgi/basicdeviceinfo.cgi", NULL}, /* Axis */
    {"GET", "/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view",
	NULL}, /* Hanwha */
    {"POST", "/RPC2_Login", RPC2_LOGIN_BODY}, /* Dahua, first step */
};
#define N_REQS (sizeof(http_reqs) / sizeof(http_reqs[0]))

static int
format_request(const struct ux_ctx *c, enum cam_probe p,
    const struct http_req *rq, char *out, size_t outsz)
{
	int port = ux_port(c, p), dflt = p == PROBE_HTTPS ? 443 : 80;
	char host[sizeof(c->host) + 8];
	int n;

	if (port == dflt)
		snprintf(host, sizeof(host), "%s", c->host);
	else
		snprintf(host, sizeof(host), "%s:%d", c->host, port);
	if (rq->body == NULL)
		n = snprintf(out, outsz,
		    "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: camcomply\r\n"
		    "Accept: */*\r\nConnection: close\r\n\r\n",
		    rq->method, rq->path, host);
	else
		n = snprintf(out, outsz,
		    "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: camcomply\r\n"
		    "Accept: */*\r\nConnection: close\r\n"
		    "Content-Type: application/json\r\n"
		    "Content-Length: %zu\r\n\r\n%s",
		    rq->method, rq->path, host, strlen(rq->body), rq->body);
	return n > 0 && (size_t)n < outsz ? n : -1;
}

/*
 * One request on its own connection.  A connection the first phase opened
 * may have been closed by the camera while it idled: a fast failure there
 * is tried once more on a new one.
 */
static enum unauth_status
one_request(struct ux_ctx *c, enum cam_probe p, const struct http_req *rq,
    struct ux_reply *rep)
{
	enum unauth_status st;
	struct ux_conn cn;
	char req[1024];
	int n = format_request(c, p, rq, req, sizeof(req));
	bool pre;

	if (n < 0)
		return UNAUTH_MALFORMED;
	for (int attempt = 0; attempt < 2; attempt++) {
		st = ux_open(c, p, &cn);
		pre = cn.pre;
		if (st == UNAUTH_OK)
			st = ux_send(c, &cn, req, (size_t)n);
		if (st == UNAUTH_OK)
			st = ux_read_reply(c, &cn, "HTTP", true, rep);
		ux_close(c, &cn);
		if (!pre || (st != UNAUTH_REFUSED && st != UNAUTH_TLS_ERROR))
			break;
	}
	return st;
}

static void
page_facts(
    struct ux_ctx *c, enum cam_probe p, size_t i, const struct ux_reply *rep)
{
	const struct unauth_opts *o = c->o;
	char title[CAM_FACT_MAX];
	size_t k, mlen;

	ux_head_facts(&rep->head, p, false, c->id);
	if (i == 0 &&
	    ux_html_title(rep->body, rep->body_len, title, sizeof(title)) == 0)
		ux_fact(c->id, FACT_HTTP_TITLE, p, title);
	for (k = 0; o->markers != NULL && k < o->n_markers; k++) {
		if (o->markers[k] == NULL ||
		    (mlen = strlen(o->markers[k])) == 0)
			continue;
		if (memmem(rep->body, rep->body_len, o->markers[k], mlen))
			ux_fact(c->id, FACT_HTTP_MARKER, p, o->markers[k]);
	}
	if (http_reqs[i].body != NULL)
		(void)ux_rpc2_facts(rep->body, rep->body_len, p, c->id);
}

/* The TLS collector alone: one handshake for the certificate. */
static void
tls_only(struct ux_ctx *c)
{
	struct ux_conn cn;
	enum unauth_status st = ux_open(c, PROBE_HTTPS, &cn);

	if (st == UNAUTH_OK)
		ux_close(c, &cn);
	else
		ux_status(c, PROBE_HTTPS, st);
}

void
ux_http_probe(struct ux_ctx *c, enum cam_probe p)
{
	struct ux_reply rep;
	enum unauth_status st;
	size_t i;

	if (!ux_wants(c, p)) {
		tls_only(c);
		return;
	}
	for (i = 0; i < N_REQS; i++) {
		if (ux_expired(c)) {
			ux_status(c, p, UNAUTH_SILENT);
			break;
		}
		st = one_request(c, p, &http_reqs[i], &rep);
		ux_status(c, p, st);
		if (st == UNAUTH_OK) {
			c->id->facts.answered |= CAM_PROBE(p);
			page_facts(c, p, i, &rep);
			continue;
		}
		/* Nobody there, or not speaking TLS: no point asking more. */
		if (st != UNAUTH_MALFORMED)
			break;
	}
}
