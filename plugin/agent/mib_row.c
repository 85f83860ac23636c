/*
 * mib_row.c: a camDeviceTable row's columns as SNMP values, for GETs and
 * for the notifications alike (mib.c), so a trap never says something a
 * GET would not: the plain values, the address, the BITS columns, the
 * poll status and the summary of what the camera said without
 * credentials.  Main thread only: the rows are the store's.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "agent/mib_int.h"
#include "common/strutil.h"

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

void
val_str(struct colval *v, const char *s)
{
	v->type = ASN_OCTET_STR;
	v->ptr = s;
	v->len = strlen(s);
}

void
val_bytes(struct colval *v, const void *p, size_t len)
{
	v->type = ASN_OCTET_STR;
	v->ptr = p;
	v->len = len;
}

void
val_int(struct colval *v, long l)
{
	v->type = ASN_INTEGER;
	v->l = l;
	v->ptr = &v->l;
	v->len = sizeof(v->l);
}

void
val_gauge(struct colval *v, u_char type, u_long ul)
{
	v->type = type;
	v->ul = ul;
	v->ptr = &v->ul;
	v->len = sizeof(v->ul);
}

void
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

/* camDeviceAddressText: camDeviceAddress as a person reads it. */
static void
val_address_text(struct colval *v, const struct device *d)
{
	int af = 0;

	val_address(v, d, false);
	if (v->l == CAM_InetAddressType_ipv4)
		af = AF_INET;
	else if (v->l == CAM_InetAddressType_ipv6)
		af = AF_INET6;
	if (af != 0) {
		if (inet_ntop(af, v->buf, v->text, sizeof(v->text)) == NULL)
			v->text[0] = '\0';
		val_str(v, v->text);
	}
}

/* BITS: as many octets as the named bits need, bit 0 the first's MSB. */
_Static_assert((EV_COUNT + 7) / 8 <= sizeof(((struct colval *)0)->buf),
    "camDeviceEvidence fits a column value");

static void
val_bits(struct colval *v, uint32_t bits, int count)
{
	int b;

	memset(v->buf, 0, (size_t)(count + 7) / 8);
	for (b = 0; b < count; b++)
		if (bits & (1u << b))
			v->buf[b / 8] |= (u_char)(0x80 >> (b % 8));
	v->type = ASN_OCTET_STR;
	v->ptr = v->buf;
	v->len = (size_t)(count + 7) / 8;
}

/* camDeviceSeenBy's bits are enum cam_probe's numbers. */
_Static_assert(PROBE_ONVIF == CAM_BIT_camDeviceSeenBy_onvif &&
	PROBE_SADP == CAM_BIT_camDeviceSeenBy_sadp &&
	PROBE_DHIP == CAM_BIT_camDeviceSeenBy_dhip &&
	PROBE_HTTP == CAM_BIT_camDeviceSeenBy_http &&
	PROBE_HTTPS == CAM_BIT_camDeviceSeenBy_https &&
	PROBE_RTSP == CAM_BIT_camDeviceSeenBy_rtsp &&
	PROBE_TLS == CAM_BIT_camDeviceSeenBy_tls &&
	PROBE_PORTS == CAM_BIT_camDeviceSeenBy_ports &&
	PROBE_COUNT == CAM_BITS_camDeviceSeenBy,
    "enum cam_probe is camDeviceSeenBy's BITS");

/* ONVIF when the last poll succeeded, and the collectors that answered. */
static void
val_seen_by(struct colval *v, const struct device *d)
{
	uint32_t bits = d->id.facts_answered & ~CAM_PROBE(PROBE_ONVIF);

	if (d->poll_status == ONVIF_OK)
		bits |= CAM_PROBE(PROBE_ONVIF);
	val_bits(v, bits, PROBE_COUNT);
}

/* Append s (n bytes) to out within 255 bytes, never cutting a character. */
static void
append(char *out, size_t *o, const char *s, size_t n)
{
	size_t room = CAM_STR_MAX - 1 - *o;

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
}

/* A fact's kind in its collector's group: "server", not "http-server". */
static const char *
short_kind(int kind)
{
	const char *k = cam_fact_name((enum cam_fact_kind)kind);

	if (k == NULL)
		return "?";
	if (strncmp(k, "http-", 5) == 0 || strncmp(k, "rtsp-", 5) == 0)
		return k + 5;
	return strncmp(k, "tls-", 4) == 0 ? k + 4 : k;
}

/*
 * camDeviceFacts: "sadp model=X serial=Y; http server=Z realm=W", the
 * row's packed facts (store.h) grouped by collector, a maker protocol's
 * own name ("protocol=sadp" under sadp) left out.
 */
static void
val_facts(struct colval *v, const struct row_identity *id)
{
	const char *p;
	size_t i, o = 0;
	int k;
	bool open;

	v->text[0] = '\0';
	for (k = PROBE_SADP; k < PROBE_COUNT; k++) {
		open = false;
		for (i = 0, p = id->facts; i < id->n_facts;
		     i++, p += strlen(p) + 1) {
			const char *name = cam_probe_name((enum cam_probe)k);
			if (p[1] - 1 != k ||
			    (p[0] - 1 == FACT_PROTOCOL && !strcmp(p + 2, name)))
				continue;
			if (!open) {
				if (o > 0)
					append(v->text, &o, "; ", 2);
				append(v->text, &o, name, strlen(name));
				open = true;
			}
			append(v->text, &o, " ", 1);
			append(v->text, &o, short_kind(p[0] - 1),
			    strlen(short_kind(p[0] - 1)));
			append(v->text, &o, "=", 1);
			append(v->text, &o, p + 2, strlen(p + 2));
		}
	}
	val_str(v, v->text);
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

/* What the camera says it is, and who said so. */
static int
identity_column(const struct device *d, int col, struct colval *v)
{
	switch (col) {
	case CAM_COL_camDeviceAddressType:
		val_address(v, d, true);
		break;
	case CAM_COL_camDeviceAddress:
		val_address(v, d, false);
		break;
	case CAM_COL_camDeviceAddressText:
		val_address_text(v, d);
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
	case CAM_COL_camDeviceSeenBy:
		val_seen_by(v, d);
		break;
	case CAM_COL_camDeviceFacts:
		val_facts(v, &d->id);
		break;
	default:
		return -1;
	}
	return 0;
}

/* What the policy makes of it. */
static int
verdict_column(const struct device *d, int col, struct colval *v)
{
	const struct row_verdict *p = &d->verdict;

	switch (col) {
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
		val_bits(v, p->evidence, EV_COUNT);
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
	case CAM_COL_camDeviceConfidence:
		val_gauge(v, ASN_UNSIGNED, (u_long)p->confidence);
		break;
	case CAM_COL_camDeviceLists:
		val_str(v, p->lists);
		break;
	case CAM_COL_camDeviceBrand:
		val_str(v, p->brand);
		break;
	case CAM_COL_camDeviceJurisdiction:
		val_str(v, p->jurisdiction);
		break;
	default:
		return identity_column(d, col, v);
	}
	return 0;
}

int
mib_device_column(const struct device *d, int col, struct colval *v)
{
	switch (col) {
	case CAM_COL_camDevicePollStatus:
		val_int(v, poll_status_value(d->poll_status));
		break;
	case CAM_COL_camDeviceFirstSeen:
		val_date(v, d->first_seen);
		break;
	case CAM_COL_camDeviceLastSeen:
		val_date(v, d->last_seen);
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
		return verdict_column(d, col, v);
	}
	return 0;
}
