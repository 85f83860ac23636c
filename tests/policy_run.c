/*
 * policy_run.c: the case-table runner shared by the policy unit tests
 * (check_policy.c, check_policy_makers.c): a case's identity built from
 * its fields, and its expectations checked against a result.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"
#include "policy_cases.h"
#include "common/strutil.h"

time_t
pcase_day(const char *ymd)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	ck_assert_ptr_nonnull(strptime(ymd, "%Y-%m-%d", &tm));
	return timegm(&tm) + 43200;
}

void
pcase_fill(struct cam_identity *id, const struct pcase *c)
{
	char buf[1024], *w, *save = NULL;
	size_t i;

	memset(id, 0, sizeof(*id));
	str_lcpy(id->manufacturer, c->mfr ? c->mfr : "", CAM_STR_MAX);
	str_lcpy(id->model, c->model ? c->model : "", CAM_STR_MAX);
	str_lcpy(id->firmware, c->fw ? c->fw : "", CAM_STR_MAX);
	str_lcpy(id->serial, c->serial ? c->serial : "", CAM_STR_MAX);
	str_lcpy(id->hardware_id, c->hwid ? c->hwid : "", CAM_STR_MAX);
	str_lcpy(id->endpoint, c->endpoint ? c->endpoint : "", CAM_STR_MAX);
	str_lcpy(id->address, c->address ? c->address : "", CAM_ADDR_MAX);
	str_lcpy(buf, c->macs ? c->macs : "", sizeof(buf));
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		ck_assert_int_eq(str_parse_mac(w, id->macs[id->n_macs++]), 0);
	save = NULL;
	str_lcpy(buf, c->scopes ? c->scopes : "", sizeof(buf));
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		str_lcpy(id->scopes[id->n_scopes++], w, CAM_STR_MAX);
	for (i = 0; i < CASE_FACTS_MAX && c->facts[i] != NULL; i++)
		ck_assert_msg(
		    policy_fact_arg(id, c->facts[i], buf, sizeof(buf)) == 0,
		    "%s: %s", c->name, buf);
}

void
pcase_check(const struct pcase *c, const struct policy_result *r)
{
	const char *who =
	    r->verdict == VERDICT_UNIDENTIFIED ? r->suspect : r->maker;

	ck_assert_msg(r->verdict == c->verdict, "%s: verdict %s (%s)", c->name,
	    policy_verdict_name(r->verdict), r->reason);
	if (c->who != NULL)
		ck_assert_msg(strcmp(who, c->who) == 0,
		    "%s: maker/suspect '%s' not '%s' (%s)", c->name, who,
		    c->who, r->reason);
	ck_assert_msg((r->evidence & c->ev) == c->ev,
	    "%s: evidence %#x lacks %#x (%s)", c->name, r->evidence, c->ev,
	    r->reason);
	ck_assert_msg((r->evidence & c->ev_not) == 0,
	    "%s: evidence %#x has %#x", c->name, r->evidence, c->ev_not);
	if (c->action != 0)
		ck_assert_msg(r->action == c->action, "%s: action %s (%s)",
		    c->name, policy_action_name(r->action), r->reason);
	if (c->reason != NULL)
		ck_assert_msg(strstr(r->reason, c->reason) != NULL,
		    "%s: reason '%s' lacks '%s'", c->name, r->reason,
		    c->reason);
	if (c->conflict != 0)
		ck_assert_msg(r->conflict == (c->conflict > 0),
		    "%s: conflict %d (%s)", c->name, r->conflict, r->reason);
	if (c->site != NULL)
		ck_assert_msg(strcmp(r->site, c->site) == 0, "%s: site '%s'",
		    c->name, r->site);
	if (c->brand != NULL)
		ck_assert_msg(strcmp(r->brand, c->brand) == 0,
		    "%s: brand '%s' not '%s' (%s)", c->name, r->brand, c->brand,
		    r->reason);
}

int
pcase_run(Suite *su)
{
	/* Bad fixtures have no schema beside them: use the source tree's. */
	setenv("CAMCOMPLY_POLICY_SCHEMA", TOP_SRCDIR "/data/policy.xsd", 1);
	return cr_run(su, CK_FORK_GETENV);
}
