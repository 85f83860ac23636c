/*
 * camcomplyd.c: the AgentX subagent's main loop.
 *
 * Owns start-up (options in snmpd's conventions, config, policy, state
 * file, AgentX session), the poll rounds, applying results in bounded
 * batches, reloads on SIGHUP and the clean exit on SIGTERM.  Everything
 * here runs on the main thread, the only thread that touches Net-SNMP or
 * the store; cameras are only ever spoken to by the poller's workers.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "daemon.h"
#include "secret.h"
#include "strutil.h"
#include "watchdog.h"

#define APP "camcomplyd"
#define BATCH 64 /* results applied per wake-up */
#define SIGHTINGS 16 /* sightings applied per wake-up (9 KiB each) */
#define HELLO_HOLD 10 /* seconds: a Hello polls at most this often */
#define DEFAULT_CONFIG "/etc/camcomply/camcomplyd.conf"

struct daemon {
	const char *config_path;
	struct config *cfg;
	struct policy *pol;
	struct store *store;
	struct poller *poller;
	struct discovery *disc;
	struct disc_stats disc_base; /* counts of discovery threads gone */
	unsigned alarm;
	size_t outstanding; /* jobs of the current round */
	bool round_active;
	long long round_start; /* monotonic ms, for the poll log */
	time_t last_completed;
	unsigned rounds;
	char lists[CAM_STR_MAX];
};

static struct daemon D;
static volatile sig_atomic_t got_hup, got_term;
/*
 * The signal handler's wake-up pipe.  Never closed: a signal may arrive on
 * any thread at any time, shutdown included, so nothing the handler
 * touches may be freed (it used to wake the poller, freed at shutdown).
 */
static int sig_pipe[2] = {-1, -1};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: " APP " [-f] [-x AGENTX-SOCKET] [-c CONFIG] [-L[efos...]]\n"
	    "                  [-D TOKENS] [-p PIDFILE] [-u USER] [-h] [-v]\n"
	    "  -f          stay in the foreground\n"
	    "  -x SOCKET   AgentX master socket (default: Net-SNMP's)\n"
	    "  -c CONFIG   configuration file (default " DEFAULT_CONFIG ")\n"
	    "  -L...       logging, as snmpd: -Le stderr, -Lf FILE, -Lsd syslog\n"
	    "  -D TOKENS   Net-SNMP debug tokens (camcomply, agentx, ...)\n"
	    "  -p PIDFILE  write the process id there\n"
	    "  -u USER     run as USER after start-up\n");
}

/* ---- policy and summary
 * ------------------------------------------------------- */

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

static void
disc_add(struct disc_stats *to, const struct disc_stats *from)
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
}

/* Counters survive a reload's new discovery thread: Counter32 semantics. */
static void
disc_totals(struct disc_stats *t)
{
	struct disc_stats cur;

	*t = D.disc_base;
	if (D.disc != NULL) {
		discovery_stats(D.disc, &cur);
		disc_add(t, &cur);
	}
}

static void
publish_summary(void)
{
	struct mib_summary s;

	memset(&s, 0, sizeof(s));
	s.policy_version = policy_version(D.pol);
	s.policy_date = policy_date(D.pol);
	s.registry_date = policy_oui_date(D.pol);
	s.active_lists = D.lists;
	s.last_poll_completed = D.last_completed;
	s.rounds = D.rounds;
	store_counts(D.store, &s.counts);
	disc_totals(&s.disc);
	mib_set_summary(&s);
}

static void
emit(const struct dev_event *ev, void *arg)
{
	(void)arg;
	mib_notify(ev);
}

static void
save_state(void)
{
	if (store_save(D.store, D.cfg->state_file) != 0)
		snmp_log(LOG_ERR, "state: cannot write %s: %s\n",
		    D.cfg->state_file, strerror(errno));
}

/* ---- poll rounds
 * -------------------------------------------------------------------- */

/* What the job needs to trust (or refuse) the camera's certificate. */
static void
job_tls(struct poll_job *job, const struct device *d,
    const struct cfg_credentials *cr)
{
	struct cfg_tls t;

	config_tls(D.cfg, cr, &t);
	job->opts.verify_tls = t.mode == TLS_VERIFY;
	str_lcpy(job->cafile, t.cafile, sizeof(job->cafile));
	str_lcpy(job->capath, t.capath, sizeof(job->capath));
	/* A tls-pin line is enforced whatever the mode. */
	if (d->has_pin && (t.mode == TLS_PIN || d->pin_cfg)) {
		memcpy(job->tls_pin, d->tls_pin, sizeof(job->tls_pin));
		job->has_pin = true;
	}
}

static void
submit(struct device *d)
{
	const struct cfg_credentials *cr = NULL;
	struct poll_job job;

	memset(&job, 0, sizeof(job));
	job.index = d->index;
	str_lcpy(job.url, d->key, sizeof(job.url));
	if (d->credentials[0] != '\0')
		cr = config_credentials(D.cfg, d->credentials);
	if (cr != NULL) {
		str_lcpy(job.user, cr->user, sizeof(job.user));
		str_lcpy(job.password, cr->password, sizeof(job.password));
		job.has_credentials = true;
	}
	onvif_opts_init(&job.opts);
	job.opts.connect_timeout_ms = job.opts.io_timeout_ms =
	    job.opts.deadline_ms = D.cfg->timeout * 1000;
	job_tls(&job, d, cr);
	job.opts.auth_hint = d->auth;
	if (poller_submit(D.poller, &job) == 0) {
		d->in_flight = true;
		d->last_submit = time(NULL);
		D.outstanding++;
	}
	explicit_bzero(&job, sizeof(job));
}

static void round_done(void);

static void
start_round(unsigned int clientreg, void *arg)
{
	size_t i, n = store_count(D.store);

	(void)clientreg;
	(void)arg;
	if (store_expire(D.store, time(NULL), D.cfg->disc.expire_days) > 0)
		n = store_count(D.store);
	for (i = 0; i < n; i++) {
		struct device *d = store_at(D.store, i);
		if (!d->in_flight)
			submit(d);
	}
	D.round_active = true;
	D.round_start = wd_now_ms();
	DEBUGMSGTL(("camcomply:poll", "round: %zu in flight\n", D.outstanding));
	/* Nothing to poll (a discovery-only start): that round is done too. */
	if (D.outstanding == 0)
		round_done();
}

static void
round_done(void)
{
	D.round_active = false;
	D.last_completed = time(NULL);
	D.rounds++;
	save_state();
	snmp_log(LOG_INFO, "poll round %u completed: %zu camera(s)\n", D.rounds,
	    store_count(D.store));
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
	got = poller_take(D.poller, res, BATCH);
	for (i = 0; i < got; i++) {
		struct device *d = store_find(D.store, res[i].index);
		/* How long the camera held a worker, and when it came back. */
		DEBUGMSGTL(("camcomply:poll",
		    "result %u %s: %s in %d ms, round +%lld ms\n", res[i].index,
		    res[i].res.xaddr, onvif_status_name(res[i].res.status),
		    res[i].res.elapsed_ms, wd_now_ms() - D.round_start));
		if (D.outstanding > 0)
			D.outstanding--;
		if (d == NULL)
			continue;
		n = store_apply(D.store, d, &res[i].res, D.pol, now, ev);
		for (k = 0; k < n; k++)
			mib_notify(&ev[k]);
		/* Taken out of the config while it was being polled. */
		if (store_removable(d))
			store_sync_config(D.store, D.cfg, now);
	}
	if (got > 0 && D.round_active && D.outstanding == 0)
		round_done();
	publish_summary();
}

/* ---- discovery
 * ---------------------------------------------------------------------- */

static void
notify_all(const struct dev_event *ev, int n)
{
	int k;

	for (k = 0; k < n; k++)
		mib_notify(&ev[k]);
}

/*
 * Rows whose Bye found their poll held down are polled when the hold ends:
 * one timer for all, armed only while one waits, for the earliest, so a
 * real Bye always leads to a poll within HELLO_HOLD seconds.
 */
static unsigned bye_alarm;
static time_t bye_due;

static void bye_polls(unsigned int clientreg, void *arg);

static void
arm_bye_alarm(time_t now, time_t wait)
{
	if (bye_alarm != 0 && bye_due <= now + wait)
		return;
	if (bye_alarm != 0)
		snmp_alarm_unregister(bye_alarm);
	bye_due = now + wait;
	bye_alarm = snmp_alarm_register((unsigned)wait, 0, bye_polls, NULL);
}

/* Poll d now, or say in how many seconds its hold-down ends. */
static time_t
poll_or_hold(struct device *d, time_t now)
{
	time_t wait = HELLO_HOLD - (now - d->last_submit);

	if (wait <= 0) {
		submit(d);
		return 0;
	}
	return wait > HELLO_HOLD ? HELLO_HOLD : wait; /* the clock went back */
}

static void
bye_polls(unsigned int clientreg, void *arg)
{
	time_t now = time(NULL), wait, next = 0;
	size_t i, n = store_count(D.store);

	(void)clientreg;
	(void)arg;
	bye_alarm = 0;
	for (i = 0; i < n; i++) {
		struct device *d = store_at(D.store, i);
		if (!d->bye || d->in_flight ||
		    (wait = poll_or_hold(d, now)) == 0)
			continue;
		if (next == 0 || wait < next)
			next = wait;
	}
	if (next > 0)
		arm_bye_alarm(now, next);
}

/*
 * A Bye counts only from the address the camera is known at, and even then
 * anyone on the LAN could have sent it: it asks for a poll (held down like
 * a Hello's), and only that poll failing makes the row unreachable, so
 * spoofed Byes cannot flap a camera that answers.
 */
static void
apply_bye(const struct disc_sighting *sg, time_t now)
{
	struct device *d = store_find_sighting(D.store, sg);
	time_t wait;

	if (d == NULL)
		D.disc_base.ignored++; /* never seen: nothing to poll */
	else if (store_bye(D.store, d, sg->address, now) < 0)
		D.disc_base.spoofed++;
	else if (!d->in_flight && (wait = poll_or_hold(d, now)) > 0)
		arm_bye_alarm(now, wait);
}

/* Counted like the discovery thread's drops; the log says it, sparingly. */
static void
count_refusal(const struct disc_sighting *sg, enum disc_added what)
{
	unsigned long n;

	if (what == DISC_REFUSED_URL) {
		D.disc_base.malformed++; /* an XAddr we cannot use */
		return;
	}
	if (what == DISC_REFUSED_FULL) {
		D.disc_base.capped++;
		return;
	}
	n = ++D.disc_base.host_capped;
	if ((n & (n - 1)) == 0) /* 1, 2, 4, 8, ...: a flood logs little */
		snmp_log(LOG_WARNING,
		    "discovery: %lu new camera(s) refused so far: their "
		    "sender had discover-max-per-host (%d) rows (last: %s)\n",
		    n, D.cfg->disc.max_per_host, sg->address);
}

static void
apply_seen(const struct disc_sighting *sg, time_t now)
{
	struct dev_event ev[4];
	struct device *d = store_find_sighting(D.store, sg);
	enum disc_added what = DISC_ADDED_KNOWN;
	bool fresh, changed;
	int moved;

	if (d == NULL &&
	    (d = store_add_discovered(D.store, sg, &D.cfg->disc, now, &what)) ==
		NULL) {
		count_refusal(sg, what);
		return;
	}
	fresh = what == DISC_ADDED_NEW;
	/* A new MetadataVersion says the camera's metadata changed. */
	changed = sg->metadata_version != 0 && d->metadata_version != 0 &&
	    sg->metadata_version != d->metadata_version;
	notify_all(ev, store_sighting(D.store, d, sg, D.pol, now, &moved, ev));
	if (moved < 0)
		D.disc_base.spoofed++;
	if (fresh)
		snmp_log(LOG_INFO, "discovered %s (%s) by %s\n", d->key,
		    sg->endpoint, disc_method_name(sg->method));
	/*
	 * New: poll now.  Moved, changed, silent or saying Hello: poll now
	 * too, but at most every HELLO_HOLD seconds, so that no stream of
	 * announcements (spoofed ones included) keeps a camera polled.
	 */
	if (d->in_flight)
		return;
	if (fresh ||
	    (now - d->last_submit >= HELLO_HOLD &&
		(moved != 0 || changed || !d->reachable ||
		    sg->method == DISC_HELLO)))
		submit(d);
}

static void
on_sightings(int fd, void *arg)
{
	static struct disc_sighting sg[SIGHTINGS];
	size_t i, got;
	time_t now = time(NULL);

	(void)fd;
	(void)arg;
	got = discovery_take(D.disc, sg, SIGHTINGS);
	for (i = 0; i < got; i++) {
		if (sg[i].kind == DISC_BYE)
			apply_bye(&sg[i], now);
		else
			apply_seen(&sg[i], now);
	}
	publish_summary();
}

static bool
discovery_wanted(const struct config *cfg)
{
	return cfg->disc.multicast || cfg->disc.n_sweeps > 0;
}

/* (Re)start the discovery thread for cfg; its counters carry over. */
static void
start_discovery(const struct config *cfg)
{
	struct disc_stats old;
	char err[256];
	size_t i;

	if (D.disc != NULL) {
		unregister_readfd(discovery_fd(D.disc));
		discovery_stats(D.disc, &old);
		disc_add(&D.disc_base, &old);
		discovery_free(D.disc);
		D.disc = NULL;
	}
	if (!discovery_wanted(cfg))
		return;
	if (cfg->n_site_ranges == 0 && cfg->disc.n_sweeps == 0 &&
	    cfg->disc.n_allow == 0 && !cfg->disc.allow_any)
		snmp_log(LOG_WARNING,
		    "discovery: no site, sweep or allow range is configured, "
		    "so every discovered camera is out of range\n");
	/* The thread cannot log: say here what it will not find. */
	for (i = 0; i < cfg->disc.n_ifaces; i++)
		if (if_nametoindex(cfg->disc.ifaces[i]) == 0)
			snmp_log(LOG_WARNING,
			    "discover multicast %s: no such interface (it is "
			    "looked for again each discovery round)\n",
			    cfg->disc.ifaces[i]);
	err[0] = '\0';
	if ((D.disc = discovery_new(cfg, err, sizeof(err))) == NULL) {
		snmp_log(LOG_ERR, "discovery: %s\n", err);
		return;
	}
	if (err[0] != '\0')
		snmp_log(LOG_WARNING, "discovery: %s\n", err);
	register_readfd(discovery_fd(D.disc), on_sightings, NULL);
}

/* ---- reload and signals
 * ----------------------------------------------------------- */

static void
apply_config(struct config *cfg, struct policy *pol)
{
	time_t now = time(NULL);
	int old_interval = D.cfg != NULL ? D.cfg->poll_interval : 0;

	config_free(D.cfg);
	policy_free(D.pol);
	D.cfg = cfg;
	D.pol = pol;
	active_lists(pol, D.lists, sizeof(D.lists));
	store_sync_config(D.store, cfg, now);
	store_reclassify(D.store, pol, now, emit, NULL);
	publish_summary();
	if (D.alarm != 0 && old_interval != cfg->poll_interval) {
		snmp_alarm_unregister(D.alarm);
		D.alarm = snmp_alarm_register(
		    (unsigned)cfg->poll_interval, SA_REPEAT, start_round, NULL);
	}
}

static void
reload(void)
{
	struct config *cfg;
	struct policy *pol;

	got_hup = 0;
	snmp_log(LOG_INFO, "reloading %s\n", D.config_path);
	if ((cfg = config_read(D.config_path)) == NULL) {
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
	if (cfg->concurrency != D.cfg->concurrency)
		snmp_log(LOG_WARNING,
		    "concurrency changes at the next "
		    "restart\n");
	apply_config(cfg, pol);
	save_state();
	start_discovery(cfg);
	/* New cameras are polled now, not at the next round. */
	start_round(0, NULL);
}

static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
	/*
	 * Wake the select() in agent_check_and_process: the signal may have
	 * been delivered to a worker thread, not to the one in select().
	 */
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], "", 1) < 0) {
		/* EAGAIN: the pipe is full, the loop is awake already. */
	}
	errno = saved;
}

/* The main loop's side of the pipe: empty it; the flags say why. */
static void
on_wake(int fd, void *arg)
{
	char buf[64];

	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
}

static int
setup_signals(void)
{
	struct sigaction sa;

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		snmp_log(LOG_ERR, "signal pipe: %s\n", strerror(errno));
		return -1;
	}
	register_readfd(sig_pipe[0], on_wake, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

/* ---- start-up
 * ------------------------------------------------------------------------- */

static int
drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		snmp_log(LOG_ERR, "-u %s: no such user\n", user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snmp_log(LOG_ERR, "-u %s: %s\n", user, strerror(errno));
		return -1;
	}
	return 0;
}

static void
write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		snmp_log(LOG_ERR, "%s: %s\n", path, strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

struct options {
	bool foreground;
	bool logging_set;
	const char *agentx;
	const char *pidfile;
	const char *user;
};

static int
parse_options(int argc, char **argv, struct options *o)
{
	int c;

	D.config_path = DEFAULT_CONFIG;
	while ((c = getopt(argc, argv, "fx:c:L:D:p:u:hv")) != -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case 'x':
			o->agentx = optarg;
			break;
		case 'c':
			D.config_path = optarg;
			break;
		case 'L':
			if (snmp_log_options(optarg, argc, argv) < 0) {
				usage(stderr);
				return -1;
			}
			o->logging_set = true;
			break;
		case 'D':
			debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'v':
			printf("%s\n", PACKAGE_STRING);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static void
setup_agentx(const struct options *o)
{
	const char *sock = o->agentx != NULL  ? o->agentx
	    : D.cfg->agentx_socket[0] != '\0' ? D.cfg->agentx_socket
					      : NULL;

	netsnmp_ds_set_boolean(
	    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	if (sock != NULL)
		netsnmp_ds_set_string(
		    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, sock);
	/* A stalled master must not stall us: short timeout, no retries. */
	netsnmp_ds_set_int(
	    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_TIMEOUT, 1);
	netsnmp_ds_set_int(
	    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_RETRIES, 0);
	/* Net-SNMP persistent files are not ours to write. */
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	init_agent(APP);
	/* init_agent() resets the ping interval: set it afterwards. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 1);
}

static int
start(const struct options *o)
{
	char err[512];

	config_init();
	if ((D.cfg = config_read(D.config_path)) == NULL)
		return -1;
	if ((D.pol = load_policy(D.cfg)) == NULL)
		return -1;
	active_lists(D.pol, D.lists, sizeof(D.lists));
	setup_agentx(o);
	if (mib_init() != 0)
		return -1;
	init_snmp(APP);
	if ((D.store = store_new(&mib_store_hooks)) == NULL)
		return -1;
	if (store_load(D.store, D.cfg->state_file, err, sizeof(err)) != 0)
		snmp_log(LOG_WARNING, "state: %s\n", err);
	store_sync_config(D.store, D.cfg, time(NULL));
	store_reclassify(D.store, D.pol, time(NULL), emit, NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct passwd *pw;

	/* No core file, no ptrace: passwords are about to be read. */
	if (secret_no_core() != 0) {
		fprintf(stderr, APP ": cannot disable core dumps: %s\n",
		    strerror(errno));
		return 1;
	}
	memset(&o, 0, sizeof(o));
	if (parse_options(argc, argv, &o) != 0)
		return 2;
	/* Files owned by the -u user: it reads them again on reloads. */
	if (o.user != NULL && (pw = getpwnam(o.user)) != NULL)
		secret_allow_owner(pw->pw_uid);
	if (!o.logging_set) {
		if (o.foreground)
			snmp_enable_stderrlog();
		else
			snmp_enable_syslog_ident(APP, LOG_DAEMON);
	}
	/* The subagent never parses MIB text: skip loading it (and its noise).
	 */
	if (getenv("MIBS") == NULL)
		setenv("MIBS", "", 1);
	onvif_global_init();
	if (start(&o) != 0) {
		snmp_log(LOG_ERR, "start-up failed\n");
		return 1;
	}
	if (!o.foreground && netsnmp_daemonize(1, !o.logging_set) != 0)
		return 1;
	if (o.pidfile != NULL)
		write_pidfile(o.pidfile);
	/* A change of user resets the dumpable flag: set it again. */
	if (o.user != NULL &&
	    (drop_privileges(o.user) != 0 || secret_no_core() != 0))
		return 1;
	if ((D.poller = poller_new(D.cfg->concurrency)) == NULL) {
		snmp_log(LOG_ERR, "cannot start the poller\n");
		return 1;
	}
	register_readfd(poller_fd(D.poller), on_results, NULL);
	mib_set_disc_hook(disc_totals);
	start_discovery(D.cfg);
	if (setup_signals() != 0)
		return 1;
	publish_summary();
	snmp_log(LOG_INFO, APP " started: %zu camera(s), policy %s\n",
	    store_count(D.store), policy_version(D.pol));
	start_round(0, NULL);
	D.alarm = snmp_alarm_register(
	    (unsigned)D.cfg->poll_interval, SA_REPEAT, start_round, NULL);
	while (!got_term) {
		agent_check_and_process(1);
		if (got_hup)
			reload();
	}
	snmp_log(LOG_INFO, APP " stopping\n");
	if (D.disc != NULL) {
		unregister_readfd(discovery_fd(D.disc));
		discovery_free(D.disc);
	}
	save_state();
	unregister_readfd(poller_fd(D.poller));
	poller_free(D.poller);
	store_free(D.store);
	mib_shutdown();
	snmp_shutdown(APP);
	policy_free(D.pol);
	config_free(D.cfg);
	if (o.pidfile != NULL)
		unlink(o.pidfile);
	return 0;
}
