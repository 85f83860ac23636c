/*
 * discovery.c: the discovery thread.
 *
 * Owns the discovery sockets and everything done with them: multicast
 * Probes on the chosen IPv4 interfaces (a burst of three with jitter, since
 * replies collide and get lost; SADP inquiries and DHIP searches go in the
 * same bursts, disc_unauth.c), the Hello/Bye listener on port 3702, the
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
 * declared in discovery.h run on the owner's thread.  What arrives is
 * checked in discovery_recv.c.
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

#include "common/strutil.h"
#include "wsd/discovery_int.h"

long long
disc_now_ms(void)
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
		r = (unsigned)disc_now_ms();
	return range ? r % range : 0;
}

void
disc_count(struct discovery *dc, unsigned long *field)
{
	pthread_mutex_lock(&dc->lock);
	(*field)++;
	pthread_mutex_unlock(&dc->lock);
}

void
disc_wake_owner(struct discovery *dc)
{
	uint64_t one = 1;

	if (write(dc->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return;
}

/*
 * A datagram dropped: counted, and while the owner traces (camcomply:disc)
 * also kept, with why and from whom, for it to log.  The thread itself
 * never logs: Net-SNMP's logging is not ours to call from here.
 */
void
disc_drop(struct discovery *dc, unsigned long *field, struct in_addr from,
    const char *why)
{
	struct disc_drop *d;
	bool traced;

	pthread_mutex_lock(&dc->lock);
	(*field)++;
	if ((traced = dc->trace)) {
		if (dc->drop_len == DROP_RING) {
			dc->drop_head = (dc->drop_head + 1) % DROP_RING;
			dc->drop_len--;
			dc->drops_lost++;
		}
		d = &dc->drops[(dc->drop_head + dc->drop_len++) % DROP_RING];
		d->why = why;
		inet_ntop(AF_INET, &from, d->from, sizeof(d->from));
	}
	pthread_mutex_unlock(&dc->lock);
	if (traced)
		disc_wake_owner(dc);
}

const char *
disc_method_name(enum disc_method m)
{
	return m == DISC_HELLO ? "hello"
	    : m == DISC_SWEEP  ? "sweep"
	    : m == DISC_PROBE  ? "probe"
	    : m == DISC_SADP   ? "sadp"
	    : m == DISC_DHIP   ? "dhip"
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

bool
disc_admit(struct discovery *dc, uint32_t src, long long now)
{
	return take_token(source_bucket(dc, src, now), SOURCE_RATE, now) &&
	    take_token(&dc->global, GLOBAL_RATE + dc->cfg.sweep_rate, now);
}

/* ---- interfaces ---------------------------------------------------------- */

static bool
in_set(const char (*names)[CAM_NAME_MAX], size_t n, bool all,
    const struct ifaddrs *ifa)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], ifa->ifa_name) == 0)
			return true;
	/* "all" means the multicast-capable ones, never loopback. */
	return all && (ifa->ifa_flags & IFF_MULTICAST) &&
	    !(ifa->ifa_flags & IFF_LOOPBACK);
}

/* IF_* bits: which protocols run on the interface. */
static unsigned
iface_protos(const struct cfg_discovery *c, const struct ifaddrs *ifa)
{
	unsigned p = 0;

	if (c->multicast && in_set(c->ifaces, c->n_ifaces, c->all_ifaces, ifa))
		p |= IF_WSD;
	if (c->sadp.on && in_set(c->sadp.names, c->sadp.n, c->sadp.all, ifa))
		p |= IF_SADP;
	if (c->dhip.on && in_set(c->dhip.names, c->dhip.n, c->dhip.all, ifa))
		p |= IF_DHIP;
	return p;
}

static void
join_group(int fd, const char *group, unsigned index)
{
	struct ip_mreqn mr;

	if (fd < 0)
		return;
	memset(&mr, 0, sizeof(mr));
	inet_pton(AF_INET, group, &mr.imr_multiaddr);
	mr.imr_ifindex = (int)index;
	/* Joined already after the first round: EADDRINUSE is fine. */
	(void)setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

static void
add_iface(struct discovery *dc, const struct ifaddrs *ifa, unsigned protos)
{
	struct iface *f = &dc->ifs[dc->n_ifs++];

	str_lcpy(f->name, ifa->ifa_name, sizeof(f->name));
	f->index = if_nametoindex(ifa->ifa_name);
	f->protos = protos;
	f->addr = ((struct sockaddr_in *)ifa->ifa_addr)->sin_addr;
	f->mask = ifa->ifa_netmask != NULL
	    ? ((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr
	    : (struct in_addr){htonl(0xffffff00)};
	f->broadcast = (ifa->ifa_flags & IFF_BROADCAST) != 0;
	if (protos & IF_WSD)
		join_group(dc->lfd, WSD_MCAST_V4, f->index);
	if (protos & IF_SADP)
		disc_unauth_join(dc, f);
}

/* Interfaces come and go (DHCP, VLANs): read them again every round. */
static void
refresh_ifaces(struct discovery *dc)
{
	struct ifaddrs *all, *ifa;
	unsigned protos;

	dc->n_ifs = 0;
	if (getifaddrs(&all) != 0)
		return;
	for (ifa = all; ifa != NULL && dc->n_ifs < MAX_IFACES;
	     ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET ||
		    !(ifa->ifa_flags & IFF_UP) ||
		    (protos = iface_protos(&dc->cfg, ifa)) == 0)
			continue;
		/* One Probe per interface, whatever its addresses. */
		if (disc_iface_by_index(dc, if_nametoindex(ifa->ifa_name)) ==
		    NULL)
			add_iface(dc, ifa, protos);
	}
	freeifaddrs(all);
}

const struct iface *
disc_iface_by_index(const struct discovery *dc, unsigned index)
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

bool
disc_sent_by_us(const struct discovery *dc, const char *id)
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
		disc_count(dc, &dc->st.probes_sent);
}

/*
 * One multicast Probe out of every interface, each with its own id, and
 * the SADP inquiry and DHIP search where those run.
 */
static void
probe_burst(struct discovery *dc)
{
	struct ip_mreqn mr;
	struct in_addr group;
	char id[WSD_UUID_MAX];
	size_t i;

	disc_unauth_burst(dc);
	inet_pton(AF_INET, WSD_MCAST_V4, &group);
	for (i = 0; i < dc->n_ifs; i++) {
		if (!(dc->ifs[i].protos & IF_WSD))
			continue;
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
	struct pollfd pf[6];
	uint64_t v;

	start_round(dc, disc_now_ms());
	for (;;) {
		long long now = disc_now_ms();

		timers(dc, now);
		/* poll() skips the sockets not open (-1). */
		pf[0] = (struct pollfd){dc->ctl_efd, POLLIN, 0};
		pf[1] = (struct pollfd){dc->pfd, POLLIN, 0};
		pf[2] = (struct pollfd){dc->lfd, POLLIN, 0};
		pf[3] = (struct pollfd){dc->sadp_pfd, POLLIN, 0};
		pf[4] = (struct pollfd){dc->sadp_lfd, POLLIN, 0};
		pf[5] = (struct pollfd){dc->dhip_fd, POLLIN, 0};
		if (poll(pf, 6, next_timeout(dc, disc_now_ms())) < 0 &&
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
			disc_drain(dc, dc->pfd, PROTO_WSD);
		if (pf[2].revents & POLLIN)
			disc_drain(dc, dc->lfd, PROTO_WSD);
		if (pf[3].revents & POLLIN)
			disc_drain(dc, dc->sadp_pfd, PROTO_SADP);
		if (pf[4].revents & POLLIN)
			disc_drain(dc, dc->sadp_lfd, PROTO_SADP);
		if (pf[5].revents & POLLIN)
			disc_drain(dc, dc->dhip_fd, PROTO_DHIP);
	}
	return NULL;
}

/* ---- set-up (main thread) ------------------------------------------------ */

int
disc_udp_socket(uint16_t port, bool reuseport, char *err, size_t errsz)
{
	struct sockaddr_in sa;
	int fd, one = 1, zero = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Another SADP tool on this host may hold the port: share it. */
	if (reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
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

/* memcpy of n items; with none, src may be NULL, which memcpy must not get. */
static void
copy_n(void *dst, const void *src, size_t n, size_t size)
{
	if (n > 0)
		memcpy(dst, src, n * size);
}

static int
copy_ifset(struct cfg_ifset *to, const struct cfg_ifset *from)
{
	*to = *from;
	to->names = NULL;
	if (from->n == 0)
		return 0;
	if ((to->names = calloc(from->n, sizeof(*from->names))) == NULL)
		return -1;
	memcpy(to->names, from->names, from->n * sizeof(*from->names));
	return 0;
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
	dc->cfg.sadp.names = dc->cfg.dhip.names = NULL;
	if (copy_ifset(&dc->cfg.sadp, &c->sadp) != 0 ||
	    copy_ifset(&dc->cfg.dhip, &c->dhip) != 0)
		return -1;
	if (c->n_ifaces > 0 &&
	    (dc->cfg.ifaces = calloc(c->n_ifaces, sizeof(*c->ifaces))) == NULL)
		return -1;
	copy_n(dc->cfg.ifaces, c->ifaces, c->n_ifaces, sizeof(*c->ifaces));
	if ((dc->ranges = calloc(n + 1, sizeof(*dc->ranges))) == NULL ||
	    (dc->cfg.sweeps = calloc(c->n_sweeps + 1, sizeof(*c->sweeps))) ==
		NULL)
		return -1;
	copy_n(dc->cfg.sweeps, c->sweeps, c->n_sweeps, sizeof(*c->sweeps));
	copy_n(dc->ranges, sites, n_sites, sizeof(*dc->ranges));
	o = n_sites;
	copy_n(dc->ranges + o, c->sweeps, c->n_sweeps, sizeof(*dc->ranges));
	o += c->n_sweeps;
	copy_n(dc->ranges + o, c->allow, c->n_allow, sizeof(*dc->ranges));
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

	if (errsz > 0)
		err[0] = '\0';
	if ((dc = calloc(1, sizeof(*dc))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&dc->lock, NULL);
	dc->lfd = dc->pfd = -1;
	dc->sadp_lfd = dc->sadp_pfd = dc->dhip_fd = -1;
	dc->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	dc->ctl_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	dc->q = calloc(QUEUE_MAX, sizeof(*dc->q));
	if (dc->efd < 0 || dc->ctl_efd < 0 || dc->q == NULL ||
	    copy_config(dc, cfg, sites, n_sites) != 0) {
		snprintf(err, errsz, "cannot set up: %s", strerror(errno));
		goto fail;
	}
	if ((dc->pfd = disc_udp_socket(0, false, err, errsz)) < 0)
		goto fail;
	/* Without the listener we still probe; Hellos are missed. */
	if (dc->cfg.multicast &&
	    (dc->lfd = disc_udp_socket(WSD_PORT, false, lerr, sizeof(lerr))) <
		0)
		snprintf(err, errsz, "Hello/Bye listener: %s", lerr);
	/* Nor without SADP's or DHIP's: said, and the rest runs. */
	lerr[0] = '\0';
	if (disc_unauth_open(dc, lerr, sizeof(lerr)) != 0 || lerr[0] != '\0')
		snprintf(err + strlen(err), errsz - strlen(err), "%s%s",
		    err[0] != '\0' ? "; " : "", lerr);
	if (pthread_create(&dc->tid, NULL, discovery_thread, dc) != 0) {
		snprintf(err, errsz, "cannot start the thread");
		goto fail;
	}
	pthread_setname_np(dc->tid, "camcomply-disc");
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
	if (dc->q_len == 0 && dc->drop_len == 0)
		while (read(dc->efd, &v, sizeof(v)) > 0)
			;
	pthread_mutex_unlock(&dc->lock);
	return got;
}

void
discovery_trace(struct discovery *dc, bool on)
{
	pthread_mutex_lock(&dc->lock);
	dc->trace = on;
	pthread_mutex_unlock(&dc->lock);
}

size_t
discovery_take_drops(struct discovery *dc, struct disc_drop *out, size_t max,
    unsigned long *lost)
{
	size_t got = 0;

	pthread_mutex_lock(&dc->lock);
	while (got < max && dc->drop_len > 0) {
		out[got++] = dc->drops[dc->drop_head];
		dc->drop_head = (dc->drop_head + 1) % DROP_RING;
		dc->drop_len--;
	}
	*lost = dc->drops_lost;
	dc->drops_lost = 0;
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
	disc_unauth_close(dc);
	free(dc->q);
	free(dc->ranges);
	free(dc->cfg.ifaces);
	free(dc->cfg.sweeps);
	free(dc->cfg.sadp.names);
	free(dc->cfg.dhip.names);
	pthread_mutex_destroy(&dc->lock);
	free(dc);
}
