/*
 * dlmod.c: camcomply.so, the camcomply MIB module inside snmpd.
 *
 *   dlmod camcomply /usr/lib/x86_64-linux-gnu/snmp/dlmod/camcomply.so
 *
 * snmpd calls init_camcomply() while it reads snmpd.conf; the module
 * starts from a timer on snmpd's first loop turn, after the whole file is
 * read, so that reading camcomplyd.conf (named by CAMCOMPLY_CONFIG, else
 * the default) never runs inside snmpd's own config reader.  snmpd's
 * SIGHUP unloads every dlmod module (deinit_camcomply) and loads it again
 * from the re-read snmpd.conf: that is our reload, state kept through the
 * state file.  snmpd unloads its dlmod modules the same way when it shuts
 * down.  Either way every thread is joined, the state saved and every
 * timer, descriptor, handler and config token unregistered before snmpd
 * unmaps this code (no library callback is left registered: one would
 * outlive the module).  A failure to start is logged and leaves snmpd
 * serving everything else.  snmpd's main thread only.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <sys/time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/agent.h"
#include "onvif/onvif.h"

#define DEFAULT_CONFIG CAMCOMPLY_SYSCONFDIR "/camcomply/camcomplyd.conf"

void init_camcomply(void);
void deinit_camcomply(void);

static unsigned start_alarm;
static bool started;

static void
start(unsigned int clientreg, void *arg)
{
	const char *path = getenv("CAMCOMPLY_CONFIG");

	(void)clientreg;
	(void)arg;
	start_alarm = 0;
	if (path == NULL || *path == '\0')
		path = DEFAULT_CONFIG;
	onvif_global_init();
	started = true;
	if (agent_configure(path) != 0 || agent_register() != 0 ||
	    agent_run() != 0) {
		snmp_log(LOG_ERR,
		    "camcomply: not started (%s); snmpd serves the rest\n",
		    path);
		agent_stop();
		started = false;
		return;
	}
	snmp_log(LOG_INFO, "camcomply: running inside snmpd (%s)\n", path);
}

static void
stop(void)
{
	if (start_alarm != 0)
		snmp_alarm_unregister(start_alarm);
	start_alarm = 0;
	if (!started)
		return;
	agent_stop();
	onvif_global_cleanup();
	started = false;
	snmp_log(LOG_INFO, "camcomply: stopped\n");
}

void
init_camcomply(void)
{
	struct timeval soon = {0, 1000};

	start_alarm = snmp_alarm_register_hr(soon, 0, start, NULL);
}

void
deinit_camcomply(void)
{
	stop();
}
