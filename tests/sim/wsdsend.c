/*
 * wsdsend.c: sends a file as one UDP datagram, COUNT times, to an IPv4
 * address (WS-Discovery port 3702 by default), and optionally prints what
 * comes back.  Tests use it for Probes, spoofed ProbeMatches, malformed
 * datagrams and floods, and to listen for Hello and Bye.  In each datagram
 * @N@ becomes its number (1..COUNT), and with -u @UUID@ a fresh UUID, so
 * one file makes a flood of distinct announcements.
 *
 *   wsdsend [-u] [-s SRC_ADDR[:PORT]] [-i IFADDR] [-j IFADDR] [-n COUNT]
 *           [-r RATE_PER_S] [-t TTL] [-l SECONDS] DEST_ADDR[:PORT] FILE|-
 *
 * One thread.  Exit 0 on success, 1 on a run-time error, 2 on a usage
 * error, each with a message on standard error.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WSD_PORT 3702
#define WSD_GROUP "239.255.255.250"
#define MAX_FILE 65000 /* bytes read from FILE */
#define MAX_DGRAM 65507 /* largest IPv4 UDP payload */
#define UUID_TAG "@UUID@"
#define UUID_LEN 36
#define NUM_TAG "@N@"

struct opts {
	const char *src, *ifaddr, *join;
	long count;
	double rate, listen;
	int ttl, uuid;
};

static uint64_t rng_state;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: wsdsend [-u] [-s SRC_ADDR[:PORT]] [-i IFADDR] "
	    "[-j IFADDR] [-n COUNT]\n"
	    "               [-r RATE_PER_S] [-t TTL] [-l SECONDS] "
	    "DEST_ADDR[:PORT] FILE|-\n");
	exit(2);
}

static void
fail(const char *what, const char *arg)
{
	fprintf(stderr, "wsdsend: %s%s%s: %s\n", what, arg ? " " : "",
	    arg ? arg : "", strerror(errno));
	exit(1);
}

static void
bad(const char *what, const char *arg)
{
	fprintf(stderr, "wsdsend: %s: '%s'\n", what, arg);
	exit(2);
}

/* "ADDR" or "ADDR:PORT", IPv4 only. */
static void
parse_addr(const char *s, int defport, struct sockaddr_in *sa)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	char *end;
	long port = defport;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (n >= sizeof(host))
		bad("not an IPv4 address", s);
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		bad("not an IPv4 address", s);
	if (colon != NULL) {
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (errno || end == colon + 1 || *end || port < 0 ||
		    port > 65535)
			bad("bad port", s);
	}
	sa->sin_port = htons((uint16_t)port);
}

static double
parse_num(const char *s, double lo, double hi, const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi))
		bad(what, s);
	return v;
}

static long
parse_long(const char *s, long lo, long hi, const char *what)
{
	double v = parse_num(s, (double)lo, (double)hi, what);

	if (v != (double)(long)v)
		bad(what, s);
	return (long)v;
}

static struct in_addr
parse_ifaddr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		bad("not an IPv4 interface address", s);
	return a;
}

static size_t
read_payload(const char *path, char *buf)
{
	size_t len = 0, n;
	FILE *f = stdin;

	if (strcmp(path, "-") != 0 && (f = fopen(path, "rb")) == NULL)
		fail("cannot open", path);
	while ((n = fread(buf + len, 1, MAX_FILE + 1 - len, f)) > 0) {
		len += n;
		if (len > MAX_FILE) {
			fprintf(stderr, "wsdsend: %s: longer than %d bytes\n",
			    path, MAX_FILE);
			exit(1);
		}
	}
	if (ferror(f))
		fail("cannot read", path);
	if (f != stdin)
		fclose(f);
	return len;
}

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
seed(void)
{
	struct timespec ts;
	int fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		if (read(fd, &rng_state, sizeof(rng_state)) ==
		    (ssize_t)sizeof(rng_state)) {
			close(fd);
			return;
		}
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	rng_state = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
	    (uint64_t)getpid();
}

/* A random version-4 UUID, 36 characters, no "urn:uuid:". */
static void
uuid_random(char out[UUID_LEN + 1])
{
	uint64_t a = rng(), b = rng();
	uint8_t u[16];

	memcpy(u, &a, 8);
	memcpy(u + 8, &b, 8);
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(out, UUID_LEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
	    u[11], u[12], u[13], u[14], u[15]);
}

/* Append n bytes to out[*o], or exit: the datagram would be too long. */
static void
put(char *out, size_t *o, const char *p, size_t n)
{
	if (*o + n > MAX_DGRAM) {
		fprintf(stderr,
		    "wsdsend: payload longer than %d bytes with "
		    "UUIDs and numbers\n",
		    MAX_DGRAM);
		exit(1);
	}
	memcpy(out + *o, p, n);
	*o += n;
}

/*
 * payload with every @N@ replaced by num and, if uuid, every @UUID@ by
 * one fresh UUID; its length.
 */
static size_t
expand(const char *in, size_t len, int uuid, long num, char *out)
{
	char id[UUID_LEN + 1], nbuf[24];
	size_t i = 0, o = 0, tl = strlen(UUID_TAG), nl = strlen(NUM_TAG);

	uuid_random(id);
	snprintf(nbuf, sizeof(nbuf), "%ld", num);
	while (i < len) {
		if (uuid && len - i >= tl &&
		    memcmp(in + i, UUID_TAG, tl) == 0) {
			put(out, &o, id, UUID_LEN);
			i += tl;
		} else if (len - i >= nl && memcmp(in + i, NUM_TAG, nl) == 0) {
			put(out, &o, nbuf, strlen(nbuf));
			i += nl;
		} else
			put(out, &o, in + i++, 1);
	}
	return o;
}

static void
set_opt(int fd, int level, int name, const void *v, socklen_t len,
    const char *what, const char *arg)
{
	if (setsockopt(fd, level, name, v, len) != 0)
		fail(what, arg);
}

static int
open_socket(const struct opts *o)
{
	struct sockaddr_in src;
	struct in_addr ifa;
	struct ip_mreq mr;
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		fail("socket", NULL);
	set_opt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one), "SO_REUSEADDR",
	    NULL);
	if (o->src != NULL) {
		parse_addr(o->src, 0, &src);
		/* A source address this host does not own: a spoof (root). */
		setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0)
			fail("cannot bind", o->src);
	}
	if (o->ifaddr != NULL) {
		ifa = parse_ifaddr(o->ifaddr);
		set_opt(fd, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof(ifa),
		    "IP_MULTICAST_IF", o->ifaddr);
	}
	if (o->ttl >= 0) {
		set_opt(fd, IPPROTO_IP, IP_TTL, &o->ttl, sizeof(o->ttl),
		    "IP_TTL", NULL);
		set_opt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &o->ttl,
		    sizeof(o->ttl), "IP_MULTICAST_TTL", NULL);
	}
	if (o->join != NULL) {
		inet_pton(AF_INET, WSD_GROUP, &mr.imr_multiaddr);
		mr.imr_interface = parse_ifaddr(o->join);
		set_opt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr),
		    "cannot join " WSD_GROUP " on", o->join);
	}
	return fd;
}

static void
sleep_until(struct timespec *t, double rate)
{
	long long ns = (long long)(1e9 / rate);

	t->tv_sec += (time_t)(ns / 1000000000);
	t->tv_nsec += (long)(ns % 1000000000);
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
	while (
	    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

static void
send_all(int fd, const struct opts *o, const struct sockaddr_in *dst,
    const char *dest, const char *payload, size_t len)
{
	static char out[MAX_DGRAM];
	struct timespec next;
	const char *p = payload;
	size_t n = len;
	long i;
	int numbered = memmem(payload, len, NUM_TAG, strlen(NUM_TAG)) != NULL;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (i = 0; i < o->count; i++) {
		if (o->uuid || numbered) {
			n = expand(payload, len, o->uuid, i + 1, out);
			p = out;
		}
		if (sendto(fd, p, n, 0, (const struct sockaddr *)dst,
			sizeof(*dst)) < 0)
			fail("cannot send to", dest);
		if (o->rate > 0 && i + 1 < o->count)
			sleep_until(&next, o->rate);
	}
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Print every datagram for `seconds`: "from A:P len N", it, a blank line. */
static void
listen_for(int fd, double seconds)
{
	static char buf[MAX_DGRAM + 1];
	long long end = now_ms() + (long long)(seconds * 1000);
	struct pollfd pfd = {fd, POLLIN, 0};
	struct sockaddr_in from;
	socklen_t fromlen;
	char addr[INET_ADDRSTRLEN];
	ssize_t n;

	while (now_ms() < end) {
		if (poll(&pfd, 1, (int)(end - now_ms())) <= 0)
			continue;
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fromlen);
		if (n < 0)
			continue;
		inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
		printf("from %s:%d len %zd\n", addr, ntohs(from.sin_port), n);
		fwrite(buf, 1, (size_t)n, stdout);
		printf("%s\n", n > 0 && buf[n - 1] == '\n' ? "" : "\n");
		fflush(stdout);
	}
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int ch;

	while ((ch = getopt(argc, argv, "s:i:j:n:r:t:l:u")) != -1) {
		switch (ch) {
		case 's':
			o->src = optarg;
			break;
		case 'i':
			o->ifaddr = optarg;
			break;
		case 'j':
			o->join = optarg;
			break;
		case 'n':
			o->count =
			    parse_long(optarg, 0, 100000000, "bad count");
			break;
		case 'r':
			o->rate = parse_num(optarg, 0.001, 1e7, "bad rate");
			break;
		case 't':
			o->ttl = (int)parse_long(optarg, 0, 255, "bad TTL");
			break;
		case 'l':
			o->listen = parse_num(optarg, 0, 86400, "bad seconds");
			break;
		case 'u':
			o->uuid = 1;
			break;
		default:
			usage();
		}
	}
	return optind;
}

int
main(int argc, char **argv)
{
	static char payload[MAX_FILE + 1];
	struct opts o = {NULL, NULL, NULL, 1, 0, 0, -1, 0};
	struct sockaddr_in dst;
	size_t len;
	int i, fd;

	i = parse_opts(argc, argv, &o);
	if (argc - i != 2)
		usage();
	parse_addr(argv[i], WSD_PORT, &dst);
	if (dst.sin_port == 0)
		bad("bad port", argv[i]);
	len = read_payload(argv[i + 1], payload);
	seed();
	fd = open_socket(&o);
	send_all(fd, &o, &dst, argv[i], payload, len);
	if (o.listen > 0)
		listen_for(fd, o.listen);
	close(fd);
	return 0;
}
