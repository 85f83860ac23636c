/*
 * udp.c: the SADP (UDP 37020) and DHIP (UDP 37810) responders of the
 * cameras whose profiles speak them (sadp.c and dhip.c make the
 * messages).
 *
 * Sockets: a camera with a socket of its own binds ADDR:PORT; the cameras
 * of shared lines share one socket per port, bound to the any-address on
 * lo and told apart by the destination address of each datagram
 * (IP_PKTINFO), as the TCP listeners are: 100,000 cameras, one socket.
 * With udp-multicast (default: for cameras whose address is not loopback,
 * as in a test's network namespace) one socket per port also joins the group
 * (SADP 239.255.255.250, DHIP 239.255.255.251) on the interfaces of those
 * cameras, and one takes DHIP's limited broadcasts; every camera on the
 * interface a probe came in on answers it.  Replies leave from the camera's
 * address (or spoof-from=), to the prober's address and port (sadp-reply= adds
 * the group).  Every datagram a camera receives is captured.
 *
 * udp_start() and udp_stop() run in the main thread; between them one
 * thread (udp_main) owns the sockets.  Datagrams are untrusted: bounded
 * buffer, NUL-terminated, parsed by sadp.c/dhip.c, ignored when wrong.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct in_pktinfo */
#endif
#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <ifaddrs.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "camsim.h"
#include "common/strutil.h"

#define RECV_MAX 65536
#define SEND_MAX 65507 /* the largest UDP payload over IPv4 */
#define BURST 64
#define SADP_GROUP "239.255.255.250"
#define DHIP_GROUP "239.255.255.251"

enum uproto { U_SADP, U_DHIP };
enum ukind { K_OWN, K_SHARED, K_GROUP };

struct usock {
	int fd;
	enum uproto proto;
	enum ukind kind;
	int port;
	struct sim_camera *cam; /* K_OWN */
	in_addr_t bound; /* K_GROUP: the group or broadcast address */
	struct sim_listener tab; /* K_SHARED: its cameras by address */
	const struct sim_extra *x; /* K_SHARED: the line's, port auto */
};

/* A camera that answers on a group socket: by its interface. */
struct mcam {
	struct sim_camera *c;
	unsigned ifindex;
	int fd[2]; /* its own SADP and DHIP sockets, or -1 */
};

static struct usock *socks;
static size_t nsocks, capsocks;
static struct mcam *mcams;
static size_t nmcams;
static pthread_t thread;
static int running;
static volatile int quit;
static unsigned long n_sadp, n_dhip, n_ignored;

/*
 * Whether to log one more ignored datagram: the first 100, then every
 * 1000th (a flood must not fill the log); the count is at stop.
 */
static int
log_ignored(void)
{
	n_ignored++;
	return n_ignored <= 100 || n_ignored % 1000 == 0;
}

static int
uport(const struct sim_extra *x, enum uproto p)
{
	return p == U_SADP ? x->sadp_port : x->dhip_port;
}

static void
set_uport(struct sim_extra *x, enum uproto p, int port)
{
	if (p == U_SADP)
		x->sadp_port = port;
	else
		x->dhip_port = port;
}

static struct usock *
new_sock(enum uproto p, enum ukind k, int port)
{
	struct usock *u;

	if (nsocks == capsocks) {
		capsocks = capsocks ? 2 * capsocks : 16;
		if ((socks = realloc(socks, capsocks * sizeof(*socks))) ==
		    NULL) {
			perror("camsim");
			exit(1);
		}
	}
	u = &socks[nsocks++];
	memset(u, 0, sizeof(*u));
	u->fd = -1;
	u->proto = p;
	u->kind = k;
	u->port = port;
	return u;
}

/* A UDP socket bound to addr:port (port 0: a free one); the port, or -1. */
static int
bind_udp(struct usock *u, in_addr_t addr, int port, int reuse)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = addr;
	sa.sin_port = htons((uint16_t)port);
	u->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (u->fd < 0)
		return -1;
	setsockopt(u->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (reuse)
		setsockopt(u->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr == htonl(INADDR_ANY) &&
	    setsockopt(u->fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) != 0)
		sim_log(NULL, "udp: shared port %d not bound to lo: %s", port,
		    strerror(errno));
	if (bind(u->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(u->fd, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	return ntohs(sa.sin_port);
}

static const char *
pname(enum uproto p)
{
	return p == U_SADP ? "sadp" : "dhip";
}

/* The own sockets: ADDR:PORT per camera and protocol. */
static int
open_own(struct sim_camera *c, enum uproto p, char *err, size_t errsz)
{
	struct in_addr a;
	struct usock *u;
	size_t i;
	int want = uport(c->x, p), got;

	if (want == 0)
		return 0;
	if (inet_pton(AF_INET, c->host, &a) != 1) {
		/* Given explicitly, an error; from -u or unauth=yes, skipped.
		 */
		if ((p == U_SADP ? c->spec->sadp_port : c->spec->dhip_port) !=
		    SIM_PORT_DEFAULT) {
			snprintf(err, errsz, "%s: %s needs an IPv4 address",
			    c->host, pname(p));
			return -1;
		}
		sim_log(c, "%s: IPv6 camera, no %s", pname(p), pname(p));
		set_uport(c->x, p, 0);
		return 0;
	}
	for (i = 0; i < nsocks; i++)
		if (socks[i].kind == K_OWN && socks[i].proto == p &&
		    socks[i].port == want &&
		    strcmp(socks[i].cam->host, c->host) == 0) {
			snprintf(err, errsz,
			    "%s:%d (%s) is taken by another camera: give "
			    "%s-port=",
			    c->host, want, pname(p), pname(p));
			return -1;
		}
	u = new_sock(p, K_OWN, 0);
	u->cam = c;
	if ((got = bind_udp(u, a.s_addr, want > 0 ? want : 0, 1)) < 0) {
		snprintf(err, errsz, "%s:%d (%s): %s", c->host, want, pname(p),
		    strerror(errno));
		return -1;
	}
	u->port = got;
	set_uport(c->x, p, got);
	sim_log(c, "%s: on %s:%d", pname(p), c->host, got);
	return 0;
}

struct member {
	enum uproto proto;
	int port;
	const struct sim_extra *x; /* port auto: the line's; else NULL */
	unsigned long addr;
	struct sim_camera *cam;
};

static int
member_cmp(const void *a, const void *b)
{
	const struct member *m = a, *n = b;

	if (m->proto != n->proto)
		return m->proto < n->proto ? -1 : 1;
	if (m->port != n->port)
		return m->port < n->port ? -1 : 1;
	if (m->x != n->x)
		return m->x < n->x ? -1 : 1;
	return m->addr < n->addr ? -1 : m->addr > n->addr;
}

static int
same_sock(const struct member *a, const struct member *b)
{
	return a->proto == b->proto && a->port == b->port && a->x == b->x;
}

/* One shared socket for the run m[0..n). */
static int
open_shared(struct member *m, size_t n, char *err, size_t errsz)
{
	struct usock *u = new_sock(m[0].proto, K_SHARED, 0);
	size_t i;
	int got;

	u->tab.slots = calloc(n, sizeof(*u->tab.slots));
	if (u->tab.slots == NULL) {
		snprintf(err, errsz, "udp: out of memory");
		return -1;
	}
	u->tab.nslots = n;
	u->x = m[0].x;
	for (i = 0; i < n; i++) {
		u->tab.slots[i].addr = m[i].addr;
		u->tab.slots[i].cam = m[i].cam;
	}
	if ((got = bind_udp(u, htonl(INADDR_ANY), m[0].port, 0)) < 0) {
		snprintf(err, errsz, "%s port %d (shared): %s",
		    pname(m[0].proto), m[0].port, strerror(errno));
		return -1;
	}
	u->port = got;
	for (i = 0; i < n; i++)
		set_uport(m[i].cam->x, m[i].proto, got);
	return 0;
}

/* Cameras of shared lines: one socket per protocol and port. */
static int
open_all_shared(struct fleet *fl, char *err, size_t errsz)
{
	struct member *m;
	struct in_addr a;
	size_t i, nm = 0, run;
	int p, rc = 0;

	if ((m = calloc(2 * fl->n + 1, sizeof(*m))) == NULL)
		return -1;
	for (i = 0; i < fl->n; i++) {
		struct sim_camera *c = &fl->cams[i];

		if (c->ln->cam != NULL || c->x == NULL)
			continue;
		for (p = U_SADP; p <= U_DHIP; p++) {
			int port = uport(c->x, (enum uproto)p);

			if (port == 0)
				continue;
			m[nm].proto = (enum uproto)p;
			m[nm].port = port > 0 ? port : 0;
			m[nm].x = port > 0 ? NULL : c->x;
			inet_pton(AF_INET, c->host, &a);
			m[nm].addr = ntohl(a.s_addr);
			m[nm++].cam = c;
		}
	}
	qsort(m, nm, sizeof(*m), member_cmp);
	for (i = 0; i < nm && rc == 0; i += run) {
		for (run = 1; i + run < nm && same_sock(&m[i + run], &m[i]);
		     run++)
			;
		rc = open_shared(&m[i], run, err, errsz);
	}
	free(m);
	return rc;
}

/* The interface whose subnet holds the address (lo for 127/8). */
static unsigned
ifindex_of(const char *host)
{
	struct ifaddrs *ifa, *i;
	struct in_addr a;
	unsigned idx = 0;
	uint32_t mask, ia;

	if (inet_pton(AF_INET, host, &a) != 1 || getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i != NULL && idx == 0; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_netmask == NULL ||
		    i->ifa_addr->sa_family != AF_INET)
			continue;
		ia = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
		mask = ((struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr;
		if ((ia & mask) == (a.s_addr & mask))
			idx = if_nametoindex(i->ifa_name);
	}
	freeifaddrs(ifa);
	return idx;
}

/*
 * udp-multicast=auto: on for a camera whose address is not loopback (a
 * camera in a test's network namespace); loopback cameras share lo with
 * every other test on the machine, so they answer unicast only.
 */
static int
multicast_on(const struct sim_camera *c)
{
	int m = c->spec->udp_multicast;

	return c->ln->cam != NULL && c->x != NULL &&
	    (m > 0 || (m < 0 && strncmp(c->host, "127.", 4) != 0));
}

/* The group (or broadcast) socket of a protocol and port, made once. */
static struct usock *
group_sock(enum uproto p, int port, const char *addr, char *err, size_t errsz)
{
	struct in_addr g;
	struct usock *u;
	size_t i;
	int zero = 0;

	inet_pton(AF_INET, addr, &g);
	for (i = 0; i < nsocks; i++)
		if (socks[i].kind == K_GROUP && socks[i].proto == p &&
		    socks[i].port == port && socks[i].bound == g.s_addr)
			return &socks[i];
	u = new_sock(p, K_GROUP, port);
	u->bound = g.s_addr;
	if (bind_udp(u, g.s_addr, port, 1) < 0) {
		snprintf(err, errsz, "%s %s:%d: %s", pname(p), addr, port,
		    strerror(errno));
		return NULL;
	}
#ifdef IP_MULTICAST_ALL
	/* Only the groups joined on this socket. */
	setsockopt(u->fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero));
#endif
	(void)zero;
	return u;
}

/* The camera's own socket of a protocol, or -1. */
static int
own_fd(const struct sim_camera *c, enum uproto p)
{
	size_t i;

	for (i = 0; i < nsocks; i++)
		if (socks[i].kind == K_OWN && socks[i].cam == c &&
		    socks[i].proto == p)
			return socks[i].fd;
	return -1;
}

/*
 * A camera in a network namespace: its protocols' groups joined on its
 * interface (and DHIP's broadcasts heard); it answers what arrives there.
 */
static int
join(struct sim_camera *c, char *err, size_t errsz)
{
	struct ip_mreqn mr;
	struct usock *u;
	struct mcam *m;
	int p, port;

	if ((mcams = realloc(mcams, (nmcams + 1) * sizeof(*mcams))) == NULL)
		return -1;
	m = &mcams[nmcams++];
	m->c = c;
	m->ifindex = ifindex_of(c->host);
	for (p = U_SADP; p <= U_DHIP; p++) {
		m->fd[p] = own_fd(c, (enum uproto)p);
		if ((port = uport(c->x, (enum uproto)p)) <= 0)
			continue;
		u = group_sock((enum uproto)p, port,
		    p == U_SADP ? SADP_GROUP : DHIP_GROUP, err, errsz);
		if (u == NULL ||
		    (p == U_DHIP &&
			group_sock(U_DHIP, port, "255.255.255.255", err,
			    errsz) == NULL))
			return -1;
		memset(&mr, 0, sizeof(mr));
		mr.imr_multiaddr.s_addr = u->bound;
		inet_pton(AF_INET, c->host, &mr.imr_address);
		mr.imr_ifindex = (int)m->ifindex;
		if (setsockopt(u->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
			sizeof(mr)) != 0 &&
		    errno != EADDRINUSE)
			sim_log(c, "%s: cannot join the group: %s", pname(p),
			    strerror(errno));
		sim_log(c, "%s: multicast on %s:%d", pname(p),
		    p == U_SADP ? SADP_GROUP : DHIP_GROUP, port);
	}
	return 0;
}

/*
 * Send one reply from fd: source the camera's address (or spoof-from=),
 * out of ifindex when it goes to a group.  Logged.
 */
static void
send_from(int fd, const struct sim_camera *c, const void *buf, size_t len,
    const struct sockaddr_in *to, unsigned ifindex, const char *what)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))], dst[INET_ADDRSTRLEN];
	const char *src =
	    c->spec->spoof_from[0] ? c->spec->spoof_from : c->host;
	struct iovec iov = {(void *)buf, len};
	struct msghdr mh;
	struct cmsghdr *cm;
	struct in_pktinfo pi;

	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	memset(&pi, 0, sizeof(pi));
	pi.ipi_ifindex = (int)ifindex;
	inet_pton(AF_INET, src, &pi.ipi_spec_dst);
	mh.msg_name = (void *)to;
	mh.msg_namelen = sizeof(*to);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	inet_ntop(AF_INET, &to->sin_addr, dst, sizeof(dst));
	if (sendmsg(fd, &mh, 0) < 0)
		sim_log(c, "%s to %s:%d: %s", what, dst, ntohs(to->sin_port),
		    strerror(errno));
	else
		sim_log(c, "%s (%zu bytes) to %s:%d from %s%s", what, len, dst,
		    ntohs(to->sin_port), src,
		    c->spec->spoof_from[0] ? " (spoofed)" : "");
}

static void
to_group(struct sockaddr_in *to, const char *group, int port)
{
	memset(to, 0, sizeof(*to));
	to->sin_family = AF_INET;
	to->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, group, &to->sin_addr);
}

static char out[SEND_MAX + 1]; /* the UDP thread's (and Hellos') */

static void
answer_sadp(struct sim_camera *c, int fd, const char *buf, size_t n,
    const struct sockaddr_in *from, const char *who)
{
	enum sim_sadp_reply r = c->spec->sadp_reply;
	char uuid[72], types[32], clean[40];
	struct sockaddr_in g;
	size_t len;

	if (sadp_probe(buf, n, uuid, sizeof(uuid), types, sizeof(types)) != 0) {
		/* Our own multicast replies come back: not worth a line. */
		if (log_ignored() && strstr(buf, "<ProbeMatch>") == NULL &&
		    strstr(buf, "<Hello>") == NULL)
			sim_log(c,
			    "sadp: %zu bytes from %s: not a Probe, no "
			    "answer",
			    n, who);
		return;
	}
	if (strcmp(types, "inquiry") != 0) {
		sim_clean(types, strlen(types), clean, sizeof(clean));
		if (log_ignored())
			sim_log(c, "sadp: Types '%s' from %s: no answer", clean,
			    who);
		return;
	}
	sim_log(c, "sadp: inquiry from %s uuid %s", who, uuid);
	if ((len = sadp_build(c, uuid, 0, out, SEND_MAX)) == 0) {
		sim_log(c, "sadp: ProbeMatch too long, not sent");
		return;
	}
	if (r != SIM_REPLY_MULTICAST)
		send_from(fd, c, out, len, from, 0, "sadp: ProbeMatch");
	if (r != SIM_REPLY_UNICAST) {
		to_group(&g, SADP_GROUP, c->x->sadp_port);
		send_from(fd, c, out, len, &g, ifindex_of(c->host),
		    "sadp: ProbeMatch");
	}
	n_sadp++;
}

static void
answer_dhip(struct sim_camera *c, int fd, const char *buf, size_t n,
    const struct sockaddr_in *from, const char *who)
{
	char method[64], clean[64];
	size_t len;
	int rc =
	    dhip_probe((const unsigned char *)buf, n, method, sizeof(method));

	if (rc != 0) {
		sim_clean(method, strlen(method), clean, sizeof(clean));
		if (!log_ignored())
			return;
		if (rc < 0)
			sim_log(c,
			    "dhip: %zu bytes from %s: not a framed "
			    "request, no answer",
			    n, who);
		else
			sim_log(c, "dhip: method '%s' from %s: no answer",
			    clean, who);
		return;
	}
	sim_log(c, "dhip: DHDiscover.search from %s", who);
	if ((len = dhip_build(c, (unsigned char *)out, SEND_MAX)) == 0) {
		sim_log(c, "dhip: reply too long, not sent");
		return;
	}
	send_from(fd, c, out, len, from, 0, "dhip: client.notifyDevInfo");
	n_dhip++;
}

static void
answer(struct sim_camera *c, enum uproto p, int fd, const char *buf, size_t n,
    const struct sockaddr_in *from)
{
	char who[INET_ADDRSTRLEN + 8], a[INET_ADDRSTRLEN];

	capture_datagram(c, buf, n);
	snprintf(who, sizeof(who), "%s:%d",
	    inet_ntop(AF_INET, &from->sin_addr, a, sizeof(a)),
	    ntohs(from->sin_port));
	if (p == U_SADP)
		answer_sadp(c, fd, buf, n, from, who);
	else
		answer_dhip(c, fd, buf, n, from, who);
}

/* A datagram on u: which cameras it is for, and their answers. */
static void
dispatch(struct usock *u, const char *buf, size_t n,
    const struct sockaddr_in *from, const struct in_pktinfo *pi)
{
	struct sim_camera *c;
	size_t i;

	if (u->kind == K_OWN) {
		answer(u->cam, u->proto, u->fd, buf, n, from);
		return;
	}
	if (u->kind == K_SHARED) {
		c = pi != NULL
		    ? fleet_lookup(&u->tab, ntohl(pi->ipi_addr.s_addr))
		    : NULL;
		if (c == NULL)
			n_ignored++;
		else
			answer(c, u->proto, u->fd, buf, n, from);
		return;
	}
	for (i = 0; pi != NULL && i < nmcams; i++) {
		struct mcam *m = &mcams[i];

		if (m->ifindex == (unsigned)pi->ipi_ifindex &&
		    m->fd[u->proto] >= 0 && uport(m->c->x, u->proto) == u->port)
			answer(m->c, u->proto, m->fd[u->proto], buf, n, from);
	}
}

static void
recv_burst(struct usock *u)
{
	static char buf[RECV_MAX + 1];
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = {buf, RECV_MAX};
	struct in_pktinfo *pi;
	struct sockaddr_in from;
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;
	int i;

	for (i = 0; i < BURST; i++) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		if ((n = recvmsg(u->fd, &mh, 0)) < 0)
			return;
		pi = NULL;
		for (cm = CMSG_FIRSTHDR(&mh); cm != NULL;
		     cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_PKTINFO)
				pi = (struct in_pktinfo *)CMSG_DATA(cm);
		if (mh.msg_namelen < sizeof(from) || from.sin_port == 0 ||
		    (mh.msg_flags & MSG_TRUNC)) {
			n_ignored++;
			continue;
		}
		buf[n] = '\0';
		dispatch(u, buf, (size_t)n, &from, pi);
	}
}

static void *
udp_main(void *arg)
{
	struct pollfd *pfd = arg;
	size_t i, nfd = nsocks + 1;

	while (!quit && !sim_stopping) {
		if (poll(pfd, (nfds_t)nfd, 200) < 0 && errno != EINTR)
			break;
		if (pfd[nfd - 1].revents != 0)
			break;
		for (i = 0; i < nsocks; i++)
			if (pfd[i].revents & POLLIN)
				recv_burst(&socks[i]);
	}
	free(pfd);
	return NULL;
}

static void
hello(struct sim_camera *c)
{
	struct sockaddr_in g;
	size_t len;
	int fd = own_fd(c, U_SADP);

	if (fd < 0 || (len = sadp_build(c, NULL, 1, out, SEND_MAX)) == 0)
		return;
	to_group(&g, SADP_GROUP, c->x->sadp_port);
	send_from(fd, c, out, len, &g, ifindex_of(c->host), "sadp: Hello");
}

static int
start_thread(void)
{
	struct pollfd *pfd;
	size_t i;

	if ((pfd = calloc(nsocks + 1, sizeof(*pfd))) == NULL)
		return -1;
	for (i = 0; i < nsocks; i++) {
		pfd[i].fd = socks[i].fd;
		pfd[i].events = POLLIN;
	}
	pfd[nsocks].fd = sim_stop_fd;
	pfd[nsocks].events = POLLIN;
	if (pthread_create(&thread, NULL, udp_main, pfd) != 0) {
		free(pfd);
		return -1;
	}
	running = 1;
	return 0;
}

/*
 * Open the SADP and DHIP sockets of every camera that has them, join the
 * groups, send the Hellos, start the UDP thread.  Main thread, after
 * server_bind() and before the ready file.
 */
int
udp_start(struct fleet *fl, char *err, size_t errsz)
{
	size_t i;

	for (i = 0; i < fl->n; i++) {
		struct sim_camera *c = &fl->cams[i];

		if (c->ln->cam == NULL || c->x == NULL)
			continue;
		if (open_own(c, U_SADP, err, errsz) != 0 ||
		    open_own(c, U_DHIP, err, errsz) != 0)
			return -1;
	}
	if (open_all_shared(fl, err, errsz) != 0)
		return -1;
	for (i = 0; i < fl->n; i++)
		if (multicast_on(&fl->cams[i]) &&
		    join(&fl->cams[i], err, errsz) != 0)
			return -1;
	for (i = 0; i < fl->n; i++)
		if (fl->cams[i].ln->cam != NULL && fl->cams[i].x != NULL &&
		    fl->cams[i].spec->sadp_hello)
			hello(&fl->cams[i]);
	if (nsocks > 0 && start_thread() != 0) {
		snprintf(err, errsz, "udp: cannot start its thread");
		return -1;
	}
	return 0;
}

/* Stop the UDP thread and close its sockets.  Main thread. */
void
udp_stop(void)
{
	size_t i;

	quit = 1;
	if (running)
		pthread_join(thread, NULL);
	running = 0;
	for (i = 0; i < nsocks; i++) {
		close(socks[i].fd);
		free(socks[i].tab.slots);
	}
	if (nsocks > 0)
		sim_log(NULL,
		    "udp: stopped: %lu SADP and %lu DHIP replies sent, %lu "
		    "datagrams ignored",
		    n_sadp, n_dhip, n_ignored);
	free(socks);
	free(mcams);
	socks = NULL;
	mcams = NULL;
	nsocks = nmcams = 0;
}
