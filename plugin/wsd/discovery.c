/*
 * discovery.c: the WS-Discovery thread of camcomplyd.
 *
 * Owns the discovery sockets and everything done with them: multicast
 * Probes on the chosen IPv4 interfaces (a burst of three with jitter, since
 * replies collide and get lost), the Hello/Bye listener on port 3702, the
 * rate-limited unicast sweep of configured ranges, and the defences of an
 * unauthenticated protocol: datagrams that are oversized, malformed,
 * unsolicited, spoofed (an XAddr that is not the sender's), outside the
 * configured ranges or over the rate are dropped and counted, and one
 * datagram never causes more than WSD_MAX_MATCHES sightings.  Probes from
 * others are never answered.
 *
 * Threads: discovery_thread() runs alone on the sockets and never touches
 * the store or Net-SNMP; sightings reach the main thread through a bounded
 * queue and an eventfd (as the poller's results do).  The functions
 * declared in daemon.h run on the main thread.
 */
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <ifaddrs.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wsd/discovery.h"
#include "common/strutil.h"
#include "wsd/wsd.h"

#define QUEUE_MAX 256 /* sightings waiting for the main thread */
#define MAX_IFACES 32
#define SENT_IDS 64 /* Probe MessageIDs a ProbeMatch may relate to */
#define BURST 3 /* multicast Probes per round and interface */
#define DRAIN 64 /* datagrams read per socket per wake-up */
#define GLOBAL_RATE                                                            \
	200 /* datagrams per second processed, all senders,                    \
	       plus the sweep rate (its replies come at that pace) */
#define SOURCE_RATE 20 /* ... from one sender */
#define SOURCES 256 /* senders tracked for their rate */

struct iface {
	char name[IFNAMSIZ];
	unsigned index;
	struct in_addr addr, mask;
};

struct bucket {
	uint32_t addr;
	double tokens;
	long long at; /* ms */
};

struct discovery {
	/* shared with the main thread, under lock */
	pthread_mutex_t lock;
	struct disc_sighting *q;
	size_t q_head, q_len;
	struct disc_stats st;
	bool stopping;
	int efd; /* readable while sightings wait */
	int ctl_efd; /* wakes the thread to stop */
	pthread_t tid;
	bool started;

	/* the thread's own */
	struct cfg_discovery cfg;
	struct cidr4 *ranges; /* sites, sweeps and allow */
	size_t n_ranges;
	int lfd, pfd; /* listener on 3702; probe socket */
	struct iface ifs[MAX_IFACES];
	size_t n_ifs;
	char sent[SENT_IDS][WSD_UUID_MAX];
	size_t sent_next;
	char sweep_id[WSD_UUID_MAX];
	long long next_round, next_burst;
	long long sweep_start, sweep_sent; /* the pace: sent vs. elapsed */
	int burst_left;
	size_t sweep_range; /* n_sweeps: no sweep running */
	uint32_t sweep_next;
	struct bucket global, sources[SOURCES];
	struct wsd_msg msg;
	char buf[WSD_MAX_DATAGRAM + 1];
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned
jitter(unsigned range)
{
	unsigned r = 0;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned)now_ms();
	return range ? r % range : 0;
}

static void
count(struct discovery *dc, unsigned long *field)
{
	pthread_mutex_lock(&dc->lock);
	(*field)++;
	pthread_mutex_unlock(&dc->lock);
}

const char *
disc_method_name(enum disc_method m)
{
	return m == DISC_HELLO ? "hello"
	    : m == DISC_SWEEP  ? "sweep"
	    : m == DISC_PROBE  ? "probe"
			       : "configured";
}

/* ---- rate limits: token buckets, one for all and one per sender ---------- */

static bool
take_token(struct bucket *b, double rate, long long now)
{
	b->tokens += (double)(now - b->at) * rate / 1000.0;
	if (b->tokens > 2 * rate)
		b->tokens = 2 * rate; /* a burst of two seconds' worth */
	b->at = now;
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}

/* The sender's bucket; a new sender takes over the slot its hash picks. */
static struct bucket *
source_bucket(struct discovery *dc, uint32_t addr, long long now)
{
	struct bucket *b = &dc->sources[addr % SOURCES];

	if (b->addr != addr) {
		b->addr = addr;
		b->tokens = 2 * SOURCE_RATE;
		b->at = now;
	}
	return b;
}

static bool
admit(struct discovery *dc, uint32_t src, long long now)
{
	return take_token(source_bucket(dc, src, now), SOURCE_RATE, now) &&
	    take_token(&dc->global, GLOBAL_RATE + dc->cfg.sweep_rate, now);
}

/* ---- interfaces ---------------------------------------------------------- */

static bool
iface_wanted(const struct cfg_discovery *c, const struct ifaddrs *ifa)
{
	size_t i;

	for (i = 0; i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i], ifa->ifa_name) == 0)
			return true;
	/* "all" means the multicast-capable ones, never loopback. */
	return c->all_ifaces && (ifa->ifa_flags & IFF_MULTICAST) &&
	    !(ifa->ifa_flags & IFF_LOOPBACK);
}

static const struct iface *iface_by_index(const struct discovery *, unsigned);

/* Interfaces come and go (DHCP, VLANs): read them again every round. */
static void
refresh_ifaces(struct discovery *dc)
{
	struct ifaddrs *all, *ifa;
	struct ip_mreqn mr;
	struct iface *f;

	dc->n_ifs = 0;
	if (!dc->cfg.multicast || getifaddrs(&all) != 0)
		return;
	for (ifa = all; ifa != NULL && dc->n_ifs < MAX_IFACES;
	     ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET ||
		    !(ifa->ifa_flags & IFF_UP) || !iface_wanted(&dc->cfg, ifa))
			continue;
		/* One Probe per interface, whatever its addresses. */
		if (iface_by_index(dc, if_nametoindex(ifa->ifa_name)) != NULL)
			continue;
		f = &dc->ifs[dc->n_ifs++];
		str_lcpy(f->name, ifa->ifa_name, sizeof(f->name));
		f->index = if_nametoindex(ifa->ifa_name);
		f->addr = ((struct sockaddr_in *)ifa->ifa_addr)->sin_addr;
		f->mask = ifa->ifa_netmask != NULL
		    ? ((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr
		    : (struct in_addr){htonl(0xffffff00)};
		memset(&mr, 0, sizeof(mr));
		inet_pton(AF_INET, WSD_MCAST_V4, &mr.imr_multiaddr);
		mr.imr_ifindex = (int)f->index;
		/* Joined already after the first round: EADDRINUSE is fine. */
		if (dc->lfd >= 0)
			(void)setsockopt(dc->lfd, IPPROTO_IP, IP_ADD_MEMBERSHIP,
			    &mr, sizeof(mr));
	}
	freeifaddrs(all);
}

static const struct iface *
iface_by_index(const struct discovery *dc, unsigned index)
{
	size_t i;

	for (i = 0; i < dc->n_ifs; i++)
		if (dc->ifs[i].index == index)
			return &dc->ifs[i];
	return NULL;
}

/* ---- sending ------------------------------------------------------------- */

static void
remember_id(struct discovery *dc, const char *id)
{
	str_lcpy(dc->sent[dc->sent_next], id, WSD_UUID_MAX);
	dc->sent_next = (dc->sent_next + 1) % SENT_IDS;
}

static bool
sent_by_us(const struct discovery *dc, const char *id)
{
	size_t i;

	/* A long sweep outlives the ring: its id is kept apart. */
	if (dc->sweep_id[0] != '\0' && strcmp(dc->sweep_id, id) == 0)
		return true;
	for (i = 0; i < SENT_IDS; i++)
		if (dc->sent[i][0] != '\0' && strcmp(dc->sent[i], id) == 0)
			return true;
	return false;
}

static void
send_probe(struct discovery *dc, struct in_addr to, const char *id)
{
	struct sockaddr_in sa;
	char pkt[2048];
	int len = wsd_build_probe(pkt, sizeof(pkt), id);

	if (len < 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(WSD_PORT);
	sa.sin_addr = to;
	if (sendto(dc->pfd, pkt, (size_t)len, 0, (struct sockaddr *)&sa,
		sizeof(sa)) == len)
		count(dc, &dc->st.probes_sent);
}

/* One multicast Probe out of every interface, each with its own id. */
static void
probe_burst(struct discovery *dc)
{
	struct ip_mreqn mr;
	struct in_addr group;
	char id[WSD_UUID_MAX];
	size_t i;

	inet_pton(AF_INET, WSD_MCAST_V4, &group);
	for (i = 0; i < dc->n_ifs; i++) {
		memset(&mr, 0, sizeof(mr));
		mr.imr_ifindex = (int)dc->ifs[i].index;
		mr.imr_address = dc->ifs[i].addr;
		if (setsockopt(dc->pfd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
			sizeof(mr)) != 0)
			continue;
		wsd_new_message_id(id);
		remember_id(dc, id);
		send_probe(dc, group, id);
	}
}

static uint32_t
range_first(const struct cidr4 *r)
{
	/* Skip the network address where the range has one. */
	return r->prefix < 31 ? r->net + 1 : r->net;
}

static uint32_t
range_last(const struct cidr4 *r)
{
	uint32_t last = r->net | ~r->mask;

	return r->prefix < 31 ? last - 1 : last;
}

/* The time the next sweep probe is due, at the configured rate. */
static long long
sweep_due(const struct discovery *dc)
{
	return dc->sweep_start + dc->sweep_sent * 1000 / dc->cfg.sweep_rate;
}

/* Send the sweep probes that are due; at most 64 per wake-up. */
static void
sweep_step(struct discovery *dc, long long now)
{
	const struct cidr4 *r;
	struct in_addr a;
	int burst = 0;

	while (dc->sweep_range < dc->cfg.n_sweeps && sweep_due(dc) <= now &&
	    burst++ < 64) {
		r = &dc->cfg.sweeps[dc->sweep_range];
		a.s_addr = htonl(dc->sweep_next);
		send_probe(dc, a, dc->sweep_id);
		dc->sweep_sent++;
		if (dc->sweep_next < range_last(r))
			dc->sweep_next++;
		else if (++dc->sweep_range < dc->cfg.n_sweeps)
			dc->sweep_next =
			    range_first(&dc->cfg.sweeps[dc->sweep_range]);
	}
}

static void
start_round(struct discovery *dc, long long now)
{
	refresh_ifaces(dc);
	dc->burst_left = dc->n_ifs > 0 ? BURST : 0;
	dc->next_burst = now;
	/* A sweep longer than the interval runs to its end first. */
	if (dc->cfg.n_sweeps > 0 && dc->sweep_range >= dc->cfg.n_sweeps) {
		wsd_new_message_id(dc->sweep_id);
		remember_id(dc, dc->sweep_id);
		dc->sweep_range = 0;
		dc->sweep_next = range_first(&dc->cfg.sweeps[0]);
		dc->sweep_start = now;
		dc->sweep_sent = 0;
	}
	dc->next_round = now + (long long)dc->cfg.interval * 1000;
}

/* ---- receiving ----------------------------------------------------------- */

static bool
in_ranges(const struct discovery *dc, struct in_addr a)
{
	return dc->cfg.allow_any ||
	    cidr_contains(dc->ranges, dc->n_ranges, ntohl(a.s_addr));
}

static void
enqueue(struct discovery *dc, const struct disc_sighting *s)
{
	bool full;

	pthread_mutex_lock(&dc->lock);
	full = dc->q_len == QUEUE_MAX;
	if (full)
		dc->st.queue_full++;
	else
		dc->q[(dc->q_head + dc->q_len++) % QUEUE_MAX] = *s;
	pthread_mutex_unlock(&dc->lock);
	if (!full) {
		uint64_t one = 1;
		if (write(dc->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			return;
	}
}

static void
fill_scopes(struct disc_sighting *s, const struct wsd_match *m)
{
	struct wsd_scope_info si;
	size_t i;

	for (i = 0; i < m->n_scopes && i < CAM_SCOPES_MAX; i++)
		str_lcpy(s->scopes[i], m->scopes[i], CAM_STR_MAX);
	s->n_scopes = i;
	wsd_scope_info(m, &si);
	s->has_mac = si.mac[0] != '\0' && str_parse_mac(si.mac, s->mac) == 0;
}

/*
 * One match of a Hello or ProbeMatches.  The XAddr polled must be the
 * sender's own address: anything else could make us poll a third party on
 * a spoofer's word.  (Cameras answer from the address they announce; one
 * on several links answers on each, and the endpoint makes it one row.)
 */
static void
take_match(struct discovery *dc, const struct wsd_match *m,
    enum disc_method method, struct in_addr src, const struct iface *f)
{
	struct disc_sighting s;
	struct in_addr host;
	int k;

	if (!m->is_nvt) {
		count(dc, &dc->st.ignored);
		return;
	}
	k = wsd_choose_xaddr(m, src, f ? f->addr : (struct in_addr){0},
	    f ? f->mask : (struct in_addr){0}, &host);
	if (k < 0 || host.s_addr != src.s_addr) {
		count(dc, &dc->st.spoofed);
		return;
	}
	if (!in_ranges(dc, host)) {
		count(dc, &dc->st.out_of_scope);
		return;
	}
	memset(&s, 0, sizeof(s));
	s.kind = DISC_SEEN;
	s.method = method;
	str_lcpy(s.endpoint, m->endpoint, sizeof(s.endpoint));
	str_lcpy(s.url, m->xaddrs[k], sizeof(s.url));
	inet_ntop(AF_INET, &host, s.address, sizeof(s.address));
	fill_scopes(&s, m);
	if (m->has_metadata_version)
		s.metadata_version = m->metadata_version;
	enqueue(dc, &s);
}

static void
take_bye(struct discovery *dc, const struct wsd_match *m, struct in_addr src)
{
	struct disc_sighting s;

	if (!in_ranges(dc, src)) {
		count(dc, &dc->st.out_of_scope);
		return;
	}
	memset(&s, 0, sizeof(s));
	s.kind = DISC_BYE;
	s.method = DISC_HELLO;
	str_lcpy(s.endpoint, m->endpoint, sizeof(s.endpoint));
	inet_ntop(AF_INET, &src, s.address, sizeof(s.address));
	enqueue(dc, &s);
}

static void
handle_msg(struct discovery *dc, struct in_addr src, const struct iface *f)
{
	const struct wsd_msg *m = &dc->msg;
	enum disc_method method = DISC_HELLO;
	size_t i;

	switch (m->type) {
	case WSD_PROBE_MATCHES:
		if (!sent_by_us(dc, m->relates_to)) {
			count(dc, &dc->st.spoofed); /* unsolicited */
			return;
		}
		method = strcmp(m->relates_to, dc->sweep_id) == 0 ? DISC_SWEEP
								  : DISC_PROBE;
		/* FALLTHROUGH */
	case WSD_HELLO:
		for (i = 0; i < m->n_matches; i++)
			take_match(dc, &m->matches[i], method, src, f);
		if (m->matches_dropped > 0)
			count(dc, &dc->st.malformed);
		break;
	case WSD_BYE:
		take_bye(dc, &m->matches[0], src);
		break;
	default:
		/* Probes from others (never answered) and other actions. */
		count(dc, &dc->st.ignored);
		break;
	}
}

static void
handle_datagram(
    struct discovery *dc, size_t len, struct in_addr src, unsigned ifindex)
{
	char err[160];
	enum wsd_error e;

	if (!admit(dc, ntohl(src.s_addr), now_ms())) {
		count(dc, &dc->st.rate_limited);
		return;
	}
	if (len > WSD_MAX_DATAGRAM) {
		count(dc, &dc->st.oversized);
		return;
	}
	e = wsd_parse(dc->buf, len, &dc->msg, err, sizeof(err));
	if (e == WSD_E_OVERSIZED)
		count(dc, &dc->st.oversized);
	else if (e != WSD_OK)
		count(dc, &dc->st.malformed);
	else
		handle_msg(dc, src, iface_by_index(dc, ifindex));
}

/* Read what waits on fd, at most DRAIN datagrams. */
static void
drain(struct discovery *dc, int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} ctl;
	struct sockaddr_in from;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	unsigned ifindex;
	ssize_t n;
	int i;

	for (i = 0; i < DRAIN; i++) {
		iov.iov_base = dc->buf;
		iov.iov_len = sizeof(dc->buf);
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		/* MSG_TRUNC: n is the real length, so oversize is seen. */
		n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0)
			return;
		count(dc, &dc->st.received);
		if (from.sin_family != AF_INET)
			continue;
		ifindex = 0;
		for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_PKTINFO)
				ifindex =
				    (unsigned)((struct in_pktinfo *)CMSG_DATA(
						   c))
					->ipi_ifindex;
		handle_datagram(dc, (size_t)n, from.sin_addr, ifindex);
	}
}

static int
next_timeout(const struct discovery *dc, long long now)
{
	long long t = dc->next_round;

	if (dc->burst_left > 0 && dc->next_burst < t)
		t = dc->next_burst;
	if (dc->sweep_range < dc->cfg.n_sweeps && sweep_due(dc) < t)
		t = sweep_due(dc);
	t -= now;
	return t < 0 ? 0 : t > 60000 ? 60000 : (int)t;
}

static void
timers(struct discovery *dc, long long now)
{
	if (now >= dc->next_round)
		start_round(dc, now);
	if (dc->burst_left > 0 && now >= dc->next_burst) {
		probe_burst(dc);
		dc->burst_left--;
		/* Spread the burst: simultaneous replies collide. */
		dc->next_burst = now + 500 + jitter(1000);
	}
	sweep_step(dc, now);
}

static void *
discovery_thread(void *arg)
{
	struct discovery *dc = arg;
	struct pollfd pf[3];
	uint64_t v;

	start_round(dc, now_ms());
	for (;;) {
		long long now = now_ms();

		timers(dc, now);
		pf[0] = (struct pollfd){dc->ctl_efd, POLLIN, 0};
		pf[1] = (struct pollfd){dc->pfd, POLLIN, 0};
		pf[2] = (struct pollfd){dc->lfd, POLLIN, 0};
		if (poll(pf, dc->lfd >= 0 ? 3 : 2, next_timeout(dc, now_ms())) <
			0 &&
		    errno != EINTR)
			break;
		if (pf[0].revents & POLLIN) {
			bool stop;
			while (read(dc->ctl_efd, &v, sizeof(v)) > 0)
				;
			pthread_mutex_lock(&dc->lock);
			stop = dc->stopping;
			pthread_mutex_unlock(&dc->lock);
			if (stop)
				break;
		}
		if (pf[1].revents & POLLIN)
			drain(dc, dc->pfd);
		if (dc->lfd >= 0 && (pf[2].revents & POLLIN))
			drain(dc, dc->lfd);
	}
	return NULL;
}

/* ---- set-up (main thread) ------------------------------------------------ */

static int
udp_socket(uint16_t port, char *err, size_t errsz)
{
	struct sockaddr_in sa;
	int fd, one = 1, zero = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	/* Our own Probes are not news. */
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero));
	/* Probes stay on the link, whatever the system default. */
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		snprintf(
		    err, errsz, "bind to port %u: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
copy_config(struct discovery *dc, const struct cfg_discovery *c,
    const struct cidr4 *sites, size_t n_sites)
{
	size_t n = n_sites + c->n_sweeps + c->n_allow, o = 0;

	dc->cfg = *c;
	dc->cfg.ifaces = NULL;
	dc->cfg.sweeps = NULL;
	dc->cfg.allow = NULL;
	dc->cfg.n_allow = 0;
	if (c->n_ifaces > 0 &&
	    (dc->cfg.ifaces = calloc(c->n_ifaces, sizeof(*c->ifaces))) == NULL)
		return -1;
	if (c->n_ifaces > 0)
		memcpy(dc->cfg.ifaces, c->ifaces,
		    c->n_ifaces * sizeof(*c->ifaces));
	if ((dc->ranges = calloc(n + 1, sizeof(*dc->ranges))) == NULL ||
	    (dc->cfg.sweeps = calloc(c->n_sweeps + 1, sizeof(*c->sweeps))) ==
		NULL)
		return -1;
	memcpy(dc->cfg.sweeps, c->sweeps, c->n_sweeps * sizeof(*c->sweeps));
	memcpy(dc->ranges, sites, n_sites * sizeof(*dc->ranges));
	o = n_sites;
	memcpy(dc->ranges + o, c->sweeps, c->n_sweeps * sizeof(*dc->ranges));
	o += c->n_sweeps;
	memcpy(dc->ranges + o, c->allow, c->n_allow * sizeof(*dc->ranges));
	dc->n_ranges = n;
	dc->sweep_range = c->n_sweeps;
	return 0;
}

struct discovery *
discovery_new(const struct cfg_discovery *cfg, const struct cidr4 *sites,
    size_t n_sites, char *err, size_t errsz)
{
	struct discovery *dc;
	char lerr[200];

	if ((dc = calloc(1, sizeof(*dc))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&dc->lock, NULL);
	dc->lfd = dc->pfd = -1;
	dc->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	dc->ctl_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	dc->q = calloc(QUEUE_MAX, sizeof(*dc->q));
	if (dc->efd < 0 || dc->ctl_efd < 0 || dc->q == NULL ||
	    copy_config(dc, cfg, sites, n_sites) != 0) {
		snprintf(err, errsz, "cannot set up: %s", strerror(errno));
		goto fail;
	}
	if ((dc->pfd = udp_socket(0, err, errsz)) < 0)
		goto fail;
	/* Without the listener we still probe; Hellos are missed. */
	if (dc->cfg.multicast &&
	    (dc->lfd = udp_socket(WSD_PORT, lerr, sizeof(lerr))) < 0)
		snprintf(err, errsz, "Hello/Bye listener: %s", lerr);
	if (pthread_create(&dc->tid, NULL, discovery_thread, dc) != 0) {
		snprintf(err, errsz, "cannot start the thread");
		goto fail;
	}
	dc->started = true;
	return dc;
fail:
	discovery_free(dc);
	return NULL;
}

int
discovery_fd(const struct discovery *dc)
{
	return dc->efd;
}

size_t
discovery_take(struct discovery *dc, struct disc_sighting *out, size_t max)
{
	size_t got = 0;
	uint64_t v;

	pthread_mutex_lock(&dc->lock);
	while (got < max && dc->q_len > 0) {
		out[got++] = dc->q[dc->q_head];
		dc->q_head = (dc->q_head + 1) % QUEUE_MAX;
		dc->q_len--;
	}
	if (dc->q_len == 0)
		while (read(dc->efd, &v, sizeof(v)) > 0)
			;
	pthread_mutex_unlock(&dc->lock);
	return got;
}

void
discovery_stats(struct discovery *dc, struct disc_stats *st)
{
	pthread_mutex_lock(&dc->lock);
	*st = dc->st;
	pthread_mutex_unlock(&dc->lock);
}

static void
wake_thread(struct discovery *dc, bool *flag)
{
	uint64_t one = 1;

	pthread_mutex_lock(&dc->lock);
	*flag = true;
	pthread_mutex_unlock(&dc->lock);
	/* An eventfd write fails only when the counter is full: still awake. */
	if (write(dc->ctl_efd, &one, sizeof(one)) < 0) {
	}
}

void
discovery_free(struct discovery *dc)
{
	if (dc == NULL)
		return;
	if (dc->started) {
		wake_thread(dc, &dc->stopping);
		pthread_join(dc->tid, NULL);
	}
	if (dc->lfd >= 0)
		close(dc->lfd);
	if (dc->pfd >= 0)
		close(dc->pfd);
	if (dc->efd >= 0)
		close(dc->efd);
	if (dc->ctl_efd >= 0)
		close(dc->ctl_efd);
	free(dc->q);
	free(dc->ranges);
	free(dc->cfg.ifaces);
	free(dc->cfg.sweeps);
	pthread_mutex_destroy(&dc->lock);
	free(dc);
}
