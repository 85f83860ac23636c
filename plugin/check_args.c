/*
 * check_args.c: check_camcomply's command line.
 *
 * Owns the options, their defaults and checks, and the help text.
 * Single-threaded; called once from main() before any SNMP traffic.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "check_camcomply.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "Usage: " PROG " -H host [-p port] [-P 1|2c|3] [-C community]\n"
	    "       [-L seclevel] [-U secname] [-a authproto] [-A authpasswd]\n"
	    "       [-x privproto] [-X privpasswd] [-N context] [-t timeout]\n"
	    "       [-e retries] [--bulk=N] [--max-lines=N]\n"
	    "       [--{critical,warning}-{restricted,unidentified,"
	    "unreachable}=ZONES]\n"
	    "\n"
	    "Checks the cameras camcomplyd publishes in CAMERA-COMPLIANCE-MIB.\n"
	    "\n"
	    " -H, --hostname=ADDRESS  agent address (IPv4, IPv6 or name)\n"
	    " -p, --port=PORT         agent UDP port (default 161)\n"
	    " -P, --protocol=1|2c|3   SNMP version (default 2c)\n"
	    " -C, --community=STRING  v1/v2c community (default public)\n"
	    " -L, --seclevel=LEVEL    noAuthNoPriv, authNoPriv or authPriv\n"
	    "                         (default: from the passwords given)\n"
	    " -U, --secname=USER      v3 user name\n"
	    " -a, --authproto=PROTO   MD5, SHA, SHA-224, SHA-256, SHA-384,\n"
	    "                         SHA-512 (default SHA)\n"
	    " -A, --authpasswd=PASS   v3 authentication passphrase\n"
	    " -x, --privproto=PROTO   DES, AES, AES-192, AES-256 (default "
	    "AES)\n"
	    " -X, --privpasswd=PASS   v3 privacy passphrase\n"
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

enum { O_BULK = 256, O_MAXLINES, O_THRESH = 512 };

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

void
parse_args(struct opts *o, int argc, char **argv)
{
	int c, idx;

	opt_defaults(o);
	while ((c = getopt_long(argc, argv, "H:p:P:C:L:U:a:A:x:X:N:t:e:Vh",
		    longopts, &idx)) != -1) {
		switch (c) {
		case 'H':
			o->host = optarg;
			break;
		case 'p':
			o->port = optarg;
			break;
		case 'C':
			o->community = optarg;
			break;
		case 'L':
			o->seclevel = parse_seclevel(optarg);
			break;
		case 'U':
			o->secname = optarg;
			break;
		case 'a':
			o->authproto = optarg;
			break;
		case 'A':
			o->authpass = optarg;
			break;
		case 'x':
			o->privproto = optarg;
			break;
		case 'X':
			o->privpass = optarg;
			break;
		case 'N':
			o->context = optarg;
			break;
		case 't':
			o->timeout = parse_int("t", optarg, 1, 3600);
			break;
		case 'e':
			o->retries = parse_int("e", optarg, 0, 10);
			break;
		case O_BULK:
			o->bulk = parse_int("-bulk", optarg, 1, 500);
			break;
		case O_MAXLINES:
			o->max_lines =
			    parse_int("-max-lines", optarg, 0, 1 << 20);
			break;
		case 'P':
			if (strcmp(optarg, "1") == 0)
				o->version = SNMP_VERSION_1;
			else if (strcmp(optarg, "2c") == 0)
				o->version = SNMP_VERSION_2c;
			else if (strcmp(optarg, "3") == 0)
				o->version = SNMP_VERSION_3;
			else
				unknown(
				    "-P: want 1, 2c or 3, not '%s'", optarg);
			break;
		case 'V':
			printf(PROG " (camcomply) " PACKAGE_VERSION "\n");
			exit(ST_OK);
		case 'h':
			usage(stdout);
			exit(ST_OK);
		default:
			if (c >= O_THRESH && c < O_THRESH + 2 * K_MAX) {
				unsigned *m =
				    (c - O_THRESH) % 2 ? o->crit : o->warn;

				m[(c - O_THRESH) / 2] =
				    parse_zones(longopts[idx].name, optarg);
				break;
			}
			usage(stderr);
			exit(ST_UNKNOWN);
		}
	}
	if (optind < argc)
		unknown("unexpected argument '%s' (see --help)", argv[optind]);
	if (o->host == NULL)
		unknown("no host given: use -H (see --help)");
	if (o->version == SNMP_VERSION_3 && o->secname == NULL)
		unknown("SNMPv3 needs a user name: use -U");
}
