/*
 * tls.c: HTTPS cameras (tls=yes): the certificate and server context of
 * each camera, the certificate swap on SIGUSR1 (cert-swap=yes), the
 * handshake of one connection, and fault=tls-drip, a listener that
 * answers a ClientHello with a handshake record that never ends.
 *
 * tls_setup() and tls_swap() run in the main thread (before the
 * listeners start, and from the accept loop on SIGUSR1); tls_accept(),
 * tls_close() and tls_drip() in connection threads.  Only cameras with a
 * socket of their own serve TLS (one certificate per address): on their
 * HTTP port with tls=yes, and on https-port= with the profile's
 * certificate (vcert.c).  A
 * camera's context pointer is guarded by sim_cam_lock(): a connection
 * takes a reference to the current one, so a swap never frees a context
 * still in use.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "camsim.h"

#define HANDSHAKE_MS 10000 /* a peer silent this long mid-handshake goes */
#define CERT_DAYS 365
#define DRIP_RECORD 16000 /* announced length of the endless record */
#define HELLO_MAX (5 + 16384 + 2048) /* one TLS record, ciphertext bound */

/* Lower-case hex SHA-256 of the DER certificate. */
static int
fingerprint(X509 *x, char out[SIM_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n, i;

	if (X509_digest(x, EVP_sha256(), md, &n) != 1 || n != 32)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/*
 * A self-signed certificate for key: CN = the camera's address, or the
 * subject of `like` (a swap keeps the subject); subjectAltName IP = the
 * address, so a client that checks names against the URL is satisfied.
 */
static X509 *
self_signed(const struct sim_camera *c, EVP_PKEY *key, X509 *like)
{
	X509 *x;
	X509_NAME *name;
	BIGNUM *bn;
	int ok;

	if ((x = X509_new()) == NULL)
		return NULL;
	bn = BN_new();
	ok = bn != NULL && BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
	ok = ok && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	ok = ok && X509_set_version(x, 2); /* v3 */
	ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL;
	ok = ok &&
	    X509_gmtime_adj(X509_getm_notAfter(x), CERT_DAYS * 86400L) != NULL;
	ok = ok && X509_set_pubkey(x, key);
	if (ok && like != NULL)
		ok = X509_set_subject_name(x, X509_get_subject_name(like));
	else if (ok)
		ok = (name = X509_get_subject_name(x)) != NULL &&
		    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
			(const unsigned char *)c->host, -1, -1, 0);
	ok = ok && X509_set_issuer_name(x, X509_get_subject_name(x));
	ok = ok && vcert_add_san(x, c->host);
	ok = ok && X509_sign(x, key, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/*
 * One context per certificate.  No session cache and no tickets: every
 * connection is a full handshake that shows the certificate, so a client
 * that pins it always has something to compare.
 */
static SSL_CTX *
make_ctx(X509 *cert, EVP_PKEY *key)
{
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(
	    ctx, SSL_OP_NO_TICKET | SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(ctx,
	    SSL_MODE_ENABLE_PARTIAL_WRITE |
		SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (SSL_CTX_use_certificate(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, key) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * The profile's certificate (vcert.c) for https-port=, cert=vendor and
 * fault=cert-control; else CN = the address, as always.
 */
static int
vendor_cert(const struct sim_camera *c)
{
	return c->spec->cert_vendor || c->spec->fault == SIM_FAULT_CERT_CONTROL;
}

/* A fresh P-256 key and a self-signed certificate for it. */
static int
generate(const struct sim_camera *c, X509 *like, X509 **cert, EVP_PKEY **key)
{
	if (vendor_cert(c))
		return vcert_make(c, cert, key);
	*cert = NULL;
	if ((*key = EVP_EC_gen("P-256")) == NULL)
		return -1;
	if ((*cert = self_signed(c, *key, like)) == NULL) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return -1;
	}
	return 0;
}

static int
load_pem(const struct sim_camera *c, X509 **cert, EVP_PKEY **key)
{
	FILE *f;

	*cert = NULL;
	*key = NULL;
	if ((f = fopen(c->spec->tls_cert, "r")) != NULL) {
		*cert = PEM_read_X509(f, NULL, NULL, NULL);
		fclose(f);
	}
	if ((f = fopen(c->spec->tls_key, "r")) != NULL) {
		*key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (*cert != NULL && *key != NULL)
		return 0;
	X509_free(*cert);
	EVP_PKEY_free(*key);
	return -1;
}

/* Make the context for cert and key and publish it with its fingerprint. */
static int
install(struct sim_camera *c, struct sim_tls *t, X509 *cert, EVP_PKEY *key)
{
	char hex[SIM_SHA256_HEX];
	SSL_CTX *ctx, *old;

	if (fingerprint(cert, hex) != 0 || (ctx = make_ctx(cert, key)) == NULL)
		return -1;
	pthread_mutex_lock(sim_cam_lock(c));
	old = t->ctx;
	t->ctx = ctx;
	memcpy(t->sha256, hex, sizeof(hex));
	pthread_mutex_unlock(sim_cam_lock(c));
	SSL_CTX_free(old); /* connections still using it hold a reference */
	return 0;
}

/* Main thread, after server_bind: the camera's first certificate. */
int
tls_setup(struct sim_camera *c, char *err, size_t errsz)
{
	X509 *cert;
	EVP_PKEY *key;
	char lb[SIM_LABEL];
	int rc;

	sim_label(c, lb, sizeof(lb));
	if (c->cert == NULL &&
	    (c->cert = calloc(1, sizeof(*c->cert))) == NULL) {
		snprintf(err, errsz, "%s: out of memory", lb);
		return -1;
	}
	if (c->spec->tls_cert[0] != '\0')
		rc = load_pem(c, &cert, &key);
	else
		rc = generate(c, NULL, &cert, &key);
	if (rc == 0) {
		rc = install(c, c->cert, cert, key);
		X509_free(cert);
		EVP_PKEY_free(key);
	}
	if (rc != 0 && c->spec->tls_cert[0] != '\0')
		snprintf(err, errsz, "%s: cannot use %s with %s (PEM)", lb,
		    c->spec->tls_cert, c->spec->tls_key);
	else if (rc != 0)
		snprintf(err, errsz, "%s: cannot make a certificate", lb);
	if (rc != 0)
		return -1;
	sim_log(NULL, "tls: %s certificate sha256 %s", lb, c->cert->sha256);
	return 0;
}

/*
 * Main thread, after server_bind: the certificate of https-port=, the
 * profile's (vcert.c), whatever tls= and cert= say about the main port.
 */
int
tls_setup_https(struct sim_camera *c, char *err, size_t errsz)
{
	struct sim_extra *x = c->x;
	X509 *cert;
	EVP_PKEY *key;
	char lb[SIM_LABEL];
	int rc;

	sim_label(c, lb, sizeof(lb));
	if ((x->https_cert = calloc(1, sizeof(*x->https_cert))) == NULL ||
	    vcert_make(c, &cert, &key) != 0) {
		snprintf(
		    err, errsz, "%s: cannot make the https certificate", lb);
		return -1;
	}
	rc = install(c, x->https_cert, cert, key);
	X509_free(cert);
	EVP_PKEY_free(key);
	if (rc != 0) {
		snprintf(
		    err, errsz, "%s: cannot use the https certificate", lb);
		return -1;
	}
	sim_log(NULL, "tls: %s https port %d certificate sha256 %s", lb,
	    x->https_port, x->https_cert->sha256);
	return 0;
}

/*
 * Main thread, on SIGUSR1: a new key and certificate with the same
 * subject, for connections accepted from now on.
 */
int
tls_swap(struct sim_camera *c)
{
	X509 *cert;
	EVP_PKEY *key;
	char lb[SIM_LABEL];
	int rc;

	/* Only this thread replaces the context: reading it unlocked is safe.
	 */
	if (generate(c, SSL_CTX_get0_certificate(c->cert->ctx), &cert, &key) !=
	    0)
		return -1;
	rc = install(c, c->cert, cert, key);
	X509_free(cert);
	EVP_PKEY_free(key);
	if (rc == 0)
		sim_log(NULL, "tls: %s certificate swapped, sha256 %s",
		    sim_label(c, lb, sizeof(lb)), c->cert->sha256);
	return rc;
}

static void
log_handshake(struct sim_conn *cn, const char *why)
{
	const char *reason = ERR_reason_error_string(ERR_peek_last_error());

	if (why == NULL)
		why = reason != NULL ? reason : "connection closed";
	sim_log(cn->cam, "tls: handshake failed: %s", why);
}

/* Connection thread: 0 once the handshake is done, -1 (logged) if not. */
int
tls_accept(struct sim_conn *cn)
{
	struct sim_camera *c = cn->cam;
	long until = sim_now_ms() + HANDSHAKE_MS, left;
	SSL_CTX *ctx;
	int rc, err;

	pthread_mutex_lock(sim_cam_lock(c));
	ctx =
	    cn->proto == SIM_PROTO_HTTPS ? c->x->https_cert->ctx : c->cert->ctx;
	SSL_CTX_up_ref(ctx);
	pthread_mutex_unlock(sim_cam_lock(c));
	cn->ssl = SSL_new(ctx);
	SSL_CTX_free(ctx); /* the SSL holds its own reference */
	if (cn->ssl == NULL || SSL_set_fd(cn->ssl, cn->fd) != 1)
		return -1;
	for (;;) {
		ERR_clear_error();
		if ((rc = SSL_accept(cn->ssl)) == 1)
			return 0;
		err = SSL_get_error(cn->ssl, rc);
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
			log_handshake(cn, NULL);
			return -1;
		}
		left = until - sim_now_ms();
		if (left <= 0 ||
		    conn_poll(cn->fd,
			err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
			(int)left) != 1) {
			log_handshake(cn, left <= 0 ? "timed out" : "stopped");
			return -1;
		}
	}
}

void
tls_close(struct sim_conn *cn)
{
	if (cn->ssl == NULL)
		return;
	ERR_clear_error();
	(void)SSL_shutdown(cn->ssl); /* one try: the socket is non-blocking */
	SSL_free(cn->ssl);
	cn->ssl = NULL;
}

/*
 * Read the first TLS record (the ClientHello), bounded in size and time.
 * Returns its length, or 0 if the peer closed or said nothing in time.
 */
static size_t
read_hello(struct sim_conn *cn, unsigned char *buf)
{
	long until = sim_now_ms() + HANDSHAKE_MS, left;
	size_t have = 0, want = 5;
	ssize_t n;

	while (have < want && (left = until - sim_now_ms()) > 0) {
		if ((n = conn_recv(cn, buf + have, want - have, (int)left)) <=
		    0)
			return 0;
		have += (size_t)n;
		if (want == 5 && have >= 5) {
			/* Not a handshake record: drip at it all the same. */
			if (buf[0] != 22)
				break;
			want += (size_t)buf[3] << 8 | buf[4];
			if (want > HELLO_MAX)
				want = HELLO_MAX;
		}
	}
	return have;
}

/* Byte i of the record body: a ServerHello header, then zeros. */
static unsigned char
drip_byte(size_t i)
{
	static const unsigned char head[] = {
	    2, 0, (DRIP_RECORD - 4) >> 8, (DRIP_RECORD - 4) & 0xff, 3, 3};

	return i < sizeof(head) ? head[i] : 0;
}

/*
 * fault=tls-drip, on every connection and without TLS of our own: take
 * the ClientHello (captured raw), announce a 16000-byte handshake record,
 * then send its body one byte every drip-ms.  The handshake never ends;
 * after the record (400 s at 25 ms) the camera falls silent and holds the
 * connection until the client closes.
 */
void
tls_drip(struct sim_conn *cn)
{
	static const unsigned char head[5] = {
	    22, 3, 3, DRIP_RECORD >> 8, DRIP_RECORD & 0xff};
	unsigned char hello[HELLO_MAX];
	unsigned char b;
	size_t n, i;

	if ((n = read_hello(cn, hello)) == 0)
		return;
	sim_log(cn->cam,
	    "tls-drip: %zu bytes of ClientHello, dripping %d "
	    "bytes, one every %d ms",
	    n, DRIP_RECORD, cn->cam->spec->drip_ms);
	if (conn_send_all(cn, head, sizeof(head)) != 0)
		return;
	for (i = 0; i < DRIP_RECORD; i++) {
		b = drip_byte(i);
		if (conn_send_all(cn, &b, 1) != 0 ||
		    conn_pause(cn, cn->cam->spec->drip_ms) != 0)
			return;
	}
	conn_wait_close(cn);
}
