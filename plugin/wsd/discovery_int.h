/*
 * discovery_int.h: the discovery thread's state, shared by discovery.c
 * (the thread's life, timers, Probes and sweeps, set-up),
 * discovery_recv.c (what arrives: parsing, the checks, the queue) and
 * disc_unauth.c (SADP and DHIP).  Only those files (and the unit test
 * that drives their checks) include it.
 */
#ifndef CAMCOMPLY_DISCOVERY_INT_H
#define CAMCOMPLY_DISCOVERY_INT_H

#include <net/if.h>
#include <netinet/in.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/camera.h"
#include "wsd/discovery.h"
#include "wsd/wsd.h"

#define QUEUE_MAX 256
#define DROP_RING                                                              \
	64 /* drops kept for the owner's trace */ /* sightings waiting for the \
						     main thread */
#define MAX_IFACES 32
#define SENT_IDS 64 /* Probe MessageIDs a ProbeMatch may relate to */
#define BURST 3 /* multicast Probes per round and interface */
#define DRAIN 64 /* datagrams read per socket per wake-up */
#define GLOBAL_RATE                                                            \
	200 /* datagrams per second processed, all senders,                    \
	       plus the sweep rate (its replies come at that pace) */
#define SOURCE_RATE 20 /* ... from one sender */
#define SOURCES 256 /* senders tracked for their rate */

/* What runs on an interface. */
#define IF_WSD 1u
#define IF_SADP 2u
#define IF_DHIP 4u

struct iface {
	char name[IFNAMSIZ];
	unsigned index;
	unsigned protos; /* IF_* */
	struct in_addr addr, mask;
	bool broadcast; /* IFF_BROADCAST */
};

/* Which socket a datagram came in on. */
enum disc_proto { PROTO_WSD, PROTO_SADP, PROTO_DHIP };

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
	struct disc_drop drops[DROP_RING]; /* while traced: the last drops */
	size_t drop_head, drop_len;
	unsigned long drops_lost;
	bool trace;
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
	int sadp_lfd, sadp_pfd; /* listener on 37020; inquiry socket */
	int dhip_fd; /* searches and their replies */
	struct iface ifs[MAX_IFACES];
	size_t n_ifs;
	char sent[SENT_IDS][WSD_UUID_MAX];
	size_t sent_next;
	char sweep_id[WSD_UUID_MAX];
	char sadp_sent[SENT_IDS][37]; /* Uuids of our SADP inquiries */
	size_t sadp_next;
	long long next_round, next_burst;
	long long sweep_start, sweep_sent; /* the pace: sent vs. elapsed */
	int burst_left;
	size_t sweep_range; /* n_sweeps: no sweep running */
	uint32_t sweep_next;
	struct bucket global, sources[SOURCES];
	struct wsd_msg msg;
	struct cam_identity uid; /* what an SADP or DHIP reply says */
	char buf[WSD_MAX_DATAGRAM + 1];
};

/* discovery.c */
long long disc_now_ms(void);
void disc_count(struct discovery *, unsigned long *field);
void disc_drop(struct discovery *, unsigned long *field, struct in_addr from,
    const char *why);
void disc_wake_owner(struct discovery *);
bool disc_admit(struct discovery *, uint32_t src, long long now);
const struct iface *disc_iface_by_index(const struct discovery *, unsigned);
bool disc_sent_by_us(const struct discovery *, const char *id);
/* A non-blocking UDP socket bound to port (0: any), TTL 1, no loop. */
int disc_udp_socket(uint16_t port, bool reuseport, char *err, size_t errsz);

/* discovery_recv.c */
/* Read what waits on fd, at most DRAIN datagrams. */
void disc_drain(struct discovery *, int fd, enum disc_proto);
bool disc_in_ranges(const struct discovery *, struct in_addr);
/* Queue s for the owner; false when the queue is full (counted). */
bool disc_enqueue(struct discovery *, const struct disc_sighting *s);

/* disc_unauth.c */
/* The SADP and DHIP sockets cfg asks for; err says what failed (the
 * others still open); -1 when none of them could. */
int disc_unauth_open(struct discovery *, char *err, size_t errsz);
void disc_unauth_close(struct discovery *);
/* Join SADP's group on f (SADP interfaces). */
void disc_unauth_join(struct discovery *, const struct iface *f);
/* An SADP inquiry and a DHIP search out of each interface they run on. */
void disc_unauth_burst(struct discovery *);
/* One datagram in dc->buf from src: checked, and queued if it passes. */
void disc_sadp_datagram(struct discovery *, size_t len, struct in_addr src);
void disc_dhip_datagram(struct discovery *, size_t len, struct in_addr src);

#endif
