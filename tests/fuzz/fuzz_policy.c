/*
 * fuzz_policy.c: libFuzzer target for the policy engine's classification
 * (policy/policy_eval.c) and the IEEE registry lookups under it.
 *
 * Loaded once: the shipped data/policy.xml with its default lists, the same
 * with every list active and sites added, and tests/data/policy-small.xml
 * (sites and waivers), all with the registry of tests/data/oui.
 *
 * Input: one byte of options, then the fields of a struct cam_identity, a
 * line each: manufacturer, model, firmware, serial, hardware_id, hostname,
 * endpoint, address, the MACs (spellings str_parse_mac takes, separated
 * by spaces), then one scope a line, or a fact as `classify --fact` takes
 * it ("fact PROBE:KIND=TEXT", policy_fact_arg(), the facts a collector
 * would have added: SADP, DHIP, HTTP, RTSP, TLS).  Options: bits 0-1 the policy
 * (0 and 3: shipped, 1: all lists and sites, 2: small), bits 2-3 the time (now,
 * when the small policy's waivers are in force, after, 1970), bit 4 the
 * fields as given, else cleaned as a poll or discovery cleans them.
 *
 * Checked: the result is the same twice over (nothing uninitialised
 * decides it), its enums and counts in range, every string ends in its
 * field, a verdict names a maker exactly when it is not unidentified, a
 * restricted one names its lists; from clean fields, clean strings out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/strutil.h"
#include "policy/policy.h"

#include "fuzz.h"

static struct policy *pols[3];

static struct policy *
load(const char *rel)
{
	char path[1024], oui[1024], err[1024];
	struct policy *p;

	snprintf(path, sizeof(path), "%s", fuzz_srcpath(rel));
	snprintf(oui, sizeof(oui), "%s", fuzz_srcpath("tests/data/oui"));
	if ((p = policy_load(path, oui, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_policy: %s\n", err);
		abort();
	}
	return p;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];

	(void)argc, (void)argv;
	/* policy-small.xml has no policy.xsd beside it: the shipped one. */
	setenv("CAMCOMPLY_POLICY_SCHEMA", fuzz_srcpath("data/policy.xsd"), 0);
	pols[0] = load("data/policy.xml");
	pols[1] = load("data/policy.xml");
	pols[2] = load("tests/data/policy-small.xml");
	if (policy_set_lists(pols[1], "uk-nsl,ndaa-889,fcc-covered", err,
		sizeof(err)) != 0 ||
	    policy_add_site(pols[1], "hq", "192.0.2.0/24", "sensitive", err,
		sizeof(err)) != 0 ||
	    policy_add_site(
		pols[1], "core", "10.0.0.0/8", "core", err, sizeof(err)) != 0 ||
	    policy_add_site(pols[1], "v6", "2001:db8::/48", "sensitive", err,
		sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_policy: %s\n", err);
		abort();
	}
	return 0;
}

static void
field(struct fuzz_in *in, char *dst, size_t dstsz, bool raw)
{
	char line[1024];

	fin_line(in, line, sizeof(line));
	if (raw)
		str_lcpy(dst, line, dstsz);
	else
		str_clean(dst, dstsz, line);
}

/* A fact as `classify --fact` takes it: refused with a reason, or added. */
static void
add_fact(struct cam_identity *id, const char *arg)
{
	char err[256];
	size_t n = id->facts.n;

	err[0] = '\0';
	if (policy_fact_arg(id, arg, err, sizeof(err)) != 0) {
		fuzz_check_str(err, sizeof(err), false);
		FUZZ_CHECK(err[0] != '\0' && id->facts.n == n);
	} else
		FUZZ_CHECK(id->facts.n <= n + 1);
}

static void
read_identity(struct fuzz_in *in, struct cam_identity *id, bool raw)
{
	char macs[1024], line[1024], *tok, *save = NULL;

	field(in, id->manufacturer, sizeof(id->manufacturer), raw);
	field(in, id->model, sizeof(id->model), raw);
	field(in, id->firmware, sizeof(id->firmware), raw);
	field(in, id->serial, sizeof(id->serial), raw);
	field(in, id->hardware_id, sizeof(id->hardware_id), raw);
	field(in, id->hostname, sizeof(id->hostname), raw);
	field(in, id->endpoint, sizeof(id->endpoint), raw);
	field(in, id->address, sizeof(id->address), raw);
	fin_line(in, macs, sizeof(macs));
	for (tok = strtok_r(macs, " ", &save);
	     tok != NULL && id->n_macs < CAM_MACS_MAX;
	     tok = strtok_r(NULL, " ", &save))
		if (str_parse_mac(tok, id->macs[id->n_macs]) == 0)
			id->n_macs++;
	while (in->n > 0 && id->n_scopes < CAM_SCOPES_MAX) {
		fin_line(in, line, sizeof(line));
		if (strncmp(line, "fact ", 5) == 0)
			add_fact(id, line + 5);
		else if (raw)
			str_lcpy(id->scopes[id->n_scopes++], line, CAM_STR_MAX);
		else
			str_clean(
			    id->scopes[id->n_scopes++], CAM_STR_MAX, line);
	}
	fuzz_check_facts(&id->facts);
}

static void
check_result(const struct policy_result *r, bool clean)
{
	FUZZ_CHECK(r->verdict >= VERDICT_COMPLIANT &&
	    r->verdict <= VERDICT_UNIDENTIFIED);
	FUZZ_CHECK(r->action >= ACTION_NONE && r->action <= ACTION_INVESTIGATE);
	FUZZ_CHECK(r->zone >= ZONE_GENERAL && r->zone <= ZONE_SENSITIVE);
	FUZZ_CHECK(r->confidence >= 0 && r->confidence <= 100);
	FUZZ_CHECK(r->evidence < POLICY_EV(EV_COUNT));
	fuzz_check_str(r->maker, sizeof(r->maker), true);
	fuzz_check_str(r->maker_name, sizeof(r->maker_name), true);
	fuzz_check_str(r->suspect, sizeof(r->suspect), true);
	fuzz_check_str(r->lists, sizeof(r->lists), true);
	fuzz_check_str(r->site, sizeof(r->site), true);
	fuzz_check_str(r->waiver, sizeof(r->waiver), true);
	fuzz_check_str(r->reason, sizeof(r->reason), clean);
	fuzz_check_str(r->mac_vendor, sizeof(r->mac_vendor), false);
	FUZZ_CHECK(
	    (r->maker[0] != '\0') == (r->verdict != VERDICT_UNIDENTIFIED));
	if (r->verdict == VERDICT_RESTRICTED)
		FUZZ_CHECK(r->lists[0] != '\0');
	FUZZ_CHECK((r->waiver[0] != '\0') == (r->waiver_expires != 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Static and zeroed once, as store_classify() keeps it. */
	static struct cam_identity id;
	static const time_t times[] = {1767225600, 1735689600, 1798761600, 0};
	struct policy_result r1, r2;
	struct fuzz_in in = {data, size};
	struct json_object *obj;
	uint8_t flags = fin_u8(&in);
	bool raw = flags & 0x10;
	const struct policy *pol = pols[(flags & 3) % 3];
	time_t now = times[(flags >> 2) & 3];

	memset(&id, 0, sizeof(id));
	read_identity(&in, &id, raw);
	policy_evaluate(pol, &id, now, &r1);
	policy_evaluate(pol, &id, now, &r2);
	FUZZ_CHECK(memcmp(&r1, &r2, sizeof(r1)) == 0);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "%s %s (%d%%): %s\n",
		    policy_verdict_name(r1.verdict), r1.maker, r1.confidence,
		    r1.reason);
	check_result(&r1, !raw);
	if ((obj = json_object_new_object()) == NULL)
		abort();
	policy_result_json(&r1, obj);
	json_object_put(obj);
	return 0;
}
