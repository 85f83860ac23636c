/*
 * report.c: `camcomply report`, the audit report of an estate.
 *
 * Owns the command line (the source, the format, the output file and the
 * SNMP options with their secrets: taken off argv or read from files, and
 * wiped once the agent is read), the report's list of cameras, reading a
 * file or stdin (bounded) and writing the output atomically.  The sources
 * are in report_snmp.c and report_src.c, the renderers in report_html.c
 * and report_text.c.  Main thread only.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "common/secret.h"
#include "common/strutil.h"

/* ---- input -----------------------------------------------------------------
 */

/* All of path ("-": stdin), at most REPORT_MAX_INPUT bytes, NUL-ended. */
static char *
read_all(const char *path, size_t *len, char *err, size_t errsz)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t cap = 1 << 16, n = 0, got;
	char *buf = NULL, *nb;

	if (f == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap || buf == NULL) {
			if (buf != NULL)
				cap *= 2;
			if (cap > (size_t)REPORT_MAX_INPUT + 2)
				cap = (size_t)REPORT_MAX_INPUT + 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				snprintf(err, errsz, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n > REPORT_MAX_INPUT) {
			snprintf(err, errsz, "%s: larger than %u MiB", path,
			    REPORT_MAX_INPUT >> 20);
			goto fail;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (f != stdin)
		fclose(f);
	free(buf);
	return NULL;
}

/* ---- output ----------------------------------------------------------------
 */

static int
render(FILE *f, const struct report *r, const char *format)
{
	int rc;

	if (strcmp(format, "csv") == 0)
		rc = report_csv(f, r);
	else if (strcmp(format, "json") == 0)
		rc = report_json(f, r);
	else
		rc = report_html(f, r);
	if (rc == 0 && fflush(f) != 0)
		rc = -1;
	if (rc == 0 && ferror(f)) {
		errno = EIO;
		rc = -1;
	}
	return rc;
}

/* To path through a temp file beside it, renamed in place: 0 or -1. */
static int
write_atomic(const char *path, const struct report *r, const char *format)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, rc, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0)
		return -1;
	if (fchmod(fd, 0644) != 0 || (f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	rc = render(f, r, format);
	if (rc == 0 && fsync(fileno(f)) != 0)
		rc = -1;
	saved = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		unlink(tmp);
		errno = saved;
	}
	return rc;
}

/* ---- the command -----------------------------------------------------------
 */

static void
report_usage(FILE *f)
{
	fprintf(f,
	    "usage: camcomply report [--format html|csv|json] "
	    "[--output FILE]\n"
	    "                        [--config camcomplyd.conf] "
	    "[--policy FILE]\n"
	    "                        [-v 1|2c|3] [-c COMMUNITY | "
	    "--community-file FILE]\n"
	    "                        [-u USER] [-l LEVEL] [-a PROTO] "
	    "[-A PASS | --auth-pass-file FILE]\n"
	    "                        [-x PROTO] [-X PASS | "
	    "--priv-pass-file FILE] [-t SECONDS] [-r N]\n"
	    "                        SOURCE\n"
	    "SOURCE is a live agent (snmp://HOST[:PORT]), a camcomplyd "
	    "state file, or the\n"
	    "output of `camcomply scan --json` (- for stdin), told apart by "
	    "content.\n");
}

enum {
	OPT_COMMUNITY_FILE = 256,
	OPT_AUTH_FILE,
	OPT_PRIV_FILE,
};

struct report_args {
	const char *format, *output, *source;
	struct report_file_opts file;
	struct report_snmp_opts snmp;
	char community[256], auth[256], priv[256];
	char err[SECRET_ERR_MAX];
};

/* A secret from argv (then wiped there) or from a file; -1 after a message. */
static int
take_secret(int c, char *arg, struct report_args *a)
{
	char *buf = c == 'c' || c == OPT_COMMUNITY_FILE ? a->community
	    : c == 'A' || c == OPT_AUTH_FILE		? a->auth
							: a->priv;
	const char *what = c == 'c' ? "-c" : c == 'A' ? "-A" : "-X";
	int rc = c < 256
	    ? secret_take(what, arg, buf, 256, a->err, sizeof(a->err))
	    : secret_read(arg, buf, 256, a->err, sizeof(a->err));

	if (rc != 0) {
		fprintf(stderr, "camcomply report: %s\n", a->err);
		return -1;
	}
	if (buf == a->community)
		a->snmp.community = buf;
	else if (buf == a->auth)
		a->snmp.auth_pass = buf;
	else
		a->snmp.priv_pass = buf;
	return 0;
}

static int
one_option(int c, char *arg, struct report_args *a)
{
	char *end;

	switch (c) {
	case 'f':
		if (strcmp(arg, "html") && strcmp(arg, "csv") &&
		    strcmp(arg, "json")) {
			fprintf(stderr,
			    "camcomply report: --format is html, csv or json\n");
			return -1;
		}
		a->format = arg;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case 'P':
		a->file.policy = arg;
		return 0;
	case 'C':
		a->file.config = arg;
		return 0;
	case 'v':
		if (strcmp(arg, "1") && strcmp(arg, "2c") && strcmp(arg, "3")) {
			fprintf(stderr, "camcomply report: -v is 1, 2c or 3\n");
			return -1;
		}
		a->snmp.version = arg;
		return 0;
	case 'u':
		a->snmp.user = arg;
		return 0;
	case 'l':
		a->snmp.level = arg;
		return 0;
	case 'a':
		a->snmp.auth_proto = arg;
		return 0;
	case 'x':
		a->snmp.priv_proto = arg;
		return 0;
	case 't':
		a->snmp.timeout = strtod(arg, &end);
		if (*end == '\0' && a->snmp.timeout > 0 &&
		    a->snmp.timeout <= 600)
			return 0;
		fprintf(stderr, "camcomply report: -t wants seconds (0-600)\n");
		return -1;
	case 'r':
		a->snmp.retries = (int)strtol(arg, &end, 10);
		if (*end == '\0' && a->snmp.retries >= 0 &&
		    a->snmp.retries <= 10)
			return 0;
		fprintf(stderr, "camcomply report: -r wants 0..10\n");
		return -1;
	case 'c':
	case 'A':
	case 'X':
	case OPT_COMMUNITY_FILE:
	case OPT_AUTH_FILE:
	case OPT_PRIV_FILE:
		return take_secret(c, arg, a);
	case 'h':
		report_usage(stdout);
		exit(0);
	default:
		report_usage(stderr);
		return -1;
	}
}

static int
parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option lopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'},
	    {"policy", required_argument, NULL, 'P'},
	    {"config", required_argument, NULL, 'C'},
	    {"community-file", required_argument, NULL, OPT_COMMUNITY_FILE},
	    {"auth-pass-file", required_argument, NULL, OPT_AUTH_FILE},
	    {"priv-pass-file", required_argument, NULL, OPT_PRIV_FILE},
	    {"timeout", required_argument, NULL, 't'},
	    {"retries", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool v3;
	int c;

	a->format = "html";
	a->snmp.timeout = 5;
	a->snmp.retries = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:v:c:u:l:a:A:x:X:t:r:h", lopts,
		    NULL)) != -1)
		if (one_option(c, optarg, a) != 0)
			return -1;
	if (optind != argc - 1) {
		report_usage(stderr);
		return -1;
	}
	a->source = argv[optind];
	if (strncmp(a->source, "snmp://", 7) == 0 &&
	    !report_snmp_url_ok(a->source)) {
		fprintf(stderr,
		    "camcomply report: %s: not snmp://HOST[:PORT] (HOST a "
		    "name, an IPv4 address or an [IPv6] address)\n",
		    a->source);
		return -1;
	}
	v3 = a->snmp.user != NULL ||
	    (a->snmp.version != NULL && strcmp(a->snmp.version, "3") == 0);
	if (strncmp(a->source, "snmp://", 7) == 0 &&
	    (v3 ? a->snmp.user == NULL : a->snmp.community == NULL)) {
		fprintf(stderr, "camcomply report: %s\n",
		    v3 ? "SNMPv3 needs a user (-u)"
		       : "SNMPv1 and v2c need a community "
			 "(--community-file FILE or -c)");
		return -1;
	}
	return 0;
}

static void
wipe(struct report_args *a)
{
	explicit_bzero(a->community, sizeof(a->community));
	explicit_bzero(a->auth, sizeof(a->auth));
	explicit_bzero(a->priv, sizeof(a->priv));
}

/* Fill r from a->source: 0, or 1 after a message. */
static int
load_source(struct report *r, struct report_args *a)
{
	size_t len;
	char *buf;
	int rc;

	if (strncmp(a->source, "snmp://", 7) == 0) {
		rc = report_from_snmp(
		    r, a->source, &a->snmp, a->err, sizeof(a->err));
		wipe(a);
	} else {
		wipe(a);
		if ((buf = read_all(a->source, &len, a->err, sizeof(a->err))) ==
		    NULL)
			rc = -1;
		else {
			rc = report_from_bytes(
			    r, buf, len, &a->file, a->err, sizeof(a->err));
			free(buf);
		}
	}
	if (rc != 0) {
		fprintf(stderr, "camcomply report: %s\n", a->err);
		return 1;
	}
	return 0;
}

int
cli_report(int argc, char **argv)
{
	static struct report_args a;
	struct report r;
	int rc;

	memset(&a, 0, sizeof(a));
	if (secret_no_core() != 0) {
		fprintf(stderr,
		    "camcomply report: cannot disable core dumps: %s\n",
		    strerror(errno));
		return 2;
	}
	if (parse_args(argc, argv, &a) != 0) {
		wipe(&a);
		return 2;
	}
	report_init(&r, a.source);
	if (load_source(&r, &a) != 0) {
		report_free(&r);
		return 1;
	}
	if (a.output != NULL)
		rc = write_atomic(a.output, &r, a.format);
	else
		rc = render(stdout, &r, a.format);
	if (rc != 0)
		fprintf(stderr, "camcomply report: %s: %s\n",
		    a.output ? a.output : "stdout", strerror(errno));
	report_free(&r);
	return rc != 0 ? 1 : 0;
}
