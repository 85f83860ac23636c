/*
 * server.c: listening sockets, the accept loop and connection threads.
 *
 * server_bind() and server_run() run in the main thread; so does the
 * SIGUSR1 callback that server_run() calls when the swap pipe wakes it.
 * Each accepted connection gets its own detached thread (conn_main),
 * bounded per camera and in total, so one hung or hostile exchange
 * (tls-drip and header-drip included) never blocks another camera; a
 * connection over the bound is closed at once, like a busy embedded web
 * server would.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "camsim.h"
#include "common/strutil.h"

#define MAX_CONNS 1024 /* connection threads in the whole process */
#define MAX_CAM_CONNS 64 /* ... and per camera */
#define MAX_REQUESTS 100 /* per keep-alive connection */
#define THREAD_STACK (512 * 1024)

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conns_done = PTHREAD_COND_INITIALIZER;
static int nconns;

int
server_bind(struct sim_camera *c, char *err, size_t errsz)
{
	struct addrinfo hints, *ai;
	char port[16];
	int fd, one = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", c->port);
	if ((rc = getaddrinfo(c->host, port, &hints, &ai)) != 0) {
		snprintf(err, errsz, "%s: %s", c->host, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(
			    fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, 128) != 0) {
		snprintf(err, errsz, "%s port %s: %s", c->host, port,
		    strerror(errno));
		freeaddrinfo(ai);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	freeaddrinfo(ai);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	c->salen = sizeof(c->sa);
	getsockname(fd, (struct sockaddr *)&c->sa, &c->salen);
	c->port = ntohs(c->sa.ss_family == AF_INET6
		? ((struct sockaddr_in6 *)&c->sa)->sin6_port
		: ((struct sockaddr_in *)&c->sa)->sin_port);
	c->fd = fd;
	snprintf(c->label, sizeof(c->label), "%s@%s%s%s:%d", c->prof.name,
	    c->sa.ss_family == AF_INET6 ? "[" : "", c->host,
	    c->sa.ss_family == AF_INET6 ? "]" : "", c->port);
	return 0;
}

static void
conn_serve(struct sim_conn *cn)
{
	struct sim_camera *cam = cn->cam;
	struct sim_req req;
	struct sim_reply rep;
	char *buf = NULL;
	size_t cap = 0, have = 0;
	int i, rc, keep = 1;

	for (i = 0; i < MAX_REQUESTS && keep && !sim_stopping; i++) {
		memset(&req, 0, sizeof(req));
		memset(&rep, 0, sizeof(rep));
		rc = http_read_request(cn, &buf, &cap, &have, &req);
		if (rc == 0)
			break;
		if (rc < 0) {
			rep.status = -rc;
			rep.html = 1;
			rep.close = 1;
			str_lcpy(rep.op, "-", sizeof(rep.op));
			http_send_reply(cn, &rep, 0);
			free(rep.body);
			sim_log(cam, "bad request: HTTP %d", -rc);
			break;
		}
		service_handle(cam, &req, &rep);
		sim_log(cam, "%s %s auth=%s status=%d%s%s", req.method, rep.op,
		    rep.auth[0] ? rep.auth : "-", rep.status,
		    rep.faulty ? " fault=" : "",
		    rep.faulty ? fault_name(cam->fault) : "");
		keep = http_send_reply(cn, &rep, req.keep_alive);
		free(rep.body);
		free(req.body);
		memmove(buf, buf + req.used, have - req.used);
		have -= req.used;
	}
	free(buf);
}

static void *
conn_main(void *arg)
{
	struct sim_conn *cn = arg;
	struct sim_camera *cam = cn->cam;
	int one = 1;

	setsockopt(cn->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (cam->fault == SIM_FAULT_TLS_DRIP)
		tls_drip(cn);
	else if (!cam->tls || tls_accept(cn) == 0)
		conn_serve(cn);
	tls_close(cn);
	close(cn->fd);
	free(cn);
	pthread_mutex_lock(&cam->lock);
	cam->active--;
	pthread_mutex_unlock(&cam->lock);
	pthread_mutex_lock(&conns_lock);
	if (--nconns == 0)
		pthread_cond_signal(&conns_done);
	pthread_mutex_unlock(&conns_lock);
	return NULL;
}

/* Reserve a slot for one more connection of cam; 0 if over a bound. */
static int
conn_reserve(struct sim_camera *cam)
{
	int ok;

	pthread_mutex_lock(&conns_lock);
	pthread_mutex_lock(&cam->lock);
	ok = nconns < MAX_CONNS && cam->active < MAX_CAM_CONNS;
	if (ok) {
		nconns++;
		cam->active++;
	}
	pthread_mutex_unlock(&cam->lock);
	pthread_mutex_unlock(&conns_lock);
	return ok;
}

static void
conn_unreserve(struct sim_camera *cam)
{
	pthread_mutex_lock(&conns_lock);
	pthread_mutex_lock(&cam->lock);
	nconns--;
	cam->active--;
	pthread_mutex_unlock(&cam->lock);
	pthread_mutex_unlock(&conns_lock);
}

static void
accept_all(struct sim_camera *cam, pthread_attr_t *attr)
{
	struct sim_conn *cn;
	pthread_t tid;
	int fd;

	/* Non-blocking: conn.c waits with poll, deadlines and stop pipe. */
	while ((fd = accept4(
		    cam->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		if (!conn_reserve(cam)) {
			sim_log(cam, "busy: connection refused");
			close(fd);
			continue;
		}
		if ((cn = calloc(1, sizeof(*cn))) == NULL) {
			conn_unreserve(cam);
			close(fd);
			continue;
		}
		cn->cam = cam;
		cn->fd = fd;
		if (pthread_create(&tid, attr, conn_main, cn) != 0) {
			conn_unreserve(cam);
			close(fd);
			free(cn);
		}
	}
}

/* Wait up to about 3 s for connection threads to notice the stop. */
static void
drain(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 3;
	pthread_mutex_lock(&conns_lock);
	while (nconns > 0 &&
	    pthread_cond_timedwait(&conns_done, &conns_lock, &until) == 0)
		;
	pthread_mutex_unlock(&conns_lock);
}

/* The swap pipe is non-blocking: take every pending byte, one callback. */
static void
drain_swaps(void (*on_swap)(void *), void *arg)
{
	char sink[64];

	while (read(sim_swap_fd, sink, sizeof(sink)) > 0)
		;
	on_swap(arg);
}

/*
 * Accept on every camera until camsim stops; on SIGUSR1 (the swap pipe)
 * call on_swap(arg) in this thread.
 */
int
server_run(struct sim_camera *cams, int n, void (*on_swap)(void *), void *arg)
{
	struct pollfd *pfd;
	pthread_attr_t attr;
	int i;

	if ((pfd = calloc((size_t)n + 2, sizeof(*pfd))) == NULL)
		return -1;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (i = 0; i < n; i++) {
		pfd[i].fd = cams[i].fd;
		pfd[i].events = POLLIN;
	}
	pfd[n].fd = sim_stop_fd;
	pfd[n].events = POLLIN;
	pfd[n + 1].fd = sim_swap_fd;
	pfd[n + 1].events = POLLIN;
	while (!sim_stopping) {
		if (poll(pfd, (nfds_t)n + 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n; i++)
			if (pfd[i].revents & POLLIN)
				accept_all(&cams[i], &attr);
		if (pfd[n + 1].revents & POLLIN)
			drain_swaps(on_swap, arg);
	}
	for (i = 0; i < n; i++)
		close(cams[i].fd);
	drain();
	pthread_attr_destroy(&attr);
	free(pfd);
	return 0;
}
