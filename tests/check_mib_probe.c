/*
 * check_mib_probe.c: camDeviceBrand, camDeviceSeenBy and camDeviceFacts,
 * and the notifications of a camera identified only by what it said
 * without credentials, through a real Net-SNMP agent in this process
 * (inproc_agent.c) over a real store classified by the shipped policy.
 * The column numbers are the MIB's (mibs/CAMERA-COMPLIANCE-MIB.txt), not
 * mib.c's.  Main thread only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/mib.h"
#include "common/strutil.h"
#include "inproc_agent.h"
#include "store_fixture.h"

#define ARC 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 3102
static const oid entry_oid[] = {ARC, 1, 2, 1};
static const oid trapoid_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

/* camDeviceEntry's columns */
#define C_MODEL 7
#define C_SERIAL 9
#define C_VERDICT 15
#define C_MAKER 16
#define C_EVIDENCE 17
#define C_BRAND 31
#define C_SEEN_BY 32
#define C_FACTS 33

#define T0 1700000000
#define URL "http://192.0.2.10/onvif/device_service"
#define ECI_SERIAL "ECI-T24F220230615AAWRAC4440853"

/* Under $TMPDIR (default /tmp), as every test's own directory. */
static char tmpdir[200];
static struct policy *pol;
static struct store *st;

static void
setup(void)
{
	inproc_agent_up("check_mib_probe", tmpdir, mib_init);
	pol = fx_policy(TOP_SRCDIR "/tests/data/oui", NULL);
	st = store_new(&mib_store_hooks);
	inproc_traps_clear();
}

static void
teardown(void)
{
	store_free(st);
	policy_free(pol);
	inproc_traps_clear();
}

static netsnmp_variable_list *
col(long c, uint32_t index)
{
	return inproc_query_at(
	    SNMP_MSG_GET, entry_oid, OID_LENGTH(entry_oid), c, (long)index);
}

static struct device *
camera(struct store *s)
{
	return fx_camera(s, URL, T0);
}

/* ONVIF switched off (404); SADP and the web server answer. */
static void
avycon(struct onvif_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = ONVIF_HTTP_ERROR;
	r->http_code = 404;
	str_lcpy(r->id.address, "192.0.2.10", CAM_ADDR_MAX);
	r->id.facts.tried = 0x7e; /* every collector but ONVIF */
	fx_fact(r, FACT_PROTOCOL, PROBE_SADP, "sadp");
	fx_fact(r, FACT_MODEL, PROBE_SADP, "ECI-T24F2");
	fx_fact(r, FACT_SERIAL, PROBE_SADP, ECI_SERIAL);
	fx_fact(r, FACT_FIRMWARE, PROBE_SADP, "V5.7.1build 220609");
	fx_fact(r, FACT_HTTP_SERVER, PROBE_HTTP, "App-webs/");
	fx_fact(r, FACT_PROTOCOL, PROBE_HTTP, "rpc2");
}

/* Notifications of a poll: how many, and the first one's number. */
static int
polled(struct store *s, struct device *d, const struct onvif_result *r,
    time_t now, oid *first)
{
	struct dev_event ev[4];
	const netsnmp_variable_list *vb;
	int i, n = store_apply(s, d, r, pol, now, ev);

	inproc_traps_clear();
	for (i = 0; i < n; i++)
		mib_notify(&ev[i]);
	ck_assert_int_eq(inproc_traps(), n);
	if (n > 0 && first != NULL) {
		vb = inproc_trap(0)->next_variable; /* after sysUpTime.0 */
		ck_assert(
		    inproc_is_oid(vb, trapoid_oid, OID_LENGTH(trapoid_oid)));
		*first = vb->val.objid[vb->val_len / sizeof(oid) - 1];
	}
	return n;
}

START_TEST(a_camera_named_by_its_facts)
{
	struct device *d = camera(st);
	struct onvif_result r;
	oid first = 0;
	uint32_t i = d->index;
	const netsnmp_variable_list *vb;
	netsnmp_variable_list *ev;

	avycon(&r);
	/* Identified, restricted: camRestrictedDeviceDetected(1), once. */
	ck_assert_int_eq(polled(st, d, &r, T0 + 1, &first), 1);
	ck_assert_uint_eq(first, 1);
	/* Its varbinds are the row's, the model from SADP among them. */
	for (vb = inproc_trap(0); vb != NULL; vb = vb->next_variable)
		if (vb->name_length == OID_LENGTH(entry_oid) + 2 &&
		    vb->name[OID_LENGTH(entry_oid)] == C_MODEL)
			break;
	ck_assert_ptr_nonnull(vb);
	ck_assert_uint_eq(vb->val_len, strlen("ECI-T24F2"));
	ck_assert_mem_eq(vb->val.string, "ECI-T24F2", vb->val_len);
	expect_str(col(C_MODEL, i), "ECI-T24F2");
	expect_str(col(C_SERIAL, i), ECI_SERIAL);
	expect_num(col(C_VERDICT, i), ASN_INTEGER, 2); /* restricted */
	expect_str(col(C_MAKER, i), "hikvision");
	expect_str(col(C_BRAND, i), "AVYCON");
	/* sadp(1) and http(3); not onvif(0): its poll failed. */
	expect_bytes(col(C_SEEN_BY, i), "\x50", 1);
	expect_str(col(C_FACTS, i),
	    "sadp model=ECI-T24F2 serial=" ECI_SERIAL
	    " firmware=V5.7.1build 220609; http server=App-webs/ "
	    "protocol=rpc2");
	/* makerProtocol(13): bit 5 of the second octet. */
	ev = col(C_EVIDENCE, i);
	ck_assert_uint_eq(ev->val_len, 3);
	ck_assert_uint_eq(ev->val.string[1] & 0x04, 0x04);
	snmp_free_var(ev);
	/* The next poll, probed or not: no notification. */
	ck_assert_int_eq(polled(st, d, &r, T0 + 2, NULL), 0);
	memset(&r.id.facts, 0, sizeof(r.id.facts));
	ck_assert_int_eq(polled(st, d, &r, T0 + 3, NULL), 0);
	expect_str(col(C_BRAND, i), "AVYCON");
	expect_bytes(col(C_SEEN_BY, i), "\x50", 1);
}
END_TEST

/* A Xiongmai white label with ONVIF off: its web server and its open
 * DVR-IP port (the ports collector, bit 7) name it. */
START_TEST(a_private_port_in_the_row)
{
	struct device *d = camera(st);
	struct onvif_result r;
	uint32_t i = d->index;

	memset(&r, 0, sizeof(r));
	r.status = ONVIF_HTTP_ERROR;
	r.http_code = 404;
	str_lcpy(r.id.address, "192.0.2.10", CAM_ADDR_MAX);
	r.id.facts.tried = CAM_PROBE(PROBE_HTTP) | CAM_PROBE(PROBE_PORTS);
	fx_fact(&r, FACT_HTTP_SERVER, PROBE_HTTP, "uc-httpd 1.0.0");
	fx_fact(&r, FACT_HTTP_TITLE, PROBE_HTTP, "NETSurveillance WEB");
	fx_fact(&r, FACT_PRIVATE_PORT, PROBE_PORTS, "34567");
	ck_assert_int_eq(polled(st, d, &r, T0 + 1, NULL), 1);
	expect_num(col(C_VERDICT, i), ASN_INTEGER, 2); /* restricted */
	expect_str(col(C_MAKER, i), "xiongmai");
	/* http(3) and ports(7). */
	expect_bytes(col(C_SEEN_BY, i), "\x11", 1);
	expect_str(col(C_FACTS, i),
	    "http server=uc-httpd 1.0.0 title=NETSurveillance WEB; "
	    "ports private-port=34567");
}
END_TEST

/* A restart (state file) sends nothing again for it. */
START_TEST(announced_once_across_a_restart)
{
	struct device *d = camera(st);
	struct onvif_result r;
	char path[512], err[256];
	oid first = 0;

	avycon(&r);
	ck_assert_int_eq(polled(st, d, &r, T0 + 1, &first), 1);
	snprintf(path, sizeof(path), "%s/state", tmpdir);
	ck_assert_int_eq(store_save(st, path), 0);
	store_free(st);
	st = store_new(&mib_store_hooks);
	ck_assert_int_eq(store_load(st, path, err, sizeof(err)), 0);
	d = camera(st);
	ck_assert_int_eq(store_reclassify(st, pol, T0 + 100, NULL, NULL), 0);
	expect_str(col(C_BRAND, d->index), "AVYCON");
	expect_bytes(col(C_SEEN_BY, d->index), "\x50", 1);
	ck_assert_int_eq(polled(st, d, &r, T0 + 101, NULL), 0);
	unlink(path);
}
END_TEST

/* 255 octets at most, never a character cut in two. */
START_TEST(facts_cut_at_255_octets_on_a_character)
{
	struct device *d = camera(st);
	struct onvif_result r;
	char text[CAM_FACT_MAX];
	netsnmp_variable_list *vb;
	size_t k;

	memset(&r, 0, sizeof(r));
	r.status = ONVIF_NO_CREDENTIALS;
	r.id.facts.tried = CAM_PROBE(PROBE_HTTP) | CAM_PROBE(PROBE_TLS);
	/* "é" (2 octets) throughout, so that any cut may fall inside one. */
	for (k = 0; k + 2 < sizeof(text); k += 2)
		memcpy(text + k, "\xc3\xa9", 2);
	text[k] = '\0';
	fx_fact(&r, FACT_HTTP_TITLE, PROBE_HTTP, text);
	text[0] = 'x';
	text[1] = 'x';
	fx_fact(&r, FACT_TLS_SUBJECT, PROBE_TLS, text + 1);
	store_apply(st, d, &r, pol, T0 + 1, (struct dev_event[4]){0});
	vb = col(C_FACTS, d->index);
	ck_assert_int_eq(vb->type, ASN_OCTET_STR);
	ck_assert_uint_le(vb->val_len, 255);
	ck_assert_uint_ge(vb->val_len, 254);
	ck_assert_mem_eq(vb->val.string, "http title=\xc3\xa9", 13);
	/* The last character is whole: not a lead octet left alone. */
	ck_assert_uint_ne(vb->val.string[vb->val_len - 1], 0xc3);
	snmp_free_var(vb);
	expect_bytes(col(C_SEEN_BY, d->index), "\x12", 1); /* http, tls */
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("mib_probe");
	TCase *tc = tcase_create("core");
	int status;

	if (cr_tmpdir(tmpdir, sizeof(tmpdir), "check_mib_probe") != 0)
		return EXIT_FAILURE;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_camera_named_by_its_facts);
	tcase_add_test(tc, a_private_port_in_the_row);
	tcase_add_test(tc, announced_once_across_a_restart);
	tcase_add_test(tc, facts_cut_at_255_octets_on_a_character);
	suite_add_tcase(su, tc);
	status = cr_run(su, CK_FORK_GETENV);
	cr_rmtree(tmpdir);
	return status;
}
