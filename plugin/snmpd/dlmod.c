/*
 * dlmod.c: camcomply.so, the camcomply MIB module inside snmpd.
 *
 *   dlmod camcomply /usr/lib/x86_64-linux-gnu/snmp/dlmod/camcomply.so
 *
 * snmpd calls init_camcomply() while it reads snmpd.conf; the module
 * starts from a timer on snmpd's first loop turn, after the whole file is
 * read, so that reading camcomplyd.conf (named by CAMCOMPLY_CONFIG, else
 * the default) never runs inside snmpd's own config reader.
 *
 * snmpd's SIGHUP unloads every dlmod module (deinit_camcomply) and loads
 * it again from the re-read snmpd.conf (init_camcomply).  The module pins
 * itself in memory (RTLD_NODELETE), so that pair is a reload: the threads,
 * the rows and a refused camcomplyd.conf's predecessor all stay, as with
 * camcomplyd's SIGHUP.  A deinit that no init follows within the same
 * loop turn (the dlmod line was removed, or dlmodStatus set to unload) and
 * snmpd's own shutdown stop the module for good: every thread joined, the
 * state saved, every timer, descriptor, handler and config token
 * unregistered.  snmpd then holds camera passwords: the module turns off
 * its core dumps.  A failure to start is logged and leaves snmpd serving
 * everything else.  snmpd's main thread only.
 */
#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/agent.h"
#include "common/secret.h"
#include "onvif/onvif.h"

#define DEFAULT_CONFIG CAMCOMPLY_SYSCONFDIR "/camcomply/camcomplyd.conf"

void init_camcomply(void);
void deinit_camcomply(void);

/* snmpd's: cleared by its SIGTERM handler before it shuts down. */
extern int netsnmp_running;

static unsigned start_alarm, reload_alarm, unload_alarm;
static bool started, pinned;

static void
start(unsigned int clientreg, void *arg)
{
	const char *path = getenv("CAMCOMPLY_CONFIG");

	(void)clientreg;
	(void)arg;
	start_alarm = 0;
	if (path == NULL || *path == '\0')
		path = DEFAULT_CONFIG;
	/*
	 * snmpd is about to hold camera passwords: no core file, no ptrace
	 * by other processes of its user, as camcomplyd does for itself.
	 */
	if (secret_no_core() != 0)
		snmp_log(LOG_WARNING,
		    "camcomply: cannot disable snmpd's core dumps: %s\n",
		    strerror(errno));
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
reload(unsigned int clientreg, void *arg)
{
	(void)clientreg;
	(void)arg;
	reload_alarm = 0;
	agent_reload();
}

static void
cancel(unsigned *alarm)
{
	if (*alarm != 0)
		snmp_alarm_unregister(*alarm);
	*alarm = 0;
}

static void
stop(void)
{
	cancel(&start_alarm);
	cancel(&reload_alarm);
	cancel(&unload_alarm);
	if (!started)
		return;
	agent_stop();
	onvif_global_cleanup();
	started = false;
	snmp_log(LOG_INFO, "camcomply: stopped\n");
}

static void
unloaded(unsigned int clientreg, void *arg)
{
	(void)clientreg;
	(void)arg;
	unload_alarm = 0;
	stop();
}

/*
 * Stay mapped when snmpd dlcloses us on SIGHUP: the threads and timers are
 * ours until stop() has run.
 */
static void
pin(void)
{
	Dl_info info;

	if (pinned || dladdr((void *)init_camcomply, &info) == 0 ||
	    info.dli_fname == NULL)
		return;
	pinned = dlopen(info.dli_fname,
		     RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != NULL;
}

static unsigned
soon(SNMPAlarmCallback *fn)
{
	struct timeval t = {0, 1000};

	return snmp_alarm_register_hr(t, 0, fn, NULL);
}

void
init_camcomply(void)
{
	pin();
	if (unload_alarm != 0) {
		/* The second half of a SIGHUP: reload, do not restart. */
		cancel(&unload_alarm);
		if (started && reload_alarm == 0)
			reload_alarm = soon(reload);
		if (started)
			return;
	}
	if (!started && start_alarm == 0)
		start_alarm = soon(start);
}

void
deinit_camcomply(void)
{
	if (!netsnmp_running || !pinned) {
		stop();
		return;
	}
	/* A SIGHUP loads us again at once; anything else means gone. */
	if (unload_alarm == 0)
		unload_alarm = soon(unloaded);
}
