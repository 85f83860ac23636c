/*
 * poller.c: the worker threads that talk to cameras.
 *
 * Owns the job queues, the result queue and the eventfd that wakes the main
 * loop.  poller_submit/take/pending/free run on the main thread; the
 * workers only call onvif_identify() on a private copy of the job, so a
 * slow or hostile camera holds one worker for at most its deadline and
 * never the SNMP path.  Memory is bounded by the caller: at most one job
 * per device is queued, running or waiting as a result.  Waiting jobs and
 * results keep their strings packed at their length, not in the 1.4 KB
 * and 10.7 KB records: a round queues a job per camera (100,000 of them),
 * and its results all wait while the main thread is held up (a stopped
 * AgentX master holds it a second at a time), so polling goes on at the
 * cost of what the results hold.
 *
 * Jobs wait in one queue per host (the URL's), and the workers serve the
 * hosts round-robin: a host with a thousand rows (one flooding WS-Discovery
 * with made-up endpoints, or one NVR) delays another host's job by at most
 * one job of its own, not by all of them.  A host's queue exists while it
 * has jobs: a hash finds it, a ring of the hosts with jobs says whose turn
 * it is; submit and take are O(1) amortised.
 */
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "agent/poller.h"
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

/*
 * Tripwires: a field added to struct poll_job or struct onvif_result must
 * be packed below too (job_pack, result_pack), then the size updated.
 */
_Static_assert(sizeof(void *) != 8 || sizeof(struct poll_job) == 1400,
    "struct poll_job changed: pack the new field in poller.c");
_Static_assert(sizeof(void *) != 8 || sizeof(struct onvif_result) == 14872,
    "struct onvif_result changed: pack the new field in poller.c");

/* A queue link: the first member of a job node and of a result node. */
struct qnode {
	struct qnode *next;
};

/*
 * A job waiting for a worker, its strings packed after it at their
 * length.  Holds a password: wiped (all of size) before it is freed.
 */
struct jnode {
	struct qnode link;
	size_t size; /* of the whole node */
	uint32_t index;
	bool has_credentials, has_pin;
	uint8_t tls_pin[32];
	struct onvif_opts opts;
	char str[]; /* job_fields(), each NUL-ended */
};

/* A result waiting for the main thread, packed the same way. */
struct rnode {
	struct qnode link;
	uint32_t index;
	enum onvif_status status;
	int http_code, elapsed_ms;
	enum onvif_auth auth;
	bool have_clock, have_tls;
	long clock_offset_s;
	uint8_t tls_sha256[32];
	uint8_t macs[CAM_MACS_MAX][6];
	uint8_t n_macs, n_scopes, n_facts;
	uint32_t facts_tried, facts_answered;
	uint8_t fact_kind[CAM_FACTS_MAX], fact_probe[CAM_FACTS_MAX];
	char str[]; /* result_fields(), each NUL-ended */
};

/* A string of a fixed-size record, and its room. */
struct field {
	char *s;
	size_t room;
};
#define FIELDS_MAX (10 + CAM_SCOPES_MAX + CAM_FACTS_MAX)

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
	bool stopping;
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

/* ---- packing: the records' strings at their length ------------------ */

/* struct poll_job's strings, in their packed order; how many. */
static size_t
job_fields(struct poll_job *j, struct field *f)
{
	const struct field all[] = {{j->url, sizeof(j->url)},
	    {j->user, sizeof(j->user)}, {j->password, sizeof(j->password)},
	    {j->cafile, sizeof(j->cafile)}, {j->capath, sizeof(j->capath)}};

	memcpy(f, all, sizeof(all));
	return sizeof(all) / sizeof(all[0]);
}

/* struct onvif_result's strings, then the scopes, then the facts; how many. */
static size_t
result_fields(struct onvif_result *r, struct field *f)
{
	struct cam_identity *id = &r->id;
	const struct field all[] = {{r->detail, sizeof(r->detail)},
	    {r->xaddr, sizeof(r->xaddr)}, {id->manufacturer, CAM_STR_MAX},
	    {id->model, CAM_STR_MAX}, {id->firmware, CAM_STR_MAX},
	    {id->serial, CAM_STR_MAX}, {id->hardware_id, CAM_STR_MAX},
	    {id->hostname, CAM_STR_MAX}, {id->endpoint, CAM_STR_MAX},
	    {id->address, sizeof(id->address)}};
	size_t i, n = sizeof(all) / sizeof(all[0]);

	memcpy(f, all, sizeof(all));
	for (i = 0; i < id->n_scopes && i < CAM_SCOPES_MAX; i++, n++) {
		f[n].s = id->scopes[i];
		f[n].room = CAM_STR_MAX;
	}
	for (i = 0; i < id->facts.n && i < CAM_FACTS_MAX; i++, n++) {
		f[n].s = id->facts.f[i].text;
		f[n].room = CAM_FACT_MAX;
	}
	return n;
}

/* The strings, each NUL-ended, into out; out NULL: only measure. */
static size_t
pack(const struct field *f, size_t n, char *out)
{
	size_t i, len, o = 0;

	for (i = 0; i < n; i++) {
		len = strnlen(f[i].s, f[i].room - 1);
		if (out != NULL) {
			memcpy(out + o, f[i].s, len);
			out[o + len] = '\0';
		}
		o += len + 1;
	}
	return o;
}

static void
unpack(const char *p, const struct field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, p += strlen(p) + 1)
		str_lcpy(f[i].s, p, f[i].room);
}

static struct jnode *
job_pack(const struct poll_job *job)
{
	struct field f[FIELDS_MAX];
	/* The cast: the fields are only read from here. */
	size_t n = job_fields((struct poll_job *)job, f);
	size_t size = sizeof(struct jnode) + pack(f, n, NULL);
	struct jnode *j;

	if ((j = calloc(1, size)) == NULL)
		return NULL;
	j->size = size;
	j->index = job->index;
	j->has_credentials = job->has_credentials;
	j->has_pin = job->has_pin;
	memcpy(j->tls_pin, job->tls_pin, sizeof(j->tls_pin));
	j->opts = job->opts;
	pack(f, n, j->str);
	return j;
}

/* The job back in its fixed-size form; the node is wiped and freed. */
static void
job_unpack(struct jnode *j, struct poll_job *job)
{
	struct field f[FIELDS_MAX];
	size_t size = j->size;

	memset(job, 0, sizeof(*job));
	job->index = j->index;
	job->has_credentials = j->has_credentials;
	job->has_pin = j->has_pin;
	memcpy(job->tls_pin, j->tls_pin, sizeof(job->tls_pin));
	job->opts = j->opts;
	unpack(j->str, f, job_fields(job, f));
	explicit_bzero(j, size);
	free(j);
}

static struct rnode *
result_pack(struct poll_result *r)
{
	const struct onvif_result *res = &r->res;
	struct field f[FIELDS_MAX];
	size_t n = result_fields(&r->res, f);
	struct rnode *q = calloc(1, sizeof(*q) + pack(f, n, NULL));

	if (q == NULL)
		return NULL;
	q->index = r->index;
	q->status = res->status;
	q->http_code = res->http_code;
	q->elapsed_ms = res->elapsed_ms;
	q->auth = res->auth;
	q->have_clock = res->have_clock;
	q->clock_offset_s = res->clock_offset_s;
	q->have_tls = res->have_tls;
	memcpy(q->tls_sha256, res->tls_sha256, sizeof(q->tls_sha256));
	memcpy(q->macs, res->id.macs, sizeof(q->macs));
	q->n_macs = (uint8_t)(res->id.n_macs < CAM_MACS_MAX ? res->id.n_macs
							    : CAM_MACS_MAX);
	q->n_scopes =
	    (uint8_t)(res->id.n_scopes < CAM_SCOPES_MAX ? res->id.n_scopes
							: CAM_SCOPES_MAX);
	q->n_facts = (uint8_t)(res->id.facts.n < CAM_FACTS_MAX ? res->id.facts.n
							       : CAM_FACTS_MAX);
	q->facts_tried = res->id.facts.tried;
	q->facts_answered = res->id.facts.answered;
	for (size_t i = 0; i < q->n_facts; i++) {
		q->fact_kind[i] = res->id.facts.f[i].kind;
		q->fact_probe[i] = res->id.facts.f[i].probe;
	}
	pack(f, n, q->str);
	return q;
}

/* The result back in its fixed-size form; the node is freed. */
static void
result_unpack(struct rnode *q, struct poll_result *r)
{
	struct onvif_result *res = &r->res;
	struct field f[FIELDS_MAX];

	memset(r, 0, sizeof(*r));
	r->index = q->index;
	res->status = q->status;
	res->http_code = q->http_code;
	res->elapsed_ms = q->elapsed_ms;
	res->auth = q->auth;
	res->have_clock = q->have_clock;
	res->clock_offset_s = q->clock_offset_s;
	res->have_tls = q->have_tls;
	memcpy(res->tls_sha256, q->tls_sha256, sizeof(res->tls_sha256));
	memcpy(res->id.macs, q->macs, sizeof(res->id.macs));
	res->id.n_macs = q->n_macs;
	res->id.n_scopes = q->n_scopes;
	res->id.facts.n = q->n_facts;
	res->id.facts.tried = q->facts_tried;
	res->id.facts.answered = q->facts_answered;
	for (size_t i = 0; i < q->n_facts; i++) {
		res->id.facts.f[i].kind = q->fact_kind[i];
		res->id.facts.f[i].probe = q->fact_probe[i];
	}
	unpack(q->str, f, result_fields(res, f));
	free(q);
}

/* Jobs carry a password copy: every node is wiped before it is freed. */
static void
jobs_free(struct queue *q)
{
	struct qnode *n;

	while ((n = q_pop(q)) != NULL) {
		struct jnode *j = (struct jnode *)n;
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
	onvif_identify(job->url, &job->opts, &out->res);
	explicit_bzero(job->password, sizeof(job->password));
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
		while (!p->stopping && p->turn == NULL)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stopping) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		j = next_job(p);
		pthread_mutex_unlock(&p->lock);
		job_unpack(j, &job);
		run_job(&job, &res);
		while ((q = result_pack(&res)) == NULL)
			if (memory_wait(p))
				return NULL;
		pthread_mutex_lock(&p->lock);
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
		q_push(&h->jobs, &n->link);
		p->n_jobs++;
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
	 */
	wd_expire_all();
	for (i = 0; i < p->n_tids; i++)
		pthread_join(p->tids[i], NULL);
	while (p->turn != NULL) {
		struct hostq *h = p->turn;
		p->turn = h->ring;
		jobs_free(&h->jobs);
		free(h);
	}
	while ((n = q_pop(&p->results)) != NULL)
		free(n);
	free(p->bucket);
	if (p->efd >= 0)
		close(p->efd);
	free(p->tids);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	free(p);
}
