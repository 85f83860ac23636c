/*
 * discovery_recv.c: what arrives on the discovery sockets (SADP's and
 * DHIP's own checks are disc_unauth.c's).
 *
 * Owns the checks of an unauthenticated protocol: each datagram is rate
 * limited per sender and overall, size-capped, parsed (wsd.c), and each
 * match must name an XAddr at the sender's own address inside the
 * configured ranges; ProbeMatches must answer a Probe we sent.  What
 * passes becomes a sighting in the owner's bounded queue; what does not is
 * counted (and traced, see disc_drop()).  The discovery thread only.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/strutil.h"
#include "wsd/discovery_int.h"

/* ---- receiving ----------------------------------------------------------- */

bool
disc_in_ranges(const struct discovery *dc, struct in_addr a)
{
	return dc->cfg.allow_any ||
	    cidr_contains(dc->ranges, dc->n_ranges, ntohl(a.s_addr));
}

bool
disc_enqueue(struct discovery *dc, const struct disc_sighting *s)
{
	bool full;

	pthread_mutex_lock(&dc->lock);
	full = dc->q_len == QUEUE_MAX;
	if (full)
		dc->st.queue_full++;
	else
		dc->q[(dc->q_head + dc->q_len++) % QUEUE_MAX] = *s;
	pthread_mutex_unlock(&dc->lock);
	if (!full)
		disc_wake_owner(dc);
	return !full;
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
		disc_drop(
		    dc, &dc->st.ignored, src, "not a NetworkVideoTransmitter");
		return;
	}
	k = wsd_choose_xaddr(m, src, f ? f->addr : (struct in_addr){0},
	    f ? f->mask : (struct in_addr){0}, &host);
	if (k < 0 || host.s_addr != src.s_addr) {
		disc_drop(dc, &dc->st.spoofed, src,
		    "no XAddr at the sender's own address");
		return;
	}
	if (!disc_in_ranges(dc, host)) {
		disc_drop(dc, &dc->st.out_of_scope, src,
		    "outside the sites, sweeps and allow ranges");
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
	disc_enqueue(dc, &s);
}

static void
take_bye(struct discovery *dc, const struct wsd_match *m, struct in_addr src)
{
	struct disc_sighting s;

	if (!disc_in_ranges(dc, src)) {
		disc_drop(dc, &dc->st.out_of_scope, src,
		    "Bye from outside the sites, sweeps and allow ranges");
		return;
	}
	memset(&s, 0, sizeof(s));
	s.kind = DISC_BYE;
	s.method = DISC_HELLO;
	str_lcpy(s.endpoint, m->endpoint, sizeof(s.endpoint));
	inet_ntop(AF_INET, &src, s.address, sizeof(s.address));
	disc_enqueue(dc, &s);
}

static void
handle_msg(struct discovery *dc, struct in_addr src, const struct iface *f)
{
	const struct wsd_msg *m = &dc->msg;
	enum disc_method method = DISC_HELLO;
	size_t i;

	switch (m->type) {
	case WSD_PROBE_MATCHES:
		if (!disc_sent_by_us(dc, m->relates_to)) {
			disc_drop(dc, &dc->st.spoofed, src,
			    "ProbeMatches to a Probe we did not send");
			return;
		}
		method = strcmp(m->relates_to, dc->sweep_id) == 0 ? DISC_SWEEP
								  : DISC_PROBE;
		/* FALLTHROUGH */
	case WSD_HELLO:
		for (i = 0; i < m->n_matches; i++)
			take_match(dc, &m->matches[i], method, src, f);
		if (m->matches_dropped > 0)
			disc_drop(dc, &dc->st.malformed, src,
			    "matches beyond the first ones, or unusable");
		break;
	case WSD_BYE:
		take_bye(dc, &m->matches[0], src);
		break;
	default:
		/* Probes from others (never answered) and other actions. */
		disc_drop(
		    dc, &dc->st.ignored, src, "a Probe or another action");
		break;
	}
}

static void
handle_datagram(
    struct discovery *dc, size_t len, struct in_addr src, unsigned ifindex)
{
	char err[160];
	enum wsd_error e;

	if (!disc_admit(dc, ntohl(src.s_addr), disc_now_ms())) {
		disc_drop(dc, &dc->st.rate_limited, src, "over the rate");
		return;
	}
	if (len > WSD_MAX_DATAGRAM) {
		disc_drop(dc, &dc->st.oversized, src, "datagram too large");
		return;
	}
	e = wsd_parse(dc->buf, len, &dc->msg, err, sizeof(err));
	if (e == WSD_E_OVERSIZED)
		disc_drop(
		    dc, &dc->st.oversized, src, "XML too large or too deep");
	else if (e != WSD_OK)
		disc_drop(dc, &dc->st.malformed, src, "not WS-Discovery XML");
	else
		handle_msg(dc, src, disc_iface_by_index(dc, ifindex));
}

void
disc_drain(struct discovery *dc, int fd, enum disc_proto proto)
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
		disc_count(dc, &dc->st.received);
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
		if (proto == PROTO_SADP)
			disc_sadp_datagram(dc, (size_t)n, from.sin_addr);
		else if (proto == PROTO_DHIP)
			disc_dhip_datagram(dc, (size_t)n, from.sin_addr);
		else
			handle_datagram(dc, (size_t)n, from.sin_addr, ifindex);
	}
}
