/*
 * store.h: the devices, what changed about them, and the state file.
 *
 * store.c owns the rows (stable indexes, a key index for lookups),
 * store_apply.c folds poll results in, store_disc.c folds discovery
 * sightings in, statefile.c saves and loads them.  Plain C with no
 * Net-SNMP: the MIB follows the rows through struct store_hooks.  Main
 * thread only.
 */
#ifndef CAMCOMPLY_STORE_H
#define CAMCOMPLY_STORE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
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

struct device {
	uint32_t index; /* camDeviceIndex, stable */
	char key[CAM_STR_MAX]; /* service URL */
	char credentials[CFG_NAME_MAX];
	char site_cfg[CFG_NAME_MAX]; /* site forced by config */
	char zone_cfg[16]; /* ... and its zone */
	bool configured; /* still in the config */
	bool in_flight; /* a poll job is queued or running */
	bool identified; /* identity came from a poll */
	bool announced; /* restricted trap already sent */
	bool reachable;
	int poll_status; /* enum onvif_status or POLL_PENDING */
	char poll_detail[CAM_STR_MAX];
	enum onvif_auth auth; /* what worked last time */
	struct cam_identity id;
	struct policy_result verdict;
	time_t first_seen;
	time_t last_seen; /* last successful poll */
	enum disc_method method;
	time_t last_announced; /* last Hello or ProbeMatch, 0: never */
	time_t last_submit; /* hold-down for Hello-triggered polls */
	unsigned long metadata_version; /* last announced, 0: none */
	bool bye; /* said Bye, no poll since */
	/* TLS: the trusted certificate, and the last one presented */
	bool has_pin;
	bool pin_cfg; /* the pin comes from tls-pin: never replaced */
	bool cert_alarm; /* camDeviceCertificateChanged sent, not cleared */
	bool has_tls_seen;
	uint8_t tls_pin[32];
	uint8_t tls_seen[32];
	void *mib_row; /* owned by mib.c */
};

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
 * many.  The policy classifies on the main thread: it is cheap and this
 * keeps a reload's policy swap free of locks.
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
 * The same file in slices: at most max rows with an index above *after
 * (0: from the start, header first) into f; *after moves on, *done says
 * the last row is written.  Rows added or removed between slices are
 * taken or skipped as they come, each row whole.
 */
int store_save_rows(
    FILE *f, const struct store *, uint32_t *after, size_t max, bool *done);
/* Put buf in place of path atomically (temp file, fsync, rename). */
int statefile_write(const char *path, const char *buf, size_t len);

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
