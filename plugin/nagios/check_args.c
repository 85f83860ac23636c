/*
 * check_args.c: check_camcomply's command line.
 *
 * Owns the options, their defaults and checks, the help text, and the
 * secrets: the community and the v3 passphrases come from a file (through
 * secret.c's checks), from the environment, or from the command line,
 * where every local user can read them (ps, /proc/PID/cmdline) until they
 * are wiped there.  Single-threaded; called once from main() before any
 * SNMP traffic.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "nagios/check_camcomply.h"
#include "common/secret.h"

/* -C, -A and -X, each with a file option and an environment variable. */
enum { SEC_COMMUNITY, SEC_AUTH, SEC_PRIV, N_SEC };
static const struct {
	int opt;
	const char *file_opt, *env;
} sec_src[N_SEC] = {
    {'C', "community-file", "CAMCOMPLY_SNMP_COMMUNITY"},
    {'A', "authpasswd-file", "CAMCOMPLY_SNMP_AUTHPASSWD"},
    {'X', "privpasswd-file", "CAMCOMPLY_SNMP_PRIVPASSWD"},
};
static char *sec_arg[N_SEC];
static const char *sec_file[N_SEC];
static char sec_buf[N_SEC][256];

static void
usage(FILE *f)
{
	fprintf(f,
	    "Usage: " PROG " -H host [-p port] [-P 1|2c|3]\n"
	    "       [-C community | --community-file=FILE]\n"
	    "       [-L seclevel] [-U secname] [-N context]\n"
	    "       [-a authproto] [-A authpasswd | --authpasswd-file=FILE]\n"
	    "       [-x privproto] [-X privpasswd | --privpasswd-file=FILE]\n"
	    "       [-t timeout] [-e retries] [--bulk=N] [--max-lines=N]\n"
	    "       [--{critical,warning}-{restricted,unidentified,"
	    "unreachable}=ZONES]\n"
	    "\n"
	    "Checks the cameras camcomplyd publishes in CAMERA-COMPLIANCE-MIB.\n"
	    "\n"
	    " -H, --hostname=ADDRESS  agent address (IPv4, IPv6 or name)\n"
	    " -p, --port=PORT         agent UDP port (default 161)\n"
	    " -P, --protocol=1|2c|3   SNMP version (default 2c)\n"
	    " -C, --community=STRING  v1/v2c community (default public);\n"
	    "                         visible to every local user: see Secrets\n"
	    "     --community-file=FILE  the community, from FILE\n"
	    " -L, --seclevel=LEVEL    noAuthNoPriv, authNoPriv or authPriv\n"
	    "                         (default: from the passwords given)\n"
	    " -U, --secname=USER      v3 user name\n"
	    " -a, --authproto=PROTO   MD5, SHA, SHA-224, SHA-256, SHA-384,\n"
	    "                         SHA-512 (default SHA)\n"
	    " -A, --authpasswd=PASS   v3 authentication passphrase; visible\n"
	    "                         to every local user: see Secrets\n"
	    "     --authpasswd-file=FILE  the authentication passphrase, from "
	    "FILE\n"
	    " -x, --privproto=PROTO   DES, AES, AES-192, AES-256 (default "
	    "AES)\n"
	    " -X, --privpasswd=PASS   v3 privacy passphrase; visible to every\n"
	    "                         local user: see Secrets\n"
	    "     --privpasswd-file=FILE  the privacy passphrase, from FILE\n"
	    " -N, --context=NAME      v3 context name\n"
	    " -t, --timeout=SECONDS   whole plugin run (default 10)\n"
	    " -e, --retries=N         retries per request (default 1)\n"
	    "     --bulk=N            GETBULK max-repetitions (default 25)\n"
	    "     --max-lines=N       camera lines printed, 0 = all "
	    "(default 50)\n"
	    "\n"
	    "Thresholds.  ZONES is a comma-separated list of general, core,\n"
	    "sensitive, or one of all and none.  A camera of a kind whose zone\n"
	    "is in the critical list is CRITICAL, else in the warning list\n"
	    "WARNING.  Restricted and unidentified cameras count only while\n"
	    "their action is not none: a waived camera never offends.\n"
	    "Unreachable means poll status timeout or unreachable.\n"
	    "     --critical-restricted=ZONES    (default sensitive,core)\n"
	    "     --warning-restricted=ZONES     (default general)\n"
	    "     --critical-unidentified=ZONES  (default none)\n"
	    "     --warning-unidentified=ZONES   (default sensitive)\n"
	    "     --critical-unreachable=ZONES   (default none)\n"
	    "     --warning-unreachable=ZONES    (default none)\n"
	    "The same options with a -zone suffix are accepted as well.\n"
	    "\n"
	    "Secrets.  -C, -A and -X put the secret on the command line,\n"
	    "where every local user can read it (ps, /proc/PID/cmdline) until\n"
	    "the plugin has copied it, and for the whole run in the command\n"
	    "line of any shell that started it: use the file options instead.\n"
	    "--community-file, --authpasswd-file and --privpasswd-file read\n"
	    "the first line of FILE, which must be a regular file (not a\n"
	    "link) owned by root or by the user running the plugin, with no\n"
	    "group or other permissions (chmod 600); a secret longer than 255\n"
	    "bytes is refused.  This is the safe choice.  Without an option,\n"
	    "the environment variables CAMCOMPLY_SNMP_COMMUNITY,\n"
	    "CAMCOMPLY_SNMP_AUTHPASSWD and CAMCOMPLY_SNMP_PRIVPASSWD are read;\n"
	    "they stay readable by the same user and root in\n"
	    "/proc/PID/environ of every process that passes them on.\n"
	    "\n"
	    " -V, --version           print the version and exit\n"
	    " -h, --help              print this help and exit\n");
}

static unsigned
parse_zones(const char *opt, const char *arg)
{
	char buf[128], *p, *tok;
	unsigned mask = 0;

	if (strlen(arg) >= sizeof(buf))
		unknown("--%s: list too long", opt);
	strcpy(buf, arg);
	for (p = buf; (tok = strsep(&p, ",")) != NULL;) {
		if (strcmp(tok, "general") == 0)
			mask |= ZBIT(Z_GENERAL);
		else if (strcmp(tok, "core") == 0)
			mask |= ZBIT(Z_CORE);
		else if (strcmp(tok, "sensitive") == 0)
			mask |= ZBIT(Z_SENSITIVE);
		else if (strcmp(tok, "all") == 0)
			mask |= ZALL;
		else if (strcmp(tok, "none") != 0 && tok[0] != '\0')
			unknown("--%s: unknown zone '%s' (general, core, "
				"sensitive, all, none)",
			    opt, tok);
	}
	return mask;
}

static int
parse_int(const char *opt, const char *arg, int min, int max)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < min || v > max)
		unknown("-%s: want a number from %d to %d, not '%s'", opt, min,
		    max, arg);
	return (int)v;
}

enum { O_BULK = 256, O_MAXLINES, O_SECFILE, O_THRESH = 512 };

static const struct option longopts[] = {
    {"hostname", required_argument, NULL, 'H'},
    {"port", required_argument, NULL, 'p'},
    {"protocol", required_argument, NULL, 'P'},
    {"community", required_argument, NULL, 'C'},
    {"seclevel", required_argument, NULL, 'L'},
    {"secname", required_argument, NULL, 'U'},
    {"authproto", required_argument, NULL, 'a'},
    {"authpasswd", required_argument, NULL, 'A'},
    {"privproto", required_argument, NULL, 'x'},
    {"privpasswd", required_argument, NULL, 'X'},
    {"context", required_argument, NULL, 'N'},
    {"timeout", required_argument, NULL, 't'},
    {"retries", required_argument, NULL, 'e'},
    {"community-file", required_argument, NULL, O_SECFILE + SEC_COMMUNITY},
    {"authpasswd-file", required_argument, NULL, O_SECFILE + SEC_AUTH},
    {"privpasswd-file", required_argument, NULL, O_SECFILE + SEC_PRIV},
    {"bulk", required_argument, NULL, O_BULK},
    {"max-lines", required_argument, NULL, O_MAXLINES},
    /* O_THRESH + kind * 2 + (1 if critical) */
    {"warning-restricted", required_argument, NULL, O_THRESH + 0},
    {"critical-restricted", required_argument, NULL, O_THRESH + 1},
    {"warning-unidentified", required_argument, NULL, O_THRESH + 2},
    {"critical-unidentified", required_argument, NULL, O_THRESH + 3},
    {"warning-unreachable", required_argument, NULL, O_THRESH + 4},
    {"critical-unreachable", required_argument, NULL, O_THRESH + 5},
    {"warning-restricted-zone", required_argument, NULL, O_THRESH + 0},
    {"critical-restricted-zone", required_argument, NULL, O_THRESH + 1},
    {"warning-unidentified-zone", required_argument, NULL, O_THRESH + 2},
    {"critical-unidentified-zone", required_argument, NULL, O_THRESH + 3},
    {"warning-unreachable-zone", required_argument, NULL, O_THRESH + 4},
    {"critical-unreachable-zone", required_argument, NULL, O_THRESH + 5},
    {"version", no_argument, NULL, 'V'}, {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static void
opt_defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = "161";
	o->community = "public";
	o->version = SNMP_VERSION_2c;
	o->seclevel = -1;
	o->timeout = 10;
	o->retries = 1;
	o->bulk = 25;
	o->max_lines = 50;
	o->crit[K_RESTRICTED] = ZBIT(Z_SENSITIVE) | ZBIT(Z_CORE);
	o->warn[K_RESTRICTED] = ZBIT(Z_GENERAL);
	o->warn[K_UNIDENTIFIED] = ZBIT(Z_SENSITIVE);
}

static long
parse_seclevel(const char *s)
{
	if (strcasecmp(s, "noAuthNoPriv") == 0)
		return SNMP_SEC_LEVEL_NOAUTH;
	if (strcasecmp(s, "authNoPriv") == 0)
		return SNMP_SEC_LEVEL_AUTHNOPRIV;
	if (strcasecmp(s, "authPriv") == 0)
		return SNMP_SEC_LEVEL_AUTHPRIV;
	unknown("-L: want noAuthNoPriv, authNoPriv or authPriv, not '%s'", s);
}

/*
 * Secret i from its option (wiped in argv once copied), its file, or its
 * environment variable (wiped in environ), in that order; NULL if none.
 */
static const char *
secret(int i)
{
	char err[SECRET_ERR_MAX], what[8];
	char *env = getenv(sec_src[i].env);
	char *buf = sec_buf[i];
	size_t sz = sizeof(sec_buf[i]);

	if (sec_arg[i] != NULL && sec_file[i] != NULL)
		unknown("-%c and --%s: give one, not both", sec_src[i].opt,
		    sec_src[i].file_opt);
	if (sec_arg[i] != NULL) {
		snprintf(what, sizeof(what), "-%c", sec_src[i].opt);
		if (secret_take(what, sec_arg[i], buf, sz, err, sizeof(err)))
			unknown("%s", err);
	} else if (sec_file[i] != NULL) {
		if (secret_read(sec_file[i], buf, sz, err, sizeof(err)) != 0)
			unknown("--%s: %s", sec_src[i].file_opt, err);
	} else if (env != NULL && *env != '\0') {
		if (secret_take(sec_src[i].env, env, buf, sz, err, sizeof(err)))
			unknown("%s", err);
	} else
		return NULL;
	return buf;
}

void
wipe_secrets(void)
{
	explicit_bzero(sec_buf, sizeof(sec_buf));
}

/* -P 1|2c|3 */
static int
parse_version(const char *arg)
{
	if (strcmp(arg, "1") == 0)
		return SNMP_VERSION_1;
	if (strcmp(arg, "2c") == 0)
		return SNMP_VERSION_2c;
	if (strcmp(arg, "3") == 0)
		return SNMP_VERSION_3;
	unknown("-P: want 1, 2c or 3, not '%s'", arg);
	return SNMP_VERSION_2c; /* not reached */
}

/* The options without a letter: secret files and zone thresholds. */
static void
long_option(struct opts *o, int c, int idx, char *arg)
{
	if (c >= O_SECFILE && c < O_SECFILE + N_SEC) {
		sec_file[c - O_SECFILE] = arg;
		return;
	}
	if (c >= O_THRESH && c < O_THRESH + 2 * K_MAX) {
		unsigned *m = (c - O_THRESH) % 2 ? o->crit : o->warn;

		m[(c - O_THRESH) / 2] = parse_zones(longopts[idx].name, arg);
		return;
	}
	usage(stderr);
	exit(ST_UNKNOWN);
}

static void
one_option(struct opts *o, int c, int idx, char *arg)
{
	switch (c) {
	case 'H':
		o->host = arg;
		break;
	case 'p':
		o->port = arg;
		break;
	case 'C':
		sec_arg[SEC_COMMUNITY] = arg;
		break;
	case 'L':
		o->seclevel = parse_seclevel(arg);
		break;
	case 'U':
		o->secname = arg;
		break;
	case 'a':
		o->authproto = arg;
		break;
	case 'A':
		sec_arg[SEC_AUTH] = arg;
		break;
	case 'x':
		o->privproto = arg;
		break;
	case 'X':
		sec_arg[SEC_PRIV] = arg;
		break;
	case 'N':
		o->context = arg;
		break;
	case 't':
		o->timeout = parse_int("t", arg, 1, 3600);
		break;
	case 'e':
		o->retries = parse_int("e", arg, 0, 10);
		break;
	case O_BULK:
		o->bulk = parse_int("-bulk", arg, 1, 500);
		break;
	case O_MAXLINES:
		o->max_lines = parse_int("-max-lines", arg, 0, 1 << 20);
		break;
	case 'P':
		o->version = parse_version(arg);
		break;
	case 'V':
		printf(PROG " (camcomply) " PACKAGE_VERSION "\n");
		exit(ST_OK);
	case 'h':
		usage(stdout);
		exit(ST_OK);
	default:
		long_option(o, c, idx, arg);
	}
}

void
parse_args(struct opts *o, int argc, char **argv)
{
	int c, idx;

	opt_defaults(o);
	while ((c = getopt_long(argc, argv, "H:p:P:C:L:U:a:A:x:X:N:t:e:Vh",
		    longopts, &idx)) != -1)
		one_option(o, c, idx, optarg);
	o->community = secret(SEC_COMMUNITY);
	if (o->community == NULL)
		o->community = "public";
	o->authpass = secret(SEC_AUTH);
	o->privpass = secret(SEC_PRIV);
	if (optind < argc)
		unknown("unexpected argument '%s' (see --help)", argv[optind]);
	if (o->host == NULL)
		unknown("no host given: use -H (see --help)");
	if (o->version == SNMP_VERSION_3 && o->secname == NULL)
		unknown("SNMPv3 needs a user name: use -U");
}
