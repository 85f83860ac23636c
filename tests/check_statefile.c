/*
 * check_statefile.c: the state file is replaced only by a complete new
 * one.  A write that fails (file size limit; a full tmpfs in a private
 * mount namespace when run as root) keeps the previous file and leaves no
 * temp file; a symbolic link planted at STATE.tmp is never followed.
 */
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "agent/store.h"
#include "agent/store_int.h"
#include "common/strutil.h"

/* Under $TMPDIR (default /tmp), as every test's own directory. */
static char tmpdir[200];

/* 200 times c. */
static const char *
run_of(int c)
{
	static char buf[201];

	memset(buf, c, 200);
	buf[200] = '\0';
	return buf;
}

/* n cameras with long identities: about 1 KB each in the state file. */
static struct store *
fleet(int n)
{
	struct store *s = store_new(NULL);
	struct cfg_camera c;
	struct device *d;
	int i;

	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		snprintf(c.url, sizeof(c.url),
		    "http://192.0.2.%d:%d/onvif/device_service", i % 250 + 1,
		    8000 + i);
		d = store_add_camera(s, &c, 1000);
		ck_assert_ptr_nonnull(d);
		row_set_shared(&d->id.model, run_of('M'));
		row_set_shared(&d->id.firmware, run_of('F'));
		row_set_own(&d->id.hostname, run_of('H'));
	}
	return s;
}

/* The whole content of a file (static; NULL when it cannot be read). */
static const char *
slurp(const char *path)
{
	static char buf[1 << 16];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/*
 * In dir: a good state file of 2 cameras, then a save of 200 that cannot
 * be written.  The save fails with errno set, the good file is untouched
 * and loads, and no temp file is left.
 */
static void
failed_save_keeps(const char *dir, void (*make_fail)(void))
{
	char path[300], tmp[310], err[256], *good;
	struct store *s = fleet(2), *big = fleet(200), *back;

	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_int_eq(store_save(s, path), 0);
	good = strdup(slurp(path));
	make_fail();
	errno = 0;
	ck_assert_int_eq(store_save(big, path), -1);
	ck_assert_int_ne(errno, 0);
	ck_assert_str_eq(slurp(path), good);
	ck_assert_int_eq(access(tmp, F_OK), -1);
	back = store_new(NULL);
	ck_assert_int_eq(store_load(back, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(store_count(back), 2);
	free(good);
	store_free(s);
	store_free(big);
	store_free(back);
}

/* 16 KiB per file; the signal that would kill us becomes EFBIG. */
static void
limit_file_size(void)
{
	struct rlimit rl;

	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = 16384;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void
nothing(void)
{
}

/*
 * store_read() (camcomply report) reads a state file from a stream as
 * store_load() does, and a corrupt one is reported, not set aside.
 */
START_TEST(read_from_stream_touches_nothing)
{
	struct store *s = fleet(3), *back = store_new(NULL), *bad;
	char path[300], err[256], *text;
	const char *junk = "camcomply-state 1\ndev index=1 key=x\nnot a row\n";
	FILE *f;

	snprintf(path, sizeof(path), "%s/state", tmpdir);
	ck_assert_int_eq(store_save(s, path), 0);
	text = strdup(slurp(path));
	ck_assert(statefile_sniff(text, strlen(text)));
	ck_assert(!statefile_sniff("[{}]", 4));
	ck_assert(!statefile_sniff("camcomply-state 12\n", 19));
	f = fmemopen(text, strlen(text), "r");
	ck_assert_int_eq(store_read(back, f, "mem", err, sizeof(err)), 0);
	fclose(f);
	ck_assert_uint_eq(store_count(back), 3);
	ck_assert_str_eq(store_at(back, 2)->id.hostname, run_of('H'));
	bad = store_new(NULL);
	f = fmemopen((void *)junk, strlen(junk), "r");
	ck_assert_int_eq(store_read(bad, f, "mem", err, sizeof(err)), -1);
	fclose(f);
	ck_assert_str_eq(err, "mem:3: corrupt state file");
	ck_assert_uint_eq(store_count(bad), 1);
	f = fmemopen((void *)"[]\n", 3, "r");
	ck_assert_int_eq(store_read(bad, f, "mem", err, sizeof(err)), -1);
	fclose(f);
	ck_assert_str_eq(err, "mem: not a camcomply state file");
	ck_assert_str_eq(slurp(path), text);
	free(text);
	store_free(s);
	store_free(back);
	store_free(bad);
}
END_TEST

/*
 * The file written in slices (camcomplyd writes it so, off the SNMP path)
 * is the file store_save() writes; a row removed between two slices is
 * left out, whole, and one added is taken.
 */
START_TEST(slices_make_the_same_file)
{
	struct store *s = fleet(50), *back;
	char path[300], err[256], *whole, *buf = NULL;
	size_t len = 0;
	uint32_t after = 0;
	bool done = false;
	FILE *mem;
	int turns = 0;

	snprintf(path, sizeof(path), "%s/state", tmpdir);
	ck_assert_int_eq(store_save(s, path), 0);
	whole = strdup(slurp(path));
	ck_assert_ptr_nonnull(mem = open_memstream(&buf, &len));
	while (!done) {
		ck_assert_int_eq(
		    store_save_rows(mem, s, 1, &after, 7, &done), 0);
		turns++;
	}
	ck_assert_int_eq(fclose(mem), 0);
	ck_assert_int_eq(turns, 8); /* 50 rows, 7 a turn */
	ck_assert_int_eq(statefile_write(path, buf, len), 0);
	ck_assert_str_eq(slurp(path), whole);
	free(buf);
	/* Rows change between slices: each row whole, or not at all. */
	buf = NULL, after = 0, done = false;
	ck_assert_ptr_nonnull(mem = open_memstream(&buf, &len));
	ck_assert_int_eq(store_save_rows(mem, s, 1, &after, 10, &done), 0);
	store_remove_at(s, 20);
	while (!done)
		ck_assert_int_eq(
		    store_save_rows(mem, s, 1, &after, 10, &done), 0);
	ck_assert_int_eq(fclose(mem), 0);
	ck_assert_int_eq(statefile_write(path, buf, len), 0);
	back = store_new(NULL);
	ck_assert_int_eq(store_load(back, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(store_count(back), 49);
	free(buf);
	free(whole);
	store_free(s);
	store_free(back);
}
END_TEST

/* The save's text, by slices of 4 rows, for save number gen. */
static char *
saved_text(struct store *s, uint32_t gen)
{
	char *buf = NULL;
	size_t len = 0;
	uint32_t after = 0;
	bool done = false;
	FILE *mem;

	ck_assert_ptr_nonnull(mem = open_memstream(&buf, &len));
	while (!done)
		ck_assert_int_eq(
		    store_save_rows(mem, s, gen, &after, 4, &done), 0);
	ck_assert_int_eq(fclose(mem), 0);
	return buf;
}

/*
 * A row marked announced for save 3 (its camRestrictedDeviceDetected
 * waits for that save) has the mark in save 3 and after, never before;
 * one marked for any save (0: loaded, or marked before the first save)
 * has it in all.
 */
START_TEST(announced_mark_waits_for_its_save)
{
	struct store *s = fleet(10);
	char *text;

	store_at(s, 2)->announced = true;
	store_at(s, 2)->announce_save = 3;
	store_at(s, 7)->announced = true;
	text = saved_text(s, 2);
	ck_assert_ptr_nonnull(
	    strstr(text, "index=3 first=1000 last=0 announced=0"));
	ck_assert_ptr_nonnull(
	    strstr(text, "index=8 first=1000 last=0 announced=1"));
	free(text);
	text = saved_text(s, 3);
	ck_assert_ptr_nonnull(
	    strstr(text, "index=3 first=1000 last=0 announced=1"));
	free(text);
	text = saved_text(s, 4);
	ck_assert_ptr_nonnull(
	    strstr(text, "index=3 first=1000 last=0 announced=1"));
	free(text);
	store_free(s);
}
END_TEST

/* Check runs each test in a child of its own: the limit dies with it. */
START_TEST(file_size_limit_keeps_old_state)
{
	failed_save_keeps(tmpdir, limit_file_size);
}
END_TEST

/* A real full file system: a 16 KiB tmpfs seen only by this process. */
START_TEST(full_disk_keeps_old_state)
{
	char dir[300];

	snprintf(dir, sizeof(dir), "%s/tmpfs", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	if (unshare(CLONE_NEWNS) != 0) {
		printf("SKIP full_disk_keeps_old_state: unshare: %s "
		       "(needs root)\n",
		    strerror(errno));
		return;
	}
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ck_assert_int_eq(
	    mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=16k"), 0);
	failed_save_keeps(dir, nothing);
	umount(dir);
}
END_TEST

START_TEST(symlink_at_tmp_not_followed)
{
	char path[300], tmp[310], victim[300], ghost[300];
	struct store *s = fleet(2);
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/state-link", tmpdir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	snprintf(ghost, sizeof(ghost), "%s/ghost", tmpdir);
	f = fopen(victim, "w");
	fputs("precious\n", f);
	fclose(f);
	/* A link to a file, then a dangling one (O_CREAT would create it). */
	ck_assert_int_eq(symlink(victim, tmp), 0);
	ck_assert_int_eq(store_save(s, path), 0);
	ck_assert_str_eq(slurp(victim), "precious\n");
	ck_assert_int_eq(symlink(ghost, tmp), 0);
	ck_assert_int_eq(store_save(s, path), 0);
	ck_assert_int_eq(access(ghost, F_OK), -1);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(strncmp(slurp(path), "camcomply-state 1\n", 18), 0);
	ck_assert_int_eq(lstat(tmp, &st), -1);
	store_free(s);
}
END_TEST

START_TEST(stale_tmp_file_replaced)
{
	char path[300], tmp[310];
	struct store *s = fleet(1);
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/state-stale", tmpdir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	fputs("half a state file from a crash", f);
	fclose(f);
	chmod(tmp, 0644);
	ck_assert_int_eq(store_save(s, path), 0);
	ck_assert_int_eq(strncmp(slurp(path), "camcomply-state 1\n", 18), 0);
	ck_assert_int_eq(access(tmp, F_OK), -1);
	/* A fresh file, not the stale one reused with its mode. */
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	store_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("statefile");
	TCase *tc = tcase_create("core");
	int status;

	if (cr_tmpdir(tmpdir, sizeof(tmpdir), "check_statefile") != 0)
		return EXIT_FAILURE;
	tcase_add_test(tc, file_size_limit_keeps_old_state);
	tcase_add_test(tc, full_disk_keeps_old_state);
	tcase_add_test(tc, symlink_at_tmp_not_followed);
	tcase_add_test(tc, stale_tmp_file_replaced);
	tcase_add_test(tc, slices_make_the_same_file);
	tcase_add_test(tc, announced_mark_waits_for_its_save);
	tcase_add_test(tc, read_from_stream_touches_nothing);
	suite_add_tcase(su, tc);
	/* Limits and mounts must stay in each test's own child. */
	status = cr_run(su, CK_FORK);
	cr_rmtree(tmpdir);
	return status;
}
