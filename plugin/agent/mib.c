/*
 * mib.c: CAMERA-COMPLIANCE-MIB over AgentX.
 *
 * Owns the registrations (summary scalars, camDeviceTable through
 * table_container so GETNEXT is a binary search and a walk is linear),
 * the one getter that turns a device column into an SNMP value, and the
 * notifications, which are built from that same getter so a trap never
 * says something a GET would not.  Main thread only: the rows point at
 * struct device owned by the store, which only the main thread changes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/mib.h"
#include "common/strutil.h"

/* netSnmpPlaypen.3102: the one place the arc is defined (see README). */
#define CAM_MIB_ARC 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 3102

static const oid summary_oid[] = {CAM_MIB_ARC, 1, 1};
static const oid table_oid[] = {CAM_MIB_ARC, 1, 2};
static const oid disc_oid[] = {CAM_MIB_ARC, 1, 4};
static const oid entry_oid[] = {CAM_MIB_ARC, 1, 2, 1};
static const oid notify_prev_oid[] = {CAM_MIB_ARC, 1, 3, 1, 0};
static const oid notifications_oid[] = {CAM_MIB_ARC, 0};
static const oid snmptrap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

enum summary_col {
	S_POLICY_VERSION = 1,
	S_REGISTRY_DATE,
	S_LAST_POLL,
	S_TOTAL,
	S_COMPLIANT,
	S_RESTRICTED,
	S_UNIDENTIFIED,
	S_UNREACHABLE,
	S_RESTRICTED_SENSITIVE,
	S_RESTRICTED_CORE,
	S_POLICY_DATE,
	S_ACTIVE_LISTS,
	S_ROUNDS,
	S_LAST = S_ROUNDS
};

enum dev_col {
	C_ADDRESS_TYPE = 2,
	C_ADDRESS,
	C_SERVICE_URL,
	C_ENDPOINT,
	C_MANUFACTURER,
	C_MODEL,
	C_FIRMWARE,
	C_SERIAL,
	C_HARDWARE_ID,
	C_MAC,
	C_MAC_VENDOR,
	C_SITE,
	C_ZONE,
	C_VERDICT,
	C_MAKER,
	C_EVIDENCE,
	C_REASON,
	C_ACTION,
	C_WAIVER,
	C_POLL_STATUS,
	C_FIRST_SEEN,
	C_LAST_SEEN,
	C_CONFIDENCE,
	C_LISTS,
	C_POLL_DETAIL,
	C_DISCOVERY,
	C_LAST_ANNOUNCED,
	C_TLS_PINNED,
	C_TLS_CERTIFICATE,
	C_FIRST = C_ADDRESS_TYPE,
	C_LAST = C_TLS_CERTIFICATE
};

enum disc_col {
	D_DATAGRAMS = 1,
	D_MALFORMED,
	D_OVERSIZED,
	D_SPOOFED,
	D_OUT_OF_SCOPE,
	D_RATE_LIMITED,
	D_IGNORED,
	D_CAPPED,
	D_PROBES_SENT,
	D_DEVICES,
	D_HOST_CAPPED,
	D_LAST = D_HOST_CAPPED
};

struct mib_row {
	netsnmp_index idx; /* first: the container compares on it */
	oid sub;
	struct device *dev;
};

/* A value ready for snmp_set_var_typed_value or a trap varbind. */
struct colval {
	u_char type;
	const void *ptr;
	size_t len;
	long l;
	u_long ul;
	u_char buf[16];
};

static netsnmp_container *rows;
static netsnmp_handler_registration *table_reg, *summary_reg, *disc_reg;
static struct mib_summary summary;
static char s_version[CAM_STR_MAX], s_date[CAM_STR_MAX];
static char s_registry[CAM_STR_MAX], s_lists[CAM_STR_MAX];

static void
val_str(struct colval *v, const char *s)
{
	v->type = ASN_OCTET_STR;
	v->ptr = s;
	v->len = strlen(s);
}

static void
val_bytes(struct colval *v, const void *p, size_t len)
{
	v->type = ASN_OCTET_STR;
	v->ptr = p;
	v->len = len;
}

static void
val_int(struct colval *v, long l)
{
	v->type = ASN_INTEGER;
	v->l = l;
	v->ptr = &v->l;
	v->len = sizeof(v->l);
}

static void
val_gauge(struct colval *v, u_char type, u_long ul)
{
	v->type = type;
	v->ul = ul;
	v->ptr = &v->ul;
	v->len = sizeof(v->ul);
}

/* DateAndTime in UTC, 11 octets; the epoch stands for "never". */
static void
val_date(struct colval *v, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	v->buf[0] = (u_char)((tm.tm_year + 1900) >> 8);
	v->buf[1] = (u_char)((tm.tm_year + 1900) & 0xff);
	v->buf[2] = (u_char)(tm.tm_mon + 1);
	v->buf[3] = (u_char)tm.tm_mday;
	v->buf[4] = (u_char)tm.tm_hour;
	v->buf[5] = (u_char)tm.tm_min;
	v->buf[6] = (u_char)(tm.tm_sec > 59 ? 59 : tm.tm_sec);
	v->buf[7] = 0;
	v->buf[8] = '+';
	v->buf[9] = 0;
	v->buf[10] = 0;
	v->type = ASN_OCTET_STR;
	v->ptr = v->buf;
	v->len = 11;
}

/*
 * The address the camera is polled at: what a poll or a sighting saw, else
 * (never reached) its service URL's host, a name until a poll resolves it:
 * dns(16), the name's octets straight from d->key.
 */
static void
val_address(struct colval *v, const struct device *d, bool type_only)
{
	const char *h = d->id.address;
	size_t n = strlen(h);
	char host[CAM_STR_MAX];

	if (n == 0) {
		h = strstr(d->key, "://");
		h = h != NULL ? h + 3 : d->key;
		n = *h == '[' ? strcspn(++h, "]") : strcspn(h, ":/");
	}
	snprintf(host, sizeof(host), "%.*s", (int)n, h);
	v->ptr = v->buf;
	if (inet_pton(AF_INET, host, v->buf) == 1) {
		v->len = 4;
		v->l = 1; /* ipv4 */
	} else if (inet_pton(AF_INET6, host, v->buf) == 1) {
		v->len = 16;
		v->l = 2; /* ipv6 */
	} else if (h != d->id.address && n > 0) {
		v->ptr = h;
		v->len = n;
		v->l = 16; /* dns */
	} else {
		v->len = 0;
		v->l = 0; /* unknown */
	}
	if (type_only)
		val_int(v, v->l);
	else
		v->type = ASN_OCTET_STR;
}

static void
val_evidence(struct colval *v, uint32_t bits)
{
	int b;

	memset(v->buf, 0, 2);
	for (b = 0; b < EV_COUNT && b < 16; b++)
		if (bits & POLICY_EV(b))
			v->buf[b / 8] |= (u_char)(0x80 >> (b % 8));
	v->type = ASN_OCTET_STR;
	v->ptr = v->buf;
	v->len = 2;
}

/*
 * camDevicePollStatus: ok(1) ... noCredentials(10), pending(11),
 * certChanged(12).
 */
static long
poll_status_value(int st)
{
	/* Enum values are append-only in the MIB: pending kept its 11. */
	if (st == POLL_PENDING)
		return 11;
	return st == ONVIF_CERT_CHANGED ? 12 : st + 1;
}

static int
device_column(const struct device *d, int col, struct colval *v)
{
	const struct policy_result *p = &d->verdict;

	switch (col) {
	case C_ADDRESS_TYPE:
		val_address(v, d, true);
		break;
	case C_ADDRESS:
		val_address(v, d, false);
		break;
	case C_SERVICE_URL:
		val_str(v, d->key);
		break;
	case C_ENDPOINT:
		val_str(v, d->id.endpoint);
		break;
	case C_MANUFACTURER:
		val_str(v, d->id.manufacturer);
		break;
	case C_MODEL:
		val_str(v, d->id.model);
		break;
	case C_FIRMWARE:
		val_str(v, d->id.firmware);
		break;
	case C_SERIAL:
		val_str(v, d->id.serial);
		break;
	case C_HARDWARE_ID:
		val_str(v, d->id.hardware_id);
		break;
	case C_MAC:
		val_bytes(v, d->id.macs[0], d->id.n_macs > 0 ? 6 : 0);
		break;
	case C_MAC_VENDOR:
		val_str(v, p->mac_vendor);
		break;
	case C_SITE:
		val_str(v, p->site);
		break;
	case C_ZONE:
		val_int(v, p->zone ? p->zone : ZONE_GENERAL);
		break;
	case C_VERDICT:
		val_int(v, p->verdict ? p->verdict : VERDICT_UNIDENTIFIED);
		break;
	case C_MAKER:
		/* Empty when unidentified: the suspect is camDeviceReason's. */
		val_str(v, p->maker);
		break;
	case C_EVIDENCE:
		val_evidence(v, p->evidence);
		break;
	case C_REASON:
		val_str(v, p->reason);
		break;
	case C_ACTION:
		val_int(v, p->action ? p->action : ACTION_NONE);
		break;
	case C_WAIVER:
		val_str(v, p->waiver);
		break;
	case C_POLL_STATUS:
		val_int(v, poll_status_value(d->poll_status));
		break;
	case C_FIRST_SEEN:
		val_date(v, d->first_seen);
		break;
	case C_LAST_SEEN:
		val_date(v, d->last_seen);
		break;
	case C_CONFIDENCE:
		val_gauge(v, ASN_UNSIGNED, (u_long)p->confidence);
		break;
	case C_LISTS:
		val_str(v, p->lists);
		break;
	case C_POLL_DETAIL:
		val_str(v, d->poll_detail);
		break;
	case C_DISCOVERY:
		val_int(v, d->method ? d->method : DISC_CONFIGURED);
		break;
	case C_LAST_ANNOUNCED:
		val_date(v, d->last_announced);
		break;
	case C_TLS_PINNED:
		val_bytes(v, d->tls_pin, d->has_pin ? 32 : 0);
		break;
	case C_TLS_CERTIFICATE:
		val_bytes(v, d->tls_seen, d->has_tls_seen ? 32 : 0);
		break;
	default:
		return -1;
	}
	return 0;
}

static int
table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	netsnmp_request_info *r;
	netsnmp_table_request_info *ti;
	struct mib_row *row;
	struct colval v;

	(void)handler;
	(void)reg;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (r = requests; r != NULL; r = r->next) {
		if (r->processed)
			continue;
		row = netsnmp_container_table_row_extract(r);
		ti = netsnmp_extract_table_info(r);
		if (row == NULL || ti == NULL ||
		    device_column(row->dev, (int)ti->colnum, &v) != 0) {
			netsnmp_set_request_error(
			    reqinfo, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		snmp_set_var_typed_value(r->requestvb, v.type, v.ptr, v.len);
	}
	return SNMP_ERR_NOERROR;
}

static int
summary_column(int col, struct colval *v)
{
	const struct store_counts *c = &summary.counts;

	switch (col) {
	case S_POLICY_VERSION:
		val_str(v, s_version);
		break;
	case S_REGISTRY_DATE:
		val_str(v, s_registry);
		break;
	case S_LAST_POLL:
		val_date(v, summary.last_poll_completed);
		break;
	case S_TOTAL:
		val_gauge(v, ASN_GAUGE, c->total);
		break;
	case S_COMPLIANT:
		val_gauge(v, ASN_GAUGE, c->compliant);
		break;
	case S_RESTRICTED:
		val_gauge(v, ASN_GAUGE, c->restricted);
		break;
	case S_UNIDENTIFIED:
		val_gauge(v, ASN_GAUGE, c->unidentified);
		break;
	case S_UNREACHABLE:
		val_gauge(v, ASN_GAUGE, c->unreachable);
		break;
	case S_RESTRICTED_SENSITIVE:
		val_gauge(v, ASN_GAUGE, c->restricted_sensitive);
		break;
	case S_RESTRICTED_CORE:
		val_gauge(v, ASN_GAUGE, c->restricted_core);
		break;
	case S_POLICY_DATE:
		val_str(v, s_date);
		break;
	case S_ACTIVE_LISTS:
		val_str(v, s_lists);
		break;
	case S_ROUNDS:
		val_gauge(v, ASN_COUNTER, summary.rounds);
		break;
	default:
		return -1;
	}
	return 0;
}

static void (*disc_hook)(struct disc_stats *);

void
mib_set_disc_hook(void (*fn)(struct disc_stats *))
{
	disc_hook = fn;
}

/* Discovery counts move without any sighting: read them live. */
static int
disc_column(int col, struct colval *v)
{
	const struct disc_stats *d = &summary.disc;

	if (disc_hook != NULL)
		disc_hook(&summary.disc);
	unsigned long c[] = {0, d->received, d->malformed, d->oversized,
	    d->spoofed, d->out_of_scope, d->rate_limited + d->queue_full,
	    d->ignored, d->capped, d->probes_sent};

	if (col == D_DEVICES)
		val_gauge(v, ASN_GAUGE, summary.counts.discovered);
	else if (col == D_HOST_CAPPED)
		val_gauge(v, ASN_COUNTER, d->host_capped & 0xffffffffUL);
	else if (col >= D_DATAGRAMS && col < D_DEVICES)
		/* Counter32 wraps, as the SMI says counters do. */
		val_gauge(v, ASN_COUNTER, c[col] & 0xffffffffUL);
	else
		return -1;
	return 0;
}

/* Both scalar groups: the registration says which getter answers. */
static int
summary_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	netsnmp_request_info *r;
	struct colval v;
	size_t base = OID_LENGTH(summary_oid);
	int (*getter)(int, struct colval *) =
	    reg == disc_reg ? disc_column : summary_column;

	(void)handler;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (r = requests; r != NULL; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;
		if (vb->name_length != base + 2 ||
		    getter((int)vb->name[base], &v) != 0) {
			netsnmp_set_request_error(
			    reqinfo, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		snmp_set_var_typed_value(vb, v.type, v.ptr, v.len);
	}
	return SNMP_ERR_NOERROR;
}

void
mib_set_summary(const struct mib_summary *s)
{
	summary = *s;
	str_lcpy(s_version, s->policy_version ? s->policy_version : "",
	    sizeof(s_version));
	str_lcpy(s_date, s->policy_date ? s->policy_date : "", sizeof(s_date));
	str_lcpy(s_registry, s->registry_date ? s->registry_date : "",
	    sizeof(s_registry));
	str_lcpy(
	    s_lists, s->active_lists ? s->active_lists : "", sizeof(s_lists));
}

/* ---- rows follow the store
 * ---------------------------------------------------- */

static void
row_added(struct device *d, void *arg)
{
	struct mib_row *row = calloc(1, sizeof(*row));

	(void)arg;
	if (row == NULL)
		return;
	row->sub = d->index;
	row->idx.len = 1;
	row->idx.oids = &row->sub;
	row->dev = d;
	if (CONTAINER_INSERT(rows, row) != 0) {
		snmp_log(LOG_ERR, "mib: cannot add row %u\n", d->index);
		free(row);
		return;
	}
	d->mib_row = row;
}

static void
row_removed(struct device *d, void *arg)
{
	struct mib_row *row = d->mib_row;

	(void)arg;
	if (row == NULL)
		return;
	CONTAINER_REMOVE(rows, row);
	free(row);
	d->mib_row = NULL;
}

const struct store_hooks mib_store_hooks = {row_added, row_removed, NULL};

/* ---- notifications
 * ------------------------------------------------------------- */

static const int cols_detected[] = {C_ADDRESS_TYPE, C_ADDRESS, C_MANUFACTURER,
    C_MODEL, C_SERIAL, C_MAC, C_SITE, C_ZONE, C_VERDICT, C_MAKER, C_ACTION,
    C_REASON, 0};
static const int cols_firmware[] = {C_ADDRESS_TYPE, C_ADDRESS, C_MANUFACTURER,
    C_MODEL, C_SERIAL, C_FIRMWARE, 0};
static const int cols_swapped[] = {
    C_ADDRESS_TYPE, C_ADDRESS, C_MANUFACTURER, C_MODEL, C_SERIAL, C_MAC, 0};
static const int cols_cert[] = {C_ADDRESS_TYPE, C_ADDRESS, C_SERVICE_URL,
    C_MANUFACTURER, C_MODEL, C_SERIAL, C_SITE, C_ZONE, C_VERDICT, C_MAKER,
    C_TLS_PINNED, C_TLS_CERTIFICATE, 0};
static const int cols_reach[] = {C_ADDRESS_TYPE, C_ADDRESS, C_SITE, C_ZONE,
    C_VERDICT, C_MAKER, C_POLL_STATUS, 0};

static void
add_column(netsnmp_variable_list **vars, const struct device *d, int col)
{
	oid name[MAX_OID_LEN];
	size_t n = OID_LENGTH(entry_oid);
	struct colval v;

	if (device_column(d, col, &v) != 0)
		return;
	memcpy(name, entry_oid, sizeof(entry_oid));
	name[n++] = (oid)col;
	name[n++] = d->index;
	snmp_varlist_add_variable(vars, name, n, v.type, v.ptr, v.len);
}

void
mib_notify(const struct dev_event *ev)
{
	netsnmp_variable_list *vars = NULL;
	oid trap[MAX_OID_LEN];
	size_t n = OID_LENGTH(notifications_oid);
	const int *cols;
	bool prev;

	switch (ev->type) {
	case EV_DETECTED_RESTRICTED:
		cols = cols_detected, prev = false;
		break;
	case EV_VERDICT_CHANGED:
		cols = cols_detected, prev = true;
		break;
	case EV_FIRMWARE_CHANGED:
		cols = cols_firmware, prev = true;
		break;
	case EV_SWAPPED:
		cols = cols_swapped, prev = true;
		break;
	case EV_UNREACHABLE:
	case EV_REACHABLE:
		cols = cols_reach, prev = false;
		break;
	case EV_CERT_CHANGED:
		cols = cols_cert, prev = false;
		break;
	default:
		return;
	}
	memcpy(trap, notifications_oid, sizeof(notifications_oid));
	trap[n++] = (oid)ev->type;
	snmp_varlist_add_variable(&vars, snmptrap_oid, OID_LENGTH(snmptrap_oid),
	    ASN_OBJECT_ID, (u_char *)trap, n * sizeof(oid));
	for (; *cols != 0; cols++)
		add_column(&vars, ev->dev, *cols);
	if (prev)
		snmp_varlist_add_variable(&vars, notify_prev_oid,
		    OID_LENGTH(notify_prev_oid), ASN_OCTET_STR, ev->previous,
		    strlen(ev->previous));
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

/* ---- registration
 * --------------------------------------------------------------- */

int
mib_init(void)
{
	netsnmp_table_registration_info *ti = NULL;

	rows = netsnmp_container_find("camDeviceTable:table_container");
	summary_reg =
	    netsnmp_create_handler_registration("camSummary", summary_handler,
		summary_oid, OID_LENGTH(summary_oid), HANDLER_CAN_RONLY);
	disc_reg = netsnmp_create_handler_registration("camDiscovery",
	    summary_handler, disc_oid, OID_LENGTH(disc_oid), HANDLER_CAN_RONLY);
	table_reg = netsnmp_create_handler_registration("camDeviceTable",
	    table_handler, table_oid, OID_LENGTH(table_oid), HANDLER_CAN_RONLY);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (rows == NULL || summary_reg == NULL || table_reg == NULL ||
	    disc_reg == NULL || ti == NULL)
		goto fail;
	netsnmp_table_helper_add_indexes(ti, ASN_UNSIGNED, 0);
	ti->min_column = C_FIRST;
	ti->max_column = C_LAST;
	if (netsnmp_register_scalar_group(summary_reg, 1, S_LAST) !=
	    MIB_REGISTERED_OK) {
		summary_reg = NULL;
		goto fail;
	}
	if (netsnmp_register_scalar_group(disc_reg, 1, D_LAST) !=
	    MIB_REGISTERED_OK) {
		disc_reg = NULL;
		goto fail;
	}
	if (netsnmp_container_table_register(table_reg, ti, rows,
		TABLE_CONTAINER_KEY_NETSNMP_INDEX) != MIB_REGISTERED_OK) {
		table_reg = NULL;
		ti = NULL;
		goto fail;
	}
	return 0;
fail:
	snmp_log(LOG_ERR, "mib: cannot register CAMERA-COMPLIANCE-MIB\n");
	if (ti != NULL)
		netsnmp_table_registration_info_free(ti);
	return -1;
}

void
mib_shutdown(void)
{
	if (table_reg != NULL)
		netsnmp_unregister_handler(table_reg);
	if (summary_reg != NULL)
		netsnmp_unregister_handler(summary_reg);
	if (disc_reg != NULL)
		netsnmp_unregister_handler(disc_reg);
	table_reg = summary_reg = disc_reg = NULL;
	/* The table helper does not own it; snmpd may load us again. */
	if (rows != NULL)
		CONTAINER_FREE(rows);
	rows = NULL;
}
