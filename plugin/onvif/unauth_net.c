/*
 * unauth_net.c: the first phase of an unauth_probe() call and the UDP
 * collectors (SADP, DHIP).
 *
 * The first phase sends both datagrams and starts every TCP connection
 * without blocking, then polls until the connections are settled, reading
 * datagrams as they come.  A datagram is accepted only from the address
 * probed (others are counted in res->spoofed and dropped) and only if it
 * parses: an SADP ProbeMatch must echo our fresh Uuid.  ICMP errors reach
 * the unconnected UDP sockets through IP_RECVERR, so a closed port reads
 * as refused at once instead of silent after the wait.
 *
 * The private ports (PROBE_PORTS, Xiongmai's 34567) are connected to in
 * the same wait and closed as soon as the connect completes: not a byte
 * is sent on them, and what the port would say is never read.  That it
 * accepted is the fact.  Caller's thread.
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "onvif/unauth_int.h"

/* Datagrams read per wake-up: a flood yields to the clock. */
#define UX_READS_PER_WAKE 64

static const enum cam_probe tcp_probes[] = {
    PROBE_RTSP, PROBE_HTTP, PROBE_HTTPS};
#define N_TCP (sizeof(tcp_probes) / sizeof(tcp_probes[0]))

int
ux_socket(const struct ux_ctx *c, int type)
{
	return socket(c->sa.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

void
ux_target(const struct ux_ctx *c, int port, struct sockaddr_storage *out)
{
	*out = c->sa;
	if (out->ss_family == AF_INET)
		((struct sockaddr_in *)out)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)out)->sin6_port = htons((uint16_t)port);
}

static bool
from_target(const struct ux_ctx *c, const struct sockaddr_storage *from)
{
	if (from->ss_family != c->sa.ss_family)
		return false;
	if (from->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)from)->sin_addr,
			   &((const struct sockaddr_in *)&c->sa)->sin_addr,
			   sizeof(struct in_addr)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)from)->sin6_addr,
		   &((const struct sockaddr_in6 *)&c->sa)->sin6_addr,
		   sizeof(struct in6_addr)) == 0;
}

static enum unauth_status
errno_status(int e)
{
	switch (e) {
	case ECONNREFUSED:
	case ECONNRESET:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EACCES:
	case EPERM:
		return UNAUTH_REFUSED;
	default:
		return UNAUTH_SILENT;
	}
}

/* ---- UDP ----------------------------------------------------------------- */

/* A version 4 UUID in capitals, as SADP clients send it. */
static void
new_uuid(char out[37])
{
	uint8_t b[16];
	size_t i;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		/* No entropy yet: the Uuid only pairs a reply with us. */
		long long t = wd_now_ms() ^ (long long)getpid() << 32;
		for (i = 0; i < sizeof(b); i++)
			b[i] = (uint8_t)(t >> (i % 8 * 8)) ^ (uint8_t)(i * 37);
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
	    "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-"
	    "%02X%02X%02X%02X%02X%02X",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
}

/*
 * Send one probe, unicast, and keep its socket to read the replies on.
 * Some Hikvision firmware answers SADP to the multicast group
 * 239.255.255.250:37020 rather than to the sender: a unicast scan of one
 * address listens on the probe's own socket only, and such a camera stays
 * silent here (discovery joins the group and hears it there).  Only the
 * inquiry Probe and the DHDiscover.search frame are ever built.
 */
static void
udp_start(struct ux_ctx *c, struct ux_udp *u, enum cam_probe p)
{
	struct sockaddr_storage to;
	uint8_t msg[512];
	int n, fd, one = 1;

	u->fd = -1;
	u->probe = p;
	if (!ux_wants(c, p))
		return;
	c->id->facts.tried |= CAM_PROBE(p);
	if (p == PROBE_SADP) {
		new_uuid(c->uuid);
		n = sadp_build_inquiry(c->uuid, (char *)msg, sizeof(msg));
	} else
		n = dhip_build_search(msg, sizeof(msg));
	if (n < 0 || (fd = ux_socket(c, SOCK_DGRAM)) < 0) {
		ux_status(c, p, UNAUTH_SILENT);
		return;
	}
	/* ICMP errors on an unconnected socket only arrive this way. */
	if (c->sa.ss_family == AF_INET)
		(void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	else
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
	ux_target(c, ux_port(c, p), &to);
	if (sendto(fd, msg, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&to,
		c->salen) != n) {
		ux_status(c, p, errno_status(errno));
		close(fd);
		return;
	}
	u->fd = fd;
}

static void
udp_end(struct ux_udp *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

/* An ICMP error queued on the socket: the port or host is unreachable. */
static bool
udp_icmp(struct ux_ctx *c, struct ux_udp *u)
{
	char ctl[512], data[64];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr mh;
	struct cmsghdr *cm;
	const struct sock_extended_err *ee;
	bool refused = false;
	int err;
	socklen_t el = sizeof(err);

	for (int i = 0; i < 8; i++) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		if (recvmsg(u->fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			break;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (!((cm->cmsg_level == IPPROTO_IP &&
				  cm->cmsg_type == IP_RECVERR) ||
				(cm->cmsg_level == IPPROTO_IPV6 &&
				    cm->cmsg_type == IPV6_RECVERR)))
				continue;
			ee = (const struct sock_extended_err *)CMSG_DATA(cm);
			if ((ee->ee_origin == SO_EE_ORIGIN_ICMP ||
				ee->ee_origin == SO_EE_ORIGIN_ICMP6) &&
			    errno_status((int)ee->ee_errno) == UNAUTH_REFUSED)
				refused = true;
		}
	}
	(void)getsockopt(u->fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (refused)
		ux_status(c, u->probe, UNAUTH_REFUSED);
	return refused;
}

static bool
udp_parse(struct ux_ctx *c, struct ux_udp *u, size_t n)
{
	if (n > c->max_reply)
		return false;
	if (u->probe == PROBE_SADP)
		return sadp_parse(c->buf, n, c->uuid, c->id) == 0;
	return dhip_parse((const uint8_t *)c->buf, n, c->id) == 0;
}

/* Read what is queued on a UDP probe's socket; ends the probe when a
 * reply parsed, the port is unreachable, or too many were bad. */
static void
udp_read(struct ux_ctx *c, struct ux_udp *u, short revents)
{
	struct sockaddr_storage from;
	socklen_t fl;
	ssize_t n;

	if ((revents & POLLERR) && udp_icmp(c, u)) {
		udp_end(u);
		return;
	}
	for (int i = 0; i < UX_READS_PER_WAKE; i++) {
		fl = sizeof(from);
		n = recvfrom(u->fd, c->buf, c->max_reply + 1,
		    MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return; /* drained, or an error the queue will tell */
		}
		if (!from_target(c, &from)) {
			c->res->spoofed++;
			continue;
		}
		if (udp_parse(c, u, (size_t)n)) {
			ux_status(c, u->probe, UNAUTH_OK);
			udp_end(u);
			return;
		}
		ux_status(c, u->probe, UNAUTH_MALFORMED);
		if (++u->bad >= UX_MAX_BAD_DATAGRAMS) {
			udp_end(u);
			return;
		}
	}
}

static size_t
udp_pollfds(struct ux_ctx *c, struct pollfd *pfd, struct ux_udp **who)
{
	size_t n = 0;

	for (int i = 0; i < 2; i++) {
		if (c->udp[i].fd < 0)
			continue;
		pfd[n].fd = c->udp[i].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		who[n++] = &c->udp[i];
	}
	return n;
}

void
ux_udp_finish(struct ux_ctx *c)
{
	struct pollfd pfd[2];
	struct ux_udp *who[2];
	long long until =
	    c->udp_until < c->deadline ? c->udp_until : c->deadline;
	long long wait;
	size_t n, i;
	int r;

	/* What queued while the TCP collectors ran is read even when the
	 * wait is over: one pass without waiting at least. */
	while ((n = udp_pollfds(c, pfd, who)) > 0) {
		wait = until - wd_now_ms();
		if (wait < 0)
			wait = 0;
		if ((r = poll(pfd, n, (int)wait)) < 0 && errno != EINTR)
			break;
		for (i = 0; r > 0 && i < n; i++)
			if (pfd[i].revents != 0)
				udp_read(c, who[i], pfd[i].revents);
		if (r == 0 || wait == 0)
			break;
	}
	for (i = 0; i < 2; i++) {
		if (c->udp[i].fd >= 0)
			ux_status(c, c->udp[i].probe, UNAUTH_SILENT);
		udp_end(&c->udp[i]);
	}
}

/* ---- TCP connections ----------------------------------------------------- */

static bool
tcp_wanted(const struct ux_ctx *c, enum cam_probe p)
{
	return ux_wants(c, p) || (p == PROBE_HTTPS && ux_wants(c, PROBE_TLS));
}

static void
tcp_start(struct ux_ctx *c, enum cam_probe p, bool *pending)
{
	struct sockaddr_storage to;
	int fd;

	*pending = false;
	if (!tcp_wanted(c, p))
		return;
	c->id->facts.tried |= CAM_PROBE(p);
	if (p == PROBE_HTTPS && ux_wants(c, PROBE_TLS))
		c->id->facts.tried |= CAM_PROBE(PROBE_TLS);
	if ((fd = ux_socket(c, SOCK_STREAM)) < 0) {
		ux_status(c, p, UNAUTH_SILENT);
		return;
	}
	ux_target(c, ux_port(c, p), &to);
	if (connect(fd, (struct sockaddr *)&to, c->salen) == 0)
		c->pre[p] = fd;
	else if (errno == EINPROGRESS) {
		c->pre[p] = fd;
		*pending = true;
	} else {
		ux_status(c, p, errno_status(errno));
		close(fd);
	}
}

static void
tcp_settled(struct ux_ctx *c, enum cam_probe p, bool *pending)
{
	int err = 0;
	socklen_t el = sizeof(err);

	*pending = false;
	if (getsockopt(c->pre[p], SOL_SOCKET, SO_ERROR, &err, &el) != 0)
		err = errno;
	if (err != 0) {
		ux_status(c, p, errno_status(err));
		close(c->pre[p]);
		c->pre[p] = -1;
	}
}

/* ---- private ports: connect, close, send nothing ------------------------- */

static void
pport_start(struct ux_ctx *c)
{
	const struct unauth_opts *o = c->o;
	struct sockaddr_storage to;
	struct ux_pport *pp;
	size_t i, n = o->n_private_ports;
	int fd;

	c->n_pport = 0;
	if (!ux_wants(c, PROBE_PORTS))
		return;
	c->id->facts.tried |= CAM_PROBE(PROBE_PORTS);
	if (n > UNAUTH_PRIVATE_PORTS_MAX)
		n = UNAUTH_PRIVATE_PORTS_MAX;
	for (i = 0; i < (n > 0 ? n : 1); i++) {
		pp = &c->pport[c->n_pport];
		pp->port = n > 0 ? o->private_ports[i] : UNAUTH_PRIVATE_PORT;
		pp->fd = -1;
		if (pp->port == 0)
			continue;
		if ((fd = ux_socket(c, SOCK_STREAM)) < 0) {
			ux_status(c, PROBE_PORTS, UNAUTH_SILENT);
			continue;
		}
		ux_target(c, pp->port, &to);
		if (connect(fd, (struct sockaddr *)&to, c->salen) != 0 &&
		    errno != EINPROGRESS) {
			ux_status(c, PROBE_PORTS, errno_status(errno));
			close(fd);
			continue;
		}
		pp->fd = fd; /* connected or not, poll says */
		c->n_pport++;
	}
}

/* The connect settled: a fact when it completed; closed either way. */
static void
pport_settled(struct ux_ctx *c, struct ux_pport *pp)
{
	char text[8];
	int err = 0;
	socklen_t el = sizeof(err);

	if (getsockopt(pp->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
		err = errno;
	if (err == 0) {
		snprintf(text, sizeof(text), "%u", (unsigned)pp->port);
		(void)cam_fact_add(&c->id->facts, FACT_PRIVATE_PORT,
		    PROBE_PORTS, text, strlen(text));
		c->id->facts.answered |= CAM_PROBE(PROBE_PORTS);
		ux_status(c, PROBE_PORTS, UNAUTH_OK);
	} else
		ux_status(c, PROBE_PORTS, errno_status(err));
	close(pp->fd);
	pp->fd = -1;
}

/* One wait of the first phase; false when nothing is pending any more. */
static bool
first_wait(struct ux_ctx *c, bool *pending, long long until)
{
	struct pollfd pfd[2 + N_TCP + UNAUTH_PRIVATE_PORTS_MAX];
	struct ux_udp *who[2];
	enum cam_probe tp[N_TCP];
	struct ux_pport *pw[UNAUTH_PRIVATE_PORTS_MAX];
	size_t nu, nt, n, i;
	long long wait = until - wd_now_ms();

	nu = udp_pollfds(c, pfd, who);
	for (n = nu, i = 0; i < N_TCP; i++) {
		if (!pending[tcp_probes[i]])
			continue;
		tp[n - nu] = tcp_probes[i];
		pfd[n].fd = c->pre[tcp_probes[i]];
		pfd[n].events = POLLOUT;
		pfd[n++].revents = 0;
	}
	for (nt = n, i = 0; i < c->n_pport; i++) {
		if (c->pport[i].fd < 0)
			continue;
		pw[n - nt] = &c->pport[i];
		pfd[n].fd = c->pport[i].fd;
		pfd[n].events = POLLOUT;
		pfd[n++].revents = 0;
	}
	if (n == nu || wait <= 0)
		return false;
	if (poll(pfd, n, (int)wait) < 0 && errno != EINTR)
		return false;
	for (i = 0; i < nu; i++)
		if (pfd[i].revents != 0)
			udp_read(c, who[i], pfd[i].revents);
	for (i = nu; i < nt; i++)
		if (pfd[i].revents != 0)
			tcp_settled(c, tp[i - nu], &pending[tp[i - nu]]);
	for (i = nt; i < n; i++)
		if (pfd[i].revents != 0)
			pport_settled(c, pw[i - nt]);
	return true;
}

void
ux_first_phase(struct ux_ctx *c)
{
	bool pending[PROBE_COUNT] = {false};
	int conn =
	    c->o->connect_timeout_ms > 0 ? c->o->connect_timeout_ms : 3000;
	int io = c->o->io_timeout_ms > 0 ? c->o->io_timeout_ms : 3000;
	long long until;
	size_t i;

	udp_start(c, &c->udp[0], PROBE_SADP);
	udp_start(c, &c->udp[1], PROBE_DHIP);
	c->udp_until = wd_now_ms() + io;
	for (i = 0; i < N_TCP; i++)
		tcp_start(c, tcp_probes[i], &pending[tcp_probes[i]]);
	pport_start(c);
	until = wd_now_ms() + conn;
	if (until > c->deadline)
		until = c->deadline;
	while (first_wait(c, pending, until))
		;
	/* Not connected in time: black-holed, or a firewall dropping. */
	for (i = 0; i < N_TCP; i++) {
		enum cam_probe p = tcp_probes[i];
		if (!pending[p])
			continue;
		ux_status(c, p, UNAUTH_SILENT);
		close(c->pre[p]);
		c->pre[p] = -1;
	}
	for (i = 0; i < c->n_pport; i++) {
		if (c->pport[i].fd < 0)
			continue;
		ux_status(c, PROBE_PORTS, UNAUTH_SILENT);
		close(c->pport[i].fd);
		c->pport[i].fd = -1;
	}
}

void
ux_net_cleanup(struct ux_ctx *c)
{
	size_t i;

	for (i = 0; i < PROBE_COUNT; i++) {
		if (c->pre[i] >= 0)
			close(c->pre[i]);
		c->pre[i] = -1;
	}
	for (i = 0; i < c->n_pport; i++) {
		if (c->pport[i].fd >= 0)
			close(c->pport[i].fd);
		c->pport[i].fd = -1;
	}
	udp_end(&c->udp[0]);
	udp_end(&c->udp[1]);
}
