/*
 * unauth.c: the collectors' driver (unauth.h): one call probes one camera
 * with what it tells anyone who asks, under one deadline.
 *
 * Order: the first phase sends the SADP and DHIP datagrams and starts
 * every TCP connection at once (unauth_net.c), the private ports'
 * connect-only ones included (done there: connected is all they say), so
 * a camera that drops
 * everything costs one connect timeout, not one per collector; then RTSP,
 * HTTP and HTTPS run one after another on the caller's thread (simplest,
 * and each blocking exchange is held to the deadline by the ONVIF
 * client's watchdog, TLS handshake included); last, the UDP replies that
 * queued meanwhile are read until the UDP wait is over.  Nothing here
 * holds a credential: the options carry none.  Any thread; each call owns
 * its sockets and shares only the watchdog thread.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "onvif/unauth_int.h"
#include "common/strutil.h"

static const char *const status_names[UNAUTH_STATUS_COUNT] = {
    [UNAUTH_NOT_TRIED] = "not-tried",
    [UNAUTH_OK] = "ok",
    [UNAUTH_SILENT] = "silent",
    [UNAUTH_REFUSED] = "refused",
    [UNAUTH_MALFORMED] = "malformed",
    [UNAUTH_TLS_ERROR] = "tls-error",
};

const char *
unauth_status_name(enum unauth_status s)
{
	if ((int)s < 0 || s >= UNAUTH_STATUS_COUNT)
		return "?";
	return status_names[s];
}

void
unauth_opts_init(struct unauth_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->probes = CAM_PROBE(PROBE_SADP) | CAM_PROBE(PROBE_DHIP) |
	    CAM_PROBE(PROBE_HTTP) | CAM_PROBE(PROBE_HTTPS) |
	    CAM_PROBE(PROBE_RTSP) | CAM_PROBE(PROBE_TLS) |
	    CAM_PROBE(PROBE_PORTS);
	o->connect_timeout_ms = 3000;
	o->io_timeout_ms = 3000;
	o->deadline_ms = 10000;
	o->max_reply = UX_DEFAULT_MAX_REPLY;
}

/* ---- shared by the collectors -------------------------------------------- */

bool
ux_wants(const struct ux_ctx *c, enum cam_probe p)
{
	return p != PROBE_ONVIF && (c->o->probes & CAM_PROBE(p)) != 0;
}

int
ux_port(const struct ux_ctx *c, enum cam_probe p)
{
	const struct unauth_opts *o = c->o;

	switch (p) {
	case PROBE_SADP:
		return o->sadp_port ? o->sadp_port : UNAUTH_SADP_PORT;
	case PROBE_DHIP:
		return o->dhip_port ? o->dhip_port : UNAUTH_DHIP_PORT;
	case PROBE_HTTP:
		return o->http_port ? o->http_port : UNAUTH_HTTP_PORT;
	case PROBE_RTSP:
		return o->rtsp_port ? o->rtsp_port : UNAUTH_RTSP_PORT;
	default: /* HTTPS, TLS */
		return o->https_port ? o->https_port : UNAUTH_HTTPS_PORT;
	}
}

int
ux_ms_left(const struct ux_ctx *c)
{
	long long end = c->stage_end > 0 && c->stage_end < c->deadline
	    ? c->stage_end
	    : c->deadline;
	long long left = end - wd_now_ms();

	return left > 0 ? (int)left : 0;
}

bool
ux_expired(struct ux_ctx *c)
{
	return ux_ms_left(c) == 0 || wd_fired(&c->wd);
}

/* How telling a status is: a probe keeps the most telling it met. */
static int
rank(enum unauth_status s)
{
	switch (s) {
	case UNAUTH_OK:
		return 5;
	case UNAUTH_MALFORMED:
		return 4;
	case UNAUTH_TLS_ERROR:
		return 3;
	case UNAUTH_REFUSED:
		return 2;
	case UNAUTH_SILENT:
		return 1;
	default:
		return 0;
	}
}

void
ux_status(struct ux_ctx *c, enum cam_probe p, enum unauth_status s)
{
	/* The certificate comes from the HTTPS port's handshake: what keeps
	 * HTTPS from answering keeps it from being read too. */
	if (p == PROBE_HTTPS && s != UNAUTH_OK)
		ux_status(c, PROBE_TLS, s);
	if (!ux_wants(c, p) || (int)p >= PROBE_COUNT)
		return;
	if (rank(s) > rank(c->res->status[p]))
		c->res->status[p] = s;
}

/* ---- adopting facts ------------------------------------------------------ */

/* SADP's fact of a kind first, then DHIP's (a device's own record of
 * itself), else the first of any collector.  By protocol, not by the
 * order the replies arrived in: a host answering both is named the same
 * every time. */
static const struct cam_fact *
best_fact(const struct cam_facts *fs, enum cam_fact_kind k)
{
	static const enum cam_probe own[] = {PROBE_SADP, PROBE_DHIP};
	size_t i, j;

	for (j = 0; j < sizeof(own) / sizeof(own[0]); j++)
		for (i = 0; i < fs->n; i++)
			if (fs->f[i].kind == k && fs->f[i].probe == own[j])
				return &fs->f[i];
	return cam_fact_find(fs, k);
}

static void
adopt(char *dst, const struct cam_facts *fs, enum cam_fact_kind k)
{
	const struct cam_fact *f;

	if (dst[0] == '\0' && (f = best_fact(fs, k)) != NULL)
		str_lcpy(dst, f->text, CAM_STR_MAX);
}

void
unauth_adopt_facts(struct cam_identity *id)
{
	adopt(id->model, &id->facts, FACT_MODEL);
	adopt(id->serial, &id->facts, FACT_SERIAL);
	adopt(id->firmware, &id->facts, FACT_FIRMWARE);
}

/* ---- one call ------------------------------------------------------------ */

/* The numeric address into c->sa and its URL form into c->host. */
static int
set_target(struct ux_ctx *c, const char *address)
{
	struct addrinfo hints, *ai;
	char text[INET6_ADDRSTRLEN];
	const void *bin;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(address, NULL, &hints, &ai) != 0)
		return -1;
	if (ai->ai_addrlen > sizeof(c->sa) ||
	    (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)) {
		freeaddrinfo(ai);
		return -1;
	}
	memcpy(&c->sa, ai->ai_addr, ai->ai_addrlen);
	c->salen = ai->ai_addrlen;
	freeaddrinfo(ai);
	bin = c->sa.ss_family == AF_INET
	    ? (const void *)&((struct sockaddr_in *)&c->sa)->sin_addr
	    : (const void *)&((struct sockaddr_in6 *)&c->sa)->sin6_addr;
	if (inet_ntop(c->sa.ss_family, bin, text, sizeof(text)) == NULL)
		return -1;
	if (c->sa.ss_family == AF_INET6)
		snprintf(c->host, sizeof(c->host), "[%s]", text);
	else
		str_lcpy(c->host, text, sizeof(c->host));
	if (c->id->address[0] == '\0')
		str_lcpy(c->id->address, text, sizeof(c->id->address));
	return 0;
}

static int
start_call(struct ux_ctx *c, const char *address, const struct unauth_opts *o,
    struct cam_identity *id, struct unauth_result *res)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->o = o;
	c->id = id;
	c->res = res;
	c->t0 = wd_now_ms();
	c->deadline = c->t0 + (o->deadline_ms > 0 ? o->deadline_ms : 10000);
	c->max_reply = o->max_reply ? o->max_reply : UX_DEFAULT_MAX_REPLY;
	for (i = 0; i < PROBE_COUNT; i++)
		c->pre[i] = -1;
	c->udp[0].fd = c->udp[1].fd = -1;
	if (address == NULL || set_target(c, address) != 0)
		return -1;
	if ((c->buf = malloc(c->max_reply + 1)) == NULL)
		return -1;
	/* Without the thread the per-I/O timeouts and the checks between
	 * reads remain. */
	(void)wd_arm(&c->wd, c->deadline);
	return 0;
}

/*
 * The TCP collectors run one after another, each held to an equal share
 * of what is left (what one leaves over goes to the next): a camera that
 * drips its RTSP replies cannot use up the time its HTTP pages need.
 */
static void
next_stage(struct ux_ctx *c, int stages_left)
{
	c->stage_end = 0;
	if (stages_left > 0)
		c->stage_end = wd_now_ms() + ux_ms_left(c) / stages_left;
}

void
unauth_probe(const char *address, const struct unauth_opts *o,
    struct cam_identity *id, struct unauth_result *res)
{
	struct ux_ctx c;
	sigset_t old;

	memset(res, 0, sizeof(*res));
	if (start_call(&c, address, o, id, res) != 0) {
		free(c.buf);
		return;
	}
	wd_block_sigpipe(&old);
	ux_first_phase(&c);
	int stages = ux_wants(&c, PROBE_RTSP) + ux_wants(&c, PROBE_HTTP) +
	    (ux_wants(&c, PROBE_HTTPS) || ux_wants(&c, PROBE_TLS));
	if (ux_wants(&c, PROBE_RTSP)) {
		next_stage(&c, stages--);
		ux_rtsp_probe(&c);
	}
	if (ux_wants(&c, PROBE_HTTP)) {
		next_stage(&c, stages--);
		ux_http_probe(&c, PROBE_HTTP);
	}
	if (ux_wants(&c, PROBE_HTTPS) || ux_wants(&c, PROBE_TLS)) {
		next_stage(&c, stages--);
		ux_http_probe(&c, PROBE_HTTPS);
	}
	c.stage_end = 0;
	ux_udp_finish(&c);
	ux_net_cleanup(&c);
	ux_conn_cleanup(&c);
	wd_disarm(&c.wd);
	wd_restore_sigpipe(&old);
	free(c.buf);
	res->elapsed_ms = (int)(wd_now_ms() - c.t0);
}
