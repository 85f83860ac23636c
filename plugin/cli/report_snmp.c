/*
 * report_snmp.c: the report from a live agent (snmp://HOST[:PORT]): the
 * camSummary scalars it names the policy by, then camDeviceTable.  The
 * table is walked with every column it needs side by side (GETBULK, one
 * varbind per column not yet finished), so a table of N rows costs about
 * N / REPORT_BULK round trips.  Numeric OIDs from gen/cam_mib.h only: no
 * MIB file is read, nothing is written to disk.  Main thread only.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"
#include "common/strutil.h"
#include "gen/cam_mib.h"
#include "policy/policy.h"

#define REPORT_BULK 25

static const oid summary_oid[] = {CAM_OID_camSummary};
static const oid entry_oid[] = {CAM_OID_camDeviceEntry};

/* The columns read, and the field each fills. */
static const struct {
	oid col;
	enum rep_field field;
} cols[] = {
    {CAM_COL_camDeviceAddressText, RF_ADDRESS},
    {CAM_COL_camDeviceServiceUrl, RF_URL},
    {CAM_COL_camDeviceManufacturer, RF_MANUFACTURER},
    {CAM_COL_camDeviceModel, RF_MODEL},
    {CAM_COL_camDeviceFirmware, RF_FIRMWARE},
    {CAM_COL_camDeviceSerial, RF_SERIAL},
    {CAM_COL_camDeviceMacAddress, RF_MAC},
    {CAM_COL_camDeviceSite, RF_SITE},
    {CAM_COL_camDeviceZone, RF_ZONE},
    {CAM_COL_camDeviceVerdict, RF_VERDICT},
    {CAM_COL_camDeviceMaker, RF_MAKER},
    {CAM_COL_camDeviceEvidence, RF_EVIDENCE},
    {CAM_COL_camDeviceReason, RF_REASON},
    {CAM_COL_camDeviceAction, RF_ACTION},
    {CAM_COL_camDeviceLists, RF_LISTS},
    {CAM_COL_camDeviceBrand, RF_BRAND},
    {CAM_COL_camDeviceJurisdiction, RF_JURISDICTION},
};
#define N_COLS (sizeof(cols) / sizeof(cols[0]))

struct walk {
	struct report *r;
	void *ss;
	const char *url;
	int version;
	oid *index; /* r->cams[i] is the row of index[i], ascending */
	size_t icap;
	char *err;
	size_t errsz;
};

/* "snmp://HOST[:PORT][/]" as Net-SNMP's peer name; -1 when malformed. */
static int
peer_name(const char *url, char *peer, size_t peersz)
{
	const char *h = url + 7, *end, *port = "161";
	char host[256];
	size_t n;

	if (*h == '[') {
		if ((end = strchr(h, ']')) == NULL)
			return -1;
		h++;
		n = (size_t)(end - h);
		end++;
	} else {
		n = strcspn(h, ":/");
		end = h + n;
	}
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	if (*end == ':') {
		port = end + 1;
		n = strspn(port, "0123456789");
		if (n == 0 || n > 5 || atol(port) < 1 || atol(port) > 65535 ||
		    (port[n] != '\0' && strcmp(port + n, "/") != 0))
			return -1;
	} else if (*end != '\0' && strcmp(end, "/") != 0)
		return -1;
	/* A name or IPv4 address; in brackets, an IPv6 address. */
	if (strspn(host,
		strchr(host, ':')
		    ? "0123456789abcdefABCDEF:."
		    : "0123456789abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-") != strlen(host))
		return -1;
	snprintf(peer, peersz,
	    strchr(host, ':') ? "udp6:[%s]:%.*s" : "udp:%s:%.*s", host,
	    (int)strspn(port, "0123456789"), port);
	return 0;
}

static int
set_v3(netsnmp_session *s, const struct report_snmp_opts *o, char *err,
    size_t errsz)
{
	const char *ap = o->auth_proto ? o->auth_proto : "SHA";
	const char *pp = o->priv_proto ? o->priv_proto : "AES";
	const char *lv = o->level;
	size_t len;
	int t;
	oid *p;

	if (o->user == NULL) {
		snprintf(err, errsz, "SNMPv3 needs a user (-u)");
		return -1;
	}
	s->securityName = strdup(o->user);
	s->securityNameLen = strlen(o->user);
	if (lv == NULL)
		lv = o->priv_pass  ? "authPriv"
		    : o->auth_pass ? "authNoPriv"
				   : "noAuthNoPriv";
	if (strcasecmp(lv, "noAuthNoPriv") == 0)
		s->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	else if (strcasecmp(lv, "authNoPriv") == 0)
		s->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
	else if (strcasecmp(lv, "authPriv") == 0)
		s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	else {
		snprintf(
		    err, errsz, "-l is noAuthNoPriv, authNoPriv or authPriv");
		return -1;
	}
	if (s->securityLevel == SNMP_SEC_LEVEL_NOAUTH)
		return 0;
	if ((t = usm_lookup_auth_type(ap)) < 0 ||
	    (p = sc_get_auth_oid(t, &len)) == NULL) {
		snprintf(err, errsz, "-a: unknown authentication protocol");
		return -1;
	}
	if (o->auth_pass == NULL) {
		snprintf(err, errsz,
		    "-l %s needs an authentication passphrase "
		    "(--auth-pass-file or -A)",
		    lv);
		return -1;
	}
	s->securityAuthProto = snmp_duplicate_objid(p, len);
	s->securityAuthProtoLen = len;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (generate_Ku(p, len, (const u_char *)o->auth_pass,
		strlen(o->auth_pass), s->securityAuthKey,
		&s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errsz,
		    "cannot derive a key from the authentication passphrase "
		    "(at least 8 characters)");
		return -1;
	}
	if (s->securityLevel != SNMP_SEC_LEVEL_AUTHPRIV)
		return 0;
	if ((t = usm_lookup_priv_type(pp)) < 0 ||
	    (p = sc_get_priv_oid(t, &len)) == NULL) {
		snprintf(err, errsz, "-x: unknown privacy protocol");
		return -1;
	}
	if (o->priv_pass == NULL) {
		snprintf(err, errsz,
		    "-l authPriv needs a privacy passphrase "
		    "(--priv-pass-file or -X)");
		return -1;
	}
	s->securityPrivProto = snmp_duplicate_objid(p, len);
	s->securityPrivProtoLen = len;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (generate_Ku(s->securityAuthProto, s->securityAuthProtoLen,
		(const u_char *)o->priv_pass, strlen(o->priv_pass),
		s->securityPrivKey,
		&s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errsz,
		    "cannot derive a key from the privacy passphrase "
		    "(at least 8 characters)");
		return -1;
	}
	return 0;
}

static void *
open_session(struct walk *w, const struct report_snmp_opts *o, char *peer)
{
	netsnmp_session s;
	void *ss = NULL;
	char *e = NULL;
	const char *v = o->version ? o->version : o->user ? "3" : "2c";

	snmp_sess_init(&s);
	s.peername = peer;
	s.retries = o->retries;
	s.timeout = (long)(o->timeout * 1000000.0);
	w->version = s.version = strcmp(v, "1") == 0 ? SNMP_VERSION_1
	    : strcmp(v, "3") == 0		     ? SNMP_VERSION_3
						     : SNMP_VERSION_2c;
	if (s.version == SNMP_VERSION_3) {
		if (set_v3(&s, o, w->err, w->errsz) != 0)
			goto out;
	} else if (o->community == NULL) {
		snprintf(w->err, w->errsz,
		    "SNMPv%s needs a community (--community-file or -c)", v);
		goto out;
	} else {
		s.community = (u_char *)strdup(o->community);
		s.community_len = strlen(o->community);
	}
	if ((ss = snmp_sess_open(&s)) == NULL) {
		snmp_error(&s, NULL, NULL, &e);
		snprintf(w->err, w->errsz, "%s: cannot open a session: %s",
		    w->url, e ? e : "unknown error");
		free(e);
	}
out:
	if (s.community != NULL) {
		explicit_bzero(s.community, s.community_len);
		free(s.community);
	}
	free(s.securityName);
	free(s.securityAuthProto);
	free(s.securityPrivProto);
	explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
	explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
	return ss;
}

/* The answer to req, or NULL with err set. */
static netsnmp_pdu *
request(struct walk *w, netsnmp_pdu *req)
{
	netsnmp_pdu *resp = NULL;
	char *e = NULL;
	int st = snmp_sess_synch_response(w->ss, req, &resp);

	if (st == STAT_TIMEOUT) {
		snprintf(w->err, w->errsz,
		    "%s: no answer (agent down, wrong community or SNMPv3 "
		    "credentials?)",
		    w->url);
	} else if (st != STAT_SUCCESS || resp == NULL) {
		snmp_sess_error(w->ss, NULL, NULL, &e);
		snprintf(
		    w->err, w->errsz, "%s: %s", w->url, e ? e : "SNMP error");
		free(e);
	} else if (resp->errstat != SNMP_ERR_NOERROR) {
		snprintf(w->err, w->errsz, "%s: %s", w->url,
		    snmp_errstring(resp->errstat));
	} else
		return resp;
	snmp_free_pdu(resp);
	return NULL;
}

static int
vb_text(char **field, const netsnmp_variable_list *vb)
{
	char *s;
	int rc;

	if (vb->type != ASN_OCTET_STR)
		return report_meta(field, "");
	if ((s = strndup((const char *)vb->val.string,
		 vb->val_len < REPORT_FIELD_MAX ? vb->val_len
						: REPORT_FIELD_MAX)) == NULL)
		return -1;
	rc = report_meta(field, s);
	free(s);
	return rc;
}

static int
get_summary(struct walk *w)
{
	static const oid subs[] = {CAM_SCALAR_camPolicyVersion,
	    CAM_SCALAR_camPolicyDate, CAM_SCALAR_camRegistryDate};
	char **dst[] = {
	    &w->r->policy_version, &w->r->policy_date, &w->r->registry_date};
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GET), *resp;
	netsnmp_variable_list *vb;
	oid name[MAX_OID_LEN];
	size_t i, len = OID_LENGTH(summary_oid);
	int rc = 0;

	memcpy(name, summary_oid, sizeof(summary_oid));
	for (i = 0; i < 3; i++) {
		name[len] = subs[i];
		name[len + 1] = 0;
		snmp_add_null_var(req, name, len + 2);
	}
	if ((resp = request(w, req)) == NULL)
		return -1;
	for (i = 0, vb = resp->variables; vb && i < 3;
	     i++, vb = vb->next_variable) {
		if (vb->type == SNMP_NOSUCHOBJECT ||
		    vb->type == SNMP_NOSUCHINSTANCE ||
		    vb->type == SNMP_ENDOFMIBVIEW) {
			snprintf(w->err, w->errsz,
			    "%s: CAMERA-COMPLIANCE-MIB is not served "
			    "(is camcomplyd running and connected?)",
			    w->url);
			rc = -1;
			break;
		}
		if (vb_text(dst[i], vb) != 0)
			rc = -1;
	}
	snmp_free_pdu(resp);
	return rc;
}

/* The row of index: found by binary search, else added in place. */
static struct report_cam *
row_at(struct walk *w, oid index)
{
	struct report *r = w->r;
	size_t lo = 0, hi = r->n, mid;
	struct report_cam c;
	oid *ni;

	if (r->n > 0 && w->index[r->n - 1] < index)
		lo = r->n; /* the common case: a new row at the end */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->index[mid] < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n && w->index[lo] == index)
		return &r->cams[lo];
	if (r->n == w->icap) {
		size_t cap = w->icap ? w->icap * 2 : 64;
		if ((ni = realloc(w->index, cap * sizeof(*ni))) == NULL)
			return NULL;
		w->index = ni;
		w->icap = cap;
	}
	if (report_add(r) == NULL)
		return NULL;
	c = r->cams[r->n - 1];
	memmove(
	    &r->cams[lo + 1], &r->cams[lo], (r->n - 1 - lo) * sizeof(*r->cams));
	memmove(&w->index[lo + 1], &w->index[lo],
	    (r->n - 1 - lo) * sizeof(*w->index));
	r->cams[lo] = c;
	w->index[lo] = index;
	return &r->cams[lo];
}

static int
store_value(
    struct report_cam *c, enum rep_field f, const netsnmp_variable_list *vb)
{
	long v = vb->type == ASN_INTEGER ? *vb->val.integer : 0;
	char buf[512];
	size_t i, n = 0;

	switch (f) {
	case RF_ZONE:
		return report_set(c, f, policy_zone_name(v));
	case RF_VERDICT:
		return report_set(c, f, policy_verdict_name(v));
	case RF_ACTION:
		return report_set(c, f, policy_action_name(v));
	case RF_MAC:
		if (vb->type == ASN_OCTET_STR && vb->val_len == 6)
			return report_set(
			    c, f, str_format_mac(vb->val.string, buf, 18));
		return 0;
	case RF_EVIDENCE:
		buf[0] = '\0';
		for (i = 0; vb->type == ASN_OCTET_STR && i < vb->val_len * 8 &&
		     i < 64 && n < sizeof(buf);
		     i++)
			if (vb->val.string[i / 8] & (0x80 >> (i % 8)))
				n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				    "%s%s", n ? " " : "",
				    policy_evidence_name((int)i));
		return report_set(c, f, buf);
	default:
		if (vb->type != ASN_OCTET_STR)
			return 0;
		return report_setn(
		    c, f, (const char *)vb->val.string, vb->val_len);
	}
}

/* One answer's varbinds, row after row; -1 with err set. */
static int
take_answer(struct walk *w, netsnmp_pdu *resp, oid (*cur)[MAX_OID_LEN],
    size_t *curlen, int *done, const int *act, int nact)
{
	size_t plen = OID_LENGTH(entry_oid) + 1;
	netsnmp_variable_list *vb;
	struct report_cam *c;
	int i, j;

	for (j = 0, vb = resp->variables; vb; vb = vb->next_variable, j++) {
		i = act[j % nact];
		if (done[i])
			continue;
		/* Out of the column, or a column that does not move on. */
		if (vb->type == SNMP_ENDOFMIBVIEW ||
		    vb->type == SNMP_NOSUCHOBJECT ||
		    vb->type == SNMP_NOSUCHINSTANCE ||
		    vb->name_length != plen + 1 ||
		    snmp_oid_ncompare(vb->name, plen, cur[i], plen, plen) !=
			0 ||
		    snmp_oid_compare(
			vb->name, vb->name_length, cur[i], curlen[i]) <= 0) {
			done[i] = 1;
			continue;
		}
		if ((c = row_at(w, vb->name[plen])) == NULL ||
		    store_value(c, cols[i].field, vb) != 0) {
			snprintf(w->err, w->errsz,
			    "%s: more than %d cameras, or out of memory",
			    w->url, REPORT_MAX_CAMS);
			return -1;
		}
		memcpy(cur[i], vb->name, vb->name_length * sizeof(oid));
		curlen[i] = vb->name_length;
	}
	return 0;
}

static int
walk_table(struct walk *w)
{
	static oid cur[N_COLS][MAX_OID_LEN];
	size_t curlen[N_COLS], plen = OID_LENGTH(entry_oid) + 1, i;
	int act[N_COLS], done[N_COLS] = {0}, nact, j, rc = 0;
	netsnmp_pdu *req, *resp;

	for (i = 0; i < N_COLS; i++) {
		memcpy(cur[i], entry_oid, sizeof(entry_oid));
		cur[i][plen - 1] = cols[i].col;
		curlen[i] = plen;
	}
	while (rc == 0) {
		for (nact = 0, i = 0; i < N_COLS; i++)
			if (!done[i])
				act[nact++] = (int)i;
		if (nact == 0)
			break;
		if (w->version == SNMP_VERSION_1) {
			req = snmp_pdu_create(SNMP_MSG_GETNEXT);
		} else {
			req = snmp_pdu_create(SNMP_MSG_GETBULK);
			req->non_repeaters = 0;
			req->max_repetitions = REPORT_BULK;
		}
		for (j = 0; j < nact; j++)
			snmp_add_null_var(req, cur[act[j]], curlen[act[j]]);
		if ((resp = request(w, req)) == NULL)
			return -1;
		if (resp->variables == NULL) {
			snprintf(w->err, w->errsz,
			    "%s: empty answer while walking camDeviceTable",
			    w->url);
			rc = -1;
		} else
			rc = take_answer(w, resp, cur, curlen, done, act, nact);
		snmp_free_pdu(resp);
	}
	return rc;
}

bool
report_snmp_url_ok(const char *url)
{
	char peer[320];

	return strncmp(url, "snmp://", 7) == 0 &&
	    peer_name(url, peer, sizeof(peer)) == 0;
}

int
report_from_snmp(struct report *r, const char *url,
    const struct report_snmp_opts *o, char *err, size_t errsz)
{
	struct walk w = {.r = r, .url = url, .err = err, .errsz = errsz};
	char peer[320];
	int rc;

	r->kind = "snmp";
	if (peer_name(url, peer, sizeof(peer)) != 0) {
		snprintf(err, errsz,
		    "%s: not snmp://HOST[:PORT] (HOST a name, an IPv4 "
		    "address or an [IPv6] address)",
		    url);
		return -1;
	}
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	init_snmp("camcomply");
	if ((w.ss = open_session(&w, o, peer)) == NULL) {
		snmp_shutdown("camcomply");
		return -1;
	}
	rc = get_summary(&w);
	if (rc == 0)
		rc = walk_table(&w);
	snmp_sess_close(w.ss);
	snmp_shutdown("camcomply");
	free(w.index);
	return rc;
}
