/*
 * unauth_int.h: the state of one unauth_probe() call that the collectors
 * share: the target, the deadline and its watchdog slot, the UDP probes in
 * flight, the TCP connections the first phase opened, the reply buffer.
 * Only plugin/onvif/unauth*.c include it; all run on the caller's thread.
 */
#ifndef CAMCOMPLY_UNAUTH_INT_H
#define CAMCOMPLY_UNAUTH_INT_H

#include <sys/socket.h>
#include <sys/types.h>

#include <stdbool.h>

#include <openssl/ssl.h>

#include "onvif/unauth.h"
#include "onvif/unauth_parse.h"
#include "common/watchdog.h"

#define UX_DEFAULT_MAX_REPLY (64 * 1024)
/* Datagrams from the target that fail to parse before a probe gives up. */
#define UX_MAX_BAD_DATAGRAMS 32

/* One TCP connection of a probe: plain, or TLS over fd. */
struct ux_conn {
	int fd;
	SSL *ssl;
	bool pre; /* opened by the first phase: may have idled out */
};

/* A private port's connect in flight (PROBE_PORTS): -1 when settled. */
struct ux_pport {
	int fd;
	uint16_t port;
};

/* A UDP probe in flight (SADP, DHIP). */
struct ux_udp {
	int fd; /* -1: not running, or finished */
	enum cam_probe probe;
	unsigned bad; /* datagrams from the target that did not parse */
};

struct ux_ctx {
	const struct unauth_opts *o;
	struct cam_identity *id;
	struct unauth_result *res;
	long long t0, deadline, udp_until; /* monotonic ms */
	/* The current TCP collector's share of the deadline (0: none). */
	long long stage_end;
	struct wd_slot wd; /* shuts the socket being used at the deadline */
	struct sockaddr_storage sa; /* the target, port unset */
	socklen_t salen;
	char host[CAM_ADDR_MAX + 2]; /* "a.b.c.d" or "[v6]": Host, URLs */
	size_t max_reply;
	char *buf; /* max_reply + 1 bytes: one reply at a time */
	char uuid[37]; /* of our SADP inquiry */
	struct ux_udp udp[2];
	int pre[PROBE_COUNT]; /* sockets the first phase connected, or -1 */
	struct ux_pport pport[UNAUTH_PRIVATE_PORTS_MAX];
	size_t n_pport;
	SSL_CTX *tls; /* made on first use */
	SSL_SESSION *session; /* resumed by later HTTPS connections */
	bool cert_seen;
};

/* A reply read into ctx->buf. */
struct ux_reply {
	struct ux_head head;
	char *body;
	size_t body_len;
};

/* unauth.c */
bool ux_wants(const struct ux_ctx *, enum cam_probe);
int ux_port(const struct ux_ctx *, enum cam_probe);
int ux_ms_left(const struct ux_ctx *);
bool ux_expired(struct ux_ctx *);
/* The probe's status, unless a better one is already recorded. */
void ux_status(struct ux_ctx *, enum cam_probe, enum unauth_status);

/* unauth_net.c: the first phase, UDP */
/*
 * Send the UDP probes and start every TCP connection at once, then wait
 * until the connections are settled (connect timeout at most), reading
 * UDP replies meanwhile: a black-holed camera costs one timeout, not one
 * per collector.  The private ports (PROBE_PORTS) end here: a connect
 * that completes is a FACT_PRIVATE_PORT and is closed at once, nothing
 * sent on it.
 */
void ux_first_phase(struct ux_ctx *);
/* Read UDP replies until they are in or the UDP wait is over. */
void ux_udp_finish(struct ux_ctx *);
/* Close what the first phase left open. */
void ux_net_cleanup(struct ux_ctx *);
/* A socket of the target's family, non-blocking, close-on-exec. */
int ux_socket(const struct ux_ctx *, int type);
/* The target's address with a port. */
void ux_target(const struct ux_ctx *, int port, struct sockaddr_storage *);

/* unauth_conn.c: TCP exchanges on the caller's thread */
/*
 * A connection for probe p (PROBE_RTSP, PROBE_HTTP, PROBE_HTTPS): the one
 * the first phase opened, else a new one; blocking, with per-I/O timeouts,
 * in the watchdog's slot; TLS for PROBE_HTTPS (the certificate's facts
 * recorded on the first handshake).  UNAUTH_OK, or why not.
 */
enum unauth_status ux_open(struct ux_ctx *, enum cam_probe, struct ux_conn *);
void ux_close(struct ux_ctx *, struct ux_conn *);
enum unauth_status ux_send(
    struct ux_ctx *, struct ux_conn *, const char *, size_t);
/*
 * One reply into ctx->buf: the head ("HTTP" or "RTSP"), then the body by
 * Content-Length, chunks, or (to_eof) until the peer closes; a body cut at
 * max_reply is kept as far as it came.
 */
enum unauth_status ux_read_reply(struct ux_ctx *, struct ux_conn *,
    const char *proto, bool to_eof, struct ux_reply *);
void ux_conn_cleanup(struct ux_ctx *);
/*
 * The certificate's subject or issuer (k: FACT_TLS_SUBJECT or
 * FACT_TLS_ISSUER) as a fact of PROBE_TLS.  Pure: fuzz_tls drives it.
 */
void ux_name_fact(
    struct cam_identity *, const X509_NAME *, enum cam_fact_kind k);

/* unauth_http.c, unauth_rtsp.c: the probes */
void ux_http_probe(struct ux_ctx *, enum cam_probe);
void ux_rtsp_probe(struct ux_ctx *);

#endif
