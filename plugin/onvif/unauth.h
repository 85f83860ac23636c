/*
 * unauth.h: the collectors that read what a camera tells anyone who asks
 * without credentials: Hikvision SADP (UDP 37020), Dahua DHIP (UDP 37810),
 * HTTP and HTTPS banners, realms and pages (TCP 80/443, Dahua's
 * RPC2_Login first step with an empty password), RTSP OPTIONS and
 * DESCRIBE (TCP 554), the TLS certificate's subject and issuer, and
 * makers' private TCP ports (Xiongmai's DVR-IP, 34567), connected to and
 * closed without a byte sent: that one accepts is the fact.
 *
 * They never send a credential: no user name with a password, no
 * Authorization header, no second login step.  They record facts
 * (common/camera.h) and decide nothing; the policy turns facts into
 * evidence.  Every reply is untrusted: size caps, no DTDs, printable
 * strings only, one deadline over the whole set of probes (the ONVIF
 * client's watchdog), replies from another address than the one probed
 * ignored and counted.  Thread-safe: each call owns its sockets.
 */
#ifndef CAMCOMPLY_UNAUTH_H
#define CAMCOMPLY_UNAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "common/camera.h"

/* Standard ports; unauth_opts may name others per camera. */
#define UNAUTH_SADP_PORT 37020
#define UNAUTH_DHIP_PORT 37810
#define UNAUTH_HTTP_PORT 80
#define UNAUTH_HTTPS_PORT 443
#define UNAUTH_RTSP_PORT 554
/* PROBE_PORTS: Xiongmai's DVR-IP ("Sofia", XMeye), unless told others. */
#define UNAUTH_PRIVATE_PORT 34567
#define UNAUTH_PRIVATE_PORTS_MAX 8

enum unauth_status {
	UNAUTH_NOT_TRIED = 0,
	UNAUTH_OK, /* a reply that parsed; facts recorded */
	UNAUTH_SILENT, /* no reply before the probe's time ran out */
	UNAUTH_REFUSED, /* connection refused or reset, ICMP unreachable */
	UNAUTH_MALFORMED, /* a reply that did not parse (too big, bad frame) */
	UNAUTH_TLS_ERROR, /* the TLS handshake failed */
	UNAUTH_STATUS_COUNT
};

struct unauth_opts {
	uint32_t probes; /* CAM_PROBE() bits to run (PROBE_ONVIF ignored) */
	/* 0: the standard port. */
	int sadp_port, dhip_port, http_port, https_port, rtsp_port;
	/* PROBE_PORTS' ports; none: UNAUTH_PRIVATE_PORT. */
	uint16_t private_ports[UNAUTH_PRIVATE_PORTS_MAX];
	size_t n_private_ports;
	int connect_timeout_ms;
	int io_timeout_ms; /* per send / per receive, and per UDP wait */
	int deadline_ms; /* all probes of one call together */
	size_t max_reply; /* bytes per reply; 0: the default (64 KiB) */
	/* Literal strings the policy looks for in pages (FACT_HTTP_MARKER). */
	const char *const *markers;
	size_t n_markers;
};

struct unauth_result {
	enum unauth_status status[PROBE_COUNT];
	/* Datagrams on a probe's socket from an address not probed. */
	unsigned spoofed;
	int elapsed_ms;
};

/* Defaults: every probe but none of ONVIF, standard ports, 3 s I/O, 10 s
 * deadline, 64 KiB replies, no markers. */
void unauth_opts_init(struct unauth_opts *);

/*
 * Probe the camera at address (numeric IPv4 or IPv6, no port).  Facts go
 * to id->facts (tried and answered bits included); MACs the camera
 * volunteers (SADP MAC, DHIP mac, RPC2 mac, a realm's MAC) are added to
 * id->macs; the identity's ONVIF fields are not touched.  Always fills res.
 */
void unauth_probe(const char *address, const struct unauth_opts *,
    struct cam_identity *id, struct unauth_result *res);

/*
 * Fill the identity's empty model, serial and firmware from the facts
 * (SADP or DHIP first).  What ONVIF said is never overwritten.
 */
void unauth_adopt_facts(struct cam_identity *id);

const char *unauth_status_name(enum unauth_status);

/* ---- the wire formats, shared with discovery --------------------------
 *
 * Builders return the length written, or -1 when bufsz is too small.
 * Parsers return 0 and add facts and MACs to id (and id->address when the
 * reply names one and id->address is empty), or -1 when the datagram is
 * not a well-formed reply.
 */

/* An SADP inquiry Probe carrying uuid (36 characters, upper-case). */
int sadp_build_inquiry(const char *uuid, char *buf, size_t bufsz);
/* A ProbeMatch; with expect_uuid, one whose Uuid differs is refused. */
int sadp_parse(const char *buf, size_t len, const char *expect_uuid,
    struct cam_identity *id);

/*
 * Any SADP datagram discovery's sockets read: a ProbeMatch of any Uuid, a
 * Hello (root <Hello>, or Types "hello": a camera announcing itself, with
 * a Uuid of its own) or another client's inquiry (kind SADP_INQUIRY,
 * nothing else read).  Facts, MACs and the address as sadp_parse().
 */
enum sadp_kind { SADP_PROBE_MATCH = 1, SADP_HELLO, SADP_INQUIRY };
struct sadp_msg {
	enum sadp_kind kind;
	char uuid[37]; /* as sent; "" when longer than a UUID */
	int http_port; /* HttpPort, 1..65535; 0 when not said */
};
int sadp_parse_msg(
    const char *buf, size_t len, struct sadp_msg *, struct cam_identity *id);

/* The framed DHDiscover.search request. */
int dhip_build_search(uint8_t *buf, size_t bufsz);
/* A framed client.notifyDevInfo reply. */
int dhip_parse(const uint8_t *buf, size_t len, struct cam_identity *id);
/* The same, and its HttpPort (1..65535; 0 when not said) in *http_port. */
int dhip_parse_port(
    const uint8_t *buf, size_t len, int *http_port, struct cam_identity *id);

#endif
