/*
 * scan_probe.h: the credential-free collectors' part of `camcomply scan`
 * (scan_probe.c): the --probe, --probes and port options, running the
 * collectors after ONVIF in a scan job, and their output.  The options
 * are parsed on the main thread; scan_probe_run() and the renderers run
 * on the scan's workers, each on its own job.
 */
#ifndef CAMCOMPLY_SCAN_PROBE_H
#define CAMCOMPLY_SCAN_PROBE_H

#include <json.h>
#include <stdbool.h>
#include <stddef.h>

#include "onvif/onvif.h"
#include "onvif/unauth.h"

enum scan_probe_mode {
	SCAN_PROBE_AUTO = 0, /* when ONVIF named neither maker nor model */
	SCAN_PROBE_ALL,
	SCAN_PROBE_NONE,
};

struct scan_probe_cfg {
	enum scan_probe_mode mode;
	struct unauth_opts opts; /* ports, probes; no credential, ever */
};

/* What the collectors did for one target. */
struct scan_probe_out {
	bool ran;
	struct unauth_result res;
};

/* getopt_long values of the options scan_probe_option() takes. */
enum {
	SCAN_OPT_PROBE = 0x100, /* --probe auto|all|none */
	SCAN_OPT_PROBES, /* --probes sadp,dhip,http,https,rtsp,tls,ports */
	SCAN_OPT_SADP_PORT,
	SCAN_OPT_DHIP_PORT,
	SCAN_OPT_HTTP_PORT,
	SCAN_OPT_HTTPS_PORT,
	SCAN_OPT_RTSP_PORT,
	SCAN_OPT_PRIVATE_PORTS, /* --private-ports 34567[,N...] */
	SCAN_OPT_LAST = SCAN_OPT_PRIVATE_PORTS
};

void scan_probe_defaults(struct scan_probe_cfg *);
/* Take one option; -1 after a message on stderr. */
int scan_probe_option(int c, const char *arg, struct scan_probe_cfg *);
/* The collectors' deadline is the scan's --timeout, their per-connect and
 * per-I/O timeouts at most 3 s of it. */
void scan_probe_timeouts(struct scan_probe_cfg *, double timeout_s);

/*
 * After ONVIF: run the collectors on the target's host when the mode says
 * so; their facts and MACs go to r->id, and the model, serial and firmware
 * ONVIF left empty are filled from them.
 */
void scan_probe_run(const struct scan_probe_cfg *, const char *url,
    struct onvif_result *r, struct scan_probe_out *);

/* "onvif,sadp,http" (answered collectors), "-" when none. */
char *scan_seen_by(const struct onvif_result *, char *buf, size_t bufsz);
/* The facts as a JSON array of {kind, probe, text}. */
struct json_object *scan_facts_json(const struct cam_facts *);
/* seen_by, facts, probes, probe_spoofed and probe_elapsed_ms into o. */
void scan_probe_json(struct json_object *o, const struct onvif_result *,
    const struct scan_probe_out *);

#endif
