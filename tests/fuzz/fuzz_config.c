/*
 * fuzz_config.c: libFuzzer target for camcomplyd.conf (agent/config.c on
 * Net-SNMP's read_config).
 *
 * The input is a config file: written to a private temp folder and read
 * with config_read(), then freed; config_init() registered the handlers
 * once.  "@PW@" in the input stands for a real password file (mode 0600),
 * so credentials lines can succeed too; any other file an input names
 * does not exist, or is refused by the secret reader's checks.
 *
 * Checked: what config_read() returns keeps its counts and strings in
 * bounds and its numbers in the documented ranges; every camera URL is
 * one onvif_target_url() accepts, and none twice; every reference
 * resolves.  After each input a fixed good file must still read the same
 * (nothing of a refused file may stay behind in Net-SNMP's state).  Leaks
 * are LeakSanitizer's, over every iteration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "agent/config.h"
#include "onvif/onvif.h"

#include "fuzz.h"

#define GOOD                                                                   \
	"camera 192.0.2.10 credentials main site hq\n"                         \
	"camera http://192.0.2.11:8080/onvif/device_service\n"                 \
	"credentials main admin @PW@ verify-tls pin\n"                         \
	"site hq 192.0.2.0/24 sensitive\n"                                     \
	"discover multicast all\n"                                             \
	"poll-interval 60\n"

static char conf_path[512], pw_path[512], good_path[512];

static int
quiet(int major, int minor, void *server, void *client)
{
	(void)major, (void)minor, (void)server, (void)client;
	return 0;
}

/* The input with each @PW@ replaced by the password file's path. */
static size_t
expand(const uint8_t *data, size_t size, char *out, size_t outsz)
{
	size_t i = 0, o = 0, pl = strlen(pw_path);

	while (i < size && o + pl < outsz) {
		if (size - i >= 4 && memcmp(data + i, "@PW@", 4) == 0) {
			memcpy(out + o, pw_path, pl);
			o += pl;
			i += 4;
		} else
			out[o++] = (char)data[i++];
	}
	return o;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char good[1024];
	size_t n;

	(void)argc, (void)argv;
	snmp_register_callback(
	    SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, quiet, NULL);
	snmp_enable_calllog();
	config_init();
	atexit(config_shutdown);
	fuzz_tmppath("camcomplyd.conf", conf_path, sizeof(conf_path));
	fuzz_tmppath("good.conf", good_path, sizeof(good_path));
	fuzz_tmppath("password", pw_path, sizeof(pw_path));
	n = expand((const uint8_t *)GOOD, strlen(GOOD), good, sizeof(good));
	if (fuzz_write_file(pw_path, "s3cret\n", 7) != 0 ||
	    fuzz_write_file(good_path, good, n) != 0)
		abort();
	return 0;
}

static void
check_cameras(const struct config *c)
{
	char url[CAM_STR_MAX];
	size_t i, j;

	for (i = 0; i < c->n_cameras; i++) {
		const struct cfg_camera *cam = &c->cameras[i];
		fuzz_check_str(cam->url, sizeof(cam->url), false);
		fuzz_check_str(
		    cam->credentials, sizeof(cam->credentials), false);
		fuzz_check_str(cam->site, sizeof(cam->site), false);
		fuzz_check_str(cam->zone, sizeof(cam->zone), false);
		FUZZ_CHECK(onvif_target_url(cam->url, url, sizeof(url)) == 0);
		FUZZ_CHECK(strcmp(url, cam->url) == 0);
		FUZZ_CHECK(cam->credentials[0] == '\0' ||
		    config_credentials(c, cam->credentials) != NULL);
		FUZZ_CHECK(cam->site[0] == '\0' || cam->zone[0] != '\0');
		FUZZ_CHECK(cam->probe <= CFG_PROBE_NONE);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(c->cameras[j].url, cam->url) != 0);
	}
}

/* The collectors without credentials: known ones, TLS with HTTPS. */
static void
check_probes(const struct config *c)
{
	const uint32_t known =
	    ((1u << PROBE_COUNT) - 1) & ~CAM_PROBE(PROBE_ONVIF);
	const struct cfg_ifset *sets[] = {&c->disc.sadp, &c->disc.dhip};
	size_t i, j;

	FUZZ_CHECK(c->probe >= CFG_PROBE_AUTO && c->probe <= CFG_PROBE_NONE);
	FUZZ_CHECK(c->probes != 0 && (c->probes & ~known) == 0);
	FUZZ_CHECK(!(c->probes & CAM_PROBE(PROBE_HTTPS)) ||
	    (c->probes & CAM_PROBE(PROBE_TLS)));
	FUZZ_CHECK(c->probe_interval >= 0 && c->probe_interval <= 604800);
	/* private-ports: 1..65535 each, no repeats, within the array. */
	FUZZ_CHECK(c->n_private_ports <= CFG_PRIVATE_PORTS_MAX);
	for (i = 0; i < c->n_private_ports; i++) {
		FUZZ_CHECK(c->private_ports[i] != 0);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(c->private_ports[j] != c->private_ports[i]);
	}
	for (i = 0; i < c->n_cameras; i++) {
		const struct cfg_probe_ports *pp = &c->cameras[i].ports;
		FUZZ_CHECK(pp->n_priv <= CFG_PRIVATE_PORTS_MAX);
		for (j = 0; j < pp->n_priv; j++)
			FUZZ_CHECK(pp->priv[j] != 0);
	}
	for (i = 0; i < 2; i++) {
		FUZZ_CHECK(sets[i]->n == 0 || sets[i]->names != NULL);
		FUZZ_CHECK(!(sets[i]->n > 0 || sets[i]->all) || sets[i]->on);
		for (j = 0; j < sets[i]->n; j++)
			fuzz_check_str(sets[i]->names[j], CAM_NAME_MAX, false);
	}
}

static void
check_config(const struct config *c)
{
	unsigned long swept = 0;
	size_t i;

	FUZZ_CHECK(c->errors == 0);
	check_cameras(c);
	for (i = 0; i < c->n_creds; i++) {
		fuzz_check_str(c->creds[i].name, CAM_NAME_MAX, false);
		fuzz_check_str(c->creds[i].password, CAM_STR_MAX, false);
		FUZZ_CHECK(
		    config_credentials(c, c->creds[i].name) == &c->creds[i]);
	}
	for (i = 0; i < c->n_sites; i++)
		fuzz_check_str(
		    c->sites[i].zone, sizeof(c->sites[i].zone), false);
	FUZZ_CHECK(c->n_site_ranges <= c->n_sites);
	FUZZ_CHECK(c->poll_interval >= 10 && c->poll_interval <= 86400);
	FUZZ_CHECK(c->timeout >= 1 && c->timeout <= 300);
	FUZZ_CHECK(c->concurrency >= 1 && c->concurrency <= 1024);
	FUZZ_CHECK(c->disc.max_devices >= 1 && c->disc.max_per_host >= 1);
	FUZZ_CHECK(c->disc.expire_days >= 1 && c->disc.expire_days <= 3650);
	for (i = 0; i < c->disc.n_sweeps; i++) {
		FUZZ_CHECK(c->disc.sweeps[i].prefix >= 16 &&
		    c->disc.sweeps[i].prefix <= 32);
		swept += 1ul << (32 - c->disc.sweeps[i].prefix);
	}
	FUZZ_CHECK(swept <= 65536);
	check_probes(c);
	FUZZ_CHECK(c->disc.credentials[0] == '\0' ||
	    config_credentials(c, c->disc.credentials) != NULL);
	fuzz_check_str(c->policy, sizeof(c->policy), false);
	fuzz_check_str(c->state_file, sizeof(c->state_file), false);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[1 << 17];
	struct config *c;
	size_t n;

	if (size > 65536)
		return 0;
	n = expand(data, size, text, sizeof(text));
	if (fuzz_write_file(conf_path, text, n) != 0)
		abort();
	if ((c = config_read(conf_path)) != NULL)
		check_config(c);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "config %s\n", c != NULL ? "read" : "refused");
	config_free(c);
	/* The reader is as good as new for the next file. */
	c = config_read(good_path);
	FUZZ_CHECK(c != NULL && c->n_cameras == 2 && c->n_creds == 1 &&
	    c->n_sites == 1 && c->poll_interval == 60 && c->disc.all_ifaces);
	config_free(c);
	return 0;
}
