/*
 * conn.c: the byte stream of one accepted connection, plain TCP or TLS:
 * reads and writes with deadlines that the stop pipe cuts short, pauses
 * that notice the peer leaving, and the capture of every byte the peer
 * sent (after decryption on TLS).
 *
 * A struct sim_conn belongs to the connection thread that accepted it.
 * A camera with a socket of its own has one capture descriptor, shared by
 * its connections and opened O_APPEND before any thread starts; a camera
 * on a shared socket (there may be 100,000) has none until a connection
 * opens the file for itself.  Either is written once per read, without
 * buffering, so a test may read it while camsim runs.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "camsim.h"

#define SEND_IDLE_MS 30000 /* a peer that takes nothing this long is gone */

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long
sim_now_ms(void)
{
	return (long)(now_us() / 1000);
}

/* A deadline ms from now, in microseconds; -1 (no limit) stays -1. */
static long long
deadline(int ms)
{
	return ms < 0 ? -1 : now_us() + (long long)ms * 1000;
}

/*
 * Milliseconds until the deadline, rounded up so that a drip's pause is
 * never shorter than asked; never negative, and -1 stays "forever".
 */
static int
left_ms(long long until)
{
	long long left;

	if (until < 0)
		return -1;
	left = until - now_us();
	return left > 0 ? (int)((left + 999) / 1000) : 0;
}

/*
 * Wait for events on fd for ms (-1: no limit).  1 ready, 0 timed out,
 * -1 stopping or error.  The stop pipe is never drained, so every waiter
 * wakes once camsim stops.
 */
int
conn_poll(int fd, short events, int ms)
{
	struct pollfd pfd[2];
	int rc;

	pfd[0].fd = fd;
	pfd[0].events = events;
	pfd[1].fd = sim_stop_fd;
	pfd[1].events = POLLIN;
	do {
		rc = poll(pfd, 2, ms);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0 || (pfd[1].revents & POLLIN))
		return -1;
	return rc > 0;
}

void
capture_write(const struct sim_conn *cn, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (cn->capture_fd >= 0 && n > 0) {
		w = write(cn->capture_fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/*
 * One read attempt: >0 bytes, 0 peer closed, -1 error, CONN_TIMEOUT when
 * it must wait first (*ev: for what).
 */
static ssize_t
recv_once(struct sim_conn *cn, void *buf, size_t len, short *ev)
{
	size_t got;
	ssize_t n;
	int err;

	*ev = POLLIN;
	if (cn->ssl == NULL) {
		n = recv(cn->fd, buf, len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return CONN_TIMEOUT;
		return n;
	}
	ERR_clear_error();
	if (SSL_read_ex(cn->ssl, buf, len, &got) == 1)
		return (ssize_t)got;
	err = SSL_get_error(cn->ssl, 0);
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
		*ev = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return CONN_TIMEOUT;
	}
	return err == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

/*
 * Read up to len bytes within ms (-1: no limit).  Returns the number of
 * bytes (captured), 0 when the peer closed, -1 on error or stop, or
 * CONN_TIMEOUT.
 */
ssize_t
conn_recv(struct sim_conn *cn, void *buf, size_t len, int ms)
{
	long long until = deadline(ms);
	ssize_t n;
	short ev;
	int rc;

	for (;;) {
		if ((n = recv_once(cn, buf, len, &ev)) != CONN_TIMEOUT)
			break;
		if ((rc = conn_poll(cn->fd, ev, left_ms(until))) != 1)
			return rc == 0 ? CONN_TIMEOUT : -1;
	}
	if (n > 0)
		capture_write(cn, buf, (size_t)n);
	return n;
}

/* One write attempt: bytes written, -1 error, CONN_TIMEOUT to wait. */
static ssize_t
send_once(struct sim_conn *cn, const void *p, size_t len, int more, short *ev)
{
	size_t put;
	ssize_t n;
	int err;

	*ev = POLLOUT;
	if (cn->ssl == NULL) {
		n = send(cn->fd, p, len, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return CONN_TIMEOUT;
		return n > 0 ? n : -1;
	}
	ERR_clear_error();
	if (SSL_write_ex(cn->ssl, p, len, &put) == 1)
		return (ssize_t)put;
	err = SSL_get_error(cn->ssl, 0);
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
		*ev = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return CONN_TIMEOUT;
	}
	return -1;
}

/* 0 once all of p is sent; -1 on error, stop, or 30 s without progress. */
static int
send_all(struct sim_conn *cn, const void *p, size_t len, int more)
{
	const char *s = p;
	ssize_t n;
	short ev;

	while (len > 0) {
		n = send_once(cn, s, len, more, &ev);
		if (n == CONN_TIMEOUT) {
			if (conn_poll(cn->fd, ev, SEND_IDLE_MS) != 1)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int
conn_send_all(struct sim_conn *cn, const void *p, size_t len)
{
	return send_all(cn, p, len, 0);
}

/*
 * The same, for bytes that more will follow at once (HTTP headers before
 * their body): plain TCP holds them for the next send, so that a reply
 * leaves as one segment and wakes the client once, as TCP_NODELAY would
 * not.  TLS writes its record at once.
 */
int
conn_send_more(struct sim_conn *cn, const void *p, size_t len)
{
	return send_all(cn, p, len, 1);
}

/*
 * Let ms pass, reading (and capturing) whatever the peer sends meanwhile.
 * 0 when the time is up, -1 when the peer closed or camsim stops: drips
 * end as soon as nobody listens.
 */
int
conn_pause(struct sim_conn *cn, int ms)
{
	char sink[4096];
	long long until = deadline(ms);
	ssize_t n;
	int left;

	while ((left = left_ms(until)) > 0) {
		n = conn_recv(cn, sink, sizeof(sink), left);
		if (n != CONN_TIMEOUT && n <= 0)
			return -1;
	}
	return 0;
}

/* Hold the connection open, silent, until the peer closes or we stop. */
void
conn_wait_close(struct sim_conn *cn)
{
	char sink[4096];

	while (conn_recv(cn, sink, sizeof(sink), -1) > 0)
		;
}

/*
 * The camera's capture file: capture=FILE, else DIR/ADDR_PORT.capture
 * when camsim has -C DIR, else "".  -1 if the name is too long.
 */
static int
capture_path(
    const struct sim_camera *c, const char *dir, char *buf, size_t size)
{
	buf[0] = '\0';
	if (c->spec->capture[0] != '\0')
		snprintf(buf, size, "%s", c->spec->capture);
	else if (dir != NULL &&
	    snprintf(buf, size, "%s/%s_%d.capture", dir, c->host, c->port) >=
		(int)size)
		return -1;
	return 0;
}

static int
open_capture(const char *path)
{
	/* Mode 0600: the file holds whatever credentials clients sent. */
	return open(
	    path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
}

/*
 * Open the capture file of a camera with a socket of its own, after
 * server_bind (port 0 resolved).
 */
int
capture_open(struct sim_camera *c, const char *dir, char *err, size_t errsz)
{
	char path[SIM_PATH + SIM_HOST + 32], lb[SIM_LABEL];

	c->capture_fd = -1;
	if (capture_path(c, dir, path, sizeof(path)) != 0) {
		snprintf(err, errsz, "%s: capture path too long",
		    sim_label(c, lb, sizeof(lb)));
		return -1;
	}
	if (path[0] == '\0')
		return 0;
	if ((c->capture_fd = open_capture(path)) < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	sim_log(c, "capture: %s", path);
	return 0;
}

/* Connection thread: the capture descriptor this connection writes to. */
void
capture_start(struct sim_conn *cn)
{
	char path[SIM_PATH + SIM_HOST + 32];
	struct sim_camera *c = cn->cam;

	cn->capture_fd = c->capture_fd;
	cn->own_capture = 0;
	if (c->ln->cam != NULL ||
	    capture_path(c, sim_capture_dir, path, sizeof(path)) != 0 ||
	    path[0] == '\0')
		return;
	if ((cn->capture_fd = open_capture(path)) < 0)
		sim_log(c, "capture: %s: %s", path, strerror(errno));
	cn->own_capture = cn->capture_fd >= 0;
}

void
capture_end(struct sim_conn *cn)
{
	if (cn->own_capture)
		close(cn->capture_fd);
	cn->capture_fd = -1;
	cn->own_capture = 0;
}

/*
 * A datagram a camera received (SADP, DHIP): appended to its capture
 * file, the camera's descriptor if it has a socket of its own, else the
 * file opened for this datagram alone.
 */
void
capture_datagram(const struct sim_camera *c, const void *p, size_t n)
{
	char path[SIM_PATH + SIM_HOST + 32];
	struct sim_conn cn;

	memset(&cn, 0, sizeof(cn));
	cn.capture_fd = c->capture_fd;
	if (c->ln->cam == NULL) {
		if (capture_path(c, sim_capture_dir, path, sizeof(path)) != 0 ||
		    path[0] == '\0' || (cn.capture_fd = open_capture(path)) < 0)
			return;
	}
	capture_write(&cn, p, n);
	if (c->ln->cam == NULL)
		close(cn.capture_fd);
}
