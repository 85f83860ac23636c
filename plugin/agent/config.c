/*
 * config.c: camcomplyd.conf, read with Net-SNMP's config machinery.
 *
 * Owns the tokens (camera, credentials, site, poll-interval, timeout,
 * concurrency, policy, lists, oui-registry, state-file, verify-tls,
 * cafile, capath, agentx-socket, and discovery's: discover,
 * discover-interval, discover-sweep-rate, discover-max,
 * discover-max-per-host, discover-expire, discover-credentials,
 * notification-rate, notification-queue, probe, probes, private-ports,
 * probe-interval)
 * and their checks (config_probe.c: the probe words; config_check.c: the
 * checks of the whole file, before and after it is read).  A file is read
 * into a fresh struct config; any refused line makes config_read() return
 * NULL, so a reload with a bad file leaves the running config in force.
 * Net-SNMP's config_perror() names the file and line.  Passwords are read
 * from their files through secret_read() (secret.c: the file checks) and
 * live only in struct cfg_credentials, wiped when the array grows and on
 * free.
 * Main thread only.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "agent/config.h"
#include "onvif/onvif.h"
#include "policy/policy.h"
#include "common/secret.h"
#include "common/strutil.h"

#define CONF_TYPE "camcomplyd-conf"

static struct config *cur; /* the config being read */

static void refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
refuse(const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	config_perror(msg);
	cur->errors++;
}

static void *
grow(void *arr, size_t n, size_t elem)
{
	/* Arrays grow by doubling; n is the count before the new element. */
	if (n == 0 || (n & (n - 1)) == 0) {
		void *p = realloc(arr, (n ? n * 2 : 1) * elem);
		if (p == NULL)
			return NULL;
		memset((char *)p + n * elem, 0, elem);
		return p;
	}
	memset((char *)arr + n * elem, 0, elem);
	return arr;
}

/* Next word of line into buf; returns the rest (NULL at the end). */
static char *
word(char *line, char *buf, size_t bufsz, bool *got)
{
	*got = line != NULL && *line != '\0';
	if (!*got) {
		buf[0] = '\0';
		return NULL;
	}
	return copy_nword(line, buf, (int)bufsz);
}

static void
h_camera(const char *token, char *line)
{
	struct cfg_camera c;
	char target[CAM_STR_MAX], kw[CAM_STR_MAX], val[128], err[64];
	bool got;
	void *p;
	int k;

	(void)token;
	memset(&c, 0, sizeof(c));
	line = word(line, target, sizeof(target), &got);
	if (!got || onvif_target_url(target, c.url, sizeof(c.url)) != 0) {
		refuse("camera: want a service URL or host[:port]");
		return;
	}
	while (line != NULL) {
		line = word(line, kw, sizeof(kw), &got);
		if (!config_option_split(kw, val, sizeof(val)))
			line = word(line, val, sizeof(val), &got);
		if (val[0] == '\0') {
			refuse("camera %s: '%s' wants a value", c.url, kw);
			return;
		}
		if ((k = config_camera_probe_option(
			 &c, kw, val, err, sizeof(err))) != 0) {
			if (k < 0) {
				refuse("camera %s: %s", c.url, err);
				return;
			}
		} else if (strcmp(kw, "credentials") == 0)
			str_lcpy(c.credentials, val, sizeof(c.credentials));
		else if (strcmp(kw, "site") == 0)
			str_lcpy(c.site, val, sizeof(c.site));
		else if (strcmp(kw, "tls-pin") == 0) {
			if (str_parse_sha256(val, c.tls_pin) != 0) {
				refuse("camera %s: tls-pin wants a SHA-256 "
				       "(64 hex digits)",
				    c.url);
				return;
			}
			c.has_pin = true;
		} else {
			refuse("camera %s: unknown option '%s'", c.url, kw);
			return;
		}
	}
	if ((p = grow(cur->cameras, cur->n_cameras, sizeof(c))) == NULL)
		return;
	cur->cameras = p;
	cur->cameras[cur->n_cameras++] = c;
}

/* The password of a credentials line, through the one secret reader. */
static int
read_secret(const char *path, char *out, size_t outsz)
{
	char err[SECRET_ERR_MAX];

	if (secret_read(path, out, outsz, err, sizeof(err)) != 0) {
		refuse("credentials: %s", err);
		return -1;
	}
	return 0;
}

/*
 * Appends to the credentials array.  Not grow(): realloc() would leave
 * the old array, passwords and all, in freed memory.  The new array is
 * allocated, filled, and the old one wiped before it is freed.
 */
static int
creds_append(struct config *cf, const struct cfg_credentials *c)
{
	struct cfg_credentials *p;
	size_t n = cf->n_creds;

	if (n == 0 || (n & (n - 1)) == 0) {
		if ((p = calloc(n ? n * 2 : 1, sizeof(*p))) == NULL)
			return -1;
		if (n > 0) {
			memcpy(p, cf->creds, n * sizeof(*p));
			explicit_bzero(cf->creds, n * sizeof(*p));
		}
		free(cf->creds);
		cf->creds = p;
	}
	cf->creds[cf->n_creds++] = *c;
	return 0;
}

static int
tls_mode(const char *v, enum cfg_tls_mode *m)
{
	if (strcmp(v, "yes") == 0)
		*m = TLS_VERIFY;
	else if (strcmp(v, "no") == 0)
		*m = TLS_NO;
	else if (strcmp(v, "pin") == 0)
		*m = TLS_PIN;
	else
		return -1;
	return 0;
}

/* "[verify-tls MODE] [cafile FILE] [capath DIR]" after a credentials line. */
static int
tls_options(char *line, struct cfg_tls *t, const char *name)
{
	char kw[32], val[CAM_STR_MAX];
	bool got;

	while (line != NULL) {
		line = word(line, kw, sizeof(kw), &got);
		line = word(line, val, sizeof(val), &got);
		if (!got) {
			refuse("credentials %s: '%s' wants a value", name, kw);
			return -1;
		}
		if (strcmp(kw, "verify-tls") == 0 &&
		    tls_mode(val, &t->mode) == 0)
			continue;
		if (strcmp(kw, "cafile") == 0)
			str_lcpy(t->cafile, val, sizeof(t->cafile));
		else if (strcmp(kw, "capath") == 0)
			str_lcpy(t->capath, val, sizeof(t->capath));
		else {
			refuse("credentials %s: '%s %s' is not verify-tls "
			       "yes|no|pin, cafile FILE or capath DIR",
			    name, kw, val);
			return -1;
		}
	}
	return 0;
}

static void
h_credentials(const char *token, char *line)
{
	struct cfg_credentials c;
	char path[CAM_STR_MAX];
	bool got1, got2, got3;

	(void)token;
	memset(&c, 0, sizeof(c));
	line = word(line, c.name, sizeof(c.name), &got1);
	line = word(line, c.user, sizeof(c.user), &got2);
	line = word(line, path, sizeof(path), &got3);
	if (!got1 || !got2 || !got3) {
		refuse("credentials: want NAME USER PASSWORD-FILE "
		       "[verify-tls yes|no|pin] [cafile FILE] [capath DIR]");
		return;
	}
	if (tls_options(line, &c.tls, c.name) != 0)
		return;
	if (config_credentials(cur, c.name) != NULL) {
		refuse("credentials %s: defined twice", c.name);
		return;
	}
	if (read_secret(path, c.password, sizeof(c.password)) != 0)
		return;
	if (creds_append(cur, &c) != 0)
		refuse("credentials %s: out of memory", c.name);
	explicit_bzero(&c, sizeof(c));
}

/* "a.b.c.d/n" or "v6addr/n" (or a bare address): said here, with a line. */
static bool
cidr_any_ok(const char *s)
{
	char addr[INET6_ADDRSTRLEN], *end;
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned char buf[sizeof(struct in6_addr)];
	long p;
	int max;

	if (n == 0 || n >= sizeof(addr))
		return false;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, buf) == 1)
		max = 32;
	else if (inet_pton(AF_INET6, addr, buf) == 1)
		max = 128;
	else
		return false;
	if (slash == NULL)
		return true;
	p = strtol(slash + 1, &end, 10);
	return end != slash + 1 && *end == '\0' && p >= 0 && p <= max;
}

static void
h_site(const char *token, char *line)
{
	struct cfg_site s;
	struct cidr4 r;
	enum policy_zone z;
	bool got1, got2, got3;
	void *p;

	(void)token;
	memset(&s, 0, sizeof(s));
	line = word(line, s.name, sizeof(s.name), &got1);
	line = word(line, s.cidr, sizeof(s.cidr), &got2);
	line = word(line, s.zone, sizeof(s.zone), &got3);
	if (!got1 || !got2 || !got3 || line != NULL) {
		refuse("site: want NAME CIDR sensitive|core|general");
		return;
	}
	if (policy_zone_parse(s.zone, &z) != 0) {
		refuse("site %s: zone '%s' is not sensitive, core or general",
		    s.name, s.zone);
		return;
	}
	if (!cidr_any_ok(s.cidr)) {
		refuse("site %s: '%s' is not an IPv4 or IPv6 CIDR", s.name,
		    s.cidr);
		return;
	}
	if (config_find_site(cur, s.name) != NULL) {
		refuse("site %s: defined twice", s.name);
		return;
	}
	if ((p = grow(cur->sites, cur->n_sites, sizeof(s))) == NULL)
		return;
	cur->sites = p;
	cur->sites[cur->n_sites++] = s;
	/* IPv4 sites also bound where discovered cameras may be polled. */
	if (cidr_parse(s.cidr, &r) == 0 &&
	    (p = grow(cur->site_ranges, cur->n_site_ranges, sizeof(r))) !=
		NULL) {
		cur->site_ranges = p;
		cur->site_ranges[cur->n_site_ranges++] = r;
	}
}

/* Sweeps are bounded: at most a /16 each and 65,536 addresses in all. */
#define SWEEP_MAX_ADDRS 65536

static unsigned long
sweep_total(void)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < cur->disc.n_sweeps; i++)
		n += 1ul << (32 - cur->disc.sweeps[i].prefix);
	return n;
}

static int
add_range(struct cidr4 **arr, size_t *n, const struct cidr4 *r)
{
	void *p = grow(*arr, *n, sizeof(*r));

	if (p == NULL)
		return -1;
	*arr = p;
	(*arr)[(*n)++] = *r;
	return 0;
}

static void
h_discover_sweep(const char *val)
{
	struct cidr4 r;

	if (cidr_parse(val, &r) != 0 || r.prefix < 16) {
		refuse("discover sweep: want an IPv4 CIDR of /16 or smaller, "
		       "not '%s'",
		    val);
		return;
	}
	if (sweep_total() + (1ul << (32 - r.prefix)) > SWEEP_MAX_ADDRS) {
		refuse("discover sweep %s: sweeps would cover more than %d "
		       "addresses",
		    val, SWEEP_MAX_ADDRS);
		return;
	}
	add_range(&cur->disc.sweeps, &cur->disc.n_sweeps, &r);
}

/* "all" or one interface name more for a protocol. */
static void
add_ifname(struct cfg_ifset *set, const char *val)
{
	void *p;

	set->on = true;
	if (strcmp(val, "all") == 0)
		set->all = true;
	else if ((p = grow(set->names, set->n, sizeof(*set->names))) != NULL) {
		set->names = p;
		str_lcpy(set->names[set->n++], val, sizeof(*set->names));
	}
}

static void
h_discover(const char *token, char *line)
{
	struct cfg_discovery *d = &cur->disc;
	char kind[32], val[CFG_NAME_MAX];
	struct cidr4 r;
	bool got1, got2;
	void *p;

	(void)token;
	line = word(line, kind, sizeof(kind), &got1);
	line = word(line, val, sizeof(val), &got2);
	if (!got1 || !got2 || line != NULL) {
		refuse("discover: want multicast IFACE|all, sadp IFACE|all, "
		       "dhip IFACE|all, sweep CIDR or allow CIDR|any");
		return;
	}
	if (strcmp(kind, "multicast") == 0) {
		d->multicast = true;
		if (strcmp(val, "all") == 0)
			d->all_ifaces = true;
		else if ((p = grow(d->ifaces, d->n_ifaces,
			      sizeof(*d->ifaces))) != NULL) {
			d->ifaces = p;
			str_lcpy(
			    d->ifaces[d->n_ifaces++], val, sizeof(*d->ifaces));
		}
	} else if (strcmp(kind, "sadp") == 0)
		add_ifname(&d->sadp, val);
	else if (strcmp(kind, "dhip") == 0)
		add_ifname(&d->dhip, val);
	else if (strcmp(kind, "sweep") == 0)
		h_discover_sweep(val);
	else if (strcmp(kind, "allow") == 0) {
		if (strcmp(val, "any") == 0)
			d->allow_any = true;
		else if (cidr_parse(val, &r) == 0)
			add_range(&d->allow, &d->n_allow, &r);
		else
			refuse("discover allow: want an IPv4 CIDR or any, "
			       "not '%s'",
			    val);
	} else
		refuse("discover: '%s' is not multicast, sadp, dhip, sweep or "
		       "allow",
		    kind);
}

static void
h_discover_credentials(const char *token, char *line)
{
	bool got;

	(void)token;
	if (word(line, cur->disc.credentials, sizeof(cur->disc.credentials),
		&got) != NULL ||
	    !got)
		refuse("discover-credentials: want one credentials name");
}

static void
h_number(const char *token, char *line)
{
	static const struct {
		const char *tok;
		long min, max;
	} lim[] = {
	    {"poll-interval", 10, 86400},
	    {"timeout", 1, 300},
	    {"concurrency", 1, 1024},
	    {"discover-interval", 10, 86400},
	    {"discover-sweep-rate", 1, 5000},
	    {"discover-max", 1, 100000},
	    {"discover-expire", 1, 3650},
	    {"discover-max-per-host", 1, 4096},
	    {"notification-rate", 1, 1000},
	    {"notification-queue", 1, 100000},
	    {"probe-interval", 0, 604800},
	};
	int *dst[] = {&cur->poll_interval, &cur->timeout, &cur->concurrency,
	    &cur->disc.interval, &cur->disc.sweep_rate, &cur->disc.max_devices,
	    &cur->disc.expire_days, &cur->disc.max_per_host,
	    &cur->notification_rate, &cur->notification_queue,
	    &cur->probe_interval};
	char *end;
	long v;
	size_t i;

	v = strtol(line, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		if (strcmp(token, lim[i].tok) != 0)
			continue;
		if (end == line || *end != '\0' || v < lim[i].min ||
		    v > lim[i].max) {
			char msg[128];
			snprintf(msg, sizeof(msg),
			    "%s: want a number from %ld to %ld", token,
			    lim[i].min, lim[i].max);
			refuse("%s", msg);
			return;
		}
		*dst[i] = (int)v;
	}
}

static void
h_path(const char *token, char *line)
{
	char *dst = strcmp(token, "policy") == 0  ? cur->policy
	    : strcmp(token, "lists") == 0	  ? cur->lists
	    : strcmp(token, "oui-registry") == 0  ? cur->oui_registry
	    : strcmp(token, "agentx-socket") == 0 ? cur->agentx_socket
	    : strcmp(token, "cafile") == 0	  ? cur->tls.cafile
	    : strcmp(token, "capath") == 0	  ? cur->tls.capath
						  : cur->state_file;
	bool got;

	if (word(line, dst, CAM_STR_MAX, &got) != NULL || !got)
		refuse("%s: want one value", token);
}

static void
h_verify_tls(const char *token, char *line)
{
	(void)token;
	if (tls_mode(line, &cur->tls.mode) != 0)
		refuse("verify-tls: want yes, no or pin");
}

/* probe auto|all|none, probes sadp,dhip,http,https,rtsp,tls,ports,
 * private-ports N[,N...] */
static void
h_probe(const char *token, char *line)
{
	char v[CAM_STR_MAX], bad[32] = "";
	enum cfg_probe_mode m;
	bool got, more = word(line, v, sizeof(v), &got) != NULL;

	if (strcmp(token, "probes") == 0) {
		if (more || config_probe_list(v, &cur->probes, bad, 32) != 0)
			refuse("probes: '%s' is not a list of sadp, dhip, "
			       "http, https, rtsp, tls, ports",
			    more ? line : bad);
	} else if (strcmp(token, "private-ports") == 0) {
		if (more ||
		    config_private_ports(
			v, cur->private_ports, &cur->n_private_ports) != 0)
			refuse("private-ports: want up to %d ports, 1 to "
			       "65535, separated by commas",
			    CFG_PRIVATE_PORTS_MAX);
	} else if (more || config_probe_mode(v, &m) != 0)
		refuse("probe: want auto, all or none");
	else
		cur->probe = (uint8_t)m;
}

static const char *const tokens[] = {"camera", "credentials", "site",
    "poll-interval", "timeout", "concurrency", "policy", "lists",
    "oui-registry", "state-file", "agentx-socket", "verify-tls", "cafile",
    "capath", "discover", "discover-interval", "discover-sweep-rate",
    "discover-max", "discover-credentials", "discover-expire",
    "discover-max-per-host", "notification-rate", "notification-queue", "probe",
    "probes", "private-ports", "probe-interval", NULL};

void
config_init(void)
{
	register_config_handler(CONF_TYPE, "camera", h_camera, NULL,
	    "URL [credentials NAME] [site NAME]");
	register_config_handler(CONF_TYPE, "credentials", h_credentials, NULL,
	    "NAME USER PASSWORD-FILE");
	register_config_handler(CONF_TYPE, "site", h_site, NULL,
	    "NAME CIDR sensitive|core|general");
	register_config_handler(
	    CONF_TYPE, "poll-interval", h_number, NULL, "SECONDS");
	register_config_handler(
	    CONF_TYPE, "timeout", h_number, NULL, "SECONDS");
	register_config_handler(CONF_TYPE, "concurrency", h_number, NULL, "N");
	register_config_handler(CONF_TYPE, "policy", h_path, NULL, "FILE");
	register_config_handler(CONF_TYPE, "lists", h_path, NULL, "ID[,ID...]");
	register_config_handler(
	    CONF_TYPE, "oui-registry", h_path, NULL, "PATH");
	register_config_handler(CONF_TYPE, "state-file", h_path, NULL, "FILE");
	register_config_handler(
	    CONF_TYPE, "agentx-socket", h_path, NULL, "PATH");
	register_config_handler(
	    CONF_TYPE, "verify-tls", h_verify_tls, NULL, "yes|no|pin");
	register_config_handler(CONF_TYPE, "cafile", h_path, NULL, "FILE");
	register_config_handler(CONF_TYPE, "capath", h_path, NULL, "DIR");
	register_config_handler(CONF_TYPE, "discover", h_discover, NULL,
	    "multicast IFACE|all | sweep CIDR | allow CIDR|any");
	register_config_handler(
	    CONF_TYPE, "discover-interval", h_number, NULL, "SECONDS");
	register_config_handler(
	    CONF_TYPE, "discover-sweep-rate", h_number, NULL, "PER-SECOND");
	register_config_handler(CONF_TYPE, "discover-max", h_number, NULL, "N");
	register_config_handler(
	    CONF_TYPE, "discover-max-per-host", h_number, NULL, "N");
	register_config_handler(
	    CONF_TYPE, "notification-rate", h_number, NULL, "PER-SECOND");
	register_config_handler(
	    CONF_TYPE, "notification-queue", h_number, NULL, "N");
	register_config_handler(
	    CONF_TYPE, "discover-expire", h_number, NULL, "DAYS");
	register_config_handler(CONF_TYPE, "discover-credentials",
	    h_discover_credentials, NULL, "NAME");
	register_config_handler(
	    CONF_TYPE, "probe", h_probe, NULL, "auto|all|none");
	register_config_handler(CONF_TYPE, "probes", h_probe, NULL,
	    "sadp,dhip,http,https,rtsp,tls,ports");
	register_config_handler(
	    CONF_TYPE, "private-ports", h_probe, NULL, "PORT[,PORT...]");
	register_config_handler(
	    CONF_TYPE, "probe-interval", h_number, NULL, "SECONDS");
}

/* Our tokens leave Net-SNMP's tables: snmpd may unload us after this. */
void
config_shutdown(void)
{
	size_t i;

	for (i = 0; tokens[i] != NULL; i++)
		unregister_config_handler(CONF_TYPE, tokens[i]);
}

const struct cfg_credentials *
config_credentials(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_creds; i++)
		if (strcmp(c->creds[i].name, name) == 0)
			return &c->creds[i];
	return NULL;
}

void
config_tls(const struct config *c, const struct cfg_credentials *cr,
    struct cfg_tls *out)
{
	*out = c->tls;
	if (cr == NULL)
		return;
	if (cr->tls.mode != TLS_UNSET)
		out->mode = cr->tls.mode;
	if (cr->tls.cafile[0] != '\0')
		str_lcpy(out->cafile, cr->tls.cafile, sizeof(out->cafile));
	if (cr->tls.capath[0] != '\0')
		str_lcpy(out->capath, cr->tls.capath, sizeof(out->capath));
}

struct config *
config_read(const char *path)
{
	struct config *c;
	FILE *f;
	int bad;

	if ((f = fopen(path, "r")) == NULL) {
		snmp_log(LOG_ERR, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	bad = config_check_tokens(f, path, tokens);
	fclose(f);
	if (bad > 0) {
		snmp_log(LOG_ERR, "%s: %d line(s) refused\n", path, bad);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->poll_interval = 300;
	c->timeout = 10;
	c->concurrency = 32;
	c->notification_rate = 50;
	c->notification_queue = 100;
	c->tls.mode = TLS_NO;
	c->disc.interval = 300;
	c->disc.sweep_rate = 100;
	c->disc.max_devices = 4096;
	c->disc.max_per_host = 4;
	c->disc.expire_days = 30;
	c->probe = CFG_PROBE_AUTO;
	c->probes = CAM_PROBE(PROBE_SADP) | CAM_PROBE(PROBE_DHIP) |
	    CAM_PROBE(PROBE_HTTP) | CAM_PROBE(PROBE_HTTPS) |
	    CAM_PROBE(PROBE_RTSP) | CAM_PROBE(PROBE_TLS) |
	    CAM_PROBE(PROBE_PORTS);
	c->probe_interval = 3600;
	snprintf(
	    c->policy, sizeof(c->policy), "%s/policy.xml", CAMCOMPLY_DATADIR);
	str_lcpy(
	    c->oui_registry, CAMCOMPLY_OUI_REGISTRY, sizeof(c->oui_registry));
	str_lcpy(
	    c->state_file, "/var/lib/camcomply/state", sizeof(c->state_file));
	cur = c;
	read_config(path, read_config_get_handlers(CONF_TYPE), NORMAL_CONFIG);
	config_check_references(c, path);
	config_check_duplicates(c, path);
	cur = NULL;
	if (c->errors > 0) {
		snmp_log(LOG_ERR, "%s: %d line(s) refused\n", path, c->errors);
		config_free(c);
		return NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	if (c->creds != NULL)
		explicit_bzero(c->creds, c->n_creds * sizeof(*c->creds));
	free(c->creds);
	free(c->cameras);
	free(c->sites);
	free(c->site_ranges);
	free(c->disc.ifaces);
	free(c->disc.sweeps);
	free(c->disc.allow);
	free(c->disc.sadp.names);
	free(c->disc.dhip.names);
	free(c);
}
