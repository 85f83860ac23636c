/*
 * profile.c: reads camera profile files, and the profile and options of a
 * camera spec ("PROFILE,opt=value,...", the spec without its addresses:
 * fleet.c has those) into struct sim_spec.
 *
 * Runs in the main thread before any listener starts; pure parsing, no
 * shared state.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camsim.h"
#include "common/strutil.h"

static const char *const fault_names[] = {
    [SIM_FAULT_NONE] = "none",
    [SIM_FAULT_NO_ANSWER] = "no-answer",
    [SIM_FAULT_SLOW_DRIP] = "slow-drip",
    [SIM_FAULT_CLOSE_MID_REPLY] = "close-mid-reply",
    [SIM_FAULT_MALFORMED_XML] = "malformed-xml",
    [SIM_FAULT_HUGE_BODY] = "huge-body",
    [SIM_FAULT_DEEP_NESTING] = "deep-nesting",
    [SIM_FAULT_ENTITY_EXPANSION] = "entity-expansion",
    [SIM_FAULT_WRONG_CREDENTIALS] = "wrong-credentials",
    [SIM_FAULT_CLOCK_SKEW] = "clock-skew",
    [SIM_FAULT_LYING_CLOCK] = "lying-clock",
    [SIM_FAULT_SHORT_BODY] = "short-body",
    [SIM_FAULT_SHORT_BODY_KEEP] = "short-body-keep",
    [SIM_FAULT_SOAP11_ONLY] = "soap11-only",
    [SIM_FAULT_CHUNKED] = "chunked",
    [SIM_FAULT_HTML_401] = "html-401",
    [SIM_FAULT_BLANK_LINE] = "blank-line-before-xml-decl",
    [SIM_FAULT_EXTRA_ELEMENTS] = "extra-vendor-elements",
    [SIM_FAULT_TLS_DRIP] = "tls-drip",
    [SIM_FAULT_HEADER_DRIP] = "header-drip",
    [SIM_FAULT_BASIC_ONLY] = "basic-only",
    [SIM_FAULT_BASIC_DIGEST] = "basic-digest",
    [SIM_FAULT_DIGEST_BASIC] = "digest-basic",
    [SIM_FAULT_SADP_HUGE] = "sadp-huge",
    [SIM_FAULT_SADP_DEEP] = "sadp-deep",
    [SIM_FAULT_SADP_DTD] = "sadp-dtd",
    [SIM_FAULT_DHIP_LONG] = "dhip-long-length",
    [SIM_FAULT_DHIP_SHORT] = "dhip-short-length",
    [SIM_FAULT_HTTP_HUGE] = "http-huge",
    [SIM_FAULT_RTSP_HUGE] = "rtsp-huge",
    [SIM_FAULT_RTSP_DRIP] = "rtsp-drip",
    [SIM_FAULT_CERT_CONTROL] = "cert-control",
};

#define NFAULTS (sizeof(fault_names) / sizeof(fault_names[0]))
#define DEFAULT_SKEW (3 * 3600)
#define DRIP_MS 500 /* slow-drip: a whole reply, slowly */
#define FAST_DRIP_MS 25 /* tls-drip, header-drip: 40 bytes/s, endless */
#define BASIC_REALM "IP Camera" /* what Basic-auth camera pages say */

int
sim_name_index(const char *const *names, size_t n, const char *v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

int
fault_parse(const char *s, enum sim_fault *f)
{
	int i = sim_name_index(fault_names, NFAULTS, s);

	if (i < 0)
		return -1;
	*f = (enum sim_fault)i;
	return 0;
}

const char *
fault_name(enum sim_fault f)
{
	if ((size_t)f >= NFAULTS)
		return "?";
	return fault_names[f];
}

static int
parse_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

int
sim_parse_int(const char *v, long lo, long hi, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int
parse_auth(const char *v, enum sim_auth *a)
{
	if (strcmp(v, "none") == 0)
		*a = SIM_AUTH_NONE;
	else if (strcmp(v, "wsse") == 0)
		*a = SIM_AUTH_WSSE;
	else if (strcmp(v, "digest") == 0)
		*a = SIM_AUTH_DIGEST;
	else if (strcmp(v, "either") == 0)
		*a = SIM_AUTH_EITHER;
	else
		return -1;
	return 0;
}

static int
parse_deny(const char *v, enum sim_deny_style *d)
{
	if (strcmp(v, "onvif") == 0)
		*d = SIM_DENY_ONVIF;
	else if (strcmp(v, "dahua") == 0)
		*d = SIM_DENY_DAHUA;
	else if (strcmp(v, "hikvision") == 0)
		*d = SIM_DENY_HIKVISION;
	else
		return -1;
	return 0;
}

static int
parse_wsd_style(const char *v, enum sim_wsd_style *st)
{
	static const char *const names[] = {[SIM_WSD_ONVIF] = "onvif",
	    [SIM_WSD_HIKVISION] = "hikvision",
	    [SIM_WSD_DAHUA] = "dahua",
	    [SIM_WSD_HANWHA] = "hanwha"};
	int i = sim_name_index(names, sizeof(names) / sizeof(names[0]), v);

	if (i < 0)
		return -1;
	*st = (enum sim_wsd_style)i;
	return 0;
}

static int
parse_wsd_epr(const char *v, enum sim_wsd_epr *e)
{
	if (strcmp(v, "hash") == 0)
		*e = SIM_EPR_HASH;
	else if (strcmp(v, "mac-twice") == 0)
		*e = SIM_EPR_MAC_TWICE;
	else if (strcmp(v, "mac-tail") == 0)
		*e = SIM_EPR_MAC_TAIL;
	else
		return -1;
	return 0;
}

/* none|https|linklocal|both */
static int
parse_xaddr_extra(const char *v, int *bits)
{
	if (strcmp(v, "none") == 0)
		*bits = 0;
	else if (strcmp(v, "https") == 0)
		*bits = SIM_XADDR_HTTPS;
	else if (strcmp(v, "linklocal") == 0)
		*bits = SIM_XADDR_LINKLOCAL;
	else if (strcmp(v, "both") == 0)
		*bits = SIM_XADDR_HTTPS | SIM_XADDR_LINKLOCAL;
	else
		return -1;
	return 0;
}

/* "28:57:be:65:7d:d5 [eth0]" */
static int
parse_mac(struct sim_profile *p, const char *v)
{
	struct sim_mac *m;
	uint8_t mac[6];
	char addr[64], ifname[32];
	int n;

	if (p->nmacs >= SIM_MAX_MACS)
		return -1;
	ifname[0] = '\0';
	n = sscanf(v, "%63s %31s", addr, ifname);
	if (n < 1 || str_parse_mac(addr, mac) != 0)
		return -1;
	m = &p->macs[p->nmacs];
	str_format_mac(mac, m->addr, sizeof(m->addr));
	if (n == 2)
		str_lcpy(m->ifname, ifname, sizeof(m->ifname));
	else
		snprintf(m->ifname, sizeof(m->ifname), "eth%d", p->nmacs);
	p->nmacs++;
	return 0;
}

static int
parse_xmlns(struct sim_profile *p, const char *v)
{
	struct sim_xmlns *x;

	if (p->nxmlns >= SIM_MAX_XMLNS)
		return -1;
	x = &p->xmlns[p->nxmlns];
	if (sscanf(v, "%31s %255s", x->prefix, x->uri) != 2)
		return -1;
	p->nxmlns++;
	return 0;
}

static int
parse_versions(struct sim_profile *p, const char *v)
{
	p->soap11 = strstr(v, "1.1") != NULL;
	p->soap12 = strstr(v, "1.2") != NULL;
	return p->soap11 || p->soap12 ? 0 : -1;
}

#define STRKEY(k, f)                                                           \
	{                                                                      \
		k, offsetof(struct sim_profile, f),                            \
		    sizeof(((struct sim_profile *)0)->f)                       \
	}

static const struct {
	const char *key;
	size_t off, size;
} str_keys[] = {
    STRKEY("manufacturer", manufacturer),
    STRKEY("model", model),
    STRKEY("firmware", firmware),
    STRKEY("serial", serial),
    STRKEY("hardware_id", hardware_id),
    STRKEY("hostname", hostname),
    STRKEY("timezone", timezone),
    STRKEY("envelope_prefix", envelope_prefix),
    STRKEY("user", user),
    STRKEY("password", password),
    STRKEY("realm", realm),
    STRKEY("deny_reason", deny_reason),
    STRKEY("wsd_endpoint", wsd_endpoint),
};

/* wsd_style, wsd_endpoint_style, wsd_xaddr_extra (wsd_endpoint: str_keys) */
static int
set_wsd_key(struct sim_profile *p, const char *k, const char *v)
{
	if (strcmp(k, "wsd_style") == 0)
		return parse_wsd_style(v, &p->wsd_style);
	if (strcmp(k, "wsd_endpoint_style") == 0)
		return parse_wsd_epr(v, &p->wsd_epr);
	if (strcmp(k, "wsd_xaddr_extra") == 0)
		return parse_xaddr_extra(v, &p->wsd_xaddr_extra);
	return -1;
}

static int
set_key(struct sim_profile *p, const char *k, const char *v)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(str_keys) / sizeof(str_keys[0]); i++) {
		if (strcmp(k, str_keys[i].key) != 0)
			continue;
		if (strlen(v) >= str_keys[i].size)
			return -1;
		str_lcpy((char *)p + str_keys[i].off, v, str_keys[i].size);
		return 0;
	}
	if (strcmp(k, "scope") == 0) {
		if (p->nscopes >= SIM_MAX_SCOPES || strlen(v) >= SIM_STR)
			return -1;
		str_lcpy(p->scopes[p->nscopes++], v, SIM_STR);
		return 0;
	}
	if (strcmp(k, "mac") == 0)
		return parse_mac(p, v);
	if (strcmp(k, "xmlns") == 0)
		return parse_xmlns(p, v);
	if (strcmp(k, "auth") == 0)
		return parse_auth(v, &p->auth);
	if (strcmp(k, "deny_style") == 0)
		return parse_deny(v, &p->deny_style);
	if (strcmp(k, "soap_versions") == 0)
		return parse_versions(p, v);
	if (strcmp(k, "date_time_type") == 0) {
		p->ntp = strcmp(v, "NTP") == 0;
		return p->ntp || strcmp(v, "Manual") == 0 ? 0 : -1;
	}
	if (strcmp(k, "time_needs_auth") == 0)
		return parse_bool(v, &p->time_needs_auth);
	if (strcmp(k, "verify_preauth_header") == 0)
		return parse_bool(v, &p->verify_preauth_header);
	if (strcmp(k, "replay_check") == 0)
		return parse_bool(v, &p->replay_check);
	if (strcmp(k, "clock_window") == 0)
		return sim_parse_int(v, 0, 86400, &p->clock_window);
	if (strcmp(k, "lockout") == 0)
		return sim_parse_int(v, 0, 1000, &p->lockout);
	if (strcmp(k, "lockout_seconds") == 0)
		return sim_parse_int(v, 0, 86400, &p->lockout_seconds);
	if (strcmp(k, "sender_fault_status") == 0)
		return sim_parse_int(v, 200, 599, &p->sender_status);
	if (strcmp(k, "local_offset") == 0)
		return sim_parse_int(v, -50400, 50400, &p->local_offset);
	if (strcmp(k, "default_port") == 0)
		return sim_parse_int(v, 1, 65535, &p->default_port);
	if ((rc = surface_key(p, k, v)) != 1)
		return rc;
	return set_wsd_key(p, k, v);
}

static void
profile_defaults(struct sim_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->auth = SIM_AUTH_WSSE;
	p->soap11 = p->soap12 = 1;
	p->sender_status = 400;
	p->lockout_seconds = 300;
	p->default_port = 80;
	str_lcpy(p->timezone, "GMT0", sizeof(p->timezone));
	str_lcpy(p->user, "admin", sizeof(p->user));
	str_lcpy(p->realm, "camsim", sizeof(p->realm));
	surface_defaults(p);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Load path into p; on error, err says which line and why. */
int
profile_load(struct sim_profile *p, const char *path, char *err, size_t errsz)
{
	FILE *f;
	char line[1024], *k, *v, *eq;
	const char *base;
	int lineno = 0, rc = 0;

	profile_defaults(p);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	str_lcpy(p->name, base, sizeof(p->name));
	if ((k = strstr(p->name, ".profile")) != NULL)
		*k = '\0';
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		if ((eq = strchr(k, '=')) == NULL) {
			rc = -1;
			break;
		}
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		/* "a value in double quotes" keeps its outer spaces. */
		if (v[0] == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		rc = set_key(p, k, v);
	}
	fclose(f);
	if (rc != 0)
		snprintf(err, errsz, "%s:%d: bad line", path, lineno);
	return rc;
}

static int
read_password_file(const char *path, char *buf, size_t bufsz)
{
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, (int)bufsz, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* A file name option: non-empty and short enough. */
static int
set_path(char *dst, size_t dstsz, const char *v)
{
	return *v != '\0' && str_lcpy(dst, v, dstsz) < dstsz ? 0 : -1;
}

/* tls=, tls-cert=, tls-key=, cert-swap=, capture=; else WS-Discovery's. */
static int
apply_io_option(struct sim_spec *c, const char *opt, const char *v)
{
	if (strcmp(opt, "tls") == 0)
		return parse_bool(v, &c->tls);
	if (strcmp(opt, "cert-swap") == 0)
		return parse_bool(v, &c->cert_swap);
	if (strcmp(opt, "tls-cert") == 0)
		return set_path(c->tls_cert, sizeof(c->tls_cert), v);
	if (strcmp(opt, "tls-key") == 0)
		return set_path(c->tls_key, sizeof(c->tls_key), v);
	if (strcmp(opt, "capture") == 0)
		return set_path(c->capture, sizeof(c->capture), v);
	return surface_option(c, opt, v) == 0 ? 0 : -1;
}

/* discovery=, hello=, endpoint=, xaddr-extra= */
static int
apply_wsd_option(struct sim_spec *c, const char *opt, const char *v)
{
	struct sim_profile *p = &c->prof;

	if (strcmp(opt, "discovery") == 0)
		return parse_bool(v, &c->discovery);
	if (strcmp(opt, "hello") == 0)
		return parse_bool(v, &c->hello);
	if (strcmp(opt, "xaddr-extra") == 0)
		return parse_xaddr_extra(v, &p->wsd_xaddr_extra);
	if (strcmp(opt, "endpoint") == 0) {
		if (*v == '\0' || strlen(v) >= sizeof(p->wsd_endpoint))
			return -1;
		str_lcpy(p->wsd_endpoint, v, sizeof(p->wsd_endpoint));
		return 0;
	}
	return apply_io_option(c, opt, v);
}

/* listen=own|shared: a socket of its own, or its port's shared socket. */
static int
parse_listen(const char *v, int *shared)
{
	if (strcmp(v, "own") == 0)
		*shared = 0;
	else if (strcmp(v, "shared") == 0)
		*shared = 1;
	else
		return -1;
	return 0;
}

static int
apply_option(struct sim_spec *c, char *opt, int *skew_set)
{
	char *v;
	int n;

	if ((v = strchr(opt, '=')) == NULL)
		return -1;
	*v++ = '\0';
	if (strcmp(opt, "fault") == 0)
		return fault_parse(v, &c->fault);
	if (strcmp(opt, "skew") == 0) {
		*skew_set = 1;
		if (sim_parse_int(v, -86400 * 3650, 86400 * 3650, &n) != 0)
			return -1;
		c->skew = n;
		return 0;
	}
	if (strcmp(opt, "password-file") == 0)
		return read_password_file(
		    v, c->prof.password, sizeof(c->prof.password));
	if (strcmp(opt, "user") == 0)
		return str_lcpy(c->prof.user, v, sizeof(c->prof.user)) <
			sizeof(c->prof.user)
		    ? 0
		    : -1;
	if (strcmp(opt, "auth") == 0)
		return parse_auth(v, &c->prof.auth);
	if (strcmp(opt, "lockout") == 0)
		return sim_parse_int(v, 0, 1000, &c->prof.lockout);
	if (strcmp(opt, "clock-window") == 0)
		return sim_parse_int(v, 0, 86400, &c->prof.clock_window);
	if (strcmp(opt, "fault-scope") == 0) {
		c->fault_all_ops = strcmp(v, "all") == 0;
		return c->fault_all_ops || strcmp(v, "identity") == 0 ? 0 : -1;
	}
	if (strcmp(opt, "huge-mb") == 0) {
		if (sim_parse_int(v, 1, 4096, &n) != 0)
			return -1;
		c->huge_bytes = (long)n * 1024 * 1024;
		return 0;
	}
	if (strcmp(opt, "drip-ms") == 0)
		return sim_parse_int(v, 1, 60000, &c->drip_ms);
	if (strcmp(opt, "listen") == 0)
		return parse_listen(v, &c->shared);
	return apply_wsd_option(c, opt, v);
}

/* What a fault mode implies for the clock and the password. */
static void
apply_fault_defaults(struct sim_spec *c, int skew_set)
{
	struct sim_profile *p = &c->prof;
	char pw[sizeof(p->password)];

	switch (c->fault) {
	case SIM_FAULT_WRONG_CREDENTIALS:
		snprintf(pw, sizeof(pw), "%.100s-not-the-same", p->password);
		str_lcpy(p->password, pw, sizeof(p->password));
		break;
	case SIM_FAULT_CLOCK_SKEW:
	case SIM_FAULT_LYING_CLOCK:
		if (!skew_set)
			c->skew = DEFAULT_SKEW;
		if (p->clock_window == 0)
			p->clock_window = 5;
		if (p->auth == SIM_AUTH_NONE || p->auth == SIM_AUTH_DIGEST)
			p->auth = SIM_AUTH_WSSE;
		if (c->fault == SIM_FAULT_LYING_CLOCK)
			c->report_shift = -2 * DEFAULT_SKEW;
		break;
	case SIM_FAULT_SOAP11_ONLY:
		p->soap11 = 1;
		p->soap12 = 0;
		break;
	case SIM_FAULT_BASIC_ONLY:
	case SIM_FAULT_BASIC_DIGEST:
	case SIM_FAULT_DIGEST_BASIC:
		/* One realm for both challenges, as such cameras send. */
		str_lcpy(p->realm, BASIC_REALM, sizeof(p->realm));
		break;
	default:
		break;
	}
	if (c->drip_ms == 0)
		c->drip_ms = c->fault == SIM_FAULT_TLS_DRIP ||
			c->fault == SIM_FAULT_HEADER_DRIP ||
			c->fault == SIM_FAULT_RTSP_DRIP
		    ? FAST_DRIP_MS
		    : DRIP_MS;
}

/* Options that only make sense together; err says which. */
static int
check_options(const struct sim_spec *c, char *err, size_t errsz)
{
	const char *why = NULL;

	if ((c->tls_cert[0] != '\0') != (c->tls_key[0] != '\0'))
		why = "tls-cert= and tls-key= go together";
	else if (c->tls_cert[0] != '\0' && !c->tls)
		why = "tls-cert= needs tls=yes";
	else if (c->cert_swap && !c->tls)
		why = "cert-swap=yes needs tls=yes";
	if (why != NULL) {
		snprintf(err, errsz, "%s", why);
		return -1;
	}
	return surface_check(c, err, errsz);
}

static void
spec_defaults(struct sim_spec *c)
{
	memset(c, 0, sizeof(*c));
	c->huge_bytes = 50L * 1024 * 1024;
	c->drip_ms = 0; /* unset: the fault mode's default */
	c->discovery = -1;
	c->hello = 1;
	c->shared = -1; /* unset: as the addresses and camsim -s say */
	surface_spec_defaults(c);
}

/*
 * Fill c from "PROFILE[,opt=value...]", a spec without its addresses.
 * PROFILE is a name looked up as DIR/PROFILE.profile, or a path if it
 * contains a '/'.  On error, err says why (the caller names the spec).
 */
int
spec_parse(struct sim_spec *c, const char *spec, const char *dir, char *err,
    size_t errsz)
{
	char buf[1024], path[PATH_MAX], *opts, *opt, *save;
	int skew_set = 0;

	spec_defaults(c);
	if (str_lcpy(buf, spec, sizeof(buf)) >= sizeof(buf)) {
		snprintf(err, errsz, "spec too long");
		return -1;
	}
	if ((opts = strchr(buf, ',')) != NULL)
		*opts++ = '\0';
	if (strchr(buf, '/') != NULL)
		str_lcpy(path, buf, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/%s.profile", dir, buf);
	if (profile_load(&c->prof, path, err, errsz) != 0)
		return -1;
	for (opt = opts ? strtok_r(opts, ",", &save) : NULL; opt != NULL;
	     opt = strtok_r(NULL, ",", &save)) {
		str_lcpy(path, opt, sizeof(path));
		if (apply_option(c, opt, &skew_set) != 0) {
			snprintf(err, errsz, "bad option '%s'", path);
			return -1;
		}
	}
	apply_fault_defaults(c, skew_set);
	return check_options(c, err, errsz);
}
