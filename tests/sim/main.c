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
const char *sim_capture_dir;

static int stop_pipe[2] = {-1, -1};
static int swap_pipe[2] = {-1, -1};
static int log_fd = 2;

/*
 * One line, one write(2), no lock: a line (at most PIPE_BUF bytes) lands
 * whole in an O_APPEND file or a pipe whatever other threads write, and no
 * connection thread waits for another's log line (a lock held across the
 * write made every request of a busy fleet queue behind the log).
 */
void
sim_log(const struct sim_camera *c, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	va_list ap;
	char line[PIPE_BUF], lb[SIM_LABEL];
	size_t n, max = sizeof(line) - 1; /* room for the newline */
	int k;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, max, "%H:%M:%S", &tm);
	k = snprintf(line + n, max - n, ".%03ld %s ", ts.tv_nsec / 1000000,
	    c != NULL ? sim_label(c, lb, sizeof(lb)) : "camsim");
	n = k < 0 ? n : n + (size_t)k < max ? n + (size_t)k : max - 1;
	va_start(ap, fmt);
	k = vsnprintf(line + n, max - n, fmt, ap);
	va_end(ap);
	n = k < 0 ? n : n + (size_t)k < max ? n + (size_t)k : max - 1;
	line[n++] = '\n';
	while (write(log_fd, line, n) < 0 && errno == EINTR)
		;
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
	    "usage: camsim [-suw] [-d profile-dir] [-f fleet-file] "
	    "[-r ready-file] [-l log-file]\n"
	    "              [-C capture-dir] "
	    "[PROFILE@ADDRS[:PORT][,option=value...] ...]\n"
	    "  ADDRS: ADDR, [IPV6-ADDR], or a range of 127/8 addresses "
	    "FIRST-LAST or\n"
	    "         FIRST+COUNT (cameras on one shared socket per port)\n"
	    "  -s, --shared     single 127/8 cameras share their port's "
	    "socket too\n"
	    "  -w, --discovery  WS-Discovery (UDP 3702) for every IPv4 camera "
	    "with\n"
	    "                   a socket of its own\n"
	    "  -u, --unauth     every camera with a socket of its own shows "
	    "its\n"
	    "                   profile's SADP, DHIP, RTSP, HTTPS and DVR-IP "
	    "at the\n"
	    "                   standard ports\n"
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
	    "  listen=own|shared onvif=on|off|404|401|reset unauth=yes|no\n"
	    "  sadp-port=N|auto dhip-port=N|auto rtsp-port=N|auto "
	    "https-port=N|auto\n"
	    "  xm-port=N|auto (0: none)\n"
	    "  sadp-hello=yes|no sadp-reply=unicast|multicast|both "
	    "udp-multicast=auto|yes|no\n"
	    "  cert=address|vendor spoof-from=ADDR\n"
	    "fault modes: none no-answer slow-drip close-mid-reply "
	    "malformed-xml huge-body\n"
	    "  deep-nesting entity-expansion tls-drip header-drip basic-only "
	    "basic-digest\n"
	    "  digest-basic chunked short-body short-body-keep "
	    "blank-line-before-xml-decl\n"
	    "  extra-vendor-elements wrong-credentials clock-skew lying-clock "
	    "soap11-only\n"
	    "  html-401 sadp-huge sadp-deep sadp-dtd dhip-long-length "
	    "dhip-short-length\n"
	    "  http-huge rtsp-huge rtsp-drip cert-control\n"
	    "SIGUSR1: cameras with tls=yes,cert-swap=yes take a new "
	    "certificate\n");
	exit(2);
}

struct args {
	const char *dir, *fleet, *ready;
	int discovery, shared, unauth;
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
	    {"shared", no_argument, NULL, 's'},
	    {"unauth", no_argument, NULL, 'u'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int ch;

	if ((a->dir = getenv("CAMSIM_PROFILE_DIR")) == NULL)
		a->dir = CAMSIM_PROFILE_DIR;
	while ((ch = getopt_long(
		    argc, argv, "d:f:r:l:C:suwh", longopts, NULL)) != -1) {
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
			sim_capture_dir = optarg;
			break;
		case 's':
			a->shared = 1;
			break;
		case 'u':
			a->unauth = 1;
			break;
		case 'l':
			if ((log_fd = open(optarg,
				 O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				 0666)) < 0) {
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
	size_t i;
	int n = 0;

	for (i = 0; i < sc->fl->n; i++) {
		struct sim_camera *c = &sc->fl->cams[i];

		if (c->cert == NULL || !c->spec->cert_swap)
			continue;
		if (tls_swap(c) == 0)
			n++;
		else
			sim_log(c, "tls: certificate swap failed");
	}
	if (n == 0)
		sim_log(
		    NULL, "tls: SIGUSR1: no camera swapped its certificate");
	fleet_write_ready(sc->fl, sc->ready);
}

/*
 * After binding (ports known): the certificates and capture files of the
 * cameras with a socket of their own.  Cameras on a shared socket have
 * neither TLS nor a capture file open all the time (conn.c opens theirs).
 */
static void
setup_cameras(struct fleet *fl)
{
	char err[SIM_PATH + 128];
	size_t i;

	for (i = 0; i < fl->n; i++) {
		struct sim_camera *c = &fl->cams[i];

		if (c->ln->cam == NULL)
			continue;
		if ((c->spec->tls && tls_setup(c, err, sizeof(err)) != 0) ||
		    (c->x != NULL && c->x->https_port > 0 &&
			tls_setup_https(c, err, sizeof(err)) != 0) ||
		    capture_open(c, sim_capture_dir, err, sizeof(err)) != 0) {
			fprintf(stderr, "camsim: %s\n", err);
			exit(1);
		}
	}
}

int
main(int argc, char **argv)
{
	static struct fleet fl; /* until exit: reachable, not leaked */
	struct args a = {NULL, NULL, NULL, 0, 0, 0};
	struct swap_ctx sc;
	char err[512];
	size_t k;
	int i;

	memset(&fl, 0, sizeof(fl));
	i = parse_args(argc, argv, &a);
	fl.shared_default = a.shared;
	fl.unauth_default = a.unauth;
	if (a.fleet != NULL)
		fleet_read(&fl, a.fleet, a.dir);
	for (; i < argc; i++)
		fleet_add(&fl, argv[i], a.dir);
	if (fl.n == 0)
		usage();
	fleet_listeners(&fl);
	setup_signals();
	for (k = 0; k < fl.nlns; k++) {
		if (server_bind(&fl.lns[k], err, sizeof(err)) != 0) {
			fprintf(stderr, "camsim: %s\n", err);
			return 1;
		}
	}
	setup_cameras(&fl);
	if (wsd_start(fl.cams, fl.n, a.discovery, err, sizeof(err)) != 0 ||
	    udp_start(&fl, err, sizeof(err)) != 0) {
		fprintf(stderr, "camsim: %s\n", err);
		return 1;
	}
	fleet_write_ready(&fl, a.ready);
	sim_log(NULL, "ready: %zu camera(s) on %zu socket(s)", fl.n, fl.nlns);
	sc.fl = &fl;
	sc.ready = a.ready;
	server_run(&fl, swap_certificates, &sc);
	wsd_stop();
	udp_stop();
	sim_log(NULL, "stopped");
	if (a.ready != NULL)
		unlink(a.ready);
	return 0;
}
