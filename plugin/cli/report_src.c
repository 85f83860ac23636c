/*
 * report_src.c: the report from a file: a camcomplyd state file (read by
 * the daemon's own loader, store_read(), then classified by the policy as
 * the daemon does at start) or the JSON of `camcomply scan --json`.  The
 * kind is told from the content.  Main thread only.
 */
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/store.h"
#include "agent/store_int.h"
#include "cli/cli.h"
#include "cli/report.h"
#include "common/strutil.h"
#include "policy/policy.h"

/* Evidence bits as their names, space-separated. */
static void
evidence_text(uint32_t ev, char *buf, size_t bufsz)
{
	size_t n = 0;
	int b;

	buf[0] = '\0';
	for (b = 0; b < 32 && n + 1 < bufsz; b++) {
		const char *name;
		if (!(ev & (1u << b)) ||
		    (name = policy_evidence_name(b)) == NULL)
			continue;
		n += (size_t)snprintf(
		    buf + n, bufsz - n, "%s%s", n ? " " : "", name);
	}
}

static int
put_device(struct report *r, const struct device *d)
{
	const struct row_verdict *v = &d->verdict;
	struct report_cam *c = report_add(r);
	char mac[18] = "", ev[512], addr[CAM_ADDR_MAX];
	int rc = 0;

	if (c == NULL)
		return -1;
	if (d->id.n_macs > 0)
		str_format_mac(d->id.macs[0], mac, sizeof(mac));
	evidence_text(v->evidence, ev, sizeof(ev));
	str_lcpy(addr, d->id.address, sizeof(addr));
	if (addr[0] == '\0')
		store_url_host(d->key, addr, sizeof(addr));
	rc |= report_set(c, RF_ADDRESS, addr);
	rc |= report_set(c, RF_URL, d->key);
	rc |= report_set(c, RF_SITE, v->site);
	rc |= report_set(c, RF_ZONE, policy_zone_name(v->zone));
	rc |= report_set(c, RF_VERDICT, policy_verdict_name(v->verdict));
	rc |= report_set(c, RF_ACTION, policy_action_name(v->action));
	rc |= report_set(c, RF_MAKER, v->maker[0] ? v->maker : v->suspect);
	rc |= report_set(c, RF_BRAND, v->brand);
	rc |= report_set(c, RF_JURISDICTION, v->jurisdiction);
	rc |= report_set(c, RF_MANUFACTURER, d->id.manufacturer);
	rc |= report_set(c, RF_MODEL, d->id.model);
	rc |= report_set(c, RF_FIRMWARE, d->id.firmware);
	rc |= report_set(c, RF_SERIAL, d->id.serial);
	rc |= report_set(c, RF_MAC, mac);
	rc |= report_set(c, RF_EVIDENCE, ev);
	rc |= report_set(c, RF_LISTS, v->lists);
	rc |= report_set(c, RF_REASON, v->reason);
	return rc;
}

/*
 * The policy as the daemon builds it: its file, and with the daemon's
 * configuration, its lists and sites.  NULL with err set.
 */
static struct policy *
load_policy(
    const char *policy_file, const struct config *cfg, char *err, size_t errsz)
{
	struct policy *pol;
	size_t i;

	if (policy_file == NULL)
		policy_file = cfg != NULL ? cfg->policy : cli_default_policy();
	pol = policy_load(
	    policy_file, cfg != NULL ? cfg->oui_registry : NULL, err, errsz);
	if (pol == NULL || cfg == NULL)
		return pol;
	if (cfg->lists[0] != '\0' &&
	    policy_set_lists(pol, cfg->lists, err, errsz) != 0)
		goto fail;
	for (i = 0; i < cfg->n_sites; i++)
		if (policy_add_site(pol, cfg->sites[i].name, cfg->sites[i].cidr,
			cfg->sites[i].zone, err, errsz) != 0)
			goto fail;
	return pol;
fail:
	policy_free(pol);
	return NULL;
}

static int
from_state(struct report *r, const char *buf, size_t len,
    const struct report_file_opts *o, char *err, size_t errsz)
{
	struct config *cfg = NULL;
	struct policy *pol = NULL;
	struct store *s = NULL;
	FILE *f = NULL;
	size_t i;
	int rc = -1;

	r->kind = "state file";
	if (o->config != NULL) {
		/* Its reader's handlers (Net-SNMP's config reader). */
		config_init();
		cfg = config_read(o->config);
		config_shutdown();
		if (cfg == NULL) {
			snprintf(err, errsz,
			    "%s: not a usable camcomplyd configuration",
			    o->config);
			return -1;
		}
	}
	if ((pol = load_policy(o->policy, cfg, err, errsz)) == NULL)
		goto out;
	if ((s = store_new(NULL)) == NULL ||
	    (f = fmemopen((void *)buf, len, "r")) == NULL) {
		snprintf(err, errsz, "%s: out of memory", r->source);
		goto out;
	}
	if (store_read(s, f, r->source, err, errsz) != 0)
		goto out;
	/* As camcomplyd starts: the configured cameras, their sites. */
	if (cfg != NULL)
		store_sync_config(s, cfg, time(NULL));
	store_reclassify(s, pol, time(NULL), NULL, NULL);
	for (i = 0; i < store_count(s); i++)
		if (put_device(r, store_at(s, i)) != 0) {
			snprintf(err, errsz,
			    "%s: too many cameras or out of memory", r->source);
			goto out;
		}
	if (report_meta(&r->policy_version, policy_version(pol)) ||
	    report_meta(&r->policy_date, policy_date(pol)) ||
	    report_meta(&r->registry_date, policy_oui_date(pol))) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	store_free(s);
	policy_free(pol);
	config_free(cfg);
	return rc;
}

/* ---- scan --json -----------------------------------------------------------
 */

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/* A string array's items joined by sep (cut at bufsz). */
static const char *
jjoin(struct json_object *o, const char *key, const char *sep, char *buf,
    size_t bufsz, size_t max)
{
	struct json_object *a, *v;
	size_t i, n = 0;

	buf[0] = '\0';
	if (!json_object_object_get_ex(o, key, &a) ||
	    !json_object_is_type(a, json_type_array))
		return buf;
	for (i = 0; i < json_object_array_length(a) && i < max; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		n += (size_t)snprintf(buf + n, bufsz - n, "%s%s", n ? sep : "",
		    json_object_get_string(v));
		if (n >= bufsz) {
			break;
		}
	}
	return buf;
}

static int
put_scanned(struct report *r, struct json_object *o)
{
	struct report_cam *c = report_add(r);
	char ev[REPORT_FIELD_MAX], lists[REPORT_FIELD_MAX], mac[64];
	const char *maker = jstr(o, "maker");
	int rc = 0;

	if (c == NULL)
		return -1;
	if (*maker == '\0')
		maker = jstr(o, "suspect");
	rc |= report_set(c, RF_ADDRESS,
	    *jstr(o, "address") ? jstr(o, "address") : jstr(o, "target"));
	rc |= report_set(c, RF_URL, jstr(o, "xaddr"));
	rc |= report_set(c, RF_SITE, jstr(o, "site"));
	rc |= report_set(c, RF_ZONE, jstr(o, "zone"));
	rc |= report_set(c, RF_VERDICT, jstr(o, "verdict"));
	rc |= report_set(c, RF_ACTION, jstr(o, "action"));
	rc |= report_set(c, RF_MAKER, maker);
	rc |= report_set(c, RF_BRAND, jstr(o, "brand"));
	rc |= report_set(c, RF_JURISDICTION, jstr(o, "jurisdiction"));
	rc |= report_set(c, RF_MANUFACTURER, jstr(o, "manufacturer"));
	rc |= report_set(c, RF_MODEL, jstr(o, "model"));
	rc |= report_set(c, RF_FIRMWARE, jstr(o, "firmware"));
	rc |= report_set(c, RF_SERIAL, jstr(o, "serial"));
	rc |= report_set(c, RF_MAC, jjoin(o, "macs", "", mac, sizeof(mac), 1));
	rc |= report_set(
	    c, RF_EVIDENCE, jjoin(o, "evidence", " ", ev, sizeof(ev), 64));
	rc |= report_set(
	    c, RF_LISTS, jjoin(o, "lists", ",", lists, sizeof(lists), 64));
	rc |= report_set(c, RF_REASON,
	    *jstr(o, "reason") ? jstr(o, "reason") : jstr(o, "error"));
	return rc;
}

/* The policy that judged the scan, from its first camera that names one. */
static int
scan_meta(struct report *r, struct json_object *o)
{
	if (*r->policy_version != '\0' || *jstr(o, "policy_version") == '\0')
		return 0;
	return report_meta(&r->policy_version, jstr(o, "policy_version")) ||
	    report_meta(&r->policy_date, jstr(o, "policy_date")) ||
	    report_meta(&r->registry_date, jstr(o, "registry_date"));
}

static int
from_scan(
    struct report *r, const char *buf, size_t len, char *err, size_t errsz)
{
	struct json_tokener *tok = json_tokener_new_ex(16);
	struct json_object *root;
	size_t i;
	int rc = 0;

	r->kind = "scan json";
	if (tok == NULL || len > INT32_MAX) {
		snprintf(err, errsz, "%s: out of memory", r->source);
		json_tokener_free(tok);
		return -1;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (root == NULL ||
	    json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(root, json_type_array)) {
		snprintf(err, errsz, "%s: not the JSON of camcomply scan: %s",
		    r->source,
		    root == NULL
			? json_tokener_error_desc(json_tokener_get_error(tok))
			: "not an array");
		json_object_put(root);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	for (i = 0; i < json_object_array_length(root) && rc == 0; i++) {
		struct json_object *o = json_object_array_get_idx(root, i);
		if (!json_object_is_type(o, json_type_object)) {
			snprintf(err, errsz, "%s: element %zu is not an object",
			    r->source, i);
			rc = -1;
		} else if (put_scanned(r, o) != 0 || scan_meta(r, o) != 0) {
			snprintf(err, errsz,
			    "%s: too many cameras or out of memory", r->source);
			rc = -1;
		}
	}
	json_object_put(root);
	return rc;
}

int
report_from_bytes(struct report *r, const char *buf, size_t len,
    const struct report_file_opts *o, char *err, size_t errsz)
{
	size_t i = 0;

	if (statefile_sniff(buf, len))
		return from_state(r, buf, len, o, err, errsz);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", buf[i]) != NULL && buf[i] != '\0')
		i++;
	if (i < len && buf[i] == '[')
		return from_scan(r, buf + i, len - i, err, errsz);
	snprintf(err, errsz,
	    "%s: not a camcomplyd state file nor the JSON of "
	    "`camcomply scan --json`",
	    r->source);
	return -1;
}
