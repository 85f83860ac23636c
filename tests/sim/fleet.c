/*
 * fleet.c: the cameras camsim serves and the sockets that serve them.
 *
 * Owns the specs (interned: lines that differ only in the address share
 * one parsed spec, so 100,000 cameras of one kind hold one profile), the
 * cameras the specs name (an address, or a range of IPv4 loopback
 * addresses), the listeners (a socket of a camera's own, or one socket per
 * port shared by many cameras and told apart by the local address a client
 * reached; RTSP and HTTPS ports of the surfaces without credentials get
 * listeners the same way), the lookup from that address to the camera,
 * the ready file,
 * labels, and the striped locks that guard the cameras' mutable state.
 *
 * fleet_add(), fleet_read() and fleet_listeners() run in the main thread
 * before any listener is bound, fleet_write_ready() in the main thread
 * (again on SIGUSR1).  fleet_lookup(), sim_label() and sim_cam_lock() may
 * be called from any thread: they read only what is fixed once camsim is
 * ready.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camsim.h"
#include "common/strutil.h"

#define MAX_CAMERAS (1L << 20) /* all specs together */
#define LOCK_STRIPES 64 /* a camera's lock is one of these */
#define SPEC_BUCKETS 1024
#define V4_TEXT 16 /* "255.255.255.255" and the NUL */
#define LOOPBACK(a) (((a) >> 24) == 127)
#define V4_FIRST 0x7f000001UL /* 127.0.0.1 */
#define V4_LAST 0x7ffffffeUL /* 127.255.255.254 */

/* A parsed spec and the text it was parsed from, minus the addresses. */
struct spec_entry {
	char *key; /* "PROFILE[,options]" */
	struct sim_spec *spec;
	struct spec_entry *next;
};

/* What the address part of a spec names. */
struct addrs {
	char host[SIM_HOST]; /* the address as written (one camera) */
	unsigned long first; /* IPv4, host order, if v4 */
	unsigned long count; /* cameras of a range; 0 for one camera */
	int port; /* -1: the profile's default */
	int v4;
};

/* A camera on a shared socket, while the listeners are made. */
struct member {
	int proto, port, group;
	unsigned long addr;
	struct sim_camera *cam;
};

static struct spec_entry *spec_table[SPEC_BUCKETS];
static pthread_mutex_t stripes[LOCK_STRIPES];

static _Noreturn void
die(const char *spec, const char *why)
{
	fprintf(stderr, "camsim: %s: %s\n", spec, why);
	exit(2);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size)) == NULL) {
		perror("camsim");
		exit(1);
	}
	return p;
}

static unsigned
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % SPEC_BUCKETS;
}

/* The spec for key, parsed the first time it is seen. */
static const struct sim_spec *
spec_intern(const char *key, const char *dir, char *err, size_t errsz)
{
	unsigned h = hash_str(key);
	struct spec_entry *e;

	for (e = spec_table[h]; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e->spec;
	e = xcalloc(1, sizeof(*e));
	e->spec = xcalloc(1, sizeof(*e->spec));
	if ((e->key = strdup(key)) == NULL) {
		perror("camsim");
		exit(1);
	}
	if (spec_parse(e->spec, key, dir, err, errsz) != 0) {
		free(e->key);
		free(e->spec);
		free(e);
		return NULL;
	}
	e->next = spec_table[h];
	spec_table[h] = e;
	return e->spec;
}

static int
parse_v4(const char *s, unsigned long *out)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*out = ntohl(in.s_addr);
	return 0;
}

static void
format_v4(unsigned long a, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", (unsigned)(a >> 24) & 255,
	    (unsigned)(a >> 16) & 255, (unsigned)(a >> 8) & 255,
	    (unsigned)a & 255);
}

/* "FIRST-LAST" or "FIRST+COUNT": loopback IPv4 addresses, in order. */
static int
parse_range(char *s, struct addrs *a)
{
	char *sep = s + strcspn(s, "-+"), *end;
	unsigned long last;
	int plus = *sep == '+';

	*sep++ = '\0';
	if (parse_v4(s, &a->first) != 0)
		return -1;
	if (plus) {
		errno = 0;
		a->count = strtoul(sep, &end, 10);
		if (errno != 0 || end == sep || *end != '\0' || a->count == 0 ||
		    a->count > MAX_CAMERAS)
			return -1;
		last = a->first + a->count - 1;
	} else if (parse_v4(sep, &last) != 0 || last < a->first ||
	    last - a->first >= MAX_CAMERAS)
		return -1;
	a->count = last - a->first + 1;
	a->v4 = 1;
	return a->first >= V4_FIRST && last <= V4_LAST ? 0 : -1;
}

/*
 * "127.0.1.5:8000", "[::1]:8000", "127.0.0.1" (the profile's default
 * port), "127.10.0.1-127.10.3.232:8080" or "127.10.0.1+1000:8080".
 */
static int
parse_addrs(char *ep, struct addrs *a)
{
	char *port = NULL, *end, *close;
	long n;

	memset(a, 0, sizeof(*a));
	a->port = -1;
	if (*ep == '[') {
		if ((close = strchr(ep, ']')) == NULL)
			return -1;
		*close = '\0';
		str_lcpy(a->host, ep + 1, sizeof(a->host));
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return -1;
	} else {
		if ((port = strrchr(ep, ':')) != NULL)
			*port++ = '\0';
		if (strcspn(ep, "-+") < strlen(ep) && parse_range(ep, a) != 0)
			return -1;
		str_lcpy(a->host, ep, sizeof(a->host));
		a->v4 = a->v4 || parse_v4(ep, &a->first) == 0;
	}
	if (port != NULL) {
		errno = 0;
		n = strtol(port, &end, 10);
		if (errno != 0 || end == port || *end != '\0' || n < 0 ||
		    n > 65535)
			return -1;
		a->port = (int)n;
	}
	return a->host[0] != '\0' ? 0 : -1;
}

/*
 * Whether the cameras of one line share their port's socket: a range
 * does unless listen=own; one camera does with listen=shared, or under
 * camsim -s when it is a plain IPv4 loopback camera.
 */
static int
line_shared(const struct fleet *fl, const struct sim_spec *s,
    const struct addrs *a, const char *text)
{
	int shared;

	if (a->count > 0)
		shared = s->shared != 0;
	else if (s->shared >= 0)
		shared = s->shared;
	else
		return fl->shared_default && a->v4 && LOOPBACK(a->first) &&
		    !s->tls && s->discovery != 1;
	if (shared && !(a->v4 && LOOPBACK(a->first)))
		die(text, "a shared socket serves IPv4 loopback (127/8) only");
	if (shared && s->tls)
		die(text, "tls=yes needs a socket of its own (listen=own)");
	if (shared && s->discovery == 1)
		die(text,
		    "discovery=yes needs a socket of its own (listen=own)");
	return shared;
}

static struct sim_camera *
grow(struct fleet *fl, unsigned long more, const char *text)
{
	size_t want = fl->n + more;

	if (want > MAX_CAMERAS)
		die(text, "more than 1048576 cameras in all");
	if (want > fl->cap) {
		fl->cap = want > fl->cap * 2 ? want : fl->cap * 2;
		fl->cams = realloc(fl->cams, fl->cap * sizeof(*fl->cams));
		if (fl->cams == NULL) {
			perror("camsim");
			exit(1);
		}
	}
	memset(&fl->cams[fl->n], 0, more * sizeof(*fl->cams));
	return &fl->cams[fl->n];
}

/*
 * Add the cameras of one spec, "PROFILE@ADDRS[,opt=value...]", ADDRS as
 * parse_addrs() reads them.  Exits with a message naming the spec if it
 * is wrong.
 */
void
fleet_add(struct fleet *fl, const char *text, const char *dir)
{
	char buf[1024], key[1024], err[512], *at, *opts;
	const struct sim_spec *spec;
	struct sim_camera *c;
	struct sim_extra *x;
	struct addrs a;
	unsigned long i, n;
	char *hosts = NULL;
	int shared, port;

	fl->lines++;
	if (str_lcpy(buf, text, sizeof(buf)) >= sizeof(buf) ||
	    (at = strchr(buf, '@')) == NULL)
		die(text, "expected PROFILE@ADDR:PORT");
	*at++ = '\0';
	if ((opts = strchr(at, ',')) != NULL)
		*opts++ = '\0';
	/* "PROFILE,options": shorter than the spec, so it fits. */
	n = strlen(buf);
	memcpy(key, buf, n);
	if (opts != NULL) {
		key[n++] = ',';
		memcpy(key + n, opts, strlen(opts));
		n += strlen(opts);
	}
	key[n] = '\0';
	if ((spec = spec_intern(key, dir, err, sizeof(err))) == NULL)
		die(text, err);
	if (parse_addrs(at, &a) != 0)
		die(text, "bad address");
	shared = line_shared(fl, spec, &a, text);
	port = a.port >= 0 ? a.port : spec->prof.default_port;
	n = a.count > 0 ? a.count : 1;
	c = grow(fl, n, text);
	x = shared ? surface_extra(spec, 1, fl->unauth_default, fl->lines)
		   : NULL;
	if (x != NULL && x->https_port != 0)
		die(text, "https-port= needs a socket of its own (listen=own)");
	if (x != NULL && x->xm_port != 0)
		die(text, "xm-port= needs a socket of its own (listen=own)");
	/* Texts of one line in one block: ranges cost 16 bytes an address. */
	if (a.count > 0 || shared)
		hosts = xcalloc(n, V4_TEXT);
	for (i = 0; i < n; i++, c++) {
		c->spec = spec;
		c->port = port;
		c->capture_fd = -1;
		c->group = !shared ? -1 : port != 0 ? 0 : fl->lines;
		c->x = shared
		    ? x
		    : surface_extra(spec, 0, fl->unauth_default, fl->lines);
		if (hosts != NULL) {
			format_v4(a.first + i, hosts + i * V4_TEXT, V4_TEXT);
			c->host = hosts + i * V4_TEXT;
		} else if ((c->host = strdup(a.host)) == NULL) {
			perror("camsim");
			exit(1);
		}
	}
	fl->n += n;
}

/* One spec per line; blank lines and '#' comments are skipped. */
void
fleet_read(struct fleet *fl, const char *path, const char *dir)
{
	FILE *f;
	char line[1024], *s, *e;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "camsim: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		s = line + strspn(line, " \t");
		e = s + strcspn(s, "#\r\n");
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (*s != '\0')
			fleet_add(fl, s, dir);
	}
	fclose(f);
}

static int
member_cmp(const void *x, const void *y)
{
	const struct member *a = x, *b = y;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* A shared listener for the run m[0..n): one port (or one line's port 0). */
static void
make_shared(struct sim_listener *ln, struct member *m, size_t n)
{
	char lb[SIM_LABEL], why[SIM_LABEL + 64];
	size_t i;

	ln->fd = -1;
	ln->proto = (enum sim_proto)m[0].proto;
	ln->port = m[0].port;
	ln->key = m[0].group;
	ln->slots = xcalloc(n, sizeof(*ln->slots));
	ln->nslots = n;
	for (i = 0; i < n; i++) {
		if (i > 0 && m[i].addr == m[i - 1].addr) {
			snprintf(why, sizeof(why), "%s: named twice",
			    sim_label(m[i].cam, lb, sizeof(lb)));
			die("fleet", why);
		}
		ln->slots[i].addr = m[i].addr;
		ln->slots[i].cam = m[i].cam;
		if (ln->proto == SIM_PROTO_RTSP)
			m[i].cam->x->rtsp_ln = ln;
		else
			m[i].cam->ln = ln;
	}
}

/* An own socket on a port that a shared socket takes would not bind. */
static void
check_ports(const struct fleet *fl, size_t first_shared)
{
	char lb[SIM_LABEL], why[SIM_LABEL + 96];
	size_t i, j;

	for (i = 0; i < fl->n; i++) {
		const struct sim_camera *c = &fl->cams[i];

		if (c->group >= 0 || c->port == 0 || strchr(c->host, ':'))
			continue;
		for (j = first_shared; j < fl->nlns; j++) {
			if (fl->lns[j].port != c->port)
				continue;
			snprintf(why, sizeof(why),
			    "%s has a socket of its own on a port that "
			    "cameras on a shared socket use",
			    sim_label(c, lb, sizeof(lb)));
			die("fleet", why);
		}
	}
}

/* Members of shared sockets: HTTP, and RTSP of shared lines. */
static size_t
members(struct fleet *fl, struct member *m)
{
	size_t i, nm = 0;

	for (i = 0; i < fl->n; i++) {
		struct sim_camera *c = &fl->cams[i];
		unsigned long addr = 0;

		if (c->group < 0)
			continue;
		parse_v4(c->host, &addr);
		m[nm].proto = SIM_PROTO_HTTP;
		m[nm].port = c->port;
		m[nm].group = c->group;
		m[nm].addr = addr;
		m[nm++].cam = c;
		if (c->x == NULL || c->x->rtsp_port == 0)
			continue;
		m[nm].proto = SIM_PROTO_RTSP;
		m[nm].port = c->x->rtsp_port > 0 ? c->x->rtsp_port : 0;
		m[nm].group = c->x->rtsp_group;
		m[nm].addr = addr;
		m[nm++].cam = c;
	}
	return nm;
}

static struct sim_listener *
own(struct sim_listener *ln, struct sim_camera *c, enum sim_proto proto,
    int port)
{
	ln->fd = -1;
	ln->proto = proto;
	ln->port = port > 0 ? port : 0;
	ln->cam = c;
	return ln;
}

/* The sockets of its own of each camera that has them: HTTP, RTSP, HTTPS,
 * DVR-IP. */
static size_t
own_listeners(struct fleet *fl, struct sim_listener *lns)
{
	size_t i, k = 0;

	for (i = 0; i < fl->n; i++) {
		struct sim_camera *c = &fl->cams[i];

		if (c->group >= 0)
			continue;
		c->ln = own(&lns[k++], c, SIM_PROTO_HTTP, c->port);
		if (c->x != NULL && c->x->rtsp_port != 0)
			c->x->rtsp_ln =
			    own(&lns[k++], c, SIM_PROTO_RTSP, c->x->rtsp_port);
		if (c->x != NULL && c->x->https_port != 0)
			c->x->https_ln = own(
			    &lns[k++], c, SIM_PROTO_HTTPS, c->x->https_port);
		if (c->x != NULL && c->x->xm_port != 0)
			c->x->xm_ln =
			    own(&lns[k++], c, SIM_PROTO_XM, c->x->xm_port);
	}
	return k;
}

static size_t
count_own(const struct fleet *fl)
{
	size_t i, k = 0;

	for (i = 0; i < fl->n; i++) {
		const struct sim_camera *c = &fl->cams[i];

		if (c->group >= 0)
			continue;
		k += 1 + (c->x != NULL && c->x->rtsp_port != 0) +
		    (c->x != NULL && c->x->https_port != 0) +
		    (c->x != NULL && c->x->xm_port != 0);
	}
	return k;
}

static int
same_run(const struct member *a, const struct member *b)
{
	return a->proto == b->proto && a->port == b->port &&
	    a->group == b->group;
}

/*
 * Make the listeners: one per camera with a socket of its own (and one
 * per surface port it has), one per shared port (per line for port 0),
 * each shared one with its cameras sorted by address for fleet_lookup().
 */
void
fleet_listeners(struct fleet *fl)
{
	struct member *m;
	size_t i, k, nm, nsh = 0, nown, run;

	for (i = 0; i < LOCK_STRIPES; i++)
		pthread_mutex_init(&stripes[i], NULL);
	m = xcalloc(2 * fl->n, sizeof(*m));
	nm = members(fl, m);
	qsort(m, nm, sizeof(*m), member_cmp);
	for (i = 0; i < nm; i++)
		nsh += i == 0 || !same_run(&m[i], &m[i - 1]);
	nown = count_own(fl);
	fl->nlns = nown + nsh;
	fl->lns = xcalloc(fl->nlns, sizeof(*fl->lns));
	k = own_listeners(fl, fl->lns);
	for (i = 0; i < nm; i += run) {
		for (run = 1; i + run < nm && same_run(&m[i + run], &m[i]);
		     run++)
			;
		make_shared(&fl->lns[k++], &m[i], run);
	}
	free(m);
	check_ports(fl, nown);
}

static int
slot_cmp(const void *key, const void *elem)
{
	unsigned long a = *(const unsigned long *)key;
	const struct sim_slot *s = elem;

	return a < s->addr ? -1 : a > s->addr;
}

/* The camera of a shared listener at addr (IPv4, host order), or NULL. */
struct sim_camera *
fleet_lookup(const struct sim_listener *ln, unsigned long addr)
{
	const struct sim_slot *s;

	s = bsearch(&addr, ln->slots, ln->nslots, sizeof(*s), slot_cmp);
	return s != NULL ? s->cam : NULL;
}

/*
 * Lines "LABEL URL", written whole then renamed so readers never see half;
 * HTTPS cameras add " sha256=HEX", the fingerprint of the certificate they
 * serve (rewritten after a swap).
 */
void
fleet_write_ready(const struct fleet *fl, const char *path)
{
	char tmp[PATH_MAX], lb[SIM_LABEL];
	FILE *f = stdout;
	size_t i;

	if (path != NULL) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		if ((f = fopen(tmp, "w")) == NULL) {
			fprintf(
			    stderr, "camsim: %s: %s\n", tmp, strerror(errno));
			exit(1);
		}
	}
	for (i = 0; i < fl->n; i++) {
		const struct sim_camera *c = &fl->cams[i];
		int v6 = strchr(c->host, ':') != NULL;
		int https =
		    c->spec->tls || c->spec->fault == SIM_FAULT_TLS_DRIP;

		fprintf(f, "%s http%s://%s%s%s:%d/onvif/device_service",
		    sim_label(c, lb, sizeof(lb)), https ? "s" : "",
		    v6 ? "[" : "", c->host, v6 ? "]" : "", c->port);
		surface_ready(c, f);
		if (c->cert != NULL)
			fprintf(f, " sha256=%s", c->cert->sha256);
		fputc('\n', f);
	}
	if (path == NULL) {
		fflush(stdout);
		return;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "camsim: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* "PROFILE@ADDR:PORT", "[ADDR]" for IPv6: the camera in logs. */
const char *
sim_label(const struct sim_camera *c, char *buf, size_t size)
{
	int v6 = strchr(c->host, ':') != NULL;

	snprintf(buf, size, "%s@%s%s%s:%d", c->spec->prof.name, v6 ? "[" : "",
	    c->host, v6 ? "]" : "", c->port);
	return buf;
}

/*
 * The lock of a camera's mutable state: one of a few, since a mutex per
 * camera would cost 40 bytes each for locks that are rarely contended.
 */
pthread_mutex_t *
sim_cam_lock(const struct sim_camera *c)
{
	return &stripes[((uintptr_t)c / sizeof(*c)) % LOCK_STRIPES];
}
