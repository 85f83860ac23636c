/*
 * fuzz_unauth.c: libFuzzer target for the HTTP and RTSP replies the
 * collectors without credentials read (onvif/unauth_parse.c, and
 * ux_read_reply() of unauth_conn.c).
 *
 * The input is an options byte (bit 0: RTSP, else HTTP; bit 1: HTTPS;
 * bit 2: a reply read to the end of stream; bits 3-7: the reply cap, 0
 * for the default 64 KiB, else 16 + 128 * n bytes), two 16-bit cut
 * points, then the camera's bytes.  They go through the pure parsers (the
 * head, Content-Length, chunks, realms and their MACs, the page title,
 * Dahua's RPC2 challenge, the facts of a head) and through ux_read_reply()
 * on a SOCK_SEQPACKET socket pair, the bytes sent in up to three packets
 * cut where the input says, as a camera's would arrive in pieces.
 * Checked beyond the sanitizers: a head parsed from a prefix of the bytes
 * is the head parsed from all of them, or still incomplete; a refused
 * prefix stays refused; header names and values lie within the head;
 * a chunk scan resumed as bytes arrive ends as one over all of them; a
 * dechunked body is no longer than the chunks; a reply read lies within
 * the cap and ends in a NUL, its head is the pure parser's when no interim
 * head came first, and its body is as long as Content-Length says when
 * all of it came; what is added keeps fuzz_check_identity()'s invariants.
 */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "onvif/unauth_int.h"

#include "fuzz.h"

#define UX_FUZZ_MAX 65536

static struct cam_identity id;
static char body_copy[UX_FUZZ_MAX];
static struct unauth_opts opts;
static struct unauth_result res;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	unauth_opts_init(&opts);
	opts.io_timeout_ms = 2000;
	return 0;
}

static void
check_header_bounds(const char *buf, const struct ux_head *h)
{
	size_t i;

	FUZZ_CHECK(h->code >= 100 && h->code <= 999);
	FUZZ_CHECK(h->n <= UX_MAX_HEADERS);
	for (i = 0; i < h->n; i++) {
		const struct ux_header *x = &h->h[i];
		FUZZ_CHECK(x->name_len > 0);
		FUZZ_CHECK(
		    x->name >= buf && x->name + x->name_len <= buf + h->len);
		FUZZ_CHECK(
		    x->value >= buf && x->value + x->value_len <= buf + h->len);
	}
}

/* A prefix of k bytes: incomplete, refused only if all are, or the same. */
static void
check_prefix(const char *buf, size_t k, const char *proto, int r,
    const struct ux_head *h)
{
	static struct ux_head hp;
	int rp = ux_parse_head(buf, k, proto, &hp);

	FUZZ_CHECK(rp >= -1 && rp <= 1);
	if (rp == -1)
		FUZZ_CHECK(r == -1);
	if (rp == 1) {
		FUZZ_CHECK(r == 1 && hp.len == h->len && hp.code == h->code &&
		    hp.n == h->n);
		FUZZ_CHECK(memcmp(hp.h, h->h, h->n * sizeof(h->h[0])) == 0);
	}
	if (r == 1 && k < h->len)
		FUZZ_CHECK(rp == 0);
}

/* Every realm of every challenge; their MACs. */
static void
check_realms(const struct ux_head *h)
{
	const struct ux_header *x;
	char realm[CAM_FACT_MAX];
	uint8_t mac[6];
	size_t from = 0, pos, last, rounds;

	while ((x = ux_header_next(h, "WWW-Authenticate", &from)) != NULL) {
		pos = 0;
		for (rounds = 0;; rounds++) {
			FUZZ_CHECK(rounds <= x->value_len);
			last = pos;
			memset(realm, 0x5a, sizeof(realm));
			if (ux_next_realm(x->value, x->value_len, &pos, realm,
				sizeof(realm)) != 1)
				break;
			FUZZ_CHECK(pos > last && pos <= x->value_len);
			fuzz_check_str(realm, sizeof(realm), false);
			(void)ux_realm_mac(realm, mac);
		}
		FUZZ_CHECK(pos == x->value_len);
	}
}

/* A chunked body scanned as its bytes arrive (cut at k) and at once. */
static void
check_chunks(const char *b, size_t blen, size_t k)
{
	size_t next = 0, next_all = 0, out;
	int r_all = ux_chunk_scan(b, blen, &next_all), r;

	FUZZ_CHECK(r_all >= -1 && r_all <= 1 && next_all <= blen);
	if (k > blen)
		k = blen;
	r = ux_chunk_scan(b, k, &next);
	FUZZ_CHECK(next <= k);
	if (r == 0)
		r = ux_chunk_scan(b, blen, &next);
	FUZZ_CHECK(r == r_all && next == next_all);
	memcpy(body_copy, b, blen);
	out = ux_dechunk(body_copy, blen);
	FUZZ_CHECK(out <= blen);
}

static void
check_body(const char *b, size_t blen, enum cam_probe p, size_t cut)
{
	char title[CAM_FACT_MAX];

	memset(title, 0x5a, sizeof(title));
	if (ux_html_title(b, blen, title, sizeof(title)) == 0) {
		fuzz_check_str(title, sizeof(title), false);
		ux_fact(&id, FACT_HTTP_TITLE, p, title);
	}
	(void)ux_rpc2_facts(b, blen, p, &id);
	check_chunks(b, blen, cut);
}

/* The pure parsers; the head's length, or 0 if it is not complete. */
static size_t
parse_pure(const char *buf, size_t len, uint8_t opt, size_t cut1, size_t cut2,
    struct ux_head *h)
{
	bool rtsp = opt & 1;
	const char *proto = rtsp ? "RTSP" : "HTTP";
	enum cam_probe p = rtsp ? PROBE_RTSP
	    : opt & 2		? PROBE_HTTPS
				: PROBE_HTTP;
	int r = ux_parse_head(buf, len, proto, h);
	long cl;

	FUZZ_CHECK(r >= -1 && r <= 1);
	check_prefix(buf, cut1 % (len + 1), proto, r, h);
	check_prefix(buf, cut2 % (len + 1), proto, r, h);
	if (r != 1)
		return 0;
	FUZZ_CHECK(h->len > 0 && h->len <= len);
	check_header_bounds(buf, h);
	check_prefix(buf, h->len - 1, proto, r, h);
	cl = ux_content_length(h);
	FUZZ_CHECK(cl >= -1 && cl <= 0x7fffffffL);
	(void)ux_is_chunked(h);
	check_realms(h);
	ux_head_facts(h, p, rtsp, &id);
	if (!rtsp)
		check_body(buf + h->len, len - h->len, p, cut1);
	fuzz_check_identity(&id);
	return h->len;
}

/* Send the bytes in up to three packets, cut at cut1 and cut2. */
static int
feed(const char *buf, size_t len, size_t cut1, size_t cut2)
{
	size_t cuts[4] = {0, cut1 % (len + 1), cut2 % (len + 1), len}, t;
	int sv[2], i;

	if (cuts[1] > cuts[2])
		t = cuts[1], cuts[1] = cuts[2], cuts[2] = t;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	for (i = 0; i < 3; i++)
		if (cuts[i + 1] > cuts[i] &&
		    send(sv[1], buf + cuts[i], cuts[i + 1] - cuts[i], 0) < 0)
			abort();
	close(sv[1]); /* then the end of stream */
	return sv[0];
}

/*
 * ux_read_reply() as a collector calls it.  pure_len: the head's length
 * as the pure parser saw all the bytes (0: incomplete or refused).
 */
static void
read_reply(const char *buf, size_t len, uint8_t opt, size_t cut1, size_t cut2,
    const struct ux_head *pure, size_t pure_len)
{
	static struct ux_ctx c;
	struct ux_conn cn = {.fd = -1};
	struct ux_reply rep;
	enum unauth_status st;
	size_t max = opt >> 3 ? 16 + 128 * (size_t)(opt >> 3) : 65536;
	long cl;

	memset(&c, 0, sizeof(c));
	c.o = &opts;
	c.id = &id;
	c.res = &res;
	c.t0 = wd_now_ms();
	c.deadline = c.t0 + 10000;
	c.max_reply = max;
	if ((c.buf = malloc(max + 1)) == NULL)
		abort();
	cn.fd = feed(buf, len, cut1, cut2);
	st = ux_read_reply(&c, &cn, opt & 1 ? "RTSP" : "HTTP", opt & 4, &rep);
	close(cn.fd);
	FUZZ_CHECK(st > UNAUTH_NOT_TRIED && st < UNAUTH_STATUS_COUNT);
	if (st == UNAUTH_OK) {
		FUZZ_CHECK(rep.head.code >= 200);
		FUZZ_CHECK(rep.body == c.buf + rep.head.len);
		FUZZ_CHECK(rep.head.len + rep.body_len <= max);
		FUZZ_CHECK(rep.body[rep.body_len] == '\0');
		check_header_bounds(c.buf, &rep.head);
	}
	/* No interim head, and all of it under the cap: as parsed. */
	if (pure_len > 0 && pure->code >= 200 && len <= max) {
		FUZZ_CHECK(st == UNAUTH_OK && rep.head.len == pure_len &&
		    rep.head.code == pure->code && rep.head.n == pure->n);
		cl = ux_content_length(pure);
		if (cl >= 0 && !ux_is_chunked(pure) && pure->code != 204 &&
		    pure->code != 304)
			FUZZ_CHECK(rep.body_len ==
			    ((size_t)cl < len - pure_len ? (size_t)cl
							 : len - pure_len));
	}
	free(c.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ux_head h;
	struct fuzz_in in = {data, size};
	uint8_t opt = fin_u8(&in);
	size_t cut1 = fin_u16(&in), cut2 = fin_u16(&in), hlen;

	if (in.n > UX_FUZZ_MAX)
		return 0;
	memset(&id, 0, sizeof(id));
	hlen = parse_pure((const char *)in.p, in.n, opt, cut1, cut2, &h);
	read_reply((const char *)in.p, in.n, opt, cut1, cut2, &h, hlen);
	return 0;
}
