/*
 * facts.c: the list of facts a camera volunteers without credentials
 * (common/camera.h).  Collectors add to it, the policy reads it.  Pure
 * functions on a value: callable from any thread on its own record.
 */
#include <string.h>

#include "common/camera.h"
#include "common/strutil.h"

static const char *const fact_names[FACT_KIND_COUNT] = {
    [FACT_NONE] = NULL,
    [FACT_PROTOCOL] = "protocol",
    [FACT_MODEL] = "model",
    [FACT_SERIAL] = "serial",
    [FACT_FIRMWARE] = "firmware",
    [FACT_VENDOR] = "vendor",
    [FACT_OEM_CODE] = "oem-code",
    [FACT_DEVICE_CLASS] = "device-class",
    [FACT_PRIVATE_PORT] = "private-port",
    [FACT_HTTP_SERVER] = "http-server",
    [FACT_HTTP_STYLE] = "http-style",
    [FACT_HTTP_REALM] = "http-realm",
    [FACT_HTTP_TITLE] = "http-title",
    [FACT_HTTP_MARKER] = "http-marker",
    [FACT_RTSP_SERVER] = "rtsp-server",
    [FACT_RTSP_PUBLIC] = "rtsp-public",
    [FACT_RTSP_REALM] = "rtsp-realm",
    [FACT_RTSP_DATE] = "rtsp-date",
    [FACT_TLS_SUBJECT] = "tls-subject",
    [FACT_TLS_ISSUER] = "tls-issuer",
};

static const char *const probe_names[PROBE_COUNT] = {
    [PROBE_ONVIF] = "onvif",
    [PROBE_SADP] = "sadp",
    [PROBE_DHIP] = "dhip",
    [PROBE_HTTP] = "http",
    [PROBE_HTTPS] = "https",
    [PROBE_RTSP] = "rtsp",
    [PROBE_TLS] = "tls",
    [PROBE_PORTS] = "ports",
};

const char *
cam_fact_name(enum cam_fact_kind k)
{
	if ((int)k <= FACT_NONE || k >= FACT_KIND_COUNT)
		return NULL;
	return fact_names[k];
}

int
cam_fact_parse(const char *name, enum cam_fact_kind *out)
{
	for (int k = FACT_NONE + 1; k < FACT_KIND_COUNT; k++) {
		if (strcmp(name, fact_names[k]) == 0) {
			*out = (enum cam_fact_kind)k;
			return 0;
		}
	}
	return -1;
}

const char *
cam_probe_name(enum cam_probe p)
{
	if ((int)p < 0 || p >= PROBE_COUNT)
		return "?";
	return probe_names[p];
}

const struct cam_fact *
cam_fact_find(const struct cam_facts *fs, enum cam_fact_kind k)
{
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->f[i].kind == k)
			return &fs->f[i];
	}
	return NULL;
}

int
cam_fact_add(struct cam_facts *fs, enum cam_fact_kind k, enum cam_probe p,
    const char *text, size_t len)
{
	char raw[CAM_FACT_MAX];
	char clean[CAM_FACT_MAX];

	if (text == NULL || (int)k <= FACT_NONE || k >= FACT_KIND_COUNT ||
	    (int)p < 0 || p >= PROBE_COUNT || fs->n >= CAM_FACTS_MAX)
		return 0;
	/* The text need not be NUL-terminated; an embedded NUL ends it. */
	size_t n = strnlen(text, len);
	if (n >= sizeof(raw))
		n = sizeof(raw) - 1;
	memcpy(raw, text, n);
	raw[n] = '\0';
	str_clean(clean, sizeof(clean), raw);
	if (clean[0] == '\0')
		return 0;
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->f[i].kind != k || strcmp(fs->f[i].text, clean) != 0)
			continue;
		/*
		 * Two collectors said it (DHIP and RPC2_Login the serial): it
		 * is the first's in enum cam_probe's order, where that
		 * collector's own facts put it, whichever reply was read
		 * first, so camDeviceFacts does not change with timing.
		 */
		if ((int)p >= fs->f[i].probe)
			return 0;
		memmove(&fs->f[i], &fs->f[i + 1],
		    (fs->n - i - 1) * sizeof(fs->f[0]));
		fs->n--;
		break;
	}
	struct cam_fact *f = &fs->f[fs->n++];
	f->kind = (uint8_t)k;
	f->probe = (uint8_t)p;
	memcpy(f->text, clean, sizeof(f->text));
	return 1;
}
