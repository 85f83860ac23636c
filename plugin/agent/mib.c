/*
 * mib.c: CAMERA-COMPLIANCE-MIB over AgentX.
 *
 * Owns the registrations (summary scalars, camDeviceTable through
 * table_container so GETNEXT is a binary search and a walk is linear),
 * the handlers, and the notifications, which are built from the one getter
 * that turns a device column into an SNMP value (mib_row.c) so a trap
 * never says something a GET would not.  Main thread only: the rows point
 * at struct device owned by the store, which only the main thread changes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/mib.h"
#include "agent/mib_int.h"
#include "agent/notify.h"
#include "common/strutil.h"

static const oid summary_oid[] = {CAM_OID_camSummary};
static const oid table_oid[] = {CAM_OID_camDeviceTable};
static const oid disc_oid[] = {CAM_OID_camDiscovery};
static const oid entry_oid[] = {CAM_OID_camDeviceEntry};
static const oid notify_prev_oid[] = {CAM_OID_camNotifyPreviousValue, 0};
static const oid notifications_oid[] = {CAM_OID_camNotifications};
static const oid snmptrap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

/* enum dev_event_type is the notifications' numbers. */
_Static_assert(
    EV_DETECTED_RESTRICTED == CAM_NOTIF_camRestrictedDeviceDetected &&
	EV_VERDICT_CHANGED == CAM_NOTIF_camDeviceVerdictChanged &&
	EV_FIRMWARE_CHANGED == CAM_NOTIF_camDeviceFirmwareChanged &&
	EV_UNREACHABLE == CAM_NOTIF_camDeviceUnreachable &&
	EV_REACHABLE == CAM_NOTIF_camDeviceReachable &&
	EV_SWAPPED == CAM_NOTIF_camDeviceSwapped &&
	EV_CERT_CHANGED == CAM_NOTIF_camDeviceCertificateChanged &&
	EV_SUMMARY == CAM_NOTIF_camComplianceSummary,
    "enum dev_event_type numbers the notifications");

struct mib_row {
	netsnmp_index idx; /* first: the container compares on it */
	oid sub;
	struct device *dev;
};

static netsnmp_container *rows;
static netsnmp_handler_registration *table_reg, *summary_reg, *disc_reg;
static struct mib_summary summary;
static char s_version[CAM_STR_MAX], s_date[CAM_STR_MAX];
static char s_registry[CAM_STR_MAX], s_lists[CAM_STR_MAX];

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
		    mib_device_column(row->dev, (int)ti->colnum, &v) != 0) {
			netsnmp_set_request_error(
			    reqinfo, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		snmp_set_var_typed_value(r->requestvb, v.type, v.ptr, v.len);
	}
	return SNMP_ERR_NOERROR;
}

static void (*counts_hook)(struct store_counts *);

void
mib_set_counts_hook(void (*fn)(struct store_counts *))
{
	counts_hook = fn;
}

static void
fleet_counts(struct store_counts *c)
{
	if (counts_hook != NULL)
		counts_hook(c);
	else
		memset(c, 0, sizeof(*c));
}

/* The queue's counters move between publishes: read them live. */
static int
notify_column(int col, struct colval *v)
{
	struct notify_stats st;

	notify_stats(&st);
	switch (col) {
	case CAM_SCALAR_camNotificationsSent:
		val_gauge(v, ASN_COUNTER, st.sent & 0xffffffffUL);
		break;
	case CAM_SCALAR_camNotificationsSuppressed:
		val_gauge(v, ASN_COUNTER, st.suppressed & 0xffffffffUL);
		break;
	case CAM_SCALAR_camNotificationsQueued:
		val_gauge(v, ASN_GAUGE, (u_long)st.queued);
		break;
	default:
		return -1;
	}
	return 0;
}

/* The fleet's counts: made by the agent when asked (a pass over rows). */
static int
count_column(int col, struct colval *v)
{
	struct store_counts c;

	fleet_counts(&c);
	switch (col) {
	case CAM_SCALAR_camDevicesTotal:
		val_gauge(v, ASN_GAUGE, c.total);
		break;
	case CAM_SCALAR_camDevicesCompliant:
		val_gauge(v, ASN_GAUGE, c.compliant);
		break;
	case CAM_SCALAR_camDevicesRestricted:
		val_gauge(v, ASN_GAUGE, c.restricted);
		break;
	case CAM_SCALAR_camDevicesUnidentified:
		val_gauge(v, ASN_GAUGE, c.unidentified);
		break;
	case CAM_SCALAR_camDevicesUnreachable:
		val_gauge(v, ASN_GAUGE, c.unreachable);
		break;
	case CAM_SCALAR_camRestrictedOnSensitive:
		val_gauge(v, ASN_GAUGE, c.restricted_sensitive);
		break;
	case CAM_SCALAR_camRestrictedOnCore:
		val_gauge(v, ASN_GAUGE, c.restricted_core);
		break;
	default:
		return notify_column(col, v);
	}
	return 0;
}

static int
summary_column(int col, struct colval *v)
{
	switch (col) {
	case CAM_SCALAR_camPolicyVersion:
		val_str(v, s_version);
		break;
	case CAM_SCALAR_camRegistryDate:
		val_str(v, s_registry);
		break;
	case CAM_SCALAR_camLastPollCompleted:
		val_date(v, summary.last_poll_completed);
		break;
	case CAM_SCALAR_camPolicyDate:
		val_str(v, s_date);
		break;
	case CAM_SCALAR_camActiveLists:
		val_str(v, s_lists);
		break;
	case CAM_SCALAR_camPollRoundsCompleted:
		val_gauge(v, ASN_COUNTER, summary.rounds);
		break;
	default:
		return count_column(col, v);
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
	struct store_counts cnt;
	unsigned long c;

	if (disc_hook != NULL)
		disc_hook(&summary.disc);
	switch (col) {
	case CAM_SCALAR_camDiscDatagrams:
		c = d->received;
		break;
	case CAM_SCALAR_camDiscMalformed:
		c = d->malformed;
		break;
	case CAM_SCALAR_camDiscOversized:
		c = d->oversized;
		break;
	case CAM_SCALAR_camDiscSpoofed:
		c = d->spoofed;
		break;
	case CAM_SCALAR_camDiscOutOfScope:
		c = d->out_of_scope;
		break;
	case CAM_SCALAR_camDiscRateLimited:
		c = d->rate_limited + d->queue_full;
		break;
	case CAM_SCALAR_camDiscIgnored:
		c = d->ignored;
		break;
	case CAM_SCALAR_camDiscCapped:
		c = d->capped;
		break;
	case CAM_SCALAR_camDiscProbesSent:
		c = d->probes_sent;
		break;
	case CAM_SCALAR_camDiscHostCapped:
		c = d->host_capped;
		break;
	case CAM_SCALAR_camDiscSadpReplies:
		c = d->sadp_seen;
		break;
	case CAM_SCALAR_camDiscDhipReplies:
		c = d->dhip_seen;
		break;
	case CAM_SCALAR_camDiscDevices:
		fleet_counts(&cnt);
		val_gauge(v, ASN_GAUGE, cnt.discovered);
		return 0;
	default:
		return -1;
	}
	/* Counter32 wraps, as the SMI says counters do. */
	val_gauge(v, ASN_COUNTER, c & 0xffffffffUL);
	return 0;
}

/* Both scalar groups: the registration says which getter answers. */
static int
summary_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	netsnmp_request_info *r;
	struct colval v;
	bool disc = reg == disc_reg;
	size_t base = disc ? OID_LENGTH(disc_oid) : OID_LENGTH(summary_oid);
	int (*getter)(int, struct colval *) =
	    disc ? disc_column : summary_column;

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

/*
 * What each notification carries, in the order of its OBJECTS in the MIB:
 * a column of the row, or PREVIOUS for camNotifyPreviousValue; 0 ends.
 * An object of another kind in a notification does not compile: it needs
 * code here first.
 */
#define PREVIOUS (-1)
#define OBJ(parent, name) OBJ_##parent(name)
#define OBJ_camDeviceEntry(name) CAM_COL_##name,
#define OBJ_camNotifyObjects(name) NOTIFY_##name,
#define OBJ_camSummary(name) (SCALAR + CAM_SCALAR_##name),
#define SCALAR 1000 /* a camSummary scalar, not a column */
#define NOTIFY_camNotifyPreviousValue PREVIOUS

static const int vars_detected[] = {
    CAM_OBJECTS_camRestrictedDeviceDetected(OBJ) 0};
static const int vars_verdict[] = {CAM_OBJECTS_camDeviceVerdictChanged(OBJ) 0};
static const int vars_firmware[] = {
    CAM_OBJECTS_camDeviceFirmwareChanged(OBJ) 0};
static const int vars_unreachable[] = {CAM_OBJECTS_camDeviceUnreachable(OBJ) 0};
static const int vars_reachable[] = {CAM_OBJECTS_camDeviceReachable(OBJ) 0};
static const int vars_swapped[] = {CAM_OBJECTS_camDeviceSwapped(OBJ) 0};
static const int vars_cert[] = {CAM_OBJECTS_camDeviceCertificateChanged(OBJ) 0};
static const int vars_summary[] = {CAM_OBJECTS_camComplianceSummary(OBJ) 0};

/* By notification number, which enum dev_event_type is. */
static const int *const notif_vars[] = {
    [CAM_NOTIF_camRestrictedDeviceDetected] = vars_detected,
    [CAM_NOTIF_camDeviceVerdictChanged] = vars_verdict,
    [CAM_NOTIF_camDeviceFirmwareChanged] = vars_firmware,
    [CAM_NOTIF_camDeviceUnreachable] = vars_unreachable,
    [CAM_NOTIF_camDeviceReachable] = vars_reachable,
    [CAM_NOTIF_camDeviceSwapped] = vars_swapped,
    [CAM_NOTIF_camDeviceCertificateChanged] = vars_cert,
    [CAM_NOTIF_camComplianceSummary] = vars_summary,
};
_Static_assert(
    sizeof(notif_vars) / sizeof(notif_vars[0]) == CAM_LAST_camNotifications + 1,
    "every notification of the MIB is sent from here");

/* One varbind of a camSummary scalar, as a GET would have it now. */
static void
add_scalar(netsnmp_variable_list **vars, int col)
{
	oid name[MAX_OID_LEN];
	size_t n = OID_LENGTH(summary_oid);
	struct colval v;

	if (summary_column(col, &v) != 0)
		return;
	memcpy(name, summary_oid, sizeof(summary_oid));
	name[n++] = (oid)col;
	name[n++] = 0;
	snmp_varlist_add_variable(vars, name, n, v.type, v.ptr, v.len);
}

/* One varbind: a column of the event's row, or the previous value. */
static void
add_var(netsnmp_variable_list **vars, const struct dev_event *ev, int col)
{
	oid name[MAX_OID_LEN];
	size_t n = OID_LENGTH(entry_oid);
	struct colval v;

	if (col == PREVIOUS) {
		snmp_varlist_add_variable(vars, notify_prev_oid,
		    OID_LENGTH(notify_prev_oid), ASN_OCTET_STR, ev->previous,
		    strlen(ev->previous));
		return;
	}
	if (col > SCALAR) {
		add_scalar(vars, col - SCALAR);
		return;
	}
	if (mib_device_column(ev->dev, col, &v) != 0)
		return;
	memcpy(name, entry_oid, sizeof(entry_oid));
	name[n++] = (oid)col;
	name[n++] = ev->dev->index;
	snmp_varlist_add_variable(vars, name, n, v.type, v.ptr, v.len);
}

void
mib_notify(const struct dev_event *ev)
{
	netsnmp_variable_list *vars = NULL;
	oid trap[MAX_OID_LEN];
	size_t n = OID_LENGTH(notifications_oid);
	const int *var;

	if ((size_t)ev->type >= sizeof(notif_vars) / sizeof(notif_vars[0]) ||
	    (var = notif_vars[ev->type]) == NULL)
		return;
	memcpy(trap, notifications_oid, sizeof(notifications_oid));
	trap[n++] = (oid)ev->type;
	snmp_varlist_add_variable(&vars, snmptrap_oid, OID_LENGTH(snmptrap_oid),
	    ASN_OBJECT_ID, (u_char *)trap, n * sizeof(oid));
	for (; *var != 0; var++)
		add_var(&vars, ev, *var);
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

/* ---- registration
 * --------------------------------------------------------------- */

/* The table's index description: the table helper does not free it. */
static netsnmp_table_registration_info *table_info;

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
	ti->min_column = CAM_FIRST_camDeviceEntry;
	ti->max_column = CAM_LAST_camDeviceEntry;
	if (netsnmp_register_scalar_group(summary_reg, CAM_FIRST_camSummary,
		CAM_LAST_camSummary) != MIB_REGISTERED_OK) {
		summary_reg = NULL;
		goto fail;
	}
	if (netsnmp_register_scalar_group(disc_reg, CAM_FIRST_camDiscovery,
		CAM_LAST_camDiscovery) != MIB_REGISTERED_OK) {
		disc_reg = NULL;
		goto fail;
	}
	if (netsnmp_container_table_register(table_reg, ti, rows,
		TABLE_CONTAINER_KEY_NETSNMP_INDEX) != MIB_REGISTERED_OK) {
		table_reg = NULL;
		ti = NULL;
		goto fail;
	}
	table_info = ti;
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
	if (table_info != NULL)
		netsnmp_table_registration_info_free(table_info);
	table_info = NULL;
	/* The table helper does not own it; snmpd may load us again. */
	if (rows != NULL)
		CONTAINER_FREE(rows);
	rows = NULL;
}
