/*
 * store_fixture.c: see store_fixture.h.
 */
#include <string.h>

#include "store_fixture.h"
#include "agent/config.h"
#include "common/strutil.h"

struct policy *
fx_policy(const char *oui, const char *site)
{
	char err[512];
	struct policy *pol =
	    policy_load(TOP_SRCDIR "/data/policy.xml", oui, err, sizeof(err));

	ck_assert_msg(pol != NULL, "policy: %s", err);
	if (site != NULL)
		ck_assert_int_eq(policy_add_site(pol, site, "192.0.2.0/24",
				     "sensitive", err, sizeof(err)),
		    0);
	return pol;
}

struct device *
fx_camera(struct store *s, const char *url, time_t now)
{
	struct cfg_camera c;

	memset(&c, 0, sizeof(c));
	str_lcpy(c.url, url, sizeof(c.url));
	return store_add_camera(s, &c, now);
}

void
fx_hik_result(struct onvif_result *r, const char *fw, const char *serial)
{
	memset(r, 0, sizeof(*r));
	r->status = ONVIF_OK;
	str_lcpy(r->id.manufacturer, "HIKVISION", CAM_STR_MAX);
	str_lcpy(r->id.model, "DS-2CD2143G2-I", CAM_STR_MAX);
	str_lcpy(r->id.firmware, fw, CAM_STR_MAX);
	str_lcpy(r->id.serial, serial, CAM_STR_MAX);
	str_lcpy(r->id.address, "192.0.2.10", CAM_ADDR_MAX);
	str_parse_mac("28:57:be:3a:51:0c", r->id.macs[0]);
	r->id.n_macs = 1;
}

void
fx_fact(struct onvif_result *r, enum cam_fact_kind k, enum cam_probe p,
    const char *text)
{
	cam_fact_add(&r->id.facts, k, p, text, strlen(text));
	r->id.facts.answered |= CAM_PROBE(p);
}
