/*
 * mib.h: CAMERA-COMPLIANCE-MIB: the registrations, the rows that follow
 * the store, and the notifications.  Main thread only.
 */
#ifndef CAMCOMPLY_MIB_H
#define CAMCOMPLY_MIB_H

#include <time.h>

#include "agent/store.h"
#include "wsd/discovery.h"

struct mib_summary {
	const char *policy_version;
	const char *policy_date;
	const char *registry_date;
	const char *active_lists;
	time_t last_poll_completed;
	unsigned rounds;
	struct disc_stats disc;
};

int mib_init(void);
void mib_shutdown(void);
extern const struct store_hooks mib_store_hooks;
void mib_set_summary(const struct mib_summary *);
/* Where the fleet's counts come from, read at each request. */
void mib_set_counts_hook(void (*)(struct store_counts *));
/* Where camDiscovery's counters come from, read at each request. */
void mib_set_disc_hook(void (*)(struct disc_stats *));
void mib_notify(const struct dev_event *);

#endif
