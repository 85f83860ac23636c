/*
 * agent_int.h: the state agent.c (config, policy, poll rounds, results)
 * and agent_disc.c (what discovery's sightings do) share.  Main thread
 * only: the thread that runs the Net-SNMP loop, camcomplyd's or snmpd's.
 */
#ifndef CAMCOMPLY_AGENT_INT_H
#define CAMCOMPLY_AGENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "agent/config.h"
#include "agent/mib.h"
#include "agent/poller.h"
#include "agent/store.h"
#include "policy/policy.h"
#include "wsd/discovery.h"

#define HELLO_HOLD 10 /* seconds: a Hello or Bye polls at most this often */

struct agent {
	char config_path[CAM_STR_MAX];
	struct config *cfg;
	struct policy *pol;
	struct store *store;
	struct poller *poller;
	struct discovery *disc;
	struct statesave *saver; /* the state file, off the SNMP path */
	struct disc_stats disc_base; /* counts of discovery threads gone */
	unsigned alarm; /* the poll rounds */
	unsigned bye_alarm; /* Byes waiting for their hold-down to end */
	time_t bye_due;
	bool registered, running;
	size_t outstanding; /* jobs of the current round */
	bool round_active;
	bool feeding; /* rows of the round still to submit */
	uint32_t round_cursor; /* the last row's index submitted so far */
	unsigned feed_alarm; /* a top-up retried soon */
	long long round_start; /* monotonic ms, for the poll log */
	time_t last_completed;
	unsigned rounds;
	char lists[CAM_STR_MAX];
	bool (*notify_gate)(void); /* the host can take a notification now */
	struct store_counts counts; /* as of the last store_counts() */
	bool counts_dirty; /* rows changed since */
	long long counts_at; /* when they were made, monotonic ms */
};

extern struct agent A;

/* agent.c */
void agent_submit(struct device *);
void agent_publish(void);
void agent_notify(const struct dev_event *);
void agent_notify_all(const struct dev_event *, int n);
void agent_disc_add(struct disc_stats *to, const struct disc_stats *from);

/* agent_disc.c */
/* (Re)start the discovery thread for cfg (none: stop it). */
void agent_disc_start(const struct config *cfg);
void agent_disc_stop(void);
/* Counters of all discovery threads so far (the MIB reads them live). */
void agent_disc_totals(struct disc_stats *);

#endif
