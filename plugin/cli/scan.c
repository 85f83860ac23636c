/*
 * scan.c: `camcomply scan`, identify a list of cameras once and print what
 * they are.
 *
 * Owns argument parsing, the password (read with secret.c, wiped after
 * the scan), a bounded pool of worker threads (each target is identified
 * on a worker; one dead camera costs at most its own deadline) and the
 * table and JSON output.  Output streams: a worker identifies, classifies
 * and renders its target (policy_evaluate and json-c on objects of its
 * own are thread-safe), and the main thread prints the rendered results
 * in target order as they complete, so memory holds what is in flight and
 * what waits for an earlier target, never the whole list.  After ONVIF the
 * same job runs the collectors that need no credentials (scan_probe.c,
 * --probe).  main() calls cli_scan(); the workers call onvif_identify(),
 * scan_probe_run() and the pure renderers.
 */
#include <errno.h>
#include <getopt.h>
#include <json.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/scan_probe.h"
#include "onvif/onvif.h"
#include "policy/policy.h"
#include "common/secret.h"
#include "common/strutil.h"

#define SCAN_MAX_CONCURRENCY 256
/*
 * Targets started beyond the first one not yet printed: a camera that
 * takes its whole deadline holds up the printing, and at most this many
 * rendered results (about 1.5 KB each in JSON) wait behind it.
 */
#define SCAN_WINDOW 4096

/* One rendered result waiting for its turn to be printed. */
struct scan_slot {
	char *text; /* NULL with ready: out of memory, nothing to print */
	bool ready, failed;
};

struct scan_pool {
	char **targets;
	size_t n, window;
	const struct onvif_opts *opts;
	const struct scan_probe_cfg *probe; /* never holds a credential */
	const struct policy *pol; /* NULL: --no-policy */
	bool json;
	pthread_mutex_t lock;
	pthread_cond_t room; /* a slot was printed: workers may go on */
	pthread_cond_t done; /* the slot the printer waits for is ready */
	size_t next, printed; /* under lock */
	struct scan_slot *slot; /* window of them, target i in i % window */
};

/* One target's work, on a worker's stack. */
struct scan_job {
	const char *target;
	char url[CAM_STR_MAX];
	bool bad_target;
	struct onvif_result res;
	struct scan_probe_out probe;
	struct policy_result verdict;
};

/* ---- output ----------------------------------------------------------------
 */

static void
json_add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static struct json_object *
job_json(const struct scan_job *j, const struct policy *pol)
{
	const struct onvif_result *r = &j->res;
	const struct cam_identity *id = &r->id;
	struct json_object *o = json_object_new_object();
	struct json_object *macs = json_object_new_array();
	struct json_object *scopes = json_object_new_array();
	char mac[18], fp[65];
	size_t i;

	json_add_str(o, "target", j->target);
	json_add_str(o, "xaddr", j->bad_target ? "" : j->url);
	json_add_str(o, "status",
	    j->bad_target ? "bad-target" : onvif_status_name(r->status));
	json_add_str(
	    o, "error", j->bad_target ? "not a camera address" : r->detail);
	json_object_object_add(o, "http_code",
	    r->http_code ? json_object_new_int(r->http_code) : NULL);
	json_add_str(o, "address", id->address);
	json_add_str(o, "manufacturer", id->manufacturer);
	json_add_str(o, "model", id->model);
	json_add_str(o, "firmware", id->firmware);
	json_add_str(o, "serial", id->serial);
	json_add_str(o, "hardware_id", id->hardware_id);
	json_add_str(o, "hostname", id->hostname);
	for (i = 0; i < id->n_macs; i++)
		json_object_array_add(macs,
		    json_object_new_string(
			str_format_mac(id->macs[i], mac, sizeof(mac))));
	json_object_object_add(o, "macs", macs);
	for (i = 0; i < id->n_scopes; i++)
		json_object_array_add(
		    scopes, json_object_new_string(id->scopes[i]));
	json_object_object_add(o, "scopes", scopes);
	json_object_object_add(o, "clock_offset_s",
	    r->have_clock ? json_object_new_int64(r->clock_offset_s) : NULL);
	json_add_str(o, "auth", onvif_auth_name(r->auth));
	json_object_object_add(o, "tls_sha256",
	    r->have_tls ? json_object_new_string(
			      str_format_sha256(r->tls_sha256, fp, sizeof(fp)))
			: NULL);
	json_object_object_add(
	    o, "elapsed_ms", json_object_new_int(r->elapsed_ms));
	scan_probe_json(o, r, &j->probe);
	if (pol != NULL) {
		policy_result_json(&j->verdict, o);
		/* Which policy said so: a report made from this says it too. */
		json_add_str(o, "policy_version", policy_version(pol));
		json_add_str(o, "policy_date", policy_date(pol));
		json_add_str(o, "registry_date", policy_oui_date(pol));
	}
	return o;
}

/*
 * The object as an element of the pretty-printed array: json-c's own
 * layout one level in (two spaces before every line), so the output is
 * what printing the whole array at once gave.
 */
static char *
render_json(const struct scan_job *j, const struct policy *pol)
{
	struct json_object *o = job_json(j, pol);
	const char *s = json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t lines = 1, k;
	char *out, *w;

	for (k = 0; s[k] != '\0'; k++)
		lines += s[k] == '\n';
	if ((out = malloc(k + 2 * lines + 1)) != NULL) {
		w = out;
		*w++ = ' ';
		*w++ = ' ';
		for (; *s != '\0'; s++) {
			*w++ = *s;
			if (*s == '\n') {
				*w++ = ' ';
				*w++ = ' ';
			}
		}
		*w = '\0';
	}
	json_object_put(o);
	return out;
}

static void
print_table_header(void)
{
	printf("%-22s %-12s %-12s %-20s %-22s %-16s %-12s %-10s %-11s %s\n",
	    "TARGET", "STATUS", "MANUFACTURER", "MODEL", "FIRMWARE", "SEEN BY",
	    "VERDICT", "MAKER", "ACTION", "REASON / DETAIL");
}

/* What printf would print, in a string of its own (NULL: no memory). */
static char *dup_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *
dup_printf(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (out = malloc((size_t)len + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return out;
}

static char *
render_row(const struct scan_job *j, bool with_policy)
{
	const struct cam_identity *id = &j->res.id;
	const struct policy_result *v = &j->verdict;
	char seen[64];
	const char *why = j->bad_target ? "not a camera address"
	    : j->res.status != ONVIF_OK ? j->res.detail
	    : with_policy		? v->reason
					: j->res.detail;

	return dup_printf("%-22.22s %-12s %-12.12s %-20.20s %-22.22s %-16.16s "
			  "%-12s %-10.10s %-11s %s\n",
	    j->target,
	    j->bad_target ? "bad-target" : onvif_status_name(j->res.status),
	    id->manufacturer, id->model, id->firmware,
	    scan_seen_by(&j->res, seen, sizeof(seen)),
	    with_policy ? policy_verdict_name(v->verdict) : "-",
	    with_policy ? (v->maker[0] ? v->maker : v->suspect) : "-",
	    with_policy ? policy_action_name(v->action) : "-", why);
}

/* The address for site matching: the peer, else the target's host. */
static void
classify_job(struct scan_job *j, const struct policy *pol)
{
	/* 10 KB: the worker's stack has room (default size). */
	struct cam_identity id = j->res.id;
	size_t h;

	if (id.address[0] == '\0' && !j->bad_target) {
		const char *host = strstr(j->url, "://") + 3;
		if (*host == '[')
			host++;
		h = strcspn(host, "]:/");
		if (h < sizeof(id.address)) {
			memcpy(id.address, host, h);
			id.address[h] = '\0';
		}
	}
	policy_evaluate(pol, &id, time(NULL), &j->verdict);
}

/* ---- the scan --------------------------------------------------------------
 */

/* Identify, classify and render target i; *failed: not identified. */
static char *
scan_one(const struct scan_pool *pool, size_t i, bool *failed)
{
	struct scan_job j;

	memset(&j, 0, sizeof(j));
	j.target = pool->targets[i];
	j.bad_target = onvif_target_url(j.target, j.url, sizeof(j.url)) != 0;
	if (!j.bad_target) {
		onvif_identify(j.url, pool->opts, &j.res);
		scan_probe_run(pool->probe, j.url, &j.res, &j.probe);
	}
	if (pool->pol != NULL)
		classify_job(&j, pool->pol);
	/* Identified: ONVIF answered, or a collector did (its facts). */
	*failed = j.bad_target ||
	    (j.res.status != ONVIF_OK &&
		(j.res.id.facts.answered == 0 || j.res.id.facts.n == 0));
	return pool->json ? render_json(&j, pool->pol)
			  : render_row(&j, pool->pol != NULL);
}

static void *
scan_worker(void *arg)
{
	struct scan_pool *pool = arg;
	struct scan_slot *sl;
	bool failed;
	char *text;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&pool->lock);
		while (pool->next < pool->n &&
		    pool->next >= pool->printed + pool->window)
			pthread_cond_wait(&pool->room, &pool->lock);
		if (pool->next >= pool->n) {
			pthread_mutex_unlock(&pool->lock);
			return NULL;
		}
		i = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		text = scan_one(pool, i, &failed);
		pthread_mutex_lock(&pool->lock);
		sl = &pool->slot[i % pool->window];
		sl->text = text;
		sl->failed = failed;
		sl->ready = true;
		if (i == pool->printed)
			pthread_cond_signal(&pool->done);
		pthread_mutex_unlock(&pool->lock);
	}
}

/* Print result i (JSON: the array's element i). */
static void
print_one(const struct scan_pool *pool, size_t i, const char *text)
{
	if (text == NULL) {
		fprintf(stderr, "camcomply scan: %s: out of memory\n",
		    pool->targets[i]);
		return;
	}
	if (pool->json)
		fputs(i == 0 ? "[\n" : ",\n", stdout);
	fputs(text, stdout);
}

/* The results in target order, as they complete; returns the failures. */
static size_t
print_in_order(struct scan_pool *pool, bool inline_only)
{
	struct scan_slot sl;
	size_t i, failed = 0;

	for (i = 0; i < pool->n; i++) {
		if (inline_only) { /* no worker thread: one by one */
			sl.text = scan_one(pool, i, &sl.failed);
		} else {
			pthread_mutex_lock(&pool->lock);
			while (!pool->slot[i % pool->window].ready)
				pthread_cond_wait(&pool->done, &pool->lock);
			sl = pool->slot[i % pool->window];
			memset(&pool->slot[i % pool->window], 0, sizeof(sl));
			pool->printed = i + 1;
			pthread_cond_signal(&pool->room);
			pthread_mutex_unlock(&pool->lock);
		}
		print_one(pool, i, sl.text);
		failed += sl.failed || sl.text == NULL;
		free(sl.text);
	}
	/* Workers waiting for room see that nothing is left. */
	pthread_mutex_lock(&pool->lock);
	pthread_cond_broadcast(&pool->room);
	pthread_mutex_unlock(&pool->lock);
	if (pool->json)
		puts(pool->n > 0 ? "\n]" : "[\n]");
	return failed;
}

static size_t
scan_run(struct scan_pool *pool, int concurrency)
{
	pthread_t tids[SCAN_MAX_CONCURRENCY];
	int i, started = 0;
	size_t failed;

	pool->window = pool->n < SCAN_WINDOW ? pool->n : SCAN_WINDOW;
	if ((pool->slot = calloc(pool->window, sizeof(*pool->slot))) == NULL)
		concurrency = 0;
	if (concurrency > (int)pool->n)
		concurrency = (int)pool->n;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->room, NULL);
	pthread_cond_init(&pool->done, NULL);
	if (!pool->json)
		print_table_header();
	for (i = 0; i < concurrency; i++)
		if (pthread_create(&tids[i], NULL, scan_worker, pool) == 0)
			started++;
	failed = print_in_order(pool, started == 0);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_cond_destroy(&pool->done);
	pthread_cond_destroy(&pool->room);
	pthread_mutex_destroy(&pool->lock);
	free(pool->slot);
	return failed;
}

/* ---- the command
 * ------------------------------------------------------------- */

static void
scan_usage(FILE *f)
{
	fprintf(f,
	    "usage: camcomply scan [--json] [--user NAME "
	    "--password-file FILE] [--timeout SECONDS]\n"
	    "                      [--concurrency N] [--verify-tls] "
	    "[--cafile FILE] [--capath DIR]\n"
	    "                      [--tls-pin SHA256] "
	    "[--policy FILE | --no-policy] [--oui-registry DIR]\n"
	    "                      [--probe auto|all|none] "
	    "[--probes sadp,dhip,http,https,rtsp,tls,ports]\n"
	    "                      [--sadp-port N] [--dhip-port N] "
	    "[--http-port N] [--https-port N]\n"
	    "                      [--rtsp-port N] [--private-ports N[,N...]] "
	    "TARGET...\n"
	    "TARGET is a device service URL or host[:port].  --probe asks "
	    "the target's host\n"
	    "what it tells without credentials (auto: when ONVIF did not "
	    "name it).\n");
}

struct scan_args {
	bool json;
	const char *user;
	const char *password_file;
	double timeout;
	int concurrency;
	bool verify_tls;
	const char *cafile;
	const char *capath;
	bool has_pin;
	uint8_t pin[32];
	const char *policy;
	const char *oui;
	bool no_policy;
	struct scan_probe_cfg probe;
};

/* The options that take a number or a fingerprint; -1 after a message. */
static int
value_option(int c, const char *arg, struct scan_args *a)
{
	char *end;

	switch (c) {
	case 't':
		a->timeout = strtod(arg, &end);
		if (*end == '\0' && a->timeout > 0 && a->timeout <= 600)
			return 0;
		fprintf(stderr,
		    "camcomply scan: --timeout wants seconds "
		    "between 0 and 600\n");
		return -1;
	case 'c':
		a->concurrency = (int)strtol(arg, &end, 10);
		if (*end == '\0' && a->concurrency >= 1 &&
		    a->concurrency <= SCAN_MAX_CONCURRENCY)
			return 0;
		fprintf(stderr, "camcomply scan: --concurrency wants 1..%d\n",
		    SCAN_MAX_CONCURRENCY);
		return -1;
	default: /* 'F' */
		if (str_parse_sha256(arg, a->pin) != 0) {
			fprintf(stderr,
			    "camcomply scan: --tls-pin wants a "
			    "SHA-256 (64 hex digits)\n");
			return -1;
		}
		a->has_pin = true;
		return 0;
	}
}

/* One option; -1 to stop with status 2. */
static int
one_option(int c, char *arg, struct scan_args *a)
{
	switch (c) {
	case 'j':
		a->json = true;
		break;
	case 'u':
		a->user = arg;
		break;
	case 'p':
		a->password_file = arg;
		break;
	case 't':
	case 'c':
	case 'F':
		return value_option(c, arg, a);
	case 'V':
		a->verify_tls = true;
		break;
	case 'C':
		a->cafile = arg;
		break;
	case 'A':
		a->capath = arg;
		break;
	case 'P':
		a->policy = arg;
		break;
	case 'O':
		a->oui = arg;
		break;
	case 'N':
		a->no_policy = true;
		break;
	case 'h':
		scan_usage(stdout);
		exit(0);
	case SCAN_OPT_PROBE:
	case SCAN_OPT_PROBES:
	case SCAN_OPT_SADP_PORT:
	case SCAN_OPT_DHIP_PORT:
	case SCAN_OPT_HTTP_PORT:
	case SCAN_OPT_HTTPS_PORT:
	case SCAN_OPT_RTSP_PORT:
	case SCAN_OPT_PRIVATE_PORTS:
		return scan_probe_option(c, arg, &a->probe);
	default:
		scan_usage(stderr);
		return -1;
	}
	return 0;
}

static int
parse_args(int argc, char **argv, struct scan_args *a)
{
	static const struct option lopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"user", required_argument, NULL, 'u'},
	    {"password-file", required_argument, NULL, 'p'},
	    {"timeout", required_argument, NULL, 't'},
	    {"concurrency", required_argument, NULL, 'c'},
	    {"verify-tls", no_argument, NULL, 'V'},
	    {"cafile", required_argument, NULL, 'C'},
	    {"capath", required_argument, NULL, 'A'},
	    {"tls-pin", required_argument, NULL, 'F'},
	    {"policy", required_argument, NULL, 'P'},
	    {"oui-registry", required_argument, NULL, 'O'},
	    {"no-policy", no_argument, NULL, 'N'},
	    {"probe", required_argument, NULL, SCAN_OPT_PROBE},
	    {"probes", required_argument, NULL, SCAN_OPT_PROBES},
	    {"sadp-port", required_argument, NULL, SCAN_OPT_SADP_PORT},
	    {"dhip-port", required_argument, NULL, SCAN_OPT_DHIP_PORT},
	    {"http-port", required_argument, NULL, SCAN_OPT_HTTP_PORT},
	    {"https-port", required_argument, NULL, SCAN_OPT_HTTPS_PORT},
	    {"rtsp-port", required_argument, NULL, SCAN_OPT_RTSP_PORT},
	    {"private-ports", required_argument, NULL, SCAN_OPT_PRIVATE_PORTS},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	memset(a, 0, sizeof(*a));
	scan_probe_defaults(&a->probe);
	a->timeout = 5;
	a->concurrency = 32;
	optind = 1;
	while ((c = getopt_long(
		    argc, argv, "ju:p:t:c:VC:A:F:P:O:Nh", lopts, NULL)) != -1)
		if (one_option(c, optarg, a) != 0)
			return -1;
	if ((a->user == NULL) != (a->password_file == NULL)) {
		fprintf(stderr,
		    "camcomply scan: --user and --password-file go "
		    "together (passwords are never taken on the "
		    "command line)\n");
		return -1;
	}
	if (optind >= argc) {
		scan_usage(stderr);
		return -1;
	}
	return 0;
}

int
cli_scan(int argc, char **argv)
{
	struct scan_args a;
	struct onvif_opts opts;
	struct scan_pool pool;
	struct policy *pol = NULL;
	char password[256], err[SECRET_ERR_MAX];
	size_t failed;

	if (parse_args(argc, argv, &a) != 0)
		return 2;
	/* No core file, no ptrace: the password will be in this memory. */
	if (secret_no_core() != 0) {
		fprintf(stderr,
		    "camcomply scan: cannot disable core dumps: %s\n",
		    strerror(errno));
		return 2;
	}
	/* A bad policy is an error before any camera is contacted. */
	if (!a.no_policy &&
	    (pol = policy_load(a.policy ? a.policy : cli_default_policy(),
		 a.oui, err, sizeof(err))) == NULL) {
		fprintf(stderr, "camcomply scan: %s\n", err);
		return 2;
	}
	onvif_global_init();
	onvif_opts_init(&opts);
	opts.connect_timeout_ms = opts.io_timeout_ms = (int)(a.timeout * 1000);
	/* The whole identification is a handful of calls: bound it as one. */
	opts.deadline_ms = (int)(a.timeout * 1000);
	opts.verify_tls = a.verify_tls;
	opts.cafile = a.cafile;
	opts.capath = a.capath;
	opts.tls_pin = a.has_pin ? a.pin : NULL;
	scan_probe_timeouts(&a.probe, a.timeout);
	/* The page markers the policy looks for (FACT_HTTP_MARKER). */
	if (pol != NULL)
		a.probe.opts.n_markers =
		    policy_http_markers(pol, &a.probe.opts.markers);
	if (a.user != NULL) {
		if (secret_read(a.password_file, password, sizeof(password),
			err, sizeof(err)) != 0) {
			fprintf(stderr, "camcomply scan: %s\n", err);
			return 2;
		}
		opts.user = a.user;
		opts.password = password;
	}
	memset(&pool, 0, sizeof(pool));
	pool.targets = argv + optind;
	pool.n = (size_t)(argc - optind);
	pool.opts = &opts;
	pool.probe = &a.probe;
	pool.pol = pol;
	pool.json = a.json;
	failed = scan_run(&pool, a.concurrency);
	explicit_bzero(password, sizeof(password));
	policy_free(pol);
	return failed ? 1 : 0;
}
