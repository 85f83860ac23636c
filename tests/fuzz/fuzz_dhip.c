/*
 * fuzz_dhip.c: libFuzzer target for Dahua DHIP messages (onvif/dhip.c).
 *
 * The input is an options byte, then either a whole UDP datagram (bit 0
 * clear: the 32-byte header is the fuzzer's to get right) or a JSON body
 * that the target frames with a true header and (bits 1-2) a little of
 * the padding cameras send (bit 0 set: json-c's side gets the fuzzer's
 * time).  Checked beyond the sanitizers: dhip_parse() and
 * dhip_parse_port() agree; a refusal adds nothing and gives port 0; the
 * port is 0..65535; a reply says "dhip"; a framed body whose two lengths
 * differ, or that is followed by anything but padding, is refused; what
 * is added keeps fuzz_check_identity()'s invariants.
 */
#include <stdlib.h>
#include <string.h>

#include "onvif/unauth.h"

#include "fuzz.h"

#define DHIP_HEADER 32
#define DHIP_MAX 16384 /* dhip.c's DHIP_MAX_BODY */

static struct cam_identity id1, id2;
static uint8_t frame[DHIP_HEADER + DHIP_MAX + 8];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int n;

	(void)argc, (void)argv;
	/* Our own search is a well-framed request, not a reply. */
	n = dhip_build_search(frame, sizeof(frame));
	FUZZ_CHECK(n > DHIP_HEADER);
	FUZZ_CHECK(dhip_parse(frame, (size_t)n, &id1) == -1);
	return 0;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Frame body as a camera would; the datagram's length. */
static size_t
make_frame(const uint8_t *body, size_t blen, unsigned pad)
{
	static const uint8_t padding[] = {'\0', '\n', '\r'};
	size_t i;

	memset(frame, 0, DHIP_HEADER);
	put_le32(frame, DHIP_HEADER);
	memcpy(frame + 4, "DHIP", 4);
	put_le32(frame + 16, (uint32_t)blen);
	put_le32(frame + 24, (uint32_t)blen);
	memcpy(frame + DHIP_HEADER, body, blen);
	for (i = 0; i < pad; i++)
		frame[DHIP_HEADER + blen + i] = padding[i % 3];
	return DHIP_HEADER + blen + pad;
}

/* One parse, both ways; the result. */
static int
parse(const uint8_t *buf, size_t len)
{
	int r1, r2, port = -1;

	memset(&id1, 0, sizeof(id1));
	memset(&id2, 0, sizeof(id2));
	r1 = dhip_parse(buf, len, &id1);
	r2 = dhip_parse_port(buf, len, &port, &id2);
	FUZZ_CHECK(r1 == r2 && (r1 == 0 || r1 == -1));
	FUZZ_CHECK(fuzz_same_identity(&id1, &id2));
	FUZZ_CHECK(port >= 0 && port <= 65535);
	fuzz_check_identity(&id1);
	if (r1 != 0) {
		FUZZ_CHECK(port == 0);
		FUZZ_CHECK(fuzz_empty_identity(&id1));
		return r1;
	}
	FUZZ_CHECK(id1.facts.answered == CAM_PROBE(PROBE_DHIP));
	FUZZ_CHECK(cam_fact_find(&id1.facts, FACT_PROTOCOL) != NULL);
	return r1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t opt;
	size_t len;

	if (size == 0)
		return 0;
	opt = data[0];
	data++, size--;
	if (!(opt & 1)) {
		(void)parse(data, size);
		return 0;
	}
	if (size == 0 || size > DHIP_MAX)
		return 0;
	len = make_frame(data, size, (opt >> 1) & 3);
	(void)parse(frame, len);
	/* The same with anything but padding after the body: refused. */
	frame[len] = 'x';
	FUZZ_CHECK(dhip_parse(frame, len + 1, &id1) == -1);
	/* Or with the two body lengths apart. */
	put_le32(frame + 24, (uint32_t)size + 1);
	FUZZ_CHECK(dhip_parse(frame, len, &id1) == -1);
	return 0;
}
