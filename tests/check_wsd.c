/*
 * check_wsd.c: unit tests for wsd.c, the WS-Discovery messages: parsing of
 * vendor-shaped datagrams and the Probe we send here; hostile datagrams,
 * scope decoding and the choice of the XAddr in check_wsd_hostile.c
 * (check_wsd.h between them).  No sockets; single-threaded.
 *
 * The documents are written here in the shapes real cameras send
 * (prefixes, namespace versions, scope layouts), not copied from captures.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "wsd/wsd.h"
#include "check_wsd.h"

/* A wsd_msg is ~41 KiB: keep it off the test's stack. */
struct wsd_msg msg;
char err[256];

enum wsd_error
parse(const char *xml)
{
	enum wsd_error e = wsd_parse(xml, strlen(xml), &msg, err, sizeof(err));

	if (e != WSD_OK)
		fprintf(stderr, "wsd_parse: %d: %s\n", (int)e, err);
	return e;
}

struct in_addr
ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

void
assert_zeroed(void)
{
	static const struct wsd_msg zero;

	ck_assert_int_eq(memcmp(&msg, &zero, sizeof(msg)), 0);
	ck_assert_str_ne(err, "");
}

void
put(struct gen *g, const char *s)
{
	size_t k = strlen(s);

	if (g->n + k + 1 > g->cap) {
		g->cap = (g->n + k + 1) * 2;
		g->p = realloc(g->p, g->cap);
		ck_assert_ptr_nonnull(g->p);
	}
	memcpy(g->p + g->n, s, k + 1);
	g->n += k;
}

/* ---- vendor shapes ------------------------------------------------------ */

START_TEST(hikvision_probe_match)
{
	struct wsd_scope_info si;
	const struct wsd_match *m = &msg.matches[0];

	ck_assert_int_eq(parse(hikvision), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_PROBE_MATCHES);
	ck_assert_str_eq(
	    msg.message_id, "uuid:11112222-3333-4444-5555-bcbac1a1b2c3");
	ck_assert_str_eq(
	    msg.relates_to, "urn:uuid:0a1b2c3d-0000-4000-8000-000000000001");
	ck_assert(msg.has_app_sequence);
	ck_assert_uint_eq(msg.instance_id, 1700000000UL);
	ck_assert_uint_eq(msg.message_number, 7);
	ck_assert_uint_eq(msg.n_matches, 1);
	ck_assert_uint_eq(msg.matches_dropped, 0);
	ck_assert_str_eq(
	    m->endpoint, "urn:uuid:3fa1fe68-b915-4053-a3e1-bcbac1a1b2c3");
	ck_assert(m->is_nvt);
	ck_assert_uint_eq(m->n_xaddrs, 1);
	ck_assert_str_eq(
	    m->xaddrs[0], "http://192.168.1.64/onvif/device_service");
	ck_assert_uint_eq(m->n_scopes, 5);
	/* Scopes are kept as sent, still percent-encoded. */
	ck_assert_str_eq(m->scopes[3], SC "name/HIKVISION%20DS-2CD2143G2-I");
	ck_assert(m->has_metadata_version);
	ck_assert_uint_eq(m->metadata_version, 10);
	wsd_scope_info(m, &si);
	ck_assert_str_eq(si.name, "HIKVISION DS-2CD2143G2-I");
	ck_assert_str_eq(si.hardware, "DS-2CD2143G2-I");
	ck_assert_str_eq(si.manufacturer, "");
	ck_assert_str_eq(si.location, "city/hangzhou");
	ck_assert_str_eq(si.mac, "");
}
END_TEST

START_TEST(dahua_hello)
{
	static const char xml[] =
	    "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\" ?>"
	    "<s:Envelope xmlns:sc=\"http://www.w3.org/2003/05/soap-encoding\" "
	    "xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" xmlns:d=\"" WSD "\" "
	    "xmlns:dn=\"" DN "\"><s:Header>"
	    "<a:MessageID>urn:uuid:b2a7a5a2-1f2e-4b7e-9c8d-3cef8c000001"
	    "</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery"
	    "</a:To><a:Action>" WSD "/Hello</a:Action>"
	    "<d:AppSequence InstanceId=\"4294967295\" MessageNumber=\"0\"/>"
	    "</s:Header><s:Body><d:Hello><a:EndpointReference><a:Address>"
	    "uuid:1d3e5a7b-0000-1000-8000-3cef8c123456</a:Address>"
	    "</a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>"
	    "<d:Scopes>" SC "location/country/china " SC "name/Dahua " SC
	    "hardware/IPC-HFW2228M-I1 " SC "Profile/Streaming " SC
	    "type/Network_Video_Transmitter " SC
	    "extension/unique_identifier " SC "Profile/T</d:Scopes>"
	    "<d:XAddrs>http://10.20.30.40/onvif/device_service</d:XAddrs>"
	    "<d:MetadataVersion>1</d:MetadataVersion></d:Hello></s:Body>"
	    "</s:Envelope>";
	struct wsd_scope_info si;

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_HELLO);
	ck_assert_str_eq(
	    msg.message_id, "urn:uuid:b2a7a5a2-1f2e-4b7e-9c8d-3cef8c000001");
	ck_assert_str_eq(msg.relates_to, "");
	ck_assert(msg.has_app_sequence);
	ck_assert_uint_eq(msg.instance_id, 4294967295UL);
	ck_assert_uint_eq(msg.message_number, 0);
	ck_assert_uint_eq(msg.n_matches, 1);
	ck_assert_str_eq(msg.matches[0].endpoint,
	    "uuid:1d3e5a7b-0000-1000-8000-3cef8c123456");
	ck_assert(msg.matches[0].is_nvt);
	ck_assert_uint_eq(msg.matches[0].n_scopes, 7);
	ck_assert_str_eq(
	    msg.matches[0].scopes[5], SC "extension/unique_identifier");
	wsd_scope_info(&msg.matches[0], &si);
	ck_assert_str_eq(si.name, "Dahua");
	ck_assert_str_eq(si.hardware, "IPC-HFW2228M-I1");
	ck_assert_str_eq(si.location, "country/china");
}
END_TEST

static const char axis[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<env:Envelope xmlns:env=\"" SOAP12 "\" xmlns:wsa=\"" WSA04 "\" "
    "xmlns:d=\"" WSD "\" xmlns:dn=\"" DN "\" xmlns:tds=\"" TDS "\">"
    "<env:Header><wsa:MessageID>urn:uuid:a0000000-0000-4000-8000-000000000002"
    "</wsa:MessageID><wsa:RelatesTo>urn:uuid:r</wsa:RelatesTo></env:Header>"
    "<env:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference>"
    "<wsa:Address>urn:uuid:cbc93166-2a81-4635-9fe3-dcd5e99528d3</wsa:Address>"
    "</wsa:EndpointReference><d:Types>tds:Device dn:NetworkVideoTransmitter"
    "</d:Types><d:Scopes>" SC "Profile/Streaming " SC "hardware/Q3819-PVE\n" SC
    "name/AXIS%20Q3819-PVE\t" SC "location/</d:Scopes>"
    "<d:XAddrs>https://192.168.2.190/onvif/device_service "
    "http://169.254.34.187/onvif/device_service\r\n"
    "https://169.254.34.187/onvif/device_service "
    "http://192.168.2.190/onvif/device_service</d:XAddrs>"
    "<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>"
    "</d:ProbeMatches></env:Body></env:Envelope>";

START_TEST(axis_prefers_routable_http)
{
	const struct wsd_match *m = &msg.matches[0];
	struct in_addr any = {0}, host;
	struct wsd_scope_info si;
	struct wsd_match ll;

	ck_assert_int_eq(parse(axis), WSD_OK);
	ck_assert_uint_eq(m->n_xaddrs, 4);
	ck_assert_uint_eq(m->n_scopes, 4);
	/* From its own address: the http one of that address. */
	ck_assert_int_eq(
	    wsd_choose_xaddr(m, ip("192.168.2.190"), any, any, &host), 3);
	ck_assert_uint_eq(host.s_addr, ip("192.168.2.190").s_addr);
	/* Source unknown (relayed): still the routable http, not 169.254. */
	ck_assert_int_eq(wsd_choose_xaddr(m, any, any, any, &host), 3);
	ck_assert_int_eq(wsd_choose_xaddr(m, ip("10.0.0.1"), ip("192.168.2.1"),
			     ip("255.255.255.0"), &host),
	    3);
	/* Link-local only when nothing else is offered. */
	memset(&ll, 0, sizeof(ll));
	memcpy(ll.xaddrs[0], m->xaddrs[2], CAM_STR_MAX); /* https */
	memcpy(ll.xaddrs[1], m->xaddrs[1], CAM_STR_MAX); /* http */
	ll.n_xaddrs = 2;
	ck_assert_int_eq(wsd_choose_xaddr(&ll, any, any, any, &host), 1);
	ck_assert_uint_eq(host.s_addr, ip("169.254.34.187").s_addr);
	wsd_scope_info(m, &si);
	ck_assert_str_eq(si.name, "AXIS Q3819-PVE");
	ck_assert_str_eq(si.hardware, "Q3819-PVE");
	ck_assert_str_eq(si.location, "");
}
END_TEST

START_TEST(reolink_no_brand)
{
	static const char xml[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" SOAP12 "\" "
	    "xmlns:wsa=\"" WSA04 "\" xmlns:wsdd=\"" WSD "\" xmlns:dn=\"" DN
	    "\">"
	    "<SOAP-ENV:Header><wsa:MessageID>uuid:r1</wsa:MessageID>"
	    "<wsa:RelatesTo>urn:uuid:p1</wsa:RelatesTo></SOAP-ENV:Header>"
	    "<SOAP-ENV:Body><wsdd:ProbeMatches><wsdd:ProbeMatch>"
	    "<wsa:EndpointReference><wsa:Address>"
	    "urn:uuid:15020314-0204-0408-1500-ec71db465af7</wsa:Address>"
	    "</wsa:EndpointReference>"
	    "<wsdd:Types>dn:NetworkVideoTransmitter</wsdd:Types>"
	    "<wsdd:Scopes>" SC "type/video_encoder " SC
	    "location/country/china " SC "type/network_video_transmitter " SC
	    "Profile/Streaming " SC "Profile/T " SC "name/IPC-BO " SC
	    "hardware/E1Zoom " SC "name/IPC</wsdd:Scopes><wsdd:XAddrs>"
	    "http://192.168.2.61:8000/onvif/device_service</wsdd:XAddrs>"
	    "<wsdd:MetadataVersion>1</wsdd:MetadataVersion></wsdd:ProbeMatch>"
	    "</wsdd:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>";
	struct wsd_scope_info si;
	struct in_addr any = {0}, host;

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_uint_eq(msg.matches[0].n_scopes, 8);
	wsd_scope_info(&msg.matches[0], &si);
	ck_assert_str_eq(si.name, "IPC-BO"); /* the first of two */
	ck_assert_str_eq(si.hardware, "E1Zoom");
	ck_assert_str_eq(si.manufacturer, "");
	ck_assert_str_eq(si.location, "country/china");
	ck_assert_int_eq(wsd_choose_xaddr(&msg.matches[0], ip("192.168.2.61"),
			     any, any, &host),
	    0);
	ck_assert_uint_eq(host.s_addr, ip("192.168.2.61").s_addr);
}
END_TEST

START_TEST(default_namespaces_no_prefix)
{
	/* Every element in a default namespace, wsa 2005/08, and an
	 * unprefixed Types name that resolves to the discovery namespace. */
	static const char xml[] =
	    "<Envelope xmlns=\"" SOAP12 "\"><Header>"
	    "<MessageID xmlns=\"" WSA05 "\">urn:uuid:dflt</MessageID>"
	    "<RelatesTo xmlns=\"" WSA05 "\">urn:uuid:mine</RelatesTo>"
	    "<AppSequence xmlns=\"" WSD "\" InstanceId=\"3\" "
	    "MessageNumber=\"4\"/></Header><Body>"
	    "<ProbeMatches xmlns=\"" WSD "\"><ProbeMatch>"
	    "<EndpointReference xmlns=\"" WSA05 "\"><Address>urn:uuid:e1"
	    "</Address></EndpointReference>"
	    "<Types>NetworkVideoTransmitter</Types>"
	    "<Scopes>" SC "name/Plain</Scopes>"
	    "<XAddrs>http://127.0.0.1:8080/onvif/device_service</XAddrs>"
	    "</ProbeMatch></ProbeMatches></Body></Envelope>";

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_PROBE_MATCHES);
	ck_assert_str_eq(msg.message_id, "urn:uuid:dflt");
	ck_assert_str_eq(msg.relates_to, "urn:uuid:mine");
	ck_assert(msg.has_app_sequence);
	ck_assert_uint_eq(msg.instance_id, 3);
	ck_assert_uint_eq(msg.message_number, 4);
	ck_assert_str_eq(msg.matches[0].endpoint, "urn:uuid:e1");
	ck_assert(msg.matches[0].is_nvt);
	ck_assert(!msg.matches[0].has_metadata_version);
	ck_assert_uint_eq(msg.matches[0].n_xaddrs, 1);
}
END_TEST

START_TEST(soap11_hello)
{
	static const char xml[] =
	    "<soap:Envelope xmlns:soap=\"" SOAP11 "\" xmlns:wsa=\"" WSA04 "\" "
	    "xmlns:wsd=\"" WSD "\" xmlns:tds=\"" TDS "\"><soap:Header>"
	    "<wsa:MessageID>urn:uuid:s11</wsa:MessageID></soap:Header>"
	    "<soap:Body><wsd:Hello><wsa:EndpointReference><wsa:Address>"
	    "urn:uuid:old-camera</wsa:Address></wsa:EndpointReference>"
	    "<wsd:Types>tds:Device</wsd:Types>"
	    "<wsd:XAddrs>http://10.1.1.9/onvif/device_service</wsd:XAddrs>"
	    "<wsd:MetadataVersion>2</wsd:MetadataVersion>"
	    "</wsd:Hello></soap:Body></soap:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_HELLO);
	ck_assert_str_eq(msg.message_id, "urn:uuid:s11");
	ck_assert_str_eq(msg.matches[0].endpoint, "urn:uuid:old-camera");
	ck_assert(msg.matches[0].is_nvt);
	ck_assert_uint_eq(msg.matches[0].metadata_version, 2);
	ck_assert(!msg.has_app_sequence);
}
END_TEST

START_TEST(bye_endpoint_only)
{
	static const char xml[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Header><a:Action>" WSD "/Bye</a:Action>"
	    "<a:MessageID>urn:uuid:bye1</a:MessageID></s:Header><s:Body><d:Bye>"
	    "<a:EndpointReference><a:Address>urn:uuid:gone</a:Address>"
	    "</a:EndpointReference></d:Bye></s:Body></s:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_BYE);
	ck_assert_uint_eq(msg.n_matches, 1);
	ck_assert_str_eq(msg.matches[0].endpoint, "urn:uuid:gone");
	ck_assert(msg.matches[0].is_nvt); /* no Types: not ruled out */
	ck_assert_uint_eq(msg.matches[0].n_xaddrs, 0);
	ck_assert_uint_eq(msg.matches[0].n_scopes, 0);
}
END_TEST

START_TEST(probe_from_someone_else)
{
	static const char xml[] =
	    "<soap:Envelope xmlns:soap=\"" SOAP12 "\" xmlns:wsa=\"" WSA04 "\" "
	    "xmlns:tns=\"" WSD "\" xmlns:tdn=\"" DN "\"><soap:Header>"
	    "<wsa:Action>" WSD "/Probe</wsa:Action>"
	    "<wsa:MessageID>uuid:vms-probe-1</wsa:MessageID>"
	    "<wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>"
	    "</soap:Header><soap:Body><tns:Probe>"
	    "<tns:Types>tdn:NetworkVideoTransmitter</tns:Types></tns:Probe>"
	    "</soap:Body></soap:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_PROBE);
	ck_assert_str_eq(msg.message_id, "uuid:vms-probe-1");
	ck_assert_uint_eq(msg.n_matches, 0);
}
END_TEST

START_TEST(other_actions_are_unknown)
{
	static const char resolve[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Body><d:Resolve/></s:Body></s:Envelope>";
	static const char empty_body[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\"><s:Body/></s:Envelope>";
	/* Right local name, wrong namespace: not a Hello. */
	static const char fake_hello[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"urn:x\">"
	    "<s:Body><d:Hello/></s:Body></s:Envelope>";

	ck_assert_int_eq(parse(resolve), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_UNKNOWN);
	ck_assert_int_eq(parse(empty_body), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_UNKNOWN);
	ck_assert_int_eq(parse(fake_hello), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_UNKNOWN);
}
END_TEST

START_TEST(types_by_namespace)
{
	static const char fmt[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\" xmlns:x=\"" DN "\" xmlns:dn=\"urn:other\" "
	    "xmlns:wsdp=\"http://schemas.xmlsoap.org/ws/2006/02/devprof\">"
	    "<s:Body><d:Hello><a:EndpointReference><a:Address>urn:uuid:t"
	    "</a:Address></a:EndpointReference><d:Types>%s</d:Types>"
	    "</d:Hello></s:Body></s:Envelope>";
	static const struct {
		const char *types;
		bool nvt;
	} cases[] = {
	    {"x:NetworkVideoTransmitter", true}, /* any prefix */
	    {"wsdp:Device", false}, /* a printer */
	    {"dn:NetworkVideoTransmitter", false}, /* dn is urn:other */
	    {"q:NetworkVideoTransmitter", true}, /* undeclared: lenient */
	    {"q:Device", false},
	    {"wsdp:Device x:NetworkVideoTransmitter", true},
	    {"x:Device", false},
	    {"", true}, /* empty says nothing, like absent */
	};
	char xml[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(xml, sizeof(xml), fmt, cases[i].types);
		ck_assert_int_eq(parse(xml), WSD_OK);
		ck_assert_msg(msg.matches[0].is_nvt == cases[i].nvt,
		    "Types \"%s\"", cases[i].types);
	}
}
END_TEST

START_TEST(types_device_in_tds)
{
	static const char xml[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Hello><a:EndpointReference>"
	    "<a:Address>urn:uuid:t</a:Address></a:EndpointReference>"
	    "<d:Types xmlns:dev=\"" TDS "\">dev:Device</d:Types>"
	    "</d:Hello></s:Body></s:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert(msg.matches[0].is_nvt);
}
END_TEST

START_TEST(app_sequence_garbage_ignored)
{
	static const char fmt[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Header><d:AppSequence %s/></s:Header>"
	    "<s:Body><d:Probe/></s:Body></s:Envelope>";
	static const char *const bad[] = {
	    "InstanceId=\"-1\" MessageNumber=\"2\"",
	    "InstanceId=\"12abc\" MessageNumber=\"2\"",
	    "InstanceId=\"0x10\" MessageNumber=\"2\"",
	    "InstanceId=\"1\" MessageNumber=\"\"",
	    "InstanceId=\"1\"",
	    "InstanceId=\"99999999999999999999999\" MessageNumber=\"2\"",
	};
	char xml[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(xml, sizeof(xml), fmt, bad[i]);
		ck_assert_int_eq(parse(xml), WSD_OK);
		ck_assert_int_eq(msg.type, WSD_PROBE);
		ck_assert_msg(!msg.has_app_sequence, "%s", bad[i]);
		ck_assert_uint_eq(msg.instance_id, 0);
	}
	snprintf(
	    xml, sizeof(xml), fmt, "MessageNumber=\" 9 \" InstanceId=\"8\"");
	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert(msg.has_app_sequence);
	ck_assert_uint_eq(msg.instance_id, 8);
	ck_assert_uint_eq(msg.message_number, 9);
}
END_TEST

/* ---- our Probe ---------------------------------------------------------- */

START_TEST(message_id_is_v4_uuid)
{
	char a[WSD_UUID_MAX], b[WSD_UUID_MAX];
	size_t i;

	wsd_new_message_id(a);
	wsd_new_message_id(b);
	ck_assert_uint_eq(strlen(a), WSD_UUID_MAX - 1);
	ck_assert_int_eq(strncmp(a, "urn:uuid:", 9), 0);
	ck_assert_str_ne(a, b);
	for (i = 9; i < strlen(a); i++) {
		if (i == 17 || i == 22 || i == 27 || i == 32)
			ck_assert_int_eq(a[i], '-');
		else
			ck_assert_msg(
			    strchr("0123456789abcdef", a[i]) != NULL, "%s", a);
	}
	ck_assert_int_eq(a[23], '4');
	ck_assert_ptr_nonnull(strchr("89ab", a[28]));
}
END_TEST

START_TEST(probe_round_trip)
{
	char id[WSD_UUID_MAX], buf[2048];
	int n;

	wsd_new_message_id(id);
	n = wsd_build_probe(buf, sizeof(buf), id);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq((size_t)n, strlen(buf));
	ck_assert_ptr_nonnull(strstr(buf, ">dn:NetworkVideoTransmitter<"));
	ck_assert_ptr_nonnull(
	    strstr(buf, ">urn:schemas-xmlsoap-org:ws:2005:04:discovery<"));
	ck_assert_int_eq(
	    wsd_parse(buf, (size_t)n, &msg, err, sizeof(err)), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_PROBE);
	ck_assert_str_eq(msg.message_id, id);
	/* Exactly enough room, then one byte short. */
	ck_assert_int_eq(wsd_build_probe(buf, (size_t)n + 1, id), n);
	ck_assert_int_eq(wsd_build_probe(buf, (size_t)n, id), -1);
	ck_assert_int_eq(wsd_build_probe(buf, 10, id), -1);
	/* Never markup from the caller. */
	ck_assert_int_eq(wsd_build_probe(buf, sizeof(buf), "x<y/>"), -1);
	ck_assert_int_eq(wsd_build_probe(buf, sizeof(buf), ""), -1);
}
END_TEST
int
main(void)
{
	Suite *s = suite_create("wsd");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, hikvision_probe_match);
	tcase_add_test(tc, dahua_hello);
	tcase_add_test(tc, axis_prefers_routable_http);
	tcase_add_test(tc, reolink_no_brand);
	tcase_add_test(tc, default_namespaces_no_prefix);
	tcase_add_test(tc, soap11_hello);
	tcase_add_test(tc, bye_endpoint_only);
	tcase_add_test(tc, probe_from_someone_else);
	tcase_add_test(tc, other_actions_are_unknown);
	tcase_add_test(tc, types_by_namespace);
	tcase_add_test(tc, types_device_in_tds);
	tcase_add_test(tc, app_sequence_garbage_ignored);
	tcase_add_test(tc, message_id_is_v4_uuid);
	tcase_add_test(tc, probe_round_trip);
	wsd_hostile_tests(tc);
	suite_add_tcase(s, tc);
	return cr_run(s, CK_FORK_GETENV);
}
