/*
 * service.h: what service.c shares with the gSOAP skeletons in ops.c.
 *
 * One struct call per request, owned by the connection thread serving it.
 */
#ifndef CAMSIM_SERVICE_H
#define CAMSIM_SERVICE_H

#include "camsim.h"

struct soap;

#define HTTP_AUTH_DIGEST 1
#define HTTP_AUTH_BASIC 2

/* What the gSOAP callbacks and skeletons need for one request. */
struct call {
	struct sim_camera *cam;
	const struct sim_req *req;
	struct sim_reply *rep;
	int http_auth; /* 0, or the HTTP_AUTH_* that admitted the request */
	const char *in;
	size_t inlen, inpos;
	char *out;
	size_t outlen, outcap;
};

/* SOAP_OK, or the camera's authentication fault already set on soap. */
int call_auth(struct soap *, const char *);

#endif
