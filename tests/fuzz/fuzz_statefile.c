/*
 * fuzz_statefile.c: libFuzzer target for the state file (agent/statefile.c).
 *
 * The input is a state file: store_load() reads it into a new store as the
 * agent does at start.  Whatever it keeps must survive a round trip: saved,
 * loaded into another store and saved again, the two saved texts are the
 * same, a file store_save() wrote always loads, the agent's save in slices
 * writes the same text, and both stores keep the invariants fuzz_store
 * checks (fuzz_store_check.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/store.h"

#include "fuzz.h"
#include "fuzz_store.h"

static char in_path[512], out1[512], out2[512], aside[600];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_tmppath("state", in_path, sizeof(in_path));
	fuzz_tmppath("saved1", out1, sizeof(out1));
	fuzz_tmppath("saved2", out2, sizeof(out2));
	snprintf(aside, sizeof(aside), "%s.corrupt", in_path);
	return 0;
}

/*
 * The agent saves in slices (statesave.c: store_save_rows into memory,
 * then statefile_write): the same text as store_save, whatever the slice.
 */
static void
check_sliced(
    const struct store *s, size_t slice, const char *want, size_t want_len)
{
	uint32_t after = 0;
	bool done = false;
	char *buf = NULL, *t;
	size_t len = 0, tlen;
	FILE *mem = open_memstream(&buf, &len);

	FUZZ_CHECK(mem != NULL);
	while (!done)
		FUZZ_CHECK(store_save_rows(
			       mem, s, UINT32_MAX, &after, slice, &done) == 0);
	FUZZ_CHECK(fclose(mem) == 0);
	FUZZ_CHECK(len == want_len && memcmp(buf, want, len) == 0);
	FUZZ_CHECK(statefile_write(out2, buf, len) == 0);
	t = fuzz_read_file(out2, &tlen);
	FUZZ_CHECK(t != NULL && tlen == len && memcmp(t, buf, len) == 0);
	free(t);
	free(buf);
}

/* Save s to path and return the text (malloc'd). */
static char *
saved_text(const struct store *s, const char *path, size_t *len)
{
	char *t;

	FUZZ_CHECK(store_save(s, path) == 0);
	t = fuzz_read_file(path, len);
	FUZZ_CHECK(t != NULL);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s, *s2;
	char err[1024], *t1, *t2;
	size_t l1, l2;
	int rc;

	if (fuzz_write_file(in_path, data, size) != 0)
		abort();
	if ((s = store_new(NULL)) == NULL)
		abort();
	err[0] = '\0';
	rc = store_load(s, in_path, err, sizeof(err));
	fuzz_check_str(err, sizeof(err), false);
	FUZZ_CHECK(rc == 0 || err[0] != '\0');
	unlink(aside);
	fuzz_store_check(s, false);
	/* What did load is kept, corrupt file or not: it must round-trip. */
	t1 = saved_text(s, out1, &l1);
	check_sliced(s, 1 + size % 3, t1, l1);
	if ((s2 = store_new(NULL)) == NULL)
		abort();
	FUZZ_CHECK(store_load(s2, out1, err, sizeof(err)) == 0);
	fuzz_store_check(s2, false);
	FUZZ_CHECK(store_count(s2) == store_count(s));
	t2 = saved_text(s2, out2, &l2);
	FUZZ_CHECK(l1 == l2 && memcmp(t1, t2, l1) == 0);
	free(t1);
	free(t2);
	store_free(s2);
	store_free(s);
	fuzz_intern_check();
	return 0;
}
