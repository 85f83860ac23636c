/*
 * wsd.c: WS-Discovery 2005/04 messages (see wsd.h).
 *
 * Owns the parsing of untrusted discovery datagrams into struct wsd_msg,
 * the Probe we send, the decoding of ONVIF scopes and the choice of the
 * XAddr to poll.  No global state (but an atomic counter in the last-resort
 * id source) and no global libxml2 settings: every parse has its own parser
 * context, so any thread may call any function here, also while the main
 * thread loads a policy with libxml2.
 */

#include <sys/random.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "common/strutil.h"
#include "wsd/wsd.h"

#define NS_SOAP12 "http://www.w3.org/2003/05/soap-envelope"
#define NS_SOAP11 "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_WSA2004 "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define NS_WSA2005 "http://www.w3.org/2005/08/addressing"
#define NS_WSD "http://schemas.xmlsoap.org/ws/2005/04/discovery"
#define NS_DN "http://www.onvif.org/ver10/network/wsdl"
#define NS_TDS "http://www.onvif.org/ver10/device/wsdl"

/*
 * A real ProbeMatch is 6 levels deep (Envelope/Body/ProbeMatches/
 * ProbeMatch/EndpointReference/Address); anything near this is an attack.
 */
#define WSD_MAX_DEPTH 32

/* XML white space: what separates the items of Scopes, XAddrs, Types. */
#define XML_WS " \t\r\n"

/* Either WS-Addressing namespace; compared by address, never as a URI. */
static const char NS_WSA_ANY[] = "any WS-Addressing";

/* State of one guarded parse, reached through ctxt->_private. */
struct guard {
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
	int depth;
	const char *why; /* set when we stopped the parser */
};

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The message may quote the datagram (libxml2 names tags in its errors), so
 * it goes through str_clean like everything else from the network.
 */
static void
set_err(char *err, size_t errsz, const char *fmt, ...)
{
	char tmp[CAM_STR_MAX];
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	str_clean(err, errsz, tmp);
}

/* ---- the guarded libxml2 parse ------------------------------------------ */

static void
guard_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	/* Stop while the tree is still shallow, long before the stack or
	 * libxml2's own limit (256) matters. */
	if (++g->depth > WSD_MAX_DEPTH) {
		g->why = "elements nested too deep";
		xmlStopParser(ctxt);
		return;
	}
	g->start(ctx, localname, prefix, uri, nb_namespaces, namespaces,
	    nb_attributes, nb_defaulted, attributes);
}

static void
guard_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	g->depth--;
	g->end(ctx, localname, prefix, uri);
}

/*
 * The byte search in wsd_parse misses a DOCTYPE in UTF-16 or in an
 * encoding switched to by the XML declaration; this catches every one
 * before a single declaration in it is read.
 */
static void
guard_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	g->why = "a DTD";
	xmlStopParser(ctxt);
}

/* Errors are reported through err, never printed. */
static void
quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void
guard_install(xmlParserCtxtPtr ctxt, struct guard *g)
{
	memset(g, 0, sizeof(*g));
	g->start = ctxt->sax->startElementNs;
	g->end = ctxt->sax->endElementNs;
	ctxt->_private = g;
	ctxt->sax->startElementNs = guard_start;
	ctxt->sax->endElementNs = guard_end;
	ctxt->sax->internalSubset = guard_dtd;
	ctxt->sax->serror = quiet;
}

/*
 * xmlReadMemory with the same options, on a context of our own so that the
 * depth and DTD guards can stop the parser early.  Returns the document or
 * NULL with err set.
 */
static xmlDocPtr
parse_doc(const char *buf, size_t len, char *err, size_t errsz)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlErrorPtr e;
	struct guard g;
	int rc;

	ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
	if (ctxt == NULL) {
		set_err(err, errsz, "out of memory for the XML parser");
		return NULL;
	}
	xmlCtxtUseOptions(ctxt,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
		XML_PARSE_NOWARNING);
	guard_install(ctxt, &g);
	rc = xmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (rc != 0 || !ctxt->wellFormed || g.why != NULL) {
		e = xmlCtxtGetLastError(ctxt);
		if (g.why != NULL)
			set_err(err, errsz, "refused: %s", g.why);
		else
			set_err(err, errsz, "not well-formed XML: line %d: %s",
			    e ? e->line : 0,
			    e && e->message ? e->message : "?");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* ---- element helpers: by namespace URI and local name, never prefix ----- */

static bool
ns_is(const xmlNode *n, const char *uri)
{
	const char *href;

	if (n == NULL || n->type != XML_ELEMENT_NODE || n->ns == NULL ||
	    n->ns->href == NULL)
		return false;
	href = (const char *)n->ns->href;
	if (uri == NS_WSA_ANY)
		return strcmp(href, NS_WSA2004) == 0 ||
		    strcmp(href, NS_WSA2005) == 0;
	return strcmp(href, uri) == 0;
}

static bool
is_el(const xmlNode *n, const char *uri, const char *local)
{
	return ns_is(n, uri) && strcmp((const char *)n->name, local) == 0;
}

static const xmlNode *
child_el(const xmlNode *parent, const char *uri, const char *local)
{
	const xmlNode *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (is_el(c, uri, local))
			return c;
	return NULL;
}

static const xmlNode *
first_el(const xmlNode *parent)
{
	const xmlNode *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

/* ---- values ------------------------------------------------------------- */

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * One item of text into dst (CAM_STR_MAX), cleaned.  An item longer than a
 * DisplayString is dropped rather than cut: a cut URL or id would be a
 * different, wrong one.  Returns false when nothing was stored.
 */
static bool
take_item(char *dst, const char *s, size_t n)
{
	char tmp[CAM_STR_MAX];

	while (n > 0 && is_ws(*s))
		s++, n--;
	while (n > 0 && is_ws(s[n - 1]))
		n--;
	if (n == 0 || n > CAM_STR_MAX - 1)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	str_clean(dst, CAM_STR_MAX, tmp);
	return dst[0] != '\0';
}

/* The text of element n as one value. */
static bool
text_value(const xmlNode *n, char *dst)
{
	xmlChar *t;
	bool ok;

	dst[0] = '\0';
	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return false;
	ok = take_item(dst, (const char *)t, strlen((const char *)t));
	xmlFree(t);
	return ok;
}

/*
 * A white-space separated list into out[max]; items beyond max or too long
 * are dropped.  Returns the number stored.
 */
static size_t
text_list(const xmlNode *n, char (*out)[CAM_STR_MAX], size_t max)
{
	xmlChar *t;
	const char *p;
	size_t k = 0, w;

	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return 0;
	for (p = (const char *)t; *p != '\0' && k < max; p += w) {
		p += strspn(p, XML_WS);
		w = strcspn(p, XML_WS);
		if (w > 0 && take_item(out[k], p, w))
			k++;
	}
	xmlFree(t);
	return k;
}

/* Unsigned decimal, nothing else (no sign, no hex, no overflow). */
static bool
parse_ulong(const char *s, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (s == NULL)
		return false;
	s += strspn(s, XML_WS);
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (~0UL - (unsigned long)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (i == 0 || s[i + strspn(s + i, XML_WS)] != '\0')
		return false;
	*out = v;
	return true;
}

static bool
node_ulong(const xmlNode *n, unsigned long *out)
{
	xmlChar *t;
	bool ok;

	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return false;
	ok = parse_ulong((const char *)t, out);
	xmlFree(t);
	return ok;
}

static bool
attr_ulong(const xmlNode *n, const char *name, unsigned long *out)
{
	xmlChar *t = xmlGetNoNsProp(n, (const xmlChar *)name);
	bool ok = parse_ulong((const char *)t, out);

	xmlFree(t);
	return ok;
}

/* ---- Types -------------------------------------------------------------- */

/* Is the QName q (prefix:local or local), in the scope of n, an NVT? */
static bool
qname_is_nvt(const xmlNode *n, char *q)
{
	char *colon = strchr(q, ':');
	const char *local = colon ? colon + 1 : q;
	xmlNsPtr ns;

	if (colon != NULL)
		*colon = '\0';
	/* An unprefixed QName is in the default namespace, as in XSD. */
	ns = xmlSearchNs(
	    n->doc, (xmlNodePtr)n, colon ? (const xmlChar *)q : NULL);
	if (ns != NULL && ns->href != NULL) {
		if (strcmp((const char *)ns->href, NS_DN) == 0)
			return strcmp(local, "NetworkVideoTransmitter") == 0;
		if (strcmp((const char *)ns->href, NS_TDS) == 0)
			return strcmp(local, "Device") == 0;
	}
	/*
	 * Broken cameras forget to declare dn:, or leave the prefix out in a
	 * document whose default namespace is another: accept the name alone
	 * then, but never a prefix bound to some other namespace.
	 */
	if (colon == NULL || ns == NULL)
		return strcmp(local, "NetworkVideoTransmitter") == 0;
	return false;
}

/*
 * Types absent (as in most Byes) or empty says nothing, which WS-Discovery
 * reads as "any type": is_nvt is then true and the poll decides.
 */
static bool
types_say_nvt(const xmlNode *types)
{
	xmlChar *t;
	char *p, *q, *save = NULL;
	bool nvt = false, any = false;

	if (types == NULL || (t = xmlNodeGetContent(types)) == NULL)
		return true;
	for (p = (char *)t; (q = strtok_r(p, XML_WS, &save)) != NULL;
	     p = NULL) {
		any = true;
		if (qname_is_nvt(types, q)) {
			nvt = true;
			break;
		}
	}
	xmlFree(t);
	return nvt || !any;
}

/* ---- messages ----------------------------------------------------------- */

/*
 * The children of a ProbeMatch, Hello or Bye.  Returns false when there is
 * no usable endpoint: without it the match cannot be told apart from any
 * other, so it is worthless.
 */
static bool
read_match(const xmlNode *m, struct wsd_match *out)
{
	const xmlNode *epr, *t;

	memset(out, 0, sizeof(*out));
	epr = child_el(m, NS_WSA_ANY, "EndpointReference");
	if (epr == NULL ||
	    !text_value(child_el(epr, NS_WSA_ANY, "Address"), out->endpoint)) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	out->is_nvt = types_say_nvt(child_el(m, NS_WSD, "Types"));
	out->n_xaddrs = text_list(
	    child_el(m, NS_WSD, "XAddrs"), out->xaddrs, WSD_MAX_XADDRS);
	out->n_scopes = text_list(
	    child_el(m, NS_WSD, "Scopes"), out->scopes, CAM_SCOPES_MAX);
	t = child_el(m, NS_WSD, "MetadataVersion");
	out->has_metadata_version = node_ulong(t, &out->metadata_version);
	return true;
}

static enum wsd_error
read_probe_matches(
    const xmlNode *pms, struct wsd_msg *msg, char *err, size_t errsz)
{
	const xmlNode *c;

	for (c = pms->children; c != NULL; c = c->next) {
		if (!is_el(c, NS_WSD, "ProbeMatch"))
			continue;
		if (msg->n_matches == WSD_MAX_MATCHES ||
		    !read_match(c, &msg->matches[msg->n_matches]))
			msg->matches_dropped++;
		else
			msg->n_matches++;
	}
	if (msg->n_matches == 0) {
		set_err(err, errsz,
		    "ProbeMatches without a usable ProbeMatch (%zu dropped)",
		    msg->matches_dropped);
		return WSD_E_MALFORMED;
	}
	return WSD_OK;
}

/* Hello and Bye carry the match's children directly. */
static enum wsd_error
read_single(const xmlNode *op, struct wsd_msg *msg, char *err, size_t errsz)
{
	if (!read_match(op, &msg->matches[0])) {
		msg->matches_dropped = 1;
		set_err(err, errsz, "%s without an EndpointReference/Address",
		    (const char *)op->name);
		return WSD_E_MALFORMED;
	}
	msg->n_matches = 1;
	return WSD_OK;
}

/*
 * MessageID, RelatesTo and AppSequence.  Action is not needed: the Body
 * says what the message is, and a wrong Action must not hide a Bye.
 */
static void
read_header(const xmlNode *hdr, struct wsd_msg *msg)
{
	const xmlNode *seq;

	if (hdr == NULL)
		return;
	text_value(child_el(hdr, NS_WSA_ANY, "MessageID"), msg->message_id);
	text_value(child_el(hdr, NS_WSA_ANY, "RelatesTo"), msg->relates_to);
	seq = child_el(hdr, NS_WSD, "AppSequence");
	/* Garbage in either number means no sequence, not a bad message. */
	msg->has_app_sequence = seq != NULL &&
	    attr_ulong(seq, "InstanceId", &msg->instance_id) &&
	    attr_ulong(seq, "MessageNumber", &msg->message_number);
	if (!msg->has_app_sequence)
		msg->instance_id = msg->message_number = 0;
}

static enum wsd_error
read_body(const xmlNode *body, struct wsd_msg *msg, char *err, size_t errsz)
{
	const xmlNode *op = first_el(body);

	msg->type = WSD_UNKNOWN;
	if (op == NULL || !ns_is(op, NS_WSD))
		return WSD_OK;
	if (strcmp((const char *)op->name, "Probe") == 0)
		msg->type = WSD_PROBE;
	else if (strcmp((const char *)op->name, "ProbeMatches") == 0) {
		msg->type = WSD_PROBE_MATCHES;
		return read_probe_matches(op, msg, err, errsz);
	} else if (strcmp((const char *)op->name, "Hello") == 0) {
		msg->type = WSD_HELLO;
		return read_single(op, msg, err, errsz);
	} else if (strcmp((const char *)op->name, "Bye") == 0) {
		msg->type = WSD_BYE;
		return read_single(op, msg, err, errsz);
	}
	return WSD_OK;
}

static enum wsd_error
read_envelope(xmlDocPtr doc, struct wsd_msg *msg, char *err, size_t errsz)
{
	const xmlNode *env = xmlDocGetRootElement(doc), *body;
	const char *soap;

	if (!is_el(env, NS_SOAP12, "Envelope") &&
	    !is_el(env, NS_SOAP11, "Envelope")) {
		set_err(err, errsz,
		    "root element {%s}%s is not a SOAP Envelope",
		    env && env->ns && env->ns->href
			? (const char *)env->ns->href
			: "",
		    env ? (const char *)env->name : "(none)");
		return WSD_E_MALFORMED;
	}
	/* Header and Body belong to the Envelope's own SOAP version. */
	soap = (const char *)env->ns->href;
	body = child_el(env, soap, "Body");
	if (body == NULL) {
		set_err(err, errsz, "SOAP Envelope without a Body");
		return WSD_E_MALFORMED;
	}
	read_header(child_el(env, soap, "Header"), msg);
	return read_body(body, msg, err, errsz);
}

enum wsd_error
wsd_parse(
    const char *buf, size_t len, struct wsd_msg *msg, char *err, size_t errsz)
{
	enum wsd_error rc;
	xmlDocPtr doc;

	memset(msg, 0, sizeof(*msg));
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (len > WSD_MAX_DATAGRAM) {
		set_err(err, errsz, "datagram of %zu bytes (limit %d)", len,
		    WSD_MAX_DATAGRAM);
		return WSD_E_OVERSIZED;
	}
	if (buf == NULL || len == 0) {
		set_err(err, errsz, "empty datagram");
		return WSD_E_MALFORMED;
	}
	/* No discovery message has a DTD; one with entities is an attack. */
	if (memmem(buf, len, "<!DOCTYPE", 9) != NULL ||
	    memmem(buf, len, "<!ENTITY", 8) != NULL) {
		set_err(err, errsz, "refused: a DTD or entity declaration");
		return WSD_E_MALFORMED;
	}
	/* Idempotent and locked inside libxml2; needed before threads parse. */
	xmlInitParser();
	if ((doc = parse_doc(buf, len, err, errsz)) == NULL)
		return WSD_E_MALFORMED;
	rc = read_envelope(doc, msg, err, errsz);
	xmlFreeDoc(doc);
	if (rc != WSD_OK)
		memset(msg, 0, sizeof(*msg));
	return rc;
}

/* ---- message ids and the Probe ------------------------------------------ */

/*
 * getrandom(2) may be missing (old kernel) or interrupted; /dev/urandom is
 * the fallback.  The last resort only has to be unique, not secret.
 */
static void
random_bytes(unsigned char *b, size_t n)
{
	static unsigned long counter;
	struct timespec ts;
	unsigned long mix;
	ssize_t r;
	size_t i;
	int fd;

	if ((r = getrandom(b, n, GRND_NONBLOCK)) == (ssize_t)n)
		return;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		r = read(fd, b, n);
		close(fd);
		if (r == (ssize_t)n)
			return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	mix = (unsigned long)ts.tv_nsec ^ ((unsigned long)ts.tv_sec << 20) ^
	    ((unsigned long)getpid() << 40) ^
	    __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 2654435761UL;
	for (i = 0; i < n; i++) {
		mix = mix * 6364136223846793005UL + 1442695040888963407UL;
		b[i] = (unsigned char)(mix >> 56);
	}
}

void
wsd_new_message_id(char out[WSD_UUID_MAX])
{
	unsigned char b[16];

	random_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, WSD_UUID_MAX,
	    "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
}

/* The id goes into XML unescaped: allow only what a URI of ours holds. */
static bool
safe_id(const char *id)
{
	size_t n;

	if (id == NULL || (n = strlen(id)) == 0 || n >= CAM_STR_MAX)
		return false;
	return strspn(id,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789:-._") == n;
}

/* Returns -1 also for a message_id that is not a plain urn:uuid-like id. */
int
wsd_build_probe(char *buf, size_t bufsz, const char *message_id)
{
	int n;

	if (buf == NULL || !safe_id(message_id))
		return -1;
	n = snprintf(buf, bufsz,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<s:Envelope xmlns:s=\"" NS_SOAP12 "\" xmlns:a=\"" NS_WSA2004
	    "\" xmlns:d=\"" NS_WSD "\" xmlns:dn=\"" NS_DN "\">"
	    "<s:Header>"
	    "<a:Action s:mustUnderstand=\"1\">" NS_WSD "/Probe</a:Action>"
	    "<a:MessageID>%s</a:MessageID>"
	    "<a:To s:mustUnderstand=\"1\">"
	    "urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
	    "</s:Header>"
	    "<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types>"
	    "</d:Probe></s:Body></s:Envelope>",
	    message_id);
	if (n < 0 || (size_t)n >= bufsz)
		return -1;
	return n;
}
