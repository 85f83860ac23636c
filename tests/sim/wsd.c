/*
 * wsd.c: WS-Discovery (2005/04, IPv4) for the simulated cameras: answers
 * Probes with ProbeMatches, announces Hello at start and Bye at stop.
 *
 * Each discovering camera has two UDP sockets: one bound to
 * 239.255.255.250:3702 and joined on the interface owning the camera's
 * address (multicast Probes), one bound to ADDR:3702 (unicast Probes, and
 * every message the camera sends leaves from it).  wsd_start() and
 * wsd_stop() run in the main thread; between them one discovery thread
 * (wsd_main) owns the sockets and a bounded list of reply timers, so a
 * camera waiting out its random reply delay never holds up another.
 * Datagrams are untrusted: read into a bounded buffer, scanned for a few
 * elements by local name, ignored when anything looks wrong.  The messages
 * themselves (envelopes in each maker's style, endpoints, scopes, XAddrs)
 * are wsdmsg.c's.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "camsim.h"
#include "common/strutil.h"
#include "wsd_int.h"

#define WSD_GROUP "239.255.255.250"
#define WSD_MAX_DELAY_MS 500 /* ONVIF APP_MAX_DELAY */
#define WSD_RECV_MAX 65536 /* receive buffer; any UDP datagram fits */
#define WSD_PARSE_MAX 32768 /* longer datagrams are not Probes we answer */
#define WSD_MSG_MAX 16384 /* one message we send */
#define WSD_ID_MAX 128 /* longest MessageID echoed as RelatesTo */
#define WSD_PENDING_MAX 1024 /* replies waiting out their delay */
#define WSD_BURST 64 /* datagrams read per socket per poll round */

struct pending {
	int cam; /* index in wcams */
	struct sockaddr_in to;
	long long due; /* monotonic ms */
	char relates[WSD_ID_MAX];
};

static struct wcam *wcams;
static int nwcams;
static struct pending pend[WSD_PENDING_MAX];
static int npend;
static pthread_t thread;
static int thread_running;
static volatile int quit;
static unsigned long n_answered, n_ignored, n_dropped;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
send_msg(struct wcam *w, enum wsd_kind k, const char *relates,
    const struct sockaddr_in *to)
{
	static const char *const names[] = {[K_HELLO] = "Hello",
	    [K_PROBE_MATCHES] = "ProbeMatches",
	    [K_BYE] = "Bye"};
	char msg[WSD_MSG_MAX], dst[INET_ADDRSTRLEN];
	size_t len;

	inet_ntop(AF_INET, &to->sin_addr, dst, sizeof(dst));
	if ((len = wsd_build(w, k, relates, msg, sizeof(msg))) == 0) {
		sim_log(w->c, "wsd: %s too long, not sent", names[k]);
		return;
	}
	if (sendto(w->ufd, msg, len, 0, (const struct sockaddr *)to,
		sizeof(*to)) < 0) {
		sim_log(w->c, "wsd: %s to %s:%d: %s", names[k], dst,
		    ntohs(to->sin_port), strerror(errno));
		return;
	}
	sim_log(w->c, "wsd: %s to %s:%d%s%s", names[k], dst,
	    ntohs(to->sin_port), relates != NULL ? " relates-to " : "",
	    relates != NULL ? relates : "");
}

static void
send_announce(struct wcam *w, enum wsd_kind k)
{
	struct sockaddr_in to;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(WSD_PORT);
	inet_pton(AF_INET, WSD_GROUP, &to.sin_addr);
	send_msg(w, k, NULL, &to);
}

/*
 * Text of the first element whose local name is `local` (any prefix), up
 * to the next '<'; NULL if there is none.  doc is NUL-terminated.
 */
static const char *
elem_text(const char *doc, const char *local, size_t *len)
{
	const char *p = doc, *name, *end, *colon, *gt;
	size_t n = strlen(local);

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		if (*p == '/' || *p == '?' || *p == '!')
			continue;
		end = p + strcspn(p, " \t\r\n/>");
		colon = memchr(p, ':', (size_t)(end - p));
		name = colon != NULL ? colon + 1 : p;
		if ((size_t)(end - name) != n || memcmp(name, local, n) != 0) {
			p = end;
			continue;
		}
		if ((gt = strchr(end, '>')) == NULL)
			return NULL;
		*len = gt[-1] == '/' ? 0 : strcspn(gt + 1, "<");
		return gt + 1;
	}
	return NULL;
}

/*
 * Copy of the text of an element that holds only text, NUL-terminated, cut
 * at bufsz - 1; NULL if there is no such element.
 */
static const char *
elem_copy(const char *doc, const char *local, char *buf, size_t bufsz)
{
	const char *t;
	size_t len;

	if ((t = elem_text(doc, local, &len)) == NULL ||
	    (len > 0 && strncmp(t + len, "</", 2) != 0))
		return NULL; /* text, then something else than an end tag */
	if (len >= bufsz)
		len = bufsz - 1;
	memcpy(buf, t, len);
	buf[len] = '\0';
	return buf;
}

/* The Probe's MessageID, if it is short and safe to echo into XML. */
static int
probe_id(const char *doc, char *id, size_t idsz)
{
	char text[WSD_ID_MAX + 64], *t;
	size_t len, i;

	if (elem_text(doc, "MessageID", &len) == NULL || len >= sizeof(text) ||
	    elem_copy(doc, "MessageID", text, sizeof(text)) == NULL)
		return -1;
	t = text + strspn(text, " \t\r\n");
	len = strcspn(t, " \t\r\n");
	if (len == 0 || len >= idsz || t[len + strspn(t + len, " \t\r\n")])
		return -1;
	for (i = 0; i < len; i++)
		if ((unsigned char)t[i] >= 0x7f || strchr("<>&\"'", t[i]))
			return -1;
	memcpy(id, t, len);
	id[len] = '\0';
	return 0;
}

/* Every scope of the Probe is a prefix of one of ours (simplified). */
static int
scopes_match(const struct sim_profile *p, const char *doc)
{
	char text[2048], *tok, *save;
	size_t n;
	int i, found;

	if (elem_copy(doc, "Scopes", text, sizeof(text)) == NULL)
		return 1;
	for (tok = strtok_r(text, " \t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		n = strlen(tok);
		for (i = 0, found = 0; i < p->nscopes && !found; i++)
			found = strncmp(p->scopes[i], tok, n) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

/* Types empty or absent, or naming NetworkVideoTransmitter or Device. */
static int
types_match(const char *doc)
{
	char types[512];

	if (elem_copy(doc, "Types", types, sizeof(types)) == NULL ||
	    types[strspn(types, " \t\r\n")] == '\0')
		return 1;
	return strstr(types, "NetworkVideoTransmitter") != NULL ||
	    strstr(types, "Device") != NULL;
}

static void
queue_reply(int cam, const struct sockaddr_in *from, const char *id)
{
	struct pending *pe;

	if (npend == WSD_PENDING_MAX) {
		n_dropped++;
		return;
	}
	pe = &pend[npend++];
	pe->cam = cam;
	pe->to = *from;
	pe->due = now_ms() + (long long)(wsd_rng() % (WSD_MAX_DELAY_MS + 1));
	str_lcpy(pe->relates, id, sizeof(pe->relates));
}

static void
handle(int cam, char *doc, const struct sockaddr_in *from)
{
	struct wcam *w = &wcams[cam];
	char id[WSD_ID_MAX];
	size_t len;

	if (elem_text(doc, "Probe", &len) == NULL ||
	    probe_id(doc, id, sizeof(id)) != 0) {
		n_ignored++;
		return;
	}
	if (!types_match(doc) || !scopes_match(&w->c->spec->prof, doc)) {
		n_ignored++;
		return;
	}
	queue_reply(cam, from, id);
}

static void
recv_burst(int cam, int fd)
{
	static char doc[WSD_RECV_MAX + 1];
	struct sockaddr_in from;
	socklen_t fromlen;
	ssize_t n;
	int i;

	for (i = 0; i < WSD_BURST; i++) {
		fromlen = sizeof(from);
		n = recvfrom(fd, doc, WSD_RECV_MAX, 0, (struct sockaddr *)&from,
		    &fromlen);
		if (n < 0)
			return;
		if (n > WSD_PARSE_MAX || fromlen < sizeof(from) ||
		    from.sin_family != AF_INET || from.sin_port == 0) {
			n_ignored++;
			continue;
		}
		doc[n] = '\0';
		handle(cam, doc, &from);
	}
}

/* Send what is due; the milliseconds until the next one, or -1. */
static int
send_due(void)
{
	long long now = now_ms(), next = -1;
	int i = 0;

	while (i < npend) {
		if (pend[i].due > now) {
			if (next < 0 || pend[i].due - now < next)
				next = pend[i].due - now;
			i++;
			continue;
		}
		send_msg(&wcams[pend[i].cam], K_PROBE_MATCHES, pend[i].relates,
		    &pend[i].to);
		n_answered++;
		pend[i] = pend[--npend];
	}
	return (int)next;
}

static void *
wsd_main(void *arg)
{
	struct pollfd *pfd = arg;
	int i, timeout, nfd = 2 * nwcams + 1;

	while (!quit && !sim_stopping) {
		timeout = send_due();
		if (timeout < 0 || timeout > 200)
			timeout = 200; /* notice quit */
		if (poll(pfd, (nfds_t)nfd, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[nfd - 1].revents != 0)
			break;
		for (i = 0; i < 2 * nwcams; i++)
			if (pfd[i].revents & POLLIN)
				recv_burst(i / 2, pfd[i].fd);
	}
	free(pfd);
	return NULL;
}

static int
udp_socket(void)
{
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return fd;
}

static int
open_unicast(struct wcam *w, char *err, size_t errsz)
{
	unsigned char ttl = 1;

	if ((w->ufd = udp_socket()) < 0 ||
	    bind(w->ufd, (struct sockaddr *)&w->addr, sizeof(w->addr)) != 0 ||
	    setsockopt(w->ufd, IPPROTO_IP, IP_MULTICAST_IF, &w->addr.sin_addr,
		sizeof(w->addr.sin_addr)) != 0 ||
	    setsockopt(
		w->ufd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) != 0) {
		snprintf(err, errsz, "%s:%d: discovery: %s", w->c->host,
		    WSD_PORT, strerror(errno));
		return -1;
	}
	return 0;
}

/* A camera without multicast still answers unicast Probes. */
static void
open_multicast(struct wcam *w)
{
	struct sockaddr_in g;
	struct ip_mreq mr;
	int zero = 0;

	memset(&g, 0, sizeof(g));
	g.sin_family = AF_INET;
	g.sin_port = htons(WSD_PORT);
	inet_pton(AF_INET, WSD_GROUP, &g.sin_addr);
	mr.imr_multiaddr = g.sin_addr;
	mr.imr_interface = w->addr.sin_addr;
	if ((w->mfd = udp_socket()) < 0)
		goto fail;
#ifdef IP_MULTICAST_ALL
	/* Only Probes from the camera's own interface. */
	setsockopt(w->mfd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero));
#endif
	if (bind(w->mfd, (struct sockaddr *)&g, sizeof(g)) != 0 ||
	    setsockopt(
		w->mfd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) != 0)
		goto fail;
	return;
fail:
	sim_log(w->c, "wsd: no multicast on %s: %s; unicast Probes only",
	    w->c->host, strerror(errno));
	if (w->mfd >= 0)
		close(w->mfd);
	w->mfd = -1;
}

/* Endpoints are echoed into XML: keep them to URI characters. */
static int
endpoint_ok(const char *s)
{
	return *s != '\0' &&
	    s[strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789:._-/+=@%~")] == '\0';
}

static int
wcam_init(struct wcam *w, struct sim_camera *c, char *err, size_t errsz)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	w->mfd = w->ufd = -1;
	w->addr.sin_family = AF_INET;
	w->addr.sin_port = htons(WSD_PORT);
	if (inet_pton(AF_INET, c->host, &w->addr.sin_addr) != 1) {
		snprintf(
		    err, errsz, "%s: discovery needs an IPv4 address", c->host);
		return -1;
	}
	wsd_make_endpoint(c, w->epr, sizeof(w->epr));
	if (!endpoint_ok(w->epr)) {
		snprintf(err, errsz, "%s: bad endpoint '%s'", c->host, w->epr);
		return -1;
	}
	wsd_make_scopes(w);
	wsd_make_xaddrs(w);
	if (open_unicast(w, err, errsz) != 0)
		return -1;
	open_multicast(w);
	sim_log(c, "wsd: endpoint %s on %s:%d%s", w->epr, c->host, WSD_PORT,
	    w->mfd >= 0 ? " and " WSD_GROUP : "");
	return 0;
}

static void
warn_duplicates(void)
{
	char lb[SIM_LABEL];
	int i, j;

	for (i = 0; i < nwcams; i++)
		for (j = i + 1; j < nwcams; j++)
			if (strcmp(wcams[i].epr, wcams[j].epr) == 0)
				sim_log(wcams[j].c,
				    "wsd: same endpoint as %s (set endpoint=)",
				    sim_label(wcams[i].c, lb, sizeof(lb)));
}

/*
 * Which cameras discover: spec discovery= wins over -w; IPv6 is skipped,
 * so are cameras with ONVIF off (onvif=), and cameras on a shared socket
 * (fleet.c refuses discovery=yes there): two sockets a camera do not scale to
 * 100,000.
 */
static int
wanted(const struct sim_camera *c, int all)
{
	int on = c->spec->discovery >= 0 ? c->spec->discovery : all;

	if (c->ln->cam == NULL)
		return 0;
	if (on && c->spec->onvif != SIM_ONVIF_ON) {
		sim_log(c, "wsd: ONVIF off, no discovery");
		return 0;
	}
	if (on && c->spec->discovery < 0 && strchr(c->host, ':') != NULL) {
		sim_log(c, "wsd: IPv6 camera, no discovery");
		return 0;
	}
	return on;
}

static int
start_thread(void)
{
	struct pollfd *pfd;
	int i;

	if ((pfd = calloc((size_t)nwcams * 2 + 1, sizeof(*pfd))) == NULL)
		return -1;
	for (i = 0; i < nwcams; i++) {
		pfd[2 * i].fd = wcams[i].mfd;
		pfd[2 * i].events = POLLIN;
		pfd[2 * i + 1].fd = wcams[i].ufd;
		pfd[2 * i + 1].events = POLLIN;
	}
	pfd[2 * nwcams].fd = sim_stop_fd;
	pfd[2 * nwcams].events = POLLIN;
	if (pthread_create(&thread, NULL, wsd_main, pfd) != 0) {
		free(pfd);
		return -1;
	}
	thread_running = 1;
	return 0;
}

/*
 * Open the discovery sockets of every camera that discovers (all: camsim
 * -w), send their Hellos, start the discovery thread.  Main thread, after
 * server_bind() (labels) and before the ready file.
 */
int
wsd_start(struct sim_camera *cams, size_t n, int all, char *err, size_t errsz)
{
	size_t i, k = 0;

	wsd_seed();
	for (i = 0; i < n; i++)
		k += cams[i].ln->cam != NULL; /* wanted() may be, and logs */
	if ((wcams = calloc(k + 1, sizeof(*wcams))) == NULL) {
		snprintf(err, errsz, "discovery: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!wanted(&cams[i], all))
			continue;
		if (wcam_init(&wcams[nwcams], &cams[i], err, errsz) != 0)
			return -1;
		nwcams++;
	}
	if (nwcams == 0)
		return 0;
	warn_duplicates();
	for (i = 0; i < (size_t)nwcams; i++)
		if (wcams[i].c->spec->hello)
			send_announce(&wcams[i], K_HELLO);
	if (start_thread() != 0) {
		snprintf(err, errsz, "discovery: cannot start its thread");
		return -1;
	}
	return 0;
}

/* Stop the discovery thread, send the Byes, close.  Main thread. */
void
wsd_stop(void)
{
	int i;

	quit = 1;
	if (thread_running)
		pthread_join(thread, NULL);
	thread_running = 0;
	for (i = 0; i < nwcams; i++) {
		if (wcams[i].c->spec->hello)
			send_announce(&wcams[i], K_BYE);
		if (wcams[i].mfd >= 0)
			close(wcams[i].mfd);
		close(wcams[i].ufd);
	}
	if (nwcams > 0)
		sim_log(NULL,
		    "wsd: stopped: %lu ProbeMatches sent, %lu datagrams "
		    "ignored, %lu Probes dropped (queue full)",
		    n_answered, n_ignored, n_dropped);
	free(wcams);
	wcams = NULL;
	nwcams = 0;
	npend = 0;
}
