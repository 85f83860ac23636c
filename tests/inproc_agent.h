/*
 * inproc_agent.h: a Net-SNMP master agent inside a Check test, and
 * requests to it through the agent's own request path.
 *
 * The agent has no transport: requests travel its internal callback
 * session, so they go through handle_snmp_packet, the registry, the
 * helpers and the module's handlers as a request from the network would.
 * Notifications are captured where send_v2trap hands them to the host.
 * Main thread only (the Net-SNMP loop is the test's).
 */
#ifndef CAMCOMPLY_INPROC_AGENT_H
#define CAMCOMPLY_INPROC_AGENT_H

#include <stdbool.h>
#include <stddef.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#define INPROC_TRAPS_MAX 8

/*
 * Once per process: init_agent(app) with every Net-SNMP file in dir,
 * registrations() (the module's handlers), init_snmp(app), our session.
 * Fails the test on error.
 */
void inproc_agent_up(
    const char *app, const char *dir, int (*registrations)(void));

/* One varbind through the agent (errstat checked); free with snmp_free_var. */
netsnmp_variable_list *inproc_query(int cmd, const oid *name, size_t len);
/* base.a[.b] (b < 0: none) */
netsnmp_variable_list *inproc_query_at(
    int cmd, const oid *base, size_t len, long a, long b);

/* Notifications sent since the last inproc_traps_clear(), oldest first. */
int inproc_traps(void);
const netsnmp_variable_list *inproc_trap(int k);
void inproc_traps_clear(void);

bool inproc_is_oid(const netsnmp_variable_list *, const oid *, size_t len);
/* vb's name lies strictly under base (not endOfMibView). */
bool inproc_under(const netsnmp_variable_list *, const oid *base, size_t len);

/* Each checks the value of vb, then frees it. */
void expect_bytes(netsnmp_variable_list *vb, const void *want, size_t len);
void expect_str(netsnmp_variable_list *vb, const char *want);
void expect_num(netsnmp_variable_list *vb, u_char type, long want);
void expect_exception(netsnmp_variable_list *vb, u_char type);
/* b has a's type and value. */
void expect_same(const netsnmp_variable_list *a, netsnmp_variable_list *b);

#endif
