/*
 * report_model.c: the report's list of cameras and its columns (report.h):
 * every field a copy of its own, cut at REPORT_FIELD_MAX, never NULL.
 * Main thread only.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/report.h"

static const struct {
	const char *key, *title;
} fields[RF_COUNT] = {
    [RF_ADDRESS] = {"address", "Address"},
    [RF_URL] = {"service_url", "Service URL"},
    [RF_SITE] = {"site", "Site"},
    [RF_ZONE] = {"zone", "Zone"},
    [RF_VERDICT] = {"verdict", "Verdict"},
    [RF_ACTION] = {"action", "Action"},
    [RF_MAKER] = {"maker", "Maker"},
    [RF_BRAND] = {"brand", "Brand"},
    [RF_JURISDICTION] = {"jurisdiction", "Jurisdiction"},
    [RF_MANUFACTURER] = {"manufacturer", "Manufacturer"},
    [RF_MODEL] = {"model", "Model"},
    [RF_FIRMWARE] = {"firmware", "Firmware"},
    [RF_SERIAL] = {"serial", "Serial"},
    [RF_MAC] = {"mac", "MAC"},
    [RF_EVIDENCE] = {"evidence", "Evidence"},
    [RF_LISTS] = {"lists", "Lists"},
    [RF_REASON] = {"reason", "Reason"},
};

const char *
report_field_key(enum rep_field f)
{
	return fields[f].key;
}

const char *
report_field_title(enum rep_field f)
{
	return fields[f].title;
}

static char empty[] = "";

void
report_init(struct report *r, const char *source)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(r, 0, sizeof(*r));
	r->source = source;
	r->kind = "";
	r->policy_version = r->policy_date = r->registry_date = empty;
	gmtime_r(&now, &tm);
	strftime(r->produced, sizeof(r->produced), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Bytes the fields hold (all reports): bounded by REPORT_MAX_BYTES. */
static size_t text_bytes;

static void
free_str(char *s)
{
	if (s != empty) {
		text_bytes -= strlen(s) + 1;
		free(s);
	}
}

void
report_free(struct report *r)
{
	size_t i;
	int k;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < RF_COUNT; k++)
			free_str(r->cams[i].f[k]);
	free(r->cams);
	free_str(r->policy_version);
	free_str(r->policy_date);
	free_str(r->registry_date);
	memset(r, 0, sizeof(*r));
}

struct report_cam *
report_add(struct report *r)
{
	struct report_cam *c;
	int k;

	if (r->n >= REPORT_MAX_CAMS)
		return NULL;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		if ((c = realloc(r->cams, cap * sizeof(*c))) == NULL)
			return NULL;
		r->cams = c;
		r->cap = cap;
	}
	c = &r->cams[r->n++];
	for (k = 0; k < RF_COUNT; k++)
		c->f[k] = empty;
	return c;
}

static char *
dup_cut(const char *s, size_t n)
{
	char *d;

	if (n > REPORT_FIELD_MAX)
		n = REPORT_FIELD_MAX;
	if (n == 0)
		return empty;
	if (text_bytes + n + 1 > REPORT_MAX_BYTES ||
	    (d = malloc(n + 1)) == NULL)
		return NULL;
	text_bytes += n + 1;
	memcpy(d, s, n);
	d[n] = '\0';
	/* A NUL inside (SNMP octets) would cut the text: show it as '?'. */
	for (size_t i = 0; i < n; i++)
		if (d[i] == '\0')
			d[i] = '?';
	return d;
}

int
report_setn(struct report_cam *c, enum rep_field f, const char *s, size_t n)
{
	char *d = dup_cut(s, n);

	if (d == NULL)
		return -1;
	free_str(c->f[f]);
	c->f[f] = d;
	return 0;
}

int
report_set(struct report_cam *c, enum rep_field f, const char *s)
{
	return report_setn(c, f, s, s ? strlen(s) : 0);
}

int
report_meta(char **field, const char *s)
{
	char *d = dup_cut(s, s ? strlen(s) : 0);

	if (d == NULL)
		return -1;
	free_str(*field);
	*field = d;
	return 0;
}
