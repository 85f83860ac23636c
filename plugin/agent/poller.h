/*
 * poller.h: the worker threads that talk to cameras.
 *
 * poller_submit/take/pending/free run on the main thread; the workers only
 * call onvif_identify() on a private copy of the job and never touch
 * Net-SNMP.  Jobs wait in one queue per host, served round-robin.
 */
#ifndef CAMCOMPLY_POLLER_H
#define CAMCOMPLY_POLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/camera.h"
#include "onvif/onvif.h"

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
};

struct poll_result {
	uint32_t index;
	struct onvif_result res;
};

struct poller;

struct poller *poller_new(int workers);
/* The fd that becomes readable when results wait; main loop watches it. */
int poller_fd(const struct poller *);
/* Queue a job (copied; the password copy is wiped after use). */
int poller_submit(struct poller *, const struct poll_job *);
/* Take up to max results; returns how many.  Clears the fd when drained. */
size_t poller_take(struct poller *, struct poll_result *, size_t max);
size_t poller_pending(struct poller *);
/* Wake the main loop (from a signal handler too). */
void poller_wake(struct poller *);
void poller_free(struct poller *);

#endif
