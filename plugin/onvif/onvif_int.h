/*
 * onvif_int.h: the per-poll state that onvif.c (the call ladder) and
 * onvif_io.c (the gSOAP transport hooks) share.  Only those two files
 * include it (and, in fuzz builds, tests/fuzz/fuzz_onvif.c); both run on
 * the thread that called onvif_identify().
 */
#ifndef CAMCOMPLY_ONVIF_INT_H
#define CAMCOMPLY_ONVIF_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "soapH.h"
#include "httpda.h"

#include "onvif/onvif.h"
#include "common/watchdog.h"

#define ONVIF_DEFAULT_MAX_BODY (1024 * 1024)
#define ONVIF_DEFAULT_MAX_DEPTH 64

/* What the WWW-Authenticate headers of the last reply offered. */
#define OFFER_BASIC 0x1
#define OFFER_DIGEST 0x2
#define OFFER_OTHER 0x4

/* Per-poll state reached from the gSOAP callbacks through soap->user. */
struct poll_ctx {
	const struct onvif_opts *opts;
	long long deadline; /* monotonic ms */
	struct wd_slot wd; /* shuts the socket at the deadline */
	size_t max_body;
	size_t msg_bytes; /* bytes of the reply being read */
	bool deadline_hit;
	bool too_big;
	bool dtd; /* the reply carries a DTD: refused */
	char tail[8]; /* the end of the last chunk, for split markers */
	size_t tail_len;
	bool tried_soap11;
	unsigned offered; /* OFFER_* of the last reply */
	bool basic_dropped; /* an Authorization: Basic was kept from leaving */
	/* TLS: the first certificate of this poll; every later one must match
	 */
	bool have_fp;
	uint8_t fp[32];
	bool cert_changed;
	uint8_t bad_fp[32]; /* what was presented instead */
	/* gSOAP's own callbacks, which ours wrap */
	size_t (*orig_frecv)(struct soap *, char *, size_t);
	SOAP_SOCKET(*orig_fopen)
	(struct soap *, const char *, const char *, int);
	int (*orig_fclosesocket)(struct soap *, SOAP_SOCKET);
	int (*orig_fposthdr)(struct soap *, const char *, const char *);
	int (*orig_fparsehdr)(struct soap *, const char *, const char *);
	int (*orig_fprepareinitsend)(struct soap *);
	int (*orig_fparse)(struct soap *);
	int (*orig_fsslauth)(struct soap *);
	char peer[CAM_ADDR_MAX];
	/* Auth state learned during this poll. */
	enum onvif_auth auth;
	bool digest_saved;
	struct http_da_info da;
	long offset; /* camera minus us, seconds */
};

/* onvif_io.c */
/* Free the TLS contexts kept for the next polls (at a module's unload). */
void io_global_cleanup(void);
/*
 * A gSOAP context for url with every hook installed: body and depth
 * limits, the deadline watchdog, the Basic guard, the challenge filter
 * and, for https, TLS as opts say.  NULL with err set on failure.
 */
struct soap *io_new_context(
    const char *url, struct poll_ctx *, char *err, size_t errsz);
/* Wipe what gSOAP and http_da hold of the credentials, then free. */
void io_free_context(struct soap *, struct poll_ctx *);
/* Milliseconds left before the deadline (0: none). */
int io_ms_left(const struct poll_ctx *);
/* True once the deadline passed (the watchdog fired or time is up). */
bool io_expired(struct poll_ctx *);
/* Before each call: per-reply state back to empty. */
void io_reply_start(struct poll_ctx *);
/* The last 401 carried a Digest challenge http_da can answer. */
bool io_digest_usable(struct soap *, const struct poll_ctx *);

#ifdef CAMCOMPLY_FUZZ
/*
 * Fuzz builds only (configure --enable-fuzzers): seam(soap) runs on every
 * new context before any hook of ours is installed, so the fakes it puts
 * in soap->fopen, fsend, frecv, fclose, fclosesocket, fshutdownsocket and
 * fpoll replace the network under all of them (tests/fuzz/fuzz_onvif.c).
 * NULL: gSOAP's own.
 */
void onvif_set_io_seam(void (*seam)(struct soap *));
#endif

/* onvif_status.c */
void status_set(
    struct onvif_result *, enum onvif_status, const char *op, const char *msg);
/* Map soap->error after a failed call into res. */
void status_from_error(
    struct soap *, struct poll_ctx *, struct onvif_result *, const char *op);
/* ter:NotAuthorized or a WS-Security fault subcode. */
bool status_is_auth_subcode(const char *sub);

#endif
