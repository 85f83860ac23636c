/*
 * surface.c: what a camera shows without credentials, as data: the
 * profile keys of the surfaces (HTTP pages and headers, RTSP, SADP, DHIP,
 * TLS subjects, Xiongmai's silent DVR-IP port), the spec options that
 * control them (onvif=, unauth=, the ports, sadp-hello=, spoof-from=...), which
 * ports a camera's surfaces take, and their fields in the ready file.
 *
 * Parsing runs in the main thread before any listener starts;
 * surface_ready() in the main thread.  No shared state.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camsim.h"
#include "common/strutil.h"

/* Standard ports (notes, sections 1, 2, 4). */
#define SADP_PORT 37020
#define DHIP_PORT 37810
#define RTSP_PORT 554
#define HTTPS_PORT 443
#define XM_PORT 34567 /* Xiongmai's DVR-IP (Sofia) */

void
surface_defaults(struct sim_profile *p)
{
	struct sim_surface *s = &p->surf;

	s->http_root_status = 200;
	s->onvif_off = SIM_ONVIF_404;
	s->rtsp_options = 200;
	s->rtsp_describe = 401;
	str_lcpy(s->rtsp_public,
	    "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN",
	    sizeof(s->rtsp_public));
	s->tls_days = 365;
}

static int
yes_no(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
copy(char *dst, size_t size, const char *v)
{
	return str_lcpy(dst, v, size) < size ? 0 : -1;
}

/* A repeated key: one more line of an array of lines. */
static int
append(char *lines, size_t width, int max, int *n, const char *v)
{
	if (*n >= max || strlen(v) >= width)
		return -1;
	str_lcpy(lines + (size_t)*n * width, v, width);
	(*n)++;
	return 0;
}

/* "NAME VALUE" (the value may hold spaces). */
static int
field(struct sim_field *f, int *n, const char *v)
{
	size_t k = strcspn(v, " \t");

	if (*n >= SIM_FIELDS || k == 0 || k >= sizeof(f->name))
		return -1;
	memcpy(f[*n].name, v, k);
	f[*n].name[k] = '\0';
	v += k + strspn(v + k, " \t");
	if (copy(f[*n].value, sizeof(f[*n].value), v) != 0)
		return -1;
	(*n)++;
	return 0;
}

static int
parse_onvif(const char *v, enum sim_onvif *o)
{
	static const char *const names[] = {[SIM_ONVIF_ON] = "on",
	    [SIM_ONVIF_OFF] = "off",
	    [SIM_ONVIF_404] = "404",
	    [SIM_ONVIF_401] = "401",
	    [SIM_ONVIF_RESET] = "reset"};
	int i = sim_name_index(names, sizeof(names) / sizeof(names[0]), v);

	if (i < 0)
		return -1;
	*o = (enum sim_onvif)i;
	return 0;
}

#define LINES(a) (char *)(a), sizeof((a)[0]), (int)(sizeof(a) / sizeof((a)[0]))

static int
http_key(struct sim_surface *s, const char *k, const char *v)
{
	if (strcmp(k, "http_head") == 0)
		return append(LINES(s->http_head), &s->nhttp_head, v);
	if (strcmp(k, "http_realm") == 0)
		return copy(s->http_realm, sizeof(s->http_realm), v);
	if (strcmp(k, "http_challenge") == 0)
		return copy(s->http_challenge, sizeof(s->http_challenge), v);
	if (strcmp(k, "http_challenge2") == 0)
		return copy(s->http_challenge2, sizeof(s->http_challenge2), v);
	if (strcmp(k, "http_protected") == 0)
		return append(LINES(s->http_protected), &s->nhttp_protected, v);
	if (strcmp(k, "http_root_status") == 0)
		return sim_parse_int(v, 200, 599, &s->http_root_status);
	if (strcmp(k, "http_page_bom") == 0)
		return yes_no(v, &s->page_bom);
	if (strcmp(k, "http_page_doctype") == 0)
		return copy(s->page_doctype, sizeof(s->page_doctype), v);
	if (strcmp(k, "http_page_title") == 0)
		return copy(s->page_title, sizeof(s->page_title), v);
	if (strcmp(k, "http_page_body") == 0)
		return append(LINES(s->page_body), &s->npage_body, v);
	if (strcmp(k, "http_404_page") == 0)
		return copy(s->page_404, sizeof(s->page_404), v);
	if (strcmp(k, "http_401_page") == 0)
		return copy(s->page_401, sizeof(s->page_401), v);
	if (strcmp(k, "rpc2") == 0)
		return yes_no(v, &s->rpc2);
	if (strcmp(k, "rpc2_realm") == 0)
		return copy(s->rpc2_realm, sizeof(s->rpc2_realm), v);
	if (strcmp(k, "onvif_off") == 0)
		return parse_onvif(v, &s->onvif_off) != 0 ||
			s->onvif_off < SIM_ONVIF_404
		    ? -1
		    : 0;
	if (strcmp(k, "https") == 0)
		return yes_no(v, &s->https);
	return 1;
}

static int
rtsp_key(struct sim_surface *s, const char *k, const char *v)
{
	if (strcmp(k, "rtsp") == 0)
		return yes_no(v, &s->rtsp);
	if (strcmp(k, "rtsp_options") == 0)
		return sim_parse_int(v, 200, 599, &s->rtsp_options);
	if (strcmp(k, "rtsp_describe") == 0)
		return sim_parse_int(v, 200, 599, &s->rtsp_describe);
	if (strcmp(k, "rtsp_public") == 0)
		return copy(s->rtsp_public, sizeof(s->rtsp_public), v);
	if (strcmp(k, "rtsp_realm") == 0)
		return copy(s->rtsp_realm, sizeof(s->rtsp_realm), v);
	if (strcmp(k, "rtsp_challenge") == 0)
		return copy(s->rtsp_challenge, sizeof(s->rtsp_challenge), v);
	if (strcmp(k, "rtsp_challenge2") == 0)
		return copy(s->rtsp_challenge2, sizeof(s->rtsp_challenge2), v);
	if (strcmp(k, "rtsp_head") == 0)
		return append(LINES(s->rtsp_head), &s->nrtsp_head, v);
	if (strcmp(k, "rtsp_date") == 0)
		return copy(s->rtsp_date, sizeof(s->rtsp_date), v);
	return 1;
}

/*
 * A surface key of a profile: 0 set, -1 a bad value, 1 not a surface key.
 */
int
surface_key(struct sim_profile *p, const char *k, const char *v)
{
	struct sim_surface *s = &p->surf;
	int rc;

	if ((rc = http_key(s, k, v)) != 1 || (rc = rtsp_key(s, k, v)) != 1)
		return rc;
	if (strcmp(k, "sadp") == 0)
		return yes_no(v, &s->sadp);
	if (strcmp(k, "dhip") == 0)
		return yes_no(v, &s->dhip);
	if (strcmp(k, "xm") == 0)
		return yes_no(v, &s->xm);
	if (strcmp(k, "sadp_field") == 0)
		return field(s->sadp_fields, &s->nsadp_fields, v);
	if (strcmp(k, "dhip_field") == 0)
		return field(s->dhip_fields, &s->ndhip_fields, v);
	if (strcmp(k, "tls_subject") == 0)
		return copy(s->tls_subject, sizeof(s->tls_subject), v);
	if (strcmp(k, "tls_issuer") == 0)
		return copy(s->tls_issuer, sizeof(s->tls_issuer), v);
	if (strcmp(k, "tls_days") == 0)
		return sim_parse_int(v, 1, 36500, &s->tls_days);
	return 1;
}

void
surface_spec_defaults(struct sim_spec *c)
{
	c->onvif = SIM_ONVIF_ON;
	c->unauth = -1;
	c->sadp_port = c->dhip_port = SIM_PORT_DEFAULT;
	c->rtsp_port = c->https_port = SIM_PORT_DEFAULT;
	c->xm_port = SIM_PORT_DEFAULT;
	c->udp_multicast = -1;
}

/* "N" (0: none) or "auto" (a free one). */
static int
port(const char *v, int *out)
{
	if (strcmp(v, "auto") == 0) {
		*out = SIM_PORT_AUTO;
		return 0;
	}
	return sim_parse_int(v, 0, 65535, out);
}

static int
parse_reply(const char *v, enum sim_sadp_reply *r)
{
	if (strcmp(v, "unicast") == 0)
		*r = SIM_REPLY_UNICAST;
	else if (strcmp(v, "multicast") == 0)
		*r = SIM_REPLY_MULTICAST;
	else if (strcmp(v, "both") == 0)
		*r = SIM_REPLY_BOTH;
	else
		return -1;
	return 0;
}

static int
parse_multicast(const char *v, int *out)
{
	if (strcmp(v, "auto") == 0) {
		*out = -1;
		return 0;
	}
	return yes_no(v, out);
}

/* A spec option of the surfaces: 0 set, -1 bad value, 1 not ours. */
int
surface_option(struct sim_spec *c, const char *opt, const char *v)
{
	struct in_addr a;

	if (strcmp(opt, "onvif") == 0)
		return parse_onvif(v, &c->onvif);
	if (strcmp(opt, "unauth") == 0)
		return yes_no(v, &c->unauth);
	if (strcmp(opt, "sadp-port") == 0)
		return port(v, &c->sadp_port);
	if (strcmp(opt, "dhip-port") == 0)
		return port(v, &c->dhip_port);
	if (strcmp(opt, "rtsp-port") == 0)
		return port(v, &c->rtsp_port);
	if (strcmp(opt, "https-port") == 0)
		return port(v, &c->https_port);
	if (strcmp(opt, "xm-port") == 0)
		return port(v, &c->xm_port);
	if (strcmp(opt, "sadp-hello") == 0)
		return yes_no(v, &c->sadp_hello);
	if (strcmp(opt, "sadp-reply") == 0)
		return parse_reply(v, &c->sadp_reply);
	if (strcmp(opt, "udp-multicast") == 0)
		return parse_multicast(v, &c->udp_multicast);
	if (strcmp(opt, "cert") == 0) {
		c->cert_vendor = strcmp(v, "vendor") == 0;
		return c->cert_vendor || strcmp(v, "address") == 0 ? 0 : -1;
	}
	if (strcmp(opt, "spoof-from") == 0)
		return inet_pton(AF_INET, v, &a) == 1
		    ? copy(c->spoof_from, sizeof(c->spoof_from), v)
		    : -1;
	return 1;
}

static int
given(int port)
{
	return port > 0 || port == SIM_PORT_AUTO;
}

/* A port given for a surface the profile does not have is an error. */
int
surface_check(const struct sim_spec *c, char *err, size_t errsz)
{
	const struct sim_surface *s = &c->prof.surf;
	const char *why = NULL;

	if (given(c->sadp_port) && !s->sadp)
		why = "sadp-port=: this profile does not answer SADP";
	else if (given(c->dhip_port) && !s->dhip)
		why = "dhip-port=: this profile does not answer DHIP";
	else if (given(c->rtsp_port) && !s->rtsp)
		why = "rtsp-port=: this profile has no RTSP";
	else if (given(c->xm_port) && !s->xm)
		why = "xm-port=: this profile has no DVR-IP port";
	else if (c->sadp_hello && !s->sadp)
		why = "sadp-hello=yes: this profile does not answer SADP";
	else if (c->cert_vendor && !c->tls)
		why = "cert=vendor needs tls=yes";
	if (why != NULL)
		snprintf(err, errsz, "%s", why);
	return why != NULL ? -1 : 0;
}

/*
 * One surface's port: an explicit one (or auto) turns it on; otherwise
 * the standard port when the surfaces are on and the profile speaks it.
 */
static int
pick(int opt, int on, int speaks, int standard)
{
	if (!speaks || opt == 0)
		return 0;
	if (opt != SIM_PORT_DEFAULT)
		return opt == SIM_PORT_AUTO ? SIM_PORT_AUTO : opt;
	return on ? standard : 0;
}

/*
 * The surfaces' ports of a camera (shared: of a shared line; line is its
 * number), or NULL when it has none.  all: camsim -u.  Ports stay
 * SIM_PORT_AUTO until bound.  HTTPS needs a socket of its own (a
 * certificate per address); fleet.c refuses it on shared lines.
 */
struct sim_extra *
surface_extra(const struct sim_spec *c, int shared, int all, int line)
{
	const struct sim_surface *s = &c->prof.surf;
	struct sim_extra e, *x;
	int on = c->unauth >= 0 ? c->unauth : all && !shared;

	memset(&e, 0, sizeof(e));
	/* sadp-hello=yes needs the SADP socket to say it from. */
	e.sadp_port =
	    pick(c->sadp_port, on || c->sadp_hello, s->sadp, SADP_PORT);
	e.dhip_port = pick(c->dhip_port, on, s->dhip, DHIP_PORT);
	e.rtsp_port = pick(c->rtsp_port, on, s->rtsp, RTSP_PORT);
	e.https_port = pick(c->https_port, on && !shared,
	    s->https || c->https_port != SIM_PORT_DEFAULT, HTTPS_PORT);
	e.xm_port = pick(c->xm_port, on && !shared, s->xm, XM_PORT);
	if (e.sadp_port == 0 && e.dhip_port == 0 && e.rtsp_port == 0 &&
	    e.https_port == 0 && e.xm_port == 0)
		return NULL;
	e.rtsp_group = e.rtsp_port == SIM_PORT_AUTO ? line : 0;
	e.https_group = e.https_port == SIM_PORT_AUTO ? line : 0;
	if ((x = malloc(sizeof(*x))) == NULL) {
		perror("camsim");
		exit(1);
	}
	*x = e;
	return x;
}

/* " rtsp=P https=P https-sha256=HEX sadp=P dhip=P xm=P" as far as they
 * are on. */
void
surface_ready(const struct sim_camera *c, FILE *f)
{
	const struct sim_extra *x = c->x;

	if (x == NULL)
		return;
	if (x->rtsp_port > 0)
		fprintf(f, " rtsp=%d", x->rtsp_port);
	if (x->https_port > 0)
		fprintf(f, " https=%d", x->https_port);
	if (x->https_cert != NULL)
		fprintf(f, " https-sha256=%s", x->https_cert->sha256);
	if (x->sadp_port > 0)
		fprintf(f, " sadp=%d", x->sadp_port);
	if (x->dhip_port > 0)
		fprintf(f, " dhip=%d", x->dhip_port);
	if (x->xm_port > 0)
		fprintf(f, " xm=%d", x->xm_port);
}
