/*
 * unauth_conn.c: the TCP side of an unauth_probe() call: connections,
 * TLS, and reading one HTTP or RTSP reply.
 *
 * Sockets are blocking with per-I/O timeouts (SO_RCVTIMEO, SO_SNDTIMEO:
 * the smaller of the I/O timeout and what is left of the deadline), and
 * every socket is in the call's watchdog slot from before its first byte
 * to its close, so a peer that drips one byte a second, in a header or a
 * TLS handshake, is cut at the deadline (shutdown(2) makes whatever is
 * blocked return).  TLS is not verified: nothing secret is sent, and the
 * point is to read the certificate a camera shows; old protocol versions
 * and ciphers are allowed for the same reason.  Caller's thread.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "onvif/unauth_int.h"

/* A body that stalls this long after its head ends the read: some
 * firmwares announce a longer body than they send and keep the socket. */
#define UX_BODY_IDLE_MS 1000
/* 1xx heads skipped before a final one. */
#define UX_MAX_INTERIM 4
/* The certificate chain a camera may send (OpenSSL's default is 100 KiB). */
#define UX_MAX_CERT_LIST 32768

static int
io_ms(const struct ux_ctx *c, int cap)
{
	int left = ux_ms_left(c);
	int io = c->o->io_timeout_ms > 0 ? c->o->io_timeout_ms : 3000;

	if (cap > 0 && cap < io)
		io = cap;
	return left < io ? left : io;
}

static void
set_timeouts(int fd, int ms)
{
	struct timeval tv;

	if (ms < 1)
		ms = 1;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static enum unauth_status
io_status(struct ux_ctx *c, int e)
{
	if (ux_expired(c))
		return UNAUTH_SILENT;
	switch (e) {
	case ECONNREFUSED:
	case ECONNRESET:
	case EPIPE:
	case EHOSTUNREACH:
	case ENETUNREACH:
		return UNAUTH_REFUSED;
	default:
		return UNAUTH_SILENT;
	}
}

/* A new connection, settled within the connect timeout; -1 and *st. */
static int
connect_new(struct ux_ctx *c, int port, enum unauth_status *st)
{
	struct sockaddr_storage to;
	struct pollfd pfd;
	int fd, err = 0, ms;
	socklen_t el = sizeof(err);

	if ((fd = ux_socket(c, SOCK_STREAM)) < 0) {
		*st = UNAUTH_SILENT;
		return -1;
	}
	wd_set_fd(&c->wd, fd);
	ux_target(c, port, &to);
	ms = c->o->connect_timeout_ms > 0 ? c->o->connect_timeout_ms : 3000;
	if (ms > ux_ms_left(c))
		ms = ux_ms_left(c);
	if (connect(fd, (struct sockaddr *)&to, c->salen) != 0) {
		err = errno;
		if (err == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			err = poll(&pfd, 1, ms) == 1 &&
				getsockopt(
				    fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0
			    ? err
			    : ETIMEDOUT;
		}
	}
	if (err != 0) {
		*st = io_status(c, err);
		wd_clear_fd(&c->wd, fd);
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- TLS ----------------------------------------------------------------- */

static SSL_CTX *
tls_ctx(struct ux_ctx *c)
{
	SSL_CTX *ctx;

	if (c->tls != NULL)
		return c->tls;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	/* Cameras of 2015 speak TLS 1.0 with old ciphers; we only read. */
	SSL_CTX_set_security_level(ctx, 0);
	(void)SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
	(void)SSL_CTX_set_cipher_list(ctx, "ALL:!aNULL:!eNULL:@SECLEVEL=0");
	SSL_CTX_set_options(ctx,
	    SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF |
		SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_max_cert_list(ctx, UX_MAX_CERT_LIST);
	c->tls = ctx;
	return ctx;
}

/* A name in RFC 2253's one-line form; no-break spaces (Dahua's issuer has
 * them) become spaces, the rest is cleaned by cam_fact_add. */
void
ux_name_fact(
    struct cam_identity *id, const X509_NAME *name, enum cam_fact_kind k)
{
	char out[1024];
	BIO *b;
	int n;
	char *p;

	if (name == NULL || (b = BIO_new(BIO_s_mem())) == NULL)
		return;
	/* Control characters are escaped (\0A); UTF-8 is kept as is. */
	if (X509_NAME_print_ex(
		b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_read(b, out, sizeof(out) - 1)) > 0) {
		out[n] = '\0';
		while ((p = strstr(out, "\xc2\xa0")) != NULL) {
			*p = ' ';
			memmove(p + 1, p + 2, strlen(p + 2) + 1);
		}
		ux_fact(id, k, PROBE_TLS, out);
	}
	BIO_free(b);
}

static void
cert_facts(struct ux_ctx *c, SSL *ssl)
{
	X509 *cert = SSL_get0_peer_certificate(ssl);

	c->cert_seen = true;
	if (cert == NULL)
		return;
	ux_name_fact(c->id, X509_get_subject_name(cert), FACT_TLS_SUBJECT);
	ux_name_fact(c->id, X509_get_issuer_name(cert), FACT_TLS_ISSUER);
	c->id->facts.answered |= CAM_PROBE(PROBE_TLS);
	ux_status(c, PROBE_TLS, UNAUTH_OK);
}

static enum unauth_status
tls_start(struct ux_ctx *c, struct ux_conn *cn)
{
	SSL_CTX *ctx = tls_ctx(c);
	SSL *ssl = NULL;
	int e;

	if (ctx == NULL || (ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_fd(ssl, cn->fd) != 1) {
		if (ctx != NULL && ssl != NULL)
			SSL_free(ssl);
		return UNAUTH_TLS_ERROR;
	}
	if (c->session != NULL)
		(void)SSL_set_session(ssl, c->session);
	set_timeouts(cn->fd, io_ms(c, 0));
	ERR_clear_error();
	errno = 0;
	if ((e = SSL_connect(ssl)) != 1) {
		int err = errno;
		e = SSL_get_error(ssl, e);
		SSL_free(ssl);
		ERR_clear_error();
		/* A timeout or the deadline mid-handshake: silent; anything
		 * else the peer did (a reset, a non-TLS answer): TLS error. */
		if (ux_expired(c) || e == SSL_ERROR_WANT_READ ||
		    e == SSL_ERROR_WANT_WRITE ||
		    (e == SSL_ERROR_SYSCALL &&
			(err == EAGAIN || err == EWOULDBLOCK)))
			return UNAUTH_SILENT;
		return UNAUTH_TLS_ERROR;
	}
	cn->ssl = ssl;
	if (!c->cert_seen)
		cert_facts(c, ssl);
	return UNAUTH_OK;
}

/* ---- connections --------------------------------------------------------- */

enum unauth_status
ux_open(struct ux_ctx *c, enum cam_probe p, struct ux_conn *cn)
{
	enum unauth_status st = UNAUTH_OK;
	int fd, fl;

	cn->fd = -1;
	cn->ssl = NULL;
	cn->pre = false;
	if (ux_expired(c))
		return UNAUTH_SILENT;
	if (c->pre[p] >= 0) {
		fd = c->pre[p];
		c->pre[p] = -1;
		cn->pre = true;
		wd_set_fd(&c->wd, fd);
	} else if ((fd = connect_new(c, ux_port(c, p), &st)) < 0)
		return st;
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	cn->fd = fd;
	if (p == PROBE_HTTPS && (st = tls_start(c, cn)) != UNAUTH_OK)
		ux_close(c, cn);
	return st;
}

void
ux_close(struct ux_ctx *c, struct ux_conn *cn)
{
	if (cn->ssl != NULL) {
		if (c->session == NULL)
			c->session = SSL_get1_session(cn->ssl);
		/* No close_notify exchange with a peer we are done with; marked
		 * clean so that the session stays resumable. */
		SSL_set_shutdown(
		    cn->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
		SSL_free(cn->ssl);
		cn->ssl = NULL;
	}
	if (cn->fd >= 0) {
		wd_clear_fd(&c->wd, cn->fd);
		close(cn->fd);
		cn->fd = -1;
	}
}

void
ux_conn_cleanup(struct ux_ctx *c)
{
	SSL_SESSION_free(c->session);
	c->session = NULL;
	SSL_CTX_free(c->tls);
	c->tls = NULL;
}

enum unauth_status
ux_send(struct ux_ctx *c, struct ux_conn *cn, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if (ux_expired(c))
			return UNAUTH_SILENT;
		set_timeouts(cn->fd, io_ms(c, 0));
		errno = 0;
		if (cn->ssl != NULL) {
			n = SSL_write(
			    cn->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
			if (n <= 0)
				return errno ? io_status(c, errno)
					     : UNAUTH_TLS_ERROR;
		} else if ((n = send(cn->fd, buf, len, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return io_status(c, errno);
		}
		buf += n;
		len -= (size_t)n;
	}
	return UNAUTH_OK;
}

/* Some bytes (> 0), end of stream (0), or -1 with *st. */
static ssize_t
recv_some(struct ux_ctx *c, struct ux_conn *cn, char *buf, size_t len,
    int cap_ms, enum unauth_status *st)
{
	ssize_t n;
	int e;

	if (ux_expired(c)) {
		*st = UNAUTH_SILENT;
		return -1;
	}
	set_timeouts(cn->fd, io_ms(c, cap_ms));
	for (;;) {
		errno = 0;
		if (cn->ssl != NULL) {
			ERR_clear_error();
			n = SSL_read(
			    cn->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
			if (n > 0)
				return n;
			e = SSL_get_error(cn->ssl, (int)n);
			if (e == SSL_ERROR_ZERO_RETURN ||
			    (e == SSL_ERROR_SYSCALL && errno == 0))
				n = 0;
			else {
				*st = e == SSL_ERROR_SSL ? UNAUTH_TLS_ERROR
							 : io_status(c, errno);
				return -1;
			}
		} else if ((n = recv(cn->fd, buf, len, 0)) < 0) {
			if (errno == EINTR)
				continue;
			*st = io_status(c, errno);
			return -1;
		}
		/* The watchdog's shutdown reads as an end of stream. */
		if (n == 0 && ux_expired(c)) {
			*st = UNAUTH_SILENT;
			return -1;
		}
		return n;
	}
}

/* ---- one reply ----------------------------------------------------------- */

/* The head into rep; interim (1xx) heads dropped. */
static enum unauth_status
read_head(struct ux_ctx *c, struct ux_conn *cn, const char *proto,
    struct ux_reply *rep, size_t *have)
{
	enum unauth_status st = UNAUTH_SILENT;
	int r, interim = 0;
	ssize_t n;

	for (;;) {
		r = ux_parse_head(c->buf, *have, proto, &rep->head);
		if (r < 0)
			return UNAUTH_MALFORMED;
		if (r == 1 && rep->head.code >= 200)
			return UNAUTH_OK;
		if (r == 1) {
			if (++interim > UX_MAX_INTERIM)
				return UNAUTH_MALFORMED;
			*have -= rep->head.len;
			memmove(c->buf, c->buf + rep->head.len, *have);
			continue;
		}
		if (*have >= c->max_reply)
			return UNAUTH_MALFORMED;
		n = recv_some(
		    c, cn, c->buf + *have, c->max_reply - *have, 0, &st);
		if (n < 0)
			return *have > 0 && st == UNAUTH_SILENT
			    ? UNAUTH_MALFORMED
			    : st;
		if (n == 0)
			return *have > 0 ? UNAUTH_MALFORMED : UNAUTH_REFUSED;
		*have += (size_t)n;
	}
}

/* The body is all there (or all there is to wait for). */
static bool
body_done(const struct ux_reply *rep, const char *b, size_t blen, long cl,
    bool to_eof, size_t *scan)
{
	if (ux_is_chunked(&rep->head))
		return ux_chunk_scan(b, blen, scan) != 0;
	if (cl >= 0)
		return blen >= (size_t)cl;
	return !to_eof;
}

enum unauth_status
ux_read_reply(struct ux_ctx *c, struct ux_conn *cn, const char *proto,
    bool to_eof, struct ux_reply *rep)
{
	enum unauth_status st;
	size_t have = 0, scan = 0, blen;
	long cl;
	ssize_t n;
	char *b;

	if ((st = read_head(c, cn, proto, rep, &have)) != UNAUTH_OK)
		return st;
	b = c->buf + rep->head.len;
	cl = ux_content_length(&rep->head);
	if (rep->head.code == 204 || rep->head.code == 304)
		cl = 0;
	while (!body_done(rep, b, have - rep->head.len, cl, to_eof, &scan) &&
	    have < c->max_reply) {
		n = recv_some(c, cn, c->buf + have, c->max_reply - have,
		    UX_BODY_IDLE_MS, &st);
		if (n <= 0)
			break; /* the head is in: what came of the body will do
				*/
		have += (size_t)n;
	}
	blen = have - rep->head.len;
	if (ux_is_chunked(&rep->head))
		blen = ux_dechunk(b, blen);
	else if (cl >= 0 && blen > (size_t)cl)
		blen = (size_t)cl;
	b[blen] = '\0';
	rep->body = b;
	rep->body_len = blen;
	return UNAUTH_OK;
}
