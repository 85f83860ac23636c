/*
 * faults.c: the bodies of the hostile fault modes (malformed XML, huge,
 * deeply nested, entity expansion) and the decorations of the quirk modes
 * (blank line before the XML declaration, unknown vendor elements, a
 * vendor's envelope prefix).
 *
 * Pure functions of the camera and the reply; connection threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camsim.h"
#include "common/strutil.h"

#define DEEP_LEVELS 100000
#define HUGE_BLOCK 65536

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define ENV_OPEN XML_DECL ENV_ROOT
#define ENV_ROOT                                                               \
	"<SOAP-ENV:Envelope "                                                  \
	"xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\" "          \
	"xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "                \
	"xmlns:tt=\"http://www.onvif.org/ver10/schema\"><SOAP-ENV:Body>"
#define ENV_CLOSE "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n"

#define VENDOR_NS "urn:camsim:vendor-extension"

int
fault_is_hostile(enum sim_fault f)
{
	switch (f) {
	case SIM_FAULT_NO_ANSWER:
	case SIM_FAULT_SLOW_DRIP:
	case SIM_FAULT_CLOSE_MID_REPLY:
	case SIM_FAULT_MALFORMED_XML:
	case SIM_FAULT_HUGE_BODY:
	case SIM_FAULT_DEEP_NESTING:
	case SIM_FAULT_ENTITY_EXPANSION:
		return 1;
	default:
		return 0;
	}
}

/* Hostile bodies end the connection, so a reader meets EOF, not a wait. */
static void
set_body(struct sim_reply *rep, char *body, size_t len)
{
	rep->status = 200;
	rep->close = 1;
	rep->soap11 = 0;
	rep->body = body;
	rep->len = body != NULL ? len : 0;
}

/* An answer that starts well and then breaks every rule of XML. */
static void
malformed(struct sim_reply *rep)
{
	char buf[2048];
	int n;

	n = snprintf(buf, sizeof(buf),
	    ENV_OPEN "<tds:%sResponse>"
		     "<tds:Manufacturer>Broken & <tds:Model attr=noquote>"
		     "</tds:Manufacturer></tds:Serial><<tds:Hardware",
	    rep->op);
	set_body(rep, strndup(buf, (size_t)n), (size_t)n);
}

static void
deep(struct sim_reply *rep)
{
	char head[512], *b;
	size_t hl, len, i;

	hl = (size_t)snprintf(head, sizeof(head),
	    ENV_OPEN "<tds:GetDeviceInformationResponse><tds:Manufacturer>");
	len = hl + DEEP_LEVELS * 7 + sizeof(ENV_CLOSE);
	if ((b = malloc(len)) == NULL)
		return;
	memcpy(b, head, hl);
	for (i = 0; i < DEEP_LEVELS; i++)
		memcpy(b + hl + 3 * i, "<a>", 3);
	for (i = 0; i < DEEP_LEVELS; i++)
		memcpy(b + hl + 3 * DEEP_LEVELS + 4 * i, "</a>", 4);
	len = hl + DEEP_LEVELS * 7;
	len += (size_t)snprintf(b + len, sizeof(ENV_CLOSE), "%s", ENV_CLOSE);
	set_body(rep, b, len);
}

/* The "billion laughs": ten levels of ten-fold entity references. */
static void
entities(struct sim_reply *rep)
{
	char buf[4096];
	int n, i;

	n = snprintf(buf, sizeof(buf),
	    XML_DECL "<!DOCTYPE SOAP-ENV:Envelope [\n<!ENTITY l0 \"lol\">\n");
	for (i = 1; i < 10; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
		    "<!ENTITY l%d "
		    "\"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;\">\n",
		    i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
		    i - 1, i - 1);
	n += snprintf(buf + n, sizeof(buf) - (size_t)n,
	    "]>\n" ENV_ROOT
	    "<tds:GetDeviceInformationResponse><tds:Manufacturer>&l9;"
	    "</tds:Manufacturer><tds:Model>&l9;</tds:Model>"
	    "</tds:GetDeviceInformationResponse>" ENV_CLOSE);
	set_body(rep, strndup(buf, (size_t)n), (size_t)n);
}

/* 1 if the fault mode replaces the whole reply (or sends none). */
int
fault_build_body(struct sim_camera *cam, struct sim_reply *rep)
{
	str_lcpy(rep->auth, "-", sizeof(rep->auth));
	switch (cam->spec->fault) {
	case SIM_FAULT_NO_ANSWER:
	case SIM_FAULT_HUGE_BODY:
	case SIM_FAULT_HEADER_DRIP:
		set_body(rep, NULL, 0);
		return 1;
	case SIM_FAULT_MALFORMED_XML:
		malformed(rep);
		return 1;
	case SIM_FAULT_DEEP_NESTING:
		deep(rep);
		return 1;
	case SIM_FAULT_ENTITY_EXPANSION:
		entities(rep);
		return 1;
	default:
		rep->auth[0] = '\0';
		return 0;
	}
}

/* A well-formed answer whose one text element never ends in practice. */
void
fault_stream_huge(struct sim_conn *cn)
{
	const struct sim_camera *cam = cn->cam;
	static const char head[] =
	    ENV_OPEN "<tds:GetDeviceInformationResponse><tds:Manufacturer>";
	static const char tail[] =
	    "</tds:Manufacturer>"
	    "</tds:GetDeviceInformationResponse>" ENV_CLOSE;
	char *block;
	long left, n;

	if ((block = malloc(HUGE_BLOCK)) == NULL)
		return;
	memset(block, 'A', HUGE_BLOCK);
	left = cam->spec->huge_bytes - (long)(sizeof(head) - 1) -
	    (long)(sizeof(tail) - 1);
	if (conn_send_all(cn, head, sizeof(head) - 1) != 0)
		left = -1;
	for (; left > 0 && !sim_stopping; left -= n) {
		n = left < HUGE_BLOCK ? left : HUGE_BLOCK;
		if (conn_send_all(cn, block, (size_t)n) != 0)
			break;
	}
	if (left == 0)
		conn_send_all(cn, tail, sizeof(tail) - 1);
	free(block);
}

/*
 * A body of total bytes: prefix, then 'A's (http-huge, rtsp-huge), sent
 * block by block; stops when the peer goes or camsim stops.
 */
void
fault_stream_filler(struct sim_conn *cn, const char *prefix, long total)
{
	char *block;
	long left = total - (long)strlen(prefix), n;

	if ((block = malloc(HUGE_BLOCK)) == NULL)
		return;
	memset(block, 'A', HUGE_BLOCK);
	if (conn_send_all(cn, prefix, strlen(prefix)) != 0)
		left = 0;
	for (; left > 0 && !sim_stopping; left -= n) {
		n = left < HUGE_BLOCK ? left : HUGE_BLOCK;
		if (conn_send_all(cn, block, (size_t)n) != 0)
			break;
	}
	free(block);
}

/* Insert s at off in rep->body. */
static void
insert_at(struct sim_reply *rep, size_t off, const char *s)
{
	size_t n = strlen(s);
	char *b;

	if (off > rep->len ||
	    (b = realloc(rep->body, rep->len + n + 1)) == NULL)
		return;
	memmove(b + off + n, b + off, rep->len - off + 1);
	memcpy(b + off, s, n);
	rep->body = b;
	rep->len += n;
}

/* Replace every occurrence of from by to (used for the envelope prefix). */
static void
replace_all(struct sim_reply *rep, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), off = 0;
	char *p;

	while ((p = strstr(rep->body + off, from)) != NULL) {
		off = (size_t)(p - rep->body);
		memmove(p, p + fl, rep->len - off - fl + 1);
		rep->len -= fl;
		insert_at(rep, off, to);
		off += tl;
	}
}

/* Unknown vendor elements in the Header and at the end of the answer. */
static void
extra_elements(struct sim_reply *rep, const char *env)
{
	char tag[64], hdr[256];
	char *p, *last = NULL;

	snprintf(tag, sizeof(tag), "<%s:Body>", env);
	if (strstr(rep->body, ":Header>") == NULL &&
	    (p = strstr(rep->body, tag)) != NULL) {
		snprintf(hdr, sizeof(hdr),
		    "<%s:Header><vx:Session xmlns:vx=\"" VENDOR_NS
		    "\" vx:lang=\"en\">7f3a</vx:Session></%s:Header>",
		    env, env);
		insert_at(rep, (size_t)(p - rep->body), hdr);
	}
	for (p = rep->body; (p = strstr(p, "</tds:")) != NULL; p++)
		last = p;
	if (last != NULL)
		insert_at(rep, (size_t)(last - rep->body),
		    "<vx:Extension "
		    "xmlns:vx=\"" VENDOR_NS "\"><vx:Chip>sim-soc</vx:Chip>"
		    "<vx:Nested><vx:Deep a=\"1\"/></vx:Nested></vx:Extension>");
}

void
fault_decorate(struct sim_camera *cam, struct sim_reply *rep)
{
	const char *env = "SOAP-ENV";
	char from[32], to[32];

	if (rep->html || rep->body == NULL)
		return;
	if (cam->spec->prof.envelope_prefix[0] != '\0') {
		env = cam->spec->prof.envelope_prefix;
		snprintf(to, sizeof(to), "%s:", env);
		replace_all(rep, "SOAP-ENV:", to);
		snprintf(from, sizeof(from), "xmlns:%s=", "SOAP-ENV");
		snprintf(to, sizeof(to), "xmlns:%s=", env);
		replace_all(rep, from, to);
	}
	if (!rep->faulty)
		return;
	if (cam->spec->fault == SIM_FAULT_EXTRA_ELEMENTS)
		extra_elements(rep, env);
	else if (cam->spec->fault == SIM_FAULT_BLANK_LINE)
		insert_at(rep, 0, "\r\n");
}
