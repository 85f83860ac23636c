/*
 * check_disc_unauth.c: SADP and DHIP in the discovery thread, without
 * sockets: datagrams put where the socket reader puts them, through the
 * checks of disc_unauth.c and discovery_recv.c (rate, size, codec, the
 * Uuid of our inquiry, the declared address, the ranges, the queue), and
 * the codec entry points discovery reads with (sadp_parse_msg,
 * dhip_parse_port).  White-box: a struct discovery made here, no thread.
 */
#include <sys/eventfd.h>

#include <arpa/inet.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "common/strutil.h"
#include "onvif/unauth.h"
#include "wsd/discovery_int.h"

#define OUR_UUID "5B0C1E2D-7A41-4C9E-8F00-2D6E4B1A9C33"
#define OTHER_UUID "0F0F0F0F-1111-4222-8333-444455556666"

static struct discovery *dc;
static struct cidr4 lab;

static void
setup(void)
{
	ck_assert_int_eq(cidr_parse("192.0.2.0/24", &lab), 0);
	dc = calloc(1, sizeof(*dc));
	ck_assert_ptr_nonnull(dc);
	pthread_mutex_init(&dc->lock, NULL);
	dc->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	dc->ctl_efd = dc->lfd = dc->pfd = -1;
	dc->sadp_lfd = dc->sadp_pfd = dc->dhip_fd = -1;
	dc->q = calloc(QUEUE_MAX, sizeof(*dc->q));
	ck_assert_ptr_nonnull(dc->q);
	dc->cfg.sadp.on = dc->cfg.dhip.on = true;
	dc->ranges = &lab;
	dc->n_ranges = 1;
	dc->trace = true;
	str_lcpy(dc->sadp_sent[3], OUR_UUID, sizeof(dc->sadp_sent[3]));
}

static void
teardown(void)
{
	close(dc->efd);
	free(dc->q);
	pthread_mutex_destroy(&dc->lock);
	free(dc);
}

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* A ProbeMatch (root "ProbeMatch") or Hello, laid out as cameras do. */
static size_t
sadp_msg(char *out, size_t outsz, const char *root, const char *uuid,
    const char *types, const char *ipv4, const char *extra)
{
	int n = snprintf(out, outsz,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
	    "<%s><Uuid>%s</Uuid>\r\n<Types>%s</Types>\r\n"
	    "<DeviceType>148805</DeviceType>\r\n"
	    "<DeviceDescription>DS-2CD2386G2-IU</DeviceDescription>\r\n"
	    "<DeviceSN>DS-2CD2386G2-IU20230517AAWRK51873096</DeviceSN>\r\n"
	    "<CommandPort>8000</CommandPort>\r\n"
	    "<MAC>44-19-b6-3a-5c-71</MAC>\r\n"
	    "%s%s%s"
	    "<SoftwareVersion>V5.7.3build 220112</SoftwareVersion>\r\n"
	    "<DetailOEMCode>1</DetailOEMCode>\r\n"
	    "<DeviceLock>flase</DeviceLock>\r\n%s</%s>",
	    root, uuid, types, ipv4 ? "<IPv4Address>" : "", ipv4 ? ipv4 : "",
	    ipv4 ? "</IPv4Address>\r\n" : "", extra, root);

	ck_assert(n > 0 && (size_t)n < outsz);
	return (size_t)n;
}

static void
feed_sadp(const char *buf, size_t len, const char *from)
{
	memcpy(dc->buf, buf, len);
	disc_sadp_datagram(dc, len, ip(from));
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* A DHIP frame around body, its lengths as given (a liar's, maybe). */
static size_t
dhip_frame(uint8_t *out, const char *body, uint32_t declared)
{
	size_t n = strlen(body);

	memset(out, 0, 32);
	put_le32(out, 32);
	memcpy(out + 4, "DHIP", 4);
	put_le32(out + 16, declared);
	put_le32(out + 24, declared);
	memcpy(out + 32, body, n);
	return 32 + n;
}

static size_t
dhip_reply(uint8_t *out, const char *ipaddr, const char *port)
{
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"mac\":\"3c:ef:8c:61:01:c0\",\"method\":\"client.notifyDevInfo\","
	    "\"params\":{\"deviceInfo\":{\"DeviceClass\":\"IPC\","
	    "\"DeviceType\":\"SS 3530 MF FACE W\",%s"
	    "\"IPv4Address\":{\"IPAddress\":\"%s\",\"SubnetMask\":"
	    "\"255.255.255.0\"},\"Manufacturer\":\"Intelbras\",\"Port\":37777,"
	    "\"SerialNo\":\"K3LJ3400209RH\",\"Vendor\":\"Intelbras\","
	    "\"Version\":\"2.000.00IB004.0.R\"}}}\n",
	    port, ipaddr);
	return dhip_frame(out, body, (uint32_t)strlen(body));
}

static void
feed_dhip(const uint8_t *buf, size_t len, const char *from)
{
	memcpy(dc->buf, buf, len);
	disc_dhip_datagram(dc, len, ip(from));
}

static struct disc_sighting *
queued(size_t i)
{
	ck_assert_uint_gt(dc->q_len, i);
	return &dc->q[(dc->q_head + i) % QUEUE_MAX];
}

static const char *
fact(const struct disc_sighting *s, enum cam_fact_kind k)
{
	size_t i;

	for (i = 0; i < s->n_facts; i++)
		if (s->facts[i].kind == k)
			return s->facts[i].text;
	return NULL;
}

/* The reason of the last drop kept for the trace. */
static const char *
last_why(void)
{
	ck_assert_uint_gt(dc->drop_len, 0);
	return dc->drops[(dc->drop_head + dc->drop_len - 1) % DROP_RING].why;
}

START_TEST(sadp_probe_match_to_our_inquiry)
{
	char m[4096];
	size_t n = sadp_msg(m, sizeof(m), "ProbeMatch", OUR_UUID, "inquiry",
	    "192.0.2.41", "<HttpPort>8080</HttpPort>\r\n");
	struct disc_sighting *s;
	uint8_t mac[6];

	feed_sadp(m, n, "192.0.2.41");
	ck_assert_uint_eq(dc->q_len, 1);
	s = queued(0);
	ck_assert_int_eq(s->kind, DISC_SEEN);
	ck_assert_int_eq(s->method, DISC_SADP);
	ck_assert(!s->hello);
	ck_assert_str_eq(s->address, "192.0.2.41");
	ck_assert_str_eq(s->url, "http://192.0.2.41:8080/onvif/device_service");
	ck_assert_str_eq(s->endpoint, "");
	ck_assert(s->has_mac);
	str_parse_mac("44:19:b6:3a:5c:71", mac);
	ck_assert_mem_eq(s->mac, mac, 6);
	ck_assert_str_eq(fact(s, FACT_PROTOCOL), "sadp");
	ck_assert_str_eq(fact(s, FACT_MODEL), "DS-2CD2386G2-IU");
	ck_assert_str_eq(
	    fact(s, FACT_SERIAL), "DS-2CD2386G2-IU20230517AAWRK51873096");
	ck_assert_str_eq(fact(s, FACT_FIRMWARE), "V5.7.3build 220112");
	ck_assert_str_eq(fact(s, FACT_OEM_CODE), "1");
	ck_assert_uint_eq(s->facts[0].probe, PROBE_SADP);
	ck_assert_uint_eq(dc->st.sadp_seen, 1);
	ck_assert_uint_eq(dc->st.spoofed + dc->st.malformed, 0);
}
END_TEST

START_TEST(sadp_hello_is_an_announcement)
{
	char m[4096];
	size_t n;

	/* Root <Hello>, a Uuid of the camera's own, no HttpPort: port 80. */
	n = sadp_msg(
	    m, sizeof(m), "Hello", OTHER_UUID, "hello", "192.0.2.42", "");
	feed_sadp(m, n, "192.0.2.42");
	ck_assert_uint_eq(dc->q_len, 1);
	ck_assert(queued(0)->hello);
	ck_assert_int_eq(queued(0)->method, DISC_SADP);
	ck_assert_str_eq(
	    queued(0)->url, "http://192.0.2.42:80/onvif/device_service");
	/* A ProbeMatch root that says Types hello is one too. */
	n = sadp_msg(
	    m, sizeof(m), "ProbeMatch", OTHER_UUID, "hello", "192.0.2.43", "");
	feed_sadp(m, n, "192.0.2.43");
	ck_assert_uint_eq(dc->q_len, 2);
	ck_assert(queued(1)->hello);
	ck_assert_uint_eq(dc->st.sadp_seen, 2);
}
END_TEST

START_TEST(sadp_unsolicited_and_spoofed_are_dropped)
{
	char m[4096];
	size_t n;

	/* A ProbeMatch answering another client's inquiry (or none). */
	n = sadp_msg(m, sizeof(m), "ProbeMatch", OTHER_UUID, "inquiry",
	    "192.0.2.41", "");
	feed_sadp(m, n, "192.0.2.41");
	ck_assert_uint_eq(dc->st.spoofed, 1);
	ck_assert_str_eq(
	    last_why(), "an SADP ProbeMatch to an inquiry we did not send");
	/* Our Uuid, lower-case: still ours (the echo may change case)... */
	n = sadp_msg(m, sizeof(m), "ProbeMatch",
	    "5b0c1e2d-7a41-4c9e-8f00-2d6e4b1a9c33", "inquiry", "192.0.2.41",
	    "");
	feed_sadp(m, n, "192.0.2.41");
	ck_assert_uint_eq(dc->q_len, 1);
	/* ... but from another host than the one it names: spoofed. */
	n = sadp_msg(
	    m, sizeof(m), "ProbeMatch", OUR_UUID, "inquiry", "192.0.2.50", "");
	feed_sadp(m, n, "192.0.2.66");
	ck_assert_uint_eq(dc->st.spoofed, 2);
	ck_assert_str_eq(last_why(),
	    "an SADP reply declaring another address than its sender's");
	/* A Hello too, and one that names no address at all. */
	n = sadp_msg(
	    m, sizeof(m), "Hello", OTHER_UUID, "hello", "192.0.2.50", "");
	feed_sadp(m, n, "192.0.2.66");
	n = sadp_msg(m, sizeof(m), "Hello", OTHER_UUID, "hello", NULL, "");
	feed_sadp(m, n, "192.0.2.66");
	ck_assert_uint_eq(dc->st.spoofed, 4);
	ck_assert_uint_eq(dc->q_len, 1);
	ck_assert_uint_eq(dc->st.sadp_seen, 1);
}
END_TEST

START_TEST(sadp_out_of_range_inquiry_and_malformed)
{
	static const char *const bad[] = {
	    "",
	    "not xml at all",
	    "<ProbeMatch><Uuid>" OUR_UUID "</Uuid>", /* truncated */
	    "<ProbeMatch><Uuid>" OUR_UUID "</Uuid><A><B>x</B></A></ProbeMatch>",
	    "<!DOCTYPE ProbeMatch [<!ENTITY a \"b\">]><ProbeMatch><Uuid>" OUR_UUID
	    "</Uuid></ProbeMatch>",
	    "<ProbeMatch><Uuid>" OUR_UUID "</Uuid><X>&a;</X></ProbeMatch>",
	    "<ProbeMatch><Types>inquiry</Types></ProbeMatch>", /* no Uuid */
	    "<ProbeMatchX><Uuid>" OUR_UUID "</Uuid></ProbeMatchX>",
	};
	char m[4096];
	size_t i, n;

	n = sadp_msg(m, sizeof(m), "ProbeMatch", OUR_UUID, "inquiry",
	    "198.51.100.7", "");
	feed_sadp(m, n, "198.51.100.7");
	ck_assert_uint_eq(dc->st.out_of_scope, 1);
	/* Another client's inquiry: never answered, nothing to take. */
	n = (size_t)sadp_build_inquiry(OTHER_UUID, m, sizeof(m));
	feed_sadp(m, n, "192.0.2.9");
	ck_assert_uint_eq(dc->st.ignored, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		feed_sadp(bad[i], strlen(bad[i]), "192.0.2.10");
	ck_assert_uint_eq(dc->st.malformed, sizeof(bad) / sizeof(bad[0]));
	/* Too large: dropped unread (the reader reports the real length). */
	disc_sadp_datagram(dc, WSD_MAX_DATAGRAM + 1, ip("192.0.2.11"));
	disc_dhip_datagram(dc, 60000, ip("192.0.2.11"));
	ck_assert_uint_eq(dc->st.oversized, 2);
	ck_assert_uint_eq(dc->q_len, 0);
	ck_assert_uint_eq(dc->st.sadp_seen, 0);
}
END_TEST

START_TEST(dhip_reply_taken_and_checked)
{
	uint8_t f[2048];
	size_t n;
	struct disc_sighting *s;

	n = dhip_reply(f, "192.0.2.60", "\"HttpPort\":8081,");
	feed_dhip(f, n, "192.0.2.60");
	ck_assert_uint_eq(dc->q_len, 1);
	s = queued(0);
	ck_assert_int_eq(s->method, DISC_DHIP);
	ck_assert_str_eq(s->url, "http://192.0.2.60:8081/onvif/device_service");
	ck_assert(s->has_mac);
	ck_assert_str_eq(fact(s, FACT_PROTOCOL), "dhip");
	ck_assert_str_eq(fact(s, FACT_VENDOR), "Intelbras");
	ck_assert_str_eq(fact(s, FACT_FIRMWARE), "2.000.00IB004.0.R");
	ck_assert_str_eq(fact(s, FACT_PRIVATE_PORT), "37777");
	ck_assert_uint_eq(s->facts[0].probe, PROBE_DHIP);
	/* HttpPort as a string; then none: 80. */
	n = dhip_reply(f, "192.0.2.61", "\"HttpPort\":\"8082\",");
	feed_dhip(f, n, "192.0.2.61");
	ck_assert_str_eq(
	    queued(1)->url, "http://192.0.2.61:8082/onvif/device_service");
	n = dhip_reply(f, "192.0.2.62", "\"HttpPort\":99999,");
	feed_dhip(f, n, "192.0.2.62");
	ck_assert_str_eq(
	    queued(2)->url, "http://192.0.2.62:80/onvif/device_service");
	ck_assert_uint_eq(dc->st.dhip_seen, 3);
	/* spoof-from: the reply names a camera, another host sent it. */
	n = dhip_reply(f, "192.0.2.60", "");
	feed_dhip(f, n, "192.0.2.99");
	ck_assert_uint_eq(dc->st.spoofed, 1);
	ck_assert_str_eq(last_why(),
	    "a DHIP reply declaring another address than its sender's");
	/* A frame that lies about its body's length, either way. */
	n = dhip_frame(f, "{\"method\":\"client.notifyDevInfo\"}", 4000);
	feed_dhip(f, n, "192.0.2.60");
	n = dhip_frame(f, "{\"method\":\"client.notifyDevInfo\"}", 5);
	feed_dhip(f, n, "192.0.2.60");
	/* Our own search, echoed: not a reply. */
	n = (size_t)dhip_build_search(f, sizeof(f));
	feed_dhip(f, n, "192.0.2.60");
	ck_assert_uint_eq(dc->st.malformed, 3);
	ck_assert_uint_eq(dc->q_len, 3);
}
END_TEST

/* One sender's flood is cut to its rate; the queue never grows past its
 * bound, and what it could not take is counted. */
START_TEST(rate_and_queue_bounds)
{
	char m[4096], from[32];
	size_t n, i;

	n = sadp_msg(
	    m, sizeof(m), "Hello", OTHER_UUID, "hello", "192.0.2.41", "");
	struct timespec t0, t1;
	size_t refill; /* what the bucket earned while we fed it */

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 200; i++)
		feed_sadp(m, n, "192.0.2.41");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Its burst, plus its rate for the time the 200 took (over 100 ms
	 * under two busy loops: 43 queued where 41 was the bound). */
	refill = 1 +
	    (size_t)(SOURCE_RATE *
		((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000) /
		1000);
	ck_assert_uint_le(dc->q_len, 2 * SOURCE_RATE + refill);
	ck_assert_uint_ge(dc->st.rate_limited, 200 - 2 * SOURCE_RATE - refill);
	/* Many senders, one Hello each: all within the rates, and the queue
	 * (the owner takes nothing here) keeps QUEUE_MAX. */
	dc->q_len = 0;
	dc->st.rate_limited = dc->st.sadp_seen = dc->st.queue_full = 0;
	for (i = 0; i < 300; i++) {
		snprintf(from, sizeof(from), "192.0.2.%zu", 1 + i % 250);
		n = sadp_msg(
		    m, sizeof(m), "Hello", OTHER_UUID, "hello", from, "");
		feed_sadp(m, n, from);
	}
	ck_assert_uint_eq(dc->q_len, QUEUE_MAX);
	ck_assert_uint_eq(dc->st.sadp_seen, QUEUE_MAX);
	ck_assert_uint_ge(dc->st.queue_full, 300 - QUEUE_MAX - 2);
	ck_assert_uint_eq(
	    dc->st.sadp_seen + dc->st.queue_full + dc->st.rate_limited, 300);
}
END_TEST

START_TEST(codec_entry_points)
{
	struct cam_identity id;
	struct sadp_msg sm;
	char m[4096];
	uint8_t f[2048];
	size_t n;
	int port;

	memset(&id, 0, sizeof(id));
	n = sadp_msg(m, sizeof(m), "ProbeMatch", OUR_UUID, "inquiry",
	    "192.0.2.41", "<HttpPort>81</HttpPort>\r\n");
	ck_assert_int_eq(sadp_parse_msg(m, n, &sm, &id), 0);
	ck_assert_int_eq(sm.kind, SADP_PROBE_MATCH);
	ck_assert_str_eq(sm.uuid, OUR_UUID);
	ck_assert_int_eq(sm.http_port, 81);
	ck_assert_str_eq(id.address, "192.0.2.41");
	/* The collector's parser takes only a ProbeMatch. */
	memset(&id, 0, sizeof(id));
	n = sadp_msg(
	    m, sizeof(m), "Hello", OUR_UUID, "hello", "192.0.2.41", "");
	ck_assert_int_eq(sadp_parse(m, n, NULL, &id), -1);
	ck_assert_int_eq(sadp_parse_msg(m, n, &sm, &id), 0);
	ck_assert_int_eq(sm.kind, SADP_HELLO);
	ck_assert_int_eq(sm.http_port, 0);
	/* A Uuid longer than a UUID is none of ours. */
	n = sadp_msg(m, sizeof(m), "ProbeMatch", OUR_UUID "-and-more",
	    "inquiry", "192.0.2.41", "<HttpPort>0x50</HttpPort>");
	ck_assert_int_eq(sadp_parse_msg(m, n, &sm, &id), 0);
	ck_assert_str_eq(sm.uuid, "");
	ck_assert_int_eq(sm.http_port, 0);
	/* Another client's inquiry, with or without its Uuid. */
	ck_assert_int_eq(sadp_parse_msg("<Probe><Types>inquiry</Types></Probe>",
			     37, &sm, &id),
	    0);
	ck_assert_int_eq(sm.kind, SADP_INQUIRY);
	memset(&id, 0, sizeof(id));
	n = dhip_reply(f, "192.0.2.60", "\"HttpPort\":80,");
	ck_assert_int_eq(dhip_parse_port(f, n, &port, &id), 0);
	ck_assert_int_eq(port, 80);
	ck_assert_str_eq(id.address, "192.0.2.60");
	ck_assert_int_eq(dhip_parse_port(f, 20, &port, &id), -1);
	ck_assert_int_eq(port, 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("disc_unauth");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sadp_probe_match_to_our_inquiry);
	tcase_add_test(tc, sadp_hello_is_an_announcement);
	tcase_add_test(tc, sadp_unsolicited_and_spoofed_are_dropped);
	tcase_add_test(tc, sadp_out_of_range_inquiry_and_malformed);
	tcase_add_test(tc, dhip_reply_taken_and_checked);
	tcase_add_test(tc, rate_and_queue_bounds);
	tcase_add_test(tc, codec_entry_points);
	suite_add_tcase(su, tc);
	return cr_run(su, CK_FORK_GETENV);
}
