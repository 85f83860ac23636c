/*
 * check_mib.c: CAMERA-COMPLIANCE-MIB as mib.c answers it, through a real
 * Net-SNMP agent in this process (inproc_agent.c: GET and GETNEXT travel
 * the agent's own request path, notifications are captured where
 * send_v2trap hands them over).  Rows come from a real store
 * (store_add_camera, store_apply, store_add_discovered, store_sync_config)
 * classified by the shipped policy; the OIDs, types and notification
 * objects expected are the MIB's (mibs/CAMERA-COMPLIANCE-MIB.txt), not
 * mib.c's.  Main thread only.
 */
#include <arpa/inet.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/mib.h"
#include "common/strutil.h"
#include "inproc_agent.h"
#include "store_fixture.h"

/* netSnmpPlaypen.3102, as the MIB's MODULE-IDENTITY places it. */
#define ARC 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 3102
static const oid summary_oid[] = {ARC, 1, 1};
static const oid table_oid[] = {ARC, 1, 2};
static const oid entry_oid[] = {ARC, 1, 2, 1};
static const oid disc_oid[] = {ARC, 1, 4};
static const oid prev_oid[] = {ARC, 1, 3, 1, 0};
static const oid notif_oid[] = {ARC, 0};
static const oid uptime_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid trapoid_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

#define FIRST_COL 2 /* camDeviceIndex (1) is not-accessible */
#define LAST_COL 35
#define T0 1700000000 /* 2023-11-14 22:13:20 UTC */
#define HIK_URL "http://192.0.2.10/onvif/device_service"

/* Under $TMPDIR (default /tmp), as every test's own directory. */
static char tmpdir[200];
static struct policy *pol;
static struct store *st;

static void
setup(void)
{
	inproc_agent_up("check_mib", tmpdir, mib_init);
	pol = fx_policy(TOP_SRCDIR "/tests/data/oui", "hq");
	st = store_new(&mib_store_hooks);
	mib_set_disc_hook(NULL);
	inproc_traps_clear();
}

static void
teardown(void)
{
	store_free(st); /* the rows leave the table with the store */
	policy_free(pol);
	inproc_traps_clear();
}

/* ---- requests ----------------------------------------------------------- */

static netsnmp_variable_list *
col(long c, uint32_t index)
{
	return inproc_query_at(
	    SNMP_MSG_GET, entry_oid, OID_LENGTH(entry_oid), c, (long)index);
}

/* A scalar's instance: base.sub.0 */
static netsnmp_variable_list *
scalar(const oid *base, size_t len, long sub)
{
	return inproc_query_at(SNMP_MSG_GET, base, len, sub, 0);
}

/* GETNEXT from entry.c[.i] lands on entry.want_c.want_i. */
static void
expect_next(long c, long i, oid want_c, oid want_i)
{
	size_t n = OID_LENGTH(entry_oid);
	netsnmp_variable_list *vb =
	    inproc_query_at(SNMP_MSG_GETNEXT, entry_oid, n, c, i);

	ck_assert_uint_eq(vb->name_length, n + 2);
	ck_assert_uint_eq(vb->name[n], want_c);
	ck_assert_uint_eq(vb->name[n + 1], want_i);
	snmp_free_var(vb);
}

/* DateAndTime, RFC 2579: year (2 octets), month ... deci-seconds, UTC. */
static void
date_octets(uint8_t out[11], int y, int mo, int d, int h, int mi, int s)
{
	const uint8_t v[11] = {(uint8_t)(y >> 8), (uint8_t)y, (uint8_t)mo,
	    (uint8_t)d, (uint8_t)h, (uint8_t)mi, (uint8_t)s, 0, '+', 0, 0};

	memcpy(out, v, 11);
}

/* BITS, RFC 2578 7.1.4: bit n is bit (7 - n % 8) of octet n / 8. */
static void
bits_octets(uint32_t bits, uint8_t out[3])
{
	int n;

	out[0] = out[1] = out[2] = 0;
	for (n = 0; n < 20; n++) /* manufacturer(0) .. oemCode(19) */
		if (bits & (1u << n))
			out[n / 8] |= (uint8_t)(1 << (7 - n % 8));
}

/* ---- rows -------------------------------------------------------------- */

static struct device *
camera(const char *url, time_t now)
{
	return fx_camera(st, url, now);
}

/* fx_hik_result's camera with its hardware id, endpoint and certificate. */
static void
hik_result(struct onvif_result *r, const char *fw, const char *serial)
{
	fx_hik_result(r, fw, serial);
	str_lcpy(r->id.hardware_id, "88", CAM_STR_MAX);
	str_lcpy(r->id.endpoint,
	    "urn:uuid:11223344-5566-7788-99aa-2857be3a510c", CAM_STR_MAX);
	r->have_tls = true;
	memset(r->tls_sha256, 0xa5, sizeof(r->tls_sha256));
}

/* A Hikvision on the sensitive site, polled once at T0 + 400. */
static struct device *
hik_row(void)
{
	struct device *d = camera(HIK_URL, T0);
	struct onvif_result r;
	struct dev_event ev[4];

	hik_result(&r, "V5.7.13 build 230706", "SER1");
	ck_assert_int_eq(store_apply(st, d, &r, pol, T0 + 400, ev), 1);
	return d;
}

START_TEST(row_columns_have_the_mib_types_and_values)
{
	struct device *d = hik_row();
	const struct row_verdict *p = &d->verdict;
	uint32_t i = d->index;
	const uint8_t addr[4] = {192, 0, 2, 10};
	const uint8_t mac[6] = {0x28, 0x57, 0xbe, 0x3a, 0x51, 0x0c};
	uint8_t date[11], bits[3], sha[32];

	ck_assert_int_eq(p->verdict, VERDICT_RESTRICTED); /* the premise */
	expect_num(col(2, i), ASN_INTEGER, 1); /* InetAddressType ipv4 */
	expect_bytes(col(3, i), addr, 4);
	expect_str(col(4, i), HIK_URL);
	expect_str(col(5, i), "urn:uuid:11223344-5566-7788-99aa-2857be3a510c");
	expect_str(col(6, i), "HIKVISION");
	expect_str(col(7, i), "DS-2CD2143G2-I");
	expect_str(col(8, i), "V5.7.13 build 230706");
	expect_str(col(9, i), "SER1");
	expect_str(col(10, i), "88");
	expect_bytes(col(11, i), mac, 6);
	/* tests/data/oui names the block's organisation. */
	expect_str(
	    col(12, i), "Hangzhou Hikvision Digital Technology Co.,Ltd.");
	expect_str(col(13, i), "hq");
	expect_num(col(14, i), ASN_INTEGER, 3); /* sensitive */
	expect_num(col(15, i), ASN_INTEGER, 2); /* restricted */
	expect_str(col(16, i), "hikvision");
	ck_assert(p->evidence & POLICY_EV(EV_MANUFACTURER));
	bits_octets(p->evidence, bits);
	ck_assert_uint_eq(bits[0] & 0x80, 0x80); /* manufacturer(0) */
	expect_bytes(col(17, i), bits, 3);
	ck_assert_str_ne(p->reason, "");
	expect_str(col(18, i), p->reason);
	expect_num(col(19, i), ASN_INTEGER, 4); /* remove */
	expect_str(col(20, i), "");
	expect_num(col(21, i), ASN_INTEGER, 1); /* ok */
	date_octets(date, 2023, 11, 14, 22, 13, 20);
	expect_bytes(col(22, i), date, 11);
	date_octets(date, 2023, 11, 14, 22, 20, 0);
	expect_bytes(col(23, i), date, 11);
	ck_assert_int_gt(p->confidence, 0);
	expect_num(col(24, i), ASN_UNSIGNED, p->confidence);
	ck_assert_ptr_nonnull(strstr(p->lists, "uk-nsl"));
	expect_str(col(25, i), p->lists);
	expect_str(col(26, i), "");
	expect_num(col(27, i), ASN_INTEGER, 1); /* configured */
	date_octets(date, 1970, 1, 1, 0, 0, 0); /* never announced */
	expect_bytes(col(28, i), date, 11);
	memset(sha, 0xa5, sizeof(sha)); /* verify-tls no: the pin follows */
	expect_bytes(col(29, i), sha, 32);
	expect_bytes(col(30, i), sha, 32);
	/* ONVIF named it; nothing asked without credentials (brand, seen by,
	 * facts: check_mib_probe.c). */
	expect_str(col(31, i), "");
	expect_bytes(col(32, i), "\x80", 1); /* onvif(0) */
	expect_str(col(33, i), "");
	/* Where the policy says Hikvision is based ("CN" with its data). */
	expect_str(col(34, i), p->jurisdiction);
	expect_str(col(35, i), "192.0.2.10"); /* the address as text */
}
END_TEST

/* Never polled: the MIB's "unknown" for everything a poll would say. */
START_TEST(unknown_values_of_a_camera_never_polled)
{
	struct device *d =
	    camera("http://192.0.2.77:8080/onvif/device_service", T0);
	const uint8_t addr[4] = {192, 0, 2, 77}, zero[3] = {0, 0, 0};
	uint8_t epoch[11];
	uint32_t i = d->index;
	int c;

	date_octets(epoch, 1970, 1, 1, 0, 0, 0);
	/* Not reached yet: the address is the service URL's. */
	expect_num(col(2, i), ASN_INTEGER, 1);
	expect_bytes(col(3, i), addr, 4);
	for (c = 5; c <= 10; c++)
		expect_str(col(c, i), "");
	expect_bytes(col(11, i), NULL, 0); /* MAC: zero length */
	expect_str(col(12, i), "");
	expect_str(col(13, i), "");
	expect_num(col(14, i), ASN_INTEGER, 1); /* general */
	expect_num(col(15, i), ASN_INTEGER, 3); /* unidentified */
	expect_str(col(16, i), "");
	expect_bytes(col(17, i), zero, 3);
	expect_num(col(19, i), ASN_INTEGER, 1); /* none */
	expect_num(col(21, i), ASN_INTEGER, 11); /* pending */
	expect_bytes(col(23, i), epoch, 11);
	expect_num(col(24, i), ASN_UNSIGNED, 0);
	expect_str(col(25, i), "");
	expect_bytes(col(29, i), NULL, 0);
	expect_bytes(col(30, i), NULL, 0);
	expect_str(col(31, i), "");
	expect_bytes(col(32, i), "\0", 1); /* seen by none */
	expect_str(col(33, i), "");
	expect_str(col(34, i), ""); /* no maker, no jurisdiction */
	expect_str(col(35, i), "192.0.2.77"); /* the service URL's */
}
END_TEST

/* camDeviceJurisdiction is the verdict's: two octets, or empty. */
START_TEST(jurisdiction_column)
{
	struct device *d = camera(HIK_URL, T0);
	struct policy_result r;

	memset(&r, 0, sizeof(r));
	r.verdict = VERDICT_COMPLIANT;
	str_lcpy(r.maker, "harbourcam", sizeof(r.maker));
	str_lcpy(r.jurisdiction, "HK", sizeof(r.jurisdiction));
	row_verdict_set(&d->verdict, &r);
	expect_str(col(34, d->index), "HK");
	memset(&r, 0, sizeof(r));
	r.verdict = VERDICT_UNIDENTIFIED;
	row_verdict_set(&d->verdict, &r);
	expect_str(col(34, d->index), "");
}
END_TEST

/*
 * Unidentified, the evidence leaning to a maker: camDeviceMaker is empty
 * (the MIB: "Empty when the maker is unknown"); camDeviceConfidence weighs
 * the lean and camDeviceReason names it.
 */
START_TEST(unidentified_camera_has_no_maker)
{
	struct device *d = camera("http://192.0.2.40/onvif/device_service", T0);
	struct onvif_result r;
	struct dev_event ev[4];

	memset(&r, 0, sizeof(r));
	r.status = ONVIF_OK;
	str_lcpy(r.id.manufacturer, "IPCAM", CAM_STR_MAX);
	str_lcpy(r.id.model, "C1", CAM_STR_MAX);
	/* A Hikvision block: the only signal. */
	str_parse_mac("28:57:be:00:00:01", r.id.macs[0]);
	r.id.n_macs = 1;
	store_apply(st, d, &r, pol, T0 + 1, ev);
	ck_assert_int_eq(d->verdict.verdict, VERDICT_UNIDENTIFIED);
	ck_assert_str_eq(d->verdict.suspect, "hikvision"); /* the premise */
	expect_num(col(15, d->index), ASN_INTEGER, 3);
	expect_str(col(16, d->index), "");
	expect_num(col(24, d->index), ASN_UNSIGNED, d->verdict.confidence);
	ck_assert_ptr_nonnull(strstr(d->verdict.reason, "hikvision"));
	expect_str(col(18, d->index), d->verdict.reason);
}
END_TEST

/*
 * camDeviceAddressType: ipv6(2) with 16 octets; dns(16) with the name for
 * a camera configured by name that no poll has resolved.  camDeviceAddressText
 * reads the same in text.
 */
START_TEST(ipv6_and_unresolved_names)
{
	struct device *v6 =
	    camera("http://[2001:db8::5]/onvif/device_service", T0);
	struct device *dns =
	    camera("http://cam-lobby.example:8000/onvif/device_service", T0);
	struct onvif_result r;
	struct dev_event ev[4];
	uint8_t a6[16];

	memset(&r, 0, sizeof(r));
	r.status = ONVIF_TIMEOUT;
	str_lcpy(r.detail, "no answer within 10 s", sizeof(r.detail));
	str_lcpy(r.id.address, "2001:db8::5", sizeof(r.id.address));
	store_apply(st, v6, &r, pol, T0 + 1, ev);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::5", a6), 1);
	expect_num(col(2, v6->index), ASN_INTEGER, 2);
	expect_bytes(col(3, v6->index), a6, 16);
	expect_str(col(35, v6->index), "2001:db8::5");
	expect_num(col(21, v6->index), ASN_INTEGER, 2); /* timeout */
	expect_str(col(26, v6->index), "no answer within 10 s");
	memset(&r, 0, sizeof(r));
	r.status = ONVIF_UNREACHABLE; /* the name did not resolve */
	store_apply(st, dns, &r, pol, T0 + 1, ev);
	expect_num(col(2, dns->index), ASN_INTEGER, 16);
	expect_str(col(3, dns->index), "cam-lobby.example");
	expect_str(col(35, dns->index), "cam-lobby.example");
	expect_num(col(21, dns->index), ASN_INTEGER, 3); /* unreachable */
}
END_TEST

/* A camera that announced itself. */
START_TEST(discovered_row)
{
	struct cfg_discovery dc = {.max_devices = 10, .max_per_host = 4};
	struct disc_sighting sg = {.kind = DISC_SEEN, .method = DISC_HELLO};
	struct device *d;
	struct dev_event ev[4];
	enum disc_added what;
	uint8_t date[11];
	int moved;

	str_lcpy(sg.url, "http://192.0.2.20/onvif/device_service", CAM_STR_MAX);
	str_lcpy(sg.address, "192.0.2.20", CAM_ADDR_MAX);
	str_lcpy(sg.endpoint, "urn:uuid:cafe", CAM_STR_MAX);
	d = store_add_discovered(st, &sg, &dc, T0, &what);
	ck_assert_int_eq(what, DISC_ADDED_NEW);
	store_sighting(st, d, &sg, pol, T0 + 60, &moved, ev);
	expect_num(col(27, d->index), ASN_INTEGER, 3); /* hello */
	date_octets(date, 2023, 11, 14, 22, 14, 20);
	expect_bytes(col(28, d->index), date, 11);
	expect_str(col(5, d->index), "urn:uuid:cafe");
}
END_TEST

/* n rows, indexes 1..n; a reload's config keeps those keep[] says. */
static size_t
rows_with_gaps(size_t n, const bool *keep, uint32_t *idx)
{
	struct config cfg = {.n_cameras = 0};
	struct cfg_camera cams[16];
	char url[CAM_STR_MAX];
	size_t i, k = 0;

	cfg.cameras = cams;
	for (i = 0; i < n; i++) {
		snprintf(url, sizeof(url),
		    "http://192.0.2.%zu/onvif/device_service", 100 + i);
		ck_assert_uint_eq(camera(url, T0)->index, i + 1);
		if (!keep[i])
			continue;
		memset(&cams[cfg.n_cameras], 0, sizeof(cams[0]));
		str_lcpy(cams[cfg.n_cameras++].url, url, CAM_STR_MAX);
		idx[k++] = (uint32_t)(i + 1);
	}
	store_sync_config(st, &cfg, T0);
	ck_assert_uint_eq(store_count(st), k);
	return k;
}

/* GETNEXT: column by column, each column in numeric index order. */
START_TEST(getnext_walks_columns_then_indexes)
{
	static const bool keep[12] = {
	    [0] = true, [1] = true, [9] = true, [11] = true};
	const size_t base = OID_LENGTH(entry_oid);
	netsnmp_variable_list *vb;
	oid name[MAX_OID_LEN];
	size_t len = OID_LENGTH(table_oid), n, k;
	uint32_t idx[12];

	n = rows_with_gaps(12, keep, idx); /* 1, 2, 10, 12 */
	memcpy(name, table_oid, sizeof(table_oid));
	for (k = 0;; k++) {
		vb = inproc_query(SNMP_MSG_GETNEXT, name, len);
		if (!inproc_under(vb, table_oid, OID_LENGTH(table_oid)))
			break;
		ck_assert_uint_lt(k, (LAST_COL - FIRST_COL + 1) * n);
		ck_assert_uint_eq(vb->name_length, base + 2);
		ck_assert_uint_eq(vb->name[base], FIRST_COL + k / n);
		ck_assert_uint_eq(vb->name[base + 1], idx[k % n]);
		/* What the walk says is what a GET says. */
		expect_same(vb, col((long)vb->name[base], idx[k % n]));
		memcpy(name, vb->name, vb->name_length * sizeof(oid));
		len = vb->name_length;
		snmp_free_var(vb);
	}
	snmp_free_var(vb);
	ck_assert_uint_eq(k, (LAST_COL - FIRST_COL + 1) * n);
	/*
	 * From camDeviceIndex (not-accessible), from between two rows, and
	 * from the last row of a column to the first of the next.
	 */
	expect_next(1, -1, FIRST_COL, 1);
	expect_next(15, 3, 15, 10);
	expect_next(15, 12, 16, 1);
}
END_TEST

START_TEST(missing_instances)
{
	uint32_t i = hik_row()->index;
	const size_t n = OID_LENGTH(entry_oid);

	expect_exception(col(15, i + 1), SNMP_NOSUCHINSTANCE);
	expect_exception(col(15, 0), SNMP_NOSUCHINSTANCE);
	expect_exception(inproc_query_at(SNMP_MSG_GET, entry_oid, n, 15, -1),
	    SNMP_NOSUCHINSTANCE);
	/* No such column: camDeviceIndex, or beyond the last one. */
	expect_exception(col(1, i), SNMP_NOSUCHOBJECT);
	expect_exception(col(LAST_COL + 1, i), SNMP_NOSUCHOBJECT);
}
END_TEST

/* Rows taken out of the store leave the table; indexes are not reused. */
START_TEST(removed_rows_disappear)
{
	static const bool keep[3] = {[1] = true};
	netsnmp_variable_list *vb;
	uint32_t idx[3];

	ck_assert_uint_eq(rows_with_gaps(3, keep, idx), 1);
	expect_exception(col(4, 1), SNMP_NOSUCHINSTANCE);
	expect_exception(col(4, 3), SNMP_NOSUCHINSTANCE);
	expect_str(col(4, 2), "http://192.0.2.101/onvif/device_service");
	expect_next(4, -1, 4, 2);
	expect_next(4, 2, 5, 2);
	ck_assert_uint_eq(camera(HIK_URL, T0)->index, 4);
	expect_str(col(4, 4), HIK_URL);
	store_free(st); /* all of them */
	st = store_new(&mib_store_hooks);
	expect_exception(col(4, 2), SNMP_NOSUCHINSTANCE);
	vb = inproc_query(SNMP_MSG_GETNEXT, table_oid, OID_LENGTH(table_oid));
	ck_assert(!inproc_under(vb, table_oid, OID_LENGTH(table_oid)));
	snmp_free_var(vb);
}
END_TEST

/* The fleet's counts: the agent makes them when the MIB asks. */
static struct store_counts hook_counts;

static void
counts_hook(struct store_counts *c)
{
	*c = hook_counts;
}

START_TEST(summary_scalars)
{
	struct mib_summary m = {.policy_version = "2026.11",
	    .policy_date = "2026-11-30",
	    .registry_date = "2023-11-14",
	    .active_lists = "uk-nsl,ndaa-889",
	    .last_poll_completed = T0,
	    .rounds = 42};
	static const long gauges[] = {9, 4, 3, 2, 1, 2, 1}; /* .4 to .10 */
	const size_t bl = OID_LENGTH(summary_oid);
	netsnmp_variable_list *vb, *next;
	uint8_t date[11];
	long k;

	hook_counts = (struct store_counts){9, 4, 3, 2, 1, 2, 1, 0};
	mib_set_counts_hook(counts_hook); /* total .. discovered */
	mib_set_summary(&m);
	m.policy_version = "changed after the call"; /* mib.c keeps a copy */
	expect_str(scalar(summary_oid, bl, 1), "2026.11");
	expect_str(scalar(summary_oid, bl, 2), "2023-11-14");
	date_octets(date, 2023, 11, 14, 22, 13, 20);
	expect_bytes(scalar(summary_oid, bl, 3), date, 11);
	for (k = 4; k <= 10; k++)
		expect_num(
		    scalar(summary_oid, bl, k), ASN_GAUGE, gauges[k - 4]);
	expect_str(scalar(summary_oid, bl, 11), "2026-11-30");
	expect_str(scalar(summary_oid, bl, 12), "uk-nsl,ndaa-889");
	expect_num(scalar(summary_oid, bl, 13), ASN_COUNTER, 42);
	expect_exception(inproc_query_at(SNMP_MSG_GET, summary_oid, bl, 4, -1),
	    SNMP_NOSUCHINSTANCE);
	/* The notification queue's: nothing sent, queued or suppressed. */
	expect_num(scalar(summary_oid, bl, 14), ASN_COUNTER, 0);
	expect_num(scalar(summary_oid, bl, 15), ASN_COUNTER, 0);
	expect_num(scalar(summary_oid, bl, 16), ASN_GAUGE, 0);
	expect_exception(scalar(summary_oid, bl, 17), SNMP_NOSUCHOBJECT);
	/* GETNEXT visits .1.0 to .16.0, then leaves the group. */
	vb = inproc_query(SNMP_MSG_GETNEXT, summary_oid, bl);
	for (k = 1; k <= 16; k++) {
		ck_assert_uint_eq(vb->name_length, bl + 2);
		ck_assert_uint_eq(vb->name[bl], k);
		ck_assert_uint_eq(vb->name[bl + 1], 0);
		next =
		    inproc_query(SNMP_MSG_GETNEXT, vb->name, vb->name_length);
		snmp_free_var(vb);
		vb = next;
	}
	ck_assert(!inproc_under(vb, summary_oid, bl));
	snmp_free_var(vb);
	/* No policy strings (NULL): empty values. */
	memset(&m, 0, sizeof(m));
	mib_set_summary(&m);
	expect_str(scalar(summary_oid, bl, 1), "");
	expect_str(scalar(summary_oid, bl, 12), "");
}
END_TEST

static unsigned long disc_base;

static void
disc_hook(struct disc_stats *s)
{
	unsigned long b = disc_base;

	memset(s, 0, sizeof(*s));
	s->received = b + 1, s->malformed = b + 2, s->oversized = b + 3;
	s->spoofed = b + 4, s->out_of_scope = b + 5;
	s->rate_limited = b + 6, s->queue_full = 100;
	s->ignored = b + 7, s->capped = b + 8, s->probes_sent = b + 9;
	s->host_capped = b + 11;
	s->sadp_seen = b + 12, s->dhip_seen = b + 13;
}

/* camDiscovery: read live from the hook at each request. */
START_TEST(discovery_scalars)
{
	struct mib_summary m = {0};
	const size_t bl = OID_LENGTH(disc_oid);
	long k, want;

	hook_counts = (struct store_counts){.discovered = 7};
	mib_set_counts_hook(counts_hook);
	m.disc.received = 5;
	mib_set_summary(&m);
	/* Without a hook: what the summary says. */
	expect_num(scalar(disc_oid, bl, 1), ASN_COUNTER, 5);
	mib_set_disc_hook(disc_hook);
	disc_base = 1000;
	for (k = 1; k <= 13; k++) {
		want = k == 6 ? 1106 /* rate limited + queue full */
		    : k == 10 ? 7 /* rows discovery made */
			      : 1000 + k;
		expect_num(scalar(disc_oid, bl, k),
		    k == 10 ? ASN_GAUGE : ASN_COUNTER, want);
	}
	/* Counter32 wraps at 2^32 (the thread counts in unsigned long). */
	disc_base = sizeof(long) > 4 ? (unsigned long)UINT32_MAX + 1 : 0;
	expect_num(scalar(disc_oid, bl, 1), ASN_COUNTER, 1);
	expect_num(scalar(disc_oid, bl, 11), ASN_COUNTER, 11);
	expect_exception(inproc_query_at(SNMP_MSG_GET, disc_oid, bl, 1, 1),
	    SNMP_NOSUCHINSTANCE);
	expect_exception(scalar(disc_oid, bl, 14), SNMP_NOSUCHOBJECT);
}
END_TEST

/* Each notification's OBJECTS in the MIB, its number in camNotifications. */
static const struct {
	enum dev_event_type ev;
	oid number;
	int cols[16]; /* camDeviceEntry columns, 0-terminated */
	bool prev; /* then camNotifyPreviousValue.0 */
} notifications[] = {
    {EV_DETECTED_RESTRICTED, 1,
	{2, 3, 35, 4, 6, 7, 9, 11, 13, 14, 15, 16, 34, 19, 18}, false},
    {EV_VERDICT_CHANGED, 2,
	{2, 3, 35, 4, 6, 7, 9, 11, 13, 14, 15, 16, 34, 19, 18}, true},
    {EV_FIRMWARE_CHANGED, 3, {2, 3, 35, 4, 6, 7, 9, 8, 34}, true},
    {EV_UNREACHABLE, 4, {2, 3, 35, 4, 13, 14, 15, 16, 34, 21}, false},
    {EV_REACHABLE, 5, {2, 3, 35, 4, 13, 14, 15, 16, 34, 21}, false},
    {EV_SWAPPED, 6, {2, 3, 35, 4, 6, 7, 9, 11, 34}, true},
    {EV_CERT_CHANGED, 7, {2, 3, 35, 4, 6, 7, 9, 13, 14, 15, 16, 34, 29, 30},
	false},
};

/* Notification k is ev's, each object as a GET shows it now. */
static void
expect_trap(int k, const struct dev_event *ev)
{
	const netsnmp_variable_list *vb = inproc_trap(k);
	oid want[MAX_OID_LEN];
	size_t i, n;
	const int *c;

	for (i = 0; notifications[i].ev != ev->type; i++)
		ck_assert_uint_lt(
		    i + 1, sizeof(notifications) / sizeof(notifications[0]));
	ck_assert(inproc_is_oid(vb, uptime_oid, OID_LENGTH(uptime_oid)));
	ck_assert_int_eq(vb->type, ASN_TIMETICKS);
	vb = vb->next_variable;
	ck_assert(inproc_is_oid(vb, trapoid_oid, OID_LENGTH(trapoid_oid)));
	ck_assert_int_eq(vb->type, ASN_OBJECT_ID);
	memcpy(want, notif_oid, sizeof(notif_oid));
	n = OID_LENGTH(notif_oid);
	want[n++] = notifications[i].number;
	ck_assert_int_eq(
	    snmp_oid_compare(vb->val.objid, vb->val_len / sizeof(oid), want, n),
	    0);
	for (c = notifications[i].cols; *c != 0; c++) {
		vb = vb->next_variable;
		ck_assert_ptr_nonnull(vb);
		memcpy(want, entry_oid, sizeof(entry_oid));
		n = OID_LENGTH(entry_oid);
		want[n++] = (oid)*c;
		want[n++] = ev->dev->index;
		ck_assert_msg(
		    inproc_is_oid(vb, want, n), "trap %d: not %d", k, *c);
		expect_same(vb, col(*c, ev->dev->index));
	}
	if (notifications[i].prev) {
		vb = vb->next_variable;
		ck_assert(inproc_is_oid(vb, prev_oid, OID_LENGTH(prev_oid)));
		ck_assert_int_eq(vb->type, ASN_OCTET_STR);
		ck_assert_str_ne(ev->previous, "");
		ck_assert_uint_eq(vb->val_len, strlen(ev->previous));
		ck_assert_mem_eq(vb->val.string, ev->previous, vb->val_len);
	}
	ck_assert_ptr_null(vb->next_variable);
}

/* A poll's events (want2: 0 for one), each sent as the MIB defines it. */
static void
polled(struct device *d, const struct onvif_result *r, time_t now,
    enum dev_event_type want1, enum dev_event_type want2)
{
	struct dev_event ev[4];
	int i, n = store_apply(st, d, r, pol, now, ev);

	for (i = 0; i < n; i++)
		mib_notify(&ev[i]);
	ck_assert_int_eq(n, want2 ? 2 : 1);
	ck_assert_int_eq(inproc_traps(), n);
	ck_assert_int_eq(ev[0].type, want1);
	ck_assert_int_eq(ev[n - 1].type, want2 ? want2 : want1);
	for (i = 0; i < n; i++)
		expect_trap(i, &ev[i]);
	inproc_traps_clear();
}

START_TEST(notifications_carry_the_mib_objects)
{
	struct device *d = camera(HIK_URL, T0), *pinned;
	struct cfg_camera c;
	struct onvif_result r, down;
	struct dev_event bogus = {.type = 0, .dev = d};

	hik_result(&r, "V5.7.13 build 230706", "SER1");
	polled(d, &r, T0 + 1, EV_DETECTED_RESTRICTED, 0);
	hik_result(&r, "V5.8.0 build 240101", "SER1");
	polled(d, &r, T0 + 2, EV_FIRMWARE_CHANGED, 0);
	hik_result(&r, "V5.8.0 build 240101", "SER2");
	polled(d, &r, T0 + 3, EV_SWAPPED, EV_DETECTED_RESTRICTED);
	memset(&down, 0, sizeof(down));
	down.status = ONVIF_TIMEOUT;
	polled(d, &down, T0 + 4, EV_UNREACHABLE, 0);
	polled(d, &r, T0 + 5, EV_REACHABLE, 0);
	/* Same serial, now an Axis: compliant, naming the old verdict. */
	str_lcpy(r.id.manufacturer, "AXIS", CAM_STR_MAX);
	str_lcpy(r.id.model, "P3818-PVE", CAM_STR_MAX);
	str_parse_mac("b8:a4:4f:a0:4f:26", r.id.macs[0]);
	polled(d, &r, T0 + 6, EV_VERDICT_CHANGED, 0);
	/* tls-pin P in the config; the camera shows Q. */
	memset(&c, 0, sizeof(c));
	str_lcpy(c.url, "https://192.0.2.30/onvif/device_service", CAM_STR_MAX);
	memset(c.tls_pin, 0x11, 32);
	c.has_pin = true;
	pinned = store_add_camera(st, &c, T0);
	memset(&r, 0, sizeof(r));
	r.status = ONVIF_CERT_CHANGED;
	r.have_tls = true;
	memset(r.tls_sha256, 0x22, 32);
	polled(pinned, &r, T0 + 7, EV_CERT_CHANGED, 0);
	expect_num(col(21, pinned->index), ASN_INTEGER, 12); /* certChanged */
	expect_bytes(col(29, pinned->index), c.tls_pin, 32);
	expect_bytes(col(30, pinned->index), r.tls_sha256, 32);
	/* Not an event the MIB defines: nothing is sent. */
	mib_notify(&bogus);
	bogus.type = EV_SUMMARY + 1;
	mib_notify(&bogus);
	ck_assert_int_eq(inproc_traps(), 0);
	/* The summary names no row: its varbinds are camSummary scalars. */
	bogus.type = EV_SUMMARY;
	bogus.dev = NULL;
	mib_notify(&bogus);
	ck_assert_int_eq(inproc_traps(), 1);
	inproc_traps_clear();
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("mib");
	TCase *tc = tcase_create("core");
	int status;

	if (cr_tmpdir(tmpdir, sizeof(tmpdir), "check_mib") != 0)
		return EXIT_FAILURE;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, row_columns_have_the_mib_types_and_values);
	tcase_add_test(tc, unknown_values_of_a_camera_never_polled);
	tcase_add_test(tc, unidentified_camera_has_no_maker);
	tcase_add_test(tc, jurisdiction_column);
	tcase_add_test(tc, ipv6_and_unresolved_names);
	tcase_add_test(tc, discovered_row);
	tcase_add_test(tc, getnext_walks_columns_then_indexes);
	tcase_add_test(tc, missing_instances);
	tcase_add_test(tc, removed_rows_disappear);
	tcase_add_test(tc, summary_scalars);
	tcase_add_test(tc, discovery_scalars);
	tcase_add_test(tc, notifications_carry_the_mib_objects);
	suite_add_tcase(su, tc);
	status = cr_run(su, CK_FORK_GETENV);
	cr_rmtree(tmpdir);
	return status;
}
