/*
 * onvif_status.c: what went wrong with a camera, as an operator reads it.
 *
 * Owns the status names and the mapping of a failed gSOAP call to an
 * enum onvif_status and a detail line: our own limits first (they make
 * gSOAP see an early end of input), then the deadline, transport, TLS,
 * HTTP, SOAP faults (authentication subcodes and clock complaints) and
 * XML.  Pure functions of the gSOAP context and the poll state; runs on
 * the thread of onvif_identify().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "onvif/onvif_int.h"
#include "common/strutil.h"

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
    [ONVIF_CERT_CHANGED] = "cert-changed",
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

/* ---- mapping failures to statuses -----------------------------------------
 */

void
status_set(struct onvif_result *res, enum onvif_status st, const char *op,
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
bool
status_is_auth_subcode(const char *sub)
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
	if (status_is_auth_subcode(sub)) {
		status_set(res,
		    mentions_clock(reason) ? ONVIF_CLOCK_SKEW
					   : ONVIF_AUTH_FAILED,
		    op, buf);
	} else if (soap->error == SOAP_VERSIONMISMATCH)
		status_set(res, ONVIF_FAULT, op, "SOAP version mismatch");
	else
		status_set(res, ONVIF_FAULT, op, buf);
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
		status_set(res, ONVIF_UNREACHABLE, op, strerror(e));
		return;
	}
	if (soap->error == SOAP_TCP_ERROR && e == 0) {
		/* gSOAP reports a connect timeout or a DNS failure this way. */
		const char *s = *soap_faultstring(soap);
		if (s != NULL && strcasestr(s, "host") != NULL)
			status_set(res, ONVIF_UNREACHABLE, op, s);
		else
			status_set(res, ONVIF_TIMEOUT, op, "connect timed out");
		return;
	}
	if (soap->error == SOAP_TCP_ERROR) {
		status_set(res, ONVIF_UNREACHABLE, op, strerror(e));
		return;
	}
	if (pc->msg_bytes == 0) {
		/* Nothing at all came back: timeout, or a silent close. */
		if (e == 0 || e == EAGAIN || e == EWOULDBLOCK || e == EINTR)
			status_set(res, ONVIF_TIMEOUT, op,
			    "no reply within the I/O timeout");
		else
			status_set(res, ONVIF_UNREACHABLE, op, strerror(e));
		return;
	}
	if (e == EAGAIN || e == EWOULDBLOCK)
		status_set(res, ONVIF_TIMEOUT, op, "reply stalled");
	else
		status_set(res, ONVIF_MALFORMED, op,
		    "connection closed in the middle of the reply");
}

static void
cert_changed(const struct poll_ctx *pc, struct onvif_result *res)
{
	char was[65], now[65];

	str_format_sha256(
	    pc->opts->tls_pin != NULL ? pc->opts->tls_pin : pc->fp, was,
	    sizeof(was));
	str_format_sha256(pc->bad_fp, now, sizeof(now));
	res->status = ONVIF_CERT_CHANGED;
	snprintf(res->detail, sizeof(res->detail),
	    "TLS certificate changed: sha256 %s, pinned %.16s...; "
	    "credentials not sent",
	    now, was);
}

/*
 * Map soap->error after a failed call.  Order matters: our own limits
 * first (they make gSOAP see an early EOF), then transport, then HTTP,
 * then SOAP faults, then XML.
 */
void
status_from_error(struct soap *soap, struct poll_ctx *pc,
    struct onvif_result *res, const char *op)
{
	int err = soap->error;

	if (soap->status >= 100 && soap->status < 600)
		res->http_code = soap->status;
	if (wd_fired(&pc->wd))
		pc->deadline_hit = true;
	if (pc->cert_changed) {
		cert_changed(pc, res);
		return;
	}
	if (pc->dtd && !(err >= 300 && err < 600)) {
		status_set(res, ONVIF_MALFORMED, op,
		    "reply carries a DTD (entity declarations refused)");
		return;
	}
	if (pc->too_big) {
		snprintf(res->detail, sizeof(res->detail),
		    "%s: reply larger than %zu bytes", op, pc->max_body);
		res->status = ONVIF_MALFORMED;
	} else if (pc->deadline_hit)
		classify_transport(soap, pc, res, op);
	else if (err == SOAP_SSL_ERROR)
		status_set(res, ONVIF_TLS_ERROR, op,
		    *soap_faultdetail(soap) != NULL ? *soap_faultdetail(soap)
						    : "TLS handshake failed");
	else if (err == SOAP_EOF || err == SOAP_TCP_ERROR)
		classify_transport(soap, pc, res, op);
	else if (err >= 200 && err < 300) {
		/* gSOAP says "HTTP 200" when the body is not a SOAP message. */
		res->http_code = err;
		status_set(res, ONVIF_MALFORMED, op,
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
		status_set(res, ONVIF_MALFORMED, op, "XML nested too deeply");
	else if (err == SOAP_LENGTH || err == SOAP_OCCURS)
		status_set(res, ONVIF_MALFORMED, op,
		    "a field longer than 64 KiB or too many items");
	else if (err == SOAP_NO_DATA)
		status_set(res, ONVIF_MALFORMED, op, "empty reply");
	else {
		const char *s = *soap_faultstring(soap);
		status_set(res, ONVIF_MALFORMED, op,
		    s != NULL ? s : "unparseable reply");
	}
}
