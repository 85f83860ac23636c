/*
 * statefile.c: what the MIB must remember across restarts.
 *
 * Owns the state file: one line per device with its index, key, first and
 * last seen, last known identity and verdict, and whether its restricted
 * trap was sent.  Written atomically (a temp file of our own, created
 * O_EXCL|O_NOFOLLOW, every write checked, fsync, rename, fsync of the
 * folder): a failed write keeps the previous file.  A file that does not
 * parse is renamed aside and reported, never fatal.  No secret is ever written
 * here: credentials are referred to by group name only.  Main thread only.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/store.h"
#include "agent/store_int.h"
#include "common/strutil.h"

#define STATE_MAGIC "camcomply-state 1"

/* Percent-escape everything but unreserved printable ASCII. */
static int
put_text(FILE *f, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	for (; *p != '\0'; p++) {
		if (*p > ' ' && *p < 0x7f && *p != '%' && *p != '=') {
			if (fputc(*p, f) == EOF)
				return -1;
		} else if (fprintf(f, "%%%02X", *p) < 0)
			return -1;
	}
	return 0;
}

static int
put_escaped(FILE *f, const char *key, const char *v)
{
	if (fprintf(f, " %s=", key) < 0)
		return -1;
	return put_text(f, v);
}

/* Certificate fingerprints are public: the pin is no secret. */
static int
put_tls(FILE *f, const struct device *d)
{
	char hex[65];

	if (d->has_pin &&
	    fprintf(f, " pin=%s",
		str_format_sha256(d->tls_pin, hex, sizeof(hex))) < 0)
		return -1;
	if (d->has_tls_seen &&
	    fprintf(f, " tls=%s",
		str_format_sha256(d->tls_seen, hex, sizeof(hex))) < 0)
		return -1;
	if (d->cert_alarm && fprintf(f, " certalarm=1") < 0)
		return -1;
	return 0;
}

/*
 * What the camera said without credentials: "probes=TRIED.ANSWERED" and
 * one "fact=KIND.PROBE.TEXT" per fact (TEXT escaped), so that a restart
 * classifies the camera as before.
 */
static int
put_facts(FILE *f, const struct row_identity *id)
{
	const char *p = id->facts;
	size_t i;

	if (id->facts_tried == 0 && id->n_facts == 0)
		return 0;
	if (fprintf(f, " probes=%u.%u", id->facts_tried, id->facts_answered) <
	    0)
		return -1;
	for (i = 0; i < id->n_facts; i++, p += strlen(p) + 1) {
		if (fprintf(f, " fact=%d.%d.", p[0] - 1, p[1] - 1) < 0 ||
		    put_text(f, p + 2) != 0)
			return -1;
		p += 2;
	}
	return 0;
}

/* gen: the save being written (announced: see store_save_rows()). */
static int
put_device(FILE *f, const struct device *d, uint32_t gen)
{
	char mac[18] = "";
	const char *sc;
	const struct {
		const char *key, *v;
	} strs[] = {
	    {"key", d->key},
	    {"maker", d->verdict.maker},
	    {"manufacturer", d->id.manufacturer},
	    {"model", d->id.model},
	    {"firmware", d->id.firmware},
	    {"serial", d->id.serial},
	    {"hardware_id", d->id.hardware_id},
	    {"hostname", d->id.hostname},
	    {"endpoint", d->id.endpoint},
	    {"address", d->id.address},
	    {"mac", mac},
	};
	size_t i;

	if (d->id.n_macs > 0)
		str_format_mac(d->id.macs[0], mac, sizeof(mac));
	if (fprintf(f,
		"dev index=%u first=%lld last=%lld announced=%d "
		"identified=%d reachable=%d auth=%d verdict=%d",
		d->index, (long long)d->first_seen, (long long)d->last_seen,
		d->announced && d->announce_save <= gen, d->identified,
		d->reachable, (int)d->auth, (int)d->verdict.verdict) < 0 ||
	    (d->by_facts && fprintf(f, " byfacts=1") < 0))
		return -1;
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (put_escaped(f, strs[i].key, strs[i].v) != 0)
			return -1;
	if (fprintf(f, " method=%d announced_at=%lld mdv=%lu", (int)d->method,
		(long long)d->last_announced, d->metadata_version) < 0 ||
	    put_tls(f, d) != 0)
		return -1;
	for (i = 0, sc = d->id.scopes; i < d->id.n_scopes;
	     i++, sc = row_scope_next(sc))
		if (put_escaped(f, "scope", sc) != 0)
			return -1;
	if (put_facts(f, &d->id) != 0)
		return -1;
	return fputc('\n', f) == EOF ? -1 : 0;
}

/*
 * A fresh temp file, ours alone.  A stale one (a crash mid-save) is
 * removed first; unlink() removes a symbolic link planted there, never
 * what it points to, and O_EXCL|O_NOFOLLOW refuse one planted after.
 */
static FILE *
open_temp(const char *tmp)
{
	FILE *f;
	int fd, saved;

	if (unlink(tmp) != 0 && errno != ENOENT)
		return NULL;
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	if ((f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
	}
	return f;
}

/* Every byte, flushed and on disk, or -1 with errno of the first error. */
static int
write_state(FILE *f, const struct store *s)
{
	size_t i;

	if (fprintf(f, "%s\n", STATE_MAGIC) < 0)
		return -1;
	for (i = 0; i < s->n; i++)
		if (put_device(f, s->devs[i], UINT32_MAX) != 0)
			return -1;
	if (fflush(f) != 0)
		return -1;
	if (ferror(f)) {
		errno = EIO;
		return -1;
	}
	return fsync(fileno(f));
}

/* The rename is durable only once the folder is synced too. */
void
statefile_sync_dir(const char *path)
{
	char dir[PATH_MAX], *slash;
	int fd;

	str_lcpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == NULL)
		str_lcpy(dir, ".", sizeof(dir));
	else
		*(slash == dir ? slash + 1 : slash) = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* The first row with an index above after, by binary search. */
static size_t
first_after(const struct store *s, uint32_t after)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->devs[mid]->index <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
store_save_rows(FILE *f, const struct store *s, uint32_t gen, uint32_t *after,
    size_t max, bool *done)
{
	size_t i = first_after(s, *after), k;

	if (*after == 0 && fprintf(f, "%s\n", STATE_MAGIC) < 0)
		return -1;
	for (k = 0; k < max && i < s->n; k++, i++) {
		if (put_device(f, s->devs[i], gen) != 0)
			return -1;
		*after = s->devs[i]->index;
	}
	*done = i >= s->n;
	return 0;
}

int
statefile_write(const char *path, const char *buf, size_t len)
{
	if (statefile_put(path, buf, len) != 0)
		return -1;
	statefile_sync_dir(path);
	return 0;
}

int
statefile_put(const char *path, const char *buf, size_t len)
{
	char tmp[PATH_MAX];
	FILE *f;
	int rc = 0, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((f = open_temp(tmp)) == NULL)
		return -1;
	if (fwrite(buf, 1, len, f) != len || fflush(f) != 0 || ferror(f) ||
	    fsync(fileno(f)) != 0) {
		rc = -1;
		err = errno != 0 ? errno : EIO;
	}
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		err = errno;
	}
	if (rc != 0) {
		unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * Any failure leaves the previous state file as it was and no temp file
 * behind; errno says why (the caller logs it).
 */
int
store_save(const struct store *s, const char *path)
{
	char tmp[PATH_MAX];
	FILE *f;
	int rc, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((f = open_temp(tmp)) == NULL)
		return -1;
	if ((rc = write_state(f, s)) != 0)
		err = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		err = errno;
	}
	if (rc != 0) {
		unlink(tmp);
		errno = err;
		return -1;
	}
	statefile_sync_dir(path);
	return 0;
}

static int
unescape(char *v)
{
	char *o = v, *p = v;

	while (*p != '\0') {
		if (*p == '%') {
			unsigned int c;
			if (sscanf(p + 1, "%2x", &c) != 1 || c == 0)
				return -1;
			*o++ = (char)c;
			p += 3;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	return 0;
}

/* A line's strings as read, in the fixed-size record the row then takes. */
struct loaded {
	struct cam_identity id;
	char maker[POLICY_ID_MAX];
};

/* "KIND.PROBE.TEXT", already unescaped; an unknown kind is skipped. */
static int
load_fact(struct cam_facts *fs, const char *v)
{
	int kind, probe, off = 0;

	if (sscanf(v, "%d.%d.%n", &kind, &probe, &off) != 2 || off == 0)
		return -1;
	if (kind <= FACT_NONE || kind >= FACT_KIND_COUNT || probe < 0 ||
	    probe >= PROBE_COUNT)
		return 0; /* a newer version's kind: ignore */
	cam_fact_add(fs, (enum cam_fact_kind)kind, (enum cam_probe)probe,
	    v + off, strlen(v + off));
	return 0;
}

static int
set_field(struct device *d, struct loaded *l, const char *k, char *v)
{
	struct {
		const char *name;
		char *dst;
		size_t sz;
	} strs[] = {
	    {"maker", l->maker, sizeof(l->maker)},
	    {"manufacturer", l->id.manufacturer, CAM_STR_MAX},
	    {"model", l->id.model, CAM_STR_MAX},
	    {"firmware", l->id.firmware, CAM_STR_MAX},
	    {"serial", l->id.serial, CAM_STR_MAX},
	    {"hardware_id", l->id.hardware_id, CAM_STR_MAX},
	    {"hostname", l->id.hostname, CAM_STR_MAX},
	    {"endpoint", l->id.endpoint, CAM_STR_MAX},
	    {"address", l->id.address, CAM_ADDR_MAX},
	};
	char *end;
	size_t i;

	if (unescape(v) != 0)
		return -1;
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (strcmp(k, strs[i].name) == 0) {
			str_clean(strs[i].dst, strs[i].sz, v);
			return 0;
		}
	if (strcmp(k, "scope") == 0) {
		if (l->id.n_scopes < CAM_SCOPES_MAX)
			str_clean(
			    l->id.scopes[l->id.n_scopes++], CAM_STR_MAX, v);
		return 0;
	}
	if (strcmp(k, "fact") == 0)
		return load_fact(&l->id.facts, v);
	if (strcmp(k, "probes") == 0) {
		unsigned tried, answered;
		if (sscanf(v, "%u.%u", &tried, &answered) != 2)
			return -1;
		l->id.facts.tried = tried & ((1u << PROBE_COUNT) - 1);
		l->id.facts.answered = answered & ((1u << PROBE_COUNT) - 1);
		return 0;
	}
	if (strcmp(k, "mac") == 0) {
		if (*v != '\0' && str_parse_mac(v, l->id.macs[0]) != 0)
			return -1;
		l->id.n_macs = *v != '\0';
		return 0;
	}
	if (strcmp(k, "pin") == 0 || strcmp(k, "tls") == 0) {
		bool pin = k[0] == 'p';
		if (str_parse_sha256(v, pin ? d->tls_pin : d->tls_seen) != 0)
			return -1;
		*(pin ? &d->has_pin : &d->has_tls_seen) = true;
		return 0;
	}
	if (strcmp(k, "first") == 0)
		d->first_seen = (time_t)strtoll(v, &end, 10);
	else if (strcmp(k, "certalarm") == 0)
		d->cert_alarm = strtol(v, &end, 10) != 0;
	else if (strcmp(k, "last") == 0)
		d->last_seen = (time_t)strtoll(v, &end, 10);
	else if (strcmp(k, "announced") == 0)
		d->announced = strtol(v, &end, 10) != 0;
	else if (strcmp(k, "identified") == 0)
		d->identified = strtol(v, &end, 10) != 0;
	else if (strcmp(k, "byfacts") == 0)
		d->by_facts = strtol(v, &end, 10) != 0;
	else if (strcmp(k, "reachable") == 0)
		d->reachable = strtol(v, &end, 10) != 0;
	else if (strcmp(k, "auth") == 0)
		d->auth = (enum onvif_auth)strtol(v, &end, 10);
	else if (strcmp(k, "method") == 0)
		d->method = (enum disc_method)strtol(v, &end, 10);
	else if (strcmp(k, "announced_at") == 0)
		d->last_announced = (time_t)strtoll(v, &end, 10);
	else if (strcmp(k, "mdv") == 0)
		d->metadata_version = strtoul(v, &end, 10);
	else if (strcmp(k, "verdict") == 0)
		d->verdict.verdict = (enum policy_verdict)strtol(v, &end, 10);
	else
		return 0; /* a newer version's field: ignore */
	return *end == '\0' ? 0 : -1;
}

/* "dev index=N key=K field=value ..."; returns -1 on anything odd. */
static int
load_line(struct store *s, char *line)
{
	static struct loaded l; /* main thread only: 10 KB off the stack */
	char *tok, *save = NULL, *key = NULL, *eq;
	struct device tmp, *d;
	unsigned long idx = 0;

	memset(&tmp, 0, sizeof(tmp));
	memset(&l, 0, sizeof(l));
	tmp.reachable = true; /* files written before the field existed */
	if ((tok = strtok_r(line, " \n", &save)) == NULL || strcmp(tok, "dev"))
		return -1;
	while ((tok = strtok_r(NULL, " \n", &save)) != NULL) {
		if ((eq = strchr(tok, '=')) == NULL)
			return -1;
		*eq++ = '\0';
		if (strcmp(tok, "index") == 0)
			idx = strtoul(eq, NULL, 10);
		else if (strcmp(tok, "key") == 0) {
			if (unescape(eq) != 0)
				return -1;
			key = eq;
		} else if (set_field(&tmp, &l, tok, eq) != 0)
			return -1;
	}
	if (idx == 0 || idx > UINT32_MAX || key == NULL || *key == '\0' ||
	    store_find(s, (uint32_t)idx) != NULL)
		return -1;
	if ((d = store_insert(s, key, (uint32_t)idx)) == NULL)
		return -1;
	d->first_seen = tmp.first_seen;
	d->last_seen = tmp.last_seen;
	d->announced = tmp.announced;
	d->identified = tmp.identified;
	d->by_facts = tmp.by_facts;
	d->auth = tmp.auth;
	row_identity_set(&d->id, &l.id);
	d->verdict.verdict = tmp.verdict.verdict;
	row_set_shared(&d->verdict.maker, l.maker);
	d->reachable = tmp.reachable;
	d->method =
	    tmp.method >= 0 && tmp.method <= DISC_METHOD_MAX ? tmp.method : 0;
	d->last_announced = tmp.last_announced;
	d->metadata_version = tmp.metadata_version;
	d->has_pin = tmp.has_pin;
	memcpy(d->tls_pin, tmp.tls_pin, sizeof(d->tls_pin));
	d->has_tls_seen = tmp.has_tls_seen;
	memcpy(d->tls_seen, tmp.tls_seen, sizeof(d->tls_seen));
	d->cert_alarm = tmp.cert_alarm;
	return 0;
}

/*
 * A camera has one row: two lines with one key (a file damaged or edited
 * by hand) keep the lower index, the one it had first.  by_key is sorted;
 * returns how many rows went.
 */
static size_t
drop_duplicate_keys(struct store *s)
{
	struct device *a, *b, *gone;
	size_t i, n = 0;

	for (i = s->n_keyed; i > 1; i--) {
		a = s->by_key[i - 2];
		b = s->by_key[i - 1];
		if (strcmp(a->key, b->key) != 0)
			continue;
		gone = a->index > b->index ? a : b;
		s->by_key[i - 2] = gone == a ? b : a; /* compared next */
		store_remove_at(s, first_after(s, gone->index - 1));
		n++;
	}
	if (n > 0)
		store_reindex(s);
	return n;
}

/* Parse f: 0, or the first bad line's number (1: not a state file). */
static int
read_lines(struct store *s, FILE *f)
{
	static char line[65536];
	int lineno = 1;

	if (fgets(line, sizeof(line), f) == NULL ||
	    strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) != 0)
		return 1;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL || load_line(s, line) != 0)
			return lineno;
	}
	return 0;
}

bool
statefile_sniff(const char *buf, size_t len)
{
	size_t n = strlen(STATE_MAGIC);

	return len > n && memcmp(buf, STATE_MAGIC, n) == 0 &&
	    (buf[n] == '\n' || buf[n] == ' ');
}

int
store_read(struct store *s, FILE *f, const char *name, char *err, size_t errsz)
{
	int bad = read_lines(s, f);
	size_t dups;

	store_reindex(s);
	dups = drop_duplicate_keys(s);
	if (bad == 1)
		snprintf(err, errsz, "%s: not a camcomply state file", name);
	else if (bad)
		snprintf(err, errsz, "%s:%d: corrupt state file", name, bad);
	else if (dups > 0)
		snprintf(err, errsz,
		    "%s: %zu row(s) for a camera already loaded", name, dups);
	return bad || dups > 0 ? -1 : 0;
}

int
store_load(struct store *s, const char *path, char *err, size_t errsz)
{
	char aside[PATH_MAX];
	FILE *f;
	int bad;
	size_t dups;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	bad = read_lines(s, f);
	fclose(f);
	store_reindex(s);
	dups = drop_duplicate_keys(s);
	if (!bad && dups == 0)
		return 0;
	/* Keep the evidence for the operator; start from what did parse. */
	snprintf(aside, sizeof(aside), "%s.corrupt", path);
	rename(path, aside);
	if (bad)
		snprintf(err, errsz,
		    "%s:%d: corrupt state file, set aside as %s", path, bad,
		    aside);
	else
		snprintf(err, errsz,
		    "%s: %zu row(s) for a camera already loaded, set aside as %s",
		    path, dups, aside);
	return -1;
}
