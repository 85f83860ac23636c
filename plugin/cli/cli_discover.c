/*
 * cli_discover.c: `camcomply discover`, a one-shot WS-Discovery of the
 * cameras on the operator's links (and routed ranges, by sweep), and with
 * --sadp and --dhip the Hikvision and Dahua protocols on the same links.
 *
 * Owns the command line and the output.  The probing, listening and the
 * defences are discovery.c's, the same thread camcomplyd runs, so what this
 * prints is what the daemon would see.  Nothing is polled: the verdict is
 * the provisional one drawn from what each camera announced (its scopes,
 * and what an SADP or DHIP reply said).  Main thread only (plus the
 * discovery thread it starts).
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/scan_probe.h"
#include "common/strutil.h"
#include "policy/policy.h"
#include "wsd/discovery.h"
#include "wsd/wsd.h"

#define MAX_FOUND 4096

struct found {
	struct disc_sighting sg;
	struct wsd_scope_info si;
	struct cam_facts facts; /* SADP's and DHIP's */
	char model[CAM_STR_MAX], serial[CAM_STR_MAX], firmware[CAM_STR_MAX];
	struct policy_result verdict;
};

struct disc_args {
	struct cfg_discovery disc;
	double wait;
	bool json, sadp, dhip;
	const char *policy, *oui;
	bool no_policy;
};

static void
discover_usage(FILE *f)
{
	fprintf(f,
	    "usage: camcomply discover [--interface IFACE|all]... "
	    "[--sweep CIDR]...\n"
	    "                          [--sadp] [--dhip] [--rate N] "
	    "[--wait SECONDS] [--json]\n"
	    "                          [--policy FILE | --no-policy] "
	    "[--oui-registry DIR]\n"
	    "Sends WS-Discovery Probes (all IPv4 interfaces by default), "
	    "listens for\nProbeMatches and Hello for --wait seconds "
	    "(default 5), lists what answered.\n"
	    "--sadp and --dhip also send a Hikvision SADP inquiry and a Dahua "
	    "DHIP search\nout of the same interfaces (nothing else).\n");
}

static int
add_iface(struct cfg_discovery *d, const char *name)
{
	void *p;

	d->multicast = true;
	if (strcmp(name, "all") == 0) {
		d->all_ifaces = true;
		return 0;
	}
	if ((p = realloc(d->ifaces, (d->n_ifaces + 1) * sizeof(*d->ifaces))) ==
	    NULL)
		return -1;
	d->ifaces = p;
	str_lcpy(d->ifaces[d->n_ifaces++], name, sizeof(*d->ifaces));
	return 0;
}

static int
add_sweep(struct cfg_discovery *d, const char *cidr)
{
	struct cidr4 r;
	void *p;

	if (cidr_parse(cidr, &r) != 0 || r.prefix < 16) {
		fprintf(stderr,
		    "camcomply discover: --sweep wants an IPv4 CIDR of /16 "
		    "or smaller, not '%s'\n",
		    cidr);
		return -1;
	}
	if ((p = realloc(d->sweeps, (d->n_sweeps + 1) * sizeof(r))) == NULL)
		return -1;
	d->sweeps = p;
	d->sweeps[d->n_sweeps++] = r;
	return 0;
}

static int
number(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;

	*out = strtod(s, &end);
	if (end == s || *end != '\0' || *out < lo || *out > hi) {
		fprintf(stderr, "camcomply discover: %s wants %g..%g\n", opt,
		    lo, hi);
		return -1;
	}
	return 0;
}

/* The links, and SADP and DHIP on the same ones (the names are shared). */
static void
finish_args(struct disc_args *a)
{
	/* Sweeps add to the local links, they do not replace them. */
	if (!a->disc.multicast)
		add_iface(&a->disc, "all");
	if (a->sadp)
		a->disc.sadp = (struct cfg_ifset){
		    true, a->disc.all_ifaces, a->disc.ifaces, a->disc.n_ifaces};
	if (a->dhip)
		a->disc.dhip = (struct cfg_ifset){
		    true, a->disc.all_ifaces, a->disc.ifaces, a->disc.n_ifaces};
}

static int
parse_args(int argc, char **argv, struct disc_args *a)
{
	static const struct option lopts[] = {
	    {"interface", required_argument, NULL, 'i'},
	    {"sweep", required_argument, NULL, 's'},
	    {"rate", required_argument, NULL, 'r'},
	    {"wait", required_argument, NULL, 'w'},
	    {"json", no_argument, NULL, 'j'},
	    {"sadp", no_argument, NULL, 'S'},
	    {"dhip", no_argument, NULL, 'D'},
	    {"policy", required_argument, NULL, 'P'},
	    {"oui-registry", required_argument, NULL, 'O'},
	    {"no-policy", no_argument, NULL, 'N'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	double v;
	int c;

	a->wait = 5;
	a->disc.interval = 86400;
	a->disc.sweep_rate = 100;
	/* Nothing is polled: whatever answers is worth listing. */
	a->disc.allow_any = true;
	optind = 1;
	while ((c = getopt_long(
		    argc, argv, "i:s:r:w:jSDP:O:Nh", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (add_iface(&a->disc, optarg) != 0)
				return -1;
			break;
		case 's':
			if (add_sweep(&a->disc, optarg) != 0)
				return -1;
			break;
		case 'r':
			if (number("--rate", optarg, 1, 5000, &v) != 0)
				return -1;
			a->disc.sweep_rate = (int)v;
			break;
		case 'w':
			if (number("--wait", optarg, 1, 600, &a->wait) != 0)
				return -1;
			break;
		case 'j':
			a->json = true;
			break;
		case 'S':
			a->sadp = true;
			break;
		case 'D':
			a->dhip = true;
			break;
		case 'P':
			a->policy = optarg;
			break;
		case 'O':
			a->oui = optarg;
			break;
		case 'N':
			a->no_policy = true;
			break;
		case 'h':
			discover_usage(stdout);
			exit(0);
		default:
			discover_usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		discover_usage(stderr);
		return -1;
	}
	finish_args(a);
	return 0;
}

/*
 * One row per endpoint, or per address where one of the two has none (a
 * camera found by SADP or DHIP, which have no endpoint, is the WS-Discovery
 * camera at its address): as camcomplyd makes rows.
 */
static bool
same_camera(const struct disc_sighting *a, const struct disc_sighting *b)
{
	if (a->endpoint[0] != '\0' && b->endpoint[0] != '\0')
		return strcasecmp(a->endpoint, b->endpoint) == 0;
	return strcmp(a->address, b->address) == 0;
}

static struct found *
find_or_add(struct found *f, size_t *n, const struct disc_sighting *sg)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (same_camera(&f[i].sg, sg))
			return &f[i];
	if (*n == MAX_FOUND)
		return NULL;
	return &f[(*n)++];
}

/* Keep how it was found first; add what the other protocol said. */
static void
merge(struct found *f, const struct disc_sighting *sg)
{
	size_t i;

	if (f->sg.kind == 0)
		f->sg = *sg;
	if (f->sg.endpoint[0] == '\0' && sg->endpoint[0] != '\0') {
		str_lcpy(f->sg.endpoint, sg->endpoint, sizeof(f->sg.endpoint));
		str_lcpy(f->sg.url, sg->url, sizeof(f->sg.url));
		memcpy(f->sg.scopes, sg->scopes, sizeof(f->sg.scopes));
		f->sg.n_scopes = sg->n_scopes;
	}
	if (!f->sg.has_mac && sg->has_mac) {
		memcpy(f->sg.mac, sg->mac, 6);
		f->sg.has_mac = true;
	}
	for (i = 0; i < sg->n_facts && i < DISC_FACTS_MAX; i++)
		cam_fact_add(&f->facts, sg->facts[i].kind, sg->facts[i].probe,
		    sg->facts[i].text, sizeof(sg->facts[i].text));
	if (sg->n_facts > 0)
		f->facts.answered |= CAM_PROBE(sg->facts[0].probe);
}

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Collect sightings until the wait is over; Byes are not cameras. */
static size_t
collect(struct discovery *dc, double wait, struct found *found)
{
	static struct disc_sighting sg[16];
	long long end = mono_ms() + (long long)(wait * 1000);
	struct pollfd pf = {discovery_fd(dc), POLLIN, 0};
	size_t n = 0, got, i;
	struct found *f;

	while (mono_ms() < end) {
		if (poll(&pf, 1, (int)(end - mono_ms())) < 0 && errno != EINTR)
			break;
		got = discovery_take(dc, sg, 16);
		for (i = 0; i < got; i++) {
			if (sg[i].kind != DISC_SEEN ||
			    (f = find_or_add(found, &n, &sg[i])) == NULL)
				continue;
			merge(f, &sg[i]);
		}
	}
	return n;
}

static void
classify(struct found *f, size_t n, const struct policy *pol)
{
	struct cam_identity id;
	struct wsd_match m;
	size_t i, k;

	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		for (k = 0; k < f[i].sg.n_scopes; k++)
			str_lcpy(m.scopes[k], f[i].sg.scopes[k], CAM_STR_MAX);
		m.n_scopes = f[i].sg.n_scopes;
		wsd_scope_info(&m, &f[i].si);
		memset(&id, 0, sizeof(id));
		id.facts = f[i].facts;
		id.facts.tried = id.facts.answered;
		unauth_adopt_facts(&id);
		str_lcpy(f[i].model, id.model, sizeof(f[i].model));
		str_lcpy(f[i].serial, id.serial, sizeof(f[i].serial));
		str_lcpy(f[i].firmware, id.firmware, sizeof(f[i].firmware));
		if (f[i].si.hardware[0] == '\0')
			str_lcpy(f[i].si.hardware, id.model,
			    sizeof(f[i].si.hardware));
		if (pol == NULL)
			continue;
		str_lcpy(id.endpoint, f[i].sg.endpoint, sizeof(id.endpoint));
		str_lcpy(id.address, f[i].sg.address, sizeof(id.address));
		memcpy(id.scopes, m.scopes, sizeof(id.scopes));
		id.n_scopes = m.n_scopes;
		if (f[i].sg.has_mac) {
			memcpy(id.macs[0], f[i].sg.mac, 6);
			id.n_macs = 1;
		}
		policy_evaluate(pol, &id, time(NULL), &f[i].verdict);
	}
}

static void
print_table(const struct found *f, size_t n, bool with_policy)
{
	size_t i;

	printf("%-15s %-6s %-45s %-24s %-20s %-12s %s\n", "ADDRESS", "HOW",
	    "ENDPOINT", "NAME", "HARDWARE", "VERDICT*", "MAKER / REASON");
	for (i = 0; i < n; i++) {
		const struct policy_result *v = &f[i].verdict;
		printf("%-15s %-6s %-45.45s %-24.24s %-20.20s %-12s %s\n",
		    f[i].sg.address, disc_method_name(f[i].sg.method),
		    f[i].sg.endpoint, f[i].si.name, f[i].si.hardware,
		    with_policy ? policy_verdict_name(v->verdict) : "-",
		    with_policy ? v->reason : "-");
	}
	if (with_policy)
		printf("* provisional: from what the cameras announced; "
		       "`camcomply scan` identifies them.\n");
}

static void
print_json(const struct found *f, size_t n, bool with_policy)
{
	struct json_object *arr = json_object_new_array(), *o, *sc;
	size_t i, k;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		sc = json_object_new_array();
		json_object_object_add(
		    o, "address", json_object_new_string(f[i].sg.address));
		json_object_object_add(
		    o, "xaddr", json_object_new_string(f[i].sg.url));
		json_object_object_add(
		    o, "endpoint", json_object_new_string(f[i].sg.endpoint));
		json_object_object_add(o, "method",
		    json_object_new_string(disc_method_name(f[i].sg.method)));
		json_object_object_add(
		    o, "name", json_object_new_string(f[i].si.name));
		json_object_object_add(
		    o, "hardware", json_object_new_string(f[i].si.hardware));
		json_object_object_add(
		    o, "location", json_object_new_string(f[i].si.location));
		for (k = 0; k < f[i].sg.n_scopes; k++)
			json_object_array_add(
			    sc, json_object_new_string(f[i].sg.scopes[k]));
		json_object_object_add(o, "scopes", sc);
		json_object_object_add(
		    o, "model", json_object_new_string(f[i].model));
		json_object_object_add(
		    o, "serial", json_object_new_string(f[i].serial));
		json_object_object_add(
		    o, "firmware", json_object_new_string(f[i].firmware));
		json_object_object_add(
		    o, "facts", scan_facts_json(&f[i].facts));
		if (with_policy)
			policy_result_json(&f[i].verdict, o);
		json_object_array_add(arr, o);
	}
	puts(json_object_to_json_string_ext(
	    arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
}

int
cli_discover(int argc, char **argv)
{
	struct disc_args a;
	struct discovery *dc;
	struct policy *pol = NULL;
	struct disc_stats st;
	struct found *found;
	char err[512] = "";
	size_t n;

	memset(&a, 0, sizeof(a));
	if (parse_args(argc, argv, &a) != 0)
		return 2;
	if (!a.no_policy &&
	    (pol = policy_load(a.policy ? a.policy : cli_default_policy(),
		 a.oui, err, sizeof(err))) == NULL) {
		fprintf(stderr, "camcomply discover: %s\n", err);
		return 2;
	}
	found = calloc(MAX_FOUND, sizeof(*found));
	if (found == NULL ||
	    (dc = discovery_new(&a.disc, NULL, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "camcomply discover: %s\n",
		    found ? err : "out of memory");
		return 2;
	}
	if (err[0] != '\0')
		fprintf(stderr, "camcomply discover: %s\n", err);
	n = collect(dc, a.wait, found);
	discovery_stats(dc, &st);
	discovery_free(dc);
	classify(found, n, pol);
	if (a.json)
		print_json(found, n, pol != NULL);
	else
		print_table(found, n, pol != NULL);
	fprintf(stderr,
	    "camcomply discover: %zu camera(s); %lu probe(s) sent, %lu "
	    "datagram(s) read (%lu SADP and %lu DHIP replies taken), dropped: "
	    "%lu malformed, %lu oversized, %lu spoofed, %lu rate-limited\n",
	    n, st.probes_sent, st.received, st.sadp_seen, st.dhip_seen,
	    st.malformed, st.oversized, st.spoofed,
	    st.rate_limited + st.queue_full);
	policy_free(pol);
	free(found);
	free(a.disc.ifaces);
	free(a.disc.sweeps);
	return 0;
}
