/*
 * cidr.c: IPv4 ranges, as the config's sites, sweeps and allow lines and
 * the discovery thread's range checks use them.  Pure functions, any
 * thread.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "common/cidr.h"

int
cidr_parse(const char *s, struct cidr4 *r)
{
	char addr[INET_ADDRSTRLEN], *end;
	const char *slash = strchr(s, '/');
	struct in_addr a;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	long p = 32;

	if (n == 0 || n >= sizeof(addr))
		return -1;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, &a) != 1)
		return -1;
	if (slash != NULL) {
		p = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end != '\0' || p < 0 || p > 32)
			return -1;
	}
	r->prefix = (unsigned)p;
	r->mask = p == 0 ? 0 : 0xffffffffu << (32 - p);
	r->net = ntohl(a.s_addr) & r->mask;
	return 0;
}

bool
cidr_contains(const struct cidr4 *r, size_t n, uint32_t addr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((addr & r[i].mask) == r[i].net)
			return true;
	return false;
}
