/*
 * fuzz_util.c: the helpers every fuzz target links (fuzz.h): the input
 * reader, the invariant checks, the source tree's data and a private
 * temp folder.  Single-threaded, like libFuzzer's calls into a target.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

uint8_t
fin_u8(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

uint16_t
fin_u16(struct fuzz_in *in)
{
	uint16_t v = fin_u8(in);

	return (uint16_t)(v << 8 | fin_u8(in));
}

uint32_t
fin_u32(struct fuzz_in *in)
{
	uint32_t v = fin_u16(in);

	return v << 16 | fin_u16(in);
}

size_t
fin_pick(struct fuzz_in *in, size_t n)
{
	return n < 256 ? fin_u8(in) % n : fin_u16(in) % n;
}

void
fin_str(struct fuzz_in *in, char *dst, size_t dstsz)
{
	size_t len = fin_u8(in);

	if (len > in->n)
		len = in->n;
	if (len > dstsz - 1)
		len = dstsz - 1;
	memcpy(dst, in->p, len);
	dst[len] = '\0';
	/* Whatever did not fit is skipped, so fields stay aligned. */
	in->p += len;
	in->n -= len;
}

void
fin_line(struct fuzz_in *in, char *dst, size_t dstsz)
{
	const uint8_t *nl = memchr(in->p, '\n', in->n);
	size_t len = nl != NULL ? (size_t)(nl - in->p) : in->n;
	size_t keep = len < dstsz - 1 ? len : dstsz - 1;

	memcpy(dst, in->p, keep);
	dst[keep] = '\0';
	len += nl != NULL;
	in->p += len;
	in->n -= len;
}

void
fuzz_check_str(const char *s, size_t sz, bool clean)
{
	size_t len;

	FUZZ_CHECK(s != NULL);
	len = strnlen(s, sz);
	FUZZ_CHECK(len < sz);
	if (!clean)
		return;
	FUZZ_CHECK(fuzz_utf8_ok(s));
	for (; *s != '\0'; s++)
		FUZZ_CHECK((unsigned char)*s >= 0x20 && *s != 0x7f);
}

bool
fuzz_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int cp;
	size_t n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = (*p & 0xe0) == 0xc0	  ? 2
		    : (*p & 0xf0) == 0xe0 ? 3
		    : (*p & 0xf8) == 0xf0 ? 4
					  : 0;
		if (n == 0)
			return false;
		cp = *p & (0x7f >> n);
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n;
	}
	return true;
}

const char *
fuzz_srcpath(const char *rel)
{
	static char path[PATH_MAX];
	const char *top = getenv("CAMCOMPLY_SRCDIR");

	snprintf(
	    path, sizeof(path), "%s/%s", top != NULL ? top : TOP_SRCDIR, rel);
	return path;
}

static char tmpdir[PATH_MAX];

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
rm_tmpdir(void)
{
	nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

void
fuzz_tmppath(const char *name, char *path, size_t pathsz)
{
	if (tmpdir[0] == '\0') {
		/* Memory, where the state file's fsync costs nothing. */
		const char *t = getenv("FUZZ_TMPDIR");
		if (t == NULL || *t == '\0')
			t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NULL;
		if (t == NULL && ((t = getenv("TMPDIR")) == NULL || *t == '\0'))
			t = "/tmp";
		snprintf(tmpdir, sizeof(tmpdir), "%s/camcomply-fuzz.XXXXXX", t);
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			abort();
		}
		atexit(rm_tmpdir);
	}
	snprintf(path, pathsz, "%s/%s", tmpdir, name);
}

int
fuzz_write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t w = 0;

	if (fd < 0)
		return -1;
	if (len > 0)
		w = write(fd, buf, len);
	close(fd);
	return w == (ssize_t)len ? 0 : -1;
}

char *
fuzz_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}
