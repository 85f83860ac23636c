/*
 * service.c: answers one ONVIF device-service request for one camera.
 *
 * The HTTP layer has already read the request; here we decide on HTTP
 * Basic and Digest and on SOAP version before any XML is parsed, then run
 * a fresh gSOAP context whose input is the request body in memory and
 * whose output is captured into the reply, so that the fault mode can
 * reshape it before it reaches the socket.  The __tds__ functions are gSOAP's
 * server skeletons.  One gSOAP context per request, taken from a small
 * pool and given back (a context is 160 KB to allocate and set up, and a
 * round of 100,000 cameras makes half a million requests); connection
 * threads, the pool under its lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "soapH.h"
#include "wsseapi.h"

#include "camsim.h"
#include "service.h"
#include "common/strutil.h"

#define OUT_MAX (4 * 1024 * 1024)
#define MAX_NS 64
#define POOL_MAX 64 /* idle gSOAP contexts kept for the next request */

#define SOAP12_NS "http://www.w3.org/2003/05/soap-envelope"
#define SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct soap *pool[POOL_MAX];
static int npool;

/* A context with the WS-Security plugin: an idle one, else a new one. */
static struct soap *
ctx_get(void)
{
	struct soap *soap = NULL;

	pthread_mutex_lock(&pool_lock);
	if (npool > 0)
		soap = pool[--npool];
	pthread_mutex_unlock(&pool_lock);
	if (soap != NULL)
		return soap;
	if ((soap = soap_new1(SOAP_C_UTFSTRING)) != NULL &&
	    soap_register_plugin(soap, soap_wsse) != SOAP_OK) {
		soap_free(soap);
		soap = NULL;
	}
	return soap;
}

/* Done with a request: free what it parsed and made, keep the context. */
static void
ctx_put(struct soap *soap)
{
	soap_destroy(soap);
	soap_end(soap);
	soap->header = NULL; /* soap_end freed them: nothing of this request */
	soap->fault = NULL;
	soap->user = NULL;
	pthread_mutex_lock(&pool_lock);
	if (npool < POOL_MAX) {
		pool[npool++] = soap;
		soap = NULL;
	}
	pthread_mutex_unlock(&pool_lock);
	if (soap != NULL)
		soap_free(soap);
}

time_t
service_clock(const struct sim_camera *cam)
{
	return time(NULL) + cam->spec->skew;
}

/* Calls any client may make before it has authenticated (ONVIF PRE_AUTH). */
static int
op_preauth(const char *op)
{
	return strcmp(op, "GetSystemDateAndTime") == 0 ||
	    strcmp(op, "GetCapabilities") == 0 ||
	    strcmp(op, "GetServices") == 0;
}

static int
op_needs_auth(const struct sim_camera *cam, const char *op)
{
	if (cam->spec->prof.auth == SIM_AUTH_NONE)
		return 0;
	if (strcmp(op, "GetSystemDateAndTime") == 0)
		return cam->spec->prof.time_needs_auth;
	return !op_preauth(op);
}

/* Local name of the first element inside the SOAP Body, or "?". */
static void
peek_operation(const char *body, char *op, size_t opsz)
{
	const char *p = body, *e;

	str_lcpy(op, "?", opsz);
	while ((p = strstr(p, "Body")) != NULL) {
		if ((p[-1] == ':' || p[-1] == '<') &&
		    (p[4] == '>' || p[4] == ' ' || p[4] == '\t' ||
			p[4] == '\r' || p[4] == '\n'))
			break;
		p += 4;
	}
	if (p == NULL || (p = strchr(p, '>')) == NULL)
		return;
	while ((p = strchr(p, '<')) != NULL && (p[1] == '!' || p[1] == '?'))
		p++;
	if (p == NULL || p[1] == '/')
		return;
	p++;
	e = p + strcspn(p, " \t\r\n/>");
	for (const char *c = p; c < e; c++)
		if (*c == ':')
			p = c + 1;
	if (e > p && (size_t)(e - p) < opsz) {
		memcpy(op, p, (size_t)(e - p));
		op[e - p] = '\0';
	}
}

static size_t
mem_recv(struct soap *soap, char *buf, size_t len)
{
	struct call *cl = soap->user;
	size_t n = cl->inlen - cl->inpos;

	if (n > len)
		n = len;
	memcpy(buf, cl->in + cl->inpos, n);
	cl->inpos += n;
	return n;
}

static int
mem_send(struct soap *soap, const char *s, size_t n)
{
	struct call *cl = soap->user;
	char *nb;
	size_t cap;

	if (cl->outlen + n > OUT_MAX)
		return SOAP_EOM;
	if (cl->outlen + n + 1 > cl->outcap) {
		cap = (cl->outlen + n + 1) * 2;
		if ((nb = realloc(cl->out, cap)) == NULL)
			return SOAP_EOM;
		cl->out = nb;
		cl->outcap = cap;
	}
	memcpy(cl->out + cl->outlen, s, n);
	cl->outlen += n;
	cl->out[cl->outlen] = '\0';
	return SOAP_OK;
}

/* Our namespace table plus the profile's vendor decorations. */
static void
build_namespaces(const struct sim_camera *cam, struct Namespace *tab)
{
	int i, n;

	for (n = 0; namespaces[n].id != NULL && n < MAX_NS - SIM_MAX_XMLNS - 1;
	     n++)
		tab[n] = namespaces[n];
	for (i = 0; i < cam->spec->prof.nxmlns; i++, n++) {
		memset(&tab[n], 0, sizeof(tab[n]));
		tab[n].id = cam->spec->prof.xmlns[i].prefix;
		tab[n].ns = cam->spec->prof.xmlns[i].uri;
	}
	memset(&tab[n], 0, sizeof(tab[n]));
}

/* HTTP status of a SOAP fault: Sender faults per profile, others 500. */
static int
fault_status(struct soap *soap, const struct sim_camera *cam, int soap11)
{
	const char **code = soap_faultcode(soap);

	if (soap11)
		return 500;
	if (code != NULL && *code != NULL &&
	    (strstr(*code, "Sender") || strstr(*code, "Client")))
		return cam->spec->prof.sender_status;
	return 500;
}

/*
 * Move gSOAP's output into rep.  Without a socket gSOAP believes it runs
 * as a CGI program and writes "Status:" headers first: we drop them, the
 * HTTP layer writes its own.
 */
static void
take_output(struct call *cl, struct sim_reply *rep)
{
	char *xml = cl->out, *end;

	if (xml != NULL && *xml != '<' &&
	    (end = strstr(xml, "\r\n\r\n")) != NULL)
		xml = end + 4;
	if (xml == NULL) {
		rep->body = NULL;
		rep->len = 0;
	} else {
		rep->len = cl->outlen - (size_t)(xml - cl->out);
		memmove(cl->out, xml, rep->len + 1);
		rep->body = cl->out;
	}
	cl->out = NULL;
}

static void
run_soap(struct call *cl)
{
	struct Namespace tab[MAX_NS];
	struct sim_reply *rep = cl->rep;
	struct soap *soap;

	if ((soap = ctx_get()) == NULL) {
		rep->status = 500;
		return;
	}
	build_namespaces(cl->cam, tab);
	soap_set_namespaces(soap, tab);
	soap->user = cl;
	soap->frecv = mem_recv;
	soap->fsend = mem_send;
	soap->maxlevel = 64;
	cl->in = cl->req->body + strspn(cl->req->body, " \t\r\n");
	cl->inlen = strlen(cl->in);
	if (soap_begin_serve(soap) != SOAP_OK ||
	    (soap_serve_request(soap) != SOAP_OK && soap->error < SOAP_STOP)) {
		if (rep->auth[0] == '\0')
			str_lcpy(rep->auth, "-", sizeof(rep->auth));
		rep->status = fault_status(soap, cl->cam, soap->version == 1);
		soap_send_fault(soap);
	}
	rep->soap11 = soap->version == 1;
	take_output(cl, rep);
	ctx_put(soap);
}

static void
version_mismatch(struct sim_reply *rep)
{
	static const char fault[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" SOAP11_NS "\">"
	    "<SOAP-ENV:Body><SOAP-ENV:Fault>"
	    "<faultcode>SOAP-ENV:VersionMismatch</faultcode>"
	    "<faultstring>SOAP version not supported</faultstring>"
	    "</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n";

	rep->status = 500;
	rep->soap11 = 1;
	rep->body = strdup(fault);
	rep->len = rep->body != NULL ? strlen(fault) : 0;
	str_lcpy(rep->auth, "-", sizeof(rep->auth));
}

/* The Hikvision-style HTML page, with a Digest challenge. */
static void
html_401(struct sim_camera *cam, struct sim_reply *rep, int stale)
{
	static const char page[] =
	    "<!DOCTYPE html>\n<html><head><title>Document Error: "
	    "Unauthorized</title></head>\n<body><h2>Access Error: 401 -- "
	    "Unauthorized</h2>\n<p>Authorization is required to reach this "
	    "page.</p></body></html>\n";

	free(rep->body);
	rep->status = 401;
	rep->html = 1;
	rep->body = strdup(page);
	rep->len = rep->body != NULL ? strlen(page) : 0;
	digest_challenge(cam, stale, rep->challenge, sizeof(rep->challenge));
}

static int
basic_fault(enum sim_fault f)
{
	return f == SIM_FAULT_BASIC_ONLY || f == SIM_FAULT_BASIC_DIGEST ||
	    f == SIM_FAULT_DIGEST_BASIC;
}

/* The 401 of the basic-* modes: Basic, and Digest before or after it. */
static void
basic_401(struct sim_camera *cam, struct sim_reply *rep, int stale)
{
	static const char page[] =
	    "<!DOCTYPE html>\n<html><head><title>401 Unauthorized</title>"
	    "</head>\n<body><h1>401 Unauthorized</h1><p>Please log in."
	    "</p></body></html>\n";
	char basic[sizeof(rep->challenge)], digest[sizeof(rep->challenge)];

	rep->status = 401;
	rep->html = 1;
	rep->body = strdup(page);
	rep->len = rep->body != NULL ? strlen(page) : 0;
	snprintf(
	    basic, sizeof(basic), "Basic realm=\"%s\"", cam->spec->prof.realm);
	digest[0] = '\0';
	if (cam->spec->fault != SIM_FAULT_BASIC_ONLY)
		digest_challenge(cam, stale, digest, sizeof(digest));
	if (cam->spec->fault == SIM_FAULT_DIGEST_BASIC) {
		str_lcpy(rep->challenge, digest, sizeof(rep->challenge));
		str_lcpy(rep->challenge2, basic, sizeof(rep->challenge2));
	} else {
		str_lcpy(rep->challenge, basic, sizeof(rep->challenge));
		str_lcpy(rep->challenge2, digest, sizeof(rep->challenge2));
	}
}

/*
 * basic-only, basic-digest, digest-basic: the call needs HTTP credentials,
 * and right Basic ones are welcome (what a phishing listener wants to
 * see; the test checks whether a client ever sends them).  1 if rep is
 * the 401, 0 if the request goes on with *http_auth set.
 */
static int
basic_gate(struct sim_camera *cam, const struct sim_req *req,
    struct sim_reply *rep, int *http_auth)
{
	const char *a = req->authorization;
	int stale = 0;

	if (basic_check(cam, req)) {
		*http_auth = HTTP_AUTH_BASIC;
		return 0;
	}
	if (cam->spec->fault != SIM_FAULT_BASIC_ONLY &&
	    digest_check(cam, req, &stale)) {
		*http_auth = HTTP_AUTH_DIGEST;
		return 0;
	}
	str_lcpy(rep->auth,
	    a[0] == '\0'			   ? "http-missing"
		: strncasecmp(a, "Basic ", 6) == 0 ? "basic-bad"
						   : "digest-bad",
	    sizeof(rep->auth));
	basic_401(cam, rep, stale);
	return 1;
}

static int
quirk_fault(enum sim_fault f)
{
	return f == SIM_FAULT_CHUNKED || f == SIM_FAULT_SHORT_BODY ||
	    f == SIM_FAULT_SHORT_BODY_KEEP || f == SIM_FAULT_BLANK_LINE ||
	    f == SIM_FAULT_EXTRA_ELEMENTS;
}

/* Checks made before any XML is parsed; 1 if rep is already final. */
static int
precheck(struct sim_camera *cam, const struct sim_req *req,
    struct sim_reply *rep, int *http_auth)
{
	int v12, v11, stale = 0, need;

	if (strcmp(req->method, "POST") != 0) {
		rep->status = 405;
		rep->html = 1;
		return 1;
	}
	if (strncmp(req->path, "/onvif/", 7) != 0) {
		rep->status = 404;
		rep->html = 1;
		return 1;
	}
	v12 = strstr(req->body, SOAP12_NS) != NULL;
	v11 = !v12 && strstr(req->body, SOAP11_NS) != NULL;
	if ((v12 && !cam->spec->prof.soap12) ||
	    (v11 && !cam->spec->prof.soap11)) {
		version_mismatch(rep);
		return 1;
	}
	rep->soap11 = v11;
	if (*http_auth == 0 &&
	    (cam->spec->prof.auth == SIM_AUTH_DIGEST ||
		cam->spec->prof.auth == SIM_AUTH_EITHER) &&
	    digest_check(cam, req, &stale))
		*http_auth = HTTP_AUTH_DIGEST;
	need = op_needs_auth(cam, rep->op);
	if (!need || *http_auth)
		return 0;
	if (cam->spec->prof.auth == SIM_AUTH_DIGEST ||
	    (cam->spec->prof.auth == SIM_AUTH_EITHER &&
		strstr(req->body, "UsernameToken") == NULL)) {
		str_lcpy(rep->auth,
		    req->authorization[0] ? "digest-bad" : "digest-missing",
		    sizeof(rep->auth));
		html_401(cam, rep, stale);
		return 1;
	}
	return 0;
}

void
service_handle(
    struct sim_camera *cam, const struct sim_req *req, struct sim_reply *rep)
{
	struct call cl;
	int hostile, scoped;

	memset(&cl, 0, sizeof(cl));
	rep->status = 200;
	peek_operation(req->body, rep->op, sizeof(rep->op));
	scoped = cam->spec->fault_all_ops || !op_preauth(rep->op);
	/* header-drip answers every request: no call gets through. */
	hostile = (fault_is_hostile(cam->spec->fault) && scoped) ||
	    cam->spec->fault == SIM_FAULT_HEADER_DRIP;
	rep->faulty = hostile || quirk_fault(cam->spec->fault) ||
	    (basic_fault(cam->spec->fault) && scoped);
	if (hostile && fault_build_body(cam, rep))
		return;
	if (basic_fault(cam->spec->fault) && scoped &&
	    basic_gate(cam, req, rep, &cl.http_auth))
		goto out;
	if (precheck(cam, req, rep, &cl.http_auth))
		goto out;
	cl.cam = cam;
	cl.req = req;
	cl.rep = rep;
	run_soap(&cl);
	free(cl.out);
	if (rep->status == 401 ||
	    (cam->spec->fault == SIM_FAULT_HTML_401 &&
		strncmp(rep->auth, "wsse-", 5) == 0 &&
		strcmp(rep->auth, "wsse-ok") != 0 &&
		strcmp(rep->auth, "wsse-ignored") != 0))
		html_401(cam, rep, 0);
out:
	fault_decorate(cam, rep);
}

/* Called by each skeleton in ops.c before it answers. */
int
call_auth(struct soap *soap, const char *op)
{
	struct call *cl = soap->user;
	struct sim_camera *cam = cl->cam;

	if (cl->http_auth) {
		str_lcpy(cl->rep->auth,
		    cl->http_auth == HTTP_AUTH_BASIC ? "basic-ok" : "digest-ok",
		    sizeof(cl->rep->auth));
		return SOAP_OK;
	}
	if (cam->spec->prof.auth == SIM_AUTH_NONE ||
	    cam->spec->prof.auth == SIM_AUTH_DIGEST) {
		str_lcpy(cl->rep->auth, "none", sizeof(cl->rep->auth));
		return SOAP_OK;
	}
	return wsse_check(soap, cam, op_needs_auth(cam, op), cl->rep->auth,
	    sizeof(cl->rep->auth));
}
