/*
 * check_poller.c: the poller's job queue, over real loopback sockets.  A
 * job's "host" is the host of its URL: 127.0.0.x with a distinct x per
 * host, on a port that is closed (the poll fails at once: unreachable) or
 * on a listener that never accepts (the poll holds its worker until its
 * deadline).  Shows that hosts are served in turn, not first come first
 * served, so one host's burst cannot delay another's first poll.  And
 * that a job's collectors without credentials (camera surfaces of
 * check_unauth_srv.c on 127.0.0.160-162) run when, and only when, the job
 * says, with the poller's page markers, and never see the job's
 * credentials.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "agent/poller.h"
#include "check_unauth_srv.h"
#include "common/strutil.h"
#include "common/watchdog.h"

#define MAX_RESULTS 2048
#define USER "poll-operator"
#define PASSWORD "not-a-real-password"

/* A TCP socket on addr:0, listening or not; its port in *port. */
static int
tcp_socket(const char *addr, int listening, unsigned *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, addr, &sa.sin_addr), 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (listening)
		ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A port on addr where nothing listens: bound, then closed. */
static unsigned
closed_port(const char *addr)
{
	unsigned port;

	close(tcp_socket(addr, 0, &port));
	return port;
}

static void
submit(struct poller *p, uint32_t index, const char *addr, unsigned port,
    int timeout_ms)
{
	struct poll_job job;

	memset(&job, 0, sizeof(job));
	job.index = index;
	snprintf(job.url, sizeof(job.url), "http://%s:%u/onvif/device_service",
	    addr, port);
	str_lcpy(job.user, USER, sizeof(job.user));
	str_lcpy(job.password, PASSWORD, sizeof(job.password));
	job.has_credentials = true;
	onvif_opts_init(&job.opts);
	job.opts.connect_timeout_ms = job.opts.io_timeout_ms =
	    job.opts.deadline_ms = timeout_ms;
	ck_assert_int_eq(poller_submit(p, &job), 0);
}

/* Results until n have come (or 20 s have passed); the count. */
static size_t
collect(struct poller *p, struct poll_result *out, size_t n)
{
	struct pollfd pf = {poller_fd(p), POLLIN, 0};
	time_t end = time(NULL) + 20;
	size_t got = 0;

	while (got < n && time(NULL) < end) {
		if (poll(&pf, 1, 1000) <= 0)
			continue;
		got += poller_take(p, out + got, n - got);
	}
	return got;
}

/* poller_pending() is 0 once the worker has taken every job. */
static void
wait_taken(struct poller *p)
{
	struct timespec ms = {0, 1000000};
	int i;

	for (i = 0; i < 5000 && poller_pending(p) > 0; i++)
		nanosleep(&ms, NULL);
	ck_assert_uint_eq(poller_pending(p), 0);
}

static size_t
position(const struct poll_result *r, size_t n, uint32_t index)
{
	size_t i;

	for (i = 0; i < n && r[i].index != index; i++)
		;
	return i;
}

START_TEST(a_burst_for_one_host_does_not_delay_another)
{
	static struct poll_result r[MAX_RESULTS];
	struct poller *p = poller_new(1);
	unsigned slow_port, a_port = closed_port("127.0.0.2");
	unsigned b_port = closed_port("127.0.0.3");
	int slow = tcp_socket("127.0.0.1", 1, &slow_port);
	char url[CAM_STR_MAX];
	uint32_t i, next_a = 1;
	size_t k;

	ck_assert_ptr_nonnull(p);
	/* The only worker is busy with a camera that never answers... */
	submit(p, 1000, "127.0.0.1", slow_port, 500);
	wait_taken(p);
	/* ... while host A's 100 jobs queue, then host B's one. */
	for (i = 1; i <= 100; i++)
		submit(p, i, "127.0.0.2", a_port, 2000);
	submit(p, 500, "127.0.0.3", b_port, 2000);
	ck_assert_uint_eq(poller_pending(p), 101);
	ck_assert_uint_eq(collect(p, r, 102), 102);
	ck_assert_uint_eq(r[0].index, 1000);
	ck_assert_int_eq(r[0].res.status, ONVIF_TIMEOUT);
	/* One of A's, then B's: its turn, not after A's hundred. */
	ck_assert_uint_eq(r[1].index, 1);
	ck_assert_uint_eq(position(r, 102, 500), 2);
	ck_assert_int_eq(r[2].res.status, ONVIF_UNREACHABLE);
	/* The result's strings came through the queue (packed there). */
	snprintf(url, sizeof(url), "http://127.0.0.3:%u/onvif/device_service",
	    b_port);
	ck_assert_str_eq(r[2].res.xaddr, url);
	ck_assert_ptr_nonnull(strstr(r[2].res.detail, "refused"));
	/* A's own jobs still run in the order they came. */
	for (k = 1; k < 102; k++) {
		if (r[k].index == 500)
			continue;
		ck_assert_uint_eq(r[k].index, next_a);
		ck_assert_int_eq(r[k].res.status, ONVIF_UNREACHABLE);
		next_a++;
	}
	ck_assert_uint_eq(poller_pending(p), 0);
	poller_free(p);
	close(slow);
}
END_TEST

/*
 * Idle workers and a batch submitted under poller_hold(): host S's two
 * silent cameras first, then host B's one.  Released, the two workers
 * take one of S's and B's (B's turn), so B's refusal comes back first,
 * not after S's timeout.  Without the hold each worker took a job as it
 * was submitted, S's two.
 */
START_TEST(a_held_batch_is_served_host_by_host)
{
	static struct poll_result r[4];
	struct timespec ms = {0, 1000000};
	struct poller *p = poller_new(2);
	int i;
	unsigned slow_port, b_port = closed_port("127.0.0.3");
	int slow = tcp_socket("127.0.0.1", 4, &slow_port);

	ck_assert_ptr_nonnull(p);
	poller_hold(p);
	submit(p, 1, "127.0.0.1", slow_port, 1500);
	submit(p, 2, "127.0.0.1", slow_port, 1500);
	/* Held: the idle workers take neither (watched for 200 ms; without
	 * the hold both are taken at once). */
	for (i = 0; i < 200 && poller_pending(p) == 2; i++)
		nanosleep(&ms, NULL);
	ck_assert_uint_eq(poller_pending(p), 2);
	submit(p, 3, "127.0.0.3", b_port, 1500);
	poller_release(p);
	ck_assert_uint_eq(collect(p, r, 3), 3);
	ck_assert_uint_eq(r[0].index, 3);
	ck_assert_int_eq(r[0].res.status, ONVIF_UNREACHABLE);
	ck_assert_int_eq(r[1].res.status, ONVIF_TIMEOUT);
	ck_assert_int_eq(r[2].res.status, ONVIF_TIMEOUT);
	poller_free(p);
	close(slow);
}
END_TEST

START_TEST(many_hosts_each_job_once)
{
	static struct poll_result r[MAX_RESULTS];
	static unsigned char seen[MAX_RESULTS];
	struct poller *p = poller_new(4);
	char addr[32];
	unsigned port = closed_port("127.0.0.4");
	uint32_t h, j, index;
	size_t k;

	ck_assert_ptr_nonnull(p);
	/* 300 hosts (the hash grows past 64 buckets), 3 jobs each. */
	for (j = 0; j < 3; j++)
		for (h = 0; h < 300; h++) {
			snprintf(addr, sizeof(addr), "127.0.%u.%u",
			    10 + h / 200, 1 + h % 200);
			submit(p, 1 + j * 300 + h, addr, port, 2000);
		}
	ck_assert_uint_eq(collect(p, r, 900), 900);
	memset(seen, 0, sizeof(seen));
	for (k = 0; k < 900; k++) {
		index = r[k].index;
		ck_assert_uint_ge(index, 1);
		ck_assert_uint_le(index, 900);
		ck_assert_uint_eq(seen[index], 0);
		seen[index] = 1;
	}
	ck_assert_uint_eq(poller_pending(p), 0);
	/* A host whose queue emptied (and was freed) takes jobs again. */
	submit(p, 901, "127.0.10.1", port, 2000);
	ck_assert_uint_eq(collect(p, r, 1), 1);
	ck_assert_uint_eq(r[0].index, 901);
	poller_free(p);
}
END_TEST

START_TEST(free_with_jobs_queued)
{
	struct poller *p = poller_new(1);
	unsigned slow_port, port = closed_port("127.0.0.5");
	int slow = tcp_socket("127.0.0.1", 1, &slow_port);
	uint32_t i;

	ck_assert_ptr_nonnull(p);
	submit(p, 1, "127.0.0.1", slow_port, 300);
	wait_taken(p);
	for (i = 2; i < 50; i++)
		submit(p, i, i % 2 ? "127.0.0.5" : "127.0.0.6", port, 2000);
	ck_assert_uint_eq(poller_pending(p), 48);
	/* The running job ends at its deadline; the queued ones are wiped. */
	poller_free(p);
	close(slow);
}
END_TEST

/* A job for srv's host, ONVIF on a closed port, the collectors at srv's. */
static void
probe_job(struct poller *p, uint32_t index, const struct srv *sv, bool probe,
    bool probe_down)
{
	struct poll_job job;

	memset(&job, 0, sizeof(job));
	job.index = index;
	snprintf(job.url, sizeof(job.url), "http://%s:%u/onvif/device_service",
	    sv->addr, closed_port(sv->addr));
	str_lcpy(job.user, USER, sizeof(job.user));
	str_lcpy(job.password, PASSWORD, sizeof(job.password));
	job.has_credentials = true;
	onvif_opts_init(&job.opts);
	job.opts.connect_timeout_ms = job.opts.io_timeout_ms =
	    job.opts.deadline_ms = 2000;
	job.probe = probe;
	job.probe_down = probe_down;
	unauth_opts_init(&job.uopts);
	job.uopts.sadp_port = sv->s[S_SADP].port;
	job.uopts.dhip_port = sv->s[S_DHIP].port;
	job.uopts.http_port = sv->s[S_HTTP].port;
	job.uopts.https_port = sv->s[S_HTTPS].port;
	job.uopts.rtsp_port = sv->s[S_RTSP].port;
	job.uopts.private_ports[0] = (uint16_t)sv->s[S_PORTS].port;
	job.uopts.n_private_ports = 1;
	job.uopts.connect_timeout_ms = job.uopts.io_timeout_ms = 1000;
	job.uopts.deadline_ms = 4000;
	ck_assert_int_eq(poller_submit(p, &job), 0);
}

static bool
has_fact(const struct cam_facts *fs, enum cam_fact_kind k, const char *text)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (fs->f[i].kind == k && strcmp(fs->f[i].text, text) == 0)
			return true;
	return false;
}

/* needle (lower case) in the capture, whatever the case there. */
static bool
in_capture_nocase(const struct surf *f, const char *needle)
{
	size_t i, k, n = strlen(needle);

	for (i = 0; i + n <= f->cap_len; i++) {
		for (k = 0; k < n &&
		     tolower((unsigned char)f->cap[i + k]) == needle[k];
		     k++)
			;
		if (k == n)
			return true;
	}
	return false;
}

static void
no_credential_in(const struct srv *sv)
{
	int k;

	for (k = 0; k < S_COUNT; k++) {
		const struct surf *f = &sv->s[k];
		ck_assert_msg(
		    !memmem(f->cap, f->cap_len, PASSWORD, strlen(PASSWORD)),
		    "surface %d got the password", k);
		ck_assert_msg(!memmem(f->cap, f->cap_len, USER, strlen(USER)),
		    "surface %d got the user name", k);
		ck_assert_msg(!in_capture_nocase(f, "authorization:"),
		    "surface %d got an Authorization header", k);
	}
}

START_TEST(collectors_run_when_the_job_says)
{
	static const char *const markers[] = {"no-such-marker", SRV_MARKER};
	static struct poll_result r[4];
	struct poller *p = poller_new(2);
	struct srv a, b;
	int k;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (k = 0; k < S_COUNT; k++)
		a.behave[k] = b.behave[k] = B_ANSWER;
	srv_start(&a, "127.0.0.160");
	srv_start(&b, "127.0.0.161");
	ck_assert_ptr_nonnull(p);
	/* The markers are copied: the caller's array may go. */
	ck_assert_int_eq(poller_set_markers(p, markers, 2), 0);
	probe_job(p, 1, &a, true, false);
	ck_assert_int_eq(poller_set_markers(p, markers, 1), 0);
	probe_job(p, 2, &b, false, false);
	ck_assert_uint_eq(collect(p, r, 2), 2);
	if (r[0].index != 1) {
		r[2] = r[0];
		r[0] = r[1];
		r[1] = r[2];
	}
	/* ONVIF failed; the collectors named the camera without it. */
	ck_assert_int_eq(r[0].res.status, ONVIF_UNREACHABLE);
	ck_assert_uint_eq(r[0].res.id.facts.tried & CAM_PROBE(PROBE_SADP),
	    CAM_PROBE(PROBE_SADP));
	ck_assert(r[0].res.id.facts.answered & CAM_PROBE(PROBE_SADP));
	ck_assert(has_fact(&r[0].res.id.facts, FACT_MODEL, SRV_SADP_MODEL));
	ck_assert(has_fact(&r[0].res.id.facts, FACT_SERIAL, SRV_SADP_SERIAL));
	ck_assert(has_fact(&r[0].res.id.facts, FACT_HTTP_MARKER, SRV_MARKER));
	ck_assert_int_ge(r[0].probe_ms, 0);
	/* The store adopts them, not the poller: ONVIF's fields stay empty. */
	ck_assert_str_eq(r[0].res.id.model, "");
	/* No probe asked: no collector ran, no surface heard a thing. */
	ck_assert_uint_eq(r[1].res.id.facts.tried, 0);
	ck_assert_uint_eq(r[1].res.id.facts.n, 0);
	srv_stop(&b);
	for (k = 0; k < S_COUNT; k++)
		ck_assert_uint_eq(b.s[k].msgs, 0);
	/* The rate limit's "not yet", but ONVIF is down: probe_down asks. */
	srv_start(&b, "127.0.0.161");
	probe_job(p, 3, &b, false, true);
	ck_assert_uint_eq(collect(p, r, 1), 1);
	ck_assert(r[0].res.id.facts.answered & CAM_PROBE(PROBE_DHIP));
	ck_assert(!has_fact(&r[0].res.id.facts, FACT_HTTP_MARKER, SRV_MARKER));
	poller_free(p);
	srv_stop(&a);
	srv_stop(&b);
	/* Every byte the collectors sent: no credential of the job's. */
	ck_assert_uint_gt(a.s[S_SADP].msgs + a.s[S_HTTP].msgs, 1);
	no_credential_in(&a);
	no_credential_in(&b);
}
END_TEST

/*
 * A host stopping expires every exchange, those that start after it too:
 * a worker that took its job just before poller_free(), or that goes on
 * from ONVIF to the collectors, arms its deadline after wd_expire_all()
 * (deadline-drip saw a stop wait out a 30 s poll).
 */
START_TEST(expired_stays_expired)
{
	struct wd_slot a, b;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(wd_arm(&a, wd_now_ms() + 60000), 0);
	wd_expire_all();
	wd_disarm(&a);
	ck_assert_int_eq(wd_arm(&b, wd_now_ms() + 60000), 0);
	wd_set_fd(&b, sv[0]);
	ck_assert(wd_fired(&b));
	wd_disarm(&b);
	/* A poller started again: deadlines are kept again. */
	wd_resume();
	ck_assert_int_eq(wd_arm(&b, wd_now_ms() + 60000), 0);
	wd_set_fd(&b, sv[1]);
	ck_assert(!wd_fired(&b));
	wd_disarm(&b);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("poller");
	TCase *tc = tcase_create("core");

	onvif_global_init();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_burst_for_one_host_does_not_delay_another);
	tcase_add_test(tc, a_held_batch_is_served_host_by_host);
	tcase_add_test(tc, many_hosts_each_job_once);
	tcase_add_test(tc, free_with_jobs_queued);
	tcase_add_test(tc, collectors_run_when_the_job_says);
	tcase_add_test(tc, expired_stays_expired);
	suite_add_tcase(su, tc);
	return cr_run(su, CK_FORK_GETENV);
}
