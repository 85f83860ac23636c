/*
 * onvif_ns.c: the XML namespace table shared by the ONVIF client and the
 * camera simulator.
 *
 * We write it by hand instead of using the generated .nsmap so that `ter`
 * (ONVIF's error namespace) is in it: gSOAP then reports fault subcodes as
 * "ter:NotAuthorized" rather than a quoted URI.  The second URI of each row
 * is the pattern gSOAP accepts on input, which lets SOAP 1.1 replies parse.
 * Read-only after start; any thread.
 */
#include "stdsoap2.h"

SOAP_NMAC struct Namespace namespaces[] = {
    {"SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope",
	"http://schemas.xmlsoap.org/soap/envelope/", NULL},
    {"SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding",
	"http://schemas.xmlsoap.org/soap/encoding/", NULL},
    {"xsi", "http://www.w3.org/2001/XMLSchema-instance",
	"http://www.w3.org/*/XMLSchema-instance", NULL},
    {"xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema",
	NULL},
    {"tt", "http://www.onvif.org/ver10/schema", NULL, NULL},
    {"tds", "http://www.onvif.org/ver10/device/wsdl", NULL, NULL},
    {"ter", "http://www.onvif.org/ver10/error", NULL, NULL},
    {"c14n", "http://www.w3.org/2001/10/xml-exc-c14n#", NULL, NULL},
    {"ds", "http://www.w3.org/2000/09/xmldsig#", NULL, NULL},
    {"saml1", "urn:oasis:names:tc:SAML:1.0:assertion", NULL, NULL},
    {"saml2", "urn:oasis:names:tc:SAML:2.0:assertion", NULL, NULL},
    {"wsu",
	"http://docs.oasis-open.org/wss/2004/01/"
	"oasis-200401-wss-wssecurity-utility-1.0.xsd",
	NULL, NULL},
    {"xenc", "http://www.w3.org/2001/04/xmlenc#", NULL, NULL},
    {"wsc", "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512",
	"http://schemas.xmlsoap.org/ws/2005/02/sc", NULL},
    {"wsse",
	"http://docs.oasis-open.org/wss/2004/01/"
	"oasis-200401-wss-wssecurity-secext-1.0.xsd",
	"http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd",
	NULL},
    {NULL, NULL, NULL, NULL}};
