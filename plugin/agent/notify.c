/*
 * notify.c: the paced, bounded notification queue (see notify.h).
 *
 * A ring of pending events, a timer that runs only while something waits,
 * and a summary owed when the ring overflowed.  Each tick sends at most
 * what the rate allows for the time that passed, and stops early when the
 * host's gate says no; the rest waits for the next tick, so the main loop
 * runs (and reads the master's answers) between sends.  A note may wait
 * for a state save as well (notify_event()): the queue stops at it until
 * notify_saved() says that save has ended.  Main thread only.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/mib.h"
#include "agent/notify.h"
#include "common/strutil.h"

#define TICK_MS 20 /* the pump's period while something waits */
#define BURST_MS 100 /* the most a tick sends: this long's worth */

struct note {
	enum dev_event_type type;
	uint32_t index;
	uint32_t after_save; /* leaves once this save has ended */
	char previous[CAM_STR_MAX];
};

static struct {
	struct store *store;
	struct note *ring;
	size_t head, len, cap;
	int rate; /* per second */
	double credit; /* sends the rate allows now */
	struct timeval last; /* when credit was last topped up */
	bool (*can_send)(void);
	bool summary_due;
	uint32_t saved; /* the last state save ended */
	unsigned alarm;
	unsigned long sent, suppressed;
} N;

static void pump(unsigned int clientreg, void *arg);

static void
arm(void)
{
	struct timeval t = {0, TICK_MS * 1000};

	if (N.alarm == 0)
		N.alarm = snmp_alarm_register_hr(t, SA_REPEAT, pump, NULL);
}

static void
disarm(void)
{
	if (N.alarm != 0)
		snmp_alarm_unregister(N.alarm);
	N.alarm = 0;
}

/*
 * The rate's allowance since the last tick, at most BURST_MS' worth (and
 * one note): notes held for a save are released together, hundreds after
 * a first round's save, and a second's worth at once (1,000) overflowed
 * the receiver's socket (snmptrapd lost a tenth of them).
 */
static void
top_up(void)
{
	double depth = N.rate * BURST_MS / 1000.0;

	struct timeval now;
	double ms;

	gettimeofday(&now, NULL);
	ms = (now.tv_sec - N.last.tv_sec) * 1000.0 +
	    (now.tv_usec - N.last.tv_usec) / 1000.0;
	N.last = now;
	if (ms < 0 || ms > 1000)
		ms = 1000;
	N.credit += ms * N.rate / 1000.0;
	if (N.credit > (depth > 1 ? depth : 1))
		N.credit = depth > 1 ? depth : 1;
}

static bool
gate(void)
{
	return N.credit >= 1 && (N.can_send == NULL || N.can_send());
}

/* The next note waits for a save. */
static bool
held(void)
{
	return N.len > 0 && N.ring[N.head].after_save > N.saved;
}

static void
send_one(void)
{
	struct note *n = &N.ring[N.head];
	struct dev_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = n->type;
	ev.dev = store_find(N.store, n->index);
	str_lcpy(ev.previous, n->previous, sizeof(ev.previous));
	N.head = (N.head + 1) % N.cap;
	N.len--;
	N.credit -= 1;
	/* A row gone meanwhile has nothing left to say. */
	if (ev.dev == NULL)
		return;
	DEBUGMSGTL(("camcomply:notify", "sent %d for row %u\n", (int)ev.type,
	    ev.dev->index));
	mib_notify(&ev);
	N.sent++;
}

static void
pump(unsigned int clientreg, void *arg)
{
	struct dev_event ev;

	(void)clientreg;
	(void)arg;
	top_up();
	while (N.len > 0 && !held() && gate())
		send_one();
	if (N.len == 0 && N.summary_due && gate()) {
		memset(&ev, 0, sizeof(ev));
		ev.type = EV_SUMMARY;
		mib_notify(&ev);
		N.credit -= 1;
		N.sent++;
		N.summary_due = false;
	}
	/* Nothing to send, or nothing until a save ends (notify_saved). */
	if ((N.len == 0 && !N.summary_due) || held())
		disarm();
	else
		arm();
}

int
notify_start(struct store *s, int rate, int capacity, bool (*can_send)(void))
{
	struct note *ring;
	size_t i;

	if (capacity < 1 || rate < 1)
		return -1;
	if ((ring = calloc((size_t)capacity, sizeof(*ring))) == NULL)
		return -1;
	/* A reload keeps what waits, as far as the new size allows. */
	for (i = 0; i < N.len && i < (size_t)capacity; i++)
		ring[i] = N.ring[(N.head + i) % N.cap];
	if (N.len > i) {
		N.suppressed += N.len - i;
		N.summary_due = true;
	}
	free(N.ring);
	N.ring = ring;
	N.head = 0;
	N.len = i;
	N.cap = (size_t)capacity;
	N.store = s;
	N.rate = rate;
	N.can_send = can_send;
	if (N.last.tv_sec == 0)
		gettimeofday(&N.last, NULL);
	if (N.len > 0 || N.summary_due)
		arm();
	return 0;
}

void
notify_event(const struct dev_event *ev, uint32_t after_save)
{
	struct note *n;

	if (N.ring == NULL)
		return;
	if (N.len == N.cap) {
		N.suppressed++;
		N.summary_due = true;
		DEBUGMSGTL(("camcomply:notify",
		    "queue full: not sent, counted (%lu so far)\n",
		    N.suppressed));
		return;
	}
	n = &N.ring[(N.head + N.len++) % N.cap];
	n->type = ev->type;
	n->index = ev->dev->index;
	n->after_save = after_save;
	str_lcpy(n->previous, ev->previous, sizeof(n->previous));
	if (!held())
		arm();
}

void
notify_saved(uint32_t gen)
{
	if (gen > N.saved)
		N.saved = gen;
	/* At once: the less a released note waits, the less a kill loses. */
	if (N.ring != NULL && N.len > 0 && !held())
		pump(0, NULL);
}

void
notify_stats(struct notify_stats *st)
{
	st->sent = N.sent;
	st->suppressed = N.suppressed;
	st->queued = N.len;
}

void
notify_unmark_queued(void)
{
	struct device *d;
	size_t i;

	for (i = 0; N.ring != NULL && i < N.len; i++) {
		const struct note *n = &N.ring[(N.head + i) % N.cap];

		if (n->type == EV_DETECTED_RESTRICTED &&
		    (d = store_find(N.store, n->index)) != NULL)
			d->announced = false;
	}
}

void
notify_stop(void)
{
	disarm();
	free(N.ring);
	memset(&N, 0, sizeof(N));
}
