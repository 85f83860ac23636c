/*
 * main.c: camsim, a simulated fleet of ONVIF cameras in one process.
 *
 * Owns the command line, the fleet file, the log and the ready file, and
 * the stop signal.  main() runs in the main thread; sim_log() may be called
 * from any thread.
 */
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

static int stop_pipe[2] = {-1, -1};
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

static void
setup_signals(void)
{
	struct sigaction sa;

	if (pipe(stop_pipe) != 0) {
		perror("camsim: pipe");
		exit(1);
	}
	fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK);
	sim_stop_fd = stop_pipe[0];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: camsim [-w] [-d profile-dir] [-f fleet-file] "
	    "[-r ready-file] [-l log-file]\n"
	    "              [PROFILE@ADDR[:PORT][,option=value...] ...]\n"
	    "  -w, --discovery  WS-Discovery (UDP 3702) for every IPv4 camera\n"
	    "options in a spec: fault=MODE skew=SECONDS password-file=FILE "
	    "user=NAME\n"
	    "  auth=none|wsse|digest|either lockout=N clock-window=SECONDS\n"
	    "  fault-scope=identity|all huge-mb=N drip-ms=N\n"
	    "  discovery=yes|no hello=yes|no endpoint=URI "
	    "xaddr-extra=none|https|linklocal|both\n");
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

/* Lines "LABEL URL", written whole then renamed so readers never see half. */
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

		fprintf(f, "%s http://%s%s%s:%d/onvif/device_service\n",
		    c->label, v6 ? "[" : "", c->host, v6 ? "]" : "", c->port);
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
	const char *dir, *fleet, *ready;
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
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int ch;

	if ((a->dir = getenv("CAMSIM_PROFILE_DIR")) == NULL)
		a->dir = CAMSIM_PROFILE_DIR;
	while ((ch = getopt_long(argc, argv, "d:f:r:l:wh", longopts, NULL)) !=
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

int
main(int argc, char **argv)
{
	struct fleet fl = {NULL, 0, 0};
	struct args a = {NULL, NULL, NULL, 0};
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
	if (wsd_start(fl.cams, fl.n, a.discovery, err, sizeof(err)) != 0) {
		fprintf(stderr, "camsim: %s\n", err);
		return 1;
	}
	write_ready(&fl, a.ready);
	sim_log(NULL, "ready: %d camera(s)", fl.n);
	server_run(fl.cams, fl.n);
	wsd_stop();
	sim_log(NULL, "stopped");
	if (a.ready != NULL)
		unlink(a.ready);
	free(fl.cams);
	return 0;
}
