/*
 * fuzz.h: what the libFuzzer targets of tests/fuzz share: libFuzzer's entry
 * points, a reader that takes typed values off the input, the checks that
 * turn a broken invariant into a crash, and where the source tree's data
 * and a private temp folder are.  Built only with --enable-fuzzers.
 */
#ifndef CAMCOMPLY_FUZZ_H
#define CAMCOMPLY_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points (the library has no header for them). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken invariant: say which and where, then abort() (a crash). */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail(__FILE__, __LINE__, #cond);                  \
	} while (0)
void fuzz_fail(const char *file, int line, const char *what)
    __attribute__((noreturn));

/* The input, taken from the front; past its end every read gives 0 or "". */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

uint8_t fin_u8(struct fuzz_in *);
uint16_t fin_u16(struct fuzz_in *);
uint32_t fin_u32(struct fuzz_in *);
/* One of n choices (n > 0). */
size_t fin_pick(struct fuzz_in *, size_t n);
/* A length byte, then that many bytes (at most dstsz - 1), NUL-ended. */
void fin_str(struct fuzz_in *, char *dst, size_t dstsz);
/* Bytes up to the next '\n' (dropped) or the end, NUL-ended, cut to fit. */
void fin_line(struct fuzz_in *, char *dst, size_t dstsz);

/*
 * s ends within sz bytes; with clean, it is also what str_clean() promises:
 * well-formed UTF-8 without C0 controls or DEL.
 */
void fuzz_check_str(const char *s, size_t sz, bool clean);
/* s is well-formed UTF-8 (no overlong form, surrogate or cut sequence). */
bool fuzz_utf8_ok(const char *s);

/*
 * What a collector may leave in an identity (fuzz_ident.c): strings end
 * in their fields, the address is "" or numeric, MACs are nonzero and
 * distinct, facts are of known kinds and probes, clean, nonempty and
 * distinct, and the probe bits name known collectors.
 */
struct cam_identity;
struct cam_facts;
void fuzz_check_identity(const struct cam_identity *);
void fuzz_check_facts(const struct cam_facts *);
/* Equal field by field (strings up to their NULs); nothing at all. */
bool fuzz_same_facts(const struct cam_facts *, const struct cam_facts *);
bool fuzz_same_identity(
    const struct cam_identity *, const struct cam_identity *);
bool fuzz_empty_identity(const struct cam_identity *);

/*
 * rel (e.g. "data/policy.xml") under the source tree: $CAMCOMPLY_SRCDIR,
 * else the tree configure ran from.  A static buffer: copy it to keep it.
 */
const char *fuzz_srcpath(const char *rel);
/*
 * name in a private folder, made on first use (in $FUZZ_TMPDIR, else
 * /dev/shm, else $TMPDIR or /tmp) and removed at exit.
 */
void fuzz_tmppath(const char *name, char *path, size_t pathsz);
/* Write len bytes to path (created or truncated, mode 0600); 0 or -1. */
int fuzz_write_file(const char *path, const void *buf, size_t len);
/* The whole file into a malloc'd, NUL-ended buffer, or NULL. */
char *fuzz_read_file(const char *path, size_t *len);

#endif
