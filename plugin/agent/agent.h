/*
 * agent.h: the camcomply MIB module, whatever hosts it.
 *
 * Two hosts run the same module: camcomplyd, an AgentX subagent with its
 * own process (isolation: a crash takes only it down), and camcomply.so,
 * loaded into snmpd with dlmod (a table walk 12-20 times faster, no
 * AgentX round trip per varbind).  The host owns Net-SNMP's loop, its
 * logging and its signals; the module registers its descriptors, alarms
 * and handlers with that loop.  Call in this order, on the loop's thread:
 * agent_configure, agent_register, agent_run; then agent_reload as often
 * as wanted, and agent_stop once (after which agent_configure may start
 * over).
 */
#ifndef CAMCOMPLY_AGENT_H
#define CAMCOMPLY_AGENT_H

/* Our config tokens, then the file and the policy it names. -1: logged. */
int agent_configure(const char *config_path);
/* The config's agentx-socket, or NULL: for a subagent host. */
const char *agent_agentx_socket(void);
/* The MIB handlers, and the rows from the state file. */
int agent_register(void);
#include <stdbool.h>

/*
 * For a host that must not be written to while it cannot read (an
 * AgentX master): whether one notification can go now.  Before agent_run.
 */
void agent_set_notify_gate(bool (*can_send)(void));
/* The poller and discovery threads and the poll rounds (after a fork). */
int agent_run(void);
/* Read the config again; a refused file keeps the running one (logged). */
void agent_reload(void);
/* Threads stopped (polls cut short), state saved, everything unregistered. */
void agent_stop(void);

#endif
