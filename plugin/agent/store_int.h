/*
 * store_int.h: the store's insides, shared by store*.c and statefile.c
 * only.  Main thread only.
 */
#ifndef CAMCOMPLY_STORE_INT_H
#define CAMCOMPLY_STORE_INT_H

#include "agent/store.h"

struct store {
	struct device **devs; /* sorted by index */
	struct device **by_key; /* sorted by key */
	size_t n, cap;
	size_t n_keyed; /* by_key[0..n_keyed) is sorted */
	uint64_t next_index; /* above UINT32_MAX: every index was given */
	struct store_hooks hooks;
};

void store_reindex(struct store *);
struct device *store_find_key(struct store *, const char *key);
/* by_key kept in step with one row added, or taken out of it, in O(n). */
void store_key_insert(struct store *, struct device *);
void store_key_remove(struct store *, const struct device *);
/* index 0: allocate the next one. */
struct device *store_insert(struct store *, const char *key, uint32_t index);

void store_remove_at(struct store *, size_t i);

/* store_row.c: a new row's strings, all "", and a row freed with them. */
void store_row_init(struct device *);
void store_row_free(struct device *);

/*
 * store_disc.c: the facts of a newer record (a poll's, a sighting's) over
 * an older one's: the newer's, then the older's from collectors the newer
 * did not ask (a poll that did not try SADP keeps what discovery's SADP
 * said).
 */
void store_merge_facts(struct cam_facts *newer, const struct cam_facts *older);

/* store_apply.c, shared with store_disc.c */
void store_url_host(const char *url, char *out, size_t outsz);
void store_classify(struct device *, const struct policy *, time_t now,
    struct policy_result *out);
int store_verdict_events(
    struct device *, const struct policy_result *, struct dev_event *ev, int n);
int store_push_event(struct dev_event *ev, int n, enum dev_event_type t,
    struct device *d, const char *prev);

#endif
