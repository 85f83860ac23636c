/*
 * fuzz_onvif.c: libFuzzer target for the ONVIF reply path: onvif_identify()
 * against a camera whose every reply is the fuzzer's.
 *
 * The network is replaced through the fuzz-only seam of onvif_io.c
 * (onvif_set_io_seam): fake fopen, fsend, frecv, fclose, fclosesocket,
 * fshutdownsocket and fpoll sit under all of our own hooks, so the body
 * limit, the DTD refusal, the challenge filter, the Basic guard, http_da,
 * WS-Security, the SOAP 1.1 retry, the status mapping and the copying and
 * cleaning of strings all run as against a camera.  No socket, no sleep.
 *
 * Input: one byte of options, then the camera's successive replies (each
 * the bytes of one HTTP response) separated by FUZZ_SEP.  A reply that
 * starts with '!' has an event for its first line, served after the rest:
 *   !refuse    the connection for this request is refused (or, when an
 *              open one is reused, the send fails)
 *   !reset     the rest, then a connection reset
 *   !stall     the rest, then a receive timeout (EAGAIN)
 *   !deadline  the rest, then the poll's deadline passes
 * Options: bits 0-1 the auth hint (unknown, wsse, digest, both), bit 2 no
 * credentials, bit 3 a 4 KiB body limit, bit 4 an XML depth limit of 10,
 * bit 5 the camera closes after every reply, bits 6-7 how many bytes each
 * receive returns (all asked, 1, 7, 61).
 *
 * Checked after each identification: every string of the result is
 * clean (str_clean's promise), counts within their arrays, no fake
 * connection left open, and what was sent never holds the password, an
 * "Authorization: Basic" header, or, without credentials, any credential.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "onvif/onvif_int.h"

#include "fuzz.h"

#define FUZZ_SEP "\n@@@\n"
#define MAX_REPLIES 32
#define SENT_MAX (512 * 1024)
#define USER "fuzzadmin"
#define PASSWORD "Fz-pa55word.9Q"

static struct fake {
	const uint8_t *reply[MAX_REPLIES];
	size_t len[MAX_REPLIES];
	size_t n;
	size_t cur; /* the reply being served; n: past the last */
	size_t pos; /* bytes of it served */
	bool started; /* a request was sent */
	bool receiving; /* a receive since the last send */
	bool peer_closed; /* the served reply ended: the camera closed */
	bool close_each; /* the camera closes after every reply */
	size_t chunk; /* bytes per receive, 0: all asked */
	int open; /* fake connections open */
	int devnull; /* the "socket": harmless for the watchdog to shut */
	char *sent;
	size_t sent_len;
} F;

/* The event line of reply i, or "" for a plain one. */
static const char *
event_of(size_t i, size_t *skip)
{
	static const char *const events[] = {
	    "!refuse", "!reset", "!stall", "!deadline"};
	size_t k, n;

	*skip = 0;
	if (i >= F.n || F.len[i] == 0 || F.reply[i][0] != '!')
		return "";
	for (k = 0; k < sizeof(events) / sizeof(events[0]); k++) {
		n = strlen(events[k]);
		if (F.len[i] >= n && memcmp(F.reply[i], events[k], n) == 0 &&
		    (F.len[i] == n || F.reply[i][n] == '\n')) {
			*skip = F.len[i] > n ? n + 1 : n;
			return events[k];
		}
	}
	return "";
}

/* The reply the next request gets: one per request, in order. */
static size_t
upcoming(void)
{
	size_t i = !F.started ? 0 : F.receiving ? F.cur + 1 : F.cur;

	return i < F.n ? i : F.n;
}

static void
next_reply(void)
{
	size_t skip;

	F.cur = upcoming();
	F.started = true;
	F.receiving = false;
	(void)event_of(F.cur, &skip);
	F.pos = skip;
}

static SOAP_SOCKET
fake_open(struct soap *soap, const char *endpoint, const char *host, int port)
{
	size_t skip;

	(void)endpoint, (void)host, (void)port;
	if (strcmp(event_of(upcoming(), &skip), "!refuse") == 0) {
		next_reply();
		F.receiving = true; /* used up: the next request moves on */
		soap->errnum = ECONNREFUSED;
		soap_set_receiver_error(soap, "Connection refused",
		    "connect failed in tcp_connect()", SOAP_TCP_ERROR);
		return SOAP_INVALID_SOCKET;
	}
	F.open++;
	F.peer_closed = false;
	return F.devnull;
}

static int
fake_send(struct soap *soap, const char *s, size_t n)
{
	size_t skip;

	if (!F.started || F.receiving) {
		next_reply();
		if (strcmp(event_of(F.cur, &skip), "!refuse") == 0) {
			F.receiving = true;
			soap->errnum = EPIPE;
			return SOAP_EOF;
		}
	}
	if (F.sent_len + n <= SENT_MAX) {
		memcpy(F.sent + F.sent_len, s, n);
		F.sent_len += n;
	}
	return SOAP_OK;
}

static void
end_event(struct soap *soap, const char *ev)
{
	struct poll_ctx *pc = soap->user;

	F.peer_closed = true;
	if (strcmp(ev, "!reset") == 0)
		soap->errnum = ECONNRESET;
	else if (strcmp(ev, "!stall") == 0)
		soap->errnum = EAGAIN;
	else if (strcmp(ev, "!deadline") == 0)
		pc->deadline = wd_now_ms() - 1; /* the seam's own clock */
}

static size_t
fake_recv(struct soap *soap, char *buf, size_t len)
{
	const char *ev;
	size_t skip, left;

	soap->errnum = 0;
	F.receiving = true;
	if (!F.started || F.cur >= F.n) {
		F.peer_closed = true;
		return 0;
	}
	ev = event_of(F.cur, &skip);
	left = F.len[F.cur] - F.pos;
	if (left == 0 || strcmp(ev, "!refuse") == 0) {
		end_event(soap, ev);
		return 0;
	}
	if (F.chunk != 0 && len > F.chunk)
		len = F.chunk;
	if (len > left)
		len = left;
	memcpy(buf, F.reply[F.cur] + F.pos, len);
	F.pos += len;
	return len;
}

static int
fake_closesocket(struct soap *soap, SOAP_SOCKET s)
{
	(void)soap;
	FUZZ_CHECK(s == F.devnull && F.open > 0);
	F.open--;
	return SOAP_OK;
}

/* gSOAP's tcp_disconnect, less TLS: close through the hook chain. */
static int
fake_close(struct soap *soap)
{
	if (soap_valid_socket(soap->socket)) {
		soap->fclosesocket(soap, soap->socket);
		soap->socket = SOAP_INVALID_SOCKET;
	}
	return SOAP_OK;
}

static int
fake_shutdown(struct soap *soap, SOAP_SOCKET s, int how)
{
	(void)soap, (void)s, (void)how;
	return SOAP_OK;
}

/* Is a kept-alive connection still up?  Only while the camera keeps it. */
static int
fake_poll(struct soap *soap)
{
	(void)soap;
	return F.open > 0 && !F.peer_closed && !F.close_each ? SOAP_OK
							     : SOAP_EOF;
}

static void
seam(struct soap *soap)
{
	soap->fopen = fake_open;
	soap->fsend = fake_send;
	soap->frecv = fake_recv;
	soap->fclose = fake_close;
	soap->fclosesocket = fake_closesocket;
	soap->fshutdownsocket = fake_shutdown;
	soap->fpoll = fake_poll;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	onvif_global_init();
	onvif_set_io_seam(seam);
	F.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	F.sent = malloc(SENT_MAX);
	if (F.devnull < 0 || F.sent == NULL)
		abort();
	return 0;
}

static void
split_replies(const uint8_t *p, size_t n)
{
	const size_t sl = strlen(FUZZ_SEP);
	const uint8_t *sep;

	F.n = 0;
	while (F.n < MAX_REPLIES) {
		sep = memmem(p, n, FUZZ_SEP, sl);
		F.reply[F.n] = p;
		F.len[F.n++] = sep != NULL ? (size_t)(sep - p) : n;
		if (sep == NULL)
			break;
		n -= (size_t)(sep - p) + sl;
		p = sep + sl;
	}
}

static void
check_identity(const struct cam_identity *id)
{
	size_t i, j;

	fuzz_check_str(id->manufacturer, sizeof(id->manufacturer), true);
	fuzz_check_str(id->model, sizeof(id->model), true);
	fuzz_check_str(id->firmware, sizeof(id->firmware), true);
	fuzz_check_str(id->serial, sizeof(id->serial), true);
	fuzz_check_str(id->hardware_id, sizeof(id->hardware_id), true);
	fuzz_check_str(id->hostname, sizeof(id->hostname), true);
	FUZZ_CHECK(id->endpoint[0] == '\0'); /* a poll never learns one */
	fuzz_check_str(id->address, sizeof(id->address), true);
	FUZZ_CHECK(id->n_macs <= CAM_MACS_MAX);
	FUZZ_CHECK(id->n_scopes <= CAM_SCOPES_MAX);
	for (i = 0; i < id->n_scopes; i++) {
		fuzz_check_str(id->scopes[i], sizeof(id->scopes[i]), true);
		FUZZ_CHECK(id->scopes[i][0] != '\0');
	}
	for (i = 0; i < id->n_macs; i++)
		for (j = i + 1; j < id->n_macs; j++)
			FUZZ_CHECK(memcmp(id->macs[i], id->macs[j], 6) != 0);
}

/* What left this "host" never carries a recoverable password. */
static void
check_sent(const struct onvif_opts *o, const uint8_t *data, size_t size)
{
	static const char hdr[] = "authorization:";
	size_t i, k = strlen(hdr);

	/* No header line asks for Basic.  A realm or nonce echoed inside a
	 * Digest header may hold any text, "Authorization: Basic" too: only
	 * a line's start counts (and no CR or LF from the camera may start
	 * one, which the line check proves as well). */
	for (i = 0; i + k <= F.sent_len; i++) {
		size_t j = i + k;

		if ((i > 0 && F.sent[i - 1] != '\n') ||
		    strncasecmp(F.sent + i, hdr, k) != 0)
			continue;
		while (
		    j < F.sent_len && (F.sent[j] == ' ' || F.sent[j] == '\t'))
			j++;
		FUZZ_CHECK(j + 5 > F.sent_len ||
		    strncasecmp(F.sent + j, "basic", 5) != 0);
	}
	/* A realm or nonce the camera sent comes back: only then allowed. */
	if (memmem(data, size, PASSWORD, strlen(PASSWORD)) == NULL)
		FUZZ_CHECK(memmem(F.sent, F.sent_len, PASSWORD,
			       strlen(PASSWORD)) == NULL);
	if (o->user == NULL) {
		FUZZ_CHECK(
		    memmem(F.sent, F.sent_len, "UsernameToken", 13) == NULL);
		FUZZ_CHECK(
		    memmem(F.sent, F.sent_len, "Authorization:", 14) == NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = {0, 1, 7, 61};
	static const enum onvif_auth hints[] = {ONVIF_AUTH_UNKNOWN,
	    ONVIF_AUTH_WSSE, ONVIF_AUTH_DIGEST, ONVIF_AUTH_BOTH};
	struct onvif_result res;
	struct onvif_opts o;
	uint8_t flags;

	if (size < 1)
		return 0;
	flags = data[0];
	memset(&F.reply, 0, sizeof(F.reply));
	split_replies(data + 1, size - 1);
	F.cur = F.pos = 0;
	F.started = F.receiving = F.peer_closed = false;
	F.close_each = flags & 0x20;
	F.chunk = chunks[flags >> 6];
	F.open = 0;
	F.sent_len = 0;

	onvif_opts_init(&o);
	o.auth_hint = hints[flags & 3];
	if (!(flags & 4)) {
		o.user = USER;
		o.password = PASSWORD;
	}
	if (flags & 8)
		o.max_body = 4096;
	if (flags & 0x10)
		o.max_depth = 10;
	/* Nothing here blocks: the deadline passes only when a reply says. */
	o.deadline_ms = 60000;
	onvif_identify("http://192.0.2.7/onvif/device_service", &o, &res);

	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr,
		    "%zu replies: %s (%s) http %d auth %s: %s / %s\n", F.n,
		    onvif_status_name(res.status), res.detail, res.http_code,
		    onvif_auth_name(res.auth), res.id.manufacturer,
		    res.id.model);
	FUZZ_CHECK(F.open == 0);
	FUZZ_CHECK((unsigned)res.status < ONVIF_STATUS_COUNT);
	FUZZ_CHECK((unsigned)res.auth <= ONVIF_AUTH_BOTH);
	fuzz_check_str(res.detail, sizeof(res.detail), true);
	fuzz_check_str(res.xaddr, sizeof(res.xaddr), true);
	FUZZ_CHECK(!res.have_tls);
	check_identity(&res.id);
	check_sent(&o, data, size);
	return 0;
}
