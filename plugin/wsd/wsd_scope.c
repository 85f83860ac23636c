/*
 * wsd_scope.c: what a WS-Discovery match says, for the poller: the ONVIF
 * scopes decoded into name, hardware, location and profile, and the one
 * XAddr to poll among those a camera announced (see wsd.h).  Pure
 * functions of their arguments: any thread.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strutil.h"
#include "wsd/wsd.h"

#define ONVIF_SCOPE "onvif://www.onvif.org/"

/* ---- scopes ------------------------------------------------------------- */

/* Percent-decoded and cleaned value of a scope. */
static void
scope_value(char *dst, const char *v)
{
	char dec[CAM_STR_MAX];

	str_pct_decode(dec, sizeof(dec), v);
	str_clean(dst, CAM_STR_MAX, dec);
}

/* Several location scopes ("country/china", "city/hangzhou") join. */
static void
add_location(struct wsd_scope_info *si, const char *v)
{
	char val[CAM_STR_MAX];
	size_t have = strlen(si->location), add;

	scope_value(val, v);
	if ((add = strlen(val)) == 0)
		return;
	/* Whole values or nothing: a cut could split a UTF-8 sequence. */
	if (have + (have ? 2 : 0) + add >= sizeof(si->location))
		return;
	if (have > 0)
		memcpy(si->location + have, ", ", 2), have += 2;
	memcpy(si->location + have, val, add + 1);
}

/* The first non-empty value of a kind wins (Reolink: name/IPC-BO, name/IPC). */
static void
take_first(char *dst, const char *v)
{
	if (dst[0] == '\0')
		scope_value(dst, v);
}

static void
one_scope(struct wsd_scope_info *si, const char *s)
{
	size_t plen = strlen(ONVIF_SCOPE), tlen;
	const char *type, *slash, *v;
	uint8_t mac[6];

	if (strncasecmp(s, ONVIF_SCOPE, plen) != 0)
		return;
	type = s + plen;
	if ((slash = strchr(type, '/')) == NULL)
		return;
	tlen = (size_t)(slash - type);
	v = slash + 1;
	/* Vendors disagree on case (Name/, MAC/): compare without it. */
	if (tlen == 4 && strncasecmp(type, "name", 4) == 0)
		take_first(si->name, v);
	else if (tlen == 8 && strncasecmp(type, "hardware", 8) == 0)
		take_first(si->hardware, v);
	else if (tlen == 12 && strncasecmp(type, "manufacturer", 12) == 0)
		take_first(si->manufacturer, v);
	else if (tlen == 8 && strncasecmp(type, "location", 8) == 0)
		add_location(si, v);
	else if (tlen == 3 && strncasecmp(type, "mac", 3) == 0 &&
	    si->mac[0] == '\0') {
		char val[CAM_STR_MAX];

		scope_value(val, v);
		if (str_parse_mac(val, mac) == 0)
			str_format_mac(mac, si->mac, sizeof(si->mac));
	}
}

void
wsd_scope_info(const struct wsd_match *m, struct wsd_scope_info *si)
{
	size_t i;

	memset(si, 0, sizeof(*si));
	for (i = 0; i < m->n_scopes && i < CAM_SCOPES_MAX; i++)
		one_scope(si, m->scopes[i]);
}

/* ---- XAddr choice ------------------------------------------------------- */

/*
 * "http[s]://a.b.c.d[:port][/path]" into host; *https says which.  Host
 * names and IPv6 are refused: we would have to resolve or route them.
 */
static bool
parse_xaddr(const char *x, struct in_addr *host, bool *https)
{
	char h[16];
	const char *p;
	size_t n;
	unsigned long port;

	if (strncasecmp(x, "http://", 7) == 0)
		p = x + 7, *https = false;
	else if (strncasecmp(x, "https://", 8) == 0)
		p = x + 8, *https = true;
	else
		return false;
	n = strcspn(p, ":/?#");
	if (n == 0 || n >= sizeof(h))
		return false;
	memcpy(h, p, n);
	h[n] = '\0';
	if (inet_pton(AF_INET, h, host) != 1)
		return false;
	p += n;
	if (*p == ':') {
		n = strspn(p + 1, "0123456789");
		if (n == 0 || n > 5 || (port = strtoul(p + 1, NULL, 10)) == 0 ||
		    port > 65535)
			return false;
		p += 1 + n;
	}
	return *p == '\0' || *p == '/' || *p == '?' || *p == '#';
}

/* Lower is better; -1 is never usable. */
static int
xaddr_rank(struct in_addr a, struct in_addr source, struct in_addr ifaddr,
    struct in_addr ifmask)
{
	uint32_t h = ntohl(a.s_addr), ia = ntohl(ifaddr.s_addr);
	uint32_t im = ntohl(ifmask.s_addr);

	/* 0/8, multicast, class E and broadcast can never be a camera.
	 * 127/8 can: the tests' simulated cameras live there. */
	if ((h >> 24) == 0 || h >= 0xe0000000U)
		return -1;
	if (a.s_addr == source.s_addr)
		return 0;
	if (ia != 0 && im != 0 && (h & im) == (ia & im))
		return 1;
	if ((h & 0xffff0000U) != 0xa9fe0000U) /* not 169.254/16 */
		return 2;
	return 3;
}

/*
 * The rank of an address is the first rule it meets, so a link-local
 * address that the datagram came from still wins; an unrelated one is
 * the last choice (Axis lists its 169.254 addresses next to the real one).
 */
int
wsd_choose_xaddr(const struct wsd_match *m, struct in_addr source,
    struct in_addr ifaddr, struct in_addr ifmask, struct in_addr *host)
{
	int best = -1, best_rank = 0, rank;
	bool https, best_https = false;
	struct in_addr a, best_a = {0};
	size_t i;

	for (i = 0; i < m->n_xaddrs && i < WSD_MAX_XADDRS; i++) {
		if (!parse_xaddr(m->xaddrs[i], &a, &https))
			continue;
		if ((rank = xaddr_rank(a, source, ifaddr, ifmask)) < 0)
			continue;
		if (best >= 0 &&
		    (rank > best_rank ||
			(rank == best_rank && (https || !best_https))))
			continue;
		best = (int)i;
		best_rank = rank;
		best_https = https;
		best_a = a;
	}
	if (best >= 0 && host != NULL)
		*host = best_a;
	return best;
}
