/*
 * report.h: `camcomply report`, the audit report (report.c).
 *
 * A report is a list of cameras, each a fixed set of text fields, plus
 * what it was made from.  The sources (report_snmp.c: a live agent,
 * report_src.c: a state file or `scan --json`) fill it; the renderers
 * (report_html.c, report_text.c: CSV and JSON) print it.  Every field is
 * text that came from a camera or the agent: hostile, rendered escaped.
 * Main thread only.
 */
#ifndef CAMCOMPLY_REPORT_H
#define CAMCOMPLY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The columns, in the order the CSV and the tables show them. */
enum rep_field {
	RF_ADDRESS,
	RF_URL,
	RF_SITE,
	RF_ZONE,
	RF_VERDICT,
	RF_ACTION,
	RF_MAKER,
	RF_BRAND,
	RF_JURISDICTION,
	RF_MANUFACTURER,
	RF_MODEL,
	RF_FIRMWARE,
	RF_SERIAL,
	RF_MAC,
	RF_EVIDENCE,
	RF_LISTS,
	RF_REASON,
	RF_COUNT
};

/* A field's value is cut at this many bytes (a hostile agent or file). */
#define REPORT_FIELD_MAX 1024
/* A report holds at most this many cameras... */
#define REPORT_MAX_CAMS 200000
/* ... and at most this many bytes of text in its fields. */
#define REPORT_MAX_BYTES ((size_t)256 << 20)
/* A file or stdin is read up to this size. */
#define REPORT_MAX_INPUT (128u << 20)

struct report_cam {
	char *f[RF_COUNT]; /* never NULL once added: "" unknown */
};

struct report {
	const char *source; /* as given on the command line */
	const char *kind; /* "snmp", "state file", "scan json" */
	char produced[32]; /* UTC, ISO 8601 */
	char *policy_version, *policy_date, *registry_date; /* "" unknown */
	struct report_cam *cams;
	size_t n, cap;
};

/* The column's key (JSON, CSV header) and its title (HTML). */
const char *report_field_key(enum rep_field);
const char *report_field_title(enum rep_field);

void report_init(struct report *, const char *source);
void report_free(struct report *);
/* A new camera with every field "": NULL when full or out of memory. */
struct report_cam *report_add(struct report *);
/* Set a field (a copy, cut at REPORT_FIELD_MAX): 0, or -1 no memory. */
int report_set(struct report_cam *, enum rep_field, const char *s);
int report_setn(struct report_cam *, enum rep_field, const char *s, size_t n);
/* Set a metadata string (policy_version...): 0 or -1. */
int report_meta(char **field, const char *s);

/* Options of the live agent (report_snmp.c); secrets wiped by caller. */
struct report_snmp_opts {
	const char *version; /* "1", "2c", "3" */
	const char *community;
	const char *user, *level, *auth_proto, *priv_proto;
	const char *auth_pass, *priv_pass;
	double timeout;
	int retries;
};

/* url is snmp://HOST[:PORT] with a usable host and port. */
bool report_snmp_url_ok(const char *url);
/* Fill r from the agent at url (snmp://HOST[:PORT]): 0, or -1 + err. */
int report_from_snmp(struct report *, const char *url,
    const struct report_snmp_opts *, char *err, size_t errsz);
/* How a state file's rows are classified (report_src.c). */
struct report_file_opts {
	const char *policy; /* NULL: the configuration's, else the default */
	const char *config; /* camcomplyd.conf: its sites, lists, cameras */
};

/*
 * Fill r from the bytes of a state file or of `scan --json` (told apart
 * by their content): 0, or -1 + err.  A state file's rows are classified
 * as camcomplyd does at start (its verdicts are not in the file).
 */
int report_from_bytes(struct report *, const char *buf, size_t len,
    const struct report_file_opts *, char *err, size_t errsz);

/* Renderers: 0, or -1 on a write error (errno). */
int report_html(FILE *, const struct report *);
int report_csv(FILE *, const struct report *);
int report_json(FILE *, const struct report *);

/* Escaping, exposed for the unit tests (report_text.c, report_html.c). */
/* s HTML-escaped (& < > " ' and control characters) to f. */
int report_html_escape(FILE *, const char *s);
/* s as one RFC 4180 field, a formula neutralised, to f. */
int report_csv_field(FILE *, const char *s);

#endif
