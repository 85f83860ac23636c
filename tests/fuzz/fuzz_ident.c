/*
 * fuzz_ident.c: the invariants of a struct cam_identity that the targets
 * of the collectors without credentials (fuzz_sadp, fuzz_dhip,
 * fuzz_unauth, fuzz_tls) check after every parse (fuzz.h).
 */
#include <arpa/inet.h>

#include <string.h>

#include "common/camera.h"

#include "fuzz.h"

void
fuzz_check_facts(const struct cam_facts *fs)
{
	const uint32_t known = (1u << PROBE_COUNT) - 1;
	size_t i, j;

	FUZZ_CHECK(fs->n <= CAM_FACTS_MAX);
	FUZZ_CHECK((fs->answered & ~known) == 0 && (fs->tried & ~known) == 0);
	for (i = 0; i < fs->n; i++) {
		const struct cam_fact *f = &fs->f[i];

		FUZZ_CHECK(f->kind > FACT_NONE && f->kind < FACT_KIND_COUNT);
		FUZZ_CHECK(f->probe < PROBE_COUNT);
		FUZZ_CHECK(cam_fact_name((enum cam_fact_kind)f->kind) != NULL);
		fuzz_check_str(f->text, sizeof(f->text), true);
		FUZZ_CHECK(f->text[0] != '\0');
		for (j = 0; j < i; j++)
			FUZZ_CHECK(fs->f[j].kind != f->kind ||
			    strcmp(fs->f[j].text, f->text) != 0);
	}
}

void
fuzz_check_identity(const struct cam_identity *id)
{
	static const uint8_t zero[6];
	unsigned char bin[16];
	size_t i, j;

	fuzz_check_str(id->manufacturer, sizeof(id->manufacturer), false);
	fuzz_check_str(id->model, sizeof(id->model), false);
	fuzz_check_str(id->firmware, sizeof(id->firmware), false);
	fuzz_check_str(id->serial, sizeof(id->serial), false);
	fuzz_check_str(id->hostname, sizeof(id->hostname), false);
	fuzz_check_str(id->address, sizeof(id->address), false);
	FUZZ_CHECK(id->address[0] == '\0' ||
	    inet_pton(AF_INET, id->address, bin) == 1 ||
	    inet_pton(AF_INET6, id->address, bin) == 1);
	FUZZ_CHECK(id->n_macs <= CAM_MACS_MAX);
	for (i = 0; i < id->n_macs; i++) {
		FUZZ_CHECK(memcmp(id->macs[i], zero, 6) != 0);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(memcmp(id->macs[i], id->macs[j], 6) != 0);
	}
	FUZZ_CHECK(id->n_scopes <= CAM_SCOPES_MAX);
	fuzz_check_facts(&id->facts);
}

/* Bytes after a string's NUL are not compared (cam_fact_add copies a
 * whole buffer, whatever follows the text). */
static bool
same_str(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

bool
fuzz_same_facts(const struct cam_facts *a, const struct cam_facts *b)
{
	size_t i;

	if (a->n != b->n || a->tried != b->tried || a->answered != b->answered)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->f[i].kind != b->f[i].kind ||
		    a->f[i].probe != b->f[i].probe ||
		    !same_str(a->f[i].text, b->f[i].text))
			return false;
	return true;
}

bool
fuzz_same_identity(const struct cam_identity *a, const struct cam_identity *b)
{
	size_t i;

	if (!same_str(a->manufacturer, b->manufacturer) ||
	    !same_str(a->model, b->model) ||
	    !same_str(a->firmware, b->firmware) ||
	    !same_str(a->serial, b->serial) ||
	    !same_str(a->hardware_id, b->hardware_id) ||
	    !same_str(a->hostname, b->hostname) ||
	    !same_str(a->endpoint, b->endpoint) ||
	    !same_str(a->address, b->address) || a->n_macs != b->n_macs ||
	    a->n_scopes != b->n_scopes)
		return false;
	if (a->n_macs <= CAM_MACS_MAX &&
	    memcmp(a->macs, b->macs, a->n_macs * 6) != 0)
		return false;
	for (i = 0; i < a->n_scopes && i < CAM_SCOPES_MAX; i++)
		if (!same_str(a->scopes[i], b->scopes[i]))
			return false;
	return fuzz_same_facts(&a->facts, &b->facts);
}

bool
fuzz_empty_identity(const struct cam_identity *id)
{
	static const struct cam_identity zero;

	return fuzz_same_identity(id, &zero);
}
