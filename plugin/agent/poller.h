/*
 * poller.h: the worker threads that talk to cameras.
 *
 * poller_submit/take/pending/free run on the main thread; the workers only
 * call onvif_identify(), then maybe unauth_probe(), on a private copy of
 * the job and never touch Net-SNMP.  Jobs wait in one queue per host,
 * served round-robin.
 */
#ifndef CAMCOMPLY_POLLER_H
#define CAMCOMPLY_POLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/camera.h"
#include "onvif/onvif.h"
#include "onvif/unauth.h"

struct poll_job {
	uint32_t index;
	char url[CAM_STR_MAX];
	char user[CAM_STR_MAX];
	char password[CAM_STR_MAX];
	bool has_credentials;
	char cafile[CAM_STR_MAX];
	char capath[CAM_STR_MAX];
	bool has_pin;
	uint8_t tls_pin[32];
	struct onvif_opts opts; /* pointers into this job set by the worker */
	/*
	 * The collectors that need no credentials, on the camera's host after
	 * ONVIF: probe when its rate limit says it is time, then only when
	 * ONVIF named neither maker nor model, or always with probe_all;
	 * probe_down whenever ONVIF timed out or was unreachable (a camera
	 * known by its facts: whether it is still there is theirs to say).
	 * struct unauth_opts has no field for a credential: none can reach
	 * them.  Its markers are the poller's (poller_set_markers).
	 */
	bool probe, probe_all, probe_down;
	struct unauth_opts uopts;
};

struct poll_result {
	uint32_t index;
	struct onvif_result res; /* res.id.facts.tried: the collectors ran */
	int probe_ms; /* how long they took */
	unsigned probe_spoofed; /* datagrams from another address */
};

struct poller;

struct poller *poller_new(int workers);
/* The fd that becomes readable when results wait; main loop watches it. */
int poller_fd(const struct poller *);
/* Queue a job (copied; the password copy is wiped after use). */
int poller_submit(struct poller *, const struct poll_job *);
/*
 * Hold the workers while a batch is submitted, then release them: they
 * take the batch's jobs host by host in turn.  Submitted one by one to
 * idle workers, jobs went in the order they came: a round's first rows,
 * 32 endpoints of two hostile hosts, took all 32 workers for a whole
 * timeout ahead of the healthy cameras after them.
 */
void poller_hold(struct poller *);
void poller_release(struct poller *);
/* Take up to max results; returns how many.  Clears the fd when drained. */
size_t poller_take(struct poller *, struct poll_result *, size_t max);
size_t poller_pending(struct poller *);
/*
 * The page markers jobs submitted from now on look for (the policy's
 * policy_http_markers()): copied, so a policy freed by a reload leaves
 * running jobs theirs.
 */
int poller_set_markers(struct poller *, const char *const *markers, size_t n);
/* Wake the main loop (from a signal handler too). */
void poller_wake(struct poller *);
void poller_free(struct poller *);

#endif
