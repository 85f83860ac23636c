/*
 * agent_disc.c: what discovery's sightings (WS-Discovery, SADP, DHIP) do
 * to the rows.
 *
 * Owns the discovery thread's life (started and restarted with the
 * configuration, its counters carried over), new rows for new cameras
 * within the per-host and table limits, polls for Hellos and Byes held
 * down so that no stream of announcements keeps a camera polled, and the
 * counts of what was refused.  Main thread only.
 */
#include <net/if.h>

#include <stdio.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/agent_int.h"

#define SIGHTINGS 16 /* sightings applied per wake-up (9 KiB each) */
#define DROP_BATCH 64 /* drops logged per wake-up, when traced */

/*
 * Rows whose Bye found their poll held down are polled when the hold ends:
 * one timer for all, armed only while one waits, for the earliest, so a
 * real Bye always leads to a poll within HELLO_HOLD seconds.
 */

static void bye_polls(unsigned int clientreg, void *arg);

static void
arm_bye_alarm(time_t now, time_t wait)
{
	if (A.bye_alarm != 0 && A.bye_due <= now + wait)
		return;
	if (A.bye_alarm != 0)
		snmp_alarm_unregister(A.bye_alarm);
	A.bye_due = now + wait;
	A.bye_alarm = snmp_alarm_register((unsigned)wait, 0, bye_polls, NULL);
}

/* Poll d now, or say in how many seconds its hold-down ends. */
static time_t
poll_or_hold(struct device *d, time_t now)
{
	time_t wait = HELLO_HOLD - (now - d->last_submit);

	if (wait <= 0) {
		agent_submit(d);
		return 0;
	}
	return wait > HELLO_HOLD ? HELLO_HOLD : wait; /* the clock went back */
}

static void
bye_polls(unsigned int clientreg, void *arg)
{
	time_t now = time(NULL), wait, next = 0;
	size_t i, n = store_count(A.store);

	(void)clientreg;
	(void)arg;
	A.bye_alarm = 0;
	for (i = 0; i < n; i++) {
		struct device *d = store_at(A.store, i);
		if (!d->bye || d->in_flight ||
		    (wait = poll_or_hold(d, now)) == 0)
			continue;
		if (next == 0 || wait < next)
			next = wait;
	}
	if (next > 0)
		arm_bye_alarm(now, next);
}

/*
 * A Bye counts only from the address the camera is known at, and even then
 * anyone on the LAN could have sent it: it asks for a poll (held down like
 * a Hello's), and only that poll failing makes the row unreachable, so
 * spoofed Byes cannot flap a camera that answers.
 */
static void
apply_bye(const struct disc_sighting *sg, time_t now)
{
	struct device *d = store_find_sighting(A.store, sg);
	time_t wait;

	if (d == NULL) {
		A.disc_base.ignored++; /* never seen: nothing to poll */
		DEBUGMSGTL(("camcomply:disc", "Bye from %s: no such camera\n",
		    sg->address));
	} else if (store_bye(A.store, d, sg->address, now) < 0) {
		A.disc_base.spoofed++;
		DEBUGMSGTL(("camcomply:disc",
		    "Bye from %s for row %u, known at %s: spoofed\n",
		    sg->address, d->index, d->id.address));
	} else if (!d->in_flight && (wait = poll_or_hold(d, now)) > 0)
		arm_bye_alarm(now, wait);
}

/* Counted like the discovery thread's drops; the log says it, sparingly. */
static void
count_refusal(const struct disc_sighting *sg, enum disc_added what)
{
	unsigned long n;

	DEBUGMSGTL(
	    ("camcomply:disc", "%s from %s refused: %s\n", sg->url, sg->address,
		what == DISC_REFUSED_URL ? "an XAddr that cannot be polled"
		    : what == DISC_REFUSED_FULL
		    ? "discover-max rows, none may go"
		    : "its sender has discover-max-per-host rows"));
	if (what == DISC_REFUSED_URL) {
		A.disc_base.malformed++; /* an XAddr we cannot use */
		return;
	}
	if (what == DISC_REFUSED_FULL) {
		A.disc_base.capped++;
		return;
	}
	n = ++A.disc_base.host_capped;
	if ((n & (n - 1)) == 0) /* 1, 2, 4, 8, ...: a flood logs little */
		snmp_log(LOG_WARNING,
		    "discovery: %lu new camera(s) refused so far: their "
		    "sender had discover-max-per-host (%d) rows (last: %s)\n",
		    n, A.cfg->disc.max_per_host, sg->address);
}

static void
apply_seen(const struct disc_sighting *sg, time_t now)
{
	struct dev_event ev[4];
	struct device *d = store_find_sighting(A.store, sg);
	enum disc_added what = DISC_ADDED_KNOWN;
	bool fresh, changed;
	int moved;

	if (d == NULL &&
	    (d = store_add_discovered(A.store, sg, &A.cfg->disc, now, &what)) ==
		NULL) {
		count_refusal(sg, what);
		return;
	}
	fresh = what == DISC_ADDED_NEW;
	/* A new MetadataVersion says the camera's metadata changed. */
	changed = sg->metadata_version != 0 && d->metadata_version != 0 &&
	    sg->metadata_version != d->metadata_version;
	agent_notify_all(
	    ev, store_sighting(A.store, d, sg, A.pol, now, &moved, ev));
	if (moved < 0)
		A.disc_base.spoofed++;
	if (fresh)
		snmp_log(LOG_INFO, "discovered %s (%s) by %s\n", d->key,
		    sg->endpoint[0] != '\0' ? sg->endpoint : sg->address,
		    disc_method_name(sg->method));
	/*
	 * New: poll now.  Moved, changed, silent or saying Hello: poll now
	 * too, but at most every HELLO_HOLD seconds, so that no stream of
	 * announcements (spoofed ones included) keeps a camera polled.
	 */
	if (d->in_flight)
		return;
	if (fresh ||
	    (now - d->last_submit >= HELLO_HOLD &&
		(moved != 0 || changed || !d->reachable ||
		    sg->method == DISC_HELLO || sg->hello)))
		agent_submit(d);
}

/* What the thread dropped, and why: -D camcomply:disc. */
static void
log_drops(void)
{
	struct disc_drop d[DROP_BATCH];
	unsigned long lost;
	size_t i, n = discovery_take_drops(A.disc, d, DROP_BATCH, &lost);

	for (i = 0; i < n; i++)
		DEBUGMSGTL(("camcomply:disc",
		    "dropped a datagram from %s: %s\n", d[i].from, d[i].why));
	if (lost > 0)
		DEBUGMSGTL(("camcomply:disc",
		    "... and %lu more drops not shown\n", lost));
}

static void
on_sightings(int fd, void *arg)
{
	static struct disc_sighting sg[SIGHTINGS];
	size_t i, got;
	time_t now = time(NULL);

	(void)fd;
	(void)arg;
	got = discovery_take(A.disc, sg, SIGHTINGS);
	log_drops();
	for (i = 0; i < got; i++) {
		if (sg[i].kind == DISC_BYE)
			apply_bye(&sg[i], now);
		else
			apply_seen(&sg[i], now);
	}
	agent_publish();
}

static bool
discovery_wanted(const struct config *cfg)
{
	return cfg->disc.multicast || cfg->disc.n_sweeps > 0 ||
	    cfg->disc.sadp.on || cfg->disc.dhip.on;
}

/* The thread cannot log: say here what it will not find. */
static void
warn_ifaces(const char *kind, const char (*names)[CAM_NAME_MAX], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (if_nametoindex(names[i]) == 0)
			snmp_log(LOG_WARNING,
			    "discover %s %s: no such interface (it is looked "
			    "for again each discovery round)\n",
			    kind, names[i]);
}

/* (Re)start the discovery thread for cfg; its counters carry over. */
void
agent_disc_start(const struct config *cfg)
{
	char err[256];

	agent_disc_stop();
	if (!discovery_wanted(cfg))
		return;
	if (cfg->n_site_ranges == 0 && cfg->disc.n_sweeps == 0 &&
	    cfg->disc.n_allow == 0 && !cfg->disc.allow_any)
		snmp_log(LOG_WARNING,
		    "discovery: no site, sweep or allow range is configured, "
		    "so every discovered camera is out of range\n");
	warn_ifaces("multicast", cfg->disc.ifaces, cfg->disc.n_ifaces);
	warn_ifaces("sadp", cfg->disc.sadp.names, cfg->disc.sadp.n);
	warn_ifaces("dhip", cfg->disc.dhip.names, cfg->disc.dhip.n);
	err[0] = '\0';
	if ((A.disc = discovery_new(&cfg->disc, cfg->site_ranges,
		 cfg->n_site_ranges, err, sizeof(err))) == NULL) {
		snmp_log(LOG_ERR, "discovery: %s\n", err);
		return;
	}
	if (err[0] != '\0')
		snmp_log(LOG_WARNING, "discovery: %s\n", err);
	discovery_trace(A.disc,
	    snmp_get_do_debugging() &&
		debug_is_token_registered("camcomply:disc") == SNMPERR_SUCCESS);
	register_readfd(discovery_fd(A.disc), on_sightings, NULL);
}

void
agent_disc_stop(void)
{
	struct disc_stats old;

	if (A.disc == NULL)
		return;
	unregister_readfd(discovery_fd(A.disc));
	discovery_stats(A.disc, &old);
	agent_disc_add(&A.disc_base, &old);
	discovery_free(A.disc);
	A.disc = NULL;
}

/* Counters survive a reload's new discovery thread: Counter32 semantics. */
void
agent_disc_totals(struct disc_stats *t)
{
	struct disc_stats cur;

	*t = A.disc_base;
	if (A.disc != NULL) {
		discovery_stats(A.disc, &cur);
		agent_disc_add(t, &cur);
	}
}
