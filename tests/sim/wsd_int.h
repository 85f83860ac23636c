/*
 * wsd_int.h: what wsd.c (the sockets, the Probe responder, the thread) and
 * wsdmsg.c (the messages) share: a discovering camera's state and the
 * message builder.  camsim-internal.
 */
#ifndef CAMSIM_WSD_INT_H
#define CAMSIM_WSD_INT_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "camsim.h"

#define WSD_PORT 3702
#define WSD_LIST_MAX (SIM_MAX_SCOPES * SIM_STR * 2)

enum wsd_kind { K_HELLO, K_PROBE_MATCHES, K_BYE };

/* Discovery state of one camera; read-only once the thread runs. */
struct wcam {
	struct sim_camera *c;
	struct sockaddr_in addr; /* ADDR:3702 */
	int mfd, ufd; /* multicast and unicast sockets, -1 if none */
	unsigned msgno; /* AppSequence MessageNumber of the last message */
	char epr[128];
	char scopes[WSD_LIST_MAX]; /* space-separated, XML-escaped */
	char xaddrs[1024];
};

/* wsdmsg.c */
void wsd_seed(void);
uint64_t wsd_rng(void);
void wsd_make_endpoint(const struct sim_camera *, char *, size_t);
void wsd_make_xaddrs(struct wcam *);
void wsd_make_scopes(struct wcam *);
size_t wsd_build(struct wcam *, enum wsd_kind, const char *, char *, size_t);

#endif
