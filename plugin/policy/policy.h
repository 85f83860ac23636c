/*
 * policy.h: the policy engine.  From what a camera says about itself and
 * where it sits, decide who really made it, whether an active list covers
 * that maker, how sure we are, and what the site must do.
 *
 * A struct policy is built on the main thread (policy_load, policy_add_site,
 * policy_set_lists) and then never written: policy_evaluate() and every
 * accessor are read-only and may run on any thread at the same time.
 * Reloading means loading a new policy and swapping the pointer; the old
 * one stays in force if the new one fails to load.
 */
#ifndef CAMCOMPLY_POLICY_H
#define CAMCOMPLY_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/camera.h"

struct policy;
struct json_object;

/* Numbered as in the MIB's textual conventions: do not renumber. */
enum policy_verdict {
	VERDICT_COMPLIANT = 1, /* attributed to a maker no active list covers */
	VERDICT_RESTRICTED =
	    2, /* attributed to a maker an active list covers */
	VERDICT_UNIDENTIFIED = 3 /* not attributed (maybe suspected) */
};

enum policy_zone { ZONE_GENERAL = 1, ZONE_CORE = 2, ZONE_SENSITIVE = 3 };

enum policy_action {
	ACTION_NONE = 1,
	ACTION_REVIEW = 2, /* restricted, general zone */
	ACTION_DISCONNECT = 3, /* restricted on the core network */
	ACTION_REMOVE = 4, /* restricted on a sensitive site */
	ACTION_INVESTIGATE = 5 /* unidentified on a sensitive site */
};

/*
 * Evidence signals, one bit each (bit n = 1u << n).  The MIB exposes them
 * as BITS in this order, so new signals go at the end.
 */
enum policy_evidence {
	EV_MANUFACTURER = 0, /* Manufacturer names the maker itself */
	EV_BRAND = 1, /* ... or one of its sub-brands */
	EV_OEM_BRAND = 2, /* ... or a reported OEM rebrand of it */
	EV_MODEL = 3, /* model number shape */
	EV_FIRMWARE = 4, /* firmware version shape */
	EV_HARDWARE_ID = 5, /* HardwareId value */
	EV_SERIAL = 6, /* serial number shape */
	EV_SCOPE = 7, /* maker, brand or model in discovery scopes */
	EV_SCOPE_LAYOUT = 8, /* maker-specific scope layout */
	EV_MAC_OUI = 9, /* a MAC in one of the maker's blocks */
	EV_MAC_OUI_WEAK =
	    10, /* ... of a maker whose blocks are mostly not cameras */
	EV_MAC_OUI_MODULE = 11, /* a component maker's MAC (module, chip) */
	EV_ENDPOINT = 12, /* MAC embedded in the WS-Discovery endpoint */
	/*
	 * What the camera volunteers without credentials (id.facts), matched
	 * by the policy's <fact> matchers, each with its own weight.
	 */
	EV_MAKER_PROTOCOL = 13, /* the maker's own protocol answered (SADP,
				   DHIP, RPC2) */
	EV_HTTP_BANNER = 14, /* HTTP Server header or header style */
	EV_HTTP_REALM = 15, /* an HTTP 401 challenge's realm */
	EV_HTTP_PAGE = 16, /* the page's title or marker strings */
	EV_RTSP = 17, /* RTSP Server, Public, realm or Date style */
	EV_TLS_CERTIFICATE = 18, /* the TLS certificate's subject or issuer */
	EV_OEM_CODE = 19, /* an SADP OEM code */
	EV_COUNT
};
#define POLICY_EV(bit) (1u << (bit))

#define POLICY_ID_MAX 32
#define POLICY_NAME_MAX 64
#define POLICY_REASON_MAX 256

struct policy_result {
	enum policy_verdict verdict;
	/* Set exactly when verdict is not unidentified. */
	char maker[POLICY_ID_MAX];
	char maker_name[POLICY_NAME_MAX];
	/*
	 * The sub-brand or OEM brand the camera goes by, when one matched the
	 * maker (or suspect): its Manufacturer, a DHIP Vendor, a realm, a
	 * title or a model prefix.  Empty when it names only the maker.
	 */
	char brand[POLICY_NAME_MAX];
	/* Unidentified with suspicion: the maker the evidence leans to. */
	char suspect[POLICY_ID_MAX];
	/* Active lists covering the maker, comma-separated ids. */
	char lists[128];
	uint32_t evidence; /* POLICY_EV() bits */
	/*
	 * How sure the attribution to maker (or suspect) is, 0-100; halved
	 * when the signals contradict each other, 0 with no signal at all.
	 */
	int confidence;
	int conflict; /* signals named different makers */
	enum policy_action action;
	enum policy_zone zone;
	char site[POLICY_NAME_MAX];
	char waiver[POLICY_NAME_MAX]; /* reference, when in force */
	time_t waiver_expires; /* 0 when no waiver applies */
	char reason[POLICY_REASON_MAX];
	char mac_vendor[CAM_STR_MAX]; /* IEEE org of the first MAC */
	/*
	 * Where the maker (or its parent) is based: ISO 3166-1 alpha-2, ""
	 * when unattributed or the policy does not say.
	 */
	char jurisdiction[3];
	/*
	 * The zone rules that apply to the maker's jurisdiction, per zone
	 * (index enum policy_zone): the action they demand (0: none) and
	 * the first rule's id.  zone_rule is the one that set the action
	 * at the current zone, "" when none did.
	 */
	uint8_t zone_action[4];
	char zone_rule_id[4][POLICY_ID_MAX];
	char zone_rule[POLICY_ID_MAX];
	size_t reason_zone; /* reason's length + 1 before the zone's part */
};

struct policy_counts {
	size_t lists;
	size_t makers;
	size_t restricted_makers; /* covered by at least one list */
	size_t brands; /* own names and sub-brands */
	size_t oem;
	size_t patterns; /* model, firmware, serial, scope regexes */
	size_t oui_patterns; /* organisation-name patterns */
	size_t oui_prefixes; /* prefixes listed in the policy itself */
	size_t module_makers;
	size_t sites;
	size_t waivers;
	size_t sources;
	size_t facts; /* <fact> matchers */
	size_t markers; /* distinct page markers among them */
	size_t components; /* component makers (Wi-Fi modules, chips) */
	size_t zone_rules;
	size_t unbased; /* makers that do not say where they are based */
};

/*
 * Load and validate a policy.  The schema is policy.xsd from, in order:
 * $CAMCOMPLY_POLICY_SCHEMA, the policy file's own directory, then
 * CAMCOMPLY_DATADIR.  oui_dir names the IEEE registry folder: NULL means
 * CAMCOMPLY_OUI_REGISTRY, where a missing registry is tolerated (MAC
 * signals are then limited to prefixes the policy lists); "" means no
 * registry.  An explicit folder that fails to load is an error.  On error
 * returns NULL with "FILE:LINE: what" in err.
 */
struct policy *policy_load(
    const char *path, const char *oui_dir, char *err, size_t errsz);
void policy_free(struct policy *);

/* Add a site (zone "sensitive", "core" or "general"); 0 or -1 with err. */
int policy_add_site(struct policy *, const char *name, const char *cidr,
    const char *zone, char *err, size_t errsz);

/* Replace the active lists ("uk-nsl,ndaa-889"); unknown id is an error. */
int policy_set_lists(struct policy *, const char *ids, char *err, size_t errsz);

/*
 * Classify one observation.  Pure and thread-safe; now decides whether
 * waivers are in force.
 */
void policy_evaluate(const struct policy *, const struct cam_identity *,
    time_t now, struct policy_result *out);

/* Re-derive zone and action for an operator-chosen zone (classify --zone). */
void policy_result_set_zone(struct policy_result *, enum policy_zone);

/* Add verdict, maker, lists, evidence, ... keys to an existing object. */
void policy_result_json(const struct policy_result *, struct json_object *obj);

/* Names for enums and evidence bits (stable strings, used in JSON). */
const char *policy_verdict_name(enum policy_verdict);
const char *policy_zone_name(enum policy_zone);
const char *policy_action_name(enum policy_action);
const char *policy_evidence_name(int bit);
int policy_zone_parse(const char *, enum policy_zone *);

/* Accessors for `policy check` and the MIB. */
const char *policy_path(const struct policy *);
const char *policy_version(const struct policy *);
const char *policy_date(const struct policy *);
size_t policy_list_count(const struct policy *);
const char *policy_list_id(const struct policy *, size_t i);
const char *policy_list_name(const struct policy *, size_t i);
int policy_list_active(const struct policy *, size_t i);
void policy_get_counts(const struct policy *, struct policy_counts *);
const char *policy_oui_date(const struct policy *); /* "" without registry */
size_t policy_oui_entries(const struct policy *);
const char *policy_maker_name(const struct policy *, const char *id);
/* Where a maker is based (ISO 3166-1 alpha-2), "" unknown, NULL no maker. */
const char *policy_maker_country(const struct policy *, const char *id);
size_t policy_maker_count(const struct policy *);
const char *policy_maker_id(const struct policy *, size_t i);
int policy_list_covers(const struct policy *, size_t list, size_t maker);
/* "CN HK" for a jurisdiction-defined list, "" for an explicit one. */
void policy_list_jurisdictions(
    const struct policy *, size_t i, char *buf, size_t bufsz);
size_t policy_zone_rule_count(const struct policy *);
/* "uk-core-prc: core CN HK MO disconnect (while uk-nsl is active)" */
void policy_zone_rule_describe(
    const struct policy *, size_t i, char *buf, size_t bufsz);

/*
 * The literal strings the HTTP collector looks for in page bodies (the
 * policy's http-marker matchers, each once).  The array belongs to the
 * policy: valid while it is, read-only, any thread.
 */
size_t policy_http_markers(const struct policy *, const char *const **out);

/*
 * Add a fact given by hand ("KIND=TEXT" or "PROBE:KIND=TEXT", as
 * `classify --fact` takes it) to id->facts.  Without a probe it is the
 * kind's own (http-* http, rtsp-* rtsp, tls-* tls, vendor dhip, oem-code
 * sadp, protocol its value's), else that of the first protocol fact, else
 * sadp.  0, or -1 with a message in err.
 */
int policy_fact_arg(
    struct cam_identity *id, const char *arg, char *err, size_t errsz);

#endif
