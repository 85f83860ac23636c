/*
 * mib_int.h: what mib.c (registrations, handlers, notifications) and
 * mib_row.c (a camDeviceTable row's columns as SNMP values) share.  Main
 * thread only.
 */
#ifndef CAMCOMPLY_MIB_INT_H
#define CAMCOMPLY_MIB_INT_H

#include <stdbool.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "agent/store.h"

/*
 * Every number of the MIB comes from gen/cam_mib.h, which the build
 * generates from mibs/CAMERA-COMPLIANCE-MIB.txt (scripts/mibgen.awk): the
 * arc, the scalar and column numbers, the notifications and what they
 * carry, the enumerations.  Where our own enums stand for a MIB
 * enumeration, the build checks they agree.
 */
#include "gen/cam_mib.h"

/* A value ready for snmp_set_var_typed_value or a trap varbind. */
struct colval {
	u_char type;
	const void *ptr;
	size_t len;
	long l;
	u_long ul;
	u_char buf[16];
	char text[CAM_STR_MAX]; /* a string made for the value */
};

void val_str(struct colval *, const char *);
void val_bytes(struct colval *, const void *, size_t len);
void val_int(struct colval *, long);
void val_gauge(struct colval *, u_char type, u_long);
/* DateAndTime in UTC, 11 octets; the epoch stands for "never". */
void val_date(struct colval *, time_t);

/* Column col of d's row as a GET answers it; -1: no such column. */
int mib_device_column(const struct device *, int col, struct colval *);

#endif
