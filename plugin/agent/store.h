/*
 * store.h: the devices, what changed about them, and the state file.
 *
 * store.c owns the rows (stable indexes, a key index for lookups),
 * store_row.c their compact strings, store_apply.c folds poll results in,
 * store_disc.c folds discovery sightings in, statefile.c saves and loads
 * them.  Plain C with no Net-SNMP: the MIB follows the rows through struct
 * store_hooks.  Main thread only.
 */
#ifndef CAMCOMPLY_STORE_H
#define CAMCOMPLY_STORE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "agent/config.h"
#include "common/camera.h"
#include "onvif/onvif.h"
#include "policy/policy.h"
#include "wsd/discovery.h"

enum dev_event_type {
	EV_DETECTED_RESTRICTED = 1,
	EV_VERDICT_CHANGED,
	EV_FIRMWARE_CHANGED,
	EV_UNREACHABLE,
	EV_REACHABLE,
	EV_SWAPPED,
	EV_CERT_CHANGED, /* TLS certificate is not the pinned one */
	EV_SUMMARY, /* stands for notifications the queue could not hold */
};

/* What the MIB's camDevicePollStatus says; "pending" before the first poll. */
#define POLL_PENDING ONVIF_STATUS_COUNT

/*
 * A row keeps what struct cam_identity and struct policy_result say (those
 * are the fixed-size records a poll and the policy engine hand over) in a
 * compact form: every string at its own length, never NULL ("" when
 * unknown).  Strings that repeat across an estate (a model, a firmware,
 * a maker, a reason, the scope list) are interned (common/intern.h), those
 * of one camera (its URL, serial, hostname, endpoint, address) are the
 * row's own.  Read the fields freely; change them only through the
 * row_*() functions below, which keep the references right.
 */
struct row_identity {
	const char *manufacturer, *model, *firmware, *hardware_id; /* shared */
	const char *serial, *hostname, *endpoint; /* own */
	const char *address; /* own: numeric IPv4 or IPv6, no port */
	const char *scopes; /* shared: n_scopes strings, each NUL-ended */
	/*
	 * shared: n_facts facts said without credentials, each as its kind
	 * and probe (plus one: never a NUL) then its text, NUL-ended.
	 */
	const char *facts;
	uint8_t n_facts;
	uint8_t facts_tried, facts_answered; /* CAM_PROBE() bits */
	uint8_t facts_carried; /* ... whose facts outlived one silent probe */
	uint8_t n_scopes, n_macs;
	uint8_t macs[CAM_MACS_MAX][6];
};

struct row_verdict {
	enum policy_verdict verdict; /* 0: never classified */
	enum policy_action action;
	enum policy_zone zone;
	uint32_t evidence;
	int confidence, conflict;
	time_t waiver_expires;
	const char *maker, *maker_name, *suspect, *lists; /* all shared */
	const char *site, *waiver, *reason, *mac_vendor;
	const char *brand; /* shared: the brand the camera goes by */
	char jurisdiction[3]; /* where the maker is based, "" unknown */
};

struct device {
	uint32_t index; /* camDeviceIndex, stable */
	const char *key; /* service URL: own */
	const char *credentials; /* group name: shared */
	const char *site_cfg; /* site forced by config: shared */
	const char *zone_cfg; /* ... and its zone: shared */
	bool configured; /* still in the config */
	bool in_flight; /* a poll job is queued or running */
	bool identified; /* identity came from a poll, or from facts */
	/*
	 * The identity (model, serial, firmware) came from what the camera
	 * said without credentials, not from ONVIF: serial and firmware are
	 * compared only with the same source's.
	 */
	bool by_facts;
	bool announced; /* restricted trap already sent */
	bool reachable;
	int poll_status; /* enum onvif_status or POLL_PENDING */
	/* The state save that first carries announced (0: any; statesave.h) */
	uint32_t announce_save;
	const char *poll_detail; /* shared */
	enum onvif_auth auth; /* what worked last time */
	struct row_identity id;
	struct row_verdict verdict;
	time_t first_seen;
	time_t last_seen; /* last successful poll */
	enum disc_method method;
	time_t last_announced; /* last Hello or ProbeMatch, 0: never */
	time_t last_submit; /* hold-down for Hello-triggered polls */
	unsigned long metadata_version; /* last announced, 0: none */
	bool bye; /* said Bye, no poll since */
	bool white_asked; /* a white label's probe asked for (agent.c) */
	/* TLS: the trusted certificate, and the last one presented */
	bool has_pin;
	bool pin_cfg; /* the pin comes from tls-pin: never replaced */
	bool cert_alarm; /* camDeviceCertificateChanged sent, not cleared */
	bool has_tls_seen;
	uint8_t tls_pin[32];
	uint8_t tls_seen[32];
	/* The collectors that need no credentials (config: probe, ports). */
	uint8_t probe_cfg; /* the camera line's enum cfg_probe_mode */
	struct cfg_probe_ports probe_ports;
	/* When they last ran; 0: not since start or a change of verdict. */
	time_t probed_at;
	void *mib_row; /* owned by mib.c */
};

/*
 * store_row.c.  Setters copy s (at most CAM_STR_MAX - 1 bytes, as the
 * fixed records hold) and release what the field held; s may be the
 * field's own value.
 */
void row_set_own(const char **field, const char *s);
void row_set_shared(const char **field, const char *s);
/* The scope list from n fixed-size strings (at most CAM_SCOPES_MAX). */
void row_set_scopes(
    struct row_identity *, const char (*scopes)[CAM_STR_MAX], size_t n);
/* Scope i (i < n_scopes), and the one after s (a walk: s from scopes). */
const char *row_scope(const struct row_identity *, size_t i);
static inline const char *
row_scope_next(const char *s)
{
	return s + strlen(s) + 1;
}
/* The facts list from the fixed-size record (at most CAM_FACTS_MAX). */
void row_set_facts(struct row_identity *, const struct cam_facts *);
void row_facts_get(const struct row_identity *, struct cam_facts *);
/* Take everything from / give everything to the fixed-size record. */
void row_identity_set(struct row_identity *, const struct cam_identity *);
void row_identity_get(const struct row_identity *, struct cam_identity *);
void row_verdict_set(struct row_verdict *, const struct policy_result *);

struct dev_event {
	enum dev_event_type type;
	struct device *dev;
	char previous[CAM_STR_MAX];
};

struct store_counts {
	unsigned total, compliant, restricted, unidentified, unreachable;
	unsigned restricted_sensitive, restricted_core;
	unsigned discovered; /* rows discovery found */
};

struct store;

/* Hooks into the MIB, so the store itself needs no Net-SNMP. */
struct store_hooks {
	void (*row_added)(struct device *, void *arg);
	void (*row_removed)(struct device *, void *arg);
	void *arg;
};

struct store *store_new(const struct store_hooks *);
void store_free(struct store *);
/* Find or create the device for a configured camera URL. */
struct device *store_add_camera(
    struct store *, const struct cfg_camera *, time_t now);
/* Mark all unconfigured, add the config's cameras, drop the rest. */
void store_sync_config(struct store *, const struct config *, time_t now);
/* A row store_sync_config() would drop (a poll of it just ended). */
bool store_removable(const struct device *);
struct device *store_find(struct store *, uint32_t index);
/* The row with the next index above index (0: the first), or NULL. */
struct device *store_next_after(struct store *, uint32_t index);
size_t store_count(const struct store *);
struct device *store_at(struct store *, size_t i);
/*
 * Apply one poll result.  Events (at most 4) are written to ev; returns how
 * many.  A result whose facts.tried names a collector other than ONVIF
 * carries a probe (the collectors ran): when one answered, its facts
 * replace the row's (store_apply.c says which are kept a probe more), and
 * the model, serial and firmware ONVIF did not give come from them; a
 * camera they identify counts as identified.  A result without one keeps
 * the row's facts.  The policy classifies on the main
 * thread: it is cheap and this keeps a reload's policy swap free of locks.
 */
int store_apply(struct store *, struct device *, const struct onvif_result *,
    const struct policy *, time_t now, struct dev_event *ev);
/* Re-classify every device (policy or sites reloaded). */
int store_reclassify(struct store *, const struct policy *, time_t now,
    void (*emit)(const struct dev_event *, void *), void *arg);
void store_counts(const struct store *, struct store_counts *);
/* State file: atomic write; load reports and sets aside a corrupt file. */
int store_save(const struct store *, const char *path);
int store_load(struct store *, const char *path, char *err, size_t errsz);
/*
 * Read a state file from f without touching the file (camcomply report):
 * 0, or -1 with a message naming name in err (what parsed stays loaded).
 */
int store_read(
    struct store *, FILE *f, const char *name, char *err, size_t errsz);
/* buf starts like a state file. */
bool statefile_sniff(const char *buf, size_t len);
/*
 * The same file in slices, for save number gen: at most max rows with an
 * index above *after (0: from the start, header first) into f; *after
 * moves on, *done says the last row is written.  Rows added or removed
 * between slices are taken or skipped as they come, each row whole.  A
 * row marked announced for a later save (announce_save above gen) is
 * written as not announced yet.
 */
int store_save_rows(FILE *f, const struct store *, uint32_t gen,
    uint32_t *after, size_t max, bool *done);
/* Put buf in place of path atomically (temp file, fsync, rename). */
int statefile_write(const char *path, const char *buf, size_t len);
/*
 * The same in two steps: renamed in place (what any process opens from
 * then on), and durable once the folder is synced.
 */
int statefile_put(const char *path, const char *buf, size_t len);
void statefile_sync_dir(const char *path);

/* store_disc.c: fold a sighting into the store (main thread). */
struct device *store_find_sighting(
    struct store *, const struct disc_sighting *);
/* Drop discovered rows silent for days (no answer, no announcement). */
size_t store_expire(struct store *, time_t now, int days);
/* What store_add_discovered() did. */
enum disc_added {
	DISC_ADDED_NEW = 1, /* a new row */
	DISC_ADDED_KNOWN, /* a row has its URL already: that one */
	DISC_REFUSED_URL, /* an XAddr we cannot use */
	DISC_REFUSED_FULL, /* discover-max rows, and none may go */
	DISC_REFUSED_HOST, /* its sender has discover-max-per-host rows */
};

/*
 * Create the row for a new camera (credentials: the discovery group),
 * making room when the table is full (store_disc.c says which row goes).
 * NULL when refused; *what says which case it was.
 */
struct device *store_add_discovered(struct store *,
    const struct disc_sighting *, const struct cfg_discovery *, time_t now,
    enum disc_added *what);
/*
 * Apply what the sighting says to d: address move, endpoint, scopes, MAC,
 * last announced, and a provisional verdict while the camera is not
 * identified.  *moved: 1 when the service URL changed, -1 when a move was
 * refused (the row answers at its old address: maybe a spoof), else 0.
 * Events as store_apply().
 */
int store_sighting(struct store *, struct device *,
    const struct disc_sighting *, const struct policy *, time_t now, int *moved,
    struct dev_event *ev);
/*
 * A Bye: marks d->bye and the time; the caller polls, and only a failed
 * poll makes the camera unreachable.  Only from the address the device is
 * known at (-1 otherwise).
 */
int store_bye(struct store *, struct device *, const char *from, time_t now);

#endif
