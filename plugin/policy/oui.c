/*
 * oui.c: load the IEEE registry CSV files into three sorted arrays (one per
 * prefix length) and answer longest-prefix lookups by binary search.
 *
 * oui_load()/oui_free() run on the main thread; the loaded registry is
 * immutable, so every other function may run on any thread.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/oui.h"
#include "common/strutil.h"

/* Index 0: 36-bit blocks (MA-S, IAB), 1: 28-bit (MA-M), 2: 24-bit (MA-L). */
#define OUI_NLEN 3
static const int oui_lens[OUI_NLEN] = {36, 28, 24};

struct oui_entry {
	uint64_t prefix; /* the block's leading bits, right-aligned */
	uint32_t org; /* offset into the name arena */
};

struct oui_registry {
	struct oui_entry *ent[OUI_NLEN];
	size_t n[OUI_NLEN];
	size_t cap[OUI_NLEN];
	char *names; /* NUL-terminated organisation names */
	size_t names_len;
	size_t names_cap;
	char date[16];
	char dir[512];
};

/* State of one CSV file being parsed, for error messages. */
struct csv {
	const char *path;
	const char *p;
	const char *end;
	unsigned long line;
};

static int
grow(void **buf, size_t *cap, size_t need, size_t elsz)
{
	size_t ncap;
	void *nbuf;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 1024;
	while (ncap < need)
		ncap *= 2;
	if ((nbuf = realloc(*buf, ncap * elsz)) == NULL)
		return -1;
	*buf = nbuf;
	*cap = ncap;
	return 0;
}

/*
 * Read one field into dst (truncated to dstsz).  Handles RFC 4180 quoting,
 * including the few IEEE records whose quoted address spans lines.
 * Returns the character that ended the field: ',', '\n' or 0 at the end.
 */
static int
csv_field(struct csv *c, char *dst, size_t dstsz)
{
	size_t o = 0;
	int quoted = 0;

	if (c->p < c->end && *c->p == '"') {
		quoted = 1;
		c->p++;
	}
	while (c->p < c->end) {
		char ch = *c->p++;

		if (quoted && ch == '"') {
			if (c->p < c->end && *c->p == '"')
				c->p++;
			else {
				quoted = 0;
				continue;
			}
		} else if (!quoted && (ch == ',' || ch == '\n')) {
			if (ch == '\n')
				c->line++;
			dst[o] = '\0';
			return ch;
		} else if (ch == '\n')
			c->line++;
		if (ch == '\r' && !quoted)
			continue;
		if (o + 1 < dstsz)
			dst[o++] = ch;
	}
	dst[o] = '\0';
	return 0;
}

/* Skip to the start of the next record. */
static void
csv_skip_record(struct csv *c, int last)
{
	char junk[256];

	while (last == ',')
		last = csv_field(c, junk, sizeof(junk));
}

static int
parse_hex(const char *s, uint64_t *v)
{
	size_t i, n = strlen(s);

	*v = 0;
	if (n != 6 && n != 7 && n != 9)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		*v = (*v << 4) |
		    (uint64_t)(isdigit((unsigned char)s[i])
			    ? s[i] - '0'
			    : (tolower((unsigned char)s[i]) - 'a' + 10));
	}
	return (int)n * 4;
}

static int
add_name(struct oui_registry *r, const char *name, uint32_t *off)
{
	size_t len = strlen(name) + 1;

	if (grow((void **)&r->names, &r->names_cap, r->names_len + len, 1))
		return -1;
	memcpy(r->names + r->names_len, name, len);
	*off = (uint32_t)r->names_len;
	r->names_len += len;
	return 0;
}

static int
add_entry(struct oui_registry *r, int bits, uint64_t prefix, const char *org)
{
	int k;
	struct oui_entry *e;
	char clean[256];

	for (k = 0; k < OUI_NLEN && oui_lens[k] != bits; k++)
		;
	if (k == OUI_NLEN)
		return 0;
	if (grow((void **)&r->ent[k], &r->cap[k], r->n[k] + 1,
		sizeof(struct oui_entry)))
		return -1;
	e = &r->ent[k][r->n[k]];
	e->prefix = prefix;
	/* Registry text reaches the MIB, so it gets the same cleaning. */
	if (add_name(r, str_clean(clean, sizeof(clean), org), &e->org))
		return -1;
	r->n[k]++;
	return 0;
}

static int
parse_csv(struct oui_registry *r, struct csv *c, char *err, size_t errsz)
{
	char reg[32], assign[32], org[512];
	uint64_t prefix;
	int bits, last;

	/* Header: Registry,Assignment,Organization Name,Organization Address */
	last = csv_field(c, reg, sizeof(reg));
	if (strcmp(reg, "Registry") != 0) {
		snprintf(
		    err, errsz, "%s:1: not an IEEE registry CSV file", c->path);
		return -1;
	}
	csv_skip_record(c, last);
	while (c->p < c->end) {
		unsigned long line = c->line;

		if ((last = csv_field(c, reg, sizeof(reg))) != ',' ||
		    (last = csv_field(c, assign, sizeof(assign))) != ',') {
			if (reg[0] == '\0' && last != ',')
				continue; /* blank line */
			snprintf(
			    err, errsz, "%s:%lu: short record", c->path, line);
			return -1;
		}
		last = csv_field(c, org, sizeof(org));
		csv_skip_record(c, last);
		if ((bits = parse_hex(assign, &prefix)) < 0) {
			snprintf(err, errsz, "%s:%lu: bad assignment '%s'",
			    c->path, line, assign);
			return -1;
		}
		if (add_entry(r, bits, prefix, org)) {
			snprintf(err, errsz, "%s: out of memory", c->path);
			return -1;
		}
	}
	return 0;
}

/* Returns 1 when loaded, 0 when the file does not exist, -1 on error. */
static int
load_file(struct oui_registry *r, const char *path, time_t *mtime, char *err,
    size_t errsz)
{
	FILE *f;
	struct stat st;
	char *buf;
	struct csv c;
	int rc;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == -1 ||
	    (buf = malloc(st.st_size + 1)) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	c.path = path;
	c.p = buf;
	c.end = buf + fread(buf, 1, st.st_size, f);
	c.line = 1;
	fclose(f);
	if (st.st_mtime > *mtime)
		*mtime = st.st_mtime;
	rc = parse_csv(r, &c, err, errsz);
	free(buf);
	return rc == 0 ? 1 : -1;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct oui_entry *x = a, *y = b;

	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

/* ieee-data's update script records when the files were fetched. */
static void
set_date(struct oui_registry *r, const char *dir, time_t newest)
{
	char path[600], buf[32];
	FILE *f;
	time_t t = newest;
	struct tm tm;

	snprintf(path, sizeof(path), "%s/.lastupdate", dir);
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), f) != NULL && atoll(buf) > 0)
			t = (time_t)atoll(buf);
		fclose(f);
	}
	gmtime_r(&t, &tm);
	strftime(r->date, sizeof(r->date), "%Y-%m-%d", &tm);
}

struct oui_registry *
oui_load(const char *dir, char *err, size_t errsz)
{
	static const char *files[] = {
	    "oui.csv", "mam.csv", "oui36.csv", "iab.csv"};
	struct oui_registry *r;
	char path[600];
	time_t newest = 0;
	size_t i;
	int rc, found = 0, k;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	str_lcpy(r->dir, dir, sizeof(r->dir));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if ((rc = load_file(r, path, &newest, err, errsz)) < 0) {
			oui_free(r);
			return NULL;
		}
		found += rc;
	}
	if (!found) {
		snprintf(
		    err, errsz, "%s: no oui.csv, mam.csv or oui36.csv", dir);
		oui_free(r);
		return NULL;
	}
	for (k = 0; k < OUI_NLEN; k++) /* a missing file: NULL, none */
		if (r->n[k] > 0)
			qsort(r->ent[k], r->n[k], sizeof(struct oui_entry),
			    cmp_entry);
	set_date(r, dir, newest);
	return r;
}

void
oui_free(struct oui_registry *r)
{
	int k;

	if (r == NULL)
		return;
	for (k = 0; k < OUI_NLEN; k++)
		free(r->ent[k]);
	free(r->names);
	free(r);
}

static ssize_t
search(const struct oui_entry *e, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e[mid].prefix == key)
			return (ssize_t)mid;
		if (e[mid].prefix < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

ssize_t
oui_find(const struct oui_registry *r, const uint8_t mac[6])
{
	uint64_t v = 0;
	size_t base = 0;
	ssize_t i;
	int k;

	if (r == NULL)
		return -1;
	for (k = 0; k < 6; k++)
		v = (v << 8) | mac[k];
	/* Indexes run through the 36-, 28- then 24-bit arrays. */
	for (k = 0; k < OUI_NLEN; k++) {
		i = search(r->ent[k], r->n[k], v >> (48 - oui_lens[k]));
		if (i >= 0)
			return (ssize_t)base + i;
		base += r->n[k];
	}
	return -1;
}

static const struct oui_entry *
entry_at(const struct oui_registry *r, size_t idx, int *k)
{
	for (*k = 0; *k < OUI_NLEN; (*k)++) {
		if (idx < r->n[*k])
			return &r->ent[*k][idx];
		idx -= r->n[*k];
	}
	return NULL;
}

const char *
oui_org(const struct oui_registry *r, size_t idx)
{
	int k;
	const struct oui_entry *e = entry_at(r, idx, &k);

	return e != NULL ? r->names + e->org : "";
}

int
oui_bits(const struct oui_registry *r, size_t idx)
{
	int k;

	return entry_at(r, idx, &k) != NULL ? oui_lens[k] : 0;
}

size_t
oui_count(const struct oui_registry *r)
{
	return r == NULL ? 0 : r->n[0] + r->n[1] + r->n[2];
}

const char *
oui_date(const struct oui_registry *r)
{
	return r == NULL ? "" : r->date;
}

const char *
oui_dir(const struct oui_registry *r)
{
	return r == NULL ? "" : r->dir;
}

char *
oui_org_normalise(char *dst, size_t dstsz, const char *name)
{
	size_t o = 0;
	int sep = 1;

	if (dstsz < 3) {
		if (dstsz > 0)
			dst[0] = '\0';
		return dst;
	}
	dst[o++] = ' ';
	for (; *name != '\0' && o + 2 < dstsz; name++) {
		unsigned char ch = (unsigned char)*name;

		if (ch < 0x80 && isalnum(ch)) {
			dst[o++] = (char)tolower(ch);
			sep = 0;
		} else if (!sep) {
			dst[o++] = ' ';
			sep = 1;
		}
	}
	if (!sep)
		dst[o++] = ' ';
	dst[o] = '\0';
	return dst;
}

int
oui_org_match(const char *norm_name, const char *norm_pattern)
{
	if (norm_pattern[0] == '\0' || strcmp(norm_pattern, " ") == 0)
		return 0;
	return strstr(norm_name, norm_pattern) != NULL;
}
