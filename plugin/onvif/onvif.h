/*
 * onvif.h: the ONVIF device-service client.
 *
 * One call identifies one camera: clock first (no credentials), then the
 * authenticated identity calls.  Only onvif.c (and later discovery) include
 * gSOAP headers; callers see plain structs.  onvif_identify() is
 * thread-safe: each call creates and destroys its own gSOAP context, so a
 * camera's SOAP version or auth state never leaks into the next poll.
 */
#ifndef CAMCOMPLY_ONVIF_H
#define CAMCOMPLY_ONVIF_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/camera.h"

enum onvif_status {
	ONVIF_OK = 0,
	ONVIF_TIMEOUT,
	ONVIF_UNREACHABLE, /* refused, no route, DNS */
	ONVIF_AUTH_FAILED,
	ONVIF_CLOCK_SKEW,
	ONVIF_FAULT, /* SOAP fault other than auth; detail has the subcode */
	ONVIF_HTTP_ERROR, /* non-SOAP HTTP error; http_code is set */
	ONVIF_MALFORMED, /* not SOAP, bad XML, too big, too deep */
	ONVIF_TLS_ERROR,
	ONVIF_NO_CREDENTIALS, /* the camera wants credentials we do not have */
	ONVIF_CERT_CHANGED, /* TLS certificate differs from the pinned one */
	ONVIF_STATUS_COUNT
};

enum onvif_auth {
	ONVIF_AUTH_UNKNOWN =
	    0, /* not yet learned: try WS-Security, then Digest */
	ONVIF_AUTH_NONE, /* the camera answered without credentials */
	ONVIF_AUTH_WSSE, /* WS-Security UsernameToken PasswordDigest */
	ONVIF_AUTH_DIGEST, /* HTTP Digest */
	ONVIF_AUTH_BOTH, /* both (some firmwares want Digest and WSSE) */
};

struct onvif_opts {
	const char *user; /* NULL: no credentials */
	const char *password; /* never logged, never copied out */
	enum onvif_auth auth_hint; /* what worked last time for this camera */
	int connect_timeout_ms;
	int io_timeout_ms; /* per send / per receive */
	int deadline_ms; /* whole identification, all calls */
	bool verify_tls; /* check the camera's certificate */
	const char *cafile; /* with verify_tls; NULL: system store */
	const char *capath; /* with verify_tls: a hashed CA folder */
	const uint8_t *tls_pin; /* SHA-256 the certificate must have */
	size_t max_body; /* bytes; 0: the default (1 MiB) */
	int max_depth; /* XML nesting; 0: the default (64) */
};

struct onvif_result {
	enum onvif_status status;
	char detail[CAM_STR_MAX]; /* fault subcode/reason, errno text */
	int http_code; /* last HTTP status seen, 0: none */
	enum onvif_auth auth; /* what worked */
	bool have_clock;
	long clock_offset_s; /* camera UTC minus our UTC */
	char xaddr[CAM_STR_MAX]; /* the URL actually used */
	bool have_tls; /* tls_sha256 is set */
	uint8_t tls_sha256[32]; /* the certificate's (DER) SHA-256 */
	struct cam_identity id;
	int elapsed_ms;
};

/* Defaults for opts: 5 s connect and I/O, 15 s deadline, no TLS check. */
void onvif_opts_init(struct onvif_opts *);

/*
 * Turn "host", "host:port", "[v6]:port" or a full URL into the device
 * service URL.  Returns 0, or -1 when the target cannot be a camera address.
 */
int onvif_target_url(const char *target, char *url, size_t urlsz);

/*
 * Identify the camera at the device service URL.  Always fills res.
 * Credentials are only ever sent as a WS-Security PasswordDigest or an
 * HTTP Digest answer, never as HTTP Basic: a camera that offers only Basic
 * gets ONVIF_AUTH_FAILED.  One elapsed-time deadline (opts->deadline_ms)
 * bounds everything, TLS handshake included.  With opts->tls_pin, a
 * certificate with another SHA-256 ends the poll before anything is sent
 * (ONVIF_CERT_CHANGED); within one poll every TLS connection must present
 * the certificate of the first.
 */
void onvif_identify(
    const char *url, const struct onvif_opts *, struct onvif_result *res);

const char *onvif_status_name(enum onvif_status);
const char *onvif_auth_name(enum onvif_auth);

/* Process-wide setup and teardown (OpenSSL); call from main before threads. */
void onvif_global_init(void);
void onvif_global_cleanup(void);

#endif
