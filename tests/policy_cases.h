/*
 * policy_cases.h: the tables of classification cases shared by the policy
 * unit tests (check_policy.c runs them; check_policy_cases.c lists what
 * cameras report over ONVIF, check_policy_facts.c what they volunteer
 * without credentials); policy_run.c, linked into check_policy and
 * check_policy_makers, runs a case.
 */
#ifndef POLICY_CASES_H
#define POLICY_CASES_H

#include <time.h>

#include <check.h>

#include "policy/policy.h"

#define EVB(x) POLICY_EV(EV_##x)
#define CASE_FACTS_MAX 12

struct pcase {
	const char *name;
	const char *lists; /* NULL: the policy's defaults */
	const char *date; /* NULL: CASE_NOW */
	const char *mfr, *model, *fw, *serial, *hwid;
	const char *macs; /* space-separated */
	const char *scopes; /* space-separated, percent-encoded */
	const char *endpoint;
	const char *address;
	/* "[PROBE:]KIND=TEXT", as classify --fact takes them. */
	const char *facts[CASE_FACTS_MAX];
	enum policy_zone zone; /* 0: from the sites */
	/* expectations */
	enum policy_verdict verdict;
	const char *who; /* maker, or suspect when unidentified */
	uint32_t ev; /* bits that must be set */
	uint32_t ev_not; /* bits that must not be set */
	enum policy_action action; /* 0: not checked */
	const char *reason; /* substring, or NULL */
	int conflict; /* 1 set, -1 clear, 0 unchecked */
	const char *site;
	const char *brand; /* NULL: not checked */
};

#define CASE_NOW "2026-03-01"

extern const struct pcase policy_cases[];
extern const size_t n_policy_cases;
extern const struct pcase policy_fact_cases[];
extern const size_t n_policy_fact_cases;

/* policy_run.c */
/* Noon UTC of a "YYYY-MM-DD" day. */
time_t pcase_day(const char *ymd);
/* The identity c describes (MACs, scopes and facts parsed; asserts). */
void pcase_fill(struct cam_identity *id, const struct pcase *c);
/* Asserts every expectation c states of r. */
void pcase_check(const struct pcase *c, const struct policy_result *r);
/*
 * Run su against the source tree's policy schema: EXIT_SUCCESS when every
 * test passed, else EXIT_FAILURE.
 */
int pcase_run(Suite *su);

#endif
