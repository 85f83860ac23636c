/*
 * check_secret.c: the password reader (secret.c) against real files in a
 * private temp dir: what it accepts, and every file it must refuse.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "common/secret.h"

/* Under $TMPDIR (default /tmp), as every test's own directory. */
static char tmpdir[200];
static char path[300], buf[16], err[SECRET_ERR_MAX];

/* A file in tmpdir holding len bytes of content, with the given mode. */
static const char *
put(const char *name, const char *content, size_t len, mode_t mode)
{
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static int
rd(const char *p)
{
	memset(buf, 'x', sizeof(buf));
	err[0] = '\0';
	return secret_read(p, buf, sizeof(buf), err, sizeof(err));
}

/* Refused: -1, a message containing why, and nothing left in buf. */
static void
refused(const char *p, const char *why)
{
	size_t i;

	ck_assert_int_eq(rd(p), -1);
	ck_assert_msg(strstr(err, why) != NULL, "'%s' lacks '%s'", err, why);
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 0);
}

START_TEST(good_file_first_line)
{
	ck_assert_int_eq(rd(put("good", "s3cret\nsecond\n", 14, 0600)), 0);
	ck_assert_str_eq(buf, "s3cret");
	ck_assert_int_eq(rd(put("crlf", "pw\r\n", 4, 0600)), 0);
	ck_assert_str_eq(buf, "pw");
	ck_assert_int_eq(rd(put("bare", "pw", 2, 0400)), 0);
	ck_assert_str_eq(buf, "pw");
	/* The longest secret the buffer holds, with and without "\r\n". */
	ck_assert_int_eq(rd(put("max", "123456789012345\r\n", 17, 0600)), 0);
	ck_assert_str_eq(buf, "123456789012345");
	ck_assert_int_eq(rd(put("max2", "123456789012345", 15, 0600)), 0);
	ck_assert_str_eq(buf, "123456789012345");
}
END_TEST

START_TEST(open_to_group_or_others)
{
	refused(put("g", "pw\n", 3, 0640), "chmod 600");
	refused(put("o", "pw\n", 3, 0604), "mode 0604");
	refused(put("x", "pw\n", 3, 0610), "open to group or others");
}
END_TEST

START_TEST(symlink_not_followed)
{
	char link[300];

	put("target", "pw\n", 3, 0600);
	snprintf(link, sizeof(link), "%s/link", tmpdir);
	ck_assert_int_eq(symlink(path, link), 0);
	refused(link, "symbolic link");
}
END_TEST

START_TEST(directory_and_fifo)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/dir", tmpdir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	refused(p, "not a regular file");
	/* A FIFO with no writer: refused at once, never a hang. */
	snprintf(p, sizeof(p), "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	refused(p, "not a regular file");
	refused("/dev/null", "not a regular file");
}
END_TEST

START_TEST(other_owner)
{
	struct passwd *pw = getpwnam("nobody");

	if (geteuid() != 0 || pw == NULL) {
		printf("SKIP other_owner: needs root and a user nobody\n");
		return;
	}
	ck_assert_int_eq(
	    chown(put("nobody", "pw\n", 3, 0600), pw->pw_uid, pw->pw_gid), 0);
	refused(path, "owned by uid");
	/* The user camcomplyd -u switches to may own it. */
	secret_allow_owner(pw->pw_uid);
	ck_assert_int_eq(rd(path), 0);
	/* Root's own file is fine. */
	ck_assert_int_eq(chown(path, 0, 0), 0);
	ck_assert_int_eq(rd(path), 0);
}
END_TEST

START_TEST(too_long)
{
	static char big[10000];

	refused(put("16", "1234567890123456\n", 17, 0600),
	    "is longer than 15 bytes");
	ck_assert_msg(strstr(err, "password in ") != NULL, "%s", err);
	memset(big, 'a', sizeof(big));
	refused(put("big", big, sizeof(big), 0600), "longer than 15 bytes");
}
END_TEST

START_TEST(empty_and_nul)
{
	refused(put("e0", "", 0, 0600), "empty");
	refused(put("e1", "\n", 1, 0600), "empty");
	refused(put("e2", "\r\npw\n", 5, 0600), "empty");
	refused(put("nul", "p\0w\n", 4, 0600), "NUL");
	refused("/nonexistent/pw", "No such file");
}
END_TEST

START_TEST(take_wipes_the_source)
{
	char src[] = "community", lng[] = "12345678901234567890", e[] = "";

	ck_assert_int_eq(
	    secret_take("-C", src, buf, sizeof(buf), err, sizeof(err)), 0);
	ck_assert_str_eq(buf, "community");
	ck_assert_int_eq(memcmp(src, "\0\0\0\0\0\0\0\0\0", 10), 0);
	ck_assert_int_eq(
	    secret_take("-A", lng, buf, sizeof(buf), err, sizeof(err)), -1);
	ck_assert_str_eq(err, "-A is longer than 15 bytes");
	ck_assert_int_eq(lng[0], 0);
	ck_assert_int_eq(
	    secret_take("ENV", e, buf, sizeof(buf), err, sizeof(err)), -1);
	ck_assert_str_eq(err, "ENV is empty");
}
END_TEST

/* In a child of its own: the limits cannot be raised back. */
START_TEST(no_core)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit rl;

		if (secret_no_core() != 0 || getrlimit(RLIMIT_CORE, &rl) != 0)
			_exit(1);
		_exit(rl.rlim_cur == 0 && rl.rlim_max == 0 &&
			    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
			? 0
			: 2);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("secret");
	TCase *tc = tcase_create("core");
	int status;

	if (cr_tmpdir(tmpdir, sizeof(tmpdir), "check_secret") != 0)
		return EXIT_FAILURE;
	tcase_add_test(tc, good_file_first_line);
	tcase_add_test(tc, open_to_group_or_others);
	tcase_add_test(tc, symlink_not_followed);
	tcase_add_test(tc, directory_and_fifo);
	tcase_add_test(tc, other_owner);
	tcase_add_test(tc, too_long);
	tcase_add_test(tc, empty_and_nul);
	tcase_add_test(tc, take_wipes_the_source);
	tcase_add_test(tc, no_core);
	suite_add_tcase(su, tc);
	/* secret_allow_owner() and the limits stay in each test's child. */
	status = cr_run(su, CK_FORK);
	cr_rmtree(tmpdir);
	return status;
}
