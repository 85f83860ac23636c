/*
 * watchdog.c: one thread that ends socket exchanges at their deadline.
 *
 * Owns the list of armed slots and the thread that sleeps until the
 * earliest deadline of a slot holding a socket, then shuts that socket
 * down.  The slot's fd is only ever read and shut under the lock, and the
 * owner clears it under the same lock before closing, so the thread can
 * never shut a descriptor number that was closed and reused elsewhere.
 * Any thread may call these functions; the thread starts on first use.
 * Cost: the list holds one slot per running exchange (the worker count),
 * scanned once per wake-up.
 */
#include <sys/socket.h>

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "common/watchdog.h"

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cond;
static pthread_t wd_tid;
static bool wd_running, wd_stopping;
/* wd_expire_all() until wd_resume(): what is armed meanwhile is due. */
static bool wd_expired;
static struct wd_slot *wd_head;

long long
wd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
fire(struct wd_slot *s)
{
	/* shutdown, not close: the owner still holds and closes the fd. */
	(void)shutdown(s->fd, SHUT_RDWR);
	s->fired = true;
}

/* Fire what is due; returns the next deadline to wake for, or 0. */
static long long
sweep(long long now)
{
	long long next = 0;
	struct wd_slot *s;

	for (s = wd_head; s != NULL; s = s->next) {
		if (s->fd < 0 || s->fired)
			continue;
		if (s->deadline <= now)
			fire(s);
		else if (next == 0 || s->deadline < next)
			next = s->deadline;
	}
	return next;
}

static void *
wd_main(void *arg)
{
	struct timespec ts;
	long long next;

	(void)arg;
	pthread_mutex_lock(&wd_lock);
	while (!wd_stopping) {
		next = sweep(wd_now_ms());
		if (next == 0) {
			pthread_cond_wait(&wd_cond, &wd_lock);
			continue;
		}
		ts.tv_sec = (time_t)(next / 1000);
		ts.tv_nsec = (long)(next % 1000) * 1000000;
		pthread_cond_timedwait(&wd_cond, &wd_lock, &ts);
	}
	pthread_mutex_unlock(&wd_lock);
	return NULL;
}

/* Called with the lock held. */
static int
start_locked(void)
{
	pthread_condattr_t ca;

	if (wd_running)
		return 0;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wd_cond, &ca);
	pthread_condattr_destroy(&ca);
	wd_stopping = false;
	if (pthread_create(&wd_tid, NULL, wd_main, NULL) != 0) {
		pthread_cond_destroy(&wd_cond);
		return -1;
	}
	pthread_setname_np(wd_tid, "camcomply-wdog");
	wd_running = true;
	return 0;
}

int
wd_arm(struct wd_slot *s, long long deadline_ms)
{
	int rc;

	pthread_mutex_lock(&wd_lock);
	rc = start_locked();
	s->deadline = wd_expired ? wd_now_ms() : deadline_ms;
	s->fd = -1;
	s->fired = false;
	s->armed = rc == 0;
	if (s->armed) {
		s->prev = NULL;
		s->next = wd_head;
		if (wd_head != NULL)
			wd_head->prev = s;
		wd_head = s;
	}
	pthread_mutex_unlock(&wd_lock);
	return rc;
}

void
wd_set_fd(struct wd_slot *s, int fd)
{
	pthread_mutex_lock(&wd_lock);
	if (s->armed && fd >= 0) {
		s->fd = fd;
		if (s->deadline <= wd_now_ms())
			fire(s);
		else
			pthread_cond_signal(&wd_cond);
	}
	pthread_mutex_unlock(&wd_lock);
}

void
wd_clear_fd(struct wd_slot *s, int fd)
{
	pthread_mutex_lock(&wd_lock);
	if (s->fd == fd)
		s->fd = -1;
	pthread_mutex_unlock(&wd_lock);
}

void
wd_disarm(struct wd_slot *s)
{
	pthread_mutex_lock(&wd_lock);
	if (s->armed) {
		if (s->prev != NULL)
			s->prev->next = s->next;
		else
			wd_head = s->next;
		if (s->next != NULL)
			s->next->prev = s->prev;
		s->armed = false;
	}
	s->fd = -1;
	pthread_mutex_unlock(&wd_lock);
}

void
wd_expire_all(void)
{
	struct wd_slot *s;
	long long now = wd_now_ms();

	pthread_mutex_lock(&wd_lock);
	wd_expired = true;
	for (s = wd_head; s != NULL; s = s->next) {
		s->deadline = now;
		if (s->fd >= 0 && !s->fired)
			fire(s);
	}
	pthread_mutex_unlock(&wd_lock);
}

void
wd_resume(void)
{
	pthread_mutex_lock(&wd_lock);
	wd_expired = false;
	pthread_mutex_unlock(&wd_lock);
}

bool
wd_fired(struct wd_slot *s)
{
	bool f;

	pthread_mutex_lock(&wd_lock);
	f = s->fired;
	pthread_mutex_unlock(&wd_lock);
	return f;
}

void
wd_shutdown(void)
{
	pthread_mutex_lock(&wd_lock);
	if (!wd_running) {
		pthread_mutex_unlock(&wd_lock);
		return;
	}
	wd_stopping = true;
	pthread_cond_signal(&wd_cond);
	pthread_mutex_unlock(&wd_lock);
	pthread_join(wd_tid, NULL);
	pthread_mutex_lock(&wd_lock);
	wd_running = false;
	pthread_cond_destroy(&wd_cond);
	pthread_mutex_unlock(&wd_lock);
}

void
wd_block_sigpipe(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

void
wd_restore_sigpipe(const sigset_t *old)
{
	static const struct timespec zero;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	while (sigtimedwait(&set, NULL, &zero) == SIGPIPE)
		;
	pthread_sigmask(SIG_SETMASK, old, NULL);
}
