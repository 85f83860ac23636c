/*
 * wsd.h: WS-Discovery (2005/04) messages as plain C: the Probe we send, and
 * the ProbeMatches, Hello and Bye that cameras (or anyone on the LAN) send.
 *
 * Owns parsing of untrusted datagrams (libxml2, no DTD, no entities, no
 * network, elements matched by namespace URI whatever the prefixes), scope
 * decoding and the choice of the XAddr to poll.  Pure functions with no
 * global state: callable from any thread.  Sockets live in discovery.c.
 */
#ifndef CAMCOMPLY_WSD_H
#define CAMCOMPLY_WSD_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>

#include "common/camera.h"

#define WSD_PORT 3702
#define WSD_MCAST_V4 "239.255.255.250"
/* Larger datagrams are refused unparsed (real ProbeMatches are ~2 KiB). */
#define WSD_MAX_DATAGRAM 16384
#define WSD_MAX_MATCHES 4 /* per datagram; the rest are counted */
#define WSD_MAX_XADDRS 8 /* per match; the rest are dropped */
#define WSD_UUID_MAX 46 /* "urn:uuid:" + 36 + NUL */

enum wsd_type {
	WSD_UNKNOWN = 0, /* SOAP, but not a discovery action we use */
	WSD_PROBE,
	WSD_PROBE_MATCHES,
	WSD_HELLO,
	WSD_BYE,
};

enum wsd_error {
	WSD_OK = 0,
	WSD_E_OVERSIZED, /* len > WSD_MAX_DATAGRAM: not parsed at all */
	WSD_E_MALFORMED, /* not well-formed XML, a DTD, not a SOAP envelope,
			    too deep, or a discovery body missing its parts */
};

struct wsd_match {
	char endpoint[CAM_STR_MAX]; /* wsa:EndpointReference/wsa:Address */
	bool is_nvt; /* Types name tdn:NetworkVideoTransmitter or tds:Device
			(resolved by namespace URI), or Types is absent */
	char xaddrs[WSD_MAX_XADDRS][CAM_STR_MAX]; /* as sent, cleaned */
	size_t n_xaddrs;
	char scopes[CAM_SCOPES_MAX]
		   [CAM_STR_MAX]; /* as sent (percent-encoded) */
	size_t n_scopes;
	bool has_metadata_version;
	unsigned long metadata_version;
};

struct wsd_msg {
	enum wsd_type type;
	char message_id[CAM_STR_MAX];
	char relates_to[CAM_STR_MAX]; /* ProbeMatches: our Probe's MessageID */
	bool has_app_sequence;
	unsigned long instance_id, message_number;
	struct wsd_match matches[WSD_MAX_MATCHES]; /* Hello/Bye: exactly one */
	size_t n_matches;
	size_t matches_dropped; /* beyond WSD_MAX_MATCHES */
};

/* What the scopes say, percent-decoded ("" when absent). */
struct wsd_scope_info {
	char name[CAM_STR_MAX];
	char hardware[CAM_STR_MAX];
	char manufacturer[CAM_STR_MAX];
	char location[CAM_STR_MAX]; /* path segments after location/, '/' */
	char mac[18]; /* "aa:bb:cc:dd:ee:ff" from a mac/ or MAC/ scope */
};

/*
 * Parse one datagram.  Never reads past len, never allocates more than a
 * bounded multiple of len, never touches the network or the file system.
 * On error msg is zeroed and err says why in one line.
 */
enum wsd_error wsd_parse(
    const char *buf, size_t len, struct wsd_msg *msg, char *err, size_t errsz);

/* A fresh random "urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
void wsd_new_message_id(char out[WSD_UUID_MAX]);

/*
 * The Probe for dn:NetworkVideoTransmitter (SOAP 1.2, wsa 2004/08, To
 * urn:schemas-xmlsoap-org:ws:2005:04:discovery).  Returns its length, or
 * -1 when bufsz is too small.
 */
int wsd_build_probe(char *buf, size_t bufsz, const char *message_id);

void wsd_scope_info(const struct wsd_match *, struct wsd_scope_info *);

/*
 * Choose the XAddr to poll, IPv4 http/https only.  Preference: host equal to
 * the datagram's source; then on the receiving interface's subnet (ifaddr,
 * ifmask; both may be INADDR_ANY when unknown); then any routable address;
 * link-local (169.254/16) only when nothing else is offered; http before
 * https at the same rank.  Returns the index into m->xaddrs, or -1 when
 * none is usable; *host gets the chosen IPv4 address.
 */
int wsd_choose_xaddr(const struct wsd_match *m, struct in_addr source,
    struct in_addr ifaddr, struct in_addr ifmask, struct in_addr *host);

#endif
