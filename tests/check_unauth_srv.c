/*
 * check_unauth_srv.c: the camera surfaces of check_unauth_srv.h.  One
 * thread per surface, so that each serves its connections in the order
 * the collectors open them (the collectors connect every TCP port at once
 * and use them one after another).  Every reply here is composed for the
 * tests in the vendors' shapes; none is a capture.  Threads poll with
 * short timeouts and watch srv->stop, so srv_stop() returns at once.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "check_unauth_srv.h"

struct sconn {
	int fd;
	SSL *ssl;
};

static bool
stopping(const struct srv *s)
{
	return atomic_load(&((struct srv *)s)->stop);
}

static void
nap(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static void
capture(struct surf *f, const void *p, size_t n)
{
	if (n > SRV_CAP - f->cap_len)
		n = SRV_CAP - f->cap_len;
	memcpy(f->cap + f->cap_len, p, n);
	f->cap_len += n;
}

static int
bind_on(const char *addr, int type, int *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sa.sin_addr);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) != 0) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/* ---- TLS ------------------------------------------------------------- */

static void
name_add(X509_NAME *n, const char *field, const char *value)
{
	X509_NAME_add_entry_by_txt(
	    n, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1, 0);
}

/* A self-signed certificate shaped like a Hikvision NVR's default one;
 * the hostile one has control characters in its organisation. */
static SSL_CTX *
make_tls(bool hostile)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 14);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	n = X509_get_subject_name(x);
	name_add(n, "C", "CN");
	name_add(n, "ST", "ZheJiang");
	name_add(n, "L", "HangZhou");
	name_add(n, "O", hostile ? "HIK\n\x1b[2JVISION\x7f" : "HIKVISION");
	name_add(n, "OU", "DVRNVR");
	name_add(n, "CN", "www.hikvision.com");
	X509_set_issuer_name(x, n);
	X509_sign(x, k, EVP_sha256());
	SSL_CTX_use_certificate(ctx, x);
	SSL_CTX_use_PrivateKey(ctx, k);
	X509_free(x);
	EVP_PKEY_free(k);
	return ctx;
}

/* ---- stream I/O ------------------------------------------------------ */

static ssize_t
s_read(struct sconn *c, char *buf, size_t n)
{
	if (c->ssl != NULL) {
		int r = SSL_read(c->ssl, buf, (int)n);
		if (r > 0)
			return r;
		int e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ ||
		    (e == SSL_ERROR_SYSCALL && errno == EAGAIN)) {
			errno = EAGAIN;
			return -1;
		}
		return 0;
	}
	return recv(c->fd, buf, n, 0);
}

static void
s_write(struct sconn *c, const char *buf, size_t n)
{
	if (c->ssl != NULL)
		(void)SSL_write(c->ssl, buf, (int)n);
	else
		(void)send(c->fd, buf, n, MSG_NOSIGNAL);
}

static void s_printf(struct sconn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
s_printf(struct sconn *c, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		s_write(
		    c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf));
}

/*
 * One request (head and Content-Length body) into req, captured.
 * Returns its length, 0 on end of stream or stop.
 */
static size_t
read_request(struct surf *f, struct sconn *c, char *req, size_t cap)
{
	size_t have = 0, need = 0;
	const char *end, *cl;
	ssize_t n;

	for (;;) {
		req[have] = '\0';
		end = strstr(req, "\r\n\r\n");
		if (end != NULL) {
			cl = strcasestr(req, "\r\nContent-Length:");
			need = (size_t)(end + 4 - req) +
			    (cl != NULL && cl < end ? strtoul(cl + 17, NULL, 10)
						    : 0);
			if (have >= need)
				return have;
		}
		if (have + 1 >= cap || stopping(f->srv))
			return 0;
		n = s_read(c, req + have, cap - 1 - have);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			return 0;
		capture(f, req + have, (size_t)n);
		have += (size_t)n;
	}
}

/* Read and keep whatever comes until the peer closes or we stop. */
static void
swallow(struct surf *f, struct sconn *c)
{
	char buf[4096];
	ssize_t n;

	while (!stopping(f->srv)) {
		n = s_read(c, buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			return;
		capture(f, buf, (size_t)n);
	}
}

/* ---- HTTP ------------------------------------------------------------ */

static void
http_answer(struct sconn *c, const char *req)
{
	static const char page[] =
	    "\xef\xbb\xbf<!DOCTYPE html><html><head><title>WEB SERVICE"
	    "</title></head><body><div class=\"" SRV_MARKER "\"></div>"
	    "</body></html>";
	static const char rpc2[] =
	    "{ \"error\" : { \"code\" : 268632079, \"message\" : \"Component "
	    "error: login challenge!\" }, \"id\" : 1, \"params\" : { "
	    "\"encryption\" : \"Default\", \"mac\" : \"3CEF8C6101C0\", "
	    "\"random\" : \"1234\", \"realm\" : \"Login to " SRV_RPC2_SERIAL
	    "\" }, \"result\" : false, \"session\" : 7 }\n";
	char path[256] = "";

	sscanf(req, "%*s %255s", path);
	if (strcmp(path, "/") == 0) {
		/* Dahua's header style, the page in two chunks. */
		s_printf(c,
		    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=0\r\n"
		    "CONNECTION: close\r\nCONTENT-TYPE: text/html\r\n"
		    "TRANSFER-ENCODING: chunked\r\nEtag: \"5:6d7a\"\r\n\r\n"
		    "%zx\r\n%.40s\r\n%zx\r\n%s\r\n0\r\n\r\n",
		    (size_t)40, page, strlen(page + 40), page + 40);
	} else if (strncmp(path, "/ISAPI/", 7) == 0)
		s_printf(c,
		    "HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n"
		    "WWW-Authenticate: Digest qop=\"auth\", realm=\"IP "
		    "Camera(C2183)\", nonce=\"4e54\", stale=\"FALSE\"\r\n"
		    "WWW-Authenticate: Basic realm=\"IP Camera(C2183)\"\r\n\r\n");
	else if (strncmp(path, "/stw-cgi/", 9) == 0)
		s_printf(c,
		    "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n"
		    "WWW-Authenticate: Digest qop=\"auth\", "
		    "realm=\"iPolis_00-09-18-12-34-56\", nonce=\"1\"\r\n\r\n");
	else if (strcmp(path, "/RPC2_Login") == 0)
		/* Content-Length larger than the body, as Dahua's. */
		s_printf(c,
		    "HTTP/1.1 200 OK\r\nCONTENT-TYPE: application/json\r\n"
		    "CONTENT-LENGTH: %zu\r\nCONNECTION: close\r\n\r\n%s",
		    strlen(rpc2) + 10, rpc2);
	else
		s_printf(
		    c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}

static void
http_hostile(struct sconn *c, const char *req)
{
	int i;

	if (strncmp(req, "GET / ", 6) == 0) {
		/* A head of 200 headers: over the collector's cap. */
		s_printf(c, "HTTP/1.1 200 OK\r\n");
		for (i = 0; i < 200; i++)
			s_printf(c, "X-Filler-%d: %d\r\n", i, i);
		s_printf(c, "\r\n");
	} else
		s_printf(c, "\x01\x02 this is not HTTP\r\n\r\n");
}

static void
http_drip(struct surf *f, struct sconn *c)
{
	s_write(c, "HTTP/1.1 200 OK\r\n", 17);
	while (!stopping(f->srv)) {
		nap(100);
		if (send(c->fd, "X", 1, MSG_NOSIGNAL) != 1)
			return;
	}
}

/* A TLS record header announcing 16 KiB, then a byte every 100 ms. */
static void
tls_drip(struct surf *f, struct sconn *c)
{
	char buf[512];
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

	if (n > 0)
		capture(f, buf, (size_t)n);
	if (send(c->fd, "\x16\x03\x01\x40\x00", 5, MSG_NOSIGNAL) != 5)
		return;
	while (!stopping(f->srv)) {
		nap(100);
		if (send(c->fd, "\x02", 1, MSG_NOSIGNAL) != 1)
			return;
	}
}

/* The handshake, waiting as long as the client takes to start it (a
 * connection the collectors opened early idles for a while). */
static int
tls_accept(struct surf *f, struct sconn *c)
{
	int r, e;

	c->ssl = SSL_new(f->srv->tls);
	SSL_set_fd(c->ssl, c->fd);
	while ((r = SSL_accept(c->ssl)) != 1) {
		e = SSL_get_error(c->ssl, r);
		if (stopping(f->srv) ||
		    !(e == SSL_ERROR_WANT_READ ||
			(e == SSL_ERROR_SYSCALL && errno == EAGAIN)))
			return -1;
	}
	return 0;
}

static void
serve_http(struct surf *f, struct sconn *c)
{
	enum behave b = f->srv->behave[f->kind];
	char req[8192];

	if (f->kind == S_HTTPS && b == B_DRIP) {
		tls_drip(f, c);
		return;
	}
	if (b == B_SILENT) {
		swallow(f, c);
		return;
	}
	if (f->kind == S_HTTPS && tls_accept(f, c) != 0)
		return;
	if (read_request(f, c, req, sizeof(req)) == 0)
		return;
	if (b == B_DRIP)
		http_drip(f, c);
	else if (b == B_HOSTILE && f->kind == S_HTTP)
		http_hostile(c, req);
	else
		http_answer(c, req);
}

/* ---- RTSP ------------------------------------------------------------ */

static void
serve_rtsp(struct surf *f, struct sconn *c)
{
	enum behave b = f->srv->behave[f->kind];
	char req[8192];
	int cseq;

	if (b == B_SILENT || b == B_DRIP) {
		swallow(f, c);
		return;
	}
	while (read_request(f, c, req, sizeof(req)) > 0) {
		const char *cs = strcasestr(req, "\r\nCSeq:");
		cseq = cs != NULL ? atoi(cs + 7) : 0;
		if (b == B_HOSTILE)
			s_printf(c, "HTTP/1.1 200 OK\r\n\r\n");
		else if (strncmp(req, "OPTIONS ", 8) == 0)
			s_printf(c,
			    "RTSP/1.0 200 OK\r\nCSeq: %d\r\nPublic: OPTIONS, "
			    "DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, "
			    "SET_PARAMETER, GET_PARAMETER\r\n"
			    "Date:  Thu, May 14 2020 16:45:35 GMT\r\n\r\n",
			    cseq);
		else
			s_printf(c,
			    "RTSP/1.0 401 Unauthorized\r\nCSeq: %d\r\n"
			    "WWW-Authenticate: Digest realm=\"c4790503a344\","
			    "nonce=\"0123\", stale=\"FALSE\"\r\n\r\n",
			    cseq);
	}
}

static void *
tcp_main(void *arg)
{
	struct surf *f = arg;
	struct pollfd pfd = {f->fd, POLLIN, 0};
	struct timeval tv = {0, 100000};
	struct sconn c;

	while (!stopping(f->srv)) {
		if (poll(&pfd, 1, 50) != 1)
			continue;
		if ((c.fd = accept(f->fd, NULL, NULL)) < 0)
			continue;
		c.ssl = NULL;
		f->msgs++;
		setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (f->kind == S_PORTS) {
			if (f->srv->behave[S_PORTS] != B_ANSWER)
				swallow(f, &c);
		} else if (f->kind == S_RTSP)
			serve_rtsp(f, &c);
		else
			serve_http(f, &c);
		if (c.ssl != NULL) {
			SSL_shutdown(c.ssl);
			SSL_free(c.ssl);
		}
		close(c.fd);
		__atomic_add_fetch(&f->served, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* ---- UDP ------------------------------------------------------------- */

static size_t
sadp_reply(const char *uuid, char *out, size_t outsz)
{
	int n = snprintf(out, outsz,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
	    "<ProbeMatch><Uuid>%s</Uuid>\r\n<Types>inquiry</Types>\r\n"
	    "<DeviceType>148805</DeviceType>\r\n"
	    "<DeviceDescription>" SRV_SADP_MODEL "</DeviceDescription>\r\n"
	    "<DeviceSN>" SRV_SADP_SERIAL "</DeviceSN>\r\n"
	    "<CommandPort>8000</CommandPort>\r\n"
	    "<MAC>44-19-b6-3a-5c-71</MAC>\r\n"
	    "<SoftwareVersion>V5.7.3build 220112</SoftwareVersion>\r\n"
	    "<DetailOEMCode>1</DetailOEMCode>\r\n</ProbeMatch>\r\n",
	    uuid);
	return n > 0 ? (size_t)n : 0;
}

static size_t
dhip_reply(char *out, size_t outsz, bool lie)
{
	static const char body[] =
	    "{\"mac\":\"3c:ef:8c:12:34:56\",\"method\":\"client.notifyDevInfo\","
	    "\"params\":{\"deviceInfo\":{\"DeviceClass\":\"IPC\","
	    "\"DeviceType\":\"" SRV_DHIP_MODEL "\",\"Manufacturer\":"
	    "\"General\",\"Port\":37777,\"SerialNo\":\"6C01E93PAG69A7D\","
	    "\"Vendor\":\"Private\",\"Version\":\"2.800.0000000.13.R\"}}}\n";
	uint32_t len = (uint32_t)sizeof(body);
	uint32_t declared = lie ? len + 100 : len;

	if (outsz < 32 + sizeof(body))
		return 0;
	memset(out, 0, 32);
	out[0] = 32;
	memcpy(out + 4, "DHIP", 4);
	memcpy(out + 16, &declared, 4); /* little-endian host */
	memcpy(out + 24, &declared, 4);
	memcpy(out + 32, body, sizeof(body));
	return 32 + sizeof(body);
}

/* From another address of ours: the collector must not take it. */
static void
spoof(struct surf *f, const struct sockaddr_in *to, const char *p, size_t n)
{
	int port, fd = bind_on(f->srv->spoof_from, SOCK_DGRAM, &port);

	if (fd < 0)
		return;
	(void)sendto(fd, p, n, 0, (const struct sockaddr *)to, sizeof(*to));
	close(fd);
}

static void
udp_answer(struct surf *f, const char *req, const struct sockaddr_in *to)
{
	enum behave b = f->srv->behave[f->kind];
	/* Not static: the SADP and DHIP surfaces answer from threads of
	 * their own at once (a shared buffer sent one's reply as the other's
	 * under load: "dhip: malformed"). */
	char out[20000];
	char uuid[64] = "";
	const char *u = strstr(req, "<Uuid>");
	size_t n;

	if (u != NULL)
		sscanf(u + 6, "%63[^<]", uuid);
	if (f->kind == S_SADP && b == B_HOSTILE) {
		memset(out, ' ', sizeof(out)); /* over the 16 KiB cap */
		n = sadp_reply(uuid, out, sizeof(out));
		out[n] = ' ';
		n = sizeof(out);
	} else if (f->kind == S_SADP)
		n = sadp_reply(uuid, out, sizeof(out));
	else
		n = dhip_reply(out, sizeof(out), b == B_HOSTILE);
	if (f->srv->spoof_from != NULL)
		spoof(f, to, out, n);
	if (f->kind == S_SADP && b == B_ANSWER) {
		/* A reply to somebody else's probe first: ignored. */
		char other[4096];
		size_t k = sadp_reply("00000000-0000-4000-8000-000000000000",
		    other, sizeof(other));
		(void)sendto(f->fd, other, k, 0, (const struct sockaddr *)to,
		    sizeof(*to));
	}
	(void)sendto(
	    f->fd, out, n, 0, (const struct sockaddr *)to, sizeof(*to));
}

static void *
udp_main(void *arg)
{
	struct surf *f = arg;
	struct pollfd pfd = {f->fd, POLLIN, 0};
	struct sockaddr_in from;
	socklen_t fl;
	char buf[4096];
	ssize_t n;

	while (!stopping(f->srv)) {
		if (poll(&pfd, 1, 50) != 1)
			continue;
		fl = sizeof(from);
		n = recvfrom(f->fd, buf, sizeof(buf) - 1, 0,
		    (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		capture(f, buf, (size_t)n);
		f->msgs++;
		if (f->srv->behave[f->kind] != B_SILENT &&
		    f->srv->behave[f->kind] != B_DRIP)
			udp_answer(f, buf, &from);
	}
	return NULL;
}

/* ---- start, stop ----------------------------------------------------- */

void
srv_start(struct srv *s, const char *addr)
{
	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	atomic_store(&s->stop, false);
	if (s->behave[S_HTTPS] != B_OFF)
		s->tls = make_tls(s->behave[S_HTTPS] == B_HOSTILE);
	for (int i = 0; i < S_COUNT; i++) {
		struct surf *f = &s->s[i];
		bool udp = i == S_SADP || i == S_DHIP;
		f->srv = s;
		f->kind = (enum surface)i;
		f->cap_len = 0;
		f->msgs = 0;
		f->served = 0;
		f->running = false;
		if (s->behave[i] == B_OFF) {
			/* A port nothing listens on: bound, then closed. */
			f->fd = bind_on(
			    addr, udp ? SOCK_DGRAM : SOCK_STREAM, &f->port);
			close(f->fd);
			f->fd = -1;
			continue;
		}
		f->fd = bind_on(addr, udp ? SOCK_DGRAM : SOCK_STREAM, &f->port);
		if (f->fd < 0) {
			fprintf(stderr, "srv: cannot bind %s: %s\n", addr,
			    strerror(errno));
			abort();
		}
		pthread_create(&f->th, NULL, udp ? udp_main : tcp_main, f);
		f->running = true;
	}
}

void
srv_stop(struct srv *s)
{
	atomic_store(&s->stop, true);
	for (int i = 0; i < S_COUNT; i++) {
		if (!s->s[i].running)
			continue;
		pthread_join(s->s[i].th, NULL);
		close(s->s[i].fd);
		s->s[i].running = false;
	}
	SSL_CTX_free(s->tls);
	s->tls = NULL;
}
