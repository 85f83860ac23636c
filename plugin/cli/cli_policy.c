/*
 * cli_policy.c: `camcomply policy check [FILE]` and `camcomply classify`,
 * the operator's way to test a policy and to ask why a camera gets the
 * verdict it gets.  Main thread only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "policy/policy.h"
#include "common/strutil.h"

#ifndef CAMCOMPLY_DATADIR
#define CAMCOMPLY_DATADIR "/usr/local/share/camcomply"
#endif

struct classify_opts {
	const char *policy;
	const char *oui;
	const char *lists;
	const char *date;
	int zone; /* 0: from the sites */
	int json;
	struct cam_identity id;
};

const char *
cli_default_policy(void)
{
	const char *env = getenv("CAMCOMPLY_POLICY");

	return env != NULL && *env != '\0' ? env
					   : CAMCOMPLY_DATADIR "/policy.xml";
}

/* A list's resulting members, and what defines them. */
static void
print_members(const struct policy *pol, size_t l)
{
	char j[64];
	size_t m, n = 0;

	policy_list_jurisdictions(pol, l, j, sizeof(j));
	printf("      %s%s%s:", j[0] ? "makers based in " : "named makers", j,
	    j[0] ? " and named makers" : "");
	for (m = 0; m < policy_maker_count(pol); m++)
		if (policy_list_covers(pol, l, m)) {
			printf(" %s", policy_maker_id(pol, m));
			n++;
		}
	printf("%s (%zu)\n", n ? "" : " none", n);
}

static const char *
country_of(const struct policy *pol, size_t i)
{
	return policy_maker_country(pol, policy_maker_id(pol, i));
}

/* Makers per jurisdiction, "?" for those that do not say. */
static void
print_based(const struct policy *pol)
{
	size_t nm = policy_maker_count(pol), i, k;
	const char *cc;

	printf("based     (makers per country where they or their parent are "
	       "based)\n");
	for (i = 0; i < nm; i++) {
		cc = country_of(pol, i);
		for (k = 0; k < i && strcmp(country_of(pol, k), cc) != 0; k++)
			;
		if (k < i)
			continue; /* printed with its first maker */
		printf("  %-2s ", cc[0] ? cc : "?");
		for (k = i; k < nm; k++)
			if (strcmp(country_of(pol, k), cc) == 0)
				printf(" %s", policy_maker_id(pol, k));
		printf("\n");
	}
}

static void
print_rules(const struct policy *pol)
{
	char buf[256];
	size_t i;

	printf("zone rules %zu\n", policy_zone_rule_count(pol));
	for (i = 0; i < policy_zone_rule_count(pol); i++) {
		policy_zone_rule_describe(pol, i, buf, sizeof(buf));
		printf("  %s\n", buf);
	}
}

/* Makers without <based>: the jurisdiction lists and rules miss them. */
static void
warn_unbased(const struct policy *pol)
{
	size_t i;

	for (i = 0; i < policy_maker_count(pol); i++)
		if (country_of(pol, i)[0] == '\0')
			fprintf(stderr,
			    "camcomply: warning: %s: maker '%s' has no "
			    "<based>: lists by jurisdiction and zone rules "
			    "cannot see it\n",
			    policy_path(pol), policy_maker_id(pol, i));
}

static void
print_check(const struct policy *pol)
{
	struct policy_counts c;
	size_t i;

	policy_get_counts(pol, &c);
	printf("policy    %s\n", policy_path(pol));
	printf("version   %s\n", policy_version(pol));
	printf("date      %s\n", policy_date(pol));
	printf("lists     (* = active)\n");
	for (i = 0; i < policy_list_count(pol); i++) {
		printf("  %c %-14s %s\n",
		    policy_list_active(pol, i) ? '*' : ' ',
		    policy_list_id(pol, i), policy_list_name(pol, i));
		print_members(pol, i);
	}
	printf(
	    "makers    %zu (%zu on a list)\n", c.makers, c.restricted_makers);
	print_based(pol);
	print_rules(pol);
	printf("brands    %zu names and sub-brands, %zu OEM brands\n", c.brands,
	    c.oem);
	printf("patterns  %zu regexes, %zu OUI organisation patterns, "
	       "%zu OUI prefixes, %zu component makers (%zu organisations)\n",
	    c.patterns, c.oui_patterns, c.oui_prefixes, c.components,
	    c.module_makers);
	printf("facts     %zu matchers of what cameras say without "
	       "credentials, %zu page markers\n",
	    c.facts, c.markers);
	printf("sources   %zu\n", c.sources);
	printf("sites     %zu\n", c.sites);
	printf("waivers   %zu\n", c.waivers);
	if (policy_oui_entries(pol) > 0)
		printf("registry  %zu blocks, dated %s\n",
		    policy_oui_entries(pol), policy_oui_date(pol));
	else
		printf("registry  none loaded\n");
}

int
cli_policy(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"oui-registry", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
	const char *oui = NULL, *path;
	struct policy *pol;
	char err[600];
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
		if (ch != 'o')
			goto usage;
		oui = optarg;
	}
	if (optind >= argc || strcmp(argv[optind], "check") != 0 ||
	    argc - optind > 2)
		goto usage;
	path = optind + 1 < argc ? argv[optind + 1] : cli_default_policy();
	if ((pol = policy_load(path, oui, err, sizeof(err))) == NULL) {
		fprintf(stderr, "camcomply: %s\n", err);
		return 1;
	}
	print_check(pol);
	warn_unbased(pol);
	policy_free(pol);
	return 0;
usage:
	fprintf(stderr,
	    "usage: camcomply policy [--oui-registry DIR] check [FILE]\n");
	return 2;
}

static int
add_mac(struct cam_identity *id, const char *s)
{
	if (id->n_macs == CAM_MACS_MAX ||
	    str_parse_mac(s, id->macs[id->n_macs]) != 0) {
		fprintf(stderr, "camcomply: bad or too many MACs: %s\n", s);
		return -1;
	}
	id->n_macs++;
	return 0;
}

static int
add_scope(struct cam_identity *id, const char *s)
{
	if (id->n_scopes == CAM_SCOPES_MAX) {
		fprintf(stderr, "camcomply: too many scopes\n");
		return -1;
	}
	str_clean(id->scopes[id->n_scopes++], CAM_STR_MAX, s);
	return 0;
}

/* The identity given on the command line, one field per option. */
static int
identity_option(int ch, const char *arg, struct cam_identity *id)
{
	char err[256];

	switch (ch) {
	case 'M':
		str_clean(id->manufacturer, CAM_STR_MAX, arg);
		break;
	case 'm':
		str_clean(id->model, CAM_STR_MAX, arg);
		break;
	case 'f':
		str_clean(id->firmware, CAM_STR_MAX, arg);
		break;
	case 's':
		str_clean(id->serial, CAM_STR_MAX, arg);
		break;
	case 'H':
		str_clean(id->hardware_id, CAM_STR_MAX, arg);
		break;
	case 'A':
		str_clean(id->address, CAM_ADDR_MAX, arg);
		break;
	case 'e':
		str_clean(id->endpoint, CAM_STR_MAX, arg);
		break;
	case 'a':
		return add_mac(id, arg) ? -1 : 0;
	case 'S':
		return add_scope(id, arg) ? -1 : 0;
	case 'F':
		if (policy_fact_arg(id, arg, err, sizeof(err)) != 0) {
			fprintf(stderr, "camcomply: %s\n", err);
			return -1;
		}
		break;
	default:
		return -1;
	}
	return 0;
}

static int
classify_option(int ch, char *arg, struct classify_opts *o)
{
	enum policy_zone z;

	switch (ch) {
	case 'p':
		o->policy = arg;
		break;
	case 'o':
		o->oui = arg;
		break;
	case 'l':
		o->lists = arg;
		break;
	case 'd':
		o->date = arg;
		break;
	case 'j':
		o->json = 1;
		break;
	case 'z':
		if (policy_zone_parse(arg, &z) != 0) {
			fprintf(stderr,
			    "camcomply: zone is sensitive, core or general\n");
			return -1;
		}
		o->zone = (int)z;
		break;
	default:
		return identity_option(ch, arg, &o->id);
	}
	return 0;
}

static int
parse_classify(int argc, char **argv, struct classify_opts *o)
{
	static const struct option lo[] = {
	    {"policy", required_argument, NULL, 'p'},
	    {"oui-registry", required_argument, NULL, 'o'},
	    {"lists", required_argument, NULL, 'l'},
	    {"zone", required_argument, NULL, 'z'},
	    {"date", required_argument, NULL, 'd'},
	    {"manufacturer", required_argument, NULL, 'M'},
	    {"model", required_argument, NULL, 'm'},
	    {"firmware", required_argument, NULL, 'f'},
	    {"serial", required_argument, NULL, 's'},
	    {"hardware-id", required_argument, NULL, 'H'},
	    {"mac", required_argument, NULL, 'a'},
	    {"scope", required_argument, NULL, 'S'},
	    {"address", required_argument, NULL, 'A'},
	    {"endpoint", required_argument, NULL, 'e'},
	    {"fact", required_argument, NULL, 'F'},
	    {"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1)
		if (classify_option(ch, optarg, o) != 0)
			return -1;
	return optind == argc ? 0 : -1;
}

static void
print_result(const struct policy_result *r)
{
	char ev[320] = "";
	int b;

	for (b = 0; b < EV_COUNT; b++)
		if (r->evidence & POLICY_EV(b))
			snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev),
			    "%s%s", ev[0] ? ", " : "", policy_evidence_name(b));
	printf("verdict     %s\n", policy_verdict_name(r->verdict));
	if (r->maker[0] != '\0')
		printf("maker       %s (%s)\n", r->maker, r->maker_name);
	else if (r->suspect[0] != '\0')
		printf("suspect     %s\n", r->suspect);
	if (r->brand[0] != '\0')
		printf("brand       %s\n", r->brand);
	if (r->jurisdiction[0] != '\0')
		printf("based in    %s\n", r->jurisdiction);
	printf("lists       %s\n", r->lists[0] ? r->lists : "-");
	printf("evidence    %s\n", ev[0] ? ev : "-");
	printf("confidence  %d%s\n", r->confidence,
	    r->conflict ? " (signals conflict)" : "");
	printf("zone        %s%s%s\n", policy_zone_name(r->zone),
	    r->site[0] ? ", site " : "", r->site);
	printf("action      %s%s%s\n", policy_action_name(r->action),
	    r->zone_rule[0] ? ", by zone rule " : "", r->zone_rule);
	if (r->waiver[0] != '\0')
		printf("waiver      %s\n", r->waiver);
	if (r->mac_vendor[0] != '\0')
		printf("mac vendor  %s\n", r->mac_vendor);
	printf("reason      %s\n", r->reason);
}

static int
now_from(const char *date, time_t *now)
{
	struct tm tm;
	char *end;

	*now = time(NULL);
	if (date == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(date, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0') {
		fprintf(stderr, "camcomply: --date wants YYYY-MM-DD\n");
		return -1;
	}
	*now = timegm(&tm) + 43200; /* midday UTC */
	return 0;
}

int
cli_classify(int argc, char **argv)
{
	struct classify_opts o;
	struct policy *pol;
	struct policy_result r;
	struct json_object *obj;
	char err[600];
	time_t now;

	memset(&o, 0, sizeof(o));
	if (parse_classify(argc, argv, &o) != 0 || now_from(o.date, &now)) {
		fprintf(stderr,
		    "usage: camcomply classify [--policy FILE] "
		    "[--oui-registry DIR] [--lists a,b]\n"
		    "         [--zone sensitive|core|general] [--date YYYY-MM-DD] "
		    "--manufacturer M --model X\n"
		    "         [--firmware F] [--serial S] [--hardware-id H] "
		    "[--mac MAC]... [--scope URI]...\n"
		    "         [--address IP] [--endpoint URN] "
		    "[--fact [PROBE:]KIND=TEXT]... [--json]\n");
		return 2;
	}
	pol = policy_load(o.policy ? o.policy : cli_default_policy(), o.oui,
	    err, sizeof(err));
	if (pol == NULL ||
	    (o.lists != NULL &&
		policy_set_lists(pol, o.lists, err, sizeof(err)))) {
		fprintf(stderr, "camcomply: %s\n", err);
		policy_free(pol);
		return 1;
	}
	policy_evaluate(pol, &o.id, now, &r);
	if (o.zone != 0)
		policy_result_set_zone(&r, (enum policy_zone)o.zone);
	if (o.json) {
		obj = json_object_new_object();
		policy_result_json(&r, obj);
		printf("%s\n",
		    json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PRETTY |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(obj);
	} else
		print_result(&r);
	policy_free(pol);
	return 0;
}
