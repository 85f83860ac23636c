/*
 * check_unauth_scan.c: `camcomply scan --probe` end to end against the
 * camera surfaces of check_unauth_srv.c on 127.0.0.152-154: the options
 * reach the collectors (ports, --probes, --probe none|auto|all), the JSON
 * shows the facts, statuses and the identity adopted from them, and, with
 * ONVIF credentials given to the same scan, neither the user name nor the
 * password reaches any collector's surface or the output.  Runs the built
 * camcomply ($top_builddir/camcomply) as a child process.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <json.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "check_unauth_srv.h"
#include "common/camera.h"

#define USER "onvif-operator"
#define PASSWORD "Pw-never-to-collectors-9731"

extern char **environ;

static struct srv srv;
static char out[1 << 20];
static size_t out_len;

static const char *
camcomply_path(void)
{
	static char path[4096];
	const char *top = getenv("top_builddir");

	snprintf(path, sizeof(path), "%s/camcomply", top ? top : ".");
	return path;
}

/* Run camcomply with argv[1..]; stdout into out; the exit status. */
static int
run_camcomply(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	int p[2], status;
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	ck_assert_int_eq(
	    posix_spawn(&pid, camcomply_path(), &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	out_len = 0;
	while ((n = read(p[0], out + out_len, sizeof(out) - 1 - out_len)) > 0)
		out_len += (size_t)n;
	out[out_len] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
password_file(char *path, size_t pathsz)
{
	const char *td = getenv("TMPDIR");
	int fd;

	/* Under $TMPDIR (default /tmp), as every test's own files. */
	ck_assert_uint_lt(
	    (size_t)snprintf(path, pathsz, "%s/check_unauth_scan.XXXXXX",
		td != NULL && td[0] != '\0' ? td : "/tmp"),
	    pathsz);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(fchmod(fd, 0600), 0);
	ck_assert_int_eq(write(fd, PASSWORD "\n", strlen(PASSWORD) + 1),
	    (ssize_t)strlen(PASSWORD) + 1);
	close(fd);
}

/* host:port with a TCP port nothing listens on, for ONVIF to fail on. */
static void
closed_target(const char *host, char *buf, size_t n)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, host, &sa.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	close(fd);
	snprintf(buf, n, "%s:%d", host, ntohs(sa.sin_port));
}

static void
port_arg(char *buf, size_t n, enum surface s)
{
	snprintf(buf, n, "%d", srv.s[s].port);
}

/* The first element of the JSON array printed. */
static struct json_object *
first_result(struct json_object **top)
{
	*top = json_tokener_parse(out);
	ck_assert_ptr_nonnull(*top);
	ck_assert_int_eq(json_object_array_length(*top), 1);
	return json_object_array_get_idx(*top, 0);
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_get_string(v);
}

static bool
has_fact(struct json_object *o, const char *kind, const char *probe,
    const char *text)
{
	struct json_object *facts, *f;
	size_t i;

	ck_assert(json_object_object_get_ex(o, "facts", &facts));
	for (i = 0; i < json_object_array_length(facts); i++) {
		f = json_object_array_get_idx(facts, i);
		if (strcmp(str(f, "kind"), kind) == 0 &&
		    strcmp(str(f, "probe"), probe) == 0 &&
		    strcmp(str(f, "text"), text) == 0)
			return true;
	}
	return false;
}

static bool
in_capture(const struct surf *f, const char *needle)
{
	return memmem(f->cap, f->cap_len, needle, strlen(needle)) != NULL;
}

START_TEST(probe_all_with_credentials)
{
	char pw[256], sp[8], dp[8], hp[8], hsp[8], rp[8], xp[8], target[64];
	struct json_object *top, *o, *probes, *v;

	memset(&srv, 0, sizeof(srv));
	for (int i = 0; i < S_COUNT; i++)
		srv.behave[i] = B_ANSWER;
	srv_start(&srv, "127.0.0.152");
	password_file(pw, sizeof(pw));
	port_arg(sp, sizeof(sp), S_SADP);
	port_arg(dp, sizeof(dp), S_DHIP);
	port_arg(hp, sizeof(hp), S_HTTP);
	port_arg(hsp, sizeof(hsp), S_HTTPS);
	port_arg(rp, sizeof(rp), S_RTSP);
	port_arg(xp, sizeof(xp), S_PORTS);
	/* ONVIF on a port nothing listens on: the probe ports are not its. */
	closed_target("127.0.0.152", target, sizeof(target));
	char *argv[] = {"camcomply", "scan", "--json", "--no-policy",
	    "--timeout", "4", "--user", USER, "--password-file", pw, "--probe",
	    "all", "--sadp-port", sp, "--dhip-port", dp, "--http-port", hp,
	    "--https-port", hsp, "--rtsp-port", rp, "--private-ports", xp,
	    target, NULL};
	int rc = run_camcomply(argv);
	srv_stop(&srv);
	unlink(pw);
	/* ONVIF failed but the collectors heard the camera: exit 0. */
	ck_assert_int_eq(rc, 0);
	o = first_result(&top);
	ck_assert_str_ne(str(o, "status"), "ok");
	ck_assert_str_eq(str(o, "model"), SRV_SADP_MODEL);
	ck_assert_str_eq(str(o, "serial"), SRV_SADP_SERIAL);
	ck_assert_str_eq(str(o, "firmware"), "V5.7.3build 220112");
	ck_assert(has_fact(o, "protocol", "sadp", "sadp"));
	ck_assert(has_fact(o, "model", "dhip", SRV_DHIP_MODEL));
	ck_assert(has_fact(o, "http-title", "http", "WEB SERVICE"));
	ck_assert(has_fact(o, "serial", "http", SRV_RPC2_SERIAL));
	ck_assert(has_fact(o, "rtsp-realm", "rtsp", "c4790503a344"));
	ck_assert(json_object_object_get_ex(o, "probes", &probes));
	for (int k = PROBE_SADP; k < PROBE_COUNT; k++) {
		const char *name = cam_probe_name((enum cam_probe)k);
		ck_assert_msg(json_object_object_get_ex(probes, name, &v),
		    "no status for %s", name);
		ck_assert_str_eq(json_object_get_string(v), "ok");
	}
	ck_assert(json_object_object_get_ex(o, "seen_by", &v));
	ck_assert_int_eq(json_object_array_length(v), PROBE_COUNT - 1);
	ck_assert_int_ge(
	    json_object_get_int(json_object_object_get(o, "probe_spoofed")), 0);
	json_object_put(top);
	/* The credentials reached no collector's surface, nor the output. */
	for (int i = 0; i < S_COUNT; i++) {
		ck_assert_msg(!in_capture(&srv.s[i], PASSWORD), "%d", i);
		ck_assert_msg(!in_capture(&srv.s[i], USER), "%d", i);
		ck_assert_msg(!in_capture(&srv.s[i], "Authorization"), "%d", i);
	}
	ck_assert_ptr_null(strstr(out, PASSWORD));
	ck_assert_uint_eq(srv.s[S_SADP].msgs, 1);
	ck_assert_uint_eq(srv.s[S_DHIP].msgs, 1);
}
END_TEST

START_TEST(probe_choices)
{
	char dp[8], target[64];
	struct json_object *top, *o, *probes, *v;

	memset(&srv, 0, sizeof(srv));
	for (int i = 0; i < S_COUNT; i++)
		srv.behave[i] = B_ANSWER;
	srv_start(&srv, "127.0.0.153");
	port_arg(dp, sizeof(dp), S_DHIP);
	closed_target("127.0.0.153", target, sizeof(target));
	/* none: nothing but ONVIF is asked. */
	char *none[] = {"camcomply", "scan", "--json", "--no-policy",
	    "--timeout", "2", "--probe", "none", target, NULL};
	ck_assert_int_eq(run_camcomply(none), 1);
	o = first_result(&top);
	ck_assert(json_object_object_get_ex(o, "probes", &probes));
	ck_assert_int_eq(json_object_object_length(probes), 0);
	ck_assert_ptr_null(json_object_object_get(o, "probe_elapsed_ms"));
	json_object_put(top);
	/* auto (the default), DHIP only, on its port: ONVIF failed. */
	char *dhip[] = {"camcomply", "scan", "--json", "--no-policy",
	    "--timeout", "2", "--probes", "dhip", "--dhip-port", dp, target,
	    NULL};
	ck_assert_int_eq(run_camcomply(dhip), 0);
	srv_stop(&srv);
	o = first_result(&top);
	ck_assert(json_object_object_get_ex(o, "probes", &probes));
	ck_assert_int_eq(json_object_object_length(probes), 1);
	ck_assert(json_object_object_get_ex(probes, "dhip", &v));
	ck_assert_str_eq(json_object_get_string(v), "ok");
	ck_assert_str_eq(str(o, "model"), SRV_DHIP_MODEL);
	json_object_put(top);
	ck_assert_uint_eq(srv.s[S_SADP].msgs, 0);
	ck_assert_uint_eq(srv.s[S_HTTP].msgs, 0);
	ck_assert_uint_eq(srv.s[S_HTTPS].msgs, 0);
	ck_assert_uint_eq(srv.s[S_DHIP].msgs, 1);
}
END_TEST

START_TEST(table_shows_who_answered)
{
	char sp[8], target[64];

	memset(&srv, 0, sizeof(srv));
	srv.behave[S_SADP] = B_ANSWER;
	srv_start(&srv, "127.0.0.154");
	port_arg(sp, sizeof(sp), S_SADP);
	closed_target("127.0.0.154", target, sizeof(target));
	char *argv[] = {"camcomply", "scan", "--no-policy", "--timeout", "2",
	    "--probes", "sadp", "--sadp-port", sp, target, NULL};
	ck_assert_int_eq(run_camcomply(argv), 0);
	srv_stop(&srv);
	ck_assert_ptr_nonnull(strstr(out, "SEEN BY"));
	ck_assert_ptr_nonnull(strstr(out, SRV_SADP_MODEL));
	ck_assert_ptr_nonnull(strstr(out, " sadp "));
}
END_TEST

START_TEST(bad_options_refused)
{
	char *mode[] = {"camcomply", "scan", "--probe", "sometimes", "h", NULL};
	char *port[] = {"camcomply", "scan", "--sadp-port", "0", "h", NULL};
	char *big[] = {"camcomply", "scan", "--rtsp-port", "65536", "h", NULL};
	char *list[] = {"camcomply", "scan", "--probes", "sadp,ftp", "h", NULL};
	char *empty[] = {"camcomply", "scan", "--probes", "", "h", NULL};

	ck_assert_int_eq(run_camcomply(mode), 2);
	ck_assert_int_eq(run_camcomply(port), 2);
	ck_assert_int_eq(run_camcomply(big), 2);
	ck_assert_int_eq(run_camcomply(list), 2);
	ck_assert_int_eq(run_camcomply(empty), 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("unauth_scan");
	TCase *tc = tcase_create("camcomply");

	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, probe_all_with_credentials);
	tcase_add_test(tc, probe_choices);
	tcase_add_test(tc, table_shows_who_answered);
	tcase_add_test(tc, bad_options_refused);
	suite_add_tcase(s, tc);
	return cr_run(s, CK_FORK_GETENV);
}
