/*
 * discovery.h: the discovery thread: WS-Discovery, and the makers' own
 * discovery protocols, Hikvision SADP and Dahua DHIP.
 *
 * One thread owns the discovery sockets: it sends the Probes, inquiries,
 * searches and the sweep, listens for ProbeMatches, Hello and Bye (and
 * SADP's and DHIP's replies and Hellos), drops what is malformed, spoofed,
 * out of range or over the rate, and queues sightings for its owner (the
 * agent's main thread, or `camcomply discover`), which alone acts on them.
 * Everything declared here except the thread itself runs on the owner's
 * thread.
 */
#ifndef CAMCOMPLY_DISCOVERY_H
#define CAMCOMPLY_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/camera.h"
#include "common/cidr.h"

/* camDeviceDiscovery: how a row was first found. */
enum disc_method {
	DISC_CONFIGURED = 1,
	DISC_PROBE, /* answered a multicast Probe */
	DISC_HELLO, /* announced itself */
	DISC_SWEEP, /* answered a unicast Probe of a sweep */
	DISC_SADP, /* answered an SADP inquiry, or said an SADP Hello */
	DISC_DHIP, /* answered a DHIP search */
};
#define DISC_METHOD_MAX DISC_DHIP

/* Interfaces a protocol runs on: "discover sadp IFACE|all" lines. */
struct cfg_ifset {
	bool on; /* any line */
	bool all; /* "all": the multicast-capable ones but loopback */
	char (*names)[CAM_NAME_MAX];
	size_t n;
};

/* What the 'discover' tokens of camcomplyd.conf say. */
struct cfg_discovery {
	bool multicast; /* any "discover multicast" line */
	bool all_ifaces; /* "discover multicast all" */
	char (*ifaces)[CAM_NAME_MAX];
	size_t n_ifaces;
	struct cidr4 *sweeps;
	size_t n_sweeps;
	struct cidr4 *allow; /* beyond sites and sweeps */
	size_t n_allow;
	bool allow_any;
	struct cfg_ifset sadp, dhip; /* "discover sadp|dhip IFACE|all" */
	int interval; /* seconds between probe rounds and sweeps */
	int sweep_rate; /* unicast probes per second */
	int max_devices; /* discovered rows kept at most */
	int max_per_host; /* ... created by one sender at most */
	int expire_days; /* a discovered row silent this long goes */
	char credentials[CAM_NAME_MAX]; /* tried on discovered cameras */
};

enum disc_kind { DISC_SEEN = 1, DISC_BYE };

/* What an SADP or DHIP reply says of the camera: facts at most. */
#define DISC_FACTS_MAX 8

struct disc_sighting {
	enum disc_kind kind;
	enum disc_method method;
	char endpoint[CAM_STR_MAX];
	char url[CAM_STR_MAX]; /* chosen XAddr; "" for a Bye */
	char address[CAM_ADDR_MAX]; /* its host; the source for a Bye */
	char scopes[CAM_SCOPES_MAX][CAM_STR_MAX];
	size_t n_scopes;
	uint8_t mac[6];
	bool has_mac;
	unsigned long metadata_version; /* 0: not sent */
	/* SADP and DHIP: what the camera said of itself. */
	bool hello; /* an SADP Hello: announced, not asked */
	uint8_t n_facts;
	struct cam_fact facts[DISC_FACTS_MAX]; /* probe: the method's */
};

struct disc_stats {
	unsigned long received; /* datagrams read */
	unsigned long malformed; /* not XML/SOAP/WS-Discovery as it should be */
	unsigned long oversized;
	unsigned long spoofed; /* XAddr not the sender's, unsolicited match */
	unsigned long out_of_scope; /* outside sites, sweeps and allow */
	unsigned long rate_limited;
	unsigned long ignored; /* Probes from others, other actions, not NVT */
	unsigned long queue_full;
	unsigned long probes_sent; /* and SADP inquiries, DHIP searches */
	unsigned long sadp_seen; /* SADP replies and Hellos queued */
	unsigned long dhip_seen; /* DHIP replies queued */
	/* counted by the main thread */
	unsigned long capped; /* new cameras beyond discover-max */
	unsigned long host_capped; /* ... beyond discover-max-per-host */
};

struct discovery;

/*
 * Starts the thread for cfg; discovered cameras are accepted in the sites'
 * ranges, cfg's sweeps and cfg's allow ranges.  NULL with err set when
 * nothing can be listened on.
 */
struct discovery *discovery_new(const struct cfg_discovery *cfg,
    const struct cidr4 *sites, size_t n_sites, char *err, size_t errsz);
int discovery_fd(const struct discovery *);
size_t discovery_take(struct discovery *, struct disc_sighting *, size_t max);
void discovery_stats(struct discovery *, struct disc_stats *);
void discovery_free(struct discovery *);
/* One dropped datagram, for the owner's trace log. */
struct disc_drop {
	const char *why; /* a static string */
	char from[16]; /* dotted IPv4 */
};

/* Keep the last drops, with why, for discovery_take_drops (off: not). */
void discovery_trace(struct discovery *, bool on);
/* Take them; *lost says how many were overwritten since the last take. */
size_t discovery_take_drops(
    struct discovery *, struct disc_drop *, size_t max, unsigned long *lost);
/* "probe", "hello", "sweep", "sadp", "dhip" (or "configured"): for logs
 * and the CLI. */
const char *disc_method_name(enum disc_method);

#endif
