/*
 * onvif.c: identify one camera over the ONVIF device service.
 *
 * Owns the gSOAP context for one camera poll: timeouts and the per-camera
 * deadline, the receive-side limits that keep a hostile camera from
 * growing memory or stalling us, the authentication ladder (none, then
 * WS-Security on the camera's clock, then HTTP Digest on a challenge), the
 * SOAP 1.1 fallback, and the mapping of every failure to a status an
 * operator can act on.  Any thread may call onvif_identify(); each call has
 * its own context and shares nothing.
 */

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "soapH.h"
#include "httpda.h"
#include "wsseapi.h"

#include "onvif.h"
#include "strutil.h"

#define ONVIF_DEFAULT_MAX_BODY (1024 * 1024)
#define ONVIF_DEFAULT_MAX_DEPTH 64
#define DEVICE_PATH "/onvif/device_service"

extern struct Namespace namespaces[];

/* The same table with the SOAP 1.1 envelope first, for 1.1-only firmware. */
static struct Namespace ns_soap11[64];

/* Per-poll state reached from the gSOAP callbacks through soap->user. */
struct poll_ctx {
	const struct onvif_opts *opts;
	long long deadline; /* monotonic ms */
	size_t max_body;
	size_t msg_bytes; /* bytes of the reply being read */
	bool deadline_hit;
	bool too_big;
	bool dtd; /* the reply carries a DTD: refused */
	char tail[8]; /* the end of the last chunk, for split markers */
	size_t tail_len;
	bool tried_soap11;
	size_t (*orig_frecv)(struct soap *, char *, size_t);
	SOAP_SOCKET(*orig_fopen)
	(struct soap *, const char *, const char *, int);
	char peer[CAM_ADDR_MAX];
	/* Auth state learned during this poll. */
	enum onvif_auth auth;
	bool digest_saved;
	struct http_da_info da;
	long offset; /* camera minus us, seconds */
};

static const char *status_names[ONVIF_STATUS_COUNT] = {
    [ONVIF_OK] = "ok",
    [ONVIF_TIMEOUT] = "timeout",
    [ONVIF_UNREACHABLE] = "unreachable",
    [ONVIF_AUTH_FAILED] = "auth-failed",
    [ONVIF_CLOCK_SKEW] = "clock-skew",
    [ONVIF_FAULT] = "fault",
    [ONVIF_HTTP_ERROR] = "http-error",
    [ONVIF_MALFORMED] = "malformed",
    [ONVIF_TLS_ERROR] = "tls-error",
    [ONVIF_NO_CREDENTIALS] = "no-credentials",
};

const char *
onvif_status_name(enum onvif_status s)
{
	if ((unsigned)s < ONVIF_STATUS_COUNT && status_names[s] != NULL)
		return status_names[s];
	return "unknown";
}

const char *
onvif_auth_name(enum onvif_auth a)
{
	switch (a) {
	case ONVIF_AUTH_NONE:
		return "none";
	case ONVIF_AUTH_WSSE:
		return "ws-security";
	case ONVIF_AUTH_DIGEST:
		return "http-digest";
	case ONVIF_AUTH_BOTH:
		return "digest+ws-security";
	default:
		return "";
	}
}

void
onvif_global_init(void)
{
	size_t i;

	soap_ssl_init();
	for (i = 0; i + 1 < sizeof(ns_soap11) / sizeof(ns_soap11[0]) &&
	     namespaces[i].id != NULL;
	     i++)
		ns_soap11[i] = namespaces[i];
	ns_soap11[0].ns = "http://schemas.xmlsoap.org/soap/envelope/";
	ns_soap11[0].in = "http://www.w3.org/2003/05/soap-envelope";
	ns_soap11[1].ns = "http://schemas.xmlsoap.org/soap/encoding/";
	ns_soap11[1].in = "http://www.w3.org/2003/05/soap-encoding";
}

void
onvif_opts_init(struct onvif_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 5000;
	o->io_timeout_ms = 5000;
	o->deadline_ms = 15000;
	o->max_body = ONVIF_DEFAULT_MAX_BODY;
	o->max_depth = ONVIF_DEFAULT_MAX_DEPTH;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
onvif_target_url(const char *target, char *url, size_t urlsz)
{
	size_t n;

	if (target == NULL || *target == '\0')
		return -1;
	for (n = 0; target[n] != '\0'; n++)
		if ((unsigned char)target[n] <= ' ')
			return -1;
	if (strncasecmp(target, "http://", 7) == 0 ||
	    strncasecmp(target, "https://", 8) == 0) {
		const char *host = strstr(target, "://") + 3;
		/* A bare http://host gets the standard device path. */
		if (strchr(host, '/') == NULL)
			n = (size_t)snprintf(
			    url, urlsz, "%s%s", target, DEVICE_PATH);
		else
			n = (size_t)snprintf(url, urlsz, "%s", target);
	} else if (strstr(target, "://") != NULL || strchr(target, '/'))
		return -1;
	else
		n = (size_t)snprintf(
		    url, urlsz, "http://%s%s", target, DEVICE_PATH);
	return n < urlsz ? 0 : -1;
}

/* ---- gSOAP callbacks: limits, deadline, peer address ------------------- */

static int
ms_left(const struct poll_ctx *pc)
{
	long long left = pc->deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

/*
 * SOAP forbids a DTD, and a DTD is how entity bombs arrive: a reply that
 * declares one is refused outright instead of parsed around.  The marker may
 * straddle two reads, so the end of the previous chunk is kept.
 */
static bool
has_marker(const char *p, size_t n)
{
	return memmem(p, n, "<!DOCTYPE", 9) != NULL ||
	    memmem(p, n, "<!ENTITY", 8) != NULL;
}

static bool
has_dtd(struct poll_ctx *pc, const char *buf, size_t n)
{
	char win[2 * sizeof(pc->tail)];
	size_t t = pc->tail_len, k = n < 8 ? n : 8;

	memcpy(win, pc->tail, t);
	memcpy(win + t, buf, k);
	if (has_marker(win, t + k) || has_marker(buf, n))
		return true;
	/* Keep the last 8 bytes seen, across short reads too. */
	if (n >= 8) {
		memcpy(pc->tail, buf + n - 8, 8);
		pc->tail_len = 8;
	} else {
		size_t keep = t + n > 8 ? 8 - n : t;
		memmove(pc->tail, pc->tail + t - keep, keep);
		memcpy(pc->tail + keep, buf, n);
		pc->tail_len = keep + n;
	}
	return false;
}

static size_t
limited_frecv(struct soap *soap, char *buf, size_t len)
{
	struct poll_ctx *pc = soap->user;
	int left = ms_left(pc);
	size_t n;

	if (left == 0) {
		pc->deadline_hit = true;
		return 0;
	}
	/* A camera that drips one byte a second must not outlive the deadline.
	 */
	if (left < pc->opts->io_timeout_ms)
		soap->recv_timeout = -(left * 1000);
	if (pc->msg_bytes >= pc->max_body) {
		pc->too_big = true;
		return 0;
	}
	if (len > pc->max_body - pc->msg_bytes)
		len = pc->max_body - pc->msg_bytes;
	n = pc->orig_frecv(soap, buf, len);
	pc->msg_bytes += n;
	if (n == 0 && ms_left(pc) == 0)
		pc->deadline_hit = true;
	/* Only noted here: an HTML error page has a DOCTYPE too. */
	if (n > 0 && !pc->dtd && has_dtd(pc, buf, n))
		pc->dtd = true;
	return n;
}

static SOAP_SOCKET
peer_fopen(struct soap *soap, const char *endpoint, const char *host, int port)
{
	struct poll_ctx *pc = soap->user;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	SOAP_SOCKET s;

	s = pc->orig_fopen(soap, endpoint, host, port);
	if (soap_valid_socket(s) &&
	    getpeername(s, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET,
			    &((struct sockaddr_in *)&ss)->sin_addr, pc->peer,
			    sizeof(pc->peer));
		else if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6,
			    &((struct sockaddr_in6 *)&ss)->sin6_addr, pc->peer,
			    sizeof(pc->peer));
	}
	return s;
}

/* Arm the timeouts for the next call from what is left of the deadline. */
static int
arm_call(struct soap *soap, struct poll_ctx *pc)
{
	int left = ms_left(pc);
	int io = pc->opts->io_timeout_ms, conn = pc->opts->connect_timeout_ms;

	if (left == 0) {
		pc->deadline_hit = true;
		return -1;
	}
	soap->connect_timeout = -((left < conn ? left : conn) * 1000);
	soap->send_timeout = -((left < io ? left : io) * 1000);
	soap->recv_timeout = -((left < io ? left : io) * 1000);
	soap->transfer_timeout = -(left * 1000);
	pc->msg_bytes = 0;
	pc->tail_len = 0;
	pc->dtd = false;
	return 0;
}

static void
release_call(struct soap *soap)
{
	soap_destroy(soap);
	soap_end(soap);
	soap->header = NULL;
}

/* ---- mapping failures to statuses -----------------------------------------
 */

static void
set_status(struct onvif_result *res, enum onvif_status st, const char *op,
    const char *msg)
{
	char full[CAM_STR_MAX * 2];

	res->status = st;
	if (op != NULL)
		snprintf(full, sizeof(full), "%s: %s", op, msg);
	else
		snprintf(full, sizeof(full), "%s", msg);
	str_clean(res->detail, sizeof(res->detail), full);
}

/* The local name of a fault subcode QName, whatever its prefix. */
static const char *
qname_local(const char *q)
{
	const char *c = strrchr(q, ':');

	return c != NULL ? c + 1 : q;
}

/*
 * True when the subcode names an authentication failure: ONVIF's
 * ter:NotAuthorized or a WS-Security fault (Hikvision DVRs answer
 * wsse:InvalidSecurity).  gSOAP gives "prefix:Local" for namespaces in our
 * table and "\"URI\":Local" for the others, so both forms are checked.
 */
static bool
is_auth_subcode(const char *sub)
{
	const char *local = qname_local(sub);

	if (strncmp(sub, "ter:", 4) == 0 ||
	    strncmp(sub, "\"http://www.onvif.org/ver10/error\"", 34) == 0)
		return strcmp(local, "NotAuthorized") == 0;
	if (strncmp(sub, "wsse:", 5) == 0 || strstr(sub, "wssecurity-secext"))
		return strcmp(local, "InvalidSecurity") == 0 ||
		    strcmp(local, "FailedAuthentication") == 0 ||
		    strcmp(local, "FailedCheck") == 0 ||
		    strcmp(local, "MessageExpired") == 0;
	return false;
}

/* Dahua says "Wsse authorized time check failed."; others mention expiry. */
static bool
mentions_clock(const char *reason)
{
	return reason != NULL &&
	    (strcasestr(reason, "time check") != NULL ||
		strcasestr(reason, "expired") != NULL ||
		strcasestr(reason, "clock") != NULL);
}

static void
classify_fault(struct soap *soap, struct onvif_result *res, const char *op)
{
	const char *sub = soap_fault_subcode(soap);
	const char *reason = soap_fault_string(soap);
	char buf[CAM_STR_MAX];

	if (sub == NULL)
		sub = "";
	snprintf(buf, sizeof(buf), "%s%s%s", sub, *sub ? " " : "",
	    reason != NULL ? reason : "");
	if (is_auth_subcode(sub)) {
		set_status(res,
		    mentions_clock(reason) ? ONVIF_CLOCK_SKEW
					   : ONVIF_AUTH_FAILED,
		    op, buf);
	} else if (soap->error == SOAP_VERSIONMISMATCH)
		set_status(res, ONVIF_FAULT, op, "SOAP version mismatch");
	else
		set_status(res, ONVIF_FAULT, op, buf);
}

static void
classify_transport(struct soap *soap, struct poll_ctx *pc,
    struct onvif_result *res, const char *op)
{
	int e = soap->errnum;

	if (pc->deadline_hit) {
		res->status = ONVIF_TIMEOUT;
		snprintf(res->detail, sizeof(res->detail),
		    "%s: no complete reply within the %d ms deadline", op,
		    pc->opts->deadline_ms);
		return;
	}
	if (e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH ||
	    e == EADDRNOTAVAIL || (e == ECONNRESET && pc->msg_bytes == 0)) {
		set_status(res, ONVIF_UNREACHABLE, op, strerror(e));
		return;
	}
	if (soap->error == SOAP_TCP_ERROR && e == 0) {
		/* gSOAP reports a connect timeout or a DNS failure this way. */
		const char *s = *soap_faultstring(soap);
		if (s != NULL && strcasestr(s, "host") != NULL)
			set_status(res, ONVIF_UNREACHABLE, op, s);
		else
			set_status(res, ONVIF_TIMEOUT, op, "connect timed out");
		return;
	}
	if (soap->error == SOAP_TCP_ERROR) {
		set_status(res, ONVIF_UNREACHABLE, op, strerror(e));
		return;
	}
	if (pc->msg_bytes == 0) {
		/* Nothing at all came back: timeout, or a silent close. */
		if (e == 0 || e == EAGAIN || e == EWOULDBLOCK || e == EINTR)
			set_status(res, ONVIF_TIMEOUT, op,
			    "no reply within the I/O timeout");
		else
			set_status(res, ONVIF_UNREACHABLE, op, strerror(e));
		return;
	}
	if (e == EAGAIN || e == EWOULDBLOCK)
		set_status(res, ONVIF_TIMEOUT, op, "reply stalled");
	else
		set_status(res, ONVIF_MALFORMED, op,
		    "connection closed in the middle of the reply");
}

/*
 * Map soap->error after a failed call.  Order matters: our own limits
 * first (they make gSOAP see an early EOF), then transport, then HTTP,
 * then SOAP faults, then XML.
 */
static void
classify_error(struct soap *soap, struct poll_ctx *pc, struct onvif_result *res,
    const char *op)
{
	int err = soap->error;

	if (soap->status >= 100 && soap->status < 600)
		res->http_code = soap->status;
	if (pc->dtd && !(err >= 300 && err < 600)) {
		set_status(res, ONVIF_MALFORMED, op,
		    "reply carries a DTD (entity declarations refused)");
		return;
	}
	if (pc->too_big) {
		snprintf(res->detail, sizeof(res->detail),
		    "%s: reply larger than %zu bytes", op, pc->max_body);
		res->status = ONVIF_MALFORMED;
	} else if (err == SOAP_SSL_ERROR)
		set_status(res, ONVIF_TLS_ERROR, op,
		    *soap_faultdetail(soap) != NULL ? *soap_faultdetail(soap)
						    : "TLS handshake failed");
	else if (err == SOAP_EOF || err == SOAP_TCP_ERROR)
		classify_transport(soap, pc, res, op);
	else if (err >= 200 && err < 300) {
		/* gSOAP says "HTTP 200" when the body is not a SOAP message. */
		res->http_code = err;
		set_status(res, ONVIF_MALFORMED, op,
		    "HTTP 200 without a complete SOAP reply");
	} else if (err >= 100 && err < 600) {
		res->http_code = err;
		snprintf(
		    res->detail, sizeof(res->detail), "%s: HTTP %d", op, err);
		res->status = ONVIF_HTTP_ERROR;
	} else if (err == SOAP_FAULT || err == SOAP_VERSIONMISMATCH ||
	    err == SOAP_CLI_FAULT || err == SOAP_SVR_FAULT)
		classify_fault(soap, res, op);
	else if (err == SOAP_LEVEL)
		set_status(res, ONVIF_MALFORMED, op, "XML nested too deeply");
	else if (err == SOAP_LENGTH || err == SOAP_OCCURS)
		set_status(res, ONVIF_MALFORMED, op,
		    "a field longer than 64 KiB or too many items");
	else if (pc->deadline_hit)
		classify_transport(soap, pc, res, op);
	else if (err == SOAP_NO_DATA)
		set_status(res, ONVIF_MALFORMED, op, "empty reply");
	else {
		const char *s = *soap_faultstring(soap);
		set_status(res, ONVIF_MALFORMED, op,
		    s != NULL ? s : "unparseable reply");
	}
}

/* ---- the calls -------------------------------------------------------------
 */

typedef int (*call_fn)(struct soap *, const char *, void *);

static int
call_devinfo(struct soap *soap, const char *url, void *out)
{
	struct _tds__GetDeviceInformation req;

	memset(&req, 0, sizeof(req));
	return soap_call___tds__GetDeviceInformation(
	    soap, url, NULL, &req, out);
}

static int
call_netifs(struct soap *soap, const char *url, void *out)
{
	struct _tds__GetNetworkInterfaces req;

	memset(&req, 0, sizeof(req));
	return soap_call___tds__GetNetworkInterfaces(
	    soap, url, NULL, &req, out);
}

static int
call_scopes(struct soap *soap, const char *url, void *out)
{
	struct _tds__GetScopes req;

	memset(&req, 0, sizeof(req));
	return soap_call___tds__GetScopes(soap, url, NULL, &req, out);
}

static int
call_hostname(struct soap *soap, const char *url, void *out)
{
	struct _tds__GetHostname req;

	memset(&req, 0, sizeof(req));
	return soap_call___tds__GetHostname(soap, url, NULL, &req, out);
}

/*
 * A firmware that speaks only SOAP 1.1 answers a 1.2 request with an HTTP
 * error, a VersionMismatch fault or an empty reply; one retry in 1.1 tells.
 * Timeouts are not retried: a silent camera must cost one timeout only.
 */
static bool
soap11_worth_trying(struct soap *soap, struct poll_ctx *pc, long long t0)
{
	int e = soap->error;

	if (pc->tried_soap11 || pc->too_big || pc->deadline_hit)
		return false;
	if (e == SOAP_VERSIONMISMATCH || e == SOAP_NO_DATA || e == 400 ||
	    e == 405 || e == 415 || e == 500)
		return true;
	return e == SOAP_EOF && pc->msg_bytes == 0 && soap->errnum == 0 &&
	    now_ms() - t0 < pc->opts->io_timeout_ms / 2;
}

static void
use_soap11(struct soap *soap, struct poll_ctx *pc)
{
	pc->tried_soap11 = true;
	soap_set_namespaces(soap, ns_soap11);
	soap_set_version(soap, 1);
}

static time_t
datetime_to_utc(const struct tt__DateTime *dt)
{
	struct tm tm;

	if (dt == NULL || dt->Date == NULL || dt->Time == NULL)
		return (time_t)-1;
	if (dt->Date->Year < 1970 || dt->Date->Year > 9999 ||
	    dt->Date->Month < 1 || dt->Date->Month > 12 || dt->Date->Day < 1 ||
	    dt->Date->Day > 31 || dt->Time->Hour < 0 || dt->Time->Hour > 23 ||
	    dt->Time->Minute < 0 || dt->Time->Minute > 59 ||
	    dt->Time->Second < 0 || dt->Time->Second > 60)
		return (time_t)-1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = dt->Date->Year - 1900;
	tm.tm_mon = dt->Date->Month - 1;
	tm.tm_mday = dt->Date->Day;
	tm.tm_hour = dt->Time->Hour;
	tm.tm_min = dt->Time->Minute;
	tm.tm_sec = dt->Time->Second;
	return timegm(&tm);
}

/*
 * GetSystemDateAndTime, with no Security header (Axis refuses the call when
 * a bad one is attached).  A camera that wants credentials even for its
 * clock is not an error: we go on and sign with our own clock.
 */
static int
get_clock(struct soap *soap, struct poll_ctx *pc, const char *url,
    struct onvif_result *res)
{
	struct _tds__GetSystemDateAndTime req;
	struct _tds__GetSystemDateAndTimeResponse resp;
	long long t0;
	time_t before, cam;

	for (;;) {
		memset(&req, 0, sizeof(req));
		if (arm_call(soap, pc) != 0)
			break;
		t0 = now_ms();
		before = time(NULL);
		if (soap_call___tds__GetSystemDateAndTime(
			soap, url, NULL, &req, &resp) == SOAP_OK &&
		    !pc->dtd) {
			cam = resp.SystemDateAndTime != NULL
			    ? datetime_to_utc(
				  resp.SystemDateAndTime->UTCDateTime)
			    : (time_t)-1;
			if (cam != (time_t)-1) {
				time_t mid = before + (time(NULL) - before) / 2;
				pc->offset = (long)(cam - mid);
				res->have_clock = true;
				res->clock_offset_s = pc->offset;
			}
			release_call(soap);
			return 0;
		}
		if (soap11_worth_trying(soap, pc, t0)) {
			release_call(soap);
			use_soap11(soap, pc);
			continue;
		}
		break;
	}
	classify_error(soap, pc, res, "GetSystemDateAndTime");
	release_call(soap);
	if (res->status == ONVIF_AUTH_FAILED ||
	    (res->status == ONVIF_HTTP_ERROR && res->http_code == 401)) {
		res->status = ONVIF_OK;
		res->detail[0] = '\0';
		return 0;
	}
	return -1;
}

/* Attach what this attempt authenticates with; a fresh nonce every time. */
static void
add_auth(struct soap *soap, struct poll_ctx *pc, enum onvif_auth how)
{
	const struct onvif_opts *o = pc->opts;

	soap->header = NULL;
	if (how == ONVIF_AUTH_WSSE || how == ONVIF_AUTH_BOTH)
		soap_wsse_add_UsernameTokenDigest_at(soap, "User", o->user,
		    o->password, time(NULL) + pc->offset);
	if ((how == ONVIF_AUTH_DIGEST || how == ONVIF_AUTH_BOTH) &&
	    pc->digest_saved)
		http_da_restore(soap, &pc->da);
}

static bool
is_challenge(struct soap *soap)
{
	return soap->error == 401 && soap->authrealm != NULL;
}

static bool
is_refusal(struct soap *soap)
{
	const char *sub;

	if (soap->error == 401)
		return true;
	if (!soap_soap_error_check(soap->error))
		return false;
	sub = soap_fault_subcode(soap);
	return sub != NULL && is_auth_subcode(sub);
}

/*
 * One call with the auth ladder.  Until a method has worked in this poll we
 * start from the hint; a Digest challenge moves us to Digest, but a refusal
 * (an auth fault, or 401 after our Digest answer) ends the poll: Dahua locks
 * accounts after a few failures, so a refused credential is never retried.
 */
static int
authed_call(struct soap *soap, struct poll_ctx *pc, const char *url,
    const char *op, call_fn fn, void *out, struct onvif_result *res)
{
	enum onvif_auth how = pc->auth;
	int tries;

	for (tries = 0; tries < 3; tries++) {
		if (arm_call(soap, pc) != 0) {
			classify_error(soap, pc, res, op);
			return -1;
		}
		add_auth(soap, pc, how);
		if (fn(soap, url, out) == SOAP_OK && !pc->dtd) {
			pc->auth = how;
			return 0;
		}
		if (pc->opts->user == NULL) {
			if (is_refusal(soap)) {
				set_status(res, ONVIF_NO_CREDENTIALS, op,
				    "the camera wants credentials and none are configured");
				return -1;
			}
			break;
		}
		if (is_challenge(soap) && !pc->digest_saved) {
			http_da_save(soap, &pc->da, soap->authrealm,
			    pc->opts->user, pc->opts->password);
			pc->digest_saved = true;
			if (how != ONVIF_AUTH_BOTH)
				how = ONVIF_AUTH_DIGEST;
			release_call(soap);
			continue;
		}
		break;
	}
	classify_error(soap, pc, res, op);
	if (soap->error == 401) {
		res->status = ONVIF_AUTH_FAILED;
		snprintf(res->detail, sizeof(res->detail),
		    "%s: HTTP 401, %s refused", op,
		    pc->digest_saved ? "HTTP Digest credentials"
				     : "credentials");
	}
	return -1;
}

/* ---- copying out of gSOAP memory ------------------------------------------
 */

static void
copy_devinfo(
    struct cam_identity *id, const struct _tds__GetDeviceInformationResponse *r)
{
	str_clean(id->manufacturer, sizeof(id->manufacturer), r->Manufacturer);
	str_clean(id->model, sizeof(id->model), r->Model);
	str_clean(id->firmware, sizeof(id->firmware), r->FirmwareVersion);
	str_clean(id->serial, sizeof(id->serial), r->SerialNumber);
	str_clean(id->hardware_id, sizeof(id->hardware_id), r->HardwareId);
}

static void
add_mac(struct cam_identity *id, const uint8_t mac[6])
{
	static const uint8_t zero[6];
	size_t i;

	if (memcmp(mac, zero, 6) == 0 || id->n_macs >= CAM_MACS_MAX)
		return;
	for (i = 0; i < id->n_macs; i++)
		if (memcmp(id->macs[i], mac, 6) == 0)
			return;
	memcpy(id->macs[id->n_macs++], mac, 6);
}

static void
copy_netifs(
    struct cam_identity *id, const struct _tds__GetNetworkInterfacesResponse *r)
{
	uint8_t mac[6];
	int i;

	for (i = 0; i < r->__sizeNetworkInterfaces; i++) {
		const struct tt__NetworkInterface *ni =
		    &r->NetworkInterfaces[i];
		/* Garbage such as "41a0bc:41a0bd:..." simply does not parse. */
		if (ni->Info != NULL &&
		    str_parse_mac(ni->Info->HwAddress, mac) == 0)
			add_mac(id, mac);
	}
}

static void
copy_scopes(struct cam_identity *id, const struct _tds__GetScopesResponse *r)
{
	int i;

	for (i = 0; i < r->__sizeScopes && id->n_scopes < CAM_SCOPES_MAX; i++) {
		char *dst = id->scopes[id->n_scopes];
		str_clean(dst, CAM_STR_MAX, r->Scopes[i].ScopeItem);
		if (*dst != '\0')
			id->n_scopes++;
	}
}

/* ---- one identification
 * ------------------------------------------------------ */

static void
note_partial(
    struct onvif_result *res, const char *op, const struct onvif_result *sub)
{
	/* The first secondary failure is worth showing; the status stays ok. */
	char buf[CAM_STR_MAX * 2];

	if (res->detail[0] == '\0') {
		snprintf(buf, sizeof(buf), "partial: %s (%s)",
		    sub->detail[0] ? sub->detail : op,
		    onvif_status_name(sub->status));
		str_clean(res->detail, sizeof(res->detail), buf);
	}
}

static void
identify_rest(struct soap *soap, struct poll_ctx *pc, const char *url,
    struct onvif_result *res)
{
	struct _tds__GetNetworkInterfacesResponse ni;
	struct _tds__GetScopesResponse sc;
	struct _tds__GetHostnameResponse hn;
	struct onvif_result sub;

	memset(&sub, 0, sizeof(sub));
	if (authed_call(soap, pc, url, "GetNetworkInterfaces", call_netifs, &ni,
		&sub) == 0)
		copy_netifs(&res->id, &ni);
	else
		note_partial(res, "GetNetworkInterfaces", &sub);
	release_call(soap);
	if (pc->deadline_hit)
		return;
	if (authed_call(soap, pc, url, "GetScopes", call_scopes, &sc, &sub) ==
	    0)
		copy_scopes(&res->id, &sc);
	else
		note_partial(res, "GetScopes", &sub);
	release_call(soap);
	if (pc->deadline_hit)
		return;
	if (authed_call(
		soap, pc, url, "GetHostname", call_hostname, &hn, &sub) == 0 &&
	    hn.HostnameInformation != NULL)
		str_clean(res->id.hostname, sizeof(res->id.hostname),
		    hn.HostnameInformation->Name);
	else if (sub.status != ONVIF_OK)
		note_partial(res, "GetHostname", &sub);
	release_call(soap);
}

static bool
url_is_http(const char *url)
{
	const char *h;

	if (strncasecmp(url, "http://", 7) == 0)
		h = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		h = url + 8;
	else
		return false;
	return *h != '\0' && *h != '/' && *h != ':';
}

static struct soap *
new_context(const char *url, const struct onvif_opts *opts, struct poll_ctx *pc,
    struct onvif_result *res)
{
	struct soap *soap = soap_new1(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING);

	if (soap == NULL)
		return NULL;
	soap->maxlevel =
	    (unsigned)(opts->max_depth > 0 ? opts->max_depth
					   : ONVIF_DEFAULT_MAX_DEPTH);
	soap->maxlength = 64 * 1024;
	soap->maxoccurs = 1024;
	/* Our frecv enforces max_body; gSOAP's own limit is a backstop. */
	soap->recv_maxlength = 2 * pc->max_body;
	soap_register_plugin(soap, http_da);
	soap_register_plugin(soap, soap_wsse);
	if (strncasecmp(url, "https://", 8) == 0 &&
	    soap_ssl_client_context(soap,
		opts->verify_tls ? SOAP_SSL_DEFAULT
				 : SOAP_SSL_NO_AUTHENTICATION,
		NULL, NULL, opts->cafile, NULL, NULL) != SOAP_OK) {
		set_status(
		    res, ONVIF_TLS_ERROR, NULL, "cannot set up TLS (CA file?)");
		soap_free(soap);
		return NULL;
	}
	soap->user = pc;
	pc->orig_frecv = soap->frecv;
	soap->frecv = limited_frecv;
	pc->orig_fopen = soap->fopen;
	soap->fopen = peer_fopen;
	return soap;
}

void
onvif_identify(
    const char *url, const struct onvif_opts *opts, struct onvif_result *res)
{
	struct _tds__GetDeviceInformationResponse di;
	struct poll_ctx pc;
	struct soap *soap;
	long long t0 = now_ms();

	memset(res, 0, sizeof(*res));
	memset(&pc, 0, sizeof(pc));
	str_lcpy(res->xaddr, url, sizeof(res->xaddr));
	/* gSOAP writes to stdout when an endpoint has no host: refuse first. */
	if (!url_is_http(url)) {
		set_status(res, ONVIF_UNREACHABLE, NULL, "not an http(s) URL");
		return;
	}
	pc.opts = opts;
	pc.deadline = t0 + opts->deadline_ms;
	pc.max_body = opts->max_body ? opts->max_body : ONVIF_DEFAULT_MAX_BODY;
	pc.auth = opts->user == NULL ? ONVIF_AUTH_NONE
	    : opts->auth_hint == ONVIF_AUTH_DIGEST ||
		opts->auth_hint == ONVIF_AUTH_BOTH
	    ? opts->auth_hint
	    : ONVIF_AUTH_WSSE;
	if ((soap = new_context(url, opts, &pc, res)) == NULL) {
		if (res->status == ONVIF_OK)
			set_status(res, ONVIF_MALFORMED, NULL, "out of memory");
		goto out;
	}
	if (get_clock(soap, &pc, url, res) != 0)
		goto done;
	if (authed_call(soap, &pc, url, "GetDeviceInformation", call_devinfo,
		&di, res) != 0)
		goto done;
	copy_devinfo(&res->id, &di);
	release_call(soap);
	res->auth = pc.auth;
	identify_rest(soap, &pc, url, res);
done:
	str_lcpy(res->id.address, pc.peer, sizeof(res->id.address));
	if (pc.digest_saved)
		http_da_release(soap, &pc.da);
	release_call(soap);
	soap_free(soap);
out:
	res->elapsed_ms = (int)(now_ms() - t0);
}
