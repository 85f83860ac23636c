/*
 * poller_int.h: the poller's queued records, shared by poller.c (the
 * queues and the workers) and poller_pack.c (packing the records' strings
 * at their length).  Nodes are handed between threads under the poller's
 * lock; packing and unpacking touch one node, owned by the caller.
 */
#ifndef CAMCOMPLY_POLLER_INT_H
#define CAMCOMPLY_POLLER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/poller.h"

/*
 * The policy's page markers as jobs carry them: one copy shared by the
 * jobs submitted while it was current, freed with the last of them.
 * refs under the poller's lock.
 */
struct markers {
	size_t refs, n;
	const char *list[]; /* n of them, their text after them */
};

/* A queue link: the first member of a job node and of a result node. */
struct qnode {
	struct qnode *next;
};

/*
 * A job waiting for a worker, its strings packed after it at their
 * length.  Holds a password: wiped (all of size) before it is freed.
 */
struct jnode {
	struct qnode link;
	size_t size; /* of the whole node */
	uint32_t index;
	bool has_credentials, has_pin;
	uint8_t tls_pin[32];
	struct onvif_opts opts;
	bool probe, probe_all, probe_down;
	struct unauth_opts uopts;
	struct markers *markers; /* a reference, or NULL */
	char str[]; /* job_fields(), each NUL-ended */
};

/* A result waiting for the main thread, packed the same way. */
struct rnode {
	struct qnode link;
	uint32_t index;
	enum onvif_status status;
	int http_code, elapsed_ms, probe_ms;
	unsigned probe_spoofed;
	enum onvif_auth auth;
	bool have_clock, have_tls;
	long clock_offset_s;
	uint8_t tls_sha256[32];
	uint8_t macs[CAM_MACS_MAX][6];
	uint8_t n_macs, n_scopes, n_facts;
	uint32_t facts_tried, facts_answered;
	uint8_t fact_kind[CAM_FACTS_MAX], fact_probe[CAM_FACTS_MAX];
	char str[]; /* result_fields(), each NUL-ended */
};

/* poller_pack.c */
/* A job's node (markers NULL: the caller attaches its reference). */
struct jnode *job_pack(const struct poll_job *);
/*
 * The job back in its fixed-size form, its markers those of the node's
 * reference (returned: the caller lets it go); the node is wiped and
 * freed.
 */
struct markers *job_unpack(struct jnode *, struct poll_job *);
struct rnode *result_pack(struct poll_result *);
/* The result back in its fixed-size form; the node is freed. */
void result_unpack(struct rnode *, struct poll_result *);

#endif
