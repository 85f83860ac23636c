/*
 * server.c: listening sockets, the accept loop and connection threads.
 *
 * server_bind() and server_run() run in the main thread; so does the
 * SIGUSR1 callback that server_run() calls when the swap pipe wakes it.
 * A listener is a camera's own socket, or a socket bound to the
 * any-address on lo and shared by the cameras on its port: the accept
 * loop finds the camera by the local address the client reached.  It
 * serves HTTP (plain, or TLS with tls=yes), HTTPS (https-port=, the
 * profile's certificate) or RTSP (rtsp-port=, rtsp.c).  Each
 * accepted connection gets its own detached thread (conn_main), bounded
 * per camera and in total, so one hung or hostile exchange (tls-drip and
 * header-drip included) never blocks another camera; a connection over
 * the bound is closed at once, like a busy embedded web server would.
 * Threads, not cameras, cost memory: 100,000 cameras polled 64 at a time
 * run about 64 threads.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

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

/*
 * A shared socket: 0.0.0.0 on lo only (SO_BINDTODEVICE, unprivileged since
 * Linux 5.7), so the LAN never reaches it; where the kernel refuses, the
 * accept loop still closes every connection to an address not ours.
 */
static void
bind_to_lo(int fd, int port)
{
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) != 0)
		sim_log(NULL,
		    "shared socket on port %d: not bound to lo (%s); "
		    "connections to addresses not ours are closed",
		    port, strerror(errno));
}

/* The port a listener got, where its camera (or line) keeps it. */
static void
set_port(const struct sim_listener *ln, struct sim_camera *c)
{
	if (ln->proto == SIM_PROTO_RTSP)
		c->x->rtsp_port = ln->port;
	else if (ln->proto == SIM_PROTO_HTTPS)
		c->x->https_port = ln->port;
	else if (ln->proto == SIM_PROTO_XM)
		c->x->xm_port = ln->port;
	else
		c->port = ln->port;
}

/* Bind ln (its camera's address, or the any-address if shared), listen. */
int
server_bind(struct sim_listener *ln, char *err, size_t errsz)
{
	struct addrinfo hints, *ai;
	struct sockaddr_storage sa;
	socklen_t salen = sizeof(sa);
	const char *host = ln->cam != NULL ? ln->cam->host : "0.0.0.0";
	char port[16];
	int fd, one = 1, rc;
	size_t i;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", ln->port);
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(err, errsz, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(
			    fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (ln->cam == NULL)
			bind_to_lo(fd, ln->port);
	}
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, ln->cam != NULL ? 128 : SOMAXCONN) != 0) {
		snprintf(err, errsz, "%s port %s%s: %s", host, port,
		    ln->cam != NULL ? "" : " (shared)", strerror(errno));
		freeaddrinfo(ai);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	freeaddrinfo(ai);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	getsockname(fd, (struct sockaddr *)&sa, &salen);
	ln->port = ntohs(sa.ss_family == AF_INET6
		? ((struct sockaddr_in6 *)&sa)->sin6_port
		: ((struct sockaddr_in *)&sa)->sin_port);
	ln->fd = fd;
	if (ln->cam != NULL)
		set_port(ln, ln->cam);
	for (i = 0; i < ln->nslots; i++)
		set_port(ln, ln->slots[i].cam);
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
		if (!web_handle(cam, &req, &rep))
			service_handle(cam, &req, &rep);
		sim_log(cam, "%s %s auth=%s status=%d%s%s", req.method, rep.op,
		    rep.auth[0] ? rep.auth : "-", rep.status,
		    rep.faulty ? " fault=" : "",
		    rep.faulty ? fault_name(cam->spec->fault) : "");
		keep = http_send_reply(cn, &rep, req.keep_alive);
		free(rep.body);
		free(req.body);
		memmove(buf, buf + req.used, have - req.used);
		have -= req.used;
	}
	free(buf);
}

/*
 * Xiongmai's DVR-IP port (xm-port=): accept and say nothing.  What a
 * client sends is read and thrown away (captured with -C) for XM_HOLD_MS
 * at most, then the connection is closed; the log says how many bytes
 * came, so a test sees that a connect-only client sent none.
 */
#define XM_HOLD_MS 10000
static void
xm_serve(struct sim_conn *cn)
{
	char sink[4096];
	long long until = sim_now_ms() + XM_HOLD_MS;
	size_t got = 0;
	ssize_t n;
	int left;

	while ((left = (int)(until - sim_now_ms())) > 0) {
		n = conn_recv(cn, sink, sizeof(sink), left);
		if (n == CONN_TIMEOUT)
			break;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	sim_log(cn->cam, "dvr-ip: connection closed, %zu bytes received", got);
}

static void *
conn_main(void *arg)
{
	struct sim_conn *cn = arg;
	struct sim_camera *cam = cn->cam;
	int one = 1;

	setsockopt(cn->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	capture_start(cn);
	if (cn->proto == SIM_PROTO_RTSP)
		rtsp_serve(cn);
	else if (cn->proto == SIM_PROTO_XM)
		xm_serve(cn);
	else if (cn->proto == SIM_PROTO_HTTPS) {
		if (tls_accept(cn) == 0)
			conn_serve(cn);
	} else if (cam->spec->fault == SIM_FAULT_TLS_DRIP)
		tls_drip(cn);
	else if (!cam->spec->tls || tls_accept(cn) == 0)
		conn_serve(cn);
	tls_close(cn);
	capture_end(cn);
	close(cn->fd);
	free(cn);
	pthread_mutex_lock(sim_cam_lock(cam));
	cam->active--;
	pthread_mutex_unlock(sim_cam_lock(cam));
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
	pthread_mutex_lock(sim_cam_lock(cam));
	ok = nconns < MAX_CONNS && cam->active < MAX_CAM_CONNS;
	if (ok) {
		nconns++;
		cam->active++;
	}
	pthread_mutex_unlock(sim_cam_lock(cam));
	pthread_mutex_unlock(&conns_lock);
	return ok;
}

static void
conn_unreserve(struct sim_camera *cam)
{
	pthread_mutex_lock(&conns_lock);
	pthread_mutex_lock(sim_cam_lock(cam));
	nconns--;
	cam->active--;
	pthread_mutex_unlock(sim_cam_lock(cam));
	pthread_mutex_unlock(&conns_lock);
}

/*
 * The camera a connection on ln reached: its own, or on a shared socket
 * the one at the connection's local address; NULL (logged) if none is.
 */
static struct sim_camera *
camera_of(const struct sim_listener *ln, int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct sim_camera *cam;
	char host[SIM_HOST];

	if (ln->cam != NULL)
		return ln->cam;
	if (getsockname(fd, (struct sockaddr *)&sin, &len) != 0 ||
	    sin.sin_family != AF_INET)
		return NULL;
	cam = fleet_lookup(ln, ntohl(sin.sin_addr.s_addr));
	if (cam == NULL)
		sim_log(NULL, "no camera at %s:%d%s: connection closed",
		    inet_ntop(AF_INET, &sin.sin_addr, host, sizeof(host)),
		    ln->port, ln->proto == SIM_PROTO_RTSP ? " (rtsp)" : "");
	return cam;
}

static void
accept_all(struct sim_listener *ln, pthread_attr_t *attr)
{
	struct sim_camera *cam;
	struct sim_conn *cn;
	pthread_t tid;
	int fd;

	/* Non-blocking: conn.c waits with poll, deadlines and stop pipe. */
	while ((fd = accept4(
		    ln->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		if ((cam = camera_of(ln, fd)) == NULL) {
			close(fd);
			continue;
		}
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
		cn->capture_fd = -1;
		cn->proto = ln->proto;
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
 * Accept on every listener until camsim stops; on SIGUSR1 (the swap pipe)
 * call on_swap(arg) in this thread.
 */
int
server_run(struct fleet *fl, void (*on_swap)(void *), void *arg)
{
	struct pollfd *pfd;
	pthread_attr_t attr;
	size_t i, n = fl->nlns;

	if ((pfd = calloc(n + 2, sizeof(*pfd))) == NULL)
		return -1;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (i = 0; i < n; i++) {
		pfd[i].fd = fl->lns[i].fd;
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
				accept_all(&fl->lns[i], &attr);
		if (pfd[n + 1].revents & POLLIN)
			drain_swaps(on_swap, arg);
	}
	for (i = 0; i < n; i++)
		close(fl->lns[i].fd);
	drain();
	pthread_attr_destroy(&attr);
	free(pfd);
	return 0;
}
