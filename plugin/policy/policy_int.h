/*
 * policy_int.h: the inside of struct policy, shared by policy_load.c
 * (builds it), policy.c (sites, waivers, lists, accessors),
 * policy_facts.c (the fact matchers, built and evaluated),
 * policy_juris.c (jurisdictions, zone rules, component makers) and
 * policy_eval.c (reads it), and the evaluation's working state.  Not for
 * other modules.  Built on the main thread, read-only afterwards.
 */
#ifndef CAMCOMPLY_POLICY_INT_H
#define CAMCOMPLY_POLICY_INT_H

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "policy/oui.h"
#include "policy/policy.h"

/* Candidates live in a stack array during evaluation, hence a bound. */
#define POL_MAKERS_MAX 128
#define POL_LISTS_MAX 32 /* list membership is a uint32_t mask */
#define POL_TEXT_MAX 128
#define POL_MACS_MAX (CAM_MACS_MAX + 4) /* the identity's and its scopes' */
/* Evidence bits that fact matchers carry, each with a weight. */
#define POL_EV_FACT_FIRST EV_MAKER_PROTOCOL
#define POL_EV_FACTS (EV_COUNT - POL_EV_FACT_FIRST)
#define POL_EV_FACT_MASK (~0u << POL_EV_FACT_FIRST)
#define POL_WEIGHT_MAX 100

/*
 * oui_class[] values besides a maker index: none, or the component maker
 * (a Wi-Fi module or chip vendor) ci as POL_OUI_MODULE - ci.
 */
#define POL_OUI_NONE (-1)
#define POL_OUI_MODULE (-2)
#define POL_COMPONENTS_MAX 256
#define POL_ZRULES_MAX 16
#define POL_JURIS_MAX 16 /* countries one list or zone rule names */

enum pol_label_kind {
	LABEL_OWN, /* the maker's name, legal name or own spelling */
	LABEL_SUB, /* a sub-brand the maker owns */
	LABEL_OEM /* a brand reported to resell the maker's products */
};

/* ISO 3166-1 alpha-2 codes, e.g. "CN HK MO" as {"CN", "HK", "MO"}. */
struct pol_juris {
	char cc[POL_JURIS_MAX][3];
	size_t n;
};

struct pol_list {
	char id[POLICY_ID_MAX];
	char name[POL_TEXT_MAX];
	int dflt;
	struct pol_juris juris; /* makers based there are on the list */
};

struct pol_maker {
	char id[POLICY_ID_MAX];
	char name[POLICY_NAME_MAX];
	uint32_t lists; /* bit i: lists[i] covers this maker */
	uint32_t explicit_lists; /* ... by its own lists= */
	int weak_oui; /* blocks mostly phones and routers */
	char country[3]; /* <based country=>, "" when the policy lacks it */
	char parent[POLICY_NAME_MAX]; /* <based parent=>, "" when none */
};

/*
 * A <zone-rule>: on zone, a camera attributed to a maker based in one of
 * juris gets at least action, while list (if any) is active.
 */
struct pol_zrule {
	char id[POLICY_ID_MAX];
	enum policy_zone zone;
	enum policy_action action;
	struct pol_juris juris;
	int list; /* index into lists, -1: always in force */
	char source[POL_TEXT_MAX];
};

/* A <component-maker> or <module-maker>: never a camera's maker. */
struct pol_component {
	char name[POLICY_NAME_MAX];
	char kind[16]; /* "wifi-module", "chip", "module" */
};

/* A name compared with what the device calls itself. */
struct pol_label {
	char squash[POL_TEXT_MAX]; /* lower-case letters/digits */
	char text[POL_TEXT_MAX];
	int maker;
	enum pol_label_kind kind;
};

/* A compiled regular expression and the signal it stands for. */
struct pol_regex {
	pcre2_code *re;
	int maker;
	int ev; /* EV_MODEL, EV_FIRMWARE, EV_SERIAL, EV_SCOPE_LAYOUT */
};

/*
 * A <fact> matcher: a fact of one kind whose text matches (re, or text
 * compared without regard to case) adds evidence ev with weight to maker,
 * and, with a brand, counts as the camera naming itself that label.
 */
struct pol_fact {
	pcre2_code *re; /* NULL: compare text */
	char text[CAM_FACT_MAX];
	int kind; /* enum cam_fact_kind */
	int ev; /* EV_* bit, -1: none (brand only) */
	int weight;
	int maker;
	int label; /* index of the brand's label + 1; 0: none */
};

struct pol_hwid {
	char value[64];
	int maker;
	int weak;
};

/* IEEE organisation-name pattern; maker is POL_OUI_MODULE for module makers. */
struct pol_orgpat {
	char norm[POL_TEXT_MAX];
	int maker;
};

/* A block the policy lists itself (newer than the shipped registry). */
struct pol_prefix {
	uint64_t prefix; /* leading bits of the MAC, right-aligned */
	int bits;
	int maker;
};

struct pol_site {
	char name[POLICY_NAME_MAX];
	uint8_t addr[16]; /* IPv4 as ::ffff:a.b.c.d */
	int plen;
	enum policy_zone zone;
};

struct pol_waiver {
	char serial[CAM_STR_MAX];
	uint8_t mac[6];
	int has_mac;
	time_t expires; /* first second no longer covered */
	char expires_s[16];
	char ref[POLICY_NAME_MAX];
};

struct policy {
	char path[512];
	char version[64];
	char date[16];
	struct pol_list lists[POL_LISTS_MAX];
	size_t n_lists;
	uint32_t active;
	struct pol_maker makers[POL_MAKERS_MAX];
	size_t n_makers;
	struct pol_label *labels;
	size_t n_labels, cap_labels;
	struct pol_regex *regexes;
	size_t n_regexes, cap_regexes;
	struct pol_fact *facts; /* sorted by kind */
	size_t n_facts, cap_facts;
	size_t fact_first[FACT_KIND_COUNT + 1]; /* per kind: [first, next) */
	const char **markers; /* distinct http-marker texts */
	size_t n_markers;
	struct pol_hwid *hwids;
	size_t n_hwids, cap_hwids;
	struct pol_orgpat *orgpats;
	size_t n_orgpats, cap_orgpats;
	struct pol_prefix *prefixes; /* sorted by bits desc, prefix */
	size_t n_prefixes, cap_prefixes;
	struct pol_site *sites; /* sorted by plen desc */
	size_t n_sites, cap_sites;
	struct pol_waiver *waivers;
	size_t n_waivers, cap_waivers;
	size_t n_sources;
	size_t n_module_makers; /* organisation patterns of components */
	struct pol_component components[POL_COMPONENTS_MAX];
	size_t n_components;
	struct pol_zrule zrules[POL_ZRULES_MAX];
	size_t n_zrules;
	size_t n_unbased; /* makers without <based> */
	struct oui_registry *oui;
	int16_t *oui_class; /* per registry entry */
};

/* One maker's signals during an evaluation. */
struct pol_cand {
	uint32_t ev;
	int label; /* own name or sub-brand seen */
	int oem; /* index of the OEM label seen, +1 */
	int brand; /* first sub-brand or OEM label seen, +1 */
	int hwid_strong;
	int proto; /* index of the fact that named the protocol, +1 */
	uint8_t fw[POL_EV_FACTS]; /* weight of each fact signal */
};

/* The working state of one policy_evaluate() call (its stack). */
struct pol_eval {
	const struct policy *pol;
	const struct cam_identity *id;
	struct policy_result *out;
	pcre2_match_data *md;
	struct pol_cand c[POL_MAKERS_MAX];
	uint8_t macs[POL_MACS_MAX][6];
	size_t n_macs;
	ssize_t module_org; /* registry index */
	int component; /* component index of module_org, -1: none */
};

/* A <fact> element's attributes, "" when absent. */
struct pol_fact_spec {
	const char *kind, *pattern, *text, *evidence, *weight, *brand;
};

/* policy.c */
void *pol_push(void *arrp, size_t *n, size_t *cap, size_t elsz);
int pol_parse_cidr(const char *cidr, uint8_t addr[16], int *plen);
int pol_parse_addr(const char *s, uint8_t addr[16]);
int pol_attach_oui(struct policy *, const char *dir, char *err, size_t errsz);
char *pol_squash(char *dst, size_t dstsz, const char *src);
int pol_add_waiver(struct policy *, const char *serial, const char *mac,
    const char *expires, const char *ref, char *err, size_t errsz);

/* policy_facts.c */
pcre2_code *pol_compile(const char *pattern, char *err, size_t errsz);
int pol_add_fact(struct policy *, int maker, const struct pol_fact_spec *,
    char *err, size_t errsz);
int pol_finish_facts(struct policy *, char *err, size_t errsz);
void pol_free_facts(struct policy *);
void pol_eval_facts(struct pol_eval *);

/* Does s match re?  Inline: it runs for every pattern of every field. */
static inline int
pol_re_match(struct pol_eval *e, const pcre2_code *re, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, e->md, NULL) >=
	    0;
}

/* policy_juris.c */
struct _xmlNode;
int pol_parse_juris(
    struct pol_juris *, const char *codes, char *err, size_t errsz);
int pol_juris_has(const struct pol_juris *, const char *cc);
int pol_load_based(struct policy *, int maker, const struct _xmlNode *,
    char *err, size_t errsz);
int pol_load_zrule(
    struct policy *, const struct _xmlNode *, char *err, size_t errsz);
int pol_load_component(
    struct policy *, const struct _xmlNode *, char *err, size_t errsz);
void pol_finish_lists(struct policy *);
void pol_eval_zrules(const struct pol_eval *, int maker);
void pol_apply_zone_rule(struct policy_result *);
const char *pol_component_what(const struct policy *, int component);
void pol_explain_component_name(const struct pol_eval *);

/* policy_eval.c, for policy_facts.c */
void pol_match_labels(struct pol_eval *, const char *text, uint32_t from);
void pol_match_regexes(
    struct pol_eval *, int ev, const char *s, uint32_t extra);
void pol_credit_label(struct pol_eval *, size_t label, uint32_t extra);

#endif
