/*
 * poller.c: the worker threads that talk to cameras.
 *
 * Owns the job queues, the result queue and the eventfd that wakes the main
 * loop.  poller_submit/take/pending/free run on the main thread; the
 * workers only call onvif_identify(), then when the job says so the
 * collectors that need no credentials (unauth_probe(), which get no
 * credential: the password is wiped first, and their options have no
 * field for one), on a private copy of the job, so a slow or hostile
 * camera holds one worker for at most its two deadlines and never the
 * SNMP path.  Memory is bounded by the caller: at most one job
 * per device is queued, running or waiting as a result, its strings
 * packed at their length (poller_pack.c).
 *
 * Jobs wait in one queue per host (the URL's), and the workers serve the
 * hosts round-robin: a host with a thousand rows (one flooding WS-Discovery
 * with made-up endpoints, or one NVR) delays another host's job by at most
 * one job of its own, not by all of them.  A host's queue exists while it
 * has jobs: a hash finds it, a ring of the hosts with jobs says whose turn
 * it is; submit and take are O(1) amortised.
 */
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "agent/poller_int.h"
#include "common/watchdog.h"
#include "common/strutil.h"

#define BUCKETS_MIN 64
/*
 * Worker stacks: measured at most 36 KB deep, the 12 KB of the job and
 * result records included (gSOAP keeps its buffers on the heap; TLS
 * handshakes, Digest, every hostile camsim mode measured), so 256 KB
 * leaves a wide margin where the default would reserve 8 MB each.
 */
#define WORKER_STACK (256 * 1024)

#define WORKER_NICE 5 /* workers yield to the SNMP path */

struct queue {
	struct qnode *head, *tail;
	size_t len;
};

/* One host's jobs, while it has some. */
struct hostq {
	struct hostq *chain; /* same hash bucket */
	struct hostq *ring; /* next host with jobs: next turn */
	size_t hash;
	struct queue jobs;
	char host[]; /* at its length: there may be a host per camera */
};

struct poller {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct hostq **bucket;
	size_t n_buckets, n_hosts, n_jobs;
	struct hostq *turn, *last; /* the ring, as a FIFO of hosts */
	size_t seed; /* hash key: a LAN host cannot pick colliding names */
	struct queue results;
	struct markers *markers; /* for the jobs submitted from now on */
	bool stopping;
	bool held; /* poller_hold(): jobs queue, no worker takes one */
	int efd;
	pthread_t *tids;
	int n_tids;
};

static void
q_push(struct queue *q, struct qnode *n)
{
	n->next = NULL;
	if (q->tail != NULL)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	q->len++;
}

static struct qnode *
q_pop(struct queue *q)
{
	struct qnode *n = q->head;

	if (n != NULL) {
		q->head = n->next;
		if (q->head == NULL)
			q->tail = NULL;
		q->len--;
	}
	return n;
}

/* One reference less; the caller holds the lock (or is alone). */
static void
markers_put(struct markers *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

/* Jobs carry a password copy: every node is wiped before it is freed. */
static void
jobs_free(struct queue *q)
{
	struct qnode *n;

	while ((n = q_pop(q)) != NULL) {
		struct jnode *j = (struct jnode *)n;
		markers_put(j->markers);
		explicit_bzero(j, j->size);
		free(j);
	}
}

/* ---- the hosts: a hash to find a host's queue, a ring to take turns ---- */

/* The URL's host, lower case, without port or brackets. */
static void
url_host(const char *url, char *out, size_t outsz)
{
	const char *h = strstr(url, "://");
	size_t i, n;

	h = h != NULL ? h + 3 : url;
	if (*h == '[')
		n = strcspn(++h, "]");
	else
		n = strcspn(h, ":/");
	if (n >= outsz)
		n = outsz - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)h[i]);
	out[n] = '\0';
}

static size_t
host_hash(const struct poller *p, const char *host)
{
	size_t x = p->seed;

	for (; *host != '\0'; host++)
		x = (x ^ (unsigned char)*host) * 1099511628211u; /* FNV-1a */
	return x ^ (x >> 29);
}

/* Twice the buckets once there are more hosts than buckets. */
static void
grow(struct poller *p)
{
	struct hostq **nb, *h, *next;
	size_t i, n = p->n_buckets * 2;

	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		return; /* longer chains, still correct */
	for (i = 0; i < p->n_buckets; i++)
		for (h = p->bucket[i]; h != NULL; h = next) {
			next = h->chain;
			h->chain = nb[h->hash & (n - 1)];
			nb[h->hash & (n - 1)] = h;
		}
	free(p->bucket);
	p->bucket = nb;
	p->n_buckets = n;
}

/* The queue of host, made (and given its turn) if it has none. */
static struct hostq *
host_queue(struct poller *p, const char *host)
{
	size_t hash = host_hash(p, host);
	struct hostq *h;

	for (h = p->bucket[hash & (p->n_buckets - 1)]; h != NULL; h = h->chain)
		if (h->hash == hash && strcmp(h->host, host) == 0)
			return h;
	if ((h = calloc(1, sizeof(*h) + strlen(host) + 1)) == NULL)
		return NULL;
	h->hash = hash;
	memcpy(h->host, host, strlen(host) + 1);
	h->chain = p->bucket[hash & (p->n_buckets - 1)];
	p->bucket[hash & (p->n_buckets - 1)] = h;
	if (p->last != NULL)
		p->last->ring = h;
	else
		p->turn = h;
	p->last = h;
	if (++p->n_hosts > p->n_buckets)
		grow(p);
	return h;
}

static void
unhash(struct poller *p, struct hostq *h)
{
	struct hostq **pp = &p->bucket[h->hash & (p->n_buckets - 1)];

	while (*pp != h)
		pp = &(*pp)->chain;
	*pp = h->chain;
	p->n_hosts--;
}

/* The next job, round-robin over the hosts; a host done with is freed. */
static struct jnode *
next_job(struct poller *p)
{
	struct hostq *h = p->turn;
	struct jnode *n;

	if (h == NULL)
		return NULL;
	n = (struct jnode *)q_pop(&h->jobs);
	p->n_jobs--;
	p->turn = h->ring;
	if (p->turn == NULL)
		p->last = NULL;
	h->ring = NULL;
	if (h->jobs.head != NULL) { /* to the back of the ring */
		if (p->last != NULL)
			p->last->ring = h;
		else
			p->turn = h;
		p->last = h;
	} else {
		unhash(p, h);
		free(h);
	}
	return n;
}

void
poller_wake(struct poller *p)
{
	uint64_t one = 1;

	/* Async-signal-safe: write(2) only.  A full counter is still readable.
	 */
	if (write(p->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return;
}

static void
run_job(struct poll_job *job, struct poll_result *out)
{
	job->opts.user = job->has_credentials ? job->user : NULL;
	job->opts.password = job->has_credentials ? job->password : NULL;
	job->opts.cafile = job->cafile[0] != '\0' ? job->cafile : NULL;
	job->opts.capath = job->capath[0] != '\0' ? job->capath : NULL;
	job->opts.tls_pin = job->has_pin ? job->tls_pin : NULL;
	out->index = job->index;
	out->probe_ms = 0;
	out->probe_spoofed = 0;
	onvif_identify(job->url, &job->opts, &out->res);
	explicit_bzero(job->password, sizeof(job->password));
}

/* Where the collectors go: the address ONVIF reached, else the URL's host. */
static int
probe_address(
    const char *url, const struct onvif_result *r, char *out, size_t outsz)
{
	struct addrinfo hints, *ai;
	char host[CAM_STR_MAX];
	int rc;

	if (r->id.address[0] != '\0') {
		str_lcpy(out, r->id.address, outsz);
		return 0;
	}
	url_host(url, host, sizeof(host));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (host[0] == '\0' || getaddrinfo(host, NULL, &hints, &ai) != 0)
		return -1;
	rc = getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)outsz,
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(ai);
	return rc == 0 ? 0 : -1;
}

/*
 * After ONVIF, with the password already wiped: the collectors, when the
 * job allows them and ONVIF did not name the camera (or always, with
 * probe_all), under their own deadline and the same watchdog.
 */
static void
run_probe(const struct poll_job *job, struct poll_result *out)
{
	struct onvif_result *r = &out->res;
	struct unauth_result ur;
	char addr[CAM_ADDR_MAX];

	if (!job->probe &&
	    !(job->probe_down &&
		(r->status == ONVIF_TIMEOUT || r->status == ONVIF_UNREACHABLE)))
		return;
	if (!job->probe_all &&
	    (r->id.manufacturer[0] != '\0' || r->id.model[0] != '\0'))
		return;
	if (probe_address(job->url, r, addr, sizeof(addr)) != 0)
		return;
	unauth_probe(addr, &job->uopts, &r->id, &ur);
	out->probe_ms = ur.elapsed_ms;
	out->probe_spoofed = ur.spoofed;
}

/* Out of memory: wait a little before trying again.  true: stopping. */
static bool
memory_wait(struct poller *p)
{
	struct timespec t;
	bool stopping;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += 100 * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	if (!p->stopping)
		pthread_cond_timedwait(&p->work, &p->lock, &t);
	stopping = p->stopping;
	pthread_mutex_unlock(&p->lock);
	return stopping;
}

/*
 * The job's copy and the result record are on this thread's stack.  A
 * result is never dropped (the main thread counts on one per job): out
 * of memory, the worker waits and tries again.
 */
static void *
worker(void *arg)
{
	struct poller *p = arg;
	struct poll_result res;
	struct poll_job job;
	struct markers *m;
	struct jnode *j;
	struct rnode *q;

	/*
	 * The SNMP path first: on a busy host (a first round over thousands
	 * of cameras) the thread that answers the NMS, ours or snmpd's, must
	 * not queue for a CPU behind dozens of workers parsing replies.
	 * Linux gives each thread its own nice value.
	 */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
	    getpriority(PRIO_PROCESS, 0) + WORKER_NICE);
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->stopping && (p->turn == NULL || p->held))
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stopping) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		j = next_job(p);
		pthread_mutex_unlock(&p->lock);
		m = job_unpack(j, &job);
		run_job(&job, &res);
		run_probe(&job, &res);
		while ((q = result_pack(&res)) == NULL)
			if (memory_wait(p)) {
				pthread_mutex_lock(&p->lock);
				markers_put(m);
				pthread_mutex_unlock(&p->lock);
				return NULL;
			}
		pthread_mutex_lock(&p->lock);
		markers_put(m);
		q_push(&p->results, &q->link);
		pthread_mutex_unlock(&p->lock);
		poller_wake(p);
	}
}

static int
start_workers(struct poller *p, int workers)
{
	pthread_attr_t attr;
	bool sized;
	int i;

	sized = pthread_attr_init(&attr) == 0;
	if (sized && pthread_attr_setstacksize(&attr, WORKER_STACK) != 0) {
		pthread_attr_destroy(&attr);
		sized = false;
	}
	for (i = 0; i < workers; i++) {
		if (pthread_create(
			&p->tids[i], sized ? &attr : NULL, worker, p) != 0)
			break;
		/* Named, as every thread of ours: ps -L, top -H, the tests. */
		pthread_setname_np(p->tids[i], "camcomply-poll");
		p->n_tids++;
	}
	if (sized)
		pthread_attr_destroy(&attr);
	return p->n_tids;
}

struct poller *
poller_new(int workers)
{
	struct poller *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->tids = calloc((size_t)workers, sizeof(*p->tids));
	p->n_buckets = BUCKETS_MIN;
	p->bucket = calloc(p->n_buckets, sizeof(*p->bucket));
	if (getrandom(&p->seed, sizeof(p->seed), 0) != (ssize_t)sizeof(p->seed))
		p->seed = (size_t)p ^ (size_t)0xcbf29ce484222325ULL;
	if (p->efd < 0 || p->tids == NULL || p->bucket == NULL) {
		poller_free(p);
		return NULL;
	}
	if (start_workers(p, workers) == 0) {
		poller_free(p);
		return NULL;
	}
	return p;
}

int
poller_fd(const struct poller *p)
{
	return p->efd;
}

int
poller_submit(struct poller *p, const struct poll_job *job)
{
	struct jnode *n = job_pack(job);
	char host[CAM_STR_MAX];
	struct hostq *h;

	if (n == NULL)
		return -1;
	url_host(job->url, host, sizeof(host));
	pthread_mutex_lock(&p->lock);
	if ((h = host_queue(p, host)) != NULL) {
		if ((n->markers = p->markers) != NULL)
			n->markers->refs++;
		q_push(&h->jobs, &n->link);
		p->n_jobs++;
		if (!p->held)
			pthread_cond_signal(&p->work);
	}
	pthread_mutex_unlock(&p->lock);
	if (h == NULL) {
		explicit_bzero(n, n->size);
		free(n);
		return -1;
	}
	return 0;
}

void
poller_hold(struct poller *p)
{
	pthread_mutex_lock(&p->lock);
	p->held = true;
	pthread_mutex_unlock(&p->lock);
}

void
poller_release(struct poller *p)
{
	pthread_mutex_lock(&p->lock);
	p->held = false;
	if (p->turn != NULL)
		pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
}

int
poller_set_markers(struct poller *p, const char *const *list, size_t n)
{
	struct markers *m;
	size_t i, len = 0;
	char *text;

	for (i = 0; i < n; i++)
		len += strlen(list[i]) + 1;
	if ((m = calloc(1, sizeof(*m) + n * sizeof(*m->list) + len)) == NULL)
		return -1;
	text = (char *)&m->list[n];
	for (i = 0; i < n; text += strlen(text) + 1, i++) {
		memcpy(text, list[i], strlen(list[i]) + 1);
		m->list[i] = text;
	}
	m->n = n;
	m->refs = 1;
	pthread_mutex_lock(&p->lock);
	markers_put(p->markers);
	p->markers = m;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

size_t
poller_take(struct poller *p, struct poll_result *out, size_t max)
{
	struct qnode *n;
	uint64_t v;
	size_t got = 0;

	pthread_mutex_lock(&p->lock);
	while (got < max && (n = q_pop(&p->results)) != NULL)
		result_unpack((struct rnode *)n, &out[got++]);
	/* Drain the counter only when nothing is left behind. */
	if (p->results.head == NULL)
		while (read(p->efd, &v, sizeof(v)) > 0)
			;
	pthread_mutex_unlock(&p->lock);
	return got;
}

size_t
poller_pending(struct poller *p)
{
	size_t n;

	pthread_mutex_lock(&p->lock);
	n = p->n_jobs + p->results.len;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void
poller_free(struct poller *p)
{
	struct qnode *n;
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	/*
	 * Running polls are cut short (their sockets shut): the host is
	 * stopping, and snmpd must not wait a camera's deadline to unload us.
	 * So are the exchanges a worker starts until it has seen stopping
	 * (its job taken just before, or the collectors after ONVIF).
	 */
	wd_expire_all();
	for (i = 0; i < p->n_tids; i++)
		pthread_join(p->tids[i], NULL);
	wd_resume();
	while (p->turn != NULL) {
		struct hostq *h = p->turn;
		p->turn = h->ring;
		jobs_free(&h->jobs);
		free(h);
	}
	while ((n = q_pop(&p->results)) != NULL)
		free(n);
	markers_put(p->markers);
	free(p->bucket);
	if (p->efd >= 0)
		close(p->efd);
	free(p->tids);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	free(p);
}
