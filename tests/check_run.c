/*
 * check_run.c: see check_run.h.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_run.h"

int
cr_tmpdir(char *dir, size_t size, const char *name)
{
	const char *td = getenv("TMPDIR");

	if ((size_t)snprintf(dir, size, "%s/%s.XXXXXX",
		td != NULL && td[0] != '\0' ? td : "/tmp", name) >= size ||
	    mkdtemp(dir) == NULL) {
		fprintf(stderr, "cannot make a directory under TMPDIR\n");
		return -1;
	}
	return 0;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p);
}

void
cr_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
cr_run(Suite *su, enum fork_status fork)
{
	SRunner *sr = srunner_create(su);
	int failed;

	if (fork != CK_FORK_GETENV)
		srunner_set_fork_status(sr, fork);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
