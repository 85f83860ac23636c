/*
 * config_check.c: the checks of camcomplyd.conf as a whole, which no one
 * line's handler can make: every line's token known and given a value
 * (before Net-SNMP reads the file: it would only warn), and once it is
 * read, the names lines refer to (credentials, sites) defined and no
 * camera listed twice.  Each refusal is logged with the file (and line)
 * and counted in the config's errors.  Main thread only, as config.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "agent/config.h"
#include "common/strutil.h"

const struct cfg_site *
config_find_site(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_sites; i++)
		if (strcmp(c->sites[i].name, name) == 0)
			return &c->sites[i];
	return NULL;
}

static int
cmp_url(const void *a, const void *b)
{
	return strcmp(((const struct cfg_camera *)a)->url,
	    ((const struct cfg_camera *)b)->url);
}

/* A camera listed twice would be polled twice under two names. */
void
config_check_duplicates(struct config *cur, const char *path)
{
	struct cfg_camera *sorted;
	size_t i;

	if (cur->n_cameras < 2)
		return;
	if ((sorted = malloc(cur->n_cameras * sizeof(*sorted))) == NULL)
		return;
	memcpy(sorted, cur->cameras, cur->n_cameras * sizeof(*sorted));
	qsort(sorted, cur->n_cameras, sizeof(*sorted), cmp_url);
	for (i = 1; i < cur->n_cameras; i++)
		if (strcmp(sorted[i - 1].url, sorted[i].url) == 0) {
			snmp_log(LOG_ERR, "%s: camera %s is listed twice\n",
			    path, sorted[i].url);
			cur->errors++;
		}
	free(sorted);
}

/* References between lines are checked once the whole file is read. */
void
config_check_references(struct config *cur, const char *path)
{
	const struct cfg_site *s;
	size_t i;

	for (i = 0; i < cur->n_cameras; i++) {
		struct cfg_camera *c = &cur->cameras[i];
		if (c->credentials[0] &&
		    !config_credentials(cur, c->credentials)) {
			snmp_log(LOG_ERR,
			    "%s: camera %s: credentials '%s' are "
			    "not defined\n",
			    path, c->url, c->credentials);
			cur->errors++;
		}
		if (c->site[0] == '\0')
			continue;
		if ((s = config_find_site(cur, c->site)) == NULL) {
			snmp_log(LOG_ERR,
			    "%s: camera %s: site '%s' is not "
			    "defined\n",
			    path, c->url, c->site);
			cur->errors++;
		} else
			str_lcpy(c->zone, s->zone, sizeof(c->zone));
	}
	if (cur->disc.credentials[0] &&
	    !config_credentials(cur, cur->disc.credentials)) {
		snmp_log(LOG_ERR,
		    "%s: discover-credentials '%s' are not defined\n", path,
		    cur->disc.credentials);
		cur->errors++;
	}
}

/*
 * Net-SNMP only warns about an unknown token or a token without a value and
 * goes on; for us either is a refused line, so the file is checked first.
 */
int
config_check_tokens(FILE *f, const char *path, const char *const *tokens)
{
	char line[4096], tok[64];
	int lineno = 0, bad = 0;
	size_t i, n;

	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line + strspn(line, " \t");
		lineno++;
		if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
			continue;
		n = strcspn(p, " \t\r\n");
		snprintf(tok, sizeof(tok), "%.*s", (int)(n < 63 ? n : 63), p);
		for (i = 0; tokens[i] != NULL && strcmp(tokens[i], tok); i++)
			;
		if (tokens[i] == NULL)
			snmp_log(LOG_ERR, "%s: line %d: unknown token '%s'\n",
			    path, lineno, tok);
		else if (p[n + strspn(p + n, " \t\r\n")] == '\0')
			snmp_log(LOG_ERR, "%s: line %d: '%s' wants a value\n",
			    path, lineno, tok);
		else
			continue;
		bad++;
	}
	return bad;
}
