/*
 * main.c: camsim, a simulated fleet of ONVIF cameras in one process.
 *
 * Owns the command line, the fleet file, the log and the ready file, the
 * stop signal and SIGUSR1 (certificate swap).  main() and the swap
 * callback run in the main thread; sim_log() may be called from any
 * thread.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "camsim.h"

#ifndef CAMSIM_PROFILE_DIR
#define CAMSIM_PROFILE_DIR "tests/sim/profiles"
#endif

volatile int sim_stopping;
int sim_stop_fd = -1;
int sim_swap_fd = -1;

static int stop_pipe[2] = {-1, -1};
static int swap_pipe[2] = {-1, -1};
static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void
sim_log(const struct sim_camera *c, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	va_list ap;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	pthread_mutex_lock(&log_lock);
	fprintf(log_file, "%s.%03ld %s ", when, ts.tv_nsec / 1000000,
	    c != NULL ? c->label : "camsim");
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
	fflush(log_file);
	pthread_mutex_unlock(&log_lock);
}

static void
on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	sim_stopping = 1;
	/* Never drained: stays readable so every poller wakes up. */
	(void)write(stop_pipe[1], "x", 1);
	errno = saved;
}

/* SIGUSR1: wake the accept loop, which swaps certificates (main.c). */
static void
on_usr1(int sig)
{
	int saved = errno;

	(void)sig;
	(void)write(swap_pipe[1], "s", 1);
	errno = saved;
}

static void
setup_signals(void)
{
	struct sigaction sa;

	if (pipe2(stop_pipe, O_CLOEXEC) != 0 ||
	    pipe2(swap_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		perror("camsim: pipe");
		exit(1);
	}
	fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK);
	sim_stop_fd = stop_pipe[0];
	sim_swap_fd = swap_pipe[0];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: camsim [-w] [-d profile-dir] [-f fleet-file] "
	    "[-r ready-file] [-l log-file]\n"
	    "              [-C capture-dir] "
	    "[PROFILE@ADDR[:PORT][,option=value...] ...]\n"
	    "  -w, --discovery  WS-Discovery (UDP 3702) for every IPv4 camera\n"
	    "  -C, --capture-dir DIR  every camera appends the bytes it "
	    "receives\n"
	    "                   to DIR/ADDR_PORT.capture\n"
	    "options in a spec: fault=MODE skew=SECONDS password-file=FILE "
	    "user=NAME\n"
	    "  auth=none|wsse|digest|either lockout=N clock-window=SECONDS\n"
	    "  fault-scope=identity|all huge-mb=N drip-ms=N capture=FILE\n"
	    "  tls=yes|no tls-cert=FILE tls-key=FILE cert-swap=yes|no\n"
	    "  discovery=yes|no hello=yes|no endpoint=URI "
	    "xaddr-extra=none|https|linklocal|both\n"
	    "fault modes: none no-answer slow-drip close-mid-reply "
	    "malformed-xml huge-body\n"
	    "  deep-nesting entity-expansion tls-drip header-drip basic-only "
	    "basic-digest\n"
	    "  digest-basic chunked short-body short-body-keep "
	    "blank-line-before-xml-decl\n"
	    "  extra-vendor-elements wrong-credentials clock-skew lying-clock "
	    "soap11-only\n"
	    "  html-401\n"
	    "SIGUSR1: cameras with tls=yes,cert-swap=yes take a new "
	    "certificate\n");
	exit(2);
}

struct fleet {
	struct sim_camera *cams;
	int n, cap;
};

static void
fleet_add(struct fleet *fl, const char *spec, const char *dir)
{
	char err[512];

	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 16;
		fl->cams =
		    realloc(fl->cams, (size_t)fl->cap * sizeof(*fl->cams));
		if (fl->cams == NULL) {
			perror("camsim");
			exit(1);
		}
	}
	if (camera_from_spec(&fl->cams[fl->n], spec, dir, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "camsim: %s\n", err);
		exit(2);
	}
	fl->n++;
}

/* One spec per line; blank lines and '#' comments are skipped. */
static void
fleet_read(struct fleet *fl, const char *path, const char *dir)
{
	FILE *f;
	char line[1024], *s, *e;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "camsim: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		s = line + strspn(line, " \t");
		e = s + strcspn(s, "#\r\n");
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (*s != '\0')
			fleet_add(fl, s, dir);
	}
	fclose(f);
}

/*
 * Lines "LABEL URL", written whole then renamed so readers never see half;
 * HTTPS cameras add " sha256=HEX", the fingerprint of the certificate they
 * serve (rewritten after a swap).
 */
static void
write_ready(const struct fleet *fl, const char *path)
{
	char tmp[PATH_MAX];
	FILE *f = stdout;
	int i;

	if (path != NULL) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		if ((f = fopen(tmp, "w")) == NULL) {
			fprintf(
			    stderr, "camsim: %s: %s\n", tmp, strerror(errno));
			exit(1);
		}
	}
	for (i = 0; i < fl->n; i++) {
		const struct sim_camera *c = &fl->cams[i];
		int v6 = strchr(c->host, ':') != NULL;

		int https = c->tls || c->fault == SIM_FAULT_TLS_DRIP;

		fprintf(f, "%s http%s://%s%s%s:%d/onvif/device_service",
		    c->label, https ? "s" : "", v6 ? "[" : "", c->host,
		    v6 ? "]" : "", c->port);
		if (c->tls)
			fprintf(f, " sha256=%s", c->tls_sha256);
		fputc('\n', f);
	}
	if (path == NULL) {
		fflush(stdout);
		return;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "camsim: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

struct args {
	const char *dir, *fleet, *ready, *capture_dir;
	int discovery;
};

static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
	    {"profile-dir", required_argument, NULL, 'd'},
	    {"fleet", required_argument, NULL, 'f'},
	    {"ready-file", required_argument, NULL, 'r'},
	    {"log", required_argument, NULL, 'l'},
	    {"discovery", no_argument, NULL, 'w'},
	    {"capture-dir", required_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int ch;

	if ((a->dir = getenv("CAMSIM_PROFILE_DIR")) == NULL)
		a->dir = CAMSIM_PROFILE_DIR;
	while ((ch = getopt_long(argc, argv, "d:f:r:l:C:wh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			a->dir = optarg;
			break;
		case 'f':
			a->fleet = optarg;
			break;
		case 'r':
			a->ready = optarg;
			break;
		case 'w':
			a->discovery = 1;
			break;
		case 'C':
			a->capture_dir = optarg;
			break;
		case 'l':
			if ((log_file = fopen(optarg, "a")) == NULL) {
				perror(optarg);
				exit(1);
			}
			break;
		default:
			usage();
		}
	}
	return optind;
}

struct swap_ctx {
	struct fleet *fl;
	const char *ready;
};

/* SIGUSR1, in the main thread: new certificates, then a new ready file. */
static void
swap_certificates(void *arg)
{
	struct swap_ctx *sc = arg;
	int i, n = 0;

	for (i = 0; i < sc->fl->n; i++) {
		struct sim_camera *c = &sc->fl->cams[i];

		if (!c->tls || !c->cert_swap)
			continue;
		if (tls_swap(c) == 0)
			n++;
		else
			sim_log(
			    NULL, "tls: %s certificate swap failed", c->label);
	}
	if (n == 0)
		sim_log(
		    NULL, "tls: SIGUSR1: no camera swapped its certificate");
	write_ready(sc->fl, sc->ready);
}

/* After binding (ports known): certificates and capture files. */
static void
setup_cameras(struct fleet *fl, const struct args *a)
{
	char err[SIM_PATH + 128];
	int i;

	for (i = 0; i < fl->n; i++) {
		struct sim_camera *c = &fl->cams[i];

		if ((c->tls && tls_setup(c, err, sizeof(err)) != 0) ||
		    capture_open(c, a->capture_dir, err, sizeof(err)) != 0) {
			fprintf(stderr, "camsim: %s\n", err);
			exit(1);
		}
		if (c->capture_fd >= 0)
			sim_log(c, "capture: %s", c->capture);
	}
}

int
main(int argc, char **argv)
{
	struct fleet fl = {NULL, 0, 0};
	struct args a = {NULL, NULL, NULL, NULL, 0};
	struct swap_ctx sc;
	char err[512];
	int i;

	log_file = stderr;
	i = parse_args(argc, argv, &a);
	if (a.fleet != NULL)
		fleet_read(&fl, a.fleet, a.dir);
	for (; i < argc; i++)
		fleet_add(&fl, argv[i], a.dir);
	if (fl.n == 0)
		usage();
	setup_signals();
	for (i = 0; i < fl.n; i++) {
		if (server_bind(&fl.cams[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "camsim: %s\n", err);
			return 1;
		}
	}
	setup_cameras(&fl, &a);
	if (wsd_start(fl.cams, fl.n, a.discovery, err, sizeof(err)) != 0) {
		fprintf(stderr, "camsim: %s\n", err);
		return 1;
	}
	write_ready(&fl, a.ready);
	sim_log(NULL, "ready: %d camera(s)", fl.n);
	sc.fl = &fl;
	sc.ready = a.ready;
	server_run(fl.cams, fl.n, swap_certificates, &sc);
	wsd_stop();
	sim_log(NULL, "stopped");
	if (a.ready != NULL)
		unlink(a.ready);
	free(fl.cams);
	return 0;
}
