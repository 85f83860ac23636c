/*
 * unauth_parse.c: pure parsers for what HTTP, HTTPS and RTSP servers say
 * without credentials (unauth_parse.h): reply heads, chunked bodies,
 * challenge realms, page titles, Dahua's RPC2_Login challenge.
 *
 * Everything works on a caller's buffer with explicit lengths, keeps
 * pointers into it and bounds every loop by it; the only allocation is
 * json-c's for a capped RPC2 body.  Any thread; fuzzable.
 */
#include <ctype.h>
#include <json.h>
#include <string.h>
#include <strings.h>

#include "onvif/unauth_parse.h"
#include "common/strutil.h"

/* JSON nesting accepted from a camera; a login challenge has 3 levels. */
#define UX_JSON_DEPTH 8

void
ux_add_mac(struct cam_identity *id, const uint8_t mac[6])
{
	static const uint8_t zero[6];
	size_t i;

	if (memcmp(mac, zero, 6) == 0 || id->n_macs >= CAM_MACS_MAX)
		return;
	for (i = 0; i < id->n_macs; i++)
		if (memcmp(id->macs[i], mac, 6) == 0)
			return;
	memcpy(id->macs[id->n_macs++], mac, 6);
}

static void
fact_n(struct cam_identity *id, enum cam_fact_kind k, enum cam_probe p,
    const char *text, size_t len)
{
	const uint32_t own = CAM_PROBE(PROBE_SADP) | CAM_PROBE(PROBE_DHIP);

	/* Until SADP or DHIP has answered, their room is kept. */
	if (p != PROBE_SADP && p != PROBE_DHIP && !(id->facts.answered & own) &&
	    id->facts.n >= CAM_FACTS_MAX - UX_FACTS_RESERVED)
		return;
	(void)cam_fact_add(&id->facts, k, p, text, len);
}

void
ux_fact(struct cam_identity *id, enum cam_fact_kind k, enum cam_probe p,
    const char *text)
{
	if (text != NULL)
		fact_n(id, k, p, text, strlen(text));
}

/* ---- the head ------------------------------------------------------------ */

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "HTTP/1.1 401 ..." with the proto given; the code into *code. */
static int
status_line(const char *p, size_t n, const char *proto, int *code)
{
	size_t k = strlen(proto);

	if (n < k + 8 || memcmp(p, proto, k) != 0 || p[k] != '/' ||
	    !isdigit((unsigned char)p[k + 1]) || p[k + 2] != '.' ||
	    !isdigit((unsigned char)p[k + 3]) || p[k + 4] != ' ')
		return -1;
	p += k + 5;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) ||
	    (n > k + 8 && p[3] != ' ' && p[3] != '\r'))
		return -1;
	*code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	return *code >= 100 ? 0 : -1;
}

/* The bytes so far cannot start a reply of this protocol. */
static bool
wrong_start(const char *buf, size_t len, const char *proto)
{
	size_t k = strlen(proto);

	if (len > k)
		len = k;
	return memcmp(buf, proto, len) != 0;
}

static int
add_header(struct ux_head *h, const char *p, const char *le)
{
	const char *colon = memchr(p, ':', (size_t)(le - p));
	const char *v, *ve;
	struct ux_header *x;

	if (colon == NULL || colon == p)
		return 0; /* not a header: skipped */
	if (h->n == UX_MAX_HEADERS)
		return -1;
	for (v = colon + 1; v < le && is_blank(*v); v++)
		;
	for (ve = le; ve > v && is_blank(ve[-1]); ve--)
		;
	x = &h->h[h->n++];
	x->name = p;
	x->name_len = (size_t)(colon - p);
	while (x->name_len > 0 && is_blank(p[x->name_len - 1]))
		x->name_len--;
	x->value = v;
	x->value_len = (size_t)(ve - v);
	return 0;
}

int
ux_parse_head(const char *buf, size_t len, const char *proto, struct ux_head *h)
{
	const char *p = buf, *end = buf + len, *nl, *le;
	size_t avail;
	bool first = true;

	h->n = 0;
	h->len = 0;
	h->code = 0;
	if (wrong_start(buf, len, proto))
		return -1;
	for (;;) {
		avail = (size_t)(end - p);
		nl = memchr(p, '\n', avail < UX_MAX_LINE ? avail : UX_MAX_LINE);
		if (nl == NULL)
			return avail >= UX_MAX_LINE ? -1 : 0;
		le = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
			return -1;
		if (first) {
			if (status_line(p, (size_t)(le - p), proto, &h->code))
				return -1;
			first = false;
		} else if (le == p) {
			h->len = (size_t)(nl + 1 - buf);
			return 1;
		} else if (!is_blank(*p) && add_header(h, p, le) != 0)
			return -1;
		p = nl + 1;
	}
}

const struct ux_header *
ux_header_next(const struct ux_head *h, const char *name, size_t *from)
{
	size_t k = strlen(name);

	for (; *from < h->n; (*from)++) {
		const struct ux_header *x = &h->h[*from];
		if (x->name_len == k && strncasecmp(x->name, name, k) == 0) {
			(*from)++;
			return x;
		}
	}
	return NULL;
}

static const struct ux_header *
first_header(const struct ux_head *h, const char *name)
{
	size_t i = 0;

	return ux_header_next(h, name, &i);
}

long
ux_content_length(const struct ux_head *h)
{
	const struct ux_header *x;
	long n = -1, v;
	size_t i = 0, k;

	while ((x = ux_header_next(h, "Content-Length", &i)) != NULL) {
		if (x->value_len == 0 || x->value_len > 10)
			return -1;
		for (v = 0, k = 0; k < x->value_len; k++) {
			if (!isdigit((unsigned char)x->value[k]))
				return -1;
			v = v * 10 + (x->value[k] - '0');
		}
		if (v > 0x7fffffffL || (n >= 0 && n != v))
			return -1;
		n = v;
	}
	return n;
}

bool
ux_is_chunked(const struct ux_head *h)
{
	const struct ux_header *x, *last = NULL;
	size_t i = 0;

	while ((x = ux_header_next(h, "Transfer-Encoding", &i)) != NULL)
		last = x;
	return last != NULL && last->value_len >= 7 &&
	    strncasecmp(last->value + last->value_len - 7, "chunked", 7) == 0;
}

/* ---- chunked bodies ------------------------------------------------------ */

/* A chunk-size line at p (n bytes available): 1 with *size and *hdr (the
 * line's length), 0 incomplete, -1 bad. */
static int
chunk_line(const char *p, size_t n, size_t *size, size_t *hdr)
{
	const char *nl = memchr(p, '\n', n < 256 ? n : 256);
	size_t i = 0, v = 0;
	int d;

	if (nl == NULL)
		return n >= 256 ? -1 : 0;
	for (; p + i < nl && isxdigit((unsigned char)p[i]); i++) {
		if (i == 7)
			return -1; /* 2^28 and more: not from a camera */
		d = isdigit((unsigned char)p[i]) ? p[i] - '0'
						 : (tolower(p[i]) - 'a' + 10);
		v = v * 16 + (size_t)d;
	}
	if (i == 0 ||
	    (p + i < nl && p[i] != ';' && p[i] != '\r' && !is_blank(p[i])))
		return -1;
	*size = v;
	*hdr = (size_t)(nl + 1 - p);
	return 1;
}

/* The line end after a chunk's data: its length, 0 incomplete, -1 bad. */
static int
chunk_crlf(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (p[0] == '\n')
		return 1;
	if (p[0] != '\r')
		return -1;
	if (n == 1)
		return 0;
	return p[1] == '\n' ? 2 : -1;
}

int
ux_chunk_scan(const char *buf, size_t len, size_t *next)
{
	size_t size, hdr, at;
	int r;

	for (;;) {
		if (*next > len)
			return -1;
		r = chunk_line(buf + *next, len - *next, &size, &hdr);
		if (r <= 0)
			return r;
		if (size == 0)
			return 1; /* trailers are not needed */
		at = *next + hdr + size;
		if (at > len || at < *next)
			return 0;
		r = chunk_crlf(buf + at, len - at);
		if (r <= 0)
			return r;
		*next = at + (size_t)r;
	}
}

size_t
ux_dechunk(char *buf, size_t len)
{
	size_t r = 0, w = 0, size, hdr;
	int crlf;

	while (r < len && chunk_line(buf + r, len - r, &size, &hdr) == 1 &&
	    size > 0 && r + hdr + size <= len) {
		memmove(buf + w, buf + r + hdr, size);
		w += size;
		r += hdr + size;
		crlf = chunk_crlf(buf + r, len - r);
		if (crlf <= 0)
			break;
		r += (size_t)crlf;
	}
	return w;
}

/* ---- challenges ---------------------------------------------------------- */

/* A quoted-string at val[*i] (on the quote); unescaped into out. */
static void
quoted(const char *val, size_t len, size_t *i, char *out, size_t outsz)
{
	size_t o = 0;

	for ((*i)++; *i < len && val[*i] != '"'; (*i)++) {
		if (val[*i] == '\\' && *i + 1 < len)
			(*i)++;
		if (out != NULL && o + 1 < outsz)
			out[o++] = val[*i];
	}
	if (*i < len)
		(*i)++; /* the closing quote */
	if (out != NULL && outsz > 0)
		out[o] = '\0';
}

static bool
tok_char(char c)
{
	return c != ' ' && c != '\t' && c != ',' && c != '=' && c != '"';
}

/* An auth-param's value at val[*i]: quoted, or a token up to , or blank. */
static void
param_value(const char *val, size_t len, size_t *i, char *out, size_t outsz)
{
	size_t o = 0;

	if (*i < len && val[*i] == '"') {
		quoted(val, len, i, out, outsz);
		return;
	}
	for (; *i < len && val[*i] != ',' && !is_blank(val[*i]); (*i)++)
		if (out != NULL && o + 1 < outsz)
			out[o++] = val[*i];
	if (out != NULL && outsz > 0)
		out[o] = '\0';
}

int
ux_next_realm(const char *val, size_t len, size_t *pos, char *out, size_t outsz)
{
	size_t i = *pos, t, tlen;

	while (i < len) {
		if (is_blank(val[i]) || val[i] == ',' || val[i] == '=') {
			i++;
			continue;
		}
		if (val[i] == '"') { /* stray: skip it whole */
			quoted(val, len, &i, NULL, 0);
			continue;
		}
		for (t = i; i < len && tok_char(val[i]); i++)
			;
		tlen = i - t;
		while (i < len && is_blank(val[i]))
			i++;
		if (i >= len || val[i] != '=')
			continue; /* a scheme name (or a token68) */
		for (i++; i < len && is_blank(val[i]); i++)
			;
		if (tlen == 5 && strncasecmp(val + t, "realm", 5) == 0) {
			param_value(val, len, &i, out, outsz);
			*pos = i;
			return 1;
		}
		param_value(val, len, &i, NULL, 0);
	}
	*pos = len;
	return 0;
}

static bool
all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

int
ux_realm_mac(const char *realm, uint8_t mac[6])
{
	static const char *const prefix[] = {"AXIS_WS_", "AXIS_", "iPolis_"};
	size_t i, k;

	if (strlen(realm) == 12 && all_hex(realm, 12))
		return str_parse_mac(realm, mac);
	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++) {
		k = strlen(prefix[i]);
		if (strncasecmp(realm, prefix[i], k) == 0)
			return str_parse_mac(realm + k, mac);
	}
	return -1;
}

/* ---- pages --------------------------------------------------------------- */

/* Case-insensitive search of an ASCII needle in n bytes. */
static const char *
find_ci(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (strncasecmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

int
ux_html_title(const char *body, size_t len, char *out, size_t outsz)
{
	const char *end = body + len, *p = body, *t, *gt, *close;
	size_t n;

	for (;;) {
		t = find_ci(p, (size_t)(end - p), "<title");
		if (t == NULL)
			return -1;
		p = t + 6;
		if (p < end && (*p == '>' || isspace((unsigned char)*p)))
			break;
	}
	gt = memchr(p, '>', (size_t)(end - p));
	if (gt == NULL)
		return -1;
	gt++;
	close = find_ci(gt, (size_t)(end - gt), "</title");
	if (close == NULL || outsz == 0)
		return -1;
	n = (size_t)(close - gt);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, gt, n);
	out[n] = '\0';
	return 0;
}

/* ---- facts of a head ----------------------------------------------------- */

/*
 * Dahua's servers send CONNECTION, CONTENT-LENGTH, CACHE-CONTROL and
 * CONTENT-TYPE in capitals but Etag and P3P as others do: the style is
 * "every header name longer than four characters is in capitals", with at
 * least two such names.
 */
static bool
upper_case_style(const struct ux_head *h)
{
	size_t i, k, long_names = 0;

	for (i = 0; i < h->n; i++) {
		const struct ux_header *x = &h->h[i];
		if (x->name_len <= 4)
			continue;
		for (k = 0; k < x->name_len; k++)
			if (islower((unsigned char)x->name[k]))
				return false;
		long_names++;
	}
	return long_names >= 2;
}

static void
add_text(struct cam_identity *id, enum cam_fact_kind k, enum cam_probe p,
    const struct ux_header *x)
{
	if (x != NULL)
		fact_n(id, k, p, x->value, x->value_len);
}

static void
realm_facts(const struct ux_head *h, enum cam_probe p, enum cam_fact_kind k,
    struct cam_identity *id)
{
	const struct ux_header *x;
	char realm[CAM_FACT_MAX];
	uint8_t mac[6];
	size_t i = 0, pos;

	while ((x = ux_header_next(h, "WWW-Authenticate", &i)) != NULL) {
		pos = 0;
		while (ux_next_realm(
		    x->value, x->value_len, &pos, realm, sizeof(realm))) {
			ux_fact(id, k, p, realm);
			if (ux_realm_mac(realm, mac) == 0)
				ux_add_mac(id, mac);
		}
	}
}

void
ux_head_facts(const struct ux_head *h, enum cam_probe p, bool rtsp,
    struct cam_identity *id)
{
	const struct ux_header *server = first_header(h, "Server");

	if (rtsp) {
		add_text(id, FACT_RTSP_SERVER, p, server);
		add_text(id, FACT_RTSP_PUBLIC, p, first_header(h, "Public"));
		add_text(id, FACT_RTSP_DATE, p, first_header(h, "Date"));
		realm_facts(h, p, FACT_RTSP_REALM, id);
		return;
	}
	if (server != NULL)
		add_text(id, FACT_HTTP_SERVER, p, server);
	else
		ux_fact(id, FACT_HTTP_STYLE, p, "no-server");
	if (upper_case_style(h))
		ux_fact(id, FACT_HTTP_STYLE, p, "upper-case-headers");
	realm_facts(h, p, FACT_HTTP_REALM, id);
}

/* ---- RPC2_Login ---------------------------------------------------------- */

static const char *
json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

struct json_object *
ux_json_object(const char *body, size_t len, size_t max, int depth)
{
	struct json_tokener *tok;
	struct json_object *o;

	while (len > 0 &&
	    (body[len - 1] == '\0' || isspace((unsigned char)body[len - 1])))
		len--;
	if (len == 0 || len > max || memchr(body, '\0', len) != NULL ||
	    (tok = json_tokener_new_ex(depth)) == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, body, (int)len);
	if (o != NULL &&
	    (json_tokener_get_error(tok) != json_tokener_success ||
		json_tokener_get_parse_end(tok) != len ||
		!json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

int
ux_rpc2_facts(
    const char *body, size_t len, enum cam_probe p, struct cam_identity *id)
{
	struct json_object *o =
	    ux_json_object(body, len, UX_RPC2_MAX, UX_JSON_DEPTH);
	struct json_object *params;
	const char *realm, *mac;
	uint8_t m[6];
	size_t n;

	if (o == NULL)
		return -1;
	if (!json_object_object_get_ex(o, "params", &params) ||
	    !json_object_is_type(params, json_type_object) ||
	    ((realm = json_str(params, "realm")) == NULL &&
		json_str(params, "random") == NULL)) {
		json_object_put(o);
		return -1;
	}
	ux_fact(id, FACT_PROTOCOL, p, "rpc2");
	if (realm != NULL) {
		ux_fact(id, FACT_HTTP_REALM, p, realm);
		n = strlen(realm);
		if (n > 9 && strncmp(realm, "Login to ", 9) == 0 &&
		    !(n == 9 + 32 && all_hex(realm + 9, 32)))
			ux_fact(id, FACT_SERIAL, p, realm + 9);
	}
	if ((mac = json_str(params, "mac")) != NULL &&
	    str_parse_mac(mac, m) == 0)
		ux_add_mac(id, m);
	json_object_put(o);
	return 0;
}
