/*
 * check_unauth_probe.c: unauth_probe() against real sockets on loopback:
 * camera surfaces (check_unauth_srv.c) that answer, stay silent, are
 * closed, drip, or answer with hostile replies.  Besides the facts and
 * statuses, every test reads what the surfaces captured: the collectors
 * send only the SADP inquiry, only DHDiscover.search, no Authorization
 * header, no Basic, no password but the empty one of the RPC2_Login first
 * step, and no second step.  Deadlines are asserted in elapsed time.
 * The private ports' collector connects and closes: those surfaces must
 * capture nothing at all.  Addresses 127.0.0.135-138 and 141-151,
 * ephemeral ports.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "check_unauth_srv.h"
#include "onvif/unauth.h"
#include "common/strutil.h"
#include "common/watchdog.h"

#define ALL_PROBES                                                             \
	(CAM_PROBE(PROBE_SADP) | CAM_PROBE(PROBE_DHIP) |                       \
	    CAM_PROBE(PROBE_HTTP) | CAM_PROBE(PROBE_HTTPS) |                   \
	    CAM_PROBE(PROBE_RTSP) | CAM_PROBE(PROBE_TLS) |                     \
	    CAM_PROBE(PROBE_PORTS))

/* Large: off the stack. */
static struct srv srv;
static struct cam_identity id;
static struct unauth_result res;
static struct unauth_opts opts;
static const char *const markers[] = {SRV_MARKER, "not-on-any-page"};

static void
setup(const char *addr, enum behave all)
{
	memset(&srv, 0, sizeof(srv));
	memset(&id, 0, sizeof(id));
	for (int i = 0; i < S_COUNT; i++)
		srv.behave[i] = all;
	(void)addr;
}

static void
run(const char *addr, int conn_ms, int io_ms, int deadline_ms)
{
	srv_start(&srv, addr);
	unauth_opts_init(&opts);
	opts.sadp_port = srv.s[S_SADP].port;
	opts.dhip_port = srv.s[S_DHIP].port;
	opts.http_port = srv.s[S_HTTP].port;
	opts.https_port = srv.s[S_HTTPS].port;
	opts.rtsp_port = srv.s[S_RTSP].port;
	opts.private_ports[0] = (uint16_t)srv.s[S_PORTS].port;
	opts.n_private_ports = 1;
	opts.connect_timeout_ms = conn_ms;
	opts.io_timeout_ms = io_ms;
	opts.deadline_ms = deadline_ms;
	opts.markers = markers;
	opts.n_markers = 2;
}

static void
probe(const char *addr)
{
	unauth_probe(addr, &opts, &id, &res);
	srv_stop(&srv);
}

static bool
has_fact(enum cam_fact_kind k, const char *text)
{
	for (size_t i = 0; i < id.facts.n; i++)
		if (id.facts.f[i].kind == k &&
		    strcmp(id.facts.f[i].text, text) == 0)
			return true;
	return false;
}

static const char *
fact_with(enum cam_fact_kind k, const char *part)
{
	for (size_t i = 0; i < id.facts.n; i++)
		if (id.facts.f[i].kind == k &&
		    strstr(id.facts.f[i].text, part) != NULL)
			return id.facts.f[i].text;
	return NULL;
}

static bool
has_mac(const char *want)
{
	char buf[18];

	for (size_t i = 0; i < id.n_macs; i++)
		if (strcmp(str_format_mac(id.macs[i], buf, sizeof(buf)),
			want) == 0)
			return true;
	return false;
}

static void
assert_status(enum cam_probe p, enum unauth_status want)
{
	ck_assert_msg(res.status[p] == want, "%s: %s, want %s",
	    cam_probe_name(p), unauth_status_name(res.status[p]),
	    unauth_status_name(want));
}

/* Occurrences of needle in a capture, case-insensitively. */
static size_t
count_ci(const struct surf *f, const char *needle)
{
	size_t k = strlen(needle), n = 0;

	for (size_t i = 0; k <= f->cap_len && i <= f->cap_len - k; i++)
		if (strncasecmp(f->cap + i, needle, k) == 0)
			n++;
	return n;
}

/* ---- the rule: never a credential ---------------------------------------- */

/* The request lines of an HTTP capture, in order, joined by '|'. */
static void
request_lines(const struct surf *f, char *out, size_t outsz)
{
	const char *p = f->cap, *end = f->cap + f->cap_len, *nl;

	out[0] = '\0';
	while (p < end && (nl = memmem(p, (size_t)(end - p), "\r\n", 2))) {
		size_t n = (size_t)(nl - p);
		if (n > 9 && memcmp(nl - 9, " HTTP/1.1", 9) == 0)
			snprintf(out + strlen(out), outsz - strlen(out),
			    "%s%.*s", out[0] ? "|" : "", (int)(n - 9), p);
		p = nl + 2;
	}
}

static void
assert_http_clean(const struct surf *f)
{
	char lines[2048];

	ck_assert_uint_eq(count_ci(f, "Authorization"), 0);
	/* The scheme (paths such as DeviceBasicInfo hold the word). */
	ck_assert_uint_eq(count_ci(f, "Basic "), 0);
	/* One password field, the empty one of the RPC2 first step. */
	ck_assert_uint_eq(count_ci(f, "password"), 1);
	ck_assert_uint_eq(count_ci(f, "\"password\":\"\""), 1);
	ck_assert_uint_eq(count_ci(f, "global.login"), 1);
	request_lines(f, lines, sizeof(lines));
	ck_assert_str_eq(lines,
	    "GET /|GET /ISAPI/System/deviceInfo|"
	    "GET /cgi-bin/magicBox.cgi?action=getSystemInfo|"
	    "GET /LAPI/V1.0/System/DeviceBasicInfo|"
	    "GET /axis-cgi/basicdeviceinfo.cgi|"
	    "GET /stw-cgi/system.cgi?msubmenu=deviceinfo&action=view|"
	    "POST /RPC2_Login");
}

static void
assert_udp_clean(void)
{
	const struct surf *s = &srv.s[S_SADP], *d = &srv.s[S_DHIP];
	char uuid[64], want[512];
	uint8_t search[256];
	int n;

	/* One datagram each: the inquiry with a fresh upper-case Uuid, and
	 * the search frame, byte for byte. */
	ck_assert_uint_eq(s->msgs, 1);
	ck_assert_int_eq(
	    sscanf(strstr(s->cap, "<Uuid>") + 6, "%63[^<]", uuid), 1);
	ck_assert_uint_eq(strspn(uuid, "0123456789ABCDEF-"), 36);
	n = sadp_build_inquiry(uuid, want, sizeof(want));
	ck_assert_uint_eq(s->cap_len, (size_t)n);
	ck_assert_int_eq(memcmp(s->cap, want, (size_t)n), 0);
	ck_assert_uint_eq(count_ci(s, "<Types>"), 1);
	ck_assert_uint_eq(count_ci(s, "<Types>inquiry</Types>"), 1);
	ck_assert_uint_eq(d->msgs, 1);
	n = dhip_build_search(search, sizeof(search));
	ck_assert_uint_eq(d->cap_len, (size_t)n);
	ck_assert_int_eq(memcmp(d->cap, search, (size_t)n), 0);
}

START_TEST(camera_answers)
{
	const char *addr = "127.0.0.141";
	const struct surf *r = &srv.s[S_RTSP];
	char want[256];

	setup(addr, B_ANSWER);
	srv.spoof_from = "127.0.0.151";
	run(addr, 1000, 1000, 5000);
	probe(addr);
	for (int p = PROBE_SADP; p < PROBE_COUNT; p++)
		assert_status((enum cam_probe)p, UNAUTH_OK);
	ck_assert_uint_eq(id.facts.tried, ALL_PROBES);
	ck_assert_uint_eq(id.facts.answered, ALL_PROBES);
	ck_assert_uint_ge(res.spoofed, 2);
	ck_assert_int_lt(res.elapsed_ms, 5000);
	/* SADP and DHIP. */
	ck_assert(has_fact(FACT_PROTOCOL, "sadp"));
	ck_assert(has_fact(FACT_PROTOCOL, "dhip"));
	ck_assert(has_fact(FACT_MODEL, SRV_SADP_MODEL));
	ck_assert(has_fact(FACT_MODEL, SRV_DHIP_MODEL));
	ck_assert(has_fact(FACT_SERIAL, SRV_SADP_SERIAL));
	ck_assert(has_fact(FACT_PRIVATE_PORT, "37777"));
	/* HTTP and HTTPS. */
	ck_assert(has_fact(FACT_HTTP_TITLE, "WEB SERVICE"));
	ck_assert(has_fact(FACT_HTTP_MARKER, SRV_MARKER));
	ck_assert(!has_fact(FACT_HTTP_MARKER, "not-on-any-page"));
	ck_assert(has_fact(FACT_HTTP_STYLE, "upper-case-headers"));
	ck_assert(has_fact(FACT_HTTP_STYLE, "no-server"));
	ck_assert(has_fact(FACT_HTTP_SERVER, "App-webs/"));
	ck_assert(has_fact(FACT_HTTP_REALM, "IP Camera(C2183)"));
	ck_assert(has_fact(FACT_HTTP_REALM, "Login to " SRV_RPC2_SERIAL));
	ck_assert(has_fact(FACT_PROTOCOL, "rpc2"));
	ck_assert(has_fact(FACT_SERIAL, SRV_RPC2_SERIAL));
	/* RTSP and TLS. */
	ck_assert(has_fact(FACT_RTSP_DATE, "Thu, May 14 2020 16:45:35 GMT"));
	ck_assert(has_fact(FACT_RTSP_REALM, "c4790503a344"));
	ck_assert_ptr_nonnull(fact_with(FACT_RTSP_PUBLIC, "DESCRIBE"));
	ck_assert_ptr_nonnull(fact_with(FACT_TLS_SUBJECT, "O=HIKVISION"));
	ck_assert_ptr_nonnull(
	    fact_with(FACT_TLS_ISSUER, "CN=www.hikvision.com"));
	/* Every MAC volunteered. */
	ck_assert(has_mac("44:19:b6:3a:5c:71"));
	ck_assert(has_mac("3c:ef:8c:12:34:56"));
	ck_assert(has_mac("3c:ef:8c:61:01:c0"));
	ck_assert(has_mac("00:09:18:12:34:56"));
	ck_assert(has_mac("c4:79:05:03:a3:44"));
	ck_assert_str_eq(id.address, addr);
	/* What was sent. */
	assert_udp_clean();
	assert_http_clean(&srv.s[S_HTTP]);
	assert_http_clean(&srv.s[S_HTTPS]);
	ck_assert_uint_eq(count_ci(r, "Authorization"), 0);
	snprintf(want, sizeof(want),
	    "OPTIONS rtsp://%s:%d/ RTSP/1.0\r\nCSeq: 1\r\n", addr, r->port);
	ck_assert_int_eq(strncmp(r->cap, want, strlen(want)), 0);
	snprintf(want, sizeof(want),
	    "DESCRIBE rtsp://%s:%d/ RTSP/1.0\r\nCSeq: 2\r\n", addr, r->port);
	ck_assert_ptr_nonnull(strstr(r->cap, want));
	ck_assert_uint_eq(count_ci(r, "RTSP/1.0\r\n"), 2);
}
END_TEST

START_TEST(adopted_identity)
{
	const char *addr = "127.0.0.142";

	setup(addr, B_ANSWER);
	srv.behave[S_DHIP] = B_OFF;
	run(addr, 1000, 1000, 5000);
	probe(addr);
	strcpy(id.firmware, "from ONVIF");
	unauth_adopt_facts(&id);
	ck_assert_str_eq(id.model, SRV_SADP_MODEL);
	/* SADP's serial before the RPC2 realm's. */
	ck_assert_str_eq(id.serial, SRV_SADP_SERIAL);
	ck_assert_str_eq(id.firmware, "from ONVIF");
	assert_status(PROBE_DHIP, UNAUTH_REFUSED);
}
END_TEST

/*
 * A host that answers SADP and DHIP both: the identity is SADP's whichever
 * reply came first (the replies are read as they arrive; under load
 * DHIP's came first and check_unauth_scan saw DHIP's model).
 */
START_TEST(adopted_identity_not_by_arrival)
{
	memset(&id, 0, sizeof(id));
	cam_fact_add(&id.facts, FACT_MODEL, PROBE_DHIP, SRV_DHIP_MODEL,
	    strlen(SRV_DHIP_MODEL));
	cam_fact_add(&id.facts, FACT_MODEL, PROBE_SADP, SRV_SADP_MODEL,
	    strlen(SRV_SADP_MODEL));
	unauth_adopt_facts(&id);
	ck_assert_str_eq(id.model, SRV_SADP_MODEL);
}
END_TEST

/* ---- silence, refusal, drip ---------------------------------------------- */

START_TEST(silent_host_ends_by_the_deadline)
{
	const char *addr = "127.0.0.143";
	long long t0;

	setup(addr, B_SILENT);
	run(addr, 500, 500, 2000);
	t0 = wd_now_ms();
	probe(addr);
	for (int p = PROBE_SADP; p < PROBE_COUNT; p++)
		if (p != PROBE_PORTS)
			assert_status((enum cam_probe)p, UNAUTH_SILENT);
	/* A private port says nothing anyway: that it accepted is all. */
	assert_status(PROBE_PORTS, UNAUTH_OK);
	ck_assert_uint_eq(id.facts.answered, CAM_PROBE(PROBE_PORTS));
	ck_assert_uint_eq(id.facts.tried, ALL_PROBES);
	ck_assert_uint_eq(id.facts.n, 1);
	ck_assert_int_le(res.elapsed_ms, 2300);
	ck_assert_int_le((int)(wd_now_ms() - t0), 2600);
	/* Silent or not, what went out is the same. */
	assert_udp_clean();
	ck_assert_uint_eq(count_ci(&srv.s[S_HTTP], "Authorization"), 0);
}
END_TEST

START_TEST(closed_host_refused_at_once)
{
	const char *addr = "127.0.0.144";

	setup(addr, B_OFF);
	run(addr, 1000, 1000, 3000);
	probe(addr);
	for (int p = PROBE_SADP; p < PROBE_COUNT; p++)
		assert_status((enum cam_probe)p, UNAUTH_REFUSED);
	ck_assert_uint_eq(id.facts.answered, 0);
	/* ICMP port unreachable: no UDP wait either. */
	ck_assert_int_lt(res.elapsed_ms, 500);
}
END_TEST

START_TEST(header_drip_cut_at_the_deadline)
{
	const char *addr = "127.0.0.145";

	setup(addr, B_OFF);
	srv.behave[S_HTTP] = B_DRIP;
	run(addr, 1000, 1000, 1500);
	opts.probes = CAM_PROBE(PROBE_HTTP);
	probe(addr);
	/* A byte every 100 ms never trips the 1 s idle timeout: only the
	 * deadline ends the head. */
	assert_status(PROBE_HTTP, UNAUTH_MALFORMED);
	ck_assert_int_ge(res.elapsed_ms, 1400);
	ck_assert_int_le(res.elapsed_ms, 1800);
	assert_status(PROBE_SADP, UNAUTH_NOT_TRIED);
	ck_assert_uint_eq(srv.s[S_SADP].msgs, 0);
}
END_TEST

START_TEST(tls_drip_cut_at_the_deadline)
{
	const char *addr = "127.0.0.146";

	setup(addr, B_OFF);
	srv.behave[S_HTTPS] = B_DRIP;
	run(addr, 1000, 1000, 1500);
	opts.probes = CAM_PROBE(PROBE_HTTPS) | CAM_PROBE(PROBE_TLS);
	probe(addr);
	/* Mid-handshake: the watchdog shuts the socket. */
	assert_status(PROBE_HTTPS, UNAUTH_SILENT);
	assert_status(PROBE_TLS, UNAUTH_SILENT);
	ck_assert_int_ge(res.elapsed_ms, 1400);
	ck_assert_int_le(res.elapsed_ms, 1800);
	ck_assert_uint_eq(
	    id.facts.tried, CAM_PROBE(PROBE_HTTPS) | CAM_PROBE(PROBE_TLS));
}
END_TEST

/* ---- hostile replies ----------------------------------------------------- */

START_TEST(hostile_replies)
{
	const char *addr = "127.0.0.147";
	const char *subj;

	setup(addr, B_HOSTILE);
	srv.spoof_from = "127.0.0.151";
	run(addr, 1000, 1000, 5000);
	probe(addr);
	assert_status(PROBE_SADP, UNAUTH_MALFORMED);
	assert_status(PROBE_DHIP, UNAUTH_MALFORMED);
	assert_status(PROBE_HTTP, UNAUTH_MALFORMED);
	assert_status(PROBE_RTSP, UNAUTH_MALFORMED);
	assert_status(PROBE_HTTPS, UNAUTH_OK);
	assert_status(PROBE_TLS, UNAUTH_OK);
	/* The spoofer's copies counted, not taken. */
	ck_assert_uint_ge(res.spoofed, 2);
	ck_assert(!has_fact(FACT_PROTOCOL, "sadp"));
	ck_assert(!has_fact(FACT_PROTOCOL, "dhip"));
	/* Control characters of the certificate are escaped or cleaned. */
	subj = fact_with(FACT_TLS_SUBJECT, "HIK");
	ck_assert_ptr_nonnull(subj);
	for (const char *p = subj; *p; p++)
		ck_assert_int_ge((unsigned char)*p, 0x20);
	ck_assert_ptr_null(strchr(subj, 0x7f));
	ck_assert_uint_le(id.facts.n, CAM_FACTS_MAX);
	assert_udp_clean();
}
END_TEST

START_TEST(only_the_chosen_probes)
{
	const char *addr = "127.0.0.148";

	setup(addr, B_ANSWER);
	run(addr, 1000, 1000, 5000);
	opts.probes = CAM_PROBE(PROBE_DHIP) | CAM_PROBE(PROBE_RTSP);
	probe(addr);
	assert_status(PROBE_DHIP, UNAUTH_OK);
	assert_status(PROBE_RTSP, UNAUTH_OK);
	for (int p = PROBE_SADP; p < PROBE_COUNT; p++)
		if (p != PROBE_DHIP && p != PROBE_RTSP)
			assert_status((enum cam_probe)p, UNAUTH_NOT_TRIED);
	ck_assert_uint_eq(srv.s[S_SADP].msgs, 0);
	ck_assert_uint_eq(srv.s[S_HTTP].msgs, 0);
	ck_assert_uint_eq(srv.s[S_HTTPS].msgs, 0);
	ck_assert_uint_eq(
	    id.facts.tried, CAM_PROBE(PROBE_DHIP) | CAM_PROBE(PROBE_RTSP));
}
END_TEST

START_TEST(bad_address)
{
	unauth_opts_init(&opts);
	memset(&id, 0, sizeof(id));
	unauth_probe("camera.example", &opts, &id, &res);
	for (int p = 0; p < PROBE_COUNT; p++)
		assert_status((enum cam_probe)p, UNAUTH_NOT_TRIED);
	ck_assert_uint_eq(id.facts.tried, 0);
	unauth_probe(NULL, &opts, &id, &res);
	ck_assert_uint_eq(id.facts.tried, 0);
}
END_TEST

/* ---- private ports: connect only ------------------------------------------
 */

/* The collector may be gone before the surface's thread accepts its
 * connection from the backlog: wait until the surface has served it to
 * the end (read to the collector's close; 2 s at most), so that what it
 * captured is all the collector sent; then stop. */
static void
accepted_then_stop(void)
{
	long long until = wd_now_ms() + 2000;

	if (srv.behave[S_PORTS] != B_OFF)
		while (__atomic_load_n(
			   &srv.s[S_PORTS].served, __ATOMIC_ACQUIRE) < 1 &&
		    wd_now_ms() < until)
			usleep(5000);
	srv_stop(&srv);
}

/* Only PROBE_PORTS on srv's private port, under b; the rest closed. */
static void
ports_only(const char *addr, enum behave b)
{
	setup(addr, B_OFF);
	srv.behave[S_PORTS] = b;
	run(addr, 1000, 1000, 3000);
	opts.probes = CAM_PROBE(PROBE_PORTS);
	unauth_probe(addr, &opts, &id, &res);
	accepted_then_stop();
}

/* The fact "private-port=PORT" of PROBE_PORTS, and nothing else. */
static void
assert_port_fact(int port)
{
	char want[8];

	snprintf(want, sizeof(want), "%d", port);
	ck_assert_uint_eq(id.facts.n, 1);
	ck_assert_int_eq(id.facts.f[0].kind, FACT_PRIVATE_PORT);
	ck_assert_int_eq(id.facts.f[0].probe, PROBE_PORTS);
	ck_assert_str_eq(id.facts.f[0].text, want);
	ck_assert_uint_eq(id.facts.tried, CAM_PROBE(PROBE_PORTS));
	ck_assert_uint_eq(id.facts.answered, CAM_PROBE(PROBE_PORTS));
	assert_status(PROBE_PORTS, UNAUTH_OK);
}

START_TEST(private_port_accepts_and_closes)
{
	const char *addr = "127.0.0.135";

	ports_only(addr, B_ANSWER);
	assert_port_fact(srv.s[S_PORTS].port);
	ck_assert_uint_eq(srv.s[S_PORTS].msgs, 1);
	ck_assert_uint_eq(srv.s[S_PORTS].cap_len, 0);
	for (int s = S_SADP; s < S_PORTS; s++)
		ck_assert_uint_eq(srv.s[s].msgs, 0);
}
END_TEST

/* The port accepts and waits for a client that speaks first: the
 * collector does not, and does not wait for it either. */
START_TEST(private_port_holds_silent)
{
	const char *addr = "127.0.0.136";

	ports_only(addr, B_SILENT);
	assert_port_fact(srv.s[S_PORTS].port);
	ck_assert_uint_eq(srv.s[S_PORTS].msgs, 1);
	/* Not a byte: no DVR-IP login, no credential, nothing. */
	ck_assert_uint_eq(srv.s[S_PORTS].cap_len, 0);
	ck_assert_int_lt(res.elapsed_ms, 900);
}
END_TEST

START_TEST(private_port_closed)
{
	const char *addr = "127.0.0.137";

	ports_only(addr, B_OFF);
	assert_status(PROBE_PORTS, UNAUTH_REFUSED);
	ck_assert_uint_eq(id.facts.n, 0);
	ck_assert_uint_eq(id.facts.answered, 0);
	ck_assert_uint_eq(id.facts.tried, CAM_PROBE(PROBE_PORTS));
	ck_assert_int_lt(res.elapsed_ms, 500);
}
END_TEST

/* Several ports: each open one is a fact, a closed one adds nothing;
 * without PROBE_PORTS none is opened. */
START_TEST(private_ports_listed)
{
	const char *addr = "127.0.0.138";
	int closed;

	setup(addr, B_OFF);
	srv.behave[S_PORTS] = B_SILENT;
	run(addr, 1000, 1000, 3000);
	closed = srv.s[S_RTSP].port; /* bound, then closed */
	opts.probes = CAM_PROBE(PROBE_PORTS);
	opts.private_ports[0] = (uint16_t)closed;
	opts.private_ports[1] = (uint16_t)srv.s[S_PORTS].port;
	opts.n_private_ports = 2;
	unauth_probe(addr, &opts, &id, &res);
	accepted_then_stop();
	assert_port_fact(srv.s[S_PORTS].port);
	ck_assert_uint_eq(srv.s[S_PORTS].cap_len, 0);

	setup(addr, B_OFF);
	srv.behave[S_PORTS] = B_SILENT;
	run(addr, 1000, 1000, 3000);
	opts.probes = CAM_PROBE(PROBE_RTSP);
	probe(addr);
	ck_assert_uint_eq(srv.s[S_PORTS].msgs, 0);
	ck_assert_int_eq(res.status[PROBE_PORTS], UNAUTH_NOT_TRIED);
	ck_assert_uint_eq(id.facts.tried, CAM_PROBE(PROBE_RTSP));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("unauth_probe");
	TCase *tc = tcase_create("loopback");

	/* The surfaces write to peers that may have gone. */
	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, camera_answers);
	tcase_add_test(tc, adopted_identity);
	tcase_add_test(tc, adopted_identity_not_by_arrival);
	tcase_add_test(tc, silent_host_ends_by_the_deadline);
	tcase_add_test(tc, closed_host_refused_at_once);
	tcase_add_test(tc, header_drip_cut_at_the_deadline);
	tcase_add_test(tc, tls_drip_cut_at_the_deadline);
	tcase_add_test(tc, hostile_replies);
	tcase_add_test(tc, only_the_chosen_probes);
	tcase_add_test(tc, bad_address);
	tcase_add_test(tc, private_port_accepts_and_closes);
	tcase_add_test(tc, private_port_holds_silent);
	tcase_add_test(tc, private_port_closed);
	tcase_add_test(tc, private_ports_listed);
	suite_add_tcase(s, tc);
	return cr_run(s, CK_FORK_GETENV);
}
