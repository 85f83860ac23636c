/*
 * check_run.h: what the unit test programs do around their suite: run it
 * (every one), and make and remove a directory of their own under $TMPDIR
 * (check_store*, check_mib*, check_secret, check_statefile, check_config).
 * tests/check_run.c; main thread.
 */
#ifndef CHECK_RUN_H
#define CHECK_RUN_H

#include <stddef.h>

#include <check.h>

/*
 * A new directory dir ("$TMPDIR/name.XXXXXX", TMPDIR default /tmp):
 * 0, or -1 with a message on stderr.
 */
int cr_tmpdir(char *dir, size_t size, const char *name);
/* dir and everything below it removed. */
void cr_rmtree(const char *dir);
/*
 * Run su, forking as fork says (CK_FORK_GETENV: check's default, CK_FORK
 * from the environment): EXIT_SUCCESS when every test passed, else
 * EXIT_FAILURE.
 */
int cr_run(Suite *su, enum fork_status fork);

#endif
