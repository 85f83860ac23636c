/*
 * secret.h: the one way camcomply reads a secret (a camera password, an
 * SNMP community or passphrase) and keeps it out of core dumps.  Used by
 * camcomplyd's config, `camcomply scan` and check_camcomply.
 */
#ifndef CAMCOMPLY_SECRET_H
#define CAMCOMPLY_SECRET_H

#include <sys/types.h>

#include <stddef.h>

/* Room for an error message from these functions. */
#define SECRET_ERR_MAX 600

/*
 * Reads the first line of the password file at path into buf (NUL
 * terminated, "\r\n" stripped).  The file must be a regular file, not a
 * symbolic link, owned by root, by the effective user or by the user given
 * to secret_allow_owner(), with no group or other permission bits.  An empty
 * secret, or one of bufsz bytes or more, is refused.  Returns 0, or -1 with buf
 * wiped and a message naming the file in err.  Any thread.
 */
int secret_read(
    const char *path, char *buf, size_t bufsz, char *err, size_t errsz);

/*
 * Also accepts password files owned by uid: the user camcomplyd switches
 * to (-u) after reading its configuration as root, and is when it reloads.
 * Call once, before any thread starts.
 */
void secret_allow_owner(uid_t uid);

/*
 * Copies the secret src (a command-line argument or an environment
 * variable's value) into buf, then wipes src in place so that it no longer
 * shows in /proc/PID/cmdline or /proc/PID/environ.  Refuses an empty
 * secret and one of bufsz bytes or more; what names src in messages.
 */
int secret_take(const char *what, char *src, char *buf, size_t bufsz, char *err,
    size_t errsz);

/*
 * No core dump, no ptrace or /proc/PID/mem by other processes of the same
 * user: PR_SET_DUMPABLE 0 and RLIMIT_CORE 0.  Call before any secret is
 * read, and again after a change of user id (which resets the dumpable
 * flag).  Returns 0, or -1 with errno set.
 */
int secret_no_core(void);

#endif
