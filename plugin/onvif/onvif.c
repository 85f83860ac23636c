/*
 * onvif.c: identify one camera over the ONVIF device service.
 *
 * Owns one camera poll: the per-call timeouts carved from the camera's
 * deadline, the authentication ladder (none, then WS-Security on the
 * camera's clock, then HTTP Digest on a Digest challenge; never Basic),
 * the SOAP 1.1 fallback, and copying the answers out of gSOAP memory.
 * The transport hooks (limits, watchdog, TLS, password guards) are in
 * onvif_io.c, the failure-to-status mapping in onvif_status.c.  Any thread
 * may call onvif_identify(); each call has its own context and shares
 * nothing but the watchdog thread.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "wsseapi.h"

#include "onvif/onvif_int.h"
#include "onvif/unauth_parse.h"
#include "common/strutil.h"

#define DEVICE_PATH "/onvif/device_service"

extern struct Namespace namespaces[];

/* The same table with the SOAP 1.1 envelope first, for 1.1-only firmware. */
static struct Namespace ns_soap11[64];

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

/* Arm the timeouts for the next call from what is left of the deadline. */
static int
arm_call(struct soap *soap, struct poll_ctx *pc)
{
	int left = io_ms_left(pc);
	int io = pc->opts->io_timeout_ms, conn = pc->opts->connect_timeout_ms;

	if (io_expired(pc))
		return -1;
	/* Negative: microseconds.  These count idle time only... */
	soap->connect_timeout = -((left < conn ? left : conn) * 1000);
	soap->send_timeout = -((left < io ? left : io) * 1000);
	soap->recv_timeout = -((left < io ? left : io) * 1000);
	/* ...this one is whole seconds; the watchdog keeps the millisecond. */
	soap->transfer_timeout = (left + 999) / 1000;
	io_reply_start(pc);
	return 0;
}

static void
release_call(struct soap *soap)
{
	soap_destroy(soap);
	soap_end(soap);
	soap->header = NULL;
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

	if (pc->tried_soap11 || pc->too_big || pc->cert_changed ||
	    io_expired(pc))
		return false;
	if (e == SOAP_VERSIONMISMATCH || e == SOAP_NO_DATA || e == 400 ||
	    e == 405 || e == 415 || e == 500)
		return true;
	return e == SOAP_EOF && pc->msg_bytes == 0 && soap->errnum == 0 &&
	    wd_now_ms() - t0 < pc->opts->io_timeout_ms / 2;
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
		t0 = wd_now_ms();
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
	status_from_error(soap, pc, res, "GetSystemDateAndTime");
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
is_refusal(struct soap *soap)
{
	const char *sub;

	if (soap->error == 401)
		return true;
	if (!soap_soap_error_check(soap->error))
		return false;
	sub = soap_fault_subcode(soap);
	return sub != NULL && status_is_auth_subcode(sub);
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
			status_from_error(soap, pc, res, op);
			return -1;
		}
		add_auth(soap, pc, how);
		if (fn(soap, url, out) == SOAP_OK && !pc->dtd) {
			pc->auth = how;
			return 0;
		}
		if (pc->opts->user == NULL) {
			if (is_refusal(soap)) {
				status_set(res, ONVIF_NO_CREDENTIALS, op,
				    "the camera wants credentials and none are configured");
				return -1;
			}
			break;
		}
		if (!pc->digest_saved && io_digest_usable(soap, pc)) {
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
	status_from_error(soap, pc, res, op);
	if (soap->error == 401 && !pc->deadline_hit) {
		res->status = ONVIF_AUTH_FAILED;
		if (!pc->digest_saved && (pc->offered & OFFER_BASIC) &&
		    !(pc->offered & OFFER_DIGEST))
			/* Basic hands the password to whoever asks. */
			snprintf(res->detail, sizeof(res->detail),
			    "camera offers only HTTP Basic; refused");
		else
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
			ux_add_mac(id, mac);
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

static void
start_poll(const struct onvif_opts *opts, struct poll_ctx *pc, long long t0)
{
	memset(pc, 0, sizeof(*pc));
	pc->opts = opts;
	pc->deadline = t0 + opts->deadline_ms;
	pc->max_body = opts->max_body ? opts->max_body : ONVIF_DEFAULT_MAX_BODY;
	pc->auth = opts->user == NULL ? ONVIF_AUTH_NONE
	    : opts->auth_hint == ONVIF_AUTH_DIGEST ||
		opts->auth_hint == ONVIF_AUTH_BOTH
	    ? opts->auth_hint
	    : ONVIF_AUTH_WSSE;
	/* Without the thread the idle timeouts and the frecv check remain. */
	(void)wd_arm(&pc->wd, pc->deadline);
}

static void
end_poll(struct soap *soap, struct poll_ctx *pc, struct onvif_result *res)
{
	str_lcpy(res->id.address, pc->peer, sizeof(res->id.address));
	if (pc->cert_changed || pc->have_fp) {
		res->have_tls = true;
		memcpy(res->tls_sha256, pc->cert_changed ? pc->bad_fp : pc->fp,
		    sizeof(res->tls_sha256));
	}
	if (soap != NULL)
		io_free_context(soap, pc);
	wd_disarm(&pc->wd);
}

void
onvif_identify(
    const char *url, const struct onvif_opts *opts, struct onvif_result *res)
{
	struct _tds__GetDeviceInformationResponse di;
	struct poll_ctx pc;
	struct soap *soap;
	long long t0 = wd_now_ms();
	sigset_t oldmask;
	char err[128];

	memset(res, 0, sizeof(*res));
	str_lcpy(res->xaddr, url, sizeof(res->xaddr));
	/* gSOAP writes to stdout when an endpoint has no host: refuse first. */
	if (!url_is_http(url)) {
		status_set(res, ONVIF_UNREACHABLE, NULL, "not an http(s) URL");
		return;
	}
	wd_block_sigpipe(&oldmask);
	start_poll(opts, &pc, t0);
	if ((soap = io_new_context(url, &pc, err, sizeof(err))) == NULL) {
		status_set(res,
		    strncasecmp(url, "https", 5) == 0 ? ONVIF_TLS_ERROR
						      : ONVIF_MALFORMED,
		    NULL, err);
		goto out;
	}
	if (get_clock(soap, &pc, url, res) != 0)
		goto out;
	if (authed_call(soap, &pc, url, "GetDeviceInformation", call_devinfo,
		&di, res) != 0)
		goto out;
	copy_devinfo(&res->id, &di);
	release_call(soap);
	res->auth = pc.auth;
	identify_rest(soap, &pc, url, res);
out:
	end_poll(soap, &pc, res);
	wd_restore_sigpipe(&oldmask);
	res->elapsed_ms = (int)(wd_now_ms() - t0);
}

void
onvif_global_cleanup(void)
{
	wd_shutdown();
	io_global_cleanup();
}
