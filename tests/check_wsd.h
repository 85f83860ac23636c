/*
 * check_wsd.h: what check_wsd.c and check_wsd_hostile.c share: the
 * namespaces, a Hikvision ProbeMatch, the parsed message (off the stack:
 * ~41 KiB) and the helpers around wsd_parse(), and the tests
 * check_wsd_hostile.c adds.
 */
#ifndef CHECK_WSD_H
#define CHECK_WSD_H

#include <netinet/in.h>

#include <check.h>
#include <stddef.h>

#include "wsd/wsd.h"

#define SOAP12 "http://www.w3.org/2003/05/soap-envelope"
#define SOAP11 "http://schemas.xmlsoap.org/soap/envelope/"
#define WSA04 "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define WSA05 "http://www.w3.org/2005/08/addressing"
#define WSD "http://schemas.xmlsoap.org/ws/2005/04/discovery"
#define DN "http://www.onvif.org/ver10/network/wsdl"
#define TDS "http://www.onvif.org/ver10/device/wsdl"
#define SC "onvif://www.onvif.org/"

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

extern struct wsd_msg msg;
extern char err[256];

/* wsd_parse() of xml into msg (its error in err, and on stderr). */
enum wsd_error parse(const char *xml);
struct in_addr ip(const char *s);
/* A refused datagram left msg zeroed and said why in err. */
void assert_zeroed(void);

/* Growing text for the generated documents. */
struct gen {
	char *p;
	size_t n, cap;
};

void put(struct gen *g, const char *s);

/* check_wsd_hostile.c: its tests, into tc. */
void wsd_hostile_tests(TCase *tc);

#endif
