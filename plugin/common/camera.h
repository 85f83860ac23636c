/*
 * camera.h: what camcomply knows about one camera, as plain C.
 *
 * Owns the identity record that crosses from the ONVIF client (and later
 * discovery) to the policy engine and the store.  No gSOAP, Net-SNMP or
 * libxml2 types appear here, so every consumer is testable without sockets.
 * The record is a value: copy it freely between threads.
 */
#ifndef CAMCOMPLY_CAMERA_H
#define CAMCOMPLY_CAMERA_H

#include <stddef.h>
#include <stdint.h>

/* 255 bytes of printable UTF-8 plus the NUL: what a MIB DisplayString holds. */
#define CAM_STR_MAX 256
#define CAM_ADDR_MAX 64
#define CAM_MACS_MAX 8
#define CAM_SCOPES_MAX 32
/* Names from the configuration: sites, credentials groups, interfaces. */
#define CAM_NAME_MAX 64

/*
 * Where a fact came from: the collector that heard it.  Bit n of
 * cam_facts.answered is set when collector n got a reply it could parse.
 * Stable numbers (the MIB's camDeviceProbes BITS use them): new ones go at
 * the end.
 */
enum cam_probe {
	PROBE_ONVIF = 0,
	PROBE_SADP = 1, /* Hikvision SADP, UDP 37020 */
	PROBE_DHIP = 2, /* Dahua DHDiscover, UDP 37810 */
	PROBE_HTTP = 3, /* plain HTTP, TCP 80 */
	PROBE_HTTPS = 4, /* HTTP over TLS, TCP 443 */
	PROBE_RTSP = 5, /* RTSP OPTIONS + DESCRIBE, TCP 554 */
	PROBE_TLS = 6, /* the TLS certificate's subject and issuer */
	PROBE_PORTS = 7, /* makers' private TCP ports (34567): connect only */
	PROBE_COUNT
};
#define CAM_PROBE(p) (1u << (p))

/*
 * Kinds of fact a camera volunteers without credentials.  A collector
 * records what it heard, cleaned to printable text; it decides nothing.
 * The policy's matchers (policy.xml) turn facts into evidence.  Stable
 * numbers and names (cam_fact_name()): new kinds go at the end.
 */
enum cam_fact_kind {
	FACT_NONE = 0,
	FACT_PROTOCOL = 1, /* a maker's own protocol answered: "sadp", "dhip",
			      "rpc2" (Dahua's RPC2_Login challenge) */
	FACT_MODEL = 2, /* SADP DeviceDescription, DHIP DeviceType */
	FACT_SERIAL = 3, /* SADP DeviceSN, DHIP SerialNo, RPC2 realm's serial */
	FACT_FIRMWARE = 4, /* SADP SoftwareVersion, DHIP Version */
	FACT_VENDOR = 5, /* DHIP Vendor / Manufacturer */
	FACT_OEM_CODE = 6, /* SADP DetailOEMCode */
	FACT_DEVICE_CLASS = 7, /* DHIP DeviceClass, SADP DeviceType */
	FACT_PRIVATE_PORT = 8, /* SADP CommandPort, DHIP Port ("8000"), a
				  private port that accepted a connection */
	FACT_HTTP_SERVER = 9, /* Server header ("App-webs/") */
	FACT_HTTP_STYLE = 10, /* "upper-case-headers", "no-server" */
	FACT_HTTP_REALM = 11, /* a WWW-Authenticate realm, any path */
	FACT_HTTP_TITLE = 12, /* <title> of the page at / */
	FACT_HTTP_MARKER = 13, /* a policy marker string found in a page */
	FACT_RTSP_SERVER = 14,
	FACT_RTSP_PUBLIC = 15, /* Public header of OPTIONS */
	FACT_RTSP_REALM = 16,
	FACT_RTSP_DATE = 17, /* Date header as sent (its style is a tell) */
	FACT_TLS_SUBJECT = 18, /* RFC 2253 form, cleaned */
	FACT_TLS_ISSUER = 19,
	FACT_KIND_COUNT
};

#define CAM_FACTS_MAX 32
#define CAM_FACT_MAX 128 /* 127 printable bytes and the NUL */

struct cam_fact {
	uint8_t kind; /* enum cam_fact_kind */
	uint8_t probe; /* enum cam_probe that heard it */
	char text[CAM_FACT_MAX];
};

struct cam_facts {
	uint32_t answered; /* CAM_PROBE() bits: collectors that got a reply */
	uint32_t tried; /* CAM_PROBE() bits: collectors that asked */
	size_t n;
	struct cam_fact f[CAM_FACTS_MAX];
};

/*
 * Add a fact: text is cleaned to printable ASCII/UTF-8 and cut to
 * CAM_FACT_MAX - 1 bytes; an empty text is not added; a full list drops
 * the fact.  An exact duplicate (kind and text) is kept once, as the
 * fact of the first collector in enum cam_probe's order that said it:
 * said again by an earlier one, it moves to the end as that one's (and
 * counts as added).  Returns 1 when added.
 */
int cam_fact_add(struct cam_facts *, enum cam_fact_kind, enum cam_probe,
    const char *text, size_t len);
/* The first fact of a kind, or NULL. */
const struct cam_fact *cam_fact_find(
    const struct cam_facts *, enum cam_fact_kind);
/* Stable names: "protocol", "model", ..., "tls-issuer"; NULL when unknown. */
const char *cam_fact_name(enum cam_fact_kind);
int cam_fact_parse(const char *name, enum cam_fact_kind *);
/* "onvif", "sadp", "dhip", "http", "https", "rtsp", "tls", "ports" */
const char *cam_probe_name(enum cam_probe);

struct cam_identity {
	char manufacturer[CAM_STR_MAX];
	char model[CAM_STR_MAX];
	char firmware[CAM_STR_MAX];
	char serial[CAM_STR_MAX];
	char hardware_id[CAM_STR_MAX];
	char hostname[CAM_STR_MAX];
	char endpoint[CAM_STR_MAX]; /* WS-Discovery endpoint, urn:uuid:... */
	char address[CAM_ADDR_MAX]; /* numeric IPv4 or IPv6, no port */
	uint8_t macs[CAM_MACS_MAX][6];
	size_t n_macs;
	/* Scope URIs as the camera sent them (still percent-encoded). */
	char scopes[CAM_SCOPES_MAX][CAM_STR_MAX];
	size_t n_scopes;
	/* What the camera said without credentials (SADP, DHIP, HTTP...). */
	struct cam_facts facts;
};

#endif
