/*
 * poller.c: the worker threads that talk to cameras.
 *
 * Owns the job queue, the result queue and the eventfd that wakes the main
 * loop.  poller_submit/take/pending/free run on the main thread; the
 * workers only call onvif_identify() on a private copy of the job, so a
 * slow or hostile camera holds one worker for at most its deadline and
 * never the SNMP path.  Memory is bounded by the caller: at most one job
 * per device is queued or running.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

struct qnode {
	struct qnode *next;
	union {
		struct poll_job job;
		struct poll_result result;
	} u;
};

struct queue {
	struct qnode *head, *tail;
	size_t len;
};

struct poller {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct queue jobs;
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

static void
q_free(struct queue *q)
{
	struct qnode *n;

	while ((n = q_pop(q)) != NULL) {
		explicit_bzero(n, sizeof(*n));
		free(n);
	}
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

static void *
worker(void *arg)
{
	struct poller *p = arg;
	struct qnode *n;
	struct poll_job job;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->stopping && p->jobs.head == NULL)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stopping) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		n = q_pop(&p->jobs);
		pthread_mutex_unlock(&p->lock);
		/* The node is reused for the result; the job is copied out. */
		job = n->u.job;
		explicit_bzero(&n->u.job, sizeof(n->u.job));
		run_job(&job, &n->u.result);
		pthread_mutex_lock(&p->lock);
		q_push(&p->results, n);
		pthread_mutex_unlock(&p->lock);
		poller_wake(p);
	}
}

struct poller *
poller_new(int workers)
{
	struct poller *p;
	int i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->tids = calloc((size_t)workers, sizeof(*p->tids));
	if (p->efd < 0 || p->tids == NULL) {
		poller_free(p);
		return NULL;
	}
	for (i = 0; i < workers; i++) {
		if (pthread_create(&p->tids[i], NULL, worker, p) != 0)
			break;
		p->n_tids++;
	}
	if (p->n_tids == 0) {
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
	struct qnode *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return -1;
	n->u.job = *job;
	pthread_mutex_lock(&p->lock);
	q_push(&p->jobs, n);
	pthread_cond_signal(&p->work);
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
	while (got < max && (n = q_pop(&p->results)) != NULL) {
		out[got++] = n->u.result;
		free(n);
	}
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
	n = p->jobs.len + p->results.len;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void
poller_free(struct poller *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	/* Running jobs end within their own deadline. */
	for (i = 0; i < p->n_tids; i++)
		pthread_join(p->tids[i], NULL);
	q_free(&p->jobs);
	q_free(&p->results);
	if (p->efd >= 0)
		close(p->efd);
	free(p->tids);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	free(p);
}
