/*
 * statesave.c: the state file written without stalling the SNMP path.
 *
 * At 10,000 cameras the file is megabytes and its fsync can take tens of
 * milliseconds: neither may happen on the main thread while a GET waits.
 * The main thread turns the rows into text in slices (SLICE rows per
 * loop turn, from a timer), into memory; a thread of its own writes that
 * to the temp file, syncs and renames it, says through an eventfd that it
 * has, then syncs the folder and says that it is done.  One save at a
 * time: one asked for meanwhile runs when it ends, after a pause as long
 * as the last one took (saves asked for back to back, one per camera
 * detected in a first round, keep the main thread and the disk busy half
 * the time at most).  Each save is a generation, numbered; the owner
 * learns when each has ended, written or not (camRestrictedDeviceDetected
 * waits for the save that marks its camera announced): as soon as the
 * file is renamed in place, before the folder's sync, so that a crash
 * between the file and what waited for it is as unlikely as can be (a
 * power cut in those milliseconds may bring the previous file back).
 * statesave_flush() (at exit) waits for the writer and then saves
 * synchronously.  All but the writer thread: main thread only.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/statesave.h"
#include "common/strutil.h"
#include "common/watchdog.h"

#define SLICE 256 /* rows turned into text per loop turn */

struct statesave {
	struct store *store;
	char path[CAM_STR_MAX];
	/* serializing (main thread) */
	FILE *mem;
	char *buf;
	size_t len;
	uint32_t after;
	unsigned alarm;
	bool again; /* asked for while one was under way */
	unsigned pause; /* the one asked for meanwhile, after a pause */
	/* generations: begun so far, the one under way (0: none) */
	uint32_t started, current;
	long long began_ms, took_ms;
	void (*ended)(uint32_t gen);
	/* writing (the writer thread, joined before the next) */
	pthread_t tid;
	bool writing;
	int err; /* the writer's errno, 0: written */
	int efd; /* the writer says "renamed", then "done" */
	uint64_t signals; /* of this save's writer, so far */
	bool released; /* its generation's end said */
};

static void slice(unsigned int clientreg, void *arg);
static void begin(struct statesave *sv);

static void
resume(unsigned int clientreg, void *arg)
{
	struct statesave *sv = arg;

	(void)clientreg;
	sv->pause = 0;
	begin(sv);
}

/* What waited for the generation under way may go: written, or not. */
static void
release(struct statesave *sv)
{
	DEBUGMSGTL(("camcomply:state", "save %u ended in %lld ms\n",
	    sv->current, wd_now_ms() - sv->began_ms));
	if (sv->ended != NULL)
		sv->ended(sv->current);
}

/* The generation under way is over: the next one, if owed. */
static void
finish(struct statesave *sv)
{
	struct timeval t;

	sv->current = 0;
	sv->took_ms = wd_now_ms() - sv->began_ms;
	if (!sv->again)
		return;
	sv->again = false;
	t.tv_sec = (sv->took_ms + 1) / 1000;
	t.tv_usec = ((sv->took_ms + 1) % 1000) * 1000;
	if ((sv->pause = snmp_alarm_register_hr(t, 0, resume, sv)) == 0)
		begin(sv);
}

static void
end(struct statesave *sv)
{
	release(sv);
	finish(sv);
}

static void
writer_done(int fd, void *arg)
{
	struct statesave *sv = arg;
	uint64_t v;

	(void)fd;
	if (read(sv->efd, &v, sizeof(v)) < 0 || !sv->writing)
		return;
	sv->signals += v;
	if (!sv->released) {
		sv->released = true;
		if (sv->err != 0)
			snmp_log(LOG_ERR, "state: cannot write %s: %s\n",
			    sv->path, strerror(sv->err));
		release(sv);
	}
	if (sv->signals < 2)
		return;
	pthread_join(sv->tid, NULL);
	sv->writing = false;
	free(sv->buf);
	sv->buf = NULL;
	finish(sv);
}

static void
signal_main(struct statesave *sv)
{
	uint64_t one = 1;

	if (write(sv->efd, &one, sizeof(one)) < 0) {
		/* Cannot fail: the counter takes 2^64 - 2. */
	}
}

static void *
writer(void *arg)
{
	struct statesave *sv = arg;

	/* Named: the one thread of ours that comes and goes (ps -L, tests);
	 * the others are camcomply-poll, -wdog and -disc. */
	pthread_setname_np(pthread_self(), "camcomply-save");
	sv->err = statefile_put(sv->path, sv->buf, sv->len) == 0 ? 0 : errno;
	signal_main(sv); /* renamed in place, or failed */
	if (sv->err == 0)
		statefile_sync_dir(sv->path);
	signal_main(sv);
	return NULL;
}

static void
stop_slices(struct statesave *sv)
{
	if (sv->alarm != 0)
		snmp_alarm_unregister(sv->alarm);
	sv->alarm = 0;
}

static void
slice(unsigned int clientreg, void *arg)
{
	struct statesave *sv = arg;
	bool done = false;

	(void)clientreg;
	if (store_save_rows(sv->mem, sv->store, sv->current, &sv->after, SLICE,
		&done) != 0 ||
	    (done && fclose(sv->mem) != 0)) {
		snmp_log(LOG_ERR, "state: cannot prepare %s: %s\n", sv->path,
		    strerror(errno));
		if (!done)
			fclose(sv->mem);
		sv->mem = NULL;
		free(sv->buf);
		sv->buf = NULL;
		stop_slices(sv);
		end(sv);
		return;
	}
	if (!done)
		return;
	sv->mem = NULL;
	stop_slices(sv);
	sv->writing = true;
	sv->signals = 0;
	sv->released = false;
	if (pthread_create(&sv->tid, NULL, writer, sv) != 0) {
		/* No thread: write here rather than not at all. */
		sv->writing = false;
		if (statefile_write(sv->path, sv->buf, sv->len) != 0)
			snmp_log(LOG_ERR, "state: cannot write %s: %s\n",
			    sv->path, strerror(errno));
		free(sv->buf);
		sv->buf = NULL;
		end(sv);
	}
}

struct statesave *
statesave_new(void (*ended)(uint32_t gen))
{
	struct statesave *sv = calloc(1, sizeof(*sv));

	if (sv == NULL)
		return NULL;
	if ((sv->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		free(sv);
		return NULL;
	}
	sv->ended = ended;
	register_readfd(sv->efd, writer_done, sv);
	return sv;
}

static void
begin(struct statesave *sv)
{
	struct timeval soon = {0, 1000};

	sv->current = ++sv->started;
	sv->began_ms = wd_now_ms();
	if ((sv->mem = open_memstream(&sv->buf, &sv->len)) == NULL) {
		snmp_log(LOG_ERR, "state: %s\n", strerror(errno));
		end(sv);
		return;
	}
	sv->after = 0;
	sv->alarm = snmp_alarm_register_hr(soon, SA_REPEAT, slice, sv);
}

uint32_t
statesave_request(struct statesave *sv, struct store *s, const char *path)
{
	sv->store = s;
	str_lcpy(sv->path, path, sizeof(sv->path));
	/* One under way: the next one (rows marked for it wait for it). */
	if (sv->current != 0 || sv->pause != 0) {
		if (sv->pause == 0)
			sv->again = true;
		return sv->started + 1;
	}
	begin(sv);
	return sv->started;
}

/* Nothing under way any more: the writer joined, the slices dropped. */
static void
quiesce(struct statesave *sv)
{
	if (sv->pause != 0)
		snmp_alarm_unregister(sv->pause);
	sv->pause = 0;
	sv->current = 0;
	stop_slices(sv);
	if (sv->mem != NULL) {
		fclose(sv->mem);
		sv->mem = NULL;
	}
	if (sv->writing) {
		pthread_join(sv->tid, NULL);
		sv->writing = false;
	}
	free(sv->buf);
	sv->buf = NULL;
	sv->again = false;
}

int
statesave_flush(struct statesave *sv, const struct store *s, const char *path)
{
	quiesce(sv);
	return store_save(s, path);
}

void
statesave_free(struct statesave *sv)
{
	if (sv == NULL)
		return;
	quiesce(sv);
	unregister_readfd(sv->efd);
	close(sv->efd);
	free(sv);
}
