/*
 * agent.c: the camcomply MIB module's life: configuration and policy,
 * poll rounds, applying results in bounded batches, reloads, and the
 * orderly stop.
 *
 * Hosted by camcomplyd (an AgentX subagent) or by snmpd itself
 * (camcomply.so, through dlmod): the host runs Net-SNMP's loop, and this
 * module only registers descriptors, alarms and MIB handlers with it.
 * Everything here runs on that loop's thread, the only thread that
 * touches Net-SNMP or the store; cameras are only ever spoken to by the
 * poller's workers.  What discovery's sightings do is in agent_disc.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/agent.h"
#include "agent/agent_int.h"
#include "agent/notify.h"
#include "agent/statesave.h"
#include "common/strutil.h"
#include "common/watchdog.h"

#define BATCH 16 /* results applied per wake-up: a GET waits at most that */
#define FEED_AHEAD 2 /* jobs queued per worker ahead of the workers */
#define FEED_SLICE 256 /* rows a top-up looks at, at most */
#define COUNTS_MS 250 /* the counts' age at most, during a round */
#define PROBE_IO_MS 3000 /* a collector's connect and I/O timeout at most */

struct agent A;

/* ---- policy and summary ------------------------------------------------- */

static struct policy *
load_policy(const struct config *cfg)
{
	char err[512];
	struct policy *pol;
	size_t i;

	pol = policy_load(cfg->policy, cfg->oui_registry, err, sizeof(err));
	if (pol == NULL) {
		snmp_log(LOG_ERR, "policy: %s\n", err);
		return NULL;
	}
	if (cfg->lists[0] != '\0' &&
	    policy_set_lists(pol, cfg->lists, err, sizeof(err)) != 0)
		goto fail;
	for (i = 0; i < cfg->n_sites; i++)
		if (policy_add_site(pol, cfg->sites[i].name, cfg->sites[i].cidr,
			cfg->sites[i].zone, err, sizeof(err)) != 0)
			goto fail;
	return pol;
fail:
	snmp_log(LOG_ERR, "policy: %s\n", err);
	policy_free(pol);
	return NULL;
}

static void
active_lists(const struct policy *pol, char *buf, size_t bufsz)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < policy_list_count(pol); i++) {
		if (!policy_list_active(pol, i))
			continue;
		o += (size_t)snprintf(buf + o, o < bufsz ? bufsz - o : 0,
		    "%s%s", o ? "," : "", policy_list_id(pol, i));
	}
}

void
agent_disc_add(struct disc_stats *to, const struct disc_stats *from)
{
	to->received += from->received;
	to->malformed += from->malformed;
	to->oversized += from->oversized;
	to->spoofed += from->spoofed;
	to->out_of_scope += from->out_of_scope;
	to->rate_limited += from->rate_limited;
	to->ignored += from->ignored;
	to->queue_full += from->queue_full;
	to->probes_sent += from->probes_sent;
	to->sadp_seen += from->sadp_seen;
	to->dhip_seen += from->dhip_seen;
}

/*
 * The fleet's counts cost a pass over every row: made when the MIB asks
 * for one (a GET of a count, a summary notification), once per change,
 * never after each batch of results (that was most of the main thread's
 * time in a 10,000-camera round); and during a round at most every
 * COUNTS_MS, so an NMS polling them hard cannot make every GET a pass
 * over 100,000 rows.  Outside a round they are exact.
 */
static void
counts(struct store_counts *c)
{
	long long now = wd_now_ms();

	if (A.counts_dirty && A.store != NULL &&
	    (!A.round_active || now - A.counts_at >= COUNTS_MS)) {
		store_counts(A.store, &A.counts);
		A.counts_dirty = false;
		A.counts_at = now;
	}
	*c = A.counts;
}

void
agent_publish(void)
{
	struct mib_summary s;

	A.counts_dirty = true;
	memset(&s, 0, sizeof(s));
	s.policy_version = policy_version(A.pol);
	s.policy_date = policy_date(A.pol);
	s.registry_date = policy_oui_date(A.pol);
	s.active_lists = A.lists;
	s.last_poll_completed = A.last_completed;
	s.rounds = A.rounds;
	agent_disc_totals(&s.disc);
	mib_set_summary(&s);
}

static const char *
event_name(enum dev_event_type t)
{
	static const char *const names[] = {
	    [EV_DETECTED_RESTRICTED] = "camRestrictedDeviceDetected",
	    [EV_VERDICT_CHANGED] = "camDeviceVerdictChanged",
	    [EV_FIRMWARE_CHANGED] = "camDeviceFirmwareChanged",
	    [EV_UNREACHABLE] = "camDeviceUnreachable",
	    [EV_REACHABLE] = "camDeviceReachable",
	    [EV_SWAPPED] = "camDeviceSwapped",
	    [EV_CERT_CHANGED] = "camDeviceCertificateChanged",
	    [EV_SUMMARY] = "camComplianceSummary"};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) &&
		names[t] != NULL
	    ? names[t]
	    : "?";
}

/*
 * Every notification is queued here: -D camcomply:notify.
 * camRestrictedDeviceDetected is sent once per camera, restarts included
 * (the MIB says so): it leaves only once a state file marking the camera
 * announced is on disk, the save it asks for here, so that no crash can
 * make it go twice.  No save before that one has the mark (announce_save).
 * The other way round cannot be helped: a crash after that save and before
 * the notification leaves (its turn in the paced queue, normally
 * milliseconds) loses it; the camera is in the table all the same.  A
 * save that fails (logged) lets it go as well: an alarm must not wait on
 * a full disk.
 */
void
agent_notify(const struct dev_event *ev)
{
	uint32_t after = 0;

	DEBUGMSGTL(("camcomply:notify", "%s for row %u (%s)%s%s\n",
	    event_name(ev->type), ev->dev->index, ev->dev->key,
	    ev->previous[0] ? ", was " : "", ev->previous));
	if (ev->type == EV_DETECTED_RESTRICTED && A.saver != NULL) {
		after = statesave_request(A.saver, A.store, A.cfg->state_file);
		ev->dev->announce_save = after;
	}
	notify_event(ev, after);
}

static void
emit(const struct dev_event *ev, void *arg)
{
	(void)arg;
	agent_notify(ev);
}

/* Soon, off the SNMP path (statesave.c); errors are logged there. */
static void
save_state(void)
{
	if (A.saver != NULL)
		statesave_request(A.saver, A.store, A.cfg->state_file);
}

/* What the job needs to trust (or refuse) the camera's certificate. */
static void
job_tls(struct poll_job *job, const struct device *d,
    const struct cfg_credentials *cr)
{
	struct cfg_tls t;

	config_tls(A.cfg, cr, &t);
	job->opts.verify_tls = t.mode == TLS_VERIFY;
	str_lcpy(job->cafile, t.cafile, sizeof(job->cafile));
	str_lcpy(job->capath, t.capath, sizeof(job->capath));
	/* A tls-pin line is enforced whatever the mode. */
	if (d->has_pin && (t.mode == TLS_PIN || d->pin_cfg)) {
		memcpy(job->tls_pin, d->tls_pin, sizeof(job->tls_pin));
		job->has_pin = true;
	}
}

/*
 * The collectors that need no credentials, after ONVIF (config: probe,
 * probes, probe-interval, a camera's probe and ports).  Rate-limited per
 * camera: probe-interval seconds from one probe to the next, the first
 * poll after a start or a change of verdict probing (probed_at is 0).
 * Their deadline is the poll's timeout, their own on top of ONVIF's.
 * Nothing here comes near the job's credentials: unauth_opts has no
 * field for one.
 */
static enum cfg_probe_mode
probe_mode(const struct device *d)
{
	return d->probe_cfg != CFG_PROBE_UNSET ? d->probe_cfg : A.cfg->probe;
}

/*
 * ONVIF named the camera but the policy cannot say whose it is: a white
 * label ("General", a shop brand) whose maker only its firmware, web
 * server or discovery protocol gives away.  'probe auto' asks the
 * collectors about it as if ONVIF had named nothing.
 */
static bool
white_label(const struct device *d)
{
	return d->identified && !d->by_facts &&
	    d->verdict.verdict == VERDICT_UNIDENTIFIED;
}

static void
job_probe(struct poll_job *job, const struct device *d, time_t now)
{
	enum cfg_probe_mode m = probe_mode(d);
	const struct cfg_probe_ports *pp = &d->probe_ports;
	struct unauth_opts *o = &job->uopts;
	int ms = A.cfg->timeout * 1000;

	if (m == CFG_PROBE_NONE)
		return;
	unauth_opts_init(o);
	o->probes = A.cfg->probes;
	o->sadp_port = pp->sadp;
	o->dhip_port = pp->dhip;
	o->http_port = pp->http;
	o->https_port = pp->https;
	o->rtsp_port = pp->rtsp;
	_Static_assert(CFG_PRIVATE_PORTS_MAX == UNAUTH_PRIVATE_PORTS_MAX,
	    "private-ports fit unauth_opts");
	if (pp->n_priv > 0) {
		memcpy(o->private_ports, pp->priv, sizeof(pp->priv));
		o->n_private_ports = pp->n_priv;
	} else {
		memcpy(o->private_ports, A.cfg->private_ports,
		    sizeof(A.cfg->private_ports));
		o->n_private_ports = A.cfg->n_private_ports;
	}
	o->deadline_ms = ms;
	o->connect_timeout_ms = o->io_timeout_ms =
	    ms < PROBE_IO_MS ? ms : PROBE_IO_MS;
	job->probe_all = m == CFG_PROBE_ALL || white_label(d);
	job->probe = d->probed_at == 0 || now < d->probed_at ||
	    now - d->probed_at >= A.cfg->probe_interval;
	job->probe_down = d->by_facts;
}

void
agent_submit(struct device *d)
{
	const struct cfg_credentials *cr = NULL;
	struct poll_job job;
	time_t now = time(NULL);

	memset(&job, 0, sizeof(job));
	job.index = d->index;
	str_lcpy(job.url, d->key, sizeof(job.url));
	if (d->credentials[0] != '\0')
		cr = config_credentials(A.cfg, d->credentials);
	if (cr != NULL) {
		str_lcpy(job.user, cr->user, sizeof(job.user));
		str_lcpy(job.password, cr->password, sizeof(job.password));
		job.has_credentials = true;
	}
	onvif_opts_init(&job.opts);
	job.opts.connect_timeout_ms = job.opts.io_timeout_ms =
	    job.opts.deadline_ms = A.cfg->timeout * 1000;
	job_tls(&job, d, cr);
	job.opts.auth_hint = d->auth;
	job_probe(&job, d, now);
	if (poller_submit(A.poller, &job) == 0) {
		d->in_flight = true;
		d->last_submit = now;
		A.outstanding++;
	}
	explicit_bzero(&job, sizeof(job));
}

static void round_done(void);
static void feed_round(void);

/*
 * A round does not queue every camera at once: at 100,000 cameras that
 * kept the SNMP path away for tens of seconds and queued a gigabyte.  It
 * walks the rows by index and keeps the workers FEED_AHEAD jobs ahead,
 * topping up as results come back, a slice of rows at a time.
 */
static void
start_round(unsigned int clientreg, void *arg)
{
	(void)clientreg;
	(void)arg;
	store_expire(A.store, time(NULL), A.cfg->disc.expire_days);
	A.round_active = true;
	A.feeding = true;
	A.round_cursor = 0;
	A.round_start = wd_now_ms();
	DEBUGMSGTL(
	    ("camcomply:poll", "round: %zu camera(s)\n", store_count(A.store)));
	feed_round();
}

/* Topping up stalled (every row in reach already in flight): try again. */
static void
feed_later(unsigned int clientreg, void *arg)
{
	(void)clientreg;
	(void)arg;
	A.feed_alarm = 0;
	feed_round();
}

static void
feed_round(void)
{
	size_t want = (size_t)A.cfg->concurrency * FEED_AHEAD, seen = 0;
	struct timeval soon = {0, 10000};
	struct device *d;

	/* The slice as one batch: the workers take it host by host. */
	poller_hold(A.poller);
	while (A.feeding && A.outstanding < want && seen < FEED_SLICE) {
		if ((d = store_next_after(A.store, A.round_cursor)) == NULL) {
			A.feeding = false;
			break;
		}
		A.round_cursor = d->index;
		seen++;
		if (!d->in_flight)
			agent_submit(d);
	}
	poller_release(A.poller);
	if (A.round_active && !A.feeding && A.outstanding == 0)
		round_done();
	else if (A.feeding && A.outstanding == 0 && A.feed_alarm == 0)
		A.feed_alarm =
		    snmp_alarm_register_hr(soon, 0, feed_later, NULL);
}

static void
round_done(void)
{
	A.round_active = false;
	A.last_completed = time(NULL);
	A.rounds++;
	save_state();
	snmp_log(LOG_INFO, "poll round %u completed: %zu camera(s)\n", A.rounds,
	    store_count(A.store));
}

/* The poller's fd is readable: apply at most BATCH results, then return. */
static void
on_results(int fd, void *arg)
{
	struct poll_result res[BATCH];
	struct dev_event ev[4];
	size_t i, got;
	int k, n;
	time_t now = time(NULL);

	(void)fd;
	(void)arg;
	got = poller_take(A.poller, res, BATCH);
	for (i = 0; i < got; i++) {
		struct device *d = store_find(A.store, res[i].index);
		/* How long the camera held a worker, and when it came back. */
		DEBUGMSGTL(("camcomply:poll",
		    "result %u %s: %s in %d ms, round +%lld ms, "
		    "probe %#x/%#x in %d ms\n",
		    res[i].index, res[i].res.xaddr,
		    onvif_status_name(res[i].res.status), res[i].res.elapsed_ms,
		    wd_now_ms() - A.round_start, res[i].res.id.facts.tried,
		    res[i].res.id.facts.answered, res[i].probe_ms));
		if (A.outstanding > 0)
			A.outstanding--;
		if (d == NULL)
			continue;
		n = store_apply(A.store, d, &res[i].res, A.pol, now, ev);
		for (k = 0; k < n; k++)
			agent_notify(&ev[k]);
		/* A white label never probed: its collectors now, once. */
		if (white_label(d) && d->probed_at == 0 && !d->in_flight &&
		    !d->white_asked && probe_mode(d) == CFG_PROBE_AUTO) {
			d->white_asked = true;
			agent_submit(d);
		}
		/* Taken out of the config while it was being polled. */
		if (store_removable(d))
			store_sync_config(A.store, A.cfg, now);
	}
	if (got > 0 && A.round_active)
		feed_round();
	agent_publish();
}

void
agent_notify_all(const struct dev_event *ev, int n)
{
	int k;

	for (k = 0; k < n; k++)
		agent_notify(&ev[k]);
}

/* The policy's page markers, for the jobs from now on (a copy). */
static void
set_markers(void)
{
	const char *const *m;
	size_t n = policy_http_markers(A.pol, &m);

	if (A.poller != NULL && poller_set_markers(A.poller, m, n) != 0)
		snmp_log(LOG_WARNING, "probe: no memory for page markers\n");
}

static void
apply_config(struct config *cfg, struct policy *pol)
{
	time_t now = time(NULL);
	int old_interval = A.cfg != NULL ? A.cfg->poll_interval : 0;

	config_free(A.cfg);
	policy_free(A.pol);
	A.cfg = cfg;
	A.pol = pol;
	active_lists(pol, A.lists, sizeof(A.lists));
	set_markers();
	store_sync_config(A.store, cfg, now);
	store_reclassify(A.store, pol, now, emit, NULL);
	agent_publish();
	if (A.alarm != 0 && old_interval != cfg->poll_interval) {
		snmp_alarm_unregister(A.alarm);
		A.alarm = snmp_alarm_register(
		    (unsigned)cfg->poll_interval, SA_REPEAT, start_round, NULL);
	}
}

void
agent_reload(void)
{
	struct config *cfg;
	struct policy *pol;

	if (!A.running)
		return;
	snmp_log(LOG_INFO, "reloading %s\n", A.config_path);
	if ((cfg = config_read(A.config_path)) == NULL) {
		snmp_log(LOG_ERR,
		    "reload refused: keeping the running "
		    "configuration\n");
		return;
	}
	if ((pol = load_policy(cfg)) == NULL) {
		snmp_log(LOG_ERR,
		    "reload refused: keeping the running "
		    "configuration and policy\n");
		config_free(cfg);
		return;
	}
	if (cfg->concurrency != A.cfg->concurrency)
		snmp_log(LOG_WARNING,
		    "concurrency changes at the next "
		    "restart\n");
	apply_config(cfg, pol);
	notify_start(A.store, cfg->notification_rate, cfg->notification_queue,
	    A.notify_gate);
	save_state();
	agent_disc_start(cfg);
	/* New cameras are polled now, not at the next round. */
	start_round(0, NULL);
}

/* ---- what the host calls ------------------------------------------------ */

int
agent_configure(const char *config_path)
{
	str_lcpy(A.config_path, config_path, sizeof(A.config_path));
	config_init();
	if ((A.cfg = config_read(A.config_path)) == NULL)
		return -1;
	if ((A.pol = load_policy(A.cfg)) == NULL) {
		config_free(A.cfg);
		A.cfg = NULL;
		return -1;
	}
	active_lists(A.pol, A.lists, sizeof(A.lists));
	return 0;
}

const char *
agent_agentx_socket(void)
{
	return A.cfg != NULL && A.cfg->agentx_socket[0] != '\0'
	    ? A.cfg->agentx_socket
	    : NULL;
}

int
agent_register(void)
{
	char err[512];
	time_t now = time(NULL);

	if (mib_init() != 0)
		return -1;
	A.registered = true;
	if ((A.store = store_new(&mib_store_hooks)) == NULL)
		return -1;
	if (store_load(A.store, A.cfg->state_file, err, sizeof(err)) != 0)
		snmp_log(LOG_WARNING, "state: %s\n", err);
	store_sync_config(A.store, A.cfg, now);
	store_reclassify(A.store, A.pol, now, emit, NULL);
	return 0;
}

void
agent_set_notify_gate(bool (*can_send)(void))
{
	A.notify_gate = can_send;
}

int
agent_run(void)
{
	if (notify_start(A.store, A.cfg->notification_rate,
		A.cfg->notification_queue, A.notify_gate) != 0) {
		snmp_log(LOG_ERR, "cannot start the notification queue\n");
		return -1;
	}
	if ((A.saver = statesave_new(notify_saved)) == NULL) {
		snmp_log(LOG_ERR, "cannot start the state file writer\n");
		return -1;
	}
	if ((A.poller = poller_new(A.cfg->concurrency)) == NULL) {
		snmp_log(LOG_ERR, "cannot start the poller\n");
		return -1;
	}
	set_markers();
	register_readfd(poller_fd(A.poller), on_results, NULL);
	mib_set_disc_hook(agent_disc_totals);
	mib_set_counts_hook(counts);
	agent_disc_start(A.cfg);
	A.running = true;
	agent_publish();
	snmp_log(LOG_INFO, "camcomply started: %zu camera(s), policy %s\n",
	    store_count(A.store), policy_version(A.pol));
	start_round(0, NULL);
	A.alarm = snmp_alarm_register(
	    (unsigned)A.cfg->poll_interval, SA_REPEAT, start_round, NULL);
	return 0;
}

/*
 * Undo everything, in the order that leaves nothing pointing at freed
 * memory or (for the snmpd plugin) at code about to be unloaded: timers
 * and descriptors first, then the threads (the poller cuts running polls
 * short), then the state file, the MIB and the rest.
 */
void
agent_stop(void)
{
	if (A.alarm != 0)
		snmp_alarm_unregister(A.alarm);
	if (A.bye_alarm != 0)
		snmp_alarm_unregister(A.bye_alarm);
	if (A.feed_alarm != 0)
		snmp_alarm_unregister(A.feed_alarm);
	agent_disc_stop();
	mib_set_disc_hook(NULL);
	mib_set_counts_hook(NULL);
	if (A.poller != NULL) {
		unregister_readfd(poller_fd(A.poller));
		poller_free(A.poller);
	}
	if (A.store != NULL)
		notify_unmark_queued();
	if (A.store != NULL && A.cfg != NULL && A.saver != NULL &&
	    statesave_flush(A.saver, A.store, A.cfg->state_file) != 0)
		snmp_log(LOG_ERR, "state: cannot write %s: %s\n",
		    A.cfg->state_file, strerror(errno));
	statesave_free(A.saver);
	store_free(A.store);
	notify_stop();
	if (A.registered)
		mib_shutdown();
	policy_free(A.pol);
	config_free(A.cfg);
	config_shutdown();
	memset(&A, 0, sizeof(A));
}
