/*
 * config.h: what camcomplyd.conf says.
 *
 * config.c reads the file with Net-SNMP's config machinery into a fresh
 * struct config; any refused line makes config_read() return NULL, so a
 * reload with a bad file leaves the running config in force.  Main thread
 * only.
 */
#ifndef CAMCOMPLY_CONFIG_H
#define CAMCOMPLY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/camera.h"
#include "common/cidr.h"
#include "wsd/discovery.h"

#define CFG_NAME_MAX CAM_NAME_MAX

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

/*
 * probe: whether the collectors that need no credentials (onvif/unauth.h)
 * run on a camera after its ONVIF poll.
 */
enum cfg_probe_mode {
	CFG_PROBE_UNSET = 0, /* a camera line: the global setting */
	CFG_PROBE_AUTO, /* when ONVIF named neither maker nor model */
	CFG_PROBE_ALL, /* after every ONVIF poll (rate-limited too) */
	CFG_PROBE_NONE,
};

/* Private ports the connect-only collector tries (unauth.h's max). */
#define CFG_PRIVATE_PORTS_MAX 8

/* A camera's collector ports; 0: the standard one. */
struct cfg_probe_ports {
	uint16_t sadp, dhip, http, https, rtsp;
	/* private-ports=: none, the global private-ports list. */
	uint16_t priv[CFG_PRIVATE_PORTS_MAX];
	uint8_t n_priv;
};

struct cfg_camera {
	char url[CAM_STR_MAX];
	char credentials[CFG_NAME_MAX]; /* "" for none */
	char site[CFG_NAME_MAX]; /* "" for "by address" */
	char zone[16]; /* the named site's zone */
	bool has_pin; /* tls-pin: the certificate this camera must show */
	uint8_t tls_pin[32];
	uint8_t probe; /* enum cfg_probe_mode, CFG_PROBE_UNSET: global */
	struct cfg_probe_ports ports;
};

struct cfg_site {
	char name[CFG_NAME_MAX];
	char cidr[CAM_ADDR_MAX];
	char zone[16];
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
	int notification_rate; /* per second */
	int notification_queue; /* notifications waiting at most */
	struct cfg_tls tls; /* verify-tls, cafile, capath */
	char policy[CAM_STR_MAX];
	char lists[CAM_STR_MAX]; /* "" = the policy's default */
	char oui_registry[CAM_STR_MAX];
	char state_file[CAM_STR_MAX];
	char agentx_socket[CAM_STR_MAX];
	struct cfg_discovery disc;
	uint8_t probe; /* enum cfg_probe_mode: auto unless said */
	uint32_t probes; /* CAM_PROBE() bits of the collectors to run */
	/* private-ports: PROBE_PORTS' list; none: 34567. */
	uint16_t private_ports[CFG_PRIVATE_PORTS_MAX];
	uint8_t n_private_ports;
	int probe_interval; /* seconds between two probes of one camera */
	struct cidr4 *site_ranges; /* parsed cfg_site cidrs (IPv4 ones) */
	size_t n_site_ranges;
	int errors; /* lines refused while reading */
};

/* Register our tokens with Net-SNMP's config machinery. */
void config_init(void);
/* ... and take them out again. */
void config_shutdown(void);
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

/* config_check.c: the lines' tokens are all in tokens (NULL-terminated)
 * and have values; the number of lines refused, each logged. */
int config_check_tokens(FILE *, const char *path, const char *const *tokens);
/* Credentials and sites the lines name are defined (a camera takes its
 * site's zone); no camera is listed twice.  Refusals count in errors. */
void config_check_references(struct config *, const char *path);
void config_check_duplicates(struct config *, const char *path);
const struct cfg_site *config_find_site(const struct config *, const char *);

/* config_probe.c: "auto", "all", "none" (-1: none of them). */
int config_probe_mode(const char *, enum cfg_probe_mode *);
/* "sadp,dhip,http,https,rtsp,tls,ports" to CAM_PROBE() bits (https
 * brings tls);
 * -1 with the word refused in bad (at most badsz bytes). */
int config_probe_list(const char *, uint32_t *bits, char *bad, size_t badsz);
/* "keyword=value": value to val and kw cut at the '='; false: no '='. */
bool config_option_split(char *kw, char *val, size_t valsz);
/* "34567[,N...]": the count into *n, or -1 (CFG_PRIVATE_PORTS_MAX at
 * most, each 1..65535, no repeats). */
int config_private_ports(const char *, uint16_t *ports, uint8_t *n);
/*
 * A camera line's "probe MODE", "PROTO-port N" or "private-ports
 * N[,N...]": 1 taken, 0 not one of
 * these, -1 refused with the reason in err.
 */
int config_camera_probe_option(struct cfg_camera *, const char *kw,
    const char *val, char *err, size_t errsz);

#endif
