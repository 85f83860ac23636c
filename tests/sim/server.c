/*
 * server.c: listening sockets, the accept loop and connection threads.
 *
 * server_bind() and server_run() run in the main thread.  Each accepted
 * connection gets its own detached thread (conn_main), bounded per camera
 * and in total, so one hung or hostile exchange never blocks another
 * camera; a connection over the bound is closed at once, like a busy
 * embedded web server would.
 */
#include <sys/socket.h>
#include <sys/time.h>

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
#include "strutil.h"

#define MAX_CONNS 1024 /* connection threads in the whole process */
#define MAX_CAM_CONNS 64 /* ... and per camera */
#define MAX_REQUESTS 100 /* per keep-alive connection */
#define THREAD_STACK (512 * 1024)

struct conn {
	struct sim_camera *cam;
	int fd;
};

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
conn_serve(struct sim_camera *cam, int fd)
{
	struct sim_req req;
	struct sim_reply rep;
	char *buf = NULL;
	size_t cap = 0, have = 0;
	int i, rc, keep = 1;

	for (i = 0; i < MAX_REQUESTS && keep && !sim_stopping; i++) {
		memset(&req, 0, sizeof(req));
		memset(&rep, 0, sizeof(rep));
		rc = http_read_request(fd, &buf, &cap, &have, &req);
		if (rc == 0)
			break;
		if (rc < 0) {
			rep.status = -rc;
			rep.html = 1;
			rep.close = 1;
			str_lcpy(rep.op, "-", sizeof(rep.op));
			http_send_reply(fd, cam, &rep, 0);
			free(rep.body);
			sim_log(cam, "bad request: HTTP %d", -rc);
			break;
		}
		service_handle(cam, &req, &rep);
		sim_log(cam, "%s %s auth=%s status=%d%s%s", req.method, rep.op,
		    rep.auth[0] ? rep.auth : "-", rep.status,
		    rep.faulty ? " fault=" : "",
		    rep.faulty ? fault_name(cam->fault) : "");
		keep = http_send_reply(fd, cam, &rep, req.keep_alive);
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
	struct conn *cn = arg;
	struct sim_camera *cam = cn->cam;
	struct timeval tv = {30, 0};
	int one = 1;

	setsockopt(cn->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(cn->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	conn_serve(cam, cn->fd);
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
	struct conn *cn;
	pthread_t tid;
	int fd;

	while ((fd = accept(cam->fd, NULL, NULL)) >= 0) {
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		if (!conn_reserve(cam)) {
			sim_log(cam, "busy: connection refused");
			close(fd);
			continue;
		}
		if ((cn = malloc(sizeof(*cn))) == NULL) {
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

int
server_run(struct sim_camera *cams, int n)
{
	struct pollfd *pfd;
	pthread_attr_t attr;
	int i;

	if ((pfd = calloc((size_t)n + 1, sizeof(*pfd))) == NULL)
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
	while (!sim_stopping) {
		if (poll(pfd, (nfds_t)n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n; i++)
			if (pfd[i].revents & POLLIN)
				accept_all(&cams[i], &attr);
	}
	for (i = 0; i < n; i++)
		close(cams[i].fd);
	drain();
	pthread_attr_destroy(&attr);
	free(pfd);
	return 0;
}
