/*
 * cidr.h: IPv4 ranges: sites, discovery sweeps and allowed ranges.
 *
 * Pure functions, any thread.
 */
#ifndef CAMCOMPLY_CIDR_H
#define CAMCOMPLY_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One IPv4 range. */
struct cidr4 {
	uint32_t net, mask; /* host byte order */
	unsigned prefix;
};

/* "a.b.c.d/n" (or a bare address, /32); 0 on success. */
int cidr_parse(const char *, struct cidr4 *);
/* addr (host byte order) lies in one of the n ranges. */
bool cidr_contains(const struct cidr4 *, size_t n, uint32_t addr);

#endif
