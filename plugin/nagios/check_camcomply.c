/*
 * check_camcomply.c: a Nagios/Icinga plugin (Monitoring Plugins
 * conventions) that reads CAMERA-COMPLIANCE-MIB from camcomplyd's master
 * agent over SNMP v1, v2c or v3.
 *
 * Owns one SNMP session (Net-SNMP's single session API), a GET of the summary
 * scalars, a column-parallel GETBULK walk of the camDeviceTable columns it
 * reports, the per-zone thresholds and the output: one status line with
 * performance data, then one line per offending camera.  Single-threaded; exits
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "nagios/check_camcomply.h"
#include "common/secret.h"

/*
 * CAMERA-COMPLIANCE-MIB's OIDs, column numbers, enumerations and their
 * names: generated from the MIB at build time (scripts/mibgen.awk).
 */
#include "gen/cam_mib.h"

static const oid summary_oid[] = {CAM_OID_camSummary};
static const oid entry_oid[] = {CAM_OID_camDeviceEntry};

/* check_camcomply.h numbers zones as the MIB does (its bit masks). */
_Static_assert(Z_GENERAL == CAM_CamZone_general && Z_CORE == CAM_CamZone_core &&
	Z_SENSITIVE == CAM_CamZone_sensitive && CAM_CamZone_MAX == Z_SENSITIVE,
    "check_camcomply.h's zones are CamZone");

/* Summary scalars, in the order they are asked for. */
static const struct {
	int sub;
	const char *label;
} scalars[] = {{CAM_SCALAR_camDevicesTotal, "total"},
    {CAM_SCALAR_camDevicesCompliant, "compliant"},
    {CAM_SCALAR_camDevicesRestricted, "restricted"},
    {CAM_SCALAR_camDevicesUnidentified, "unidentified"},
    {CAM_SCALAR_camDevicesUnreachable, "unreachable"},
    {CAM_SCALAR_camRestrictedOnSensitive, "restricted_sensitive"},
    {CAM_SCALAR_camRestrictedOnCore, "restricted_core"},
    {CAM_SCALAR_camPollRoundsCompleted, "rounds"},
    {CAM_SCALAR_camPolicyVersion, NULL}};
#define N_SCALARS (sizeof(scalars) / sizeof(scalars[0]))
#define N_PERF 7 /* the counts published as performance data */
#define S_ROUNDS 7
#define S_POLICY 8

/* Table columns read; the order is the order of the varbinds. */
enum {
	C_ATYPE,
	C_ADDR,
	C_SITE,
	C_ZONE,
	C_VERDICT,
	C_MAKER,
	C_BRAND,
	C_JURIS,
	C_REASON,
	C_ACTION,
	C_POLL,
	N_COLS
};
static const oid col_sub[N_COLS] = {[C_ATYPE] = CAM_COL_camDeviceAddressType,
    [C_ADDR] = CAM_COL_camDeviceAddress,
    [C_SITE] = CAM_COL_camDeviceSite,
    [C_ZONE] = CAM_COL_camDeviceZone,
    [C_VERDICT] = CAM_COL_camDeviceVerdict,
    [C_MAKER] = CAM_COL_camDeviceMaker,
    [C_BRAND] = CAM_COL_camDeviceBrand,
    [C_JURIS] = CAM_COL_camDeviceJurisdiction,
    [C_REASON] = CAM_COL_camDeviceReason,
    [C_ACTION] = CAM_COL_camDeviceAction,
    [C_POLL] = CAM_COL_camDevicePollStatus};

struct cam {
	oid index;
	long atype, zone, verdict, action, poll;
	u_char addr[20];
	size_t addrlen;
	char site[64], maker[64], brand[64], juris[8], reason[200];
	int state, kind; /* worst state and the kind that caused it */
};

static struct cam *cams;
static size_t ncams, capcams;

static const char *const state_name[] = {
    "OK", "WARNING", "CRITICAL", "UNKNOWN"};
static const char *const kind_name[] = {
    "restricted", "unidentified", "unreachable"};

void
unknown(const char *fmt, ...)
{
	va_list ap;

	printf("CAMCOMPLY UNKNOWN - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(ST_UNKNOWN);
}

static void
on_alarm(int sig)
{
	static const char msg[] = "CAMCOMPLY UNKNOWN - plugin timed out\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(ST_UNKNOWN);
	_exit(ST_UNKNOWN);
}

/* Fills the v3 part of a session: protocols, then keys from passphrases. */
static void
session_v3(netsnmp_session *s, const struct opts *o)
{
	const char *ap = o->authproto ? o->authproto : "SHA";
	const char *pp = o->privproto ? o->privproto : "AES";
	int at, pt;
	oid *p;
	size_t len;

	s->securityName = strdup(o->secname);
	s->securityNameLen = strlen(o->secname);
	s->securityLevel = o->seclevel >= 0 ? o->seclevel
	    : o->privpass		    ? SNMP_SEC_LEVEL_AUTHPRIV
	    : o->authpass		    ? SNMP_SEC_LEVEL_AUTHNOPRIV
					    : SNMP_SEC_LEVEL_NOAUTH;
	if (o->context != NULL) {
		s->contextName = strdup(o->context);
		s->contextNameLen = strlen(o->context);
	}
	if (s->securityLevel == SNMP_SEC_LEVEL_NOAUTH)
		return;
	if ((at = usm_lookup_auth_type(ap)) < 0 ||
	    (p = sc_get_auth_oid(at, &len)) == NULL)
		unknown("-a: unknown authentication protocol '%s'", ap);
	if (o->authpass == NULL)
		unknown("-L %s needs an authentication passphrase (-A)",
		    s->securityLevel == SNMP_SEC_LEVEL_AUTHPRIV ? "authPriv"
								: "authNoPriv");
	s->securityAuthProto = snmp_duplicate_objid(p, len);
	s->securityAuthProtoLen = len;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (generate_Ku(s->securityAuthProto, len, (const u_char *)o->authpass,
		strlen(o->authpass), s->securityAuthKey,
		&s->securityAuthKeyLen) != SNMPERR_SUCCESS)
		unknown("cannot derive a key from the authentication "
			"passphrase (at least 8 characters)");
	if (s->securityLevel != SNMP_SEC_LEVEL_AUTHPRIV)
		return;
	if ((pt = usm_lookup_priv_type(pp)) < 0 ||
	    (p = sc_get_priv_oid(pt, &len)) == NULL)
		unknown("-x: unknown privacy protocol '%s'", pp);
	if (o->privpass == NULL)
		unknown("-L authPriv needs a privacy passphrase (-X)");
	s->securityPrivProto = snmp_duplicate_objid(p, len);
	s->securityPrivProtoLen = len;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (generate_Ku(s->securityAuthProto, s->securityAuthProtoLen,
		(const u_char *)o->privpass, strlen(o->privpass),
		s->securityPrivKey, &s->securityPrivKeyLen) != SNMPERR_SUCCESS)
		unknown("cannot derive a key from the privacy passphrase "
			"(at least 8 characters)");
}

static void *
open_session(const struct opts *o, char *peer, size_t peersz)
{
	netsnmp_session s;
	void *ss;
	char *err = NULL;

	if (strchr(o->host, ':') != NULL)
		snprintf(peer, peersz, "udp6:[%s]:%s", o->host, o->port);
	else
		snprintf(peer, peersz, "udp:%s:%s", o->host, o->port);
	snmp_sess_init(&s);
	s.peername = peer;
	s.version = o->version;
	s.retries = o->retries;
	/* Every try of every request must fit in the plugin's deadline. */
	s.timeout = (long)o->timeout * 1000000L / (o->retries + 1) / 2;
	if (o->version == SNMP_VERSION_3) {
		session_v3(&s, o);
	} else {
		s.community = (u_char *)strdup(o->community);
		s.community_len = strlen(o->community);
	}
	if ((ss = snmp_sess_open(&s)) == NULL) {
		snmp_error(&s, NULL, NULL, &err);
		unknown("cannot open an SNMP session to %s: %s", peer,
		    err ? err : "unknown error");
	}
	return ss;
}

/* Sends a request; answers UNKNOWN on no answer or an error status. */
static netsnmp_pdu *
request(void *ss, netsnmp_pdu *req, const char *peer)
{
	netsnmp_pdu *resp = NULL;
	char *err = NULL;
	int st = snmp_sess_synch_response(ss, req, &resp);

	if (st == STAT_TIMEOUT)
		unknown("no answer from %s (agent down, wrong community or "
			"SNMPv3 credentials?)",
		    peer);
	if (st != STAT_SUCCESS || resp == NULL) {
		snmp_sess_error(ss, NULL, NULL, &err);
		unknown("SNMP error talking to %s: %s", peer,
		    err ? err : "unknown error");
	}
	if (resp->errstat == SNMP_ERR_NOSUCHNAME)
		unknown("CAMERA-COMPLIANCE-MIB not found on %s (noSuchName): "
			"is camcomplyd running and connected to the agent?",
		    peer);
	if (resp->errstat != SNMP_ERR_NOERROR)
		unknown("SNMP error from %s: %s", peer,
		    snmp_errstring(resp->errstat));
	return resp;
}

static void
get_summary(void *ss, const char *peer, long *val, char *policy, size_t polsz)
{
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GET), *resp;
	netsnmp_variable_list *vb;
	oid name[MAX_OID_LEN];
	size_t i, len = OID_LENGTH(summary_oid);

	memcpy(name, summary_oid, sizeof(summary_oid));
	for (i = 0; i < N_SCALARS; i++) {
		name[len] = scalars[i].sub;
		name[len + 1] = 0;
		snmp_add_null_var(req, name, len + 2);
	}
	resp = request(ss, req, peer);
	for (i = 0, vb = resp->variables; vb != NULL && i < N_SCALARS;
	     i++, vb = vb->next_variable) {
		if (vb->type == SNMP_NOSUCHOBJECT ||
		    vb->type == SNMP_NOSUCHINSTANCE ||
		    vb->type == SNMP_ENDOFMIBVIEW)
			unknown("CAMERA-COMPLIANCE-MIB not found on %s "
				"(noSuchObject): is camcomplyd running and "
				"connected to the agent?",
			    peer);
		if (i == S_POLICY && vb->type == ASN_OCTET_STR) {
			len = vb->val_len < polsz ? vb->val_len : polsz - 1;
			memcpy(policy, vb->val.string, len);
			policy[len] = '\0';
		} else if (vb->type != ASN_OCTET_STR) {
			val[i] = (long)*vb->val.integer;
		}
	}
	if (i != N_SCALARS)
		unknown("short answer from %s to the summary GET", peer);
	snmp_free_pdu(resp);
}

static struct cam *
cam_at(oid index)
{
	size_t lo = 0, hi = ncams, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cams[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ncams && cams[lo].index == index)
		return &cams[lo];
	if (ncams == capcams) {
		capcams = capcams ? capcams * 2 : 64;
		if ((cams = reallocarray(cams, capcams, sizeof(*cams))) == NULL)
			unknown("out of memory");
	}
	memmove(&cams[lo + 1], &cams[lo], (ncams - lo) * sizeof(*cams));
	ncams++;
	memset(&cams[lo], 0, sizeof(*cams));
	cams[lo].index = index;
	return &cams[lo];
}

/* Copies a DisplayString, making it safe for one line of plugin output. */
static void
copy_text(char *dst, size_t dstsz, const netsnmp_variable_list *vb)
{
	size_t i, n = vb->type == ASN_OCTET_STR ? vb->val_len : 0;

	if (n >= dstsz)
		n = dstsz - 1;
	for (i = 0; i < n; i++) {
		u_char ch = vb->val.string[i];

		/* '|' would start performance data, newlines new lines. */
		dst[i] = ch == '|' ? '/' : (ch < 0x20 || ch == 0x7f) ? ' ' : ch;
	}
	dst[n] = '\0';
}

static void
store_value(struct cam *c, int col, const netsnmp_variable_list *vb)
{
	long v = vb->type == ASN_INTEGER ? *vb->val.integer : 0;

	switch (col) {
	case C_ATYPE:
		c->atype = v;
		break;
	case C_ZONE:
		c->zone = v;
		break;
	case C_VERDICT:
		c->verdict = v;
		break;
	case C_ACTION:
		c->action = v;
		break;
	case C_POLL:
		c->poll = v;
		break;
	case C_SITE:
		copy_text(c->site, sizeof(c->site), vb);
		break;
	case C_MAKER:
		copy_text(c->maker, sizeof(c->maker), vb);
		break;
	case C_BRAND:
		copy_text(c->brand, sizeof(c->brand), vb);
		break;
	case C_JURIS:
		copy_text(c->juris, sizeof(c->juris), vb);
		break;
	case C_REASON:
		copy_text(c->reason, sizeof(c->reason), vb);
		break;
	case C_ADDR:
		if (vb->type == ASN_OCTET_STR &&
		    vb->val_len <= sizeof(c->addr)) {
			memcpy(c->addr, vb->val.string, vb->val_len);
			c->addrlen = vb->val_len;
		}
		break;
	}
}

/*
 * Walks all columns side by side: each request carries one varbind per
 * column not yet finished, so a table of N rows costs about N / bulk
 * round trips, whatever the number of columns.
 */
static void
walk_table(void *ss, const struct opts *o, const char *peer)
{
	oid cur[N_COLS][MAX_OID_LEN];
	size_t curlen[N_COLS], plen = OID_LENGTH(entry_oid) + 1;
	int act[N_COLS], nact, i, j, done[N_COLS] = {0};
	netsnmp_pdu *req, *resp;
	netsnmp_variable_list *vb;

	for (i = 0; i < N_COLS; i++) {
		memcpy(cur[i], entry_oid, sizeof(entry_oid));
		cur[i][plen - 1] = col_sub[i];
		curlen[i] = plen;
	}
	for (;;) {
		for (nact = 0, i = 0; i < N_COLS; i++)
			if (!done[i])
				act[nact++] = i;
		if (nact == 0)
			break;
		if (o->version == SNMP_VERSION_1) {
			req = snmp_pdu_create(SNMP_MSG_GETNEXT);
		} else {
			req = snmp_pdu_create(SNMP_MSG_GETBULK);
			req->non_repeaters = 0;
			req->max_repetitions = o->bulk;
		}
		for (j = 0; j < nact; j++)
			snmp_add_null_var(req, cur[act[j]], curlen[act[j]]);
		resp = request(ss, req, peer);
		if (resp->variables == NULL)
			unknown("empty answer from %s while walking "
				"camDeviceTable",
			    peer);
		for (j = 0, vb = resp->variables; vb;
		     vb = vb->next_variable, j++) {
			i = act[j % nact];
			if (done[i])
				continue;
			/* Out of the column, or a column that does not move. */
			if (vb->type == SNMP_ENDOFMIBVIEW ||
			    vb->name_length != plen + 1 ||
			    snmp_oid_ncompare(
				vb->name, plen, cur[i], plen, plen) != 0 ||
			    snmp_oid_compare(vb->name, vb->name_length, cur[i],
				curlen[i]) <= 0) {
				done[i] = 1;
				continue;
			}
			store_value(cam_at(vb->name[plen]), i, vb);
			memcpy(cur[i], vb->name, vb->name_length * sizeof(oid));
			curlen[i] = vb->name_length;
		}
		snmp_free_pdu(resp);
	}
}

static void
format_addr(const struct cam *c, char *buf, size_t bufsz)
{
	if (c->atype == CAM_InetAddressType_ipv4 && c->addrlen == 4)
		inet_ntop(AF_INET, c->addr, buf, bufsz);
	else if (c->atype == CAM_InetAddressType_ipv6 && c->addrlen == 16)
		inet_ntop(AF_INET6, c->addr, buf, bufsz);
	else
		snprintf(buf, bufsz, "camera #%lu", (u_long)c->index);
}

/* Rates every camera against the thresholds; returns the worst state. */
static int
classify(const struct opts *o)
{
	size_t i;
	int k, st, worst = ST_OK;

	for (i = 0; i < ncams; i++) {
		struct cam *c = &cams[i];
		int is[K_MAX];
		unsigned z = c->zone >= Z_GENERAL && c->zone <= Z_SENSITIVE
		    ? ZBIT(c->zone)
		    : ZBIT(Z_GENERAL);

		/* Compliant with an action: a zone rule on its jurisdiction. */
		is[K_RESTRICTED] =
		    (c->verdict == CAM_CamVerdict_restricted ||
			c->verdict == CAM_CamVerdict_compliant) &&
		    c->action != CAM_CamAction_none;
		is[K_UNIDENTIFIED] =
		    c->verdict == CAM_CamVerdict_unidentified &&
		    c->action != CAM_CamAction_none &&
		    c->poll != CAM_CamPollStatus_pending;
		is[K_UNREACHABLE] = c->poll == CAM_CamPollStatus_timeout ||
		    c->poll == CAM_CamPollStatus_unreachable;
		c->state = ST_OK;
		for (k = 0; k < K_MAX; k++) {
			if (!is[k])
				continue;
			st = o->crit[k] & z  ? ST_CRITICAL
			    : o->warn[k] & z ? ST_WARNING
					     : ST_OK;
			if (st > c->state) {
				c->state = st;
				c->kind = k;
			}
		}
		if (c->state > worst)
			worst = c->state;
	}
	return worst;
}

/* "1 restricted camera on a sensitive site, 2 unidentified ..." */
static void
print_groups(int state)
{
	static const char *const one[] = {"", "on a general site",
	    "on the core network", "on a sensitive site"};
	static const char *const many[] = {"", "on general sites",
	    "on the core network", "on sensitive sites"};
	size_t i, n;
	int k, z, first = 1;

	for (k = 0; k < K_MAX; k++) {
		for (z = Z_SENSITIVE; z >= Z_GENERAL; z--) {
			for (n = 0, i = 0; i < ncams; i++)
				if (cams[i].state == state &&
				    cams[i].kind == k &&
				    (cams[i].zone == z ||
					(z == Z_GENERAL &&
					    (cams[i].zone < Z_GENERAL ||
						cams[i].zone > Z_SENSITIVE))))
					n++;
			if (n == 0)
				continue;
			printf("%s%zu %s camera%s %s", first ? "" : ", ", n,
			    kind_name[k], n == 1 ? "" : "s",
			    n == 1 ? one[z] : many[z]);
			first = 0;
		}
	}
}

static void
print_camera(const struct cam *c)
{
	char addr[INET6_ADDRSTRLEN + 16];

	format_addr(c, addr, sizeof(addr));
	/* An OEM rebrand says which name is on the camera's label. */
	printf("%s: %s camera %s, site %s (%s), maker %s%s%s%s%s%s%s, "
	       "action %s",
	    state_name[c->state], kind_name[c->kind], addr,
	    c->site[0] ? c->site : "-", CAM_ENUM_NAME(CamZone, c->zone),
	    c->maker[0] ? c->maker : "-", c->brand[0] ? " (sold as " : "",
	    c->brand, c->brand[0] ? ")" : "", c->juris[0] ? " (based in " : "",
	    c->juris, c->juris[0] ? ")" : "",
	    CAM_ENUM_NAME(CamAction, c->action));
	if (c->kind == K_UNREACHABLE)
		printf(", poll status %s\n",
		    CAM_ENUM_NAME(CamPollStatus, c->poll));
	else
		printf(": %s\n", c->reason[0] ? c->reason : "-");
}

static void
report(const struct opts *o, int worst, const long *val, const char *policy)
{
	size_t i, noff = 0, printed = 0;
	int st;

	printf("CAMCOMPLY %s - ", state_name[worst]);
	if (worst != ST_OK)
		print_groups(worst);
	else if (ncams == 0)
		printf("no cameras known");
	else
		printf("%zu camera%s, none offending", ncams,
		    ncams == 1 ? "" : "s");
	printf(" (policy %s) |", policy[0] ? policy : "?");
	for (i = 0; i < N_PERF; i++)
		printf(" %s=%ld;;;0", scalars[i].label, val[i]);
	for (i = 0; i < ncams; i++)
		noff += cams[i].state != ST_OK;
	printf(" offending=%zu;;;0\n", noff);
	for (st = ST_CRITICAL; st >= ST_WARNING; st--) {
		for (i = 0; i < ncams; i++) {
			if (cams[i].state != st)
				continue;
			if (o->max_lines > 0 &&
			    printed == (size_t)o->max_lines) {
				printf("... and %zu more\n", noff - printed);
				return;
			}
			print_camera(&cams[i]);
			printed++;
		}
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	char peer[300], policy[64] = "";
	long val[N_SCALARS] = {0};
	void *ss;
	int worst;

	/* No core file, no ptrace: the passphrases will be in this memory. */
	if (secret_no_core() != 0)
		unknown("cannot disable core dumps: %s", strerror(errno));
	parse_args(&o, argc, argv);
	signal(SIGALRM, on_alarm);
	alarm(o.timeout);
	/* Numeric OIDs only: no MIB files, nothing written to disk. */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	init_snmp(PROG);
	ss = open_session(&o, peer, sizeof(peer));
	wipe_secrets();
	get_summary(ss, peer, val, policy, sizeof(policy));
	if (val[S_ROUNDS] == 0)
		unknown("camcomplyd has not completed its first poll round "
			"yet");
	walk_table(ss, &o, peer);
	snmp_sess_close(ss);
	worst = classify(&o);
	report(&o, worst, val, policy);
	free(cams);
	return worst;
}
