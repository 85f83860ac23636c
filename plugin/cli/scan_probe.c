/*
 * scan_probe.c: `camcomply scan`'s use of the collectors that need no
 * credentials (onvif/unauth.h): the options that choose them and their
 * ports, running them on the target's host after ONVIF, and what the
 * output shows of them.
 *
 * The collectors get no credential: the scan's user and password stay in
 * the ONVIF options, and struct unauth_opts has no field that could carry
 * them.  Options are parsed on the main thread; the rest runs on the
 * worker of each target, on that target's own records.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/scan_probe.h"
#include "common/strutil.h"

#define PROBE_MAX_IO_MS 3000

void
scan_probe_defaults(struct scan_probe_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = SCAN_PROBE_AUTO;
	unauth_opts_init(&cfg->opts);
}

void
scan_probe_timeouts(struct scan_probe_cfg *cfg, double timeout_s)
{
	int ms = (int)(timeout_s * 1000);

	cfg->opts.deadline_ms = ms;
	cfg->opts.connect_timeout_ms =
	    ms < PROBE_MAX_IO_MS ? ms : PROBE_MAX_IO_MS;
	cfg->opts.io_timeout_ms = cfg->opts.connect_timeout_ms;
}

/* ---- options ------------------------------------------------------------- */

static int
parse_mode(const char *arg, enum scan_probe_mode *mode)
{
	if (strcmp(arg, "auto") == 0)
		*mode = SCAN_PROBE_AUTO;
	else if (strcmp(arg, "all") == 0)
		*mode = SCAN_PROBE_ALL;
	else if (strcmp(arg, "none") == 0)
		*mode = SCAN_PROBE_NONE;
	else {
		fprintf(stderr,
		    "camcomply scan: --probe wants auto, all or none\n");
		return -1;
	}
	return 0;
}

/* "sadp,dhip,http,https,rtsp,tls,ports": https brings the certificate
 * too. */
static int
parse_probes(const char *arg, uint32_t *bits)
{
	const char *p = arg;
	size_t n;
	int k;

	*bits = 0;
	while (*p != '\0') {
		n = strcspn(p, ",");
		for (k = PROBE_SADP; k < PROBE_COUNT; k++)
			if (strlen(cam_probe_name((enum cam_probe)k)) == n &&
			    strncmp(p, cam_probe_name((enum cam_probe)k), n) ==
				0)
				break;
		if (k == PROBE_COUNT) {
			fprintf(stderr,
			    "camcomply scan: --probes: \"%.*s\" is not one of "
			    "sadp, dhip, http, https, rtsp, tls, ports\n",
			    (int)n, p);
			return -1;
		}
		*bits |= CAM_PROBE(k);
		if (k == PROBE_HTTPS)
			*bits |= CAM_PROBE(PROBE_TLS);
		p += n;
		if (*p == ',')
			p++;
	}
	if (*bits == 0) {
		fprintf(stderr, "camcomply scan: --probes wants a list\n");
		return -1;
	}
	return 0;
}

static int
parse_port(const char *name, const char *arg, int *port)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < 1 || v > 65535) {
		fprintf(stderr, "camcomply scan: --%s wants a port, 1..65535\n",
		    name);
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* PROBE_PORTS' list: "34567" or "34567,9527". */
static int
parse_ports(const char *arg, struct unauth_opts *o)
{
	int n =
	    str_parse_ports(arg, o->private_ports, UNAUTH_PRIVATE_PORTS_MAX);

	if (n < 0) {
		fprintf(stderr,
		    "camcomply scan: --private-ports wants up to %d ports, "
		    "1..65535, separated by commas\n",
		    UNAUTH_PRIVATE_PORTS_MAX);
		o->n_private_ports = 0;
		return -1;
	}
	o->n_private_ports = (size_t)n;
	return 0;
}

int
scan_probe_option(int c, const char *arg, struct scan_probe_cfg *cfg)
{
	struct unauth_opts *o = &cfg->opts;

	switch (c) {
	case SCAN_OPT_PROBE:
		return parse_mode(arg, &cfg->mode);
	case SCAN_OPT_PROBES:
		return parse_probes(arg, &o->probes);
	case SCAN_OPT_SADP_PORT:
		return parse_port("sadp-port", arg, &o->sadp_port);
	case SCAN_OPT_DHIP_PORT:
		return parse_port("dhip-port", arg, &o->dhip_port);
	case SCAN_OPT_HTTP_PORT:
		return parse_port("http-port", arg, &o->http_port);
	case SCAN_OPT_HTTPS_PORT:
		return parse_port("https-port", arg, &o->https_port);
	case SCAN_OPT_PRIVATE_PORTS:
		return parse_ports(arg, o);
	default:
		return parse_port("rtsp-port", arg, &o->rtsp_port);
	}
}

/* ---- running ------------------------------------------------------------- */

/* The host of a device service URL, without brackets or port. */
static int
url_host(const char *url, char *host, size_t hostsz)
{
	const char *h = strstr(url, "://");
	size_t n;

	if (h == NULL)
		return -1;
	h += 3;
	if (*h == '[') {
		h++;
		n = strcspn(h, "]");
	} else
		n = strcspn(h, ":/");
	if (n == 0 || n >= hostsz)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	return 0;
}

/* A numeric address for host (a name is resolved: the first address). */
static int
numeric_address(const char *host, char *out, size_t outsz)
{
	struct addrinfo hints, *ai;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &ai) != 0)
		return -1;
	rc = getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)outsz,
		 NULL, 0, NI_NUMERICHOST) == 0
	    ? 0
	    : -1;
	freeaddrinfo(ai);
	return rc;
}

static bool
wanted(const struct scan_probe_cfg *cfg, const struct onvif_result *r)
{
	switch (cfg->mode) {
	case SCAN_PROBE_ALL:
		return true;
	case SCAN_PROBE_NONE:
		return false;
	default:
		return r->id.manufacturer[0] == '\0' && r->id.model[0] == '\0';
	}
}

void
scan_probe_run(const struct scan_probe_cfg *cfg, const char *url,
    struct onvif_result *r, struct scan_probe_out *out)
{
	char host[CAM_STR_MAX], addr[CAM_ADDR_MAX];

	memset(out, 0, sizeof(*out));
	r->id.facts.tried |= CAM_PROBE(PROBE_ONVIF);
	if (r->status == ONVIF_OK)
		r->id.facts.answered |= CAM_PROBE(PROBE_ONVIF);
	if (!wanted(cfg, r))
		return;
	/* The address ONVIF reached, else the URL's host. */
	if (r->id.address[0] != '\0')
		str_lcpy(addr, r->id.address, sizeof(addr));
	else if (url_host(url, host, sizeof(host)) != 0 ||
	    numeric_address(host, addr, sizeof(addr)) != 0)
		return;
	unauth_probe(addr, &cfg->opts, &r->id, &out->res);
	unauth_adopt_facts(&r->id);
	out->ran = true;
}

/* ---- output -------------------------------------------------------------- */

char *
scan_seen_by(const struct onvif_result *r, char *buf, size_t bufsz)
{
	uint32_t seen = r->id.facts.answered;
	size_t o = 0;
	int k;

	if (r->status == ONVIF_OK)
		seen |= CAM_PROBE(PROBE_ONVIF);
	buf[0] = '\0';
	for (k = 0; k < PROBE_COUNT; k++) {
		if (!(seen & CAM_PROBE(k)))
			continue;
		o += (size_t)snprintf(buf + o, o < bufsz ? bufsz - o : 0,
		    "%s%s", o ? "," : "", cam_probe_name((enum cam_probe)k));
		if (o >= bufsz)
			break;
	}
	if (buf[0] == '\0')
		snprintf(buf, bufsz, "-");
	return buf;
}

struct json_object *
scan_facts_json(const struct cam_facts *fs)
{
	struct json_object *a = json_object_new_array(), *f;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		const char *kind =
		    cam_fact_name((enum cam_fact_kind)fs->f[i].kind);
		f = json_object_new_object();
		json_object_object_add(
		    f, "kind", json_object_new_string(kind ? kind : "?"));
		json_object_object_add(f, "probe",
		    json_object_new_string(
			cam_probe_name((enum cam_probe)fs->f[i].probe)));
		json_object_object_add(
		    f, "text", json_object_new_string(fs->f[i].text));
		json_object_array_add(a, f);
	}
	return a;
}

void
scan_probe_json(struct json_object *o, const struct onvif_result *r,
    const struct scan_probe_out *out)
{
	struct json_object *seen = json_object_new_array();
	struct json_object *probes = json_object_new_object();
	char buf[128], *p, *save = NULL;
	int k;

	scan_seen_by(r, buf, sizeof(buf));
	for (p = strtok_r(buf, ",", &save); p != NULL && strcmp(p, "-") != 0;
	     p = strtok_r(NULL, ",", &save))
		json_object_array_add(seen, json_object_new_string(p));
	json_object_object_add(o, "seen_by", seen);
	json_object_object_add(o, "facts", scan_facts_json(&r->id.facts));
	for (k = PROBE_SADP; out->ran && k < PROBE_COUNT; k++)
		if (out->res.status[k] != UNAUTH_NOT_TRIED)
			json_object_object_add(probes,
			    cam_probe_name((enum cam_probe)k),
			    json_object_new_string(
				unauth_status_name(out->res.status[k])));
	json_object_object_add(o, "probes", probes);
	json_object_object_add(o, "probe_spoofed",
	    out->ran ? json_object_new_int((int)out->res.spoofed) : NULL);
	json_object_object_add(o, "probe_elapsed_ms",
	    out->ran ? json_object_new_int(out->res.elapsed_ms) : NULL);
}
