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
#include "agent/notify.h"
#include "common/strutil.h"

/*
 * Every number of the MIB comes from gen/cam_mib.h, which the build
 * generates from mibs/CAMERA-COMPLIANCE-MIB.txt (scripts/mibgen.awk): the
 * arc, the scalar and column numbers, the notifications and what they
 * carry, the enumerations.  Where our own enums stand for a MIB
 * enumeration, the build checks they agree.
 */
#include "gen/cam_mib.h"

static const oid summary_oid[] = {CAM_OID_camSummary};
static const oid table_oid[] = {CAM_OID_camDeviceTable};
static const oid disc_oid[] = {CAM_OID_camDiscovery};
static const oid entry_oid[] = {CAM_OID_camDeviceEntry};
static const oid notify_prev_oid[] = {CAM_OID_camNotifyPreviousValue, 0};
static const oid notifications_oid[] = {CAM_OID_camNotifications};
static const oid snmptrap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

/* The policy's and the store's enums are sent as they are. */
_Static_assert(VERDICT_COMPLIANT == CAM_CamVerdict_compliant &&
	VERDICT_RESTRICTED == CAM_CamVerdict_restricted &&
	VERDICT_UNIDENTIFIED == CAM_CamVerdict_unidentified &&
	CAM_CamVerdict_MAX == 3,
    "enum policy_verdict is CamVerdict");
_Static_assert(ZONE_GENERAL == CAM_CamZone_general &&
	ZONE_CORE == CAM_CamZone_core &&
	ZONE_SENSITIVE == CAM_CamZone_sensitive && CAM_CamZone_MAX == 3,
    "enum policy_zone is CamZone");
_Static_assert(ACTION_NONE == CAM_CamAction_none &&
	ACTION_REVIEW == CAM_CamAction_review &&
	ACTION_DISCONNECT == CAM_CamAction_disconnect &&
	ACTION_REMOVE == CAM_CamAction_remove &&
	ACTION_INVESTIGATE == CAM_CamAction_investigate &&
	CAM_CamAction_MAX == 5,
    "enum policy_action is CamAction");
_Static_assert(DISC_CONFIGURED == CAM_CamDiscoveryMethod_configured &&
	DISC_PROBE == CAM_CamDiscoveryMethod_multicastProbe &&
	DISC_HELLO == CAM_CamDiscoveryMethod_hello &&
	DISC_SWEEP == CAM_CamDiscoveryMethod_unicastSweep &&
	DISC_SADP == CAM_CamDiscoveryMethod_sadp &&
	DISC_DHIP == CAM_CamDiscoveryMethod_dhip &&
	CAM_CamDiscoveryMethod_MAX == DISC_METHOD_MAX,
    "enum disc_method is CamDiscoveryMethod");
_Static_assert(EV_MANUFACTURER == CAM_BIT_camDeviceEvidence_manufacturer &&
	EV_BRAND == CAM_BIT_camDeviceEvidence_brand &&
	EV_OEM_BRAND == CAM_BIT_camDeviceEvidence_oemBrand &&
	EV_MODEL == CAM_BIT_camDeviceEvidence_model &&
	EV_FIRMWARE == CAM_BIT_camDeviceEvidence_firmware &&
	EV_HARDWARE_ID == CAM_BIT_camDeviceEvidence_hardwareId &&
	EV_SERIAL == CAM_BIT_camDeviceEvidence_serial &&
	EV_SCOPE == CAM_BIT_camDeviceEvidence_scope &&
	EV_SCOPE_LAYOUT == CAM_BIT_camDeviceEvidence_scopeLayout &&
	EV_MAC_OUI == CAM_BIT_camDeviceEvidence_macOui &&
	EV_MAC_OUI_WEAK == CAM_BIT_camDeviceEvidence_macOuiWeak &&
	EV_MAC_OUI_MODULE == CAM_BIT_camDeviceEvidence_macOuiModule &&
	EV_ENDPOINT == CAM_BIT_camDeviceEvidence_endpoint &&
	EV_MAKER_PROTOCOL == CAM_BIT_camDeviceEvidence_makerProtocol &&
	EV_HTTP_BANNER == CAM_BIT_camDeviceEvidence_httpBanner &&
	EV_HTTP_REALM == CAM_BIT_camDeviceEvidence_httpRealm &&
	EV_HTTP_PAGE == CAM_BIT_camDeviceEvidence_httpPage &&
	EV_RTSP == CAM_BIT_camDeviceEvidence_rtsp &&
	EV_TLS_CERTIFICATE == CAM_BIT_camDeviceEvidence_tlsCertificate &&
	EV_OEM_CODE == CAM_BIT_camDeviceEvidence_oemCode &&
	EV_COUNT == CAM_BITS_camDeviceEvidence,
    "enum policy_evidence is camDeviceEvidence's BITS");
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
		v->l = CAM_InetAddressType_ipv4;
	} else if (inet_pton(AF_INET6, host, v->buf) == 1) {
		v->len = 16;
		v->l = CAM_InetAddressType_ipv6;
	} else if (h != d->id.address && n > 0) {
		v->ptr = h;
		v->len = n;
		v->l = CAM_InetAddressType_dns;
	} else {
		v->len = 0;
		v->l = CAM_InetAddressType_unknown;
	}
	if (type_only)
		val_int(v, v->l);
	else
		v->type = ASN_OCTET_STR;
}

/* BITS: as many octets as the named bits need, bit 0 the first's MSB. */
#define EVIDENCE_OCTETS ((EV_COUNT + 7) / 8)
_Static_assert(EVIDENCE_OCTETS <= sizeof(((struct colval *)0)->buf),
    "camDeviceEvidence fits a column value");

static void
val_evidence(struct colval *v, uint32_t bits)
{
	int b;

	memset(v->buf, 0, EVIDENCE_OCTETS);
	for (b = 0; b < EV_COUNT; b++)
		if (bits & POLICY_EV(b))
			v->buf[b / 8] |= (u_char)(0x80 >> (b % 8));
	v->type = ASN_OCTET_STR;
	v->ptr = v->buf;
	v->len = EVIDENCE_OCTETS;
}

/*
 * camDevicePollStatus from enum onvif_status or POLL_PENDING.  No default:
 * a new status without its MIB value is a -Wswitch warning.
 */
static long
poll_status_value(int st)
{
	switch ((enum onvif_status)st) {
	case ONVIF_OK:
		return CAM_CamPollStatus_ok;
	case ONVIF_TIMEOUT:
		return CAM_CamPollStatus_timeout;
	case ONVIF_UNREACHABLE:
		return CAM_CamPollStatus_unreachable;
	case ONVIF_AUTH_FAILED:
		return CAM_CamPollStatus_authFailed;
	case ONVIF_CLOCK_SKEW:
		return CAM_CamPollStatus_clockSkew;
	case ONVIF_FAULT:
		return CAM_CamPollStatus_fault;
	case ONVIF_HTTP_ERROR:
		return CAM_CamPollStatus_httpError;
	case ONVIF_MALFORMED:
		return CAM_CamPollStatus_malformed;
	case ONVIF_TLS_ERROR:
		return CAM_CamPollStatus_tlsError;
	case ONVIF_NO_CREDENTIALS:
		return CAM_CamPollStatus_noCredentials;
	case ONVIF_CERT_CHANGED:
		return CAM_CamPollStatus_certChanged;
	case POLL_PENDING:
		return CAM_CamPollStatus_pending;
	}
	/* Not a status at all (a corrupt row): say it was never polled. */
	return CAM_CamPollStatus_pending;
}

static int
device_column(const struct device *d, int col, struct colval *v)
{
	const struct row_verdict *p = &d->verdict;

	switch (col) {
	case CAM_COL_camDeviceAddressType:
		val_address(v, d, true);
		break;
	case CAM_COL_camDeviceAddress:
		val_address(v, d, false);
		break;
	case CAM_COL_camDeviceServiceUrl:
		val_str(v, d->key);
		break;
	case CAM_COL_camDeviceEndpoint:
		val_str(v, d->id.endpoint);
		break;
	case CAM_COL_camDeviceManufacturer:
		val_str(v, d->id.manufacturer);
		break;
	case CAM_COL_camDeviceModel:
		val_str(v, d->id.model);
		break;
	case CAM_COL_camDeviceFirmware:
		val_str(v, d->id.firmware);
		break;
	case CAM_COL_camDeviceSerial:
		val_str(v, d->id.serial);
		break;
	case CAM_COL_camDeviceHardwareId:
		val_str(v, d->id.hardware_id);
		break;
	case CAM_COL_camDeviceMacAddress:
		val_bytes(v, d->id.macs[0], d->id.n_macs > 0 ? 6 : 0);
		break;
	case CAM_COL_camDeviceMacVendor:
		val_str(v, p->mac_vendor);
		break;
	case CAM_COL_camDeviceSite:
		val_str(v, p->site);
		break;
	case CAM_COL_camDeviceZone:
		val_int(v, p->zone ? p->zone : ZONE_GENERAL);
		break;
	case CAM_COL_camDeviceVerdict:
		val_int(v, p->verdict ? p->verdict : VERDICT_UNIDENTIFIED);
		break;
	case CAM_COL_camDeviceMaker:
		/* Empty when unidentified: the suspect is camDeviceReason's. */
		val_str(v, p->maker);
		break;
	case CAM_COL_camDeviceEvidence:
		val_evidence(v, p->evidence);
		break;
	case CAM_COL_camDeviceReason:
		val_str(v, p->reason);
		break;
	case CAM_COL_camDeviceAction:
		val_int(v, p->action ? p->action : ACTION_NONE);
		break;
	case CAM_COL_camDeviceWaiver:
		val_str(v, p->waiver);
		break;
	case CAM_COL_camDevicePollStatus:
		val_int(v, poll_status_value(d->poll_status));
		break;
	case CAM_COL_camDeviceFirstSeen:
		val_date(v, d->first_seen);
		break;
	case CAM_COL_camDeviceLastSeen:
		val_date(v, d->last_seen);
		break;
	case CAM_COL_camDeviceConfidence:
		val_gauge(v, ASN_UNSIGNED, (u_long)p->confidence);
		break;
	case CAM_COL_camDeviceLists:
		val_str(v, p->lists);
		break;
	case CAM_COL_camDevicePollDetail:
		val_str(v, d->poll_detail);
		break;
	case CAM_COL_camDeviceDiscovery:
		val_int(v, d->method ? d->method : DISC_CONFIGURED);
		break;
	case CAM_COL_camDeviceLastAnnounced:
		val_date(v, d->last_announced);
		break;
	case CAM_COL_camDeviceTlsPinned:
		val_bytes(v, d->tls_pin, d->has_pin ? 32 : 0);
		break;
	case CAM_COL_camDeviceTlsCertificate:
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
	if (device_column(ev->dev, col, &v) != 0)
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
