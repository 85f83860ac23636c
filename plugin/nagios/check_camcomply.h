/*
 * check_camcomply.h: what the two halves of check_camcomply share:
 * check_camcomply.c (the SNMP session, the walk, the thresholds and the
 * report) and check_args.c (the command line and the secrets).
 * Single-threaded.
 */
#ifndef CHECK_CAMCOMPLY_H
#define CHECK_CAMCOMPLY_H

#define PROG "check_camcomply"
#define ST_OK 0
#define ST_WARNING 1
#define ST_CRITICAL 2
#define ST_UNKNOWN 3

enum { Z_GENERAL = 1, Z_CORE, Z_SENSITIVE };
enum { K_RESTRICTED, K_UNIDENTIFIED, K_UNREACHABLE, K_MAX };

#define ZBIT(z) (1u << (z))
#define ZALL (ZBIT(Z_GENERAL) | ZBIT(Z_CORE) | ZBIT(Z_SENSITIVE))

struct opts {
	const char *host, *port, *community, *secname, *context;
	const char *authproto, *authpass, *privproto, *privpass;
	long version, seclevel;
	int timeout, retries, bulk, max_lines;
	unsigned crit[K_MAX], warn[K_MAX]; /* zone bit masks */
};

/* Prints "CAMCOMPLY UNKNOWN - ..." and exits 3. */
void unknown(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/* Fills o from the command line; any mistake is UNKNOWN. */
void parse_args(struct opts *o, int argc, char **argv);

/* Wipes the community and passphrases (once the session holds its keys). */
void wipe_secrets(void);

#endif
