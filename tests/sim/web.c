/*
 * web.c: the camera's web server as a client without credentials sees it:
 * the page at /, the maker's own API paths answered 401 with its Digest
 * realm (http_protected), everything else 404 in the maker's style, Dahua's
 * RPC2_Login first step (a login challenge carrying serial and MAC, for
 * an empty password only), and the ONVIF path when onvif= switches
 * ONVIF off (404, 401 or a reset).  Headers, pages and challenges are the
 * profile's templates (expand.c), in the profile's order and spelling.
 *
 * The ONVIF service at /onvif/ (service.c) is untouched while ONVIF is on.
 * Connection threads; no shared state.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "camsim.h"
#include "common/strutil.h"

#define HEAD_MAX 4096
#define PAGE_MAX 16384
#define RPC2_PATH "/RPC2_Login"
#define RPC2_CHALLENGE 268632079 /* "login challenge" (notes, section 3) */

/* Headers of a profile that says nothing about its web server. */
static const char *const default_head[] = {"Server: camsim",
    "Content-Type: @type", "Content-Length: @length",
    "WWW-Authenticate: @challenge", "WWW-Authenticate: @challenge2",
    "Connection: @connection"};

#define DEFAULT_CHALLENGE                                                      \
	"Digest realm=\"@realm\", qop=\"auth\", nonce=\"@nonce\""
#define DEFAULT_404                                                            \
	"<html><head><title>404 Not Found</title></head><body>Not Found"       \
	"</body></html>"
#define DEFAULT_401                                                            \
	"<html><head><title>401 Unauthorized</title></head><body>"             \
	"Unauthorized</body></html>"

static int
prefixed(const char *path, const char *prefix)
{
	return strncmp(path, prefix, strlen(prefix)) == 0;
}

static int
onvif_path(const char *path)
{
	return prefixed(path, "/onvif/") || strcmp(path, "/onvif") == 0;
}

/* A page template expanded into the reply's body; "-" is no body. */
static void
set_page(const struct sim_camera *c, struct sim_reply *rep, const char *tmpl)
{
	char *page;

	free(rep->body);
	rep->body = NULL;
	rep->len = 0;
	if (strcmp(tmpl, "-") == 0 || (page = malloc(PAGE_MAX)) == NULL)
		return;
	rep->len = expand(c, NULL, tmpl, page, PAGE_MAX);
	rep->body = page;
}

/* The realm of the web server's challenges: http_realm, else realm. */
static void
realm_of(const struct sim_camera *c, const char *tmpl, char *out, size_t sz)
{
	const struct sim_profile *p = &c->spec->prof;

	if (tmpl[0] == '\0')
		tmpl = p->surf.http_realm[0] != '\0' ? p->surf.http_realm
						     : p->realm;
	expand(c, NULL, tmpl, out, sz);
}

static void
challenge(const struct sim_camera *c, struct sim_reply *rep, const char *realm)
{
	const struct sim_surface *s = &c->spec->prof.surf;
	struct xvars v = {realm, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1};

	expand(c, &v,
	    s->http_challenge[0] != '\0' ? s->http_challenge
					 : DEFAULT_CHALLENGE,
	    rep->challenge, sizeof(rep->challenge));
	expand(c, &v, s->http_challenge2, rep->challenge2,
	    sizeof(rep->challenge2));
}

/* 401 with the maker's challenge and page; credentials are never taken. */
static void
unauthorized(const struct sim_camera *c, const struct sim_req *req,
    struct sim_reply *rep)
{
	const struct sim_surface *s = &c->spec->prof.surf;
	char realm[128];

	realm_of(c, "", realm, sizeof(realm));
	rep->status = 401;
	challenge(c, rep, realm);
	set_page(c, rep, s->page_401[0] != '\0' ? s->page_401 : DEFAULT_401);
	if (req->authorization[0] != '\0')
		snprintf(rep->auth, sizeof(rep->auth), "refused-%.*s",
		    (int)strcspn(req->authorization, " "), req->authorization);
}

static void
not_found(const struct sim_camera *c, struct sim_reply *rep)
{
	const struct sim_surface *s = &c->spec->prof.surf;

	rep->status = 404;
	set_page(c, rep, s->page_404[0] != '\0' ? s->page_404 : DEFAULT_404);
}

/* BOM, doctype, title, the body lines: the page at /. */
static void
root_page(const struct sim_camera *c, struct sim_reply *rep)
{
	const struct sim_surface *s = &c->spec->prof.surf;
	struct sbuf b;
	int i;

	if ((b.p = malloc(PAGE_MAX)) == NULL)
		return;
	b.len = 0;
	b.cap = PAGE_MAX;
	b.over = 0;
	b.p[0] = '\0';
	if (s->page_bom)
		sb_puts(&b, "\xef\xbb\xbf");
	if (s->page_doctype[0] != '\0') {
		expand_sb(c, NULL, s->page_doctype, &b);
		sb_puts(&b, "\n");
	}
	sb_puts(&b, "<html>\n<head>\n<title>");
	expand_sb(c, NULL, s->page_title, &b);
	sb_puts(&b, "</title>\n</head>\n<body>\n");
	for (i = 0; i < s->npage_body; i++) {
		expand_sb(c, NULL, s->page_body[i], &b);
		sb_puts(&b, "\n");
	}
	sb_puts(&b, "</body>\n</html>\n");
	free(rep->body);
	rep->status = 200;
	rep->body = b.p;
	rep->len = b.len;
}

/*
 * The string value of "key" in a JSON text, at most outsz - 1 bytes
 * (escapes kept as sent); 0 found, -1 absent or not a string.  A flat
 * scan: enough for RPC2_Login's small request, bounded by the body.
 */
static int
json_string(const char *json, const char *key, char *out, size_t outsz)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if ((p = strstr(json, pat)) == NULL)
		return -1;
	p += strlen(pat);
	p += strspn(p, " \t\r\n");
	if (*p++ != ':')
		return -1;
	p += strspn(p, " \t\r\n");
	if (*p++ != '"')
		return -1;
	for (; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (n + 1 < outsz)
			out[n++] = *p;
	}
	out[n] = '\0';
	return *p == '"' ? 0 : -1;
}

/* The request's numeric "id", or 0. */
static long
json_id(const char *json)
{
	const char *p = strstr(json, "\"id\"");

	if (p == NULL)
		return 0;
	p += 4 + strspn(p + 4, " \t\r\n");
	return *p == ':' ? strtol(p + 1, NULL, 10) % 1000000000L : 0;
}

/* Why an RPC2_Login request is not the first step we answer, or NULL. */
static const char *
rpc2_refusal(const struct sim_req *req, char *user, size_t usersz)
{
	char method[64], pw[8];

	if (strcmp(req->method, "POST") != 0)
		return "not a POST";
	if (json_string(req->body, "method", method, sizeof(method)) != 0 ||
	    strcmp(method, "global.login") != 0)
		return "not global.login";
	if (strstr(req->body, "\"authorityType\"") != NULL ||
	    strstr(req->body, "\"passwordType\"") != NULL)
		return "a second login step";
	if (json_string(req->body, "password", pw, sizeof(pw)) != 0)
		return "no password field";
	if (pw[0] != '\0')
		return "a password was sent";
	if (json_string(req->body, "userName", user, usersz) != 0)
		user[0] = '\0';
	return NULL;
}

/*
 * Dahua's RPC2_Login first step: with an empty password, the login
 * challenge (error 268632079) whose params carry the MAC and the realm
 * "Login to <serial>" (notes, section 3).  Anything else is logged and
 * refused with an error of camsim's own.
 */
static void
rpc2(struct sim_camera *c, const struct sim_req *req, struct sim_reply *rep)
{
	const struct sim_surface *s = &c->spec->prof.surf;
	char user[64], clean[64], realm[128], auth[41], rnd[9], json[1024];
	const char *why = rpc2_refusal(req, user, sizeof(user));
	long id = json_id(req->body);
	int n;

	rep->status = 200;
	rep->ctype = "application/json; charset=utf-8";
	if (why != NULL) {
		sim_log(c, "rpc2: refused: %s", why);
		n = snprintf(json, sizeof(json),
		    "{\"error\":{\"code\":0,\"message\":\"camsim: refused\"},"
		    "\"id\":%ld,\"result\":false,\"session\":0}",
		    id);
		str_lcpy(rep->auth, "refused", sizeof(rep->auth));
	} else {
		sim_clean(user, strlen(user), clean, sizeof(clean));
		sim_log(c, "rpc2: login challenge for user '%s'", clean);
		realm_of(c,
		    s->rpc2_realm[0] != '\0' ? s->rpc2_realm
					     : "Login to @serial",
		    realm, sizeof(realm));
		random_hex(auth, 20, 0);
		random_hex(rnd, 4, 0);
		n = snprintf(json, sizeof(json),
		    "{\"error\":{\"code\":%d,\"message\":\"Component error: "
		    "login challenge!\"},\"id\":%ld,\"params\":{"
		    "\"authorization\":\"%s\",\"encryption\":\"Default\","
		    "\"mac\":\"",
		    RPC2_CHALLENGE, id, auth);
		n += (int)expand(
		    c, NULL, "@MAC", json + n, sizeof(json) - (size_t)n);
		n += snprintf(json + n, sizeof(json) - (size_t)n,
		    "\",\"random\":\"%lu\",\"realm\":\"%s\"},\"result\":false,"
		    "\"session\":%lu}\n",
		    strtoul(rnd, NULL, 16) % 1000000000UL, realm,
		    strtoul(auth + 32, NULL, 16) % 2147483647UL);
		str_lcpy(rep->auth, "challenge", sizeof(rep->auth));
	}
	free(rep->body);
	rep->body = strndup(json, (size_t)n);
	rep->len = rep->body != NULL ? (size_t)n : 0;
}

/* onvif=off|404|401|reset on the ONVIF path. */
static void
onvif_off(
    struct sim_camera *c, const struct sim_req *req, struct sim_reply *rep)
{
	enum sim_onvif mode = c->spec->onvif;

	if (mode == SIM_ONVIF_OFF)
		mode = c->spec->prof.surf.onvif_off;
	if (mode == SIM_ONVIF_RESET) {
		rep->reset = 1;
		rep->status = 0;
		str_lcpy(rep->auth, "reset", sizeof(rep->auth));
	} else if (mode == SIM_ONVIF_401)
		unauthorized(c, req, rep);
	else
		not_found(c, rep);
}

static int
protected_path(const struct sim_surface *s, const char *path)
{
	int i;

	for (i = 0; i < s->nhttp_protected; i++)
		if (prefixed(path, s->http_protected[i]))
			return 1;
	return 0;
}

static int
root_path(const char *path)
{
	return strcmp(path, "/") == 0 || prefixed(path, "/?") ||
	    strcmp(path, "/index.html") == 0;
}

/*
 * Serve req if it is for a surface: any path but the ONVIF one, and the
 * ONVIF one while ONVIF is off.  Returns 0 to let service.c answer.
 */
int
web_handle(
    struct sim_camera *c, const struct sim_req *req, struct sim_reply *rep)
{
	const struct sim_surface *s = &c->spec->prof.surf;

	if (onvif_path(req->path) && c->spec->onvif == SIM_ONVIF_ON)
		return 0;
	/* header-drip answers every request (service.c does it). */
	if (c->spec->fault == SIM_FAULT_HEADER_DRIP)
		return 0;
	rep->surface = 1;
	rep->http10 = req->http10;
	rep->head_only = strcmp(req->method, "HEAD") == 0;
	rep->faulty = c->spec->fault == SIM_FAULT_HTTP_HUGE;
	sim_clean(req->path, strlen(req->path), rep->op, sizeof(rep->op));
	str_lcpy(rep->auth, "-", sizeof(rep->auth));
	if (onvif_path(req->path))
		onvif_off(c, req, rep);
	else if (s->rpc2 && prefixed(req->path, RPC2_PATH))
		rpc2(c, req, rep);
	else if (protected_path(s, req->path))
		unauthorized(c, req, rep);
	else if (root_path(req->path) && s->http_root_status == 401)
		unauthorized(c, req, rep);
	else if (root_path(req->path))
		root_page(c, rep);
	else
		not_found(c, rep);
	return 1;
}

static int
uses_length(const struct sim_surface *s)
{
	int i;

	if (s->nhttp_head == 0)
		return 1;
	for (i = 0; i < s->nhttp_head; i++)
		if (strstr(s->http_head[i], "@length") != NULL)
			return 1;
	return 0;
}

/* Status line and the profile's headers; a header left empty is dropped. */
static size_t
build_head(const struct sim_camera *c, const struct sim_reply *rep, int keep,
    long clen, char *buf, size_t size)
{
	const struct sim_surface *s = &c->spec->prof.surf;
	struct xvars v = {NULL, rep->challenge, rep->challenge2,
	    rep->ctype != NULL ? rep->ctype : "text/html",
	    keep ? "keep-alive" : "close", NULL, NULL, clen, -1};
	struct sbuf b = {buf, 0, size, 0};
	char line[1024], *colon;
	int i,
	    n = s->nhttp_head > 0
	    ? s->nhttp_head
	    : (int)(sizeof(default_head) / sizeof(default_head[0]));

	buf[0] = '\0';
	sb_printf(&b, "HTTP/1.%d %d %s\r\n", rep->http10 ? 0 : 1, rep->status,
	    http_reason(rep->status));
	for (i = 0; i < n; i++) {
		expand(c, &v,
		    s->nhttp_head > 0 ? s->http_head[i] : default_head[i], line,
		    sizeof(line));
		colon = strchr(line, ':');
		if (colon != NULL && colon[1 + strspn(colon + 1, " ")] == '\0')
			continue;
		sb_printf(&b, "%s\r\n", line);
	}
	sb_puts(&b, "\r\n");
	return b.over ? 0 : b.len;
}

/* A reset instead of an answer: linger 0, then the caller closes. */
static void
reset(struct sim_conn *cn)
{
	struct linger lg = {1, 0};

	setsockopt(cn->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

/*
 * Write a surface reply.  Returns 1 if the connection may serve another
 * request.  Without Content-Length among the profile's headers the body
 * ends with the connection, as on such cameras.
 */
int
web_send(struct sim_conn *cn, struct sim_reply *rep, int keep)
{
	const struct sim_camera *c = cn->cam;
	char head[HEAD_MAX];
	size_t n;

	if (rep->reset) {
		reset(cn);
		return 0;
	}
	keep = keep && uses_length(&c->spec->prof.surf);
	if (rep->faulty && c->spec->fault == SIM_FAULT_HTTP_HUGE) {
		if ((n = build_head(c, rep, 0, c->spec->huge_bytes, head,
			 sizeof(head))) > 0 &&
		    conn_send_all(cn, head, n) == 0)
			fault_stream_filler(
			    cn, "<html><body><!--", c->spec->huge_bytes);
		return 0;
	}
	if ((n = build_head(
		 c, rep, keep, (long)rep->len, head, sizeof(head))) == 0)
		return 0;
	if (rep->head_only || rep->len == 0)
		return conn_send_all(cn, head, n) == 0 && keep;
	if (conn_send_more(cn, head, n) != 0 ||
	    conn_send_all(cn, rep->body, rep->len) != 0)
		return 0;
	return keep;
}
