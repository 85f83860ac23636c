/*
 * notify.h: the notification queue.
 *
 * Every notification the module sends goes through here: a bounded queue
 * drained by a timer at 'notification-rate' per second, and only while
 * the host can take them (camcomplyd: while its AgentX socket has room,
 * so that it reads the master's answers between sends; a flood of Notify
 * PDUs once deadlocked snmpd, both ends blocked writing to each other).
 * What does not fit is counted, and once the queue has drained one
 * camComplianceSummary stands for it.  Values are read from the row when
 * the notification leaves, as a GET would read them then.  Main thread.
 */
#ifndef CAMCOMPLY_NOTIFY_H
#define CAMCOMPLY_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/store.h"

struct notify_stats {
	unsigned long sent; /* per-camera and summaries */
	unsigned long suppressed; /* per-camera ones not sent */
	size_t queued;
};

/*
 * Start (or resize after a reload): rate per second, capacity of the
 * queue.  can_send, if set, says whether the host can take one now.
 */
int notify_start(
    struct store *, int rate, int capacity, bool (*can_send)(void));
/*
 * Queue one event (its row by index: the row may go before it leaves).
 * after_save, if not 0, holds it (and what is queued after it) until
 * notify_saved() says that state save has ended.
 */
void notify_event(const struct dev_event *, uint32_t after_save);
/* State saves up to generation gen have ended (statesave.h). */
void notify_saved(uint32_t gen);
void notify_stats(struct notify_stats *);
/*
 * At exit, before the last save: a camRestrictedDeviceDetected still
 * queued has not left; its camera is saved as not announced, so that the
 * next start announces it (once: it never left).
 */
void notify_unmark_queued(void);
/* Drop what is queued and the timer (the module stops). */
void notify_stop(void);

#endif
