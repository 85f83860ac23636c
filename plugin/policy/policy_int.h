/*
 * policy_int.h: the inside of struct policy, shared by policy_load.c
 * (builds it), policy.c (sites, waivers, lists, accessors) and
 * policy_eval.c (reads it).  Not for other modules.  Built on the main
 * thread, read-only afterwards.
 */
#ifndef CAMCOMPLY_POLICY_INT_H
#define CAMCOMPLY_POLICY_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "policy/oui.h"
#include "policy/policy.h"

/* Candidates live in a stack array during evaluation, hence a bound. */
#define POL_MAKERS_MAX 128
#define POL_LISTS_MAX 32 /* list membership is a uint32_t mask */
#define POL_TEXT_MAX 128

/* oui_class[] values besides a maker index. */
#define POL_OUI_NONE (-1)
#define POL_OUI_MODULE (-2)

enum pol_label_kind {
	LABEL_OWN, /* the maker's name, legal name or own spelling */
	LABEL_SUB, /* a sub-brand the maker owns */
	LABEL_OEM /* a brand reported to resell the maker's products */
};

struct pol_list {
	char id[POLICY_ID_MAX];
	char name[POL_TEXT_MAX];
	int dflt;
};

struct pol_maker {
	char id[POLICY_ID_MAX];
	char name[POLICY_NAME_MAX];
	uint32_t lists; /* bit i: lists[i] covers this maker */
	int weak_oui; /* blocks mostly phones and routers */
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
	size_t n_module_makers;
	struct oui_registry *oui;
	int16_t *oui_class; /* per registry entry */
};

/* policy.c */
void *pol_push(void *arrp, size_t *n, size_t *cap, size_t elsz);
int pol_parse_cidr(const char *cidr, uint8_t addr[16], int *plen);
int pol_parse_addr(const char *s, uint8_t addr[16]);
int pol_attach_oui(struct policy *, const char *dir, char *err, size_t errsz);
char *pol_squash(char *dst, size_t dstsz, const char *src);
int pol_add_waiver(struct policy *, const char *serial, const char *mac,
    const char *expires, const char *ref, char *err, size_t errsz);

#endif
