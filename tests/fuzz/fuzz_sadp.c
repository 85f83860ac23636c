/*
 * fuzz_sadp.c: libFuzzer target for Hikvision SADP messages (onvif/sadp.c).
 *
 * The input is one UDP datagram, as the SADP collector (unauth_net.c)
 * hands it to sadp_parse() and discovery (wsd/disc_unauth.c) to
 * sadp_parse_msg().  Checked beyond the sanitizers: both readers agree (a
 * ProbeMatch one takes, the other takes with the same facts; a message
 * the wider one calls a ProbeMatch, the narrower takes too); an inquiry
 * adds nothing; a Uuid given as expected is what was sent; an address
 * already known is kept; trailing NULs change nothing; what is added to
 * the identity keeps fuzz_check_identity()'s invariants.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "onvif/unauth.h"

#include "fuzz.h"

#define SADP_MAX 16384 /* sadp.c's SADP_MAX_REPLY */
#define OTHER_UUID "00000000-0000-4000-8000-000000000000"

static struct cam_identity id1, id2, id3;
static char copy[SADP_MAX + 2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char buf[512];
	struct sadp_msg m;
	int n;

	(void)argc, (void)argv;
	/* Our own inquiry: another client's, to the wider reader. */
	n = sadp_build_inquiry(OTHER_UUID, buf, sizeof(buf));
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(sadp_parse_msg(buf, (size_t)n, &m, &id2) == 0);
	FUZZ_CHECK(m.kind == SADP_INQUIRY);
	FUZZ_CHECK(sadp_parse(buf, (size_t)n, NULL, &id1) == -1);
	FUZZ_CHECK(fuzz_empty_identity(&id1) && fuzz_empty_identity(&id2));
	return 0;
}

static void
check_msg(const struct sadp_msg *m)
{
	FUZZ_CHECK(m->kind >= SADP_PROBE_MATCH && m->kind <= SADP_INQUIRY);
	fuzz_check_str(m->uuid, sizeof(m->uuid), false);
	FUZZ_CHECK(m->http_port >= 0 && m->http_port <= 65535);
}

/* Parsed again with an expected Uuid: taken exactly when it is the one. */
static void
check_expect(const char *buf, size_t len, const struct sadp_msg *m)
{
	struct cam_identity *id = &id3;

	if (m->uuid[0] != '\0') {
		memset(id, 0, sizeof(*id));
		FUZZ_CHECK(sadp_parse(buf, len, m->uuid, id) == 0);
		FUZZ_CHECK(fuzz_same_identity(id, &id1));
	}
	memset(id, 0, sizeof(*id));
	if (sadp_parse(buf, len, OTHER_UUID, id) == 0)
		FUZZ_CHECK(strcasecmp(m->uuid, OTHER_UUID) == 0);
}

/* An address known before the reply stays; the reply adds the rest. */
static void
check_known_address(const char *buf, size_t len)
{
	memset(&id3, 0, sizeof(id3));
	strcpy(id3.address, "2001:db8::1");
	FUZZ_CHECK(sadp_parse(buf, len, NULL, &id3) == 0);
	FUZZ_CHECK(strcmp(id3.address, "2001:db8::1") == 0);
	strcpy(id3.address, id1.address);
	FUZZ_CHECK(fuzz_same_identity(&id3, &id1));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct sadp_msg m, m2;
	int r1, r2;

	memset(&id1, 0, sizeof(id1));
	memset(&id2, 0, sizeof(id2));
	r1 = sadp_parse(buf, size, NULL, &id1);
	memset(&m, 0x5a, sizeof(m));
	r2 = sadp_parse_msg(buf, size, &m, &id2);
	FUZZ_CHECK(r1 == 0 || r1 == -1);
	FUZZ_CHECK(r2 == 0 || r2 == -1);
	fuzz_check_identity(&id1);
	fuzz_check_identity(&id2);
	if (r1 != 0)
		FUZZ_CHECK(fuzz_empty_identity(&id1));
	if (r2 != 0)
		FUZZ_CHECK(fuzz_empty_identity(&id2));
	else
		check_msg(&m);
	if (r1 == 0) {
		FUZZ_CHECK(r2 == 0 && m.kind != SADP_INQUIRY);
		FUZZ_CHECK(fuzz_same_identity(&id1, &id2));
		FUZZ_CHECK(id1.facts.answered == CAM_PROBE(PROBE_SADP));
		FUZZ_CHECK(cam_fact_find(&id1.facts, FACT_PROTOCOL) != NULL);
		check_expect(buf, size, &m);
		check_known_address(buf, size);
	}
	if (r2 == 0 && m.kind == SADP_PROBE_MATCH)
		FUZZ_CHECK(r1 == 0);
	if (r2 == 0 && m.kind == SADP_INQUIRY)
		FUZZ_CHECK(fuzz_empty_identity(&id2));
	/* A C responder's terminating NUL is tolerated. */
	if (size > 0 && size < SADP_MAX) {
		memcpy(copy, data, size);
		copy[size] = '\0';
		memset(&id3, 0, sizeof(id3));
		FUZZ_CHECK(sadp_parse_msg(copy, size + 1, &m2, &id3) == r2);
		FUZZ_CHECK(fuzz_same_identity(&id3, &id2));
		if (r2 == 0)
			FUZZ_CHECK(memcmp(&m2, &m, sizeof(m)) == 0);
	}
	return 0;
}
