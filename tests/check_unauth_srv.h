/*
 * check_unauth_srv.h: small camera surfaces for the collector tests: an
 * SADP and a DHIP responder (UDP), an HTTP, an HTTPS and an RTSP server
 * and a private port (TCP; it never speaks), each a thread with a real socket
 * on one loopback address and an ephemeral port, each recording every byte it
 * receives so that a test can assert what the collectors sent.  Behaviours:
 * answer like a camera (Hikvision's and Dahua's shapes mixed, composed here),
 * stay silent, drip, or answer with hostile replies.  Used by
 * check_unauth_probe.c and check_unauth_scan.c; the test's own thread starts
 * and stops them.
 */
#ifndef CHECK_UNAUTH_SRV_H
#define CHECK_UNAUTH_SRV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

/* S_PORTS: a private port (Xiongmai's 34567): B_ANSWER accepts and
 * closes at once, B_SILENT (and the others) accepts and holds the
 * connection, reading, until the peer closes; neither writes a byte. */
enum surface { S_SADP, S_DHIP, S_HTTP, S_HTTPS, S_RTSP, S_PORTS, S_COUNT };

enum behave {
	B_OFF = 0, /* no socket: the port is closed */
	B_ANSWER, /* a camera's replies */
	B_SILENT, /* read everything, answer nothing */
	B_DRIP, /* HTTP: a head that never ends; HTTPS: a handshake that
		   never ends; one byte every 100 ms */
	B_HOSTILE, /* oversize, lying or broken replies */
};

#define SRV_CAP 65536

struct surf {
	struct srv *srv;
	enum surface kind;
	int fd;
	int port;
	pthread_t th;
	bool running;
	char cap[SRV_CAP]; /* every byte received, datagrams back to back */
	size_t cap_len;
	unsigned msgs; /* datagrams, or connections accepted */
	unsigned served; /* TCP connections served to their end (atomic) */
};

struct srv {
	char addr[32];
	enum behave behave[S_COUNT];
	/* SADP and DHIP also answer from this address first (a spoofer). */
	const char *spoof_from;
	struct surf s[S_COUNT];
	atomic_bool stop;
	SSL_CTX *tls;
};

/* Bind the surfaces with a behaviour other than B_OFF on addr and start
 * their threads; s->s[i].port is then set. */
void srv_start(struct srv *, const char *addr);
/* Stop and join every thread; captures stay readable. */
void srv_stop(struct srv *);

/* The serial, model and MAC the answering surfaces report. */
#define SRV_SADP_MODEL "DS-2CD2386G2-IU"
#define SRV_SADP_SERIAL "DS-2CD2386G2-IU20230517AAWRK51873096"
#define SRV_DHIP_MODEL "IPC-HDW1431T1-S4"
#define SRV_RPC2_SERIAL "3C06520PAN00001"
#define SRV_MARKER "ui-dialog-content"

#endif
