/*
 * check_config.c: camcomplyd.conf through config.c and Net-SNMP's own
 * read_config machinery (no mock: config_init() registers the real
 * handlers, config_read() reads real files in a private temp folder).
 *
 * Every token is read back into struct config; every refusal is checked
 * to make config_read() return NULL *and* to log the reason, so a test
 * cannot pass because the file was refused for something else.  What
 * Net-SNMP logs is captured with its callback log handler.  Single
 * thread, like config.c itself.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "check_run.h"
#include "agent/config.h"

#define PASSWORD "s3cret-Pw.not-in-logs"
#define PIN_HEX                                                                \
	"6f1c0d2e9a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6"

/* Under $TMPDIR (default /tmp), as every test's own directory. */
static char tmpdir[200];
static char conf_path[512], pw_path[512];
static char logbuf[16384];

static int
log_cb(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	size_t n = strlen(logbuf);

	(void)major;
	(void)minor;
	(void)client;
	snprintf(logbuf + n, sizeof(logbuf) - n, "%s", m->msg);
	fputs(m->msg, stderr); /* still readable in the test's log */
	return 0;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0); /* whatever the umask */
	close(fd);
}

/* The config file holds text; @PW@ in it stands for the password file. */
static struct config *
conf(const char *text)
{
	char body[8192];
	const char *at;
	size_t n = 0;

	while ((at = strstr(text, "@PW@")) != NULL) {
		n += snprintf(body + n, sizeof(body) - n, "%.*s%s",
		    (int)(at - text), text, pw_path);
		text = at + 4;
	}
	snprintf(body + n, sizeof(body) - n, "%s", text);
	write_file(conf_path, body, 0644);
	logbuf[0] = '\0';
	return config_read(conf_path);
}

/* The file is refused, and the log says why (want: part of the message). */
static void
refused(const char *text, const char *want)
{
	struct config *c = conf(text);

	ck_assert_msg(c == NULL, "accepted: %s", text);
	ck_assert_msg(strstr(logbuf, want) != NULL,
	    "refused without '%s' in the log: %s", want, logbuf);
	ck_assert_msg(strstr(logbuf, "refused") != NULL, "%s", logbuf);
	ck_assert_msg(strstr(logbuf, PASSWORD) == NULL, "password logged");
}

static void
setup(void)
{
	write_file(pw_path, PASSWORD "\n", 0600);
}

START_TEST(defaults)
{
	struct config *c = conf("# nothing but a comment\n\n");
	char policy[CAM_STR_MAX];

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->n_cameras, 0);
	ck_assert_int_eq(c->n_creds, 0);
	ck_assert_int_eq(c->n_sites, 0);
	ck_assert_int_eq(c->poll_interval, 300);
	ck_assert_int_eq(c->timeout, 10);
	ck_assert_int_eq(c->concurrency, 32);
	ck_assert_int_eq(c->tls.mode, TLS_NO);
	ck_assert_str_eq(c->tls.cafile, "");
	ck_assert_str_eq(c->tls.capath, "");
	snprintf(policy, sizeof(policy), "%s/policy.xml", CAMCOMPLY_DATADIR);
	ck_assert_str_eq(c->policy, policy);
	ck_assert_str_eq(c->lists, "");
	ck_assert_str_eq(c->oui_registry, CAMCOMPLY_OUI_REGISTRY);
	ck_assert_str_eq(c->state_file, "/var/lib/camcomply/state");
	ck_assert_str_eq(c->agentx_socket, "");
	ck_assert(!c->disc.multicast && !c->disc.all_ifaces);
	ck_assert(!c->disc.allow_any);
	ck_assert_int_eq(c->disc.n_ifaces + c->disc.n_sweeps, 0);
	ck_assert_int_eq(c->disc.n_allow, 0);
	ck_assert_int_eq(c->disc.interval, 300);
	ck_assert_int_eq(c->disc.sweep_rate, 100);
	ck_assert_int_eq(c->disc.max_devices, 4096);
	ck_assert_int_eq(c->disc.max_per_host, 4);
	ck_assert_int_eq(c->disc.expire_days, 30);
	ck_assert_str_eq(c->disc.credentials, "");
	/* Every collector, when ONVIF does not say, an hour apart. */
	ck_assert_int_eq(c->probe, CFG_PROBE_AUTO);
	ck_assert_uint_eq(c->probes, 0xfeu);
	ck_assert_int_eq(c->probe_interval, 3600);
	config_free(c);
}
END_TEST

static const char every_token_conf[] =
    "# every token once\n"
    "site         hq    192.0.2.0/24   sensitive\n"
    "site         dc    198.51.100.0/25 core\n"
    "site         v6    2001:db8:10::/48 general\n"
    "credentials  audit onvif-audit @PW@\n"
    "credentials  dc    onvif-dc @PW@ verify-tls pin cafile /etc/dc-ca.pem "
    "capath /etc/dc-ca.d\n"
    "camera http://192.0.2.10/onvif/device_service credentials audit\n"
    "camera 198.51.100.7:8000 credentials dc site hq tls-pin " PIN_HEX "\n"
    "camera https://[2001:db8:10::5]/onvif/device_service site v6\n"
    "poll-interval  60\n"
    "timeout        7\n"
    "concurrency    5\n"
    "policy         /etc/camcomply/policy.xml\n"
    "lists          uk-nsl,ndaa-889\n"
    "oui-registry   /srv/ieee\n"
    "state-file     /srv/camcomply/state\n"
    "agentx-socket  tcp:127.0.0.1:7705\n"
    "verify-tls     yes\n"
    "cafile         /etc/ssl/cams.pem\n"
    "capath         /etc/ssl/cams.d\n"
    "discover multicast eth1\n"
    "discover multicast eth2\n"
    "discover sweep 10.30.0.0/20\n"
    "discover allow 203.0.113.0/24\n"
    "discover-interval 120\n"
    "discover-sweep-rate 250\n"
    "discover-max 500\n"
    "discover-max-per-host 8\n"
    "discover-expire 7\n"
    "discover-credentials audit\n";

static void
check_cameras(const struct config *c)
{
	uint8_t pin[32];
	int i;

	for (i = 0; i < 32; i++)
		sscanf(PIN_HEX + 2 * i, "%2hhx", &pin[i]);
	ck_assert_int_eq(c->n_cameras, 3);
	ck_assert_str_eq(
	    c->cameras[0].url, "http://192.0.2.10/onvif/device_service");
	ck_assert_str_eq(c->cameras[0].credentials, "audit");
	ck_assert_str_eq(c->cameras[0].site, "");
	ck_assert(!c->cameras[0].has_pin);
	/* host:port stands for the device service on that port. */
	ck_assert_str_eq(
	    c->cameras[1].url, "http://198.51.100.7:8000/onvif/device_service");
	ck_assert_str_eq(c->cameras[1].credentials, "dc");
	ck_assert_str_eq(c->cameras[1].site, "hq");
	ck_assert_str_eq(c->cameras[1].zone, "sensitive"); /* the site's */
	ck_assert(c->cameras[1].has_pin);
	ck_assert_mem_eq(c->cameras[1].tls_pin, pin, 32);
	ck_assert_str_eq(
	    c->cameras[2].url, "https://[2001:db8:10::5]/onvif/device_service");
	ck_assert_str_eq(c->cameras[2].zone, "general");
}

static void
check_groups_and_sites(const struct config *c)
{
	const struct cfg_credentials *a = config_credentials(c, "audit");
	const struct cfg_credentials *dc = config_credentials(c, "dc");

	ck_assert_int_eq(c->n_creds, 2);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(dc);
	ck_assert_ptr_null(config_credentials(c, "nobody"));
	ck_assert_str_eq(a->user, "onvif-audit");
	ck_assert_str_eq(a->password, PASSWORD); /* the first line only */
	ck_assert_int_eq(a->tls.mode, TLS_UNSET);
	ck_assert_str_eq(dc->user, "onvif-dc");
	ck_assert_int_eq(dc->tls.mode, TLS_PIN);
	ck_assert_str_eq(dc->tls.cafile, "/etc/dc-ca.pem");
	ck_assert_str_eq(dc->tls.capath, "/etc/dc-ca.d");
	ck_assert_int_eq(c->n_sites, 3);
	ck_assert_str_eq(c->sites[0].name, "hq");
	ck_assert_str_eq(c->sites[0].cidr, "192.0.2.0/24");
	ck_assert_str_eq(c->sites[0].zone, "sensitive");
	ck_assert_str_eq(c->sites[1].zone, "core");
	ck_assert_str_eq(c->sites[2].cidr, "2001:db8:10::/48");
	/* Only the IPv4 sites bound discovery. */
	ck_assert_int_eq(c->n_site_ranges, 2);
	ck_assert_uint_eq(c->site_ranges[0].net, 0xc0000200u);
	ck_assert_uint_eq(c->site_ranges[0].prefix, 24);
	ck_assert_uint_eq(c->site_ranges[1].net, 0xc6336400u);
	ck_assert_uint_eq(c->site_ranges[1].prefix, 25);
}

static void
check_discovery(const struct cfg_discovery *d)
{
	ck_assert(d->multicast);
	ck_assert(!d->all_ifaces);
	ck_assert_int_eq(d->n_ifaces, 2);
	ck_assert_str_eq(d->ifaces[0], "eth1");
	ck_assert_str_eq(d->ifaces[1], "eth2");
	ck_assert_int_eq(d->n_sweeps, 1);
	ck_assert_uint_eq(d->sweeps[0].net, 0x0a1e0000u);
	ck_assert_uint_eq(d->sweeps[0].prefix, 20);
	ck_assert_int_eq(d->n_allow, 1);
	ck_assert_uint_eq(d->allow[0].net, 0xcb007100u);
	ck_assert(!d->allow_any);
	ck_assert_int_eq(d->interval, 120);
	ck_assert_int_eq(d->sweep_rate, 250);
	ck_assert_int_eq(d->max_devices, 500);
	ck_assert_int_eq(d->max_per_host, 8);
	ck_assert_int_eq(d->expire_days, 7);
	ck_assert_str_eq(d->credentials, "audit");
}

START_TEST(every_token)
{
	struct config *c = conf(every_token_conf);

	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	ck_assert_int_eq(c->errors, 0);
	check_cameras(c);
	check_groups_and_sites(c);
	ck_assert_int_eq(c->poll_interval, 60);
	ck_assert_int_eq(c->timeout, 7);
	ck_assert_int_eq(c->concurrency, 5);
	ck_assert_str_eq(c->policy, "/etc/camcomply/policy.xml");
	ck_assert_str_eq(c->lists, "uk-nsl,ndaa-889");
	ck_assert_str_eq(c->oui_registry, "/srv/ieee");
	ck_assert_str_eq(c->state_file, "/srv/camcomply/state");
	ck_assert_str_eq(c->agentx_socket, "tcp:127.0.0.1:7705");
	ck_assert_int_eq(c->tls.mode, TLS_VERIFY);
	ck_assert_str_eq(c->tls.cafile, "/etc/ssl/cams.pem");
	ck_assert_str_eq(c->tls.capath, "/etc/ssl/cams.d");
	check_discovery(&c->disc);
	ck_assert_msg(strstr(logbuf, PASSWORD) == NULL, "password logged");
	config_free(c);
}
END_TEST

START_TEST(discover_all_and_any)
{
	struct config *c = conf("discover multicast all\n"
				"discover allow any\n"
				"discover sweep 10.0.0.7\n");

	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	ck_assert(c->disc.multicast && c->disc.all_ifaces);
	ck_assert_int_eq(c->disc.n_ifaces, 0);
	ck_assert(c->disc.allow_any);
	/* A bare address is a /32 sweep. */
	ck_assert_int_eq(c->disc.n_sweeps, 1);
	ck_assert_uint_eq(c->disc.sweeps[0].prefix, 32);
	ck_assert(!c->disc.sadp.on && !c->disc.dhip.on);
	config_free(c);
}
END_TEST

/* SADP and DHIP each on their own interfaces, not WS-Discovery's. */
START_TEST(discover_sadp_and_dhip)
{
	struct config *c = conf("discover sadp eth1\n"
				"discover sadp vlan20\n"
				"discover dhip all\n");

	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	ck_assert(!c->disc.multicast);
	ck_assert(c->disc.sadp.on && !c->disc.sadp.all);
	ck_assert_int_eq(c->disc.sadp.n, 2);
	ck_assert_str_eq(c->disc.sadp.names[0], "eth1");
	ck_assert_str_eq(c->disc.sadp.names[1], "vlan20");
	ck_assert(c->disc.dhip.on && c->disc.dhip.all);
	ck_assert_int_eq(c->disc.dhip.n, 0);
	config_free(c);
	refused("discover sadp\n",
	    "discover: want multicast IFACE|all, "
	    "sadp IFACE|all, dhip IFACE|all");
	refused("discover dhip eth0 eth1\n", "dhip IFACE|all");
}
END_TEST

static const struct {
	const char *tok;
	long min, max;
} bounds[] = {
    {"poll-interval", 10, 86400},
    {"timeout", 1, 300},
    {"concurrency", 1, 1024},
    {"discover-interval", 10, 86400},
    {"discover-sweep-rate", 1, 5000},
    {"discover-max", 1, 100000},
    {"discover-max-per-host", 1, 4096},
    {"discover-expire", 1, 3650},
    {"probe-interval", 0, 604800},
};

static int
number_of(const struct config *c, const char *tok)
{
	const int *v[] = {&c->poll_interval, &c->timeout, &c->concurrency,
	    &c->disc.interval, &c->disc.sweep_rate, &c->disc.max_devices,
	    &c->disc.max_per_host, &c->disc.expire_days, &c->probe_interval};
	size_t i;

	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
		if (strcmp(bounds[i].tok, tok) == 0)
			return *v[i];
	return -1;
}

/* Each number at both ends of its range, and just beyond each. */
START_TEST(number_bounds)
{
	const char *tok = bounds[_i].tok;
	char line[128], want[128];
	struct config *c;

	snprintf(line, sizeof(line), "%s %ld\n", tok, bounds[_i].min);
	ck_assert_ptr_nonnull(c = conf(line));
	ck_assert_int_eq(number_of(c, tok), bounds[_i].min);
	config_free(c);
	snprintf(line, sizeof(line), "%s\t%ld\n", tok, bounds[_i].max);
	ck_assert_ptr_nonnull(c = conf(line));
	ck_assert_int_eq(number_of(c, tok), bounds[_i].max);
	config_free(c);
	snprintf(want, sizeof(want), "%s: want a number from %ld to %ld", tok,
	    bounds[_i].min, bounds[_i].max);
	snprintf(line, sizeof(line), "%s %ld\n", tok, bounds[_i].min - 1);
	refused(line, want);
	snprintf(line, sizeof(line), "%s %ld\n", tok, bounds[_i].max + 1);
	refused(line, want);
	snprintf(line, sizeof(line), "%s 12abc\n", tok);
	refused(line, want);
	snprintf(line, sizeof(line), "%s many\n", tok);
	refused(line, want);
	snprintf(line, sizeof(line), "%s 20 30\n", tok);
	refused(line, want);
	snprintf(line, sizeof(line), "%s 99999999999999999999999\n", tok);
	refused(line, want);
}
END_TEST

START_TEST(verify_tls_modes)
{
	static const struct {
		const char *word;
		enum cfg_tls_mode mode;
	} m[] = {{"yes", TLS_VERIFY}, {"no", TLS_NO}, {"pin", TLS_PIN}};
	char line[64];
	struct config *c;
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(line, sizeof(line), "verify-tls %s\n", m[i].word);
		ck_assert_ptr_nonnull(c = conf(line));
		ck_assert_int_eq(c->tls.mode, m[i].mode);
		config_free(c);
		snprintf(line, sizeof(line),
		    "credentials g u @PW@ verify-tls %s\n", m[i].word);
		ck_assert_ptr_nonnull(c = conf(line));
		ck_assert_int_eq(c->creds[0].tls.mode, m[i].mode);
		config_free(c);
	}
	refused("verify-tls maybe\n", "verify-tls: want yes, no or pin");
	refused("credentials g u @PW@ verify-tls maybe\n",
	    "'verify-tls maybe' is not verify-tls yes|no|pin");
	refused("credentials g u @PW@ cafile\n", "'cafile' wants a value");
	refused("credentials g u @PW@ ciphers all\n", "'ciphers all' is not");
}
END_TEST

START_TEST(config_tls_merges_group_over_global)
{
	struct config *c = conf("verify-tls pin\n"
				"cafile /global/ca.pem\n"
				"capath /global/ca.d\n"
				"credentials plain u @PW@\n"
				"credentials strict u @PW@ verify-tls yes "
				"capath /site/ca.d\n"
				"credentials lax u @PW@ verify-tls no cafile "
				"/lax/ca.pem\n");
	struct cfg_tls t;

	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	config_tls(c, NULL, &t); /* no group: the global settings */
	ck_assert_int_eq(t.mode, TLS_PIN);
	ck_assert_str_eq(t.cafile, "/global/ca.pem");
	ck_assert_str_eq(t.capath, "/global/ca.d");
	config_tls(c, config_credentials(c, "plain"), &t); /* says nothing */
	ck_assert_int_eq(t.mode, TLS_PIN);
	ck_assert_str_eq(t.cafile, "/global/ca.pem");
	ck_assert_str_eq(t.capath, "/global/ca.d");
	config_tls(c, config_credentials(c, "strict"), &t);
	ck_assert_int_eq(t.mode, TLS_VERIFY);
	ck_assert_str_eq(t.cafile, "/global/ca.pem");
	ck_assert_str_eq(t.capath, "/site/ca.d");
	config_tls(c, config_credentials(c, "lax"), &t);
	ck_assert_int_eq(t.mode, TLS_NO);
	ck_assert_str_eq(t.cafile, "/lax/ca.pem");
	ck_assert_str_eq(t.capath, "/global/ca.d");
	/* The global settings themselves are untouched by a merge. */
	ck_assert_int_eq(c->tls.mode, TLS_PIN);
	ck_assert_str_eq(c->tls.cafile, "/global/ca.pem");
	config_free(c);
}
END_TEST

/* Net-SNMP only warns about these; config.c refuses the whole file. */
START_TEST(unknown_token_and_token_without_value)
{
	refused("poll-interval 60\n"
		"pol-interval 60\n",
	    "line 2: unknown token 'pol-interval'");
	refused("# comment\n"
		"camera 192.0.2.1\n"
		"policy\n",
	    "line 3: 'policy' wants a value");
	refused("site   \t\n", "line 1: 'site' wants a value");
	/* A good line does not save a file with a bad one. */
	refused("camera 192.0.2.1\n"
		"camera 192.0.2.2 colour blue\n",
	    "line 2: Error: camera http://192.0.2.2/onvif/device_service: "
	    "unknown option 'colour'");
}
END_TEST

START_TEST(bad_cidrs_and_sweep_limits)
{
	struct config *c;

	refused("discover sweep 10.0.0.0/33\n", "not '10.0.0.0/33'");
	refused("discover sweep 10.0.0.300/24\n", "not '10.0.0.300/24'");
	refused("discover sweep 2001:db8::/120\n", "want an IPv4 CIDR");
	refused("discover allow 10.0.0/8x\n",
	    "discover allow: want an IPv4 CIDR or any, not '10.0.0/8x'");
	/* Each sweep at most a /16 ... */
	refused("discover sweep 10.0.0.0/15\n",
	    "want an IPv4 CIDR of /16 or smaller, not '10.0.0.0/15'");
	ck_assert_ptr_nonnull(c = conf("discover sweep 10.0.0.0/16\n"));
	config_free(c);
	/* ... and 65,536 addresses in all: two /17 fill it exactly. */
	ck_assert_ptr_nonnull(c = conf("discover sweep 10.0.0.0/17\n"
				       "discover sweep 10.9.0.0/17\n"));
	ck_assert_int_eq(c->disc.n_sweeps, 2);
	config_free(c);
	refused("discover sweep 10.0.0.0/17\n"
		"discover sweep 10.9.0.0/17\n"
		"discover sweep 10.8.0.1\n",
	    "line 3: Error: discover sweep 10.8.0.1: sweeps would cover more "
	    "than 65536 addresses");
	refused("discover sweep 10.0.0.0/16\n"
		"discover sweep 10.9.0.0/24\n",
	    "sweeps would cover more than 65536");
	refused("discover probe 10.0.0.0/24\n",
	    "'probe' is not multicast, sadp, dhip, sweep or allow");
	refused("discover sweep\t10.0.0.0/24 10.1.0.0/24\n",
	    "discover: want multicast IFACE|all");
}
END_TEST

START_TEST(duplicates_and_references)
{
	struct config *c;

	/* Two spellings of one service URL are one camera. */
	refused("camera 192.0.2.1\n"
		"camera http://192.0.2.1/onvif/device_service\n",
	    "camera http://192.0.2.1/onvif/device_service is listed twice");
	refused("camera 192.0.2.1 credentials nobody\n",
	    "credentials 'nobody' are not defined");
	refused(
	    "camera 192.0.2.1 site nowhere\n", "site 'nowhere' is not defined");
	refused("discover-credentials nobody\n",
	    "discover-credentials 'nobody' are not defined");
	refused("discover-credentials a b\n",
	    "discover-credentials: want one credentials name");
	refused("credentials g u @PW@\ncredentials g v @PW@\n",
	    "credentials g: defined twice");
	/* References may point forward: checked once the file is read. */
	c = conf("camera 192.0.2.1 credentials g site s\n"
		 "site s 192.0.2.0/24 core\n"
		 "credentials g u @PW@\n");
	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	ck_assert_str_eq(c->cameras[0].zone, "core");
	config_free(c);
}
END_TEST

START_TEST(camera_and_site_refusals)
{
	refused("camera ftp://192.0.2.1/\n",
	    "camera: want a service URL or host[:port]");
	refused("camera 192.0.2.1 credentials\n",
	    "camera http://192.0.2.1/onvif/device_service: 'credentials' "
	    "wants a value");
	refused("camera 192.0.2.1 tls-pin 6f1c0d2e\n",
	    "tls-pin wants a SHA-256 (64 hex digits)");
	refused(
	    "camera 192.0.2.1 tls-pin "
	    "zz1c0d2e9a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6\n",
	    "tls-pin wants a SHA-256");
	refused("site hq 192.0.2.0/24 secret\n",
	    "site hq: zone 'secret' is not sensitive, core or general");
	refused("site hq 192.0.2.0/24\n", "site: want NAME CIDR");
	refused("site hq 192.0.2.0/24 core extra\n", "site: want NAME CIDR");
	refused("site hq 192.0.2.0/33 core\n",
	    "site hq: '192.0.2.0/33' is not an IPv4 or IPv6 CIDR");
	refused("site hq 2001:db8::/129 core\n", "is not an IPv4 or IPv6 CIDR");
	refused("site hq 192.0.2.x/24 core\n", "is not an IPv4 or IPv6 CIDR");
	refused("site hq 192.0.2.0/24 core\nsite hq 10.0.0.0/8 general\n",
	    "site hq: defined twice");
	refused("credentials g u\n", "credentials: want NAME USER");
	refused("policy a b\n", "policy: want one value");
}
END_TEST

/* probe, probes and a camera's probe and ports ("word value" or "word=value").
 */
START_TEST(probe_words)
{
	struct config *c =
	    conf("probe all\n"
		 "probes sadp,https\n"
		 "camera 192.0.2.1 probe none sadp-port 1037 "
		 "https-port=8443 credentials=g\n"
		 "camera 192.0.2.2 dhip-port=37811 http-port 8080 "
		 "rtsp-port 8554 probe=auto\n"
		 "camera 192.0.2.3\n"
		 "credentials g u @PW@\n");
	const struct cfg_camera *k;

	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	ck_assert_int_eq(c->probe, CFG_PROBE_ALL);
	/* https brings the certificate. */
	ck_assert_uint_eq(c->probes,
	    CAM_PROBE(PROBE_SADP) | CAM_PROBE(PROBE_HTTPS) |
		CAM_PROBE(PROBE_TLS));
	k = &c->cameras[0];
	ck_assert_int_eq(k->probe, CFG_PROBE_NONE);
	ck_assert_uint_eq(k->ports.sadp, 1037);
	ck_assert_uint_eq(k->ports.https, 8443);
	ck_assert_uint_eq(k->ports.dhip + k->ports.http + k->ports.rtsp, 0);
	ck_assert_str_eq(k->credentials, "g");
	k = &c->cameras[1];
	ck_assert_int_eq(k->probe, CFG_PROBE_AUTO);
	ck_assert_uint_eq(k->ports.dhip, 37811);
	ck_assert_uint_eq(k->ports.http, 8080);
	ck_assert_uint_eq(k->ports.rtsp, 8554);
	ck_assert_int_eq(c->cameras[2].probe, CFG_PROBE_UNSET);
	config_free(c);
	ck_assert_ptr_nonnull(c = conf("probe none\nprobes tls\n"));
	ck_assert_int_eq(c->probe, CFG_PROBE_NONE);
	ck_assert_uint_eq(c->probes, CAM_PROBE(PROBE_TLS));
	config_free(c);
	refused("probe sometimes\n", "probe: want auto, all or none");
	refused("probe all none\n", "probe: want auto, all or none");
	refused("probes sadp,ftp\n", "probes: 'ftp' is not a list of sadp");
	refused("probes sadp,\n", "probes: 'sadp,' is not a list");
	refused("probes onvif\n", "probes: 'onvif' is not a list");
	refused("probes sadp dhip\n", "probes: 'sadp dhip' is not a list");
	refused("camera 192.0.2.1 probe maybe\n",
	    "camera http://192.0.2.1/onvif/device_service: probe wants auto, "
	    "all or none");
	refused("camera 192.0.2.1 sadp-port 0\n",
	    "sadp-port wants a port, 1 to 65535");
	refused("camera 192.0.2.1 rtsp-port=65536\n", "rtsp-port wants a port");
	refused("camera 192.0.2.1 http-port 80x\n", "http-port wants a port");
	refused("camera 192.0.2.1 dhip-port=\n", "'dhip-port' wants a value");
}
END_TEST

/* The private ports: a global list, a camera's own, the ports probe. */
START_TEST(private_ports_words)
{
	struct config *c = conf("probes ports,http\nprivate-ports 34567,9527\n"
				"camera 192.0.2.1 private-ports=34568\n"
				"camera 192.0.2.2 private-ports 1,2,3\n");

	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	ck_assert_uint_eq(
	    c->probes, CAM_PROBE(PROBE_PORTS) | CAM_PROBE(PROBE_HTTP));
	ck_assert_uint_eq(c->n_private_ports, 2);
	ck_assert_uint_eq(c->private_ports[1], 9527);
	ck_assert_uint_eq(c->cameras[0].ports.n_priv, 1);
	ck_assert_uint_eq(c->cameras[0].ports.priv[0], 34568);
	ck_assert_uint_eq(c->cameras[1].ports.n_priv, 3);
	config_free(c);
	refused("private-ports 0\n", "private-ports: want up to 8 ports");
	refused("private-ports 1,1\n", "private-ports: want up to 8");
	refused("camera 192.0.2.1 private-ports=65536\n",
	    "private-ports wants up to 8 ports");
}
END_TEST

/* The colon spelling openssl prints is the same pin. */
START_TEST(tls_pin_with_colons)
{
	char line[256], *p = line;
	struct config *c;
	int i;

	p += snprintf(p, sizeof(line), "camera https://192.0.2.1/ tls-pin ");
	for (i = 0; i < 32; i++)
		p += sprintf(p, i ? ":%.2s" : "%.2s", PIN_HEX + 2 * i);
	strcpy(p, "\n");
	ck_assert_ptr_nonnull(c = conf(line));
	ck_assert(c->cameras[0].has_pin);
	ck_assert_uint_eq(c->cameras[0].tls_pin[0], 0x6f);
	ck_assert_uint_eq(c->cameras[0].tls_pin[31], 0xd6);
	config_free(c);
}
END_TEST

START_TEST(password_file_checks)
{
	char lnk[600], line[700], empty[600];
	struct config *c;

	/* Readable by the group or others: refused, naming the file. */
	write_file(pw_path, PASSWORD "\n", 0640);
	refused("credentials g u @PW@\n", pw_path);
	write_file(pw_path, PASSWORD "\n", 0604);
	refused("credentials g u @PW@\n", pw_path);
	write_file(pw_path, PASSWORD "\n", 0600);
	refused("credentials g u @PW@.nope\n", "credentials: ");
	/* A symbolic link, even to a good file, is refused. */
	snprintf(lnk, sizeof(lnk), "%s/link.pw", tmpdir);
	unlink(lnk);
	ck_assert_int_eq(symlink(pw_path, lnk), 0);
	snprintf(line, sizeof(line), "credentials g u %s\n", lnk);
	refused(line, lnk);
	snprintf(empty, sizeof(empty), "%s/empty.pw", tmpdir);
	write_file(empty, "", 0600);
	snprintf(line, sizeof(line), "credentials g u %s\n", empty);
	refused(line, empty);
	/* CRLF line end: the password is what comes before it. */
	write_file(pw_path, PASSWORD "\r\nsecond line\n", 0600);
	c = conf("credentials g u @PW@\n");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->creds[0].password, PASSWORD);
	config_free(c);
}
END_TEST

/*
 * Trailing blanks after a value (an editor's, or a CRLF file's \r) are not
 * part of it: Net-SNMP strips them before a handler runs, and the token
 * check that runs before Net-SNMP must not count them as a value either.
 */
START_TEST(trailing_blanks)
{
	struct config *c = conf("poll-interval 60 \n"
				"verify-tls pin \t\n"
				"policy /p.xml  \n"
				"discover allow any \n"
				"site hq 192.0.2.0/24 core \n"
				"camera 192.0.2.1 site hq \n"
				"timeout 7\r\n"
				"verify-tls yes\r\n"
				"lists uk-nsl\r\n");

	ck_assert_msg(c != NULL, "refused: %s", logbuf);
	ck_assert_int_eq(c->poll_interval, 60);
	ck_assert_int_eq(c->timeout, 7);
	ck_assert_int_eq(c->tls.mode, TLS_VERIFY); /* the last line's */
	ck_assert_str_eq(c->policy, "/p.xml");
	ck_assert_str_eq(c->lists, "uk-nsl");
	ck_assert_str_eq(c->cameras[0].site, "hq");
	config_free(c);
}
END_TEST

static bool
token_registered(const char *tok)
{
	struct config_line *l = read_config_get_handlers("camcomplyd-conf");

	for (; l != NULL; l = l->next)
		if (l->config_token != NULL &&
		    strcmp(l->config_token, tok) == 0)
			return true;
	return false;
}

/*
 * snmpd's dlmod loads and unloads the plugin: config_shutdown() takes every
 * token out of Net-SNMP's tables and config_init() puts them back, so a
 * second load reads the same file the same way.
 */
START_TEST(init_shutdown_cycles)
{
	static const char *const toks[] = {"camera", "credentials", "site",
	    "poll-interval", "timeout", "concurrency", "policy", "lists",
	    "oui-registry", "state-file", "agentx-socket", "verify-tls",
	    "cafile", "capath", "discover", "discover-interval",
	    "discover-sweep-rate", "discover-max", "discover-max-per-host",
	    "discover-expire", "discover-credentials", "probe", "probes",
	    "probe-interval"};
	struct config *c;
	size_t i;
	int cycle;

	for (cycle = 0; cycle < 3; cycle++) {
		for (i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
			ck_assert_msg(token_registered(toks[i]),
			    "cycle %d: %s not registered", cycle, toks[i]);
		c = conf(every_token_conf);
		ck_assert_msg(c != NULL, "cycle %d: %s", cycle, logbuf);
		check_cameras(c);
		check_groups_and_sites(c);
		check_discovery(&c->disc);
		config_free(c);
		refused("timeout 0\n", "timeout: want a number");
		config_shutdown();
		for (i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
			ck_assert_msg(!token_registered(toks[i]),
			    "cycle %d: %s still registered", cycle, toks[i]);
		config_init();
	}
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("config");
	TCase *tc = tcase_create("core");
	int status;

	if (cr_tmpdir(tmpdir, sizeof(tmpdir), "check_config") != 0)
		return EXIT_FAILURE;
	snprintf(conf_path, sizeof(conf_path), "%s/camcomplyd.conf", tmpdir);
	snprintf(pw_path, sizeof(pw_path), "%s/audit.pw", tmpdir);
	/* Everything Net-SNMP logs comes to log_cb (and stderr). */
	snmp_register_callback(
	    SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_cb, NULL);
	snmp_enable_calllog();
	config_init();
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, every_token);
	tcase_add_test(tc, discover_all_and_any);
	tcase_add_test(tc, discover_sadp_and_dhip);
	tcase_add_loop_test(
	    tc, number_bounds, 0, sizeof(bounds) / sizeof(bounds[0]));
	tcase_add_test(tc, verify_tls_modes);
	tcase_add_test(tc, config_tls_merges_group_over_global);
	tcase_add_test(tc, unknown_token_and_token_without_value);
	tcase_add_test(tc, bad_cidrs_and_sweep_limits);
	tcase_add_test(tc, duplicates_and_references);
	tcase_add_test(tc, camera_and_site_refusals);
	tcase_add_test(tc, tls_pin_with_colons);
	tcase_add_test(tc, probe_words);
	tcase_add_test(tc, private_ports_words);
	tcase_add_test(tc, password_file_checks);
	tcase_add_test(tc, trailing_blanks);
	tcase_add_test(tc, init_shutdown_cycles);
	suite_add_tcase(su, tc);
	status = cr_run(su, CK_FORK_GETENV);
	config_shutdown();
	cr_rmtree(tmpdir);
	return status;
}
