/*
 * store_fixture.h: what the store and MIB unit tests (check_store,
 * check_store_facts, check_store_unauth, check_mib, check_mib_probe)
 * build their cases from: the shipped policy with a site, a configured
 * camera, a Hikvision poll result, facts; check_run.h for the rest.
 * tests/store_fixture.c; main thread.
 */
#ifndef STORE_FIXTURE_H
#define STORE_FIXTURE_H

#include <stddef.h>
#include <time.h>

#include "check_run.h"
#include "agent/store.h"

/*
 * The shipped policy with the registry in oui ("": none) and, when site
 * is not NULL, that site on 192.0.2.0/24 in the sensitive zone (asserts).
 */
struct policy *fx_policy(const char *oui, const char *site);
/* A configured camera of url added to s at now. */
struct device *fx_camera(struct store *s, const char *url, time_t now);
/* A Hikvision named over ONVIF at 192.0.2.10 with one MAC. */
void fx_hik_result(struct onvif_result *r, const char *fw, const char *serial);
/* A fact of kind k from probe p, which answered. */
void fx_fact(struct onvif_result *r, enum cam_fact_kind k, enum cam_probe p,
    const char *text);
#endif
