/*
 * daemon.h: the private interfaces of camcomplyd, grouped by the file that
 * implements them.
 *
 * Threads: everything here runs on the main thread, except the poller's
 * workers (poller.c), which only call onvif_identify() and touch nothing
 * else.  Only mib.c, config.c and camcomplyd.c include Net-SNMP headers;
 * the store and the poller are plain C so the unit tests can drive them.
 */
#ifndef CAMCOMPLY_DAEMON_H
#define CAMCOMPLY_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "camera.h"
#include "onvif.h"
#include "policy.h"

/* ---- config.c: what camcomplyd.conf says ------------------------------------
 */

#define CFG_NAME_MAX 64

/* verify-tls: how a camera's TLS certificate is trusted. */
enum cfg_tls_mode {
	TLS_UNSET = 0, /* a credentials group: the global setting */
	TLS_NO, /* any certificate (the default) */
	TLS_VERIFY, /* a chain to cafile/capath (or the system store) */
	TLS_PIN, /* the first one seen, by SHA-256 (trust on first use) */
};

struct cfg_tls {
	enum cfg_tls_mode mode;
	char cafile[CAM_STR_MAX];
	char capath[CAM_STR_MAX];
};

struct cfg_credentials {
	char name[CFG_NAME_MAX];
	char user[CAM_STR_MAX];
	char password[CAM_STR_MAX]; /* from the password file; wiped on free */
	struct cfg_tls tls; /* for the cameras of this group */
};

struct cfg_camera {
	char url[CAM_STR_MAX];
	char credentials[CFG_NAME_MAX]; /* "" for none */
	char site[CFG_NAME_MAX]; /* "" for "by address" */
	char zone[16]; /* the named site's zone */
	bool has_pin; /* tls-pin: the certificate this camera must show */
	uint8_t tls_pin[32];
};

struct cfg_site {
	char name[CFG_NAME_MAX];
	char cidr[CAM_ADDR_MAX];
	char zone[16];
};

/* One IPv4 range: a site, a sweep or an allowed range for discovery. */
struct cfg_cidr {
	uint32_t net, mask; /* host byte order */
	unsigned prefix;
};

struct cfg_discovery {
	bool multicast; /* any "discover multicast" line */
	bool all_ifaces; /* "discover multicast all" */
	char (*ifaces)[CFG_NAME_MAX];
	size_t n_ifaces;
	struct cfg_cidr *sweeps;
	size_t n_sweeps;
	struct cfg_cidr *allow; /* beyond sites and sweeps */
	size_t n_allow;
	bool allow_any;
	int interval; /* seconds between probe rounds and sweeps */
	int sweep_rate; /* unicast probes per second */
	int max_devices; /* discovered rows kept at most */
	int max_per_host; /* ... created by one sender at most */
	int expire_days; /* a discovered row silent this long goes */
	char credentials[CFG_NAME_MAX]; /* tried on discovered cameras */
};

struct config {
	struct cfg_camera *cameras;
	size_t n_cameras;
	struct cfg_credentials *creds;
	size_t n_creds;
	struct cfg_site *sites;
	size_t n_sites;
	int poll_interval; /* seconds */
	int timeout; /* seconds, per camera */
	int concurrency;
	struct cfg_tls tls; /* verify-tls, cafile, capath */
	char policy[CAM_STR_MAX];
	char lists[CAM_STR_MAX]; /* "" = the policy's default */
	char oui_registry[CAM_STR_MAX];
	char state_file[CAM_STR_MAX];
	char agentx_socket[CAM_STR_MAX];
	struct cfg_discovery disc;
	struct cfg_cidr *site_ranges; /* parsed cfg_site cidrs (IPv4 ones) */
	size_t n_site_ranges;
	int errors; /* lines refused while reading */
};

/* Register our tokens with Net-SNMP's config machinery (once). */
void config_init(void);
/*
 * Read path into a new config.  Returns NULL when a line was refused (each
 * refusal is logged with file and line) or the file cannot be read.
 */
struct config *config_read(const char *path);
void config_free(struct config *);
const struct cfg_credentials *config_credentials(
    const struct config *, const char *name);
/* The TLS settings for a camera of group cr (NULL: none): its or global. */
void config_tls(const struct config *, const struct cfg_credentials *cr,
    struct cfg_tls *out);
/* "a.b.c.d/n" (or a bare address, /32); 0 on success. */
int cidr_parse(const char *, struct cfg_cidr *);
bool cidr_contains(const struct cfg_cidr *, size_t n, uint32_t addr);

/* ---- store.c: the devices and what changed --------------------------------
 */

enum dev_event_type {
	EV_DETECTED_RESTRICTED = 1,
	EV_VERDICT_CHANGED,
	EV_FIRMWARE_CHANGED,
	EV_UNREACHABLE,
	EV_REACHABLE,
	EV_SWAPPED,
	EV_CERT_CHANGED, /* TLS certificate is not the pinned one */
};

/* camDeviceDiscovery: how the row was first found. */
enum disc_method {
	DISC_CONFIGURED = 1,
	DISC_PROBE, /* answered a multicast Probe */
	DISC_HELLO, /* announced itself */
	DISC_SWEEP, /* answered a unicast Probe of a sweep */
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

/* ---- poller.c: worker threads
 * ------------------------------------------------- */

struct poll_job {
	uint32_t index;
	char url[CAM_STR_MAX];
	char user[CAM_STR_MAX];
	char password[CAM_STR_MAX];
	bool has_credentials;
	char cafile[CAM_STR_MAX];
	char capath[CAM_STR_MAX];
	bool has_pin;
	uint8_t tls_pin[32];
	struct onvif_opts opts; /* pointers into this job set by the worker */
};

struct poll_result {
	uint32_t index;
	struct onvif_result res;
};

struct poller;

struct poller *poller_new(int workers);
/* The fd that becomes readable when results wait; main loop watches it. */
int poller_fd(const struct poller *);
/* Queue a job (copied; the password copy is wiped after use). */
int poller_submit(struct poller *, const struct poll_job *);
/* Take up to max results; returns how many.  Clears the fd when drained. */
size_t poller_take(struct poller *, struct poll_result *, size_t max);
size_t poller_pending(struct poller *);
/* Wake the main loop (from a signal handler too). */
void poller_wake(struct poller *);
void poller_free(struct poller *);

/* ---- discovery.c: the WS-Discovery thread ---------------------------------
 *
 * One thread owns the discovery sockets: it sends the Probes and the sweep,
 * listens for ProbeMatches, Hello and Bye, drops what is malformed, spoofed,
 * out of range or over the rate, and queues sightings for the main thread,
 * which alone touches the store.  Everything below except the thread itself
 * runs on the main thread.
 */

enum disc_kind { DISC_SEEN = 1, DISC_BYE };

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
	unsigned long probes_sent;
	/* counted by the main thread */
	unsigned long capped; /* new cameras beyond discover-max */
	unsigned long host_capped; /* ... beyond discover-max-per-host */
};

struct discovery;

/* Starts the thread; NULL with err set when nothing can be listened on. */
struct discovery *discovery_new(const struct config *, char *err, size_t);
int discovery_fd(const struct discovery *);
size_t discovery_take(struct discovery *, struct disc_sighting *, size_t max);
void discovery_stats(struct discovery *, struct disc_stats *);
void discovery_free(struct discovery *);
/* "probe", "hello", "sweep" (or "configured"): for logs and the CLI. */
const char *disc_method_name(enum disc_method);

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

/* ---- mib.c: CAMERA-COMPLIANCE-MIB
 * ------------------------------------------------- */

struct mib_summary {
	const char *policy_version;
	const char *policy_date;
	const char *registry_date;
	const char *active_lists;
	time_t last_poll_completed;
	unsigned rounds;
	struct store_counts counts;
	struct disc_stats disc;
};

int mib_init(void);
void mib_shutdown(void);
extern const struct store_hooks mib_store_hooks;
void mib_set_summary(const struct mib_summary *);
/* Where camDiscovery's counters come from, read at each request. */
void mib_set_disc_hook(void (*)(struct disc_stats *));
void mib_notify(const struct dev_event *);

#endif
