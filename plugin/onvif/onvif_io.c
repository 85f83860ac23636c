/*
 * onvif_io.c: the gSOAP transport hooks of one camera poll.
 *
 * Owns what sits between gSOAP and the socket: the receive limits (body
 * size, a refused DTD), the elapsed-time deadline (a watchdog slot that
 * shuts the socket, because gSOAP's timeouts count idle periods and a
 * dripping peer never lets one expire, in a TLS handshake least of all),
 * the peer address, the TLS set-up and certificate fingerprint check, and
 * the two guards that keep the password from leaving in a recoverable
 * form: WWW-Authenticate challenges other than Digest are never shown to
 * gSOAP (which would otherwise take a Basic realm as a reason to send
 * Basic credentials), and an "Authorization: Basic" header is dropped on
 * its way out whatever set it.  Runs on the thread of onvif_identify().
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "wsseapi.h"

#include "onvif/onvif_int.h"

static void tls_info(const SSL *ssl, int where, int ret);

/* The poll this thread runs: a TLS handshake happens on its thread. */
static __thread struct poll_ctx *thread_poll;

/*
 * One TLS context per trust configuration (verification on or off, CA
 * file, CA folder), shared by every https poll: building one loads the
 * system's CA bundle, 20-110 ms of CPU each time on this project's test
 * machine, which at estate scale was most of a round's work.  Each entry
 * lives TLS_CACHE_TTL_MS, so that a CA bundle updated on disk is read
 * again within that time; a context in use by a poll outlives its entry
 * (each soap holds a reference).
 */
#define TLS_CACHE_MAX 8
#define TLS_CACHE_TTL_MS (300 * 1000LL)

struct tls_cached {
	SSL_CTX *ctx; /* one reference, the cache's */
	unsigned short flags;
	char *cafile, *capath;
	long long born;
};

static struct tls_cached tls_cache[TLS_CACHE_MAX];
static pthread_mutex_t tls_lock = PTHREAD_MUTEX_INITIALIZER;

static bool
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
tls_entry_clear(struct tls_cached *e)
{
	SSL_CTX_free(e->ctx);
	free(e->cafile);
	free(e->capath);
	memset(e, 0, sizeof(*e));
}

/* The live entry for soap's trust settings, or NULL; under tls_lock. */
static struct tls_cached *
tls_find(const struct soap *soap, long long now)
{
	int i;

	for (i = 0; i < TLS_CACHE_MAX; i++) {
		struct tls_cached *e = &tls_cache[i];

		if (e->ctx != NULL && e->flags == soap->ssl_flags &&
		    same_str(e->cafile, soap->cafile) &&
		    same_str(e->capath, soap->capath) &&
		    now - e->born < TLS_CACHE_TTL_MS)
			return e;
	}
	return NULL;
}

/* Keep soap's new context for the next polls, under the flags asked for
 * (gSOAP adds its defaults to soap->ssl_flags as it builds the context):
 * an expired, empty or the oldest slot takes it. */
static void
tls_keep(const struct soap *soap, unsigned short flags, long long now)
{
	struct tls_cached *e = NULL, n = {0};
	int i;

	n.flags = flags;
	if ((soap->cafile != NULL &&
		(n.cafile = strdup(soap->cafile)) == NULL) ||
	    (soap->capath != NULL &&
		(n.capath = strdup(soap->capath)) == NULL) ||
	    SSL_CTX_up_ref(soap->ctx) != 1) {
		free(n.cafile);
		free(n.capath);
		return; /* not kept: the next poll builds its own */
	}
	n.ctx = soap->ctx;
	n.born = now;
	pthread_mutex_lock(&tls_lock);
	for (i = 0; i < TLS_CACHE_MAX; i++) {
		struct tls_cached *c = &tls_cache[i];

		if (c->ctx == NULL || now - c->born >= TLS_CACHE_TTL_MS ||
		    (c->flags == n.flags && same_str(c->cafile, n.cafile) &&
			same_str(c->capath, n.capath))) {
			e = c;
			break;
		}
		if (e == NULL || c->born < e->born)
			e = c;
	}
	tls_entry_clear(e);
	*e = n;
	pthread_mutex_unlock(&tls_lock);
}

/* gSOAP's fsslauth: the shared context when there is one, else gSOAP's
 * own set-up (CA bundle and all), then kept. */
static int
shared_sslauth(struct soap *soap)
{
	struct poll_ctx *pc = soap->user;
	unsigned short flags = soap->ssl_flags;
	long long now = wd_now_ms();
	struct tls_cached *e;
	int rc;

	pthread_mutex_lock(&tls_lock);
	if (soap->ctx == NULL && (e = tls_find(soap, now)) != NULL &&
	    SSL_CTX_up_ref(e->ctx) == 1) {
		soap->ctx = e->ctx;
		pthread_mutex_unlock(&tls_lock);
		return SOAP_OK;
	}
	pthread_mutex_unlock(&tls_lock);
	if ((rc = pc->orig_fsslauth(soap)) == SOAP_OK && soap->ctx != NULL) {
		SSL_CTX_set_info_callback(soap->ctx, tls_info);
		tls_keep(soap, flags, now);
	}
	return rc;
}

void
io_global_cleanup(void)
{
	int i;

	pthread_mutex_lock(&tls_lock);
	for (i = 0; i < TLS_CACHE_MAX; i++)
		tls_entry_clear(&tls_cache[i]);
	pthread_mutex_unlock(&tls_lock);
}

int
io_ms_left(const struct poll_ctx *pc)
{
	long long left = pc->deadline - wd_now_ms();

	return left > 0 ? (int)left : 0;
}

bool
io_expired(struct poll_ctx *pc)
{
	if (!pc->deadline_hit && (wd_fired(&pc->wd) || io_ms_left(pc) == 0))
		pc->deadline_hit = true;
	return pc->deadline_hit;
}

void
io_reply_start(struct poll_ctx *pc)
{
	pc->msg_bytes = 0;
	pc->tail_len = 0;
	pc->dtd = false;
	pc->offered = 0;
}

/* ---- receive limits ------------------------------------------------------ */

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
	int left = io_ms_left(pc);
	size_t n;

	if (left == 0 || wd_fired(&pc->wd)) {
		pc->deadline_hit = true;
		return 0;
	}
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
	if (n == 0)
		(void)io_expired(pc);
	/* Only noted here: an HTML error page has a DOCTYPE too. */
	if (n > 0 && !pc->dtd && has_dtd(pc, buf, n))
		pc->dtd = true;
	return n;
}

/* ---- connections: peer address, watchdog, certificate -------------------- */

static void
note_peer(struct poll_ctx *pc, SOAP_SOCKET s)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getpeername(s, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    pc->peer, sizeof(pc->peer));
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    pc->peer, sizeof(pc->peer));
}

/* The certificate's SHA-256; -1 when the peer showed none. */
static int
peer_sha256(SSL *ssl, uint8_t out[32])
{
	X509 *cert = SSL_get1_peer_certificate(ssl);
	unsigned int len = 0;
	int rc;

	if (cert == NULL)
		return -1;
	rc = X509_digest(cert, EVP_sha256(), out, &len) == 1 && len == 32 ? 0
									  : -1;
	X509_free(cert);
	return rc;
}

/*
 * Every TLS connection of a poll must show the pinned certificate, or,
 * without a pin, the certificate of the poll's first connection: a swap
 * between two calls would otherwise get the credentials of the next.
 */
static bool
cert_acceptable(struct poll_ctx *pc, const uint8_t fp[32])
{
	const uint8_t *want = pc->opts->tls_pin != NULL ? pc->opts->tls_pin
	    : pc->have_fp				? pc->fp
							: NULL;

	if (want != NULL && memcmp(want, fp, 32) != 0) {
		pc->cert_changed = true;
		memcpy(pc->bad_fp, fp, 32);
		return false;
	}
	if (!pc->have_fp) {
		memcpy(pc->fp, fp, 32);
		pc->have_fp = true;
	}
	return true;
}

static SOAP_SOCKET
refuse_connection(struct soap *soap, const char *why)
{
	/* tcp_disconnect frees the TLS state and closes through our hook. */
	soap->fclose(soap);
	soap->socket = SOAP_INVALID_SOCKET;
	soap_set_sender_error(soap, "TLS", why, SOAP_SSL_ERROR);
	return SOAP_INVALID_SOCKET;
}

static SOAP_SOCKET
guarded_fopen(
    struct soap *soap, const char *endpoint, const char *host, int port)
{
	struct poll_ctx *pc = soap->user;
	uint8_t fp[32];
	SOAP_SOCKET s;

	s = pc->orig_fopen(soap, endpoint, host, port);
	if (!soap_valid_socket(s))
		return s;
	wd_set_fd(&pc->wd, (int)s);
	note_peer(pc, s);
	if (soap->ssl == NULL)
		return s;
	if (peer_sha256(soap->ssl, fp) != 0)
		return refuse_connection(soap, "no server certificate");
	if (!cert_acceptable(pc, fp))
		return refuse_connection(soap, "certificate changed");
	return s;
}

static int
wd_closesocket(struct soap *soap, SOAP_SOCKET s)
{
	struct poll_ctx *pc = soap->user;

	wd_clear_fd(&pc->wd, (int)s);
	return pc->orig_fclosesocket(soap, s);
}

/*
 * OpenSSL calls this as the handshake starts, before any byte is read: the
 * socket is handed to the watchdog here, since gSOAP only returns it to
 * guarded_fopen() once the handshake is over, however long that takes.
 */
static void
tls_info(const SSL *ssl, int where, int ret)
{
	struct poll_ctx *pc;

	(void)ret;
	if (!(where & (SSL_CB_HANDSHAKE_START | SSL_CB_LOOP)))
		return;
	pc = thread_poll;
	if (pc != NULL && pc->wd.fd < 0)
		wd_set_fd(&pc->wd, SSL_get_fd(ssl));
}

/* ---- the password guards ------------------------------------------------- */

static bool
scheme_is(const char *val, const char *scheme)
{
	size_t n = strlen(scheme);

	val += strspn(val, " \t");
	return strncasecmp(val, scheme, n) == 0 &&
	    (val[n] == ' ' || val[n] == '\t' || val[n] == '\0');
}

/*
 * Only Digest challenges reach gSOAP.  The first Digest header of a reply
 * clears the realm first, because http_da ignores a Digest challenge whose
 * realm gSOAP already holds, which a Basic header in front of it would
 * otherwise have set: the reply would then look like a Digest challenge
 * with no nonce, and gSOAP would answer it with Basic.
 */
static int
challenge_filter(struct soap *soap, const char *key, const char *val)
{
	struct poll_ctx *pc = soap->user;

	if (key == NULL || val == NULL ||
	    (strcasecmp(key, "WWW-Authenticate") != 0 &&
		strcasecmp(key, "Proxy-Authenticate") != 0))
		return pc->orig_fparsehdr(soap, key, val);
	if (scheme_is(val, "Digest")) {
		if (!(pc->offered & OFFER_DIGEST))
			soap->authrealm = NULL;
		pc->offered |= OFFER_DIGEST;
		return pc->orig_fparsehdr(soap, key, val);
	}
	pc->offered |= scheme_is(val, "Basic") ? OFFER_BASIC : OFFER_OTHER;
	return SOAP_OK;
}

/* The last line of defence: whatever set it, Basic never goes out. */
static int
basic_guard(struct soap *soap, const char *key, const char *val)
{
	struct poll_ctx *pc = soap->user;

	if (key != NULL && val != NULL &&
	    (strcasecmp(key, "Authorization") == 0 ||
		strcasecmp(key, "Proxy-Authorization") == 0) &&
	    scheme_is(val, "Basic")) {
		pc->basic_dropped = true;
		return SOAP_OK;
	}
	return pc->orig_fposthdr(soap, key, val);
}

/*
 * http_da hashes each message it sends (and, for qop=auth-int, each it
 * receives) in a digest context that it starts anew without ending the
 * last one: a message cut short before http_da closed its context leaked
 * it, 164 bytes a time (the fuzzer found a camera's reply sequence that
 * does it).  A context still open when a new message starts belongs to
 * one that is over: end it first.
 */
static void
digest_end_stale(struct soap *soap)
{
	struct http_da_data *da = soap_lookup_plugin(soap, http_da_id);

	if (da != NULL && da->smd_data.ctx != NULL)
		soap_smd_final(soap, &da->smd_data, NULL, NULL);
}

static int
fresh_initsend(struct soap *soap)
{
	struct poll_ctx *pc = soap->user;

	digest_end_stale(soap);
	return pc->orig_fprepareinitsend != NULL
	    ? pc->orig_fprepareinitsend(soap)
	    : SOAP_OK;
}

static int
fresh_parse(struct soap *soap)
{
	struct poll_ctx *pc = soap->user;

	digest_end_stale(soap);
	return pc->orig_fparse(soap);
}

bool
io_digest_usable(struct soap *soap, const struct poll_ctx *pc)
{
	struct http_da_data *da = soap_lookup_plugin(soap, http_da_id);

	return soap->error == 401 && (pc->offered & OFFER_DIGEST) &&
	    soap->authrealm != NULL && da != NULL && da->nonce != NULL;
}

/* ---- the context --------------------------------------------------------- */

#ifdef CAMCOMPLY_FUZZ
static void (*io_seam)(struct soap *);

void
onvif_set_io_seam(void (*seam)(struct soap *))
{
	io_seam = seam;
}
#endif

static int
setup_tls(struct soap *soap, struct poll_ctx *pc, char *err, size_t errsz)
{
	const struct onvif_opts *o = pc->opts;
	unsigned short flags =
	    o->verify_tls ? SOAP_SSL_DEFAULT : SOAP_SSL_NO_AUTHENTICATION;

	pc->orig_fsslauth = soap->fsslauth;
	soap->fsslauth = shared_sslauth;
	if (soap_ssl_client_context(soap, flags, NULL, NULL, o->cafile,
		o->capath, NULL) != SOAP_OK ||
	    soap->ctx == NULL) {
		snprintf(err, errsz, "cannot set up TLS (CA file or path?)");
		return -1;
	}
	return 0;
}

struct soap *
io_new_context(const char *url, struct poll_ctx *pc, char *err, size_t errsz)
{
	struct soap *soap = soap_new1(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING);

	if (soap == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	soap->user = pc;
	thread_poll = pc;
	soap->maxlevel =
	    (unsigned)(pc->opts->max_depth > 0 ? pc->opts->max_depth
					       : ONVIF_DEFAULT_MAX_DEPTH);
	soap->maxlength = 64 * 1024;
	soap->maxoccurs = 1024;
	/* Our frecv enforces max_body; gSOAP's own limit is a backstop. */
	soap->recv_maxlength = 2 * pc->max_body;
	/* A peer that resets the connection must not raise SIGPIPE. */
	soap->socket_flags = MSG_NOSIGNAL;
#ifdef CAMCOMPLY_FUZZ
	/* Innermost of all: the fuzz target's network in place of gSOAP's. */
	if (io_seam != NULL)
		io_seam(soap);
#endif
	/* Innermost: http_da turns its Basic into Digest before us. */
	pc->orig_fposthdr = soap->fposthdr;
	soap->fposthdr = basic_guard;
	soap_register_plugin(soap, http_da);
	soap_register_plugin(soap, soap_wsse);
	/* Outermost: http_da never sees a non-Digest challenge. */
	pc->orig_fparsehdr = soap->fparsehdr;
	soap->fparsehdr = challenge_filter;
	pc->orig_fprepareinitsend = soap->fprepareinitsend;
	soap->fprepareinitsend = fresh_initsend;
	pc->orig_fparse = soap->fparse;
	soap->fparse = fresh_parse;
	pc->orig_frecv = soap->frecv;
	soap->frecv = limited_frecv;
	pc->orig_fopen = soap->fopen;
	soap->fopen = guarded_fopen;
	pc->orig_fclosesocket = soap->fclosesocket;
	soap->fclosesocket = wd_closesocket;
	if (strncasecmp(url, "https://", 8) == 0 &&
	    setup_tls(soap, pc, err, errsz) != 0) {
		soap_free(soap);
		return NULL;
	}
	return soap;
}

void
io_free_context(struct soap *soap, struct poll_ctx *pc)
{
	if (pc->digest_saved) {
		if (pc->da.passwd != NULL)
			explicit_bzero(pc->da.passwd, strlen(pc->da.passwd));
		http_da_release(soap, &pc->da);
		pc->digest_saved = false;
	}
	soap->userid = soap->passwd = NULL;
	soap_destroy(soap);
	soap_end(soap);
	/* Digest inputs and the last messages pass through these buffers. */
	explicit_bzero(soap->buf, sizeof(soap->buf));
	explicit_bzero(soap->tmpbuf, sizeof(soap->tmpbuf));
	explicit_bzero(soap->msgbuf, sizeof(soap->msgbuf));
	soap_free(soap);
	if (thread_poll == pc)
		thread_poll = NULL;
}
