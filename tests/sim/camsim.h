/*
 * camsim.h: types shared by the camera simulator's modules.
 *
 * A profile is the read-only description of a camera model (loaded from a
 * .profile file at start); a spec is a profile with a fault mode and
 * options, shared by the one or many cameras it names; a camera is an
 * address and port serving a spec, with its own mutable login state;
 * a listener is the socket a camera is served on, its own or shared
 * (HTTP, HTTPS or RTSP; the SADP and DHIP sockets are udp.c's).
 * Profiles, specs and listeners are immutable once camsim is ready and may
 * be read from any thread; the mutable part of a camera is guarded by
 * sim_cam_lock().
 */
#ifndef CAMSIM_H
#define CAMSIM_H

#include <sys/types.h>
#include <sys/socket.h>

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define SIM_STR 256 /* longest profile string value */
#define SIM_MAX_SCOPES 32
#define SIM_MAX_MACS 4
#define SIM_MAX_XMLNS 8
#define SIM_NONCES 256 /* replay memory per camera */

enum sim_auth {
	SIM_AUTH_NONE, /* every call answered without credentials */
	SIM_AUTH_WSSE, /* WS-Security UsernameToken only */
	SIM_AUTH_DIGEST, /* HTTP Digest only (Hikvision >= V5.7.13) */
	SIM_AUTH_EITHER /* either of the two */
};

/* How a refused WS-Security token is reported. */
enum sim_deny_style {
	SIM_DENY_ONVIF, /* ter:NotAuthorized "Sender not authorized" */
	SIM_DENY_DAHUA, /* ter:NotAuthorized + attempts left */
	SIM_DENY_HIKVISION /* wsse:InvalidSecurity */
};

enum sim_fault {
	SIM_FAULT_NONE,
	SIM_FAULT_NO_ANSWER,
	SIM_FAULT_SLOW_DRIP,
	SIM_FAULT_CLOSE_MID_REPLY,
	SIM_FAULT_MALFORMED_XML,
	SIM_FAULT_HUGE_BODY,
	SIM_FAULT_DEEP_NESTING,
	SIM_FAULT_ENTITY_EXPANSION,
	SIM_FAULT_WRONG_CREDENTIALS,
	SIM_FAULT_CLOCK_SKEW,
	SIM_FAULT_LYING_CLOCK,
	SIM_FAULT_SHORT_BODY,
	SIM_FAULT_SHORT_BODY_KEEP,
	SIM_FAULT_SOAP11_ONLY,
	SIM_FAULT_CHUNKED,
	SIM_FAULT_HTML_401,
	SIM_FAULT_BLANK_LINE,
	SIM_FAULT_EXTRA_ELEMENTS,
	SIM_FAULT_TLS_DRIP, /* every connection: a TLS record that never ends */
	SIM_FAULT_HEADER_DRIP, /* every request: HTTP headers that never end */
	SIM_FAULT_BASIC_ONLY, /* 401 offering Basic only */
	SIM_FAULT_BASIC_DIGEST, /* 401 offering Basic, then Digest */
	SIM_FAULT_DIGEST_BASIC, /* 401 offering Digest, then Basic */
	/* Hostile modes of the unauthenticated surfaces (README). */
	SIM_FAULT_SADP_HUGE, /* a 60 KB ProbeMatch */
	SIM_FAULT_SADP_DEEP, /* a ProbeMatch nested 8000 deep */
	SIM_FAULT_SADP_DTD, /* a ProbeMatch with a DTD and entities */
	SIM_FAULT_DHIP_LONG, /* DHIP header: body 4096 bytes longer */
	SIM_FAULT_DHIP_SHORT, /* DHIP header: half the body */
	SIM_FAULT_HTTP_HUGE, /* surface pages of huge-mb MB */
	SIM_FAULT_RTSP_HUGE, /* RTSP replies of huge-mb MB */
	SIM_FAULT_RTSP_DRIP, /* RTSP headers that never end */
	SIM_FAULT_CERT_CONTROL /* a certificate subject of control bytes */
};

/* What the ONVIF path does (onvif=); OFF is the profile's onvif_off. */
enum sim_onvif {
	SIM_ONVIF_ON,
	SIM_ONVIF_OFF,
	SIM_ONVIF_404,
	SIM_ONVIF_401,
	SIM_ONVIF_RESET
};

/* Where an SADP reply goes (sadp-reply=). */
enum sim_sadp_reply { SIM_REPLY_UNICAST, SIM_REPLY_MULTICAST, SIM_REPLY_BOTH };

/* What a listening socket serves. */
/* SIM_PROTO_XM: a private port (xm-port=) that accepts and says nothing. */
enum sim_proto {
	SIM_PROTO_HTTP,
	SIM_PROTO_HTTPS,
	SIM_PROTO_RTSP,
	SIM_PROTO_XM
};

/* Envelope prefixes of WS-Discovery messages (wsdmsg.c has the shapes). */
enum sim_wsd_style {
	SIM_WSD_ONVIF, /* SOAP-ENV, wsa, wsdd, dn, tds */
	SIM_WSD_HIKVISION, /* utf-8 declaration + CRLF; soap, wsa, wsd */
	SIM_WSD_DAHUA, /* s, a, d */
	SIM_WSD_HANWHA /* SOAP-ENV, wsa, d */
};

/* How the endpoint reference is made when none is set. */
enum sim_wsd_epr {
	SIM_EPR_HASH, /* hash of profile and address, looks like a v4 UUID */
	SIM_EPR_MAC_TWICE, /* Bosch: MAC, reversed MAC, four MAC bytes */
	SIM_EPR_MAC_TAIL /* Reolink: hash, then the MAC as the last node */
};

#define SIM_XADDR_HTTPS 1 /* also https://ADDR/onvif/device_service */
#define SIM_XADDR_LINKLOCAL 2 /* also http://169.254.x.y/... */

struct sim_mac {
	char ifname[32];
	char addr[18]; /* aa:bb:cc:dd:ee:ff */
};

struct sim_xmlns {
	char prefix[32];
	char uri[SIM_STR];
};

#define SIM_HEADS 12 /* header templates of one surface */
#define SIM_PAGE_LINES 8
#define SIM_PREFIXES 8
#define SIM_FIELDS 16 /* sadp_field / dhip_field overrides */
#define SIM_PAGE 1024 /* an error page (one profile line) */

/* "sadp_field = NAME VALUE": a ProbeMatch element or DHIP key's value. */
struct sim_field {
	char name[40];
	char value[216];
};

/*
 * What a camera shows without credentials (profile keys in README.md):
 * templates expanded per request by expand.c, so that a range of
 * 100,000 cameras shares one copy.
 */
struct sim_surface {
	/* HTTP surfaces (web.c), on the camera's HTTP port. */
	char http_head[SIM_HEADS][SIM_STR]; /* "Name: template", in order */
	int nhttp_head;
	char http_realm[128];
	char http_challenge[SIM_STR], http_challenge2[SIM_STR];
	char http_protected[SIM_PREFIXES][64]; /* paths answered 401 */
	int nhttp_protected;
	int http_root_status; /* GET /: 200 (the page) or 401 */
	int page_bom;
	char page_doctype[SIM_STR];
	char page_title[128];
	char page_body[SIM_PAGE_LINES][SIM_STR];
	int npage_body;
	char page_404[SIM_PAGE], page_401[SIM_PAGE];
	int rpc2; /* Dahua RPC2_Login's first step */
	char rpc2_realm[128];
	enum sim_onvif onvif_off; /* what onvif=off means for this maker */
	int https; /* serves HTTPS (on 443 when the surfaces are on) */
	/* RTSP (rtsp.c). */
	int rtsp;
	int rtsp_options, rtsp_describe; /* statuses without credentials */
	char rtsp_public[SIM_STR];
	char rtsp_realm[128];
	char rtsp_challenge[SIM_STR], rtsp_challenge2[SIM_STR];
	char rtsp_head[SIM_HEADS][SIM_STR];
	int nrtsp_head;
	char rtsp_date[64]; /* strftime format of @date */
	/* SADP (sadp.c) and DHIP (dhip.c). */
	int sadp, dhip;
	struct sim_field sadp_fields[SIM_FIELDS], dhip_fields[SIM_FIELDS];
	int nsadp_fields, ndhip_fields;
	/* TLS certificates (vcert.c): RFC 2253 templates; "" = CN=address. */
	char tls_subject[SIM_STR], tls_issuer[SIM_STR];
	int tls_days;
	/* Xiongmai's DVR-IP port (34567 when the surfaces are on): accepts,
	 * holds the connection silent, never speaks (server.c). */
	int xm;
};

struct sim_profile {
	char name[64];
	char manufacturer[SIM_STR];
	char model[SIM_STR];
	char firmware[SIM_STR];
	char serial[SIM_STR]; /* "@address": IPv4 without dots */
	char hardware_id[SIM_STR];
	char hostname[SIM_STR];
	char timezone[64];
	int local_offset; /* seconds east of UTC */
	int ntp; /* DateTimeType NTP, else Manual */
	struct sim_mac macs[SIM_MAX_MACS];
	int nmacs;
	char scopes[SIM_MAX_SCOPES][SIM_STR];
	int nscopes;
	struct sim_xmlns xmlns[SIM_MAX_XMLNS];
	int nxmlns;
	char envelope_prefix[16]; /* "" keeps SOAP-ENV */
	enum sim_auth auth;
	enum sim_deny_style deny_style;
	int time_needs_auth;
	int verify_preauth_header; /* Axis: bad header fails time */
	int replay_check;
	int clock_window; /* seconds; 0: no freshness check */
	int lockout; /* failures before lock; 0: never */
	int lockout_seconds;
	int sender_status; /* HTTP status of Sender faults */
	int soap11, soap12;
	char user[64];
	char password[128];
	char realm[128]; /* HTTP Digest realm */
	char deny_reason[128]; /* onvif style; "": default */
	int default_port;
	enum sim_wsd_style wsd_style;
	enum sim_wsd_epr wsd_epr;
	int wsd_xaddr_extra; /* SIM_XADDR_* bits */
	char wsd_endpoint[128]; /* "": derived per camera */
	struct sim_surface surf;
};

#define SIM_PATH 1024 /* a file named in a spec (a spec is < 1024 bytes) */
#define SIM_SHA256_HEX 65 /* 64 hex digits and the NUL */
#define SIM_LABEL 160 /* "PROFILE@ADDR:PORT" */
#define SIM_HOST 64 /* a numeric address as text, no brackets */

struct ssl_ctx_st;
struct ssl_st;
struct x509_st;
struct evp_pkey_st;

/*
 * What one spec (an argument or a fleet-file line) says: the profile with
 * the spec's options applied, and the options.  Read-only once parsed and
 * shared by every camera the spec names: a range of 100,000 cameras holds
 * one, and so do fleet-file lines that differ only in the address.
 */
struct sim_spec {
	struct sim_profile prof; /* private copy, options applied */
	enum sim_fault fault;
	int fault_all_ops; /* apply hostile modes to every call */
	long skew; /* camera clock = UTC + skew */
	long report_shift; /* lying-clock: reported = clock + this */
	long huge_bytes;
	int drip_ms;
	int discovery; /* WS-Discovery: -1 as camsim -w says, 0 off, 1 on */
	int hello; /* announce Hello at start and Bye at stop */
	int tls; /* serve HTTPS instead of HTTP */
	int cert_swap; /* SIGUSR1 gives it a new certificate */
	int shared; /* served on a shared socket (a range, listen=shared) */
	char tls_cert[SIM_PATH]; /* PEM files, or "" for a generated pair */
	char tls_key[SIM_PATH];
	char capture[SIM_PATH]; /* file receiving every byte read, or "" */
	/* Unauthenticated surfaces (surface.c resolves the ports). */
	enum sim_onvif onvif;
	int unauth; /* -1: as camsim -u says, 0 off, 1 on */
	/* SIM_PORT_DEFAULT, 0 none, SIM_PORT_AUTO, or a port */
	int sadp_port, dhip_port, rtsp_port, https_port, xm_port;
	int sadp_hello; /* an unsolicited SADP Hello at start */
	enum sim_sadp_reply sadp_reply;
	int udp_multicast; /* -1 auto (in a network namespace), 0, 1 */
	int cert_vendor; /* tls=yes: the profile's certificate, not CN=ADDR */
	char spoof_from[SIM_HOST]; /* SADP/DHIP replies' source, or "" */
};

#define SIM_PORT_DEFAULT (-1) /* the standard port when surfaces are on */
#define SIM_PORT_AUTO (-2) /* a free port */

/*
 * The surfaces' ports and sockets of one camera with a socket of its own,
 * or of all the cameras of one shared line (NULL: no surface but HTTP).
 */
struct sim_extra {
	int sadp_port, dhip_port, rtsp_port, https_port; /* 0: none */
	int xm_port; /* 0: none; own sockets only */
	int rtsp_group, https_group; /* shared listener key, as group */
	struct sim_listener *rtsp_ln, *https_ln, *xm_ln;
	struct sim_tls *https_cert; /* the vendor certificate on https_port */
};

/* A tls=yes camera's certificate, replaced by a swap. */
struct sim_tls {
	struct ssl_ctx_st *ctx; /* under the camera's lock; up-ref to use */
	char sha256[SIM_SHA256_HEX]; /* served certificate (main thread) */
};

/* Replay memory of a camera whose profile checks nonces (Axis). */
struct sim_nonces {
	char seen[SIM_NONCES][64];
	int next;
};

struct sim_camera;

/* One camera of a shared socket, found by the address it was reached on. */
struct sim_slot {
	unsigned long addr; /* IPv4, host order */
	struct sim_camera *cam;
};

/*
 * A listening socket: a camera's own (bound to its address), or one bound
 * to the any-address on lo and shared by every camera on its port, told
 * apart by the local address of each accepted connection.
 */
struct sim_listener {
	int fd;
	enum sim_proto proto;
	int port; /* 0 until bound if the spec asked for a free port */
	int key; /* shared and port 0: the spec line's number, else 0 */
	struct sim_camera *cam; /* own socket: its camera; NULL if shared */
	struct sim_slot *slots; /* shared: sorted by address */
	size_t nslots;
};

/*
 * One camera: an address and port of its own, and the little that changes
 * as it serves (a fleet may hold 100,000 of these, so the spec is shared,
 * the replay memory made when first needed, and the mutable fields guarded
 * by one of a few striped locks: sim_cam_lock()).
 */
struct sim_camera {
	const struct sim_spec *spec;
	const char *host; /* numeric address, no brackets; the fleet's */
	struct sim_listener *ln;
	struct sim_tls *cert; /* tls=yes: the certificate it serves, or NULL */
	struct sim_extra *x; /* surfaces' ports (shared by a shared line) */
	int port;
	int capture_fd; /* own socket: -1, or O_APPEND shared by connections */
	int group; /* until listeners are made: -1 own, else the shared key */

	/* Guarded by sim_cam_lock(). */
	int active; /* connections being served */
	int failures; /* consecutive refused logins */
	time_t locked_until;
	struct sim_nonces *nonces; /* NULL until the first checked nonce */
};

/* One parsed HTTP request; body is NUL-terminated. */
struct sim_req {
	char method[16];
	char path[256];
	char content_type[128];
	char soapaction[256];
	char authorization[2048];
	int keep_alive;
	int http10; /* the request said HTTP/1.0 */
	char *raw; /* header + body as received */
	size_t raw_len;
	char *body;
	size_t body_len;
	size_t used; /* bytes of raw consumed by this request */
};

/* A reply before the fault mode shapes it onto the wire. */
struct sim_reply {
	int status;
	int soap11;
	int html; /* text/html instead of SOAP */
	int close;
	int faulty; /* the camera's fault mode shapes this reply */
	char *body; /* malloc'ed */
	size_t len;
	char challenge[512]; /* WWW-Authenticate value or "" */
	char challenge2[512]; /* a second WWW-Authenticate header, or "" */
	char op[64];
	char auth[64]; /* outcome for the log line */
	/* Surface replies (web.c): the profile's headers and pages. */
	int surface;
	int http10; /* answer in HTTP/1.0, as the request */
	int head_only; /* HEAD: the headers without the body */
	int reset; /* close with a TCP reset instead of answering */
	const char *ctype; /* Content-Type, or NULL for text/html */
};

/*
 * One accepted connection, owned by its connection thread.  The socket is
 * non-blocking; conn.c waits with poll() so that deadlines and the stop
 * pipe hold for plain and TLS connections alike.
 */
struct sim_conn {
	struct sim_camera *cam;
	int fd;
	struct ssl_st *ssl; /* NULL: plain TCP */
	int capture_fd; /* -1, the camera's, or this connection's own */
	int own_capture; /* capture_fd is this connection's to close */
	enum sim_proto proto; /* what its listener serves */
};

#define CONN_TIMEOUT (-2) /* conn_recv(): nothing arrived in time */

/* main.c */
extern volatile int sim_stopping;
extern int sim_stop_fd; /* readable once the process must stop */
extern int sim_swap_fd; /* readable after SIGUSR1 (main thread reads) */
extern const char *sim_capture_dir; /* -C DIR, or NULL */
void sim_log(const struct sim_camera *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* profile.c */
int profile_load(struct sim_profile *, const char *, char *, size_t);
int spec_parse(struct sim_spec *, const char *, const char *, char *, size_t);
int fault_parse(const char *, enum sim_fault *);
/* The index of v in names[0..n) (NULL entries skipped), or -1. */
int sim_name_index(const char *const *names, size_t n, const char *v);
/* v, a whole decimal number in [lo, hi], into *out: 0, or -1. */
int sim_parse_int(const char *v, long lo, long hi, int *out);
const char *fault_name(enum sim_fault);

/* fleet.c */
struct fleet {
	struct sim_camera *cams; /* in the order the specs name them */
	size_t n, cap;
	struct sim_listener *lns;
	size_t nlns;
	int shared_default; /* camsim -s: single IPv4 cameras share sockets */
	int unauth_default; /* camsim -u: own-socket cameras show surfaces */
	int lines; /* specs read so far */
};
void fleet_add(struct fleet *, const char *, const char *);
void fleet_read(struct fleet *, const char *, const char *);
void fleet_listeners(struct fleet *);
void fleet_write_ready(const struct fleet *, const char *);
struct sim_camera *fleet_lookup(const struct sim_listener *, unsigned long);
const char *sim_label(const struct sim_camera *, char *, size_t);
pthread_mutex_t *sim_cam_lock(const struct sim_camera *);

/* server.c */
int server_bind(struct sim_listener *, char *, size_t);
int server_run(struct fleet *, void (*)(void *), void *);

/* conn.c */
long sim_now_ms(void);
int conn_poll(int, short, int);
ssize_t conn_recv(struct sim_conn *, void *, size_t, int);
int conn_send_all(struct sim_conn *, const void *, size_t);
int conn_send_more(struct sim_conn *, const void *, size_t);
int conn_pause(struct sim_conn *, int);
void conn_wait_close(struct sim_conn *);
int capture_open(struct sim_camera *, const char *, char *, size_t);
void capture_start(struct sim_conn *);
void capture_end(struct sim_conn *);
void capture_write(const struct sim_conn *, const void *, size_t);

/* tls.c */
int tls_setup(struct sim_camera *, char *, size_t);
int tls_setup_https(struct sim_camera *, char *, size_t);
int tls_swap(struct sim_camera *);
int tls_accept(struct sim_conn *);
void tls_close(struct sim_conn *);
void tls_drip(struct sim_conn *);

/* wsd.c */
int wsd_start(struct sim_camera *, size_t, int, char *, size_t);
void wsd_stop(void);

/* http.c */
int http_read_request(
    struct sim_conn *, char **, size_t *, size_t *, struct sim_req *);
int http_send_reply(struct sim_conn *, struct sim_reply *, int);

/* digest.c */
int digest_check(const struct sim_camera *, const struct sim_req *, int *);
void digest_challenge(const struct sim_camera *, int, char *, size_t);
int basic_check(const struct sim_camera *, const struct sim_req *);

/* service.c */
void service_handle(
    struct sim_camera *, const struct sim_req *, struct sim_reply *);
time_t service_clock(const struct sim_camera *);

/* wsse.c */
struct soap;
int wsse_check(struct soap *, struct sim_camera *, int, char *, size_t);

/* faults.c */
int fault_is_hostile(enum sim_fault);
int fault_build_body(struct sim_camera *, struct sim_reply *);
void fault_decorate(struct sim_camera *, struct sim_reply *);
void fault_stream_huge(struct sim_conn *);

/* expand.c: bounded buffers, templates, MACs, random hex */
struct sbuf {
	char *p;
	size_t len, cap;
	int over; /* something did not fit */
};
void sb_put(struct sbuf *, const void *, size_t);
void sb_puts(struct sbuf *, const char *);
void sb_printf(struct sbuf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* Values of one reply that templates may name (NULL / -1: empty). */
struct xvars {
	const char *realm, *challenge, *challenge2, *type, *connection;
	const char *public_methods, *date_fmt;
	long length;
	int cseq;
};
void expand_sb(const struct sim_camera *, const struct xvars *, const char *,
    struct sbuf *);
size_t expand(const struct sim_camera *, const struct xvars *, const char *,
    char *, size_t);
void sim_mac(const struct sim_camera *, unsigned char[6]);
void random_hex(char *, size_t, int);
void sim_clean(const void *, size_t, char *, size_t);

/* surface.c: profile keys, spec options and ports of the surfaces */
void surface_defaults(struct sim_profile *);
int surface_key(struct sim_profile *, const char *, const char *);
void surface_spec_defaults(struct sim_spec *);
int surface_option(struct sim_spec *, const char *, const char *);
int surface_check(const struct sim_spec *, char *, size_t);
struct sim_extra *surface_extra(const struct sim_spec *, int, int, int);
void surface_ready(const struct sim_camera *, FILE *);

/* web.c: HTTP surfaces */
int web_handle(struct sim_camera *, const struct sim_req *, struct sim_reply *);
int web_send(struct sim_conn *, struct sim_reply *, int);
const char *http_reason(int);

/* rtsp.c */
void rtsp_serve(struct sim_conn *);

/* udp.c: SADP and DHIP responders; sadp.c, dhip.c: their messages */
int udp_start(struct fleet *, char *, size_t);
void udp_stop(void);
int sadp_probe(const char *, size_t, char *, size_t, char *, size_t);
size_t sadp_build(const struct sim_camera *, const char *, int, char *, size_t);
int dhip_probe(const unsigned char *, size_t, char *, size_t);
size_t dhip_build(const struct sim_camera *, unsigned char *, size_t);
void capture_datagram(const struct sim_camera *, const void *, size_t);

/* vcert.c: the profile's certificate (subject, issuer) */
int vcert_make(
    const struct sim_camera *, struct x509_st **, struct evp_pkey_st **);
/* subjectAltName IP = host on self-signed x: 1, or 0 on failure. */
int vcert_add_san(struct x509_st *x, const char *host);

/* faults.c */
void fault_stream_filler(struct sim_conn *, const char *, long);

#endif
