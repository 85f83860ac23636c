/*
 * scan.c: `camcomply scan`, identify a list of cameras once and print what
 * they are.
 *
 * Owns argument parsing, the password (read with secret.c, wiped after
 * the scan), a bounded pool of worker threads (each target is identified
 * on a worker; one dead camera costs at most its own deadline) and the
 * table and JSON output.  main() calls cli_scan(); the workers only call
 * onvif_identify().
 */

#include <errno.h>
#include <getopt.h>
#include <json.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "onvif/onvif.h"
#include "policy/policy.h"
#include "common/secret.h"
#include "common/strutil.h"

#define SCAN_MAX_CONCURRENCY 256

struct scan_job {
	const char *target;
	char url[CAM_STR_MAX];
	bool bad_target;
	struct onvif_result res;
	struct policy_result verdict;
};

struct scan_pool {
	struct scan_job *jobs;
	size_t n;
	atomic_size_t next;
	const struct onvif_opts *opts;
};

static void *
scan_worker(void *arg)
{
	struct scan_pool *pool = arg;
	size_t i;

	while ((i = atomic_fetch_add(&pool->next, 1)) < pool->n) {
		struct scan_job *j = &pool->jobs[i];
		if (!j->bad_target)
			onvif_identify(j->url, pool->opts, &j->res);
	}
	return NULL;
}

static void
scan_run(struct scan_job *jobs, size_t n, const struct onvif_opts *opts,
    int concurrency)
{
	struct scan_pool pool = {.jobs = jobs, .n = n, .opts = opts};
	pthread_t tids[SCAN_MAX_CONCURRENCY];
	int i, started = 0;

	atomic_init(&pool.next, 0);
	if (concurrency > (int)n)
		concurrency = (int)n;
	for (i = 0; i < concurrency; i++)
		if (pthread_create(&tids[i], NULL, scan_worker, &pool) == 0)
			started++;
	if (started == 0)
		scan_worker(&pool);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
}

/* ---- output ----------------------------------------------------------------
 */

static void
json_add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static struct json_object *
job_json(const struct scan_job *j, bool with_policy)
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
	if (with_policy)
		policy_result_json(&j->verdict, o);
	return o;
}

static void
print_json(const struct scan_job *jobs, size_t n, bool with_policy)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(arr, job_json(&jobs[i], with_policy));
	puts(json_object_to_json_string_ext(
	    arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
}

static void
print_table(const struct scan_job *jobs, size_t n, bool with_policy)
{
	size_t i;

	printf("%-22s %-12s %-12s %-20s %-22s %-12s %-10s %-11s %s\n", "TARGET",
	    "STATUS", "MANUFACTURER", "MODEL", "FIRMWARE", "VERDICT", "MAKER",
	    "ACTION", "REASON / DETAIL");
	for (i = 0; i < n; i++) {
		const struct scan_job *j = &jobs[i];
		const struct cam_identity *id = &j->res.id;
		const struct policy_result *v = &j->verdict;
		const char *why = j->bad_target ? "not a camera address"
		    : j->res.status != ONVIF_OK ? j->res.detail
		    : with_policy		? v->reason
						: j->res.detail;
		printf(
		    "%-22.22s %-12s %-12.12s %-20.20s %-22.22s %-12s %-10.10s "
		    "%-11s %s\n",
		    j->target,
		    j->bad_target ? "bad-target"
				  : onvif_status_name(j->res.status),
		    id->manufacturer, id->model, id->firmware,
		    with_policy ? policy_verdict_name(v->verdict) : "-",
		    with_policy ? (v->maker[0] ? v->maker : v->suspect) : "-",
		    with_policy ? policy_action_name(v->action) : "-", why);
	}
}

/* The address for site matching: the peer, else the target's host. */
static void
classify_jobs(struct scan_job *jobs, size_t n, const struct policy *pol)
{
	struct cam_identity id;
	time_t now = time(NULL);
	size_t i, h;

	for (i = 0; i < n; i++) {
		id = jobs[i].res.id;
		if (id.address[0] == '\0' && !jobs[i].bad_target) {
			const char *host = strstr(jobs[i].url, "://") + 3;
			if (*host == '[')
				host++;
			h = strcspn(host, "]:/");
			if (h < sizeof(id.address)) {
				memcpy(id.address, host, h);
				id.address[h] = '\0';
			}
		}
		policy_evaluate(pol, &id, now, &jobs[i].verdict);
	}
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
	    "                      TARGET...\n"
	    "TARGET is a device service URL or host[:port].\n");
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
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	memset(a, 0, sizeof(*a));
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
	struct scan_job *jobs;
	struct policy *pol = NULL;
	char password[256], err[SECRET_ERR_MAX];
	size_t n, i, failed = 0;

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
	if (a.user != NULL) {
		if (secret_read(a.password_file, password, sizeof(password),
			err, sizeof(err)) != 0) {
			fprintf(stderr, "camcomply scan: %s\n", err);
			return 2;
		}
		opts.user = a.user;
		opts.password = password;
	}
	n = (size_t)(argc - optind);
	if ((jobs = calloc(n, sizeof(*jobs))) == NULL) {
		explicit_bzero(password, sizeof(password));
		fprintf(stderr, "camcomply scan: out of memory\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		jobs[i].target = argv[optind + (int)i];
		jobs[i].bad_target = onvif_target_url(jobs[i].target,
					 jobs[i].url, sizeof(jobs[i].url)) != 0;
	}
	scan_run(jobs, n, &opts, a.concurrency);
	explicit_bzero(password, sizeof(password));
	if (pol != NULL)
		classify_jobs(jobs, n, pol);
	if (a.json)
		print_json(jobs, n, pol != NULL);
	else
		print_table(jobs, n, pol != NULL);
	policy_free(pol);
	for (i = 0; i < n; i++)
		if (jobs[i].bad_target || jobs[i].res.status != ONVIF_OK)
			failed++;
	free(jobs);
	return failed ? 1 : 0;
}
