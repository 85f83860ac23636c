/*
 * fuzz_wsd.c: libFuzzer target for the WS-Discovery codec (wsd/wsd.c).
 *
 * The input is one datagram, as discovery_recv.c hands it to wsd_parse().
 * A parsed message then goes through what discovery does with it: scope
 * decoding and the choice of the XAddr to poll, from a few senders and
 * interfaces.  Checked: a refused datagram leaves the message zeroed and
 * says why; a parsed one keeps every count within its array and every
 * string within its field; the chosen XAddr is an http(s) one and, asked
 * again with its own host as the sender, a host equal to the sender wins.
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wsd/wsd.h"

#include "fuzz.h"

/* A wsd_msg is ~41 KiB: static, as discovery_recv.c keeps it. */
static struct wsd_msg msg;

static struct in_addr
ip(uint32_t host_order)
{
	struct in_addr a;

	a.s_addr = htonl(host_order);
	return a;
}

static void
check_scope_info(const struct wsd_match *m)
{
	struct wsd_scope_info si;

	memset(&si, 0x5a, sizeof(si)); /* every field must be written */
	wsd_scope_info(m, &si);
	fuzz_check_str(si.name, sizeof(si.name), true);
	fuzz_check_str(si.hardware, sizeof(si.hardware), true);
	fuzz_check_str(si.manufacturer, sizeof(si.manufacturer), true);
	fuzz_check_str(si.location, sizeof(si.location), true);
	fuzz_check_str(si.mac, sizeof(si.mac), true);
	FUZZ_CHECK(si.mac[0] == '\0' || strlen(si.mac) == 17);
}

/* One choice, then the same with the chosen host as the sender. */
static void
check_choice(const struct wsd_match *m, struct in_addr src, struct in_addr ifa,
    struct in_addr mask)
{
	struct in_addr host, again;
	int i, j;

	host.s_addr = 0;
	i = wsd_choose_xaddr(m, src, ifa, mask, &host);
	FUZZ_CHECK(i >= -1 && i < (int)m->n_xaddrs);
	if (i < 0)
		return;
	FUZZ_CHECK(strncasecmp(m->xaddrs[i], "http://", 7) == 0 ||
	    strncasecmp(m->xaddrs[i], "https://", 8) == 0);
	j = wsd_choose_xaddr(m, host, ifa, mask, &again);
	FUZZ_CHECK(j >= 0 && j < (int)m->n_xaddrs);
	FUZZ_CHECK(again.s_addr == host.s_addr);
}

static void
check_match(const struct wsd_match *m)
{
	size_t i;

	fuzz_check_str(m->endpoint, sizeof(m->endpoint), true);
	FUZZ_CHECK(m->n_xaddrs <= WSD_MAX_XADDRS);
	FUZZ_CHECK(m->n_scopes <= CAM_SCOPES_MAX);
	for (i = 0; i < m->n_xaddrs; i++)
		fuzz_check_str(m->xaddrs[i], sizeof(m->xaddrs[i]), true);
	for (i = 0; i < m->n_scopes; i++)
		fuzz_check_str(m->scopes[i], sizeof(m->scopes[i]), true);
	check_scope_info(m);
	/* A camera on its own subnet, one routed to, and nothing known. */
	check_choice(m, ip(0xc0a80140), ip(0xc0a8010a), ip(0xffffff00));
	check_choice(m, ip(0x0a000005), ip(0xac100001), ip(0xfff00000));
	check_choice(m, ip(0), ip(0), ip(0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct wsd_msg zero;
	char err[256];
	enum wsd_error e;
	size_t i;

	err[0] = '\0';
	memset(&msg, 0xa5, sizeof(msg));
	e = wsd_parse((const char *)data, size, &msg, err, sizeof(err));
	fuzz_check_str(err, sizeof(err), true);
	if (e != WSD_OK) {
		FUZZ_CHECK(e == WSD_E_OVERSIZED || e == WSD_E_MALFORMED);
		FUZZ_CHECK(memcmp(&msg, &zero, sizeof(msg)) == 0);
		FUZZ_CHECK(err[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(size <= WSD_MAX_DATAGRAM);
	FUZZ_CHECK(msg.type >= WSD_UNKNOWN && msg.type <= WSD_BYE);
	fuzz_check_str(msg.message_id, sizeof(msg.message_id), true);
	fuzz_check_str(msg.relates_to, sizeof(msg.relates_to), true);
	FUZZ_CHECK(msg.n_matches <= WSD_MAX_MATCHES);
	if (msg.type == WSD_HELLO || msg.type == WSD_BYE)
		FUZZ_CHECK(msg.n_matches == 1);
	for (i = 0; i < msg.n_matches; i++)
		check_match(&msg.matches[i]);
	return 0;
}
