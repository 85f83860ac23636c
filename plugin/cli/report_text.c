/*
 * report_text.c: the report as CSV (RFC 4180, one row per camera, a cell
 * that a spreadsheet would run as a formula neutralised) and as JSON (the
 * metadata and an array of cameras).  Main thread only.
 */
#include <json.h>
#include <stdio.h>
#include <string.h>

#include "cli/report.h"

/*
 * One field: quoted when it holds a comma, a quote, CR or LF (quotes
 * doubled); a leading = + - @, tab or CR gets a ' before it so that a
 * spreadsheet shows the text instead of running it.
 */
int
report_csv_field(FILE *f, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	if (quote && fputc('"', f) == EOF)
		return -1;
	if (formula && fputc('\'', f) == EOF)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '"' && fputc('"', f) == EOF)
			return -1;
		if (fputc(*s, f) == EOF)
			return -1;
	}
	if (quote && fputc('"', f) == EOF)
		return -1;
	return 0;
}

int
report_csv(FILE *f, const struct report *r)
{
	size_t i;
	int k;

	for (k = 0; k < RF_COUNT; k++)
		if (fputs(k ? "," : "", f) == EOF ||
		    report_csv_field(f, report_field_key(k)) != 0)
			return -1;
	if (fputs("\r\n", f) == EOF)
		return -1;
	for (i = 0; i < r->n; i++) {
		for (k = 0; k < RF_COUNT; k++)
			if ((k && fputc(',', f) == EOF) ||
			    report_csv_field(f, r->cams[i].f[k]) != 0)
				return -1;
		if (fputs("\r\n", f) == EOF)
			return -1;
	}
	return 0;
}

static void
add_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

/* A field that holds a list (evidence: names apart by spaces; lists: by
 * commas) as a JSON array of its items, empty ones left out. */
static void
add_list(struct json_object *o, const char *key, const char *v, char sep)
{
	struct json_object *a = json_object_new_array();
	const char *p = v, *e;

	while (*p != '\0') {
		e = strchr(p, sep);
		if (e == NULL)
			e = p + strlen(p);
		if (e > p)
			json_object_array_add(
			    a, json_object_new_string_len(p, (int)(e - p)));
		p = *e != '\0' ? e + 1 : e;
	}
	json_object_object_add(o, key, a);
}

/* The JSON is written one camera at a time: memory holds one object. */
int
report_json(FILE *f, const struct report *r)
{
	struct json_object *meta = json_object_new_object(), *cam;
	const int flags =
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *s;
	size_t i;
	int k, rc = 0;

	add_str(meta, "generator", PACKAGE_STRING);
	add_str(meta, "produced", r->produced);
	add_str(meta, "source", r->source);
	add_str(meta, "source_kind", r->kind);
	add_str(meta, "policy_version", r->policy_version);
	add_str(meta, "policy_date", r->policy_date);
	add_str(meta, "registry_date", r->registry_date);
	json_object_object_add(
	    meta, "cameras_total", json_object_new_int64((int64_t)r->n));
	s = json_object_to_json_string_ext(meta, flags);
	/* The metadata object without its closing brace, then "cameras". */
	if (fprintf(f, "%.*s,\"cameras\":[", (int)strlen(s) - 1, s) < 0)
		rc = -1;
	json_object_put(meta);
	for (i = 0; i < r->n && rc == 0; i++) {
		cam = json_object_new_object();
		for (k = 0; k < RF_COUNT; k++)
			if (k == RF_EVIDENCE || k == RF_LISTS)
				add_list(cam, report_field_key(k),
				    r->cams[i].f[k], k == RF_LISTS ? ',' : ' ');
			else
				add_str(
				    cam, report_field_key(k), r->cams[i].f[k]);
		if (fprintf(f, "%s\n%s", i ? "," : "",
			json_object_to_json_string_ext(cam, flags)) < 0)
			rc = -1;
		json_object_put(cam);
	}
	if (rc == 0 && fputs("]}\n", f) == EOF)
		rc = -1;
	return rc;
}
