/*
 * secret.c: reading secrets (camera passwords, SNMP communities and
 * passphrases) from files that only their owner can read, and keeping them
 * out of core dumps.
 *
 * Owns the checks on a password file and the copies made while reading
 * it.  The checks are made on the open descriptor (fstat), never on the
 * name, so the file cannot be swapped between the check and the read.
 * The file is read with read(2) into memory this module owns and wipes:
 * stdio would leave a copy of the password in its buffer.  Any thread may
 * read; the one setting (another owner to accept) is made at start-up.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/secret.h"

static uid_t also_owner;
static int have_also_owner;

void
secret_allow_owner(uid_t uid)
{
	also_owner = uid;
	have_also_owner = 1;
}

/* Refuses a file whose type, owner or mode would let someone else in. */
static int
check_file(const char *path, const struct stat *st, char *err, size_t errsz)
{
	uid_t me = geteuid();

	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errsz,
		    "password file %s is not a regular file; refused", path);
		return -1;
	}
	if (st->st_uid != 0 && st->st_uid != me &&
	    !(have_also_owner && st->st_uid == also_owner)) {
		snprintf(err, errsz,
		    "password file %s is owned by uid %lu, not by root or "
		    "by the user reading it (uid %lu); refused",
		    path, (unsigned long)st->st_uid, (unsigned long)me);
		return -1;
	}
	if (st->st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errsz,
		    "password file %s has mode %04o, open to group or "
		    "others; refused (chmod 600 %s)",
		    path, (unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/* Reads up to cap bytes; returns the count, or -1 with errno set. */
static ssize_t
read_up_to(int fd, char *tmp, size_t cap)
{
	size_t got = 0;
	ssize_t n;

	while (got < cap) {
		n = read(fd, tmp + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Length of the first line of p[0..n): up to the first '\r' or '\n'. */
static size_t
line_len(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '\r' || p[i] == '\n')
			break;
	return i;
}

/*
 * The secret is what comes before the first '\r' or '\n'.  Two bytes more
 * than the longest secret are read, so a secret of exactly bufsz - 1
 * bytes still shows its "\r\n" and a longer one is seen to be longer.
 */
static int
first_line(
    int fd, const char *path, char *buf, size_t bufsz, char *err, size_t errsz)
{
	size_t cap = bufsz + 1, len;
	char *tmp;
	ssize_t got;
	int rc = -1;

	if ((tmp = malloc(cap)) == NULL) {
		snprintf(err, errsz, "password file %s: out of memory", path);
		return -1;
	}
	if ((got = read_up_to(fd, tmp, cap)) < 0) {
		snprintf(
		    err, errsz, "password file %s: %s", path, strerror(errno));
		goto out;
	}
	len = line_len(tmp, (size_t)got);
	if (len == (size_t)got && (size_t)got == cap)
		len = cap; /* no end of line in sight: too long */
	if (len >= bufsz)
		snprintf(err, errsz,
		    "password in %s is longer than %zu bytes; refused", path,
		    bufsz - 1);
	else if (len == 0)
		snprintf(err, errsz, "password file %s: empty; refused", path);
	else if (memchr(tmp, '\0', len) != NULL)
		snprintf(err, errsz,
		    "password in %s contains a NUL byte; refused", path);
	else {
		memcpy(buf, tmp, len);
		buf[len] = '\0';
		rc = 0;
	}
out:
	explicit_bzero(tmp, cap);
	free(tmp);
	return rc;
}

int
secret_read(const char *path, char *buf, size_t bufsz, char *err, size_t errsz)
{
	struct stat st;
	int fd, rc = -1;

	explicit_bzero(buf, bufsz);
	if (bufsz < 2) {
		snprintf(err, errsz, "password file %s: no room", path);
		return -1;
	}
	/*
	 * O_NOFOLLOW: a link planted in place of the file is not followed.
	 * O_NONBLOCK: a FIFO must not hang the open; fstat refuses it.
	 */
	fd = open(
	    path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(err, errsz,
			    "password file %s is a symbolic link; refused "
			    "(name the file itself)",
			    path);
		else
			snprintf(err, errsz, "password file %s: %s", path,
			    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0)
		snprintf(
		    err, errsz, "password file %s: %s", path, strerror(errno));
	else if (check_file(path, &st, err, errsz) == 0)
		rc = first_line(fd, path, buf, bufsz, err, errsz);
	close(fd);
	return rc;
}

int
secret_take(const char *what, char *src, char *buf, size_t bufsz, char *err,
    size_t errsz)
{
	size_t len = strlen(src);
	int rc = -1;

	if (len == 0)
		snprintf(err, errsz, "%s is empty", what);
	else if (len >= bufsz)
		snprintf(
		    err, errsz, "%s is longer than %zu bytes", what, bufsz - 1);
	else {
		memcpy(buf, src, len + 1);
		rc = 0;
	}
	/* The kernel shows argv and environ from this memory. */
	explicit_bzero(src, len);
	return rc;
}

int
secret_no_core(void)
{
	struct rlimit rl = {0, 0};

	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		return -1;
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}
