/*
 * check_wsd.c: unit tests for wsd.c, the WS-Discovery messages: parsing of
 * vendor-shaped and hostile datagrams, the Probe we send, scope decoding
 * and the choice of the XAddr.  No sockets; single-threaded.
 *
 * The documents are written here in the shapes real cameras send
 * (prefixes, namespace versions, scope layouts), not copied from captures.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wsd/wsd.h"

#define SOAP12 "http://www.w3.org/2003/05/soap-envelope"
#define SOAP11 "http://schemas.xmlsoap.org/soap/envelope/"
#define WSA04 "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define WSA05 "http://www.w3.org/2005/08/addressing"
#define WSD "http://schemas.xmlsoap.org/ws/2005/04/discovery"
#define DN "http://www.onvif.org/ver10/network/wsdl"
#define TDS "http://www.onvif.org/ver10/device/wsdl"
#define SC "onvif://www.onvif.org/"

/* A wsd_msg is ~41 KiB: keep it off the test's stack. */
static struct wsd_msg msg;
static char err[256];

static enum wsd_error
parse(const char *xml)
{
	enum wsd_error e = wsd_parse(xml, strlen(xml), &msg, err, sizeof(err));

	if (e != WSD_OK)
		fprintf(stderr, "wsd_parse: %d: %s\n", (int)e, err);
	return e;
}

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void
assert_zeroed(void)
{
	static const struct wsd_msg zero;

	ck_assert_int_eq(memcmp(&msg, &zero, sizeof(msg)), 0);
	ck_assert_str_ne(err, "");
}

/* Growing text for the generated documents. */
struct gen {
	char *p;
	size_t n, cap;
};

static void
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

static const char hikvision[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" SOAP12 "\" "
    "xmlns:SOAP-ENC=\"http://www.w3.org/2003/05/soap-encoding\" "
    "xmlns:wsa=\"" WSA04 "\" xmlns:wsdd=\"" WSD "\" "
    "xmlns:tds=\"" TDS "\" xmlns:dn=\"" DN "\">\r\n"
    "<SOAP-ENV:Header>\r\n"
    "<wsa:MessageID>uuid:11112222-3333-4444-5555-bcbac1a1b2c3</wsa:MessageID>"
    "<wsa:RelatesTo>urn:uuid:0a1b2c3d-0000-4000-8000-000000000001"
    "</wsa:RelatesTo>\r\n"
    "<wsa:To SOAP-ENV:mustUnderstand=\"true\">"
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
    "<wsa:Action SOAP-ENV:mustUnderstand=\"true\">" WSD "/ProbeMatches"
    "</wsa:Action>\r\n"
    "<wsdd:AppSequence InstanceId=\"1700000000\" MessageNumber=\"7\">"
    "</wsdd:AppSequence>\r\n"
    "</SOAP-ENV:Header>\r\n"
    "<SOAP-ENV:Body><wsdd:ProbeMatches><wsdd:ProbeMatch>\r\n"
    "<wsa:EndpointReference><wsa:Address>\r\n"
    "  urn:uuid:3fa1fe68-b915-4053-a3e1-bcbac1a1b2c3  \r\n"
    "</wsa:Address></wsa:EndpointReference>\r\n"
    "<wsdd:Types>dn:NetworkVideoTransmitter tds:Device</wsdd:Types>\r\n"
    "<wsdd:Scopes>" SC "type/video_encoder " SC "Profile/Streaming " SC
    "hardware/DS-2CD2143G2-I " SC "name/HIKVISION%20DS-2CD2143G2-I " SC
    "location/city/hangzhou</wsdd:Scopes>\r\n"
    "<wsdd:XAddrs>http://192.168.1.64/onvif/device_service</wsdd:XAddrs>"
    "\r\n<wsdd:MetadataVersion>10</wsdd:MetadataVersion>\r\n"
    "</wsdd:ProbeMatch></wsdd:ProbeMatches></SOAP-ENV:Body>\r\n"
    "</SOAP-ENV:Envelope>\r\n";

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

/* ---- hostile datagrams -------------------------------------------------- */

START_TEST(not_xml_and_truncated)
{
	char cut[sizeof(hikvision)];

	ck_assert_int_eq(parse("hello, camera"), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_int_eq(
	    wsd_parse("", 0, &msg, err, sizeof(err)), WSD_E_MALFORMED);
	assert_zeroed();
	/* Half a ProbeMatch: the parse must fail, not return the half. */
	memcpy(cut, hikvision, sizeof(hikvision) / 2);
	cut[sizeof(hikvision) / 2] = '\0';
	ck_assert_int_eq(parse(cut), WSD_E_MALFORMED);
	assert_zeroed();
	/* Only len counts: the same bytes without their last one. */
	ck_assert_int_eq(
	    wsd_parse(hikvision, strlen(hikvision) - 3, &msg, err, sizeof(err)),
	    WSD_E_MALFORMED);
	/* No err buffer at all is fine too. */
	ck_assert_int_eq(wsd_parse("<", 1, &msg, NULL, 0), WSD_E_MALFORMED);
}
END_TEST

START_TEST(billion_laughs_refused)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
	    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
	    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
	    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
	    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
	    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
	    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
	    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Header><MessageID>&lol9;</MessageID></s:Header>"
	    "<s:Body><d:Probe/></s:Body></s:Envelope>";
	static const char ext[] =
	    "<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\"><s:Body>&x;</s:Body>"
	    "</s:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "DTD"));
	ck_assert_int_eq(parse(ext), WSD_E_MALFORMED);
	assert_zeroed();
}
END_TEST

/* ASCII into UTF-16LE with a BOM: what a byte search for "<!DOCTYPE" misses. */
static size_t
utf16le(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	ck_assert_uint_le(2 * strlen(s) + 2, outsz);
	out[n++] = '\xff';
	out[n++] = '\xfe';
	for (; *s != '\0'; s++) {
		out[n++] = *s;
		out[n++] = '\0';
	}
	return n;
}

START_TEST(dtd_in_utf16_refused)
{
	static const char plain[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Body><d:Probe/></s:Body></s:Envelope>";
	static const char with_dtd[] =
	    "<!DOCTYPE s:Envelope [<!ELEMENT s:Envelope ANY>]>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\">"
	    "<s:Body><d:Probe/></s:Body></s:Envelope>";
	char buf[1024];
	size_t n;

	/* The decoding works: the same document without a DTD parses. */
	n = utf16le(plain, buf, sizeof(buf));
	ck_assert_int_eq(wsd_parse(buf, n, &msg, err, sizeof(err)), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_PROBE);
	n = utf16le(with_dtd, buf, sizeof(buf));
	ck_assert_int_eq(
	    wsd_parse(buf, n, &msg, err, sizeof(err)), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "DTD"));
}
END_TEST

/* An envelope whose Body holds `levels` nested <a>, closed or not. */
static char *
nested(size_t levels, bool closed)
{
	struct gen g = {0};
	size_t i;

	put(&g, "<s:Envelope xmlns:s=\"" SOAP12 "\"><s:Body>");
	for (i = 0; i < levels; i++)
		put(&g, "<a>");
	for (i = 0; closed && i < levels; i++)
		put(&g, "</a>");
	if (closed)
		put(&g, "</s:Body></s:Envelope>");
	return g.p;
}

START_TEST(deep_nesting_refused)
{
	char *x;
	clock_t t0 = clock();

	/* 10,000 levels do not fit in a datagram we parse... */
	x = nested(10000, false);
	ck_assert_int_eq(parse(x), WSD_E_OVERSIZED);
	free(x);
	/* ...5,000 do, and fail on depth at once. */
	x = nested(5000, false);
	ck_assert_uint_le(strlen(x), WSD_MAX_DATAGRAM);
	ck_assert_int_eq(parse(x), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "deep"));
	free(x);
	/* Our own limit, far below libxml2's 256: Envelope, Body and 30
	 * more make 32, one more is refused. */
	x = nested(30, true);
	ck_assert_int_eq(parse(x), WSD_OK);
	ck_assert_int_eq(msg.type, WSD_UNKNOWN);
	free(x);
	x = nested(31, true);
	ck_assert_int_eq(parse(x), WSD_E_MALFORMED);
	ck_assert_ptr_nonnull(strstr(err, "deep"));
	free(x);
	ck_assert_msg(clock() - t0 < CLOCKS_PER_SEC, "slow");
}
END_TEST

START_TEST(oversized_refused_unparsed)
{
	char *x = malloc(20000);
	size_t n = strlen(hikvision);

	ck_assert_ptr_nonnull(x);
	/* A valid ProbeMatch padded with white space to the exact limit. */
	memcpy(x, hikvision, n);
	memset(x + n, ' ', 20000 - n);
	ck_assert_int_eq(
	    wsd_parse(x, WSD_MAX_DATAGRAM, &msg, err, sizeof(err)), WSD_OK);
	ck_assert_int_eq(
	    wsd_parse(x, WSD_MAX_DATAGRAM + 1, &msg, err, sizeof(err)),
	    WSD_E_OVERSIZED);
	assert_zeroed();
	ck_assert_int_eq(
	    wsd_parse(x, 20000, &msg, err, sizeof(err)), WSD_E_OVERSIZED);
	free(x);
}
END_TEST

static const char pm_head[] =
    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
    "xmlns:d=\"" WSD "\"><s:Header><a:RelatesTo>urn:uuid:p</a:RelatesTo>"
    "</s:Header><s:Body><d:ProbeMatches>";
static const char pm_tail[] = "</d:ProbeMatches></s:Body></s:Envelope>";

START_TEST(hundred_matches_four_kept)
{
	struct gen g = {0};
	char one[128];
	int i;

	put(&g, pm_head);
	for (i = 0; i < 100; i++) {
		snprintf(one, sizeof(one),
		    "<d:ProbeMatch><a:EndpointReference><a:Address>e%d"
		    "</a:Address></a:EndpointReference></d:ProbeMatch>",
		    i);
		put(&g, one);
	}
	put(&g, pm_tail);
	ck_assert_uint_le(g.n, WSD_MAX_DATAGRAM);
	ck_assert_int_eq(parse(g.p), WSD_OK);
	ck_assert_uint_eq(msg.n_matches, WSD_MAX_MATCHES);
	ck_assert_uint_eq(msg.matches_dropped, 96);
	ck_assert_str_eq(msg.matches[0].endpoint, "e0");
	ck_assert_str_eq(msg.matches[3].endpoint, "e3");
	free(g.p);
}
END_TEST

START_TEST(five_hundred_scopes_capped)
{
	struct gen g = {0};
	char one[32];
	int i;

	put(&g, pm_head);
	put(&g,
	    "<d:ProbeMatch><a:EndpointReference><a:Address>e"
	    "</a:Address></a:EndpointReference><d:Scopes>");
	for (i = 0; i < 500; i++) {
		snprintf(one, sizeof(one), "s:%d ", i);
		put(&g, one);
	}
	put(&g, "</d:Scopes></d:ProbeMatch>");
	put(&g, pm_tail);
	ck_assert_int_eq(parse(g.p), WSD_OK);
	ck_assert_uint_eq(msg.matches[0].n_scopes, CAM_SCOPES_MAX);
	ck_assert_str_eq(msg.matches[0].scopes[0], "s:0");
	ck_assert_str_eq(msg.matches[0].scopes[31], "s:31");
	free(g.p);
}
END_TEST

START_TEST(long_xaddr_dropped_not_cut)
{
	struct gen g = {0};
	char *big = malloc(5001);
	const struct wsd_match *m = &msg.matches[0];
	struct in_addr any = {0}, host;

	ck_assert_ptr_nonnull(big);
	memcpy(big, "http://10.0.0.1/", 16);
	memset(big + 16, 'x', 5000 - 16);
	big[5000] = '\0';
	put(&g, pm_head);
	put(&g,
	    "<d:ProbeMatch><a:EndpointReference><a:Address>e"
	    "</a:Address></a:EndpointReference><d:XAddrs>"
	    "http://10.0.0.2/a ");
	put(&g, big);
	put(&g, " http://10.0.0.3/b</d:XAddrs></d:ProbeMatch>");
	put(&g, pm_tail);
	ck_assert_int_eq(parse(g.p), WSD_OK);
	ck_assert_uint_eq(m->n_xaddrs, 2);
	ck_assert_str_eq(m->xaddrs[0], "http://10.0.0.2/a");
	ck_assert_str_eq(m->xaddrs[1], "http://10.0.0.3/b");
	ck_assert_int_eq(
	    wsd_choose_xaddr(m, ip("10.0.0.3"), any, any, &host), 1);
	free(big);
	free(g.p);
}
END_TEST

START_TEST(scopes_cleaned)
{
	/* DEL and a C1 control are legal XML characters but not printable;
	 * an ISO-8859-1 document is decoded to UTF-8. */
	static const char ctl[] =
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Hello><a:EndpointReference>"
	    "<a:Address>e&#x7f;</a:Address></a:EndpointReference><d:Scopes>"
	    "a&#x7f;b c&#x85;d caf\xe9</d:Scopes></d:Hello></s:Body>"
	    "</s:Envelope>";
	/* Raw invalid UTF-8 in a UTF-8 document. */
	static const char bad[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Hello><a:EndpointReference>"
	    "<a:Address>e</a:Address></a:EndpointReference><d:Scopes>"
	    "x\xff\xfey \xc0\xaf</d:Scopes></d:Hello></s:Body></s:Envelope>";
	const struct wsd_match *m = &msg.matches[0];

	ck_assert_int_eq(parse(ctl), WSD_OK);
	ck_assert_str_eq(m->endpoint, "e?");
	ck_assert_uint_eq(m->n_scopes, 3);
	ck_assert_str_eq(m->scopes[0], "a?b");
	ck_assert_str_eq(m->scopes[1], "c?d");
	ck_assert_str_eq(m->scopes[2], "caf\xc3\xa9");
	/* libxml2 refuses it outright; nothing of it may come through. */
	ck_assert_int_eq(parse(bad), WSD_E_MALFORMED);
	assert_zeroed();
}
END_TEST

START_TEST(match_without_endpoint)
{
	static const char xml[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"" WSA04 "\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:ProbeMatches>"
	    "<d:ProbeMatch><d:XAddrs>http://10.0.0.9/</d:XAddrs></d:ProbeMatch>"
	    "<d:ProbeMatch><a:EndpointReference><a:Address>  </a:Address>"
	    "</a:EndpointReference></d:ProbeMatch>"
	    "<d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:ok"
	    "</a:Address></a:EndpointReference></d:ProbeMatch>"
	    "</d:ProbeMatches></s:Body></s:Envelope>";
	static const char none[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:d=\"" WSD "\"><s:Body>"
	    "<d:ProbeMatches><d:ProbeMatch><d:XAddrs>http://10.0.0.9/"
	    "</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body>"
	    "</s:Envelope>";
	/* An Address in a foreign namespace is no Address. */
	static const char hello[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:a=\"urn:not-wsa\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Hello><a:EndpointReference>"
	    "<a:Address>urn:uuid:x</a:Address></a:EndpointReference>"
	    "</d:Hello></s:Body></s:Envelope>";

	ck_assert_int_eq(parse(xml), WSD_OK);
	ck_assert_uint_eq(msg.n_matches, 1);
	ck_assert_uint_eq(msg.matches_dropped, 2);
	ck_assert_str_eq(msg.matches[0].endpoint, "urn:uuid:ok");
	ck_assert_uint_eq(msg.matches[0].n_xaddrs, 0);
	ck_assert_int_eq(parse(none), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "ProbeMatch"));
	ck_assert_int_eq(parse(hello), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "Hello"));
}
END_TEST

START_TEST(wrong_envelope_refused)
{
	static const char wrong_ns[] =
	    "<s:Envelope xmlns:s=\"http://example.com/soap\" "
	    "xmlns:d=\"" WSD "\"><s:Body><d:Probe/></s:Body></s:Envelope>";
	static const char no_ns[] =
	    "<Envelope><Body><Probe/></Body></Envelope>";
	static const char not_envelope[] = "<s:Body xmlns:s=\"" SOAP12 "\"/>";
	/* A SOAP 1.1 Body inside a SOAP 1.2 Envelope. */
	static const char mixed[] =
	    "<s:Envelope xmlns:s=\"" SOAP12 "\" xmlns:t=\"" SOAP11 "\" "
	    "xmlns:d=\"" WSD "\"><t:Body><d:Probe/></t:Body></s:Envelope>";

	ck_assert_int_eq(parse(wrong_ns), WSD_E_MALFORMED);
	assert_zeroed();
	ck_assert_ptr_nonnull(strstr(err, "example.com"));
	ck_assert_int_eq(parse(no_ns), WSD_E_MALFORMED);
	ck_assert_int_eq(parse(not_envelope), WSD_E_MALFORMED);
	ck_assert_int_eq(parse(mixed), WSD_E_MALFORMED);
	ck_assert_ptr_nonnull(strstr(err, "Body"));
}
END_TEST

/* ---- scope decoding and the XAddr choice -------------------------------- */

static void
set_scopes(struct wsd_match *m, const char *const *s, size_t n)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++)
		snprintf(m->scopes[i], CAM_STR_MAX, "%s", s[i]);
	m->n_scopes = n;
}

START_TEST(scope_info_variants)
{
	static const char *const hanwha[] = {
	    "ONVIF://www.onvif.org/Name/XNV-8080R",
	    SC "MANUFACTURER/Hanwha%20Vision",
	    SC "MAC/004084F896AB",
	    SC "mac/00:11:22:33:44:55", /* the first wins */
	    SC "Location/Seoul",
	    SC "location/",
	    SC "location/Floor%202",
	    "http://www.example.com/name/not-onvif",
	    SC "name",
	    SC "namex/no",
	};
	static const char *const flir[] = {
	    SC "name/", /* empty: the next one counts */
	    SC "name/FC-690",
	    SC "manufacturer/FLIR%20Systems",
	    SC "manufacturer/DVTel",
	    SC "hardware/caf%C3%A9%01",
	    SC "mac/41a0bc:41a0bd:41a0be:41a0bf:41a0c0:41a0c1",
	};
	struct wsd_match m;
	struct wsd_scope_info si;

	set_scopes(&m, hanwha, sizeof(hanwha) / sizeof(hanwha[0]));
	wsd_scope_info(&m, &si);
	ck_assert_str_eq(si.name, "XNV-8080R");
	ck_assert_str_eq(si.manufacturer, "Hanwha Vision");
	ck_assert_str_eq(si.mac, "00:40:84:f8:96:ab");
	ck_assert_str_eq(si.location, "Seoul, Floor 2");
	ck_assert_str_eq(si.hardware, "");
	set_scopes(&m, flir, sizeof(flir) / sizeof(flir[0]));
	wsd_scope_info(&m, &si);
	ck_assert_str_eq(si.name, "FC-690");
	ck_assert_str_eq(si.manufacturer, "FLIR Systems");
	ck_assert_str_eq(si.hardware, "caf\xc3\xa9?");
	ck_assert_str_eq(si.mac, "");
	ck_assert_str_eq(si.location, "");
}
END_TEST

START_TEST(location_join_bounded)
{
	static const char *const mstar[] = {
	    SC "location/China", SC "location/Shenzhen"};
	struct wsd_match m;
	struct wsd_scope_info si;
	size_t i;

	set_scopes(&m, mstar, 2);
	wsd_scope_info(&m, &si);
	ck_assert_str_eq(si.location, "China, Shenzhen");
	/* 32 long locations: whole values while they fit, never a cut. */
	memset(&m, 0, sizeof(m));
	for (i = 0; i < CAM_SCOPES_MAX; i++) {
		snprintf(m.scopes[i], CAM_STR_MAX, SC "location/%0100zu", i);
	}
	m.n_scopes = CAM_SCOPES_MAX;
	wsd_scope_info(&m, &si);
	ck_assert_uint_eq(strlen(si.location), 100 + 2 + 100);
}
END_TEST

static void
set_xaddrs(struct wsd_match *m, const char *const *x, size_t n)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++)
		snprintf(m->xaddrs[i], CAM_STR_MAX, "%s", x[i]);
	m->n_xaddrs = n;
}

START_TEST(xaddr_unusable_forms)
{
	static const char *const x[] = {
	    "http://camera.local/onvif/device_service",
	    "http://[fe80::1]/onvif/device_service",
	    "http://0.0.0.0/",
	    "http://224.0.0.1/",
	    "http://239.255.255.250:3702/",
	    "http://255.255.255.255/",
	    "http://10.0.0.1:99999/",
	    "http://10.0.0.1:/",
	    "http://10.0.0.1:80x/",
	    "ftp://10.0.0.1/",
	    "http://10.0.0.256/",
	    "http://10.1/",
	    "http://user@10.0.0.1/",
	    "10.0.0.1",
	};
	struct wsd_match m;
	struct in_addr any = {0}, host = {0};

	set_xaddrs(&m, x, sizeof(x) / sizeof(x[0]) - 6);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), -1);
	set_xaddrs(&m, x + 8, 6);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), -1);
	ck_assert_uint_eq(host.s_addr, 0);
}
END_TEST

START_TEST(xaddr_ranking)
{
	static const char *const x[] = {
	    "https://10.0.0.5/onvif/device_service",
	    "http://169.254.1.2/onvif/device_service",
	    "HTTPS://192.168.1.20:443/onvif/device_service",
	    "http://10.0.0.5:80/onvif/device_service",
	    "http://192.168.1.20:8000?x",
	    "http://127.0.0.1/onvif/device_service",
	};
	struct wsd_match m;
	struct in_addr any = {0}, host;
	struct in_addr ifa = ip("192.168.1.1"), mask = ip("255.255.255.0");

	set_xaddrs(&m, x, 6);
	/* The source wins over the subnet, http over https. */
	ck_assert_int_eq(
	    wsd_choose_xaddr(&m, ip("10.0.0.5"), ifa, mask, &host), 3);
	/* Unknown source: the receiving interface's subnet. */
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, ifa, mask, &host), 4);
	ck_assert_uint_eq(host.s_addr, ip("192.168.1.20").s_addr);
	/* Nothing known: the first routable http. */
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), 3);
	/* A link-local source is the source (its datagram reached us). */
	ck_assert_int_eq(
	    wsd_choose_xaddr(&m, ip("169.254.1.2"), any, any, &host), 1);
	/* Loopback counts as routable: the simulated cameras live there. */
	set_xaddrs(&m, x + 5, 1);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), 0);
	ck_assert_uint_eq(host.s_addr, ip("127.0.0.1").s_addr);
	/* https alone still counts. */
	set_xaddrs(&m, x, 2);
	ck_assert_int_eq(wsd_choose_xaddr(&m, any, any, any, &host), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("wsd");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

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
	tcase_add_test(tc, not_xml_and_truncated);
	tcase_add_test(tc, billion_laughs_refused);
	tcase_add_test(tc, dtd_in_utf16_refused);
	tcase_add_test(tc, deep_nesting_refused);
	tcase_add_test(tc, oversized_refused_unparsed);
	tcase_add_test(tc, hundred_matches_four_kept);
	tcase_add_test(tc, five_hundred_scopes_capped);
	tcase_add_test(tc, long_xaddr_dropped_not_cut);
	tcase_add_test(tc, scopes_cleaned);
	tcase_add_test(tc, match_without_endpoint);
	tcase_add_test(tc, wrong_envelope_refused);
	tcase_add_test(tc, scope_info_variants);
	tcase_add_test(tc, location_join_bounded);
	tcase_add_test(tc, xaddr_unusable_forms);
	tcase_add_test(tc, xaddr_ranking);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
