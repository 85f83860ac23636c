/*
 * policy_load.c: read the policy XML, validate it against policy.xsd,
 * compile its regular expressions and fill a struct policy.
 *
 * Main thread only (libxml2's error state and the schema search read the
 * environment).  The document is read with network access off, no entity
 * substitution and no DTD loading; a document carrying a DOCTYPE is
 * refused outright, so no entity trick can reach the engine.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "policy/policy_int.h"
#include "common/strutil.h"

#ifndef CAMCOMPLY_DATADIR
#define CAMCOMPLY_DATADIR "/usr/local/share/camcomply"
#endif

#define POLICY_NS "urn:camcomply:policy:1"

/* Where the current load reports its errors. */
struct ld {
	struct policy *pol;
	const char *path;
	char *err;
	size_t errsz;
	int failed;
};

static void
ld_error(struct ld *ld, const xmlNode *node, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (ld->failed)
		return; /* the first error is the useful one */
	ld->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ld->err, ld->errsz, "%s:%ld: %s", ld->path,
	    node != NULL ? xmlGetLineNo(node) : 0L, msg);
}

static int
is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* Attribute value copied into buf ("" when absent); returns buf. */
static char *
attr(const xmlNode *n, const char *name, char *buf, size_t bufsz)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);

	str_lcpy(buf, v != NULL ? (const char *)v : "", bufsz);
	xmlFree(v);
	return buf;
}

static char *
text(const xmlNode *n, char *buf, size_t bufsz)
{
	xmlChar *v = xmlNodeGetContent(n);

	str_clean(buf, bufsz, v != NULL ? (const char *)v : "");
	xmlFree(v);
	return buf;
}

/* libxml2 messages name elements as {namespace}local: drop the braces. */
static void
xml_msg(char *dst, size_t dstsz, const char *msg)
{
	const char *ns = "{" POLICY_NS "}";
	size_t o = 0, nslen = strlen(ns);

	while (*msg != '\0' && o + 1 < dstsz) {
		if (strncmp(msg, ns, nslen) == 0) {
			msg += nslen;
			continue;
		}
		dst[o++] = (*msg == '\n') ? ' ' : *msg;
		msg++;
	}
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

static void
schema_error(void *arg, xmlErrorPtr e)
{
	struct ld *ld = arg;
	char msg[400];

	if (ld->failed || e == NULL)
		return;
	ld->failed = 1;
	xml_msg(msg, sizeof(msg), e->message != NULL ? e->message : "error");
	snprintf(ld->err, ld->errsz, "%s:%d: %s",
	    e->file != NULL ? e->file : ld->path, e->line, msg);
}

static void
xml_quiet(void *arg, xmlErrorPtr e)
{
	(void)arg;
	(void)e;
}

/* $CAMCOMPLY_POLICY_SCHEMA, then beside the policy, then the data dir. */
static void
schema_path(const char *policy, char *buf, size_t bufsz)
{
	const char *env = getenv("CAMCOMPLY_POLICY_SCHEMA");
	const char *slash = strrchr(policy, '/');

	if (env != NULL && *env != '\0') {
		str_lcpy(buf, env, bufsz);
		return;
	}
	if (slash != NULL)
		snprintf(buf, bufsz, "%.*s/policy.xsd", (int)(slash - policy),
		    policy);
	else
		str_lcpy(buf, "policy.xsd", bufsz);
	if (access(buf, R_OK) == 0)
		return;
	snprintf(buf, bufsz, "%s/policy.xsd", CAMCOMPLY_DATADIR);
}

static int
validate(struct ld *ld, xmlDocPtr doc)
{
	char xsd[600];
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vc;
	int rc = -1;

	schema_path(ld->path, xsd, sizeof(xsd));
	if ((pc = xmlSchemaNewParserCtxt(xsd)) == NULL) {
		snprintf(ld->err, ld->errsz, "%s: cannot read schema", xsd);
		return -1;
	}
	xmlSchemaSetParserStructuredErrors(pc, xml_quiet, NULL);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (schema == NULL) {
		snprintf(ld->err, ld->errsz, "%s: cannot load schema", xsd);
		return -1;
	}
	if ((vc = xmlSchemaNewValidCtxt(schema)) != NULL) {
		xmlSchemaSetValidStructuredErrors(vc, schema_error, ld);
		rc = xmlSchemaValidateDoc(vc, doc);
		if (rc != 0 && !ld->failed)
			ld_error(ld, xmlDocGetRootElement(doc),
			    "does not match the schema %s", xsd);
		xmlSchemaFreeValidCtxt(vc);
	}
	xmlSchemaFree(schema);
	return rc == 0 ? 0 : -1;
}

/* libxml2 keeps no line for the DTD: find it in the (small) file. */
static long
doctype_line(const char *path)
{
	char buf[1024];
	long line = 0;
	FILE *f = fopen(path, "r");

	while (f != NULL && fgets(buf, sizeof(buf), f) != NULL) {
		if (strchr(buf, '\n') != NULL || feof(f))
			line++;
		if (strstr(buf, "<!DOCTYPE") != NULL)
			break;
	}
	if (f != NULL)
		fclose(f);
	return line > 0 ? line : 1;
}

static xmlDocPtr
parse(struct ld *ld)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlErrorPtr e;
	char msg[400];

	/* libxml2 would print its own I/O warning: say it ourselves. */
	if (access(ld->path, R_OK) != 0) {
		snprintf(
		    ld->err, ld->errsz, "%s: %s", ld->path, strerror(errno));
		return NULL;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		snprintf(ld->err, ld->errsz, "%s: out of memory", ld->path);
		return NULL;
	}
	doc = xmlCtxtReadFile(ctxt, ld->path, NULL,
	    XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
		XML_PARSE_NOWARNING);
	if (doc == NULL) {
		e = xmlCtxtGetLastError(ctxt);
		xml_msg(msg, sizeof(msg),
		    e != NULL && e->message != NULL ? e->message
						    : "cannot read file");
		snprintf(ld->err, ld->errsz, "%s:%d: %s", ld->path,
		    e != NULL ? e->line : 0, msg);
	} else if (doc->intSubset != NULL || doc->extSubset != NULL) {
		snprintf(ld->err, ld->errsz,
		    "%s:%ld: DOCTYPE and entities are not allowed in a policy",
		    ld->path, doctype_line(ld->path));
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* Index of a list id, or -1. */
static int
find_list(const struct policy *pol, const char *id)
{
	size_t i;

	for (i = 0; i < pol->n_lists; i++)
		if (strcmp(pol->lists[i].id, id) == 0)
			return (int)i;
	return -1;
}

/*
 * Check each word of a reference attribute (list ids or source ids).
 * lists != NULL: resolve list ids into a mask.
 */
static int
check_refs(struct ld *ld, const xmlNode *n, const char *name, uint32_t *mask,
    const xmlNode *sources)
{
	char buf[512], *w, *save = NULL;
	const xmlNode *s;
	char id[128];

	attr(n, name, buf, sizeof(buf));
	for (w = strtok_r(buf, " \t\n", &save); w != NULL;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (mask != NULL) {
			int li = find_list(ld->pol, w);

			if (li < 0) {
				ld_error(ld, n, "unknown list '%s'", w);
				return -1;
			}
			*mask |= 1u << li;
			continue;
		}
		for (s = sources; s != NULL; s = s->next)
			if (is_elem(s, "source") &&
			    strcmp(attr(s, "id", id, sizeof(id)), w) == 0)
				break;
		if (s == NULL) {
			ld_error(ld, n, "unknown source '%s'", w);
			return -1;
		}
	}
	return 0;
}

/* Every element carrying a source= must cite sources that exist. */
static int
check_sources(struct ld *ld, const xmlNode *n, const xmlNode *sources)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlHasProp(n, (const xmlChar *)"source") &&
		    check_refs(ld, n, "source", NULL, sources))
			return -1;
		if (check_sources(ld, n->children, sources))
			return -1;
	}
	return 0;
}

static int
load_lists(struct ld *ld, const xmlNode *n)
{
	struct pol_list *l;
	char buf[16], codes[256], msg[128];

	for (n = n->children; n != NULL; n = n->next) {
		if (!is_elem(n, "list"))
			continue;
		if (ld->pol->n_lists == POL_LISTS_MAX) {
			ld_error(ld, n, "more than %d lists", POL_LISTS_MAX);
			return -1;
		}
		l = &ld->pol->lists[ld->pol->n_lists++];
		attr(n, "id", l->id, sizeof(l->id));
		attr(n, "name", l->name, sizeof(l->name));
		l->dflt =
		    strcmp(attr(n, "default", buf, sizeof(buf)), "true") == 0;
		if (l->dflt)
			ld->pol->active |= 1u << (ld->pol->n_lists - 1);
		attr(n, "jurisdictions", codes, sizeof(codes));
		if (pol_parse_juris(&l->juris, codes, msg, sizeof(msg))) {
			ld_error(ld, n, "%s", msg);
			return -1;
		}
	}
	return 0;
}

static int
add_label(struct ld *ld, const xmlNode *n, int maker, const char *txt,
    enum pol_label_kind kind)
{
	struct pol_label *l;

	l = pol_push(&ld->pol->labels, &ld->pol->n_labels, &ld->pol->cap_labels,
	    sizeof(*l));
	if (l == NULL) {
		ld_error(ld, n, "out of memory");
		return -1;
	}
	str_lcpy(l->text, txt, sizeof(l->text));
	pol_squash(l->squash, sizeof(l->squash), txt);
	l->maker = maker;
	l->kind = kind;
	if (l->squash[0] == '\0') {
		ld_error(ld, n, "name '%s' has no letters or digits", txt);
		return -1;
	}
	return 0;
}

static int
add_regex(struct ld *ld, const xmlNode *n, int maker, int ev)
{
	char pat[512], msg[400];
	pcre2_code *re;
	struct pol_regex *r;

	attr(n, "pattern", pat, sizeof(pat));
	if ((re = pol_compile(pat, msg, sizeof(msg))) == NULL) {
		ld_error(ld, n, "%s", msg);
		return -1;
	}
	r = pol_push(&ld->pol->regexes, &ld->pol->n_regexes,
	    &ld->pol->cap_regexes, sizeof(*r));
	if (r == NULL) {
		pcre2_code_free(re);
		ld_error(ld, n, "out of memory");
		return -1;
	}
	r->re = re;
	r->maker = maker;
	r->ev = ev;
	return 0;
}

static int
add_orgpat(struct ld *ld, const xmlNode *n, int maker, const char *pat)
{
	struct pol_orgpat *o;

	o = pol_push(&ld->pol->orgpats, &ld->pol->n_orgpats,
	    &ld->pol->cap_orgpats, sizeof(*o));
	if (o == NULL) {
		ld_error(ld, n, "out of memory");
		return -1;
	}
	oui_org_normalise(o->norm, sizeof(o->norm), pat);
	o->maker = maker;
	if (strcmp(o->norm, " ") == 0) {
		ld_error(ld, n, "empty organisation pattern");
		return -1;
	}
	return 0;
}

static int
add_prefix(struct ld *ld, const xmlNode *n, int maker)
{
	char buf[32];
	uint64_t v = 0;
	size_t i, len;
	struct pol_prefix *p;

	attr(n, "prefix", buf, sizeof(buf));
	len = strlen(buf);
	for (i = 0; i < len && isxdigit((unsigned char)buf[i]); i++) {
		int c = tolower((unsigned char)buf[i]);

		v = (v << 4) | (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
	}
	if (i != len || (len != 6 && len != 7 && len != 9)) {
		ld_error(
		    ld, n, "bad OUI prefix '%s' (6, 7 or 9 hex digits)", buf);
		return -1;
	}
	p = pol_push(&ld->pol->prefixes, &ld->pol->n_prefixes,
	    &ld->pol->cap_prefixes, sizeof(*p));
	if (p == NULL) {
		ld_error(ld, n, "out of memory");
		return -1;
	}
	p->prefix = v;
	p->bits = (int)len * 4;
	p->maker = maker;
	return 0;
}

static int
add_hwid(struct ld *ld, const xmlNode *n, int maker)
{
	struct pol_hwid *h;
	char buf[16];

	h = pol_push(&ld->pol->hwids, &ld->pol->n_hwids, &ld->pol->cap_hwids,
	    sizeof(*h));
	if (h == NULL) {
		ld_error(ld, n, "out of memory");
		return -1;
	}
	attr(n, "value", h->value, sizeof(h->value));
	h->maker = maker;
	h->weak = strcmp(attr(n, "weak", buf, sizeof(buf)), "true") == 0;
	return 0;
}

/* A <fact> matcher; its checks and effects are policy_facts.c's. */
static int
load_fact(struct ld *ld, const xmlNode *n, int mi)
{
	char kind[32], pat[512], txt[CAM_FACT_MAX], ev[32], w[16],
	    brand[POL_TEXT_MAX], msg[400];
	struct pol_fact_spec s = {attr(n, "kind", kind, sizeof(kind)),
	    attr(n, "pattern", pat, sizeof(pat)),
	    attr(n, "text", txt, sizeof(txt)),
	    attr(n, "evidence", ev, sizeof(ev)),
	    attr(n, "weight", w, sizeof(w)),
	    attr(n, "brand", brand, sizeof(brand))};

	if (pol_add_fact(ld->pol, mi, &s, msg, sizeof(msg)) != 0) {
		ld_error(ld, n, "%s", msg);
		return -1;
	}
	return 0;
}

static const char *const brand_kinds[] = {"own", "sub-brand", "oem"};

static int
load_maker_child(struct ld *ld, const xmlNode *n, int mi)
{
	char buf[POL_TEXT_MAX];
	size_t k;

	if (is_elem(n, "legal-name") || is_elem(n, "alias"))
		return add_label(
		    ld, n, mi, text(n, buf, sizeof(buf)), LABEL_OWN);
	if (is_elem(n, "brand")) {
		attr(n, "kind", buf, sizeof(buf));
		for (k = 0; k < 3 && strcmp(buf, brand_kinds[k]) != 0; k++)
			;
		return add_label(ld, n, mi, attr(n, "name", buf, sizeof(buf)),
		    (enum pol_label_kind)(k < 3 ? k : 0));
	}
	if (is_elem(n, "model"))
		return add_regex(ld, n, mi, EV_MODEL);
	if (is_elem(n, "firmware"))
		return add_regex(ld, n, mi, EV_FIRMWARE);
	if (is_elem(n, "serial"))
		return add_regex(ld, n, mi, EV_SERIAL);
	if (is_elem(n, "scope"))
		return add_regex(ld, n, mi, EV_SCOPE_LAYOUT);
	if (is_elem(n, "hardware-id"))
		return add_hwid(ld, n, mi);
	if (is_elem(n, "oui-org"))
		return add_orgpat(
		    ld, n, mi, attr(n, "pattern", buf, sizeof(buf)));
	if (is_elem(n, "oui"))
		return add_prefix(ld, n, mi);
	if (is_elem(n, "fact"))
		return load_fact(ld, n, mi);
	if (is_elem(n, "based") &&
	    pol_load_based(ld->pol, mi, n, buf, sizeof(buf))) {
		ld_error(ld, n, "%s", buf);
		return -1;
	}
	return 0;
}

static int
load_maker(struct ld *ld, const xmlNode *n)
{
	struct policy *pol = ld->pol;
	struct pol_maker *m;
	char buf[16];
	int mi;

	if (pol->n_makers == POL_MAKERS_MAX) {
		ld_error(ld, n, "more than %d makers", POL_MAKERS_MAX);
		return -1;
	}
	mi = (int)pol->n_makers++;
	m = &pol->makers[mi];
	attr(n, "id", m->id, sizeof(m->id));
	attr(n, "name", m->name, sizeof(m->name));
	m->weak_oui = strcmp(attr(n, "oui", buf, sizeof(buf)), "weak") == 0;
	if (check_refs(ld, n, "lists", &m->lists, NULL))
		return -1;
	/* The display name is also how the maker calls itself. */
	if (add_label(ld, n, mi, m->name, LABEL_OWN))
		return -1;
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && load_maker_child(ld, n, mi))
			return -1;
	return 0;
}

static int
load_section(struct ld *ld, const xmlNode *sec)
{
	const xmlNode *n;
	char a[POL_TEXT_MAX], b[POL_TEXT_MAX], c[32], d[POLICY_NAME_MAX];

	for (n = sec->children; n != NULL; n = n->next) {
		if (is_elem(n, "maker") && load_maker(ld, n))
			return -1;
		if ((is_elem(n, "module-maker") ||
			is_elem(n, "component-maker") ||
			is_elem(n, "zone-rule")) &&
		    (is_elem(n, "zone-rule")
			    ? pol_load_zrule(ld->pol, n, a, sizeof(a))
			    : pol_load_component(ld->pol, n, a, sizeof(a)))) {
			ld_error(ld, n, "%s", a);
			return -1;
		}
		if (is_elem(n, "site") &&
		    policy_add_site(ld->pol, attr(n, "name", a, sizeof(a)),
			attr(n, "cidr", b, sizeof(b)),
			attr(n, "zone", c, sizeof(c)), d, sizeof(d))) {
			ld_error(ld, n, "%s", d);
			return -1;
		}
		if (is_elem(n, "waiver") &&
		    pol_add_waiver(ld->pol, attr(n, "serial", a, sizeof(a)),
			attr(n, "mac", b, sizeof(b)),
			attr(n, "expires", c, sizeof(c)),
			attr(n, "reference", d, sizeof(d)), a, sizeof(a))) {
			ld_error(ld, n, "%s", a);
			return -1;
		}
	}
	return 0;
}

static int
load_tree(struct ld *ld, xmlDocPtr doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *n, *sources = NULL;

	attr(root, "version", ld->pol->version, sizeof(ld->pol->version));
	attr(root, "date", ld->pol->date, sizeof(ld->pol->date));
	for (n = root->children; n != NULL; n = n->next) {
		if (is_elem(n, "sources")) {
			sources = n->children;
			for (n = n->children; n != NULL; n = n->next)
				ld->pol->n_sources += is_elem(n, "source");
			break;
		}
	}
	if (check_sources(ld, root->children, sources))
		return -1;
	for (n = root->children; n != NULL; n = n->next)
		if (is_elem(n, "lists") && load_lists(ld, n))
			return -1;
	for (n = root->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !is_elem(n, "lists") &&
		    load_section(ld, n))
			return -1;
	pol_finish_lists(ld->pol);
	return 0;
}

static int
cmp_prefix(const void *a, const void *b)
{
	const struct pol_prefix *x = a, *y = b;

	if (x->bits != y->bits)
		return y->bits - x->bits;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

struct policy *
policy_load(const char *path, const char *oui_dir, char *err, size_t errsz)
{
	struct ld ld = {NULL, path, err, errsz, 0};
	xmlDocPtr doc;
	int rc = -1;

	err[0] = '\0';
	if ((ld.pol = calloc(1, sizeof(*ld.pol))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	str_lcpy(ld.pol->path, path, sizeof(ld.pol->path));
	if ((doc = parse(&ld)) != NULL) {
		if (validate(&ld, doc) == 0 && load_tree(&ld, doc) == 0)
			rc = 0;
		xmlFreeDoc(doc);
	}
	if (rc == 0) {
		qsort(ld.pol->prefixes, ld.pol->n_prefixes,
		    sizeof(struct pol_prefix), cmp_prefix);
		rc = pol_finish_facts(ld.pol, err, errsz);
	}
	if (rc == 0)
		rc = pol_attach_oui(ld.pol, oui_dir, err, errsz);
	if (rc != 0) {
		policy_free(ld.pol);
		return NULL;
	}
	return ld.pol;
}
