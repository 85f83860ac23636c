/*
 * disc_unauth.c: the makers' own discovery protocols in the discovery
 * thread.  Hikvision SADP: an inquiry to 239.255.255.250:37020 out of each
 * chosen interface, its ProbeMatches read on our port and on the group
 * (devices often answer the group), and the Hellos cameras send there at
 * start-up.  Dahua DHIP: the framed search to 239.255.255.251:37810 and to
 * the interface's broadcast address, its replies read on our port.
 *
 * Sends nothing but SADP's inquiry and DHIP's DHDiscover.search.  What
 * arrives is untrusted and passes WS-Discovery's checks (discovery_recv.c:
 * rate per sender and overall, size, the configured ranges) and these: the
 * codecs (onvif/sadp.c, onvif/dhip.c) must read it; an SADP ProbeMatch must
 * echo the Uuid of an inquiry of ours (a Hello is an announcement, with a
 * Uuid of the camera's own); the address a reply declares must be its
 * sender's, or a spoofer could have us poll a third party.  A sighting
 * carries the camera's facts to the owner, who classifies it at once.
 *
 * The discovery thread only, but disc_unauth_open() and
 * disc_unauth_close() (the owner's, while the thread does not run).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/strutil.h"
#include "onvif/unauth.h"
#include "wsd/discovery_int.h"

#define SADP_MCAST_V4 "239.255.255.250"
#define DHIP_MCAST_V4 "239.255.255.251"
#define DEFAULT_HTTP_PORT 80

/* ---- sockets (the owner's thread) ---------------------------------------- */

static void
say(char *err, size_t errsz, const char *what, const char *why)
{
	size_t o = strlen(err);

	snprintf(err + o, errsz - o, "%s%s: %s", o > 0 ? "; " : "", what, why);
}

int
disc_unauth_open(struct discovery *dc, char *err, size_t errsz)
{
	char e[160];
	int one = 1, opened = 0, wanted = 0;

	if (dc->cfg.sadp.on) {
		wanted += 2;
		e[0] = '\0';
		if ((dc->sadp_pfd = disc_udp_socket(0, false, e, sizeof(e))) >=
		    0)
			opened++;
		else
			say(err, errsz, "SADP inquiries", e);
		/* Without the listener, replies to the group and Hellos are
		 * missed; unicast replies still come. */
		if ((dc->sadp_lfd = disc_udp_socket(
			 UNAUTH_SADP_PORT, true, e, sizeof(e))) >= 0)
			opened++;
		else
			say(err, errsz, "SADP listener", e);
	}
	if (dc->cfg.dhip.on) {
		wanted++;
		if ((dc->dhip_fd = disc_udp_socket(0, false, e, sizeof(e))) >=
			0 &&
		    setsockopt(dc->dhip_fd, SOL_SOCKET, SO_BROADCAST, &one,
			sizeof(one)) == 0)
			opened++;
		else
			say(err, errsz, "DHIP searches",
			    dc->dhip_fd < 0 ? e : "no broadcast");
	}
	return wanted > 0 && opened == 0 ? -1 : 0;
}

void
disc_unauth_close(struct discovery *dc)
{
	int *fds[] = {&dc->sadp_lfd, &dc->sadp_pfd, &dc->dhip_fd};
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

void
disc_unauth_join(struct discovery *dc, const struct iface *f)
{
	struct ip_mreqn mr;

	if (dc->sadp_lfd < 0)
		return;
	memset(&mr, 0, sizeof(mr));
	inet_pton(AF_INET, SADP_MCAST_V4, &mr.imr_multiaddr);
	mr.imr_ifindex = (int)f->index;
	/* Joined already after the first round: EADDRINUSE is fine. */
	(void)setsockopt(
	    dc->sadp_lfd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

/* ---- sending ------------------------------------------------------------- */

static bool
out_of(int fd, const struct iface *f)
{
	struct ip_mreqn mr;

	memset(&mr, 0, sizeof(mr));
	mr.imr_ifindex = (int)f->index;
	mr.imr_address = f->addr;
	return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) ==
	    0;
}

/* To to:port out of f (for multicast, IP_MULTICAST_IF says so too). */
static void
send_to(struct discovery *dc, int fd, const void *pkt, size_t len,
    struct in_addr to, uint16_t port, const struct iface *f)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} ctl;
	struct sockaddr_in sa;
	struct in_pktinfo *pi;
	struct msghdr mh;
	struct iovec iov = {(void *)pkt, len};
	struct cmsghdr *c;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr = to;
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &sa;
	mh.msg_namelen = sizeof(sa);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(*pi));
	pi = (struct in_pktinfo *)CMSG_DATA(c);
	pi->ipi_ifindex = (int)f->index;
	pi->ipi_spec_dst = f->addr;
	if (sendmsg(fd, &mh, 0) == (ssize_t)len)
		disc_count(dc, &dc->st.probes_sent);
}

/* A fresh Uuid, upper-case as SADP clients send it, kept for the replies. */
static const char *
new_sadp_uuid(struct discovery *dc)
{
	char id[WSD_UUID_MAX];
	char *u = dc->sadp_sent[dc->sadp_next];
	size_t i;

	wsd_new_message_id(id); /* "urn:uuid:" and 36 characters */
	for (i = 0; i < 36; i++)
		u[i] = (char)toupper((unsigned char)id[9 + i]);
	u[36] = '\0';
	dc->sadp_next = (dc->sadp_next + 1) % SENT_IDS;
	return u;
}

static bool
sadp_sent_by_us(const struct discovery *dc, const char *uuid)
{
	size_t i;

	if (uuid[0] == '\0')
		return false;
	for (i = 0; i < SENT_IDS; i++)
		if (dc->sadp_sent[i][0] != '\0' &&
		    strcasecmp(dc->sadp_sent[i], uuid) == 0)
			return true;
	return false;
}

static void
sadp_send(struct discovery *dc, const struct iface *f, const char *uuid)
{
	struct in_addr group;
	char pkt[256];
	int len;

	if (dc->sadp_pfd < 0 || !out_of(dc->sadp_pfd, f))
		return;
	if ((len = sadp_build_inquiry(uuid, pkt, sizeof(pkt))) < 0)
		return;
	inet_pton(AF_INET, SADP_MCAST_V4, &group);
	send_to(dc, dc->sadp_pfd, pkt, (size_t)len, group, UNAUTH_SADP_PORT, f);
}

static void
dhip_send(struct discovery *dc, const struct iface *f)
{
	struct in_addr group;
	uint8_t pkt[256];
	int len;

	if (dc->dhip_fd < 0 || (len = dhip_build_search(pkt, sizeof(pkt))) < 0)
		return;
	inet_pton(AF_INET, DHIP_MCAST_V4, &group);
	if (out_of(dc->dhip_fd, f))
		send_to(dc, dc->dhip_fd, pkt, (size_t)len, group,
		    UNAUTH_DHIP_PORT, f);
	/*
	 * Devices that do not hear the group hear the link's broadcast:
	 * 255.255.255.255 out of f, as Dahua's tools send it (a directed
	 * broadcast needs the interface's broadcast address configured).
	 */
	if (f->broadcast)
		send_to(dc, dc->dhip_fd, pkt, (size_t)len,
		    (struct in_addr){htonl(INADDR_BROADCAST)}, UNAUTH_DHIP_PORT,
		    f);
}

/*
 * One Uuid for the burst's inquiries on every interface: the ring of Uuids
 * a ProbeMatch may echo then lasts SENT_IDS bursts, however many
 * interfaces there are.
 */
void
disc_unauth_burst(struct discovery *dc)
{
	const char *uuid = NULL;
	size_t i;

	for (i = 0; i < dc->n_ifs; i++) {
		if (dc->ifs[i].protos & IF_SADP) {
			if (uuid == NULL)
				uuid = new_sadp_uuid(dc);
			sadp_send(dc, &dc->ifs[i], uuid);
		}
		if (dc->ifs[i].protos & IF_DHIP)
			dhip_send(dc, &dc->ifs[i]);
	}
}

/* ---- receiving ----------------------------------------------------------- */

/*
 * What every SADP and DHIP datagram passes first: the rate, the size.
 * The identity the codec fills is cleared.
 */
static bool
admitted(struct discovery *dc, size_t len, struct in_addr src)
{
	if (!disc_admit(dc, ntohl(src.s_addr), disc_now_ms())) {
		disc_drop(dc, &dc->st.rate_limited, src, "over the rate");
		return false;
	}
	if (len > WSD_MAX_DATAGRAM) {
		disc_drop(dc, &dc->st.oversized, src, "datagram too large");
		return false;
	}
	memset(&dc->uid, 0, sizeof(dc->uid));
	return true;
}

static void
fill_sighting(struct disc_sighting *s, const struct cam_identity *id,
    enum disc_method method, int port)
{
	size_t i;

	s->kind = DISC_SEEN;
	s->method = method;
	snprintf(s->url, sizeof(s->url), "http://%s:%d/onvif/device_service",
	    s->address, port > 0 ? port : DEFAULT_HTTP_PORT);
	if (id->n_macs > 0) {
		memcpy(s->mac, id->macs[0], 6);
		s->has_mac = true;
	}
	for (i = 0; i < id->facts.n && s->n_facts < DISC_FACTS_MAX; i++)
		s->facts[s->n_facts++] = id->facts.f[i];
}

/*
 * A reply (or Hello) the codec read into dc->uid: the address it declares
 * must be its sender's, and in range; then it is queued.
 */
static void
take(struct discovery *dc, enum disc_method method, bool hello, int port,
    struct in_addr src)
{
	struct disc_sighting s;
	struct in_addr declared;

	if (inet_pton(AF_INET, dc->uid.address, &declared) != 1 ||
	    declared.s_addr != src.s_addr) {
		disc_drop(dc, &dc->st.spoofed, src,
		    method == DISC_SADP
			? "an SADP reply declaring another address than its "
			  "sender's"
			: "a DHIP reply declaring another address than its "
			  "sender's");
		return;
	}
	if (!disc_in_ranges(dc, src)) {
		disc_drop(dc, &dc->st.out_of_scope, src,
		    "outside the sites, sweeps and allow ranges");
		return;
	}
	memset(&s, 0, sizeof(s));
	s.hello = hello;
	inet_ntop(AF_INET, &src, s.address, sizeof(s.address));
	fill_sighting(&s, &dc->uid, method, port);
	if (disc_enqueue(dc, &s))
		disc_count(dc,
		    method == DISC_SADP ? &dc->st.sadp_seen
					: &dc->st.dhip_seen);
}

void
disc_sadp_datagram(struct discovery *dc, size_t len, struct in_addr src)
{
	struct sadp_msg m;

	if (!admitted(dc, len, src))
		return;
	if (sadp_parse_msg(dc->buf, len, &m, &dc->uid) != 0) {
		disc_drop(dc, &dc->st.malformed, src, "not an SADP message");
		return;
	}
	if (m.kind == SADP_INQUIRY) {
		/* Another client's (never answered). */
		disc_drop(dc, &dc->st.ignored, src, "an SADP inquiry");
		return;
	}
	if (m.kind == SADP_PROBE_MATCH && !sadp_sent_by_us(dc, m.uuid)) {
		disc_drop(dc, &dc->st.spoofed, src,
		    "an SADP ProbeMatch to an inquiry we did not send");
		return;
	}
	take(dc, DISC_SADP, m.kind == SADP_HELLO, m.http_port, src);
}

void
disc_dhip_datagram(struct discovery *dc, size_t len, struct in_addr src)
{
	int port;

	if (!admitted(dc, len, src))
		return;
	if (dhip_parse_port((const uint8_t *)dc->buf, len, &port, &dc->uid) !=
	    0) {
		disc_drop(dc, &dc->st.malformed, src, "not a DHIP reply");
		return;
	}
	take(dc, DISC_DHIP, false, port, src);
}
