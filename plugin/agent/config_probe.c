/*
 * config_probe.c: the words of camcomplyd.conf that choose the collectors
 * needing no credentials (onvif/unauth.h): "probe auto|all|none", "probes
 * sadp,dhip,...", "private-ports N[,N...]", and a camera line's probe and
 * port options.  Pure
 * parsing, no Net-SNMP: config.c calls these and refuses the line when
 * they say no.  Main thread only, as config.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "common/strutil.h"

int
config_probe_mode(const char *s, enum cfg_probe_mode *m)
{
	if (strcmp(s, "auto") == 0)
		*m = CFG_PROBE_AUTO;
	else if (strcmp(s, "all") == 0)
		*m = CFG_PROBE_ALL;
	else if (strcmp(s, "none") == 0)
		*m = CFG_PROBE_NONE;
	else
		return -1;
	return 0;
}

/* One collector's name of n bytes: its enum cam_probe, or -1. */
static int
probe_named(const char *s, size_t n)
{
	int k;

	for (k = PROBE_SADP; k < PROBE_COUNT; k++)
		if (strlen(cam_probe_name((enum cam_probe)k)) == n &&
		    strncmp(s, cam_probe_name((enum cam_probe)k), n) == 0)
			return k;
	return -1;
}

int
config_probe_list(const char *s, uint32_t *bits, char *bad, size_t badsz)
{
	uint32_t b = 0;
	size_t n;
	int k;

	snprintf(bad, badsz, "%s", s);
	while (*s != '\0') {
		n = strcspn(s, ",");
		if ((k = probe_named(s, n)) < 0) {
			snprintf(bad, badsz, "%.*s", (int)n, s);
			return -1;
		}
		b |= CAM_PROBE(k);
		/* The certificate is read in the HTTPS handshake. */
		if (k == PROBE_HTTPS)
			b |= CAM_PROBE(PROBE_TLS);
		s += n;
		if (*s == ',' && *++s == '\0')
			return -1; /* a trailing comma */
	}
	if (b == 0)
		return -1;
	*bits = b;
	return 0;
}

bool
config_option_split(char *kw, char *val, size_t valsz)
{
	char *eq = strchr(kw, '=');

	if (eq == NULL)
		return false;
	*eq = '\0';
	snprintf(val, valsz, "%s", eq + 1);
	return true;
}

static int
port_value(const char *v, uint16_t *port)
{
	char *end;
	long p = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || p < 1 || p > 65535)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

int
config_private_ports(const char *s, uint16_t *ports, uint8_t *n)
{
	uint16_t tmp[CFG_PRIVATE_PORTS_MAX];
	int k = str_parse_ports(s, tmp, CFG_PRIVATE_PORTS_MAX);

	if (k < 0)
		return -1;
	memcpy(ports, tmp, (size_t)k * sizeof(tmp[0]));
	*n = (uint8_t)k;
	return 0;
}

int
config_camera_probe_option(struct cfg_camera *c, const char *kw,
    const char *val, char *err, size_t errsz)
{
	const struct {
		const char *kw;
		uint16_t *port;
	} ports[] = {{"sadp-port", &c->ports.sadp},
	    {"dhip-port", &c->ports.dhip}, {"http-port", &c->ports.http},
	    {"https-port", &c->ports.https}, {"rtsp-port", &c->ports.rtsp}};
	enum cfg_probe_mode m;
	size_t i;

	if (strcmp(kw, "probe") == 0) {
		if (config_probe_mode(val, &m) != 0) {
			snprintf(err, errsz, "probe wants auto, all or none");
			return -1;
		}
		c->probe = (uint8_t)m;
		return 1;
	}
	if (strcmp(kw, "private-ports") == 0) {
		if (config_private_ports(
			val, c->ports.priv, &c->ports.n_priv) != 0) {
			snprintf(err, errsz,
			    "private-ports wants up to %d ports, 1 to 65535, "
			    "separated by commas",
			    CFG_PRIVATE_PORTS_MAX);
			return -1;
		}
		return 1;
	}
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		if (strcmp(kw, ports[i].kw) != 0)
			continue;
		if (port_value(val, ports[i].port) != 0) {
			snprintf(err, errsz, "%s wants a port, 1 to 65535",
			    ports[i].kw);
			return -1;
		}
		return 1;
	}
	return 0;
}
