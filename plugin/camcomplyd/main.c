/*
 * camcomplyd: the camcomply MIB module as an AgentX subagent.
 *
 * Owns what a process of its own needs: options in snmpd's conventions,
 * logging, the AgentX session (short timeout, no retries, a fast ping, so
 * that a stalled master never stalls us), daemonizing, dropping
 * privileges, signals (SIGHUP reloads, SIGTERM stops) and Net-SNMP's
 * loop.  The module itself (agent/agent.h) is the same one snmpd loads
 * with dlmod.  Main thread only; the signal handler only sets flags and
 * writes to a pipe.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/agent.h"
#include "common/secret.h"
#include "onvif/onvif.h"

#define APP "camcomplyd"
#define DEFAULT_CONFIG CAMCOMPLY_SYSCONFDIR "/camcomply/camcomplyd.conf"

static volatile sig_atomic_t got_hup, got_term;
/*
 * The signal handler's wake-up pipe.  Never closed: a signal may arrive on
 * any thread at any time, shutdown included, so nothing the handler
 * touches may be freed.
 */
static int sig_pipe[2] = {-1, -1};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: " APP " [-f] [-x AGENTX-SOCKET] [-c CONFIG] [-L[efos...]]\n"
	    "                  [-D TOKENS] [-p PIDFILE] [-u USER] [-h] [-v]\n"
	    "  -f          stay in the foreground\n"
	    "  -x SOCKET   AgentX master socket (default: Net-SNMP's)\n"
	    "  -c CONFIG   configuration file (default " DEFAULT_CONFIG ")\n"
	    "  -L...       logging, as snmpd: -Le stderr, -Lf FILE, -Lsd syslog\n"
	    "  -D TOKENS   Net-SNMP debug tokens (camcomply, agentx, ...)\n"
	    "  -p PIDFILE  write the process id there\n"
	    "  -u USER     run as USER after start-up\n");
}

/* ---- signals ------------------------------------------------------------ */

static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
	/*
	 * Wake the select() in agent_check_and_process: the signal may have
	 * been delivered to a worker thread, not to the one in select().
	 */
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], "", 1) < 0) {
		/* EAGAIN: the pipe is full, the loop is awake already. */
	}
	errno = saved;
}

/* The main loop's side of the pipe: empty it; the flags say why. */
static void
on_wake(int fd, void *arg)
{
	char buf[64];

	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
}

static int
setup_signals(void)
{
	struct sigaction sa;

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		snmp_log(LOG_ERR, "signal pipe: %s\n", strerror(errno));
		return -1;
	}
	register_readfd(sig_pipe[0], on_wake, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

/* ---- start-up ----------------------------------------------------------- */

static int
drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		snmp_log(LOG_ERR, "-u %s: no such user\n", user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snmp_log(LOG_ERR, "-u %s: %s\n", user, strerror(errno));
		return -1;
	}
	return 0;
}

static void
write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		snmp_log(LOG_ERR, "%s: %s\n", path, strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

struct options {
	const char *config;
	bool foreground;
	bool logging_set;
	const char *agentx;
	const char *pidfile;
	const char *user;
};

static int
parse_options(int argc, char **argv, struct options *o)
{
	int c;

	o->config = DEFAULT_CONFIG;
	while ((c = getopt(argc, argv, "fx:c:L:D:p:u:hv")) != -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case 'x':
			o->agentx = optarg;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'L':
			if (snmp_log_options(optarg, argc, argv) < 0) {
				usage(stderr);
				return -1;
			}
			o->logging_set = true;
			break;
		case 'D':
			debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'v':
			printf("%s\n", PACKAGE_STRING);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Net-SNMP's: the subagent's session with the master. */
extern netsnmp_session *main_session;

/*
 * A notification goes only while the AgentX socket has room: writing into
 * a full one would block us while the master, itself blocked writing its
 * answers to us, never drains it.  Nor once the master has hung up (it
 * stopped, or died) and Net-SNMP has not read the end of the stream yet:
 * the write fails ("send_trap: Failure in sendto (Broken pipe)") and the
 * notification is lost; held, it goes to the next master.
 */
static bool
agentx_writable(void)
{
	netsnmp_transport *t;
	struct pollfd p;
	void *sp;

	if (main_session == NULL ||
	    (sp = snmp_sess_pointer(main_session)) == NULL ||
	    (t = snmp_sess_transport(sp)) == NULL || t->sock < 0)
		return false;
	p.fd = t->sock;
	p.events = POLLOUT | POLLRDHUP;
	p.revents = 0;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT) &&
	    !(p.revents & (POLLHUP | POLLRDHUP | POLLERR));
}

/*
 * Net-SNMP reconnects to the master (every ping interval once the master
 * stops answering) with a blocking connect(2).  A master that is stopped or
 * hung never accepts: each attempt leaves one connection in its listen
 * backlog, and once the backlog is full (snmpd's: 5) the next connect()
 * blocks until the master runs again, and with it our main thread: no
 * results applied, no polling, however long the master stays stopped.
 * camcomplyd's connect() (the executable's symbol comes first for
 * libnetsnmp too: exported with --export-dynamic-symbol) makes a blocking
 * unix-domain stream connect non-blocking for the call: a full backlog
 * fails at once (EAGAIN) and Net-SNMP tries again at its next ping.  Every
 * other connect is libc's own.
 */
int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	static int (*real_connect)(int, const struct sockaddr *, socklen_t);
	int fl, type, rc, e;
	socklen_t tl = sizeof(type);

	if (real_connect == NULL) {
		real_connect = (int (*)(int, const struct sockaddr *,
		    socklen_t))dlsym(RTLD_NEXT, "connect");
		if (real_connect == NULL) {
			errno = ENOSYS;
			return -1;
		}
	}
	if (sa == NULL || sa->sa_family != AF_UNIX ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 ||
	    type != SOCK_STREAM || (fl = fcntl(fd, F_GETFL)) < 0 ||
	    (fl & O_NONBLOCK) != 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
		return real_connect(fd, sa, len);
	rc = real_connect(fd, sa, len);
	e = errno;
	(void)fcntl(fd, F_SETFL, fl);
	errno = e;
	return rc;
}

/*
 * Net-SNMP reads a session's timeout and retries when it opens it, not
 * from the settings made before init_agent(): set them here, for the
 * AgentX session (the only one a subagent opens).  A stalled master must
 * not stall us: one second, no retries.
 */
static int
on_session_init(int major, int minor, void *serverarg, void *clientarg)
{
	netsnmp_session *s = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (s != NULL) {
		s->timeout = 1000000;
		s->retries = 0;
	}
	return SNMPERR_SUCCESS;
}

static void
setup_agentx(const struct options *o)
{
	const char *sock =
	    o->agentx != NULL ? o->agentx : agent_agentx_socket();

	netsnmp_ds_set_boolean(
	    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	if (sock != NULL)
		netsnmp_ds_set_string(
		    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, sock);
	/* A stalled master must not stall us: short timeout, no retries. */
	netsnmp_ds_set_int(
	    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_TIMEOUT, 1);
	netsnmp_ds_set_int(
	    NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_RETRIES, 0);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY,
	    SNMP_CALLBACK_SESSION_INIT, on_session_init, NULL);
	/* Net-SNMP persistent files are not ours to write. */
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	init_agent(APP);
	/* init_agent() resets the ping interval: set it afterwards. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 1);
}

static int
start(const struct options *o)
{
	if (agent_configure(o->config) != 0)
		return -1;
	setup_agentx(o);
	if (agent_register() != 0)
		return -1;
	init_snmp(APP);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct passwd *pw;

	/*
	 * Few malloc arenas: each of the 64 workers would otherwise get one
	 * (up to 8 per core), each keeping what gSOAP freed in it; measured
	 * +7 MB of RSS at 64 arenas.  The workers wait on cameras, not on
	 * malloc's locks.  Before any thread starts.
	 */
	mallopt(M_ARENA_MAX, 4);
	/* No core file, no ptrace: passwords are about to be read. */
	if (secret_no_core() != 0) {
		fprintf(stderr, APP ": cannot disable core dumps: %s\n",
		    strerror(errno));
		return 1;
	}
	memset(&o, 0, sizeof(o));
	if (parse_options(argc, argv, &o) != 0)
		return 2;
	/* Files owned by the -u user: it reads them again on reloads. */
	if (o.user != NULL && (pw = getpwnam(o.user)) != NULL)
		secret_allow_owner(pw->pw_uid);
	if (!o.logging_set) {
		if (o.foreground)
			snmp_enable_stderrlog();
		else
			snmp_enable_syslog_ident(APP, LOG_DAEMON);
	}
	/* The subagent never parses MIB text: skip loading it (and its noise).
	 */
	if (getenv("MIBS") == NULL)
		setenv("MIBS", "", 1);
	onvif_global_init();
	if (start(&o) != 0) {
		snmp_log(LOG_ERR, "start-up failed\n");
		return 1;
	}
	if (!o.foreground && netsnmp_daemonize(1, !o.logging_set) != 0)
		return 1;
	if (o.pidfile != NULL)
		write_pidfile(o.pidfile);
	/* A change of user resets the dumpable flag: set it again. */
	if (o.user != NULL &&
	    (drop_privileges(o.user) != 0 || secret_no_core() != 0))
		return 1;
	/* Threads only now: after the fork, under the final user. */
	agent_set_notify_gate(agentx_writable);
	if (setup_signals() != 0 || agent_run() != 0)
		return 1;
	while (!got_term) {
		agent_check_and_process(1);
		if (got_hup) {
			got_hup = 0;
			agent_reload();
		}
	}
	snmp_log(LOG_INFO, APP " stopping\n");
	agent_stop();
	onvif_global_cleanup();
	snmp_log(LOG_INFO, APP " stopped\n");
	snmp_shutdown(APP);
	if (o.pidfile != NULL)
		unlink(o.pidfile);
	return 0;
}
