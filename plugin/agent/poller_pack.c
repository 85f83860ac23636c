/*
 * poller_pack.c: the poller's records with their strings at their length.
 *
 * Waiting jobs and results keep their strings packed at their length, not
 * in the 1.4 KB and 14.9 KB records: a round queues a job per camera
 * (100,000 of them), and its results all wait while the main thread is
 * held up (a stopped AgentX master holds it a second at a time), so
 * polling goes on at the cost of what the results hold.  Any thread, on
 * a node the caller owns.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/poller_int.h"
#include "common/strutil.h"

/*
 * Tripwires: a field added to struct poll_job or struct onvif_result must
 * be packed below too (job_pack, result_pack), then the size updated.
 */
_Static_assert(sizeof(void *) != 8 || sizeof(struct poll_job) == 1496,
    "struct poll_job changed: pack the new field in poller_pack.c");
_Static_assert(sizeof(void *) != 8 || sizeof(struct onvif_result) == 14872,
    "struct onvif_result changed: pack the new field in poller_pack.c");

/* A string of a fixed-size record, and its room. */
struct field {
	char *s;
	size_t room;
};
#define FIELDS_MAX (10 + CAM_SCOPES_MAX + CAM_FACTS_MAX)

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

struct jnode *
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
	j->probe = job->probe;
	j->probe_all = job->probe_all;
	j->probe_down = job->probe_down;
	j->uopts = job->uopts;
	pack(f, n, j->str);
	return j;
}

struct markers *
job_unpack(struct jnode *j, struct poll_job *job)
{
	struct markers *m = j->markers;
	struct field f[FIELDS_MAX];
	size_t size = j->size;

	memset(job, 0, sizeof(*job));
	job->index = j->index;
	job->has_credentials = j->has_credentials;
	job->has_pin = j->has_pin;
	memcpy(job->tls_pin, j->tls_pin, sizeof(job->tls_pin));
	job->opts = j->opts;
	job->probe = j->probe;
	job->probe_all = j->probe_all;
	job->probe_down = j->probe_down;
	job->uopts = j->uopts;
	job->uopts.markers = m != NULL ? m->list : NULL;
	job->uopts.n_markers = m != NULL ? m->n : 0;
	unpack(j->str, f, job_fields(job, f));
	explicit_bzero(j, size);
	free(j);
	return m;
}

struct rnode *
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
	q->probe_ms = r->probe_ms;
	q->probe_spoofed = r->probe_spoofed;
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

void
result_unpack(struct rnode *q, struct poll_result *r)
{
	struct onvif_result *res = &r->res;
	struct field f[FIELDS_MAX];

	memset(r, 0, sizeof(*r));
	r->index = q->index;
	res->status = q->status;
	res->http_code = q->http_code;
	res->elapsed_ms = q->elapsed_ms;
	r->probe_ms = q->probe_ms;
	r->probe_spoofed = q->probe_spoofed;
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
