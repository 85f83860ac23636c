/*
 * watchdog.h: elapsed-time deadlines for sockets that a peer controls.
 *
 * gSOAP's own timeouts count idle periods: a peer that sends one byte
 * every second, during a TLS handshake or in an endless header, never
 * trips them.  A watchdog slot says "this exchange ends at T"; one
 * process-wide thread shuts down (shutdown(2), not close) the socket
 * registered in the slot when T passes, so whatever the worker is blocked
 * in returns at once with an error.  Any thread may use a slot; a slot
 * belongs to one exchange at a time.
 */
#ifndef CAMCOMPLY_WATCHDOG_H
#define CAMCOMPLY_WATCHDOG_H

#include <signal.h>
#include <stdbool.h>

struct wd_slot {
	struct wd_slot *next, *prev; /* the watchdog's list; private */
	long long deadline; /* CLOCK_MONOTONIC ms */
	int fd; /* the socket to shut at the deadline, -1: none */
	bool fired; /* the deadline shut a socket */
	bool armed;
};

/* Monotonic milliseconds, the clock deadlines are given in. */
long long wd_now_ms(void);

/* Start watching slot s until wd_disarm(); 0, or -1 (no thread). */
int wd_arm(struct wd_slot *s, long long deadline_ms);
/* The exchange opened fd: shut it at the deadline (at once if past). */
void wd_set_fd(struct wd_slot *s, int fd);
/* fd is about to be closed: forget it, so a reused number is safe. */
void wd_clear_fd(struct wd_slot *s, int fd);
/* Stop watching; the slot may be armed again. */
void wd_disarm(struct wd_slot *s);
bool wd_fired(struct wd_slot *s);
/* Every exchange of the process ends now (a host shutting down), and
 * every one armed from now on, until wd_resume(). */
void wd_expire_all(void);
/* Exchanges keep their deadlines again (a poller started after one was
 * stopped: the module loaded again). */
void wd_resume(void);
/* Stop the thread (process exit, or a module being unloaded). */
void wd_shutdown(void);

/*
 * OpenSSL writes to a socket without MSG_NOSIGNAL: a peer that resets the
 * connection, or the watchdog shutting it, would raise SIGPIPE and kill a
 * process that did not ignore it.  wd_block_sigpipe() blocks it on this
 * thread for an exchange (the old mask in *old); wd_restore_sigpipe()
 * takes one raised meanwhile off the thread, then puts *old back.
 */
void wd_block_sigpipe(sigset_t *old);
void wd_restore_sigpipe(const sigset_t *old);

#endif
