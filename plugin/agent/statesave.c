/*
 * statesave.c: the state file written without stalling the SNMP path.
 *
 * At 10,000 cameras the file is megabytes and its fsync can take tens of
 * milliseconds: neither may happen on the main thread while a GET waits.
 * The main thread turns the rows into text in slices (SLICE rows per
 * loop turn, from a timer), into memory; a thread of its own writes that
 * to the temp file, syncs and renames it, and says through an eventfd
 * that it is done.  One save at a time: one asked for meanwhile runs when
 * it ends.  statesave_flush() (at exit) waits for the writer and then
 * saves synchronously.  All but the writer thread: main thread only.
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
	/* writing (the writer thread, joined before the next) */
	pthread_t tid;
	bool writing;
	int err; /* the writer's errno, 0: written */
	int efd; /* the writer says it is done */
};

static void slice(unsigned int clientreg, void *arg);

static void
writer_done(int fd, void *arg)
{
	struct statesave *sv = arg;
	uint64_t v;

	(void)fd;
	if (read(sv->efd, &v, sizeof(v)) < 0 || !sv->writing)
		return;
	pthread_join(sv->tid, NULL);
	sv->writing = false;
	free(sv->buf);
	sv->buf = NULL;
	if (sv->err != 0)
		snmp_log(LOG_ERR, "state: cannot write %s: %s\n", sv->path,
		    strerror(sv->err));
	if (sv->again) {
		sv->again = false;
		statesave_request(sv, sv->store, sv->path);
	}
}

static void *
writer(void *arg)
{
	struct statesave *sv = arg;
	uint64_t one = 1;

	/* Named: the one thread of ours that comes and goes (ps -L, tests). */
	pthread_setname_np(pthread_self(), "camcomply-save");
	sv->err = statefile_write(sv->path, sv->buf, sv->len) == 0 ? 0 : errno;
	if (write(sv->efd, &one, sizeof(one)) < 0)
		return NULL;
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
	if (store_save_rows(sv->mem, sv->store, &sv->after, SLICE, &done) !=
		0 ||
	    (done && fclose(sv->mem) != 0)) {
		snmp_log(LOG_ERR, "state: cannot prepare %s: %s\n", sv->path,
		    strerror(errno));
		if (!done)
			fclose(sv->mem);
		sv->mem = NULL;
		free(sv->buf);
		sv->buf = NULL;
		stop_slices(sv);
		return;
	}
	if (!done)
		return;
	sv->mem = NULL;
	stop_slices(sv);
	sv->writing = true;
	if (pthread_create(&sv->tid, NULL, writer, sv) != 0) {
		/* No thread: write here rather than not at all. */
		sv->writing = false;
		if (statefile_write(sv->path, sv->buf, sv->len) != 0)
			snmp_log(LOG_ERR, "state: cannot write %s: %s\n",
			    sv->path, strerror(errno));
		free(sv->buf);
		sv->buf = NULL;
	}
}

struct statesave *
statesave_new(void)
{
	struct statesave *sv = calloc(1, sizeof(*sv));

	if (sv == NULL)
		return NULL;
	if ((sv->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		free(sv);
		return NULL;
	}
	register_readfd(sv->efd, writer_done, sv);
	return sv;
}

void
statesave_request(struct statesave *sv, struct store *s, const char *path)
{
	struct timeval soon = {0, 1000};

	sv->store = s;
	str_lcpy(sv->path, path, sizeof(sv->path));
	if (sv->mem != NULL || sv->writing) {
		sv->again = true;
		return;
	}
	if ((sv->mem = open_memstream(&sv->buf, &sv->len)) == NULL) {
		snmp_log(LOG_ERR, "state: %s\n", strerror(errno));
		return;
	}
	sv->after = 0;
	sv->alarm = snmp_alarm_register_hr(soon, SA_REPEAT, slice, sv);
}

/* Nothing under way any more: the writer joined, the slices dropped. */
static void
quiesce(struct statesave *sv)
{
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
