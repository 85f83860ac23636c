/*
 * inproc_agent.c: a Net-SNMP master agent inside a Check test (see
 * inproc_agent.h), for Net-SNMP 5.9.3.
 *
 * What works there: init_agent() as a master opens an internal callback
 * session (callback_master_num) whatever the transports, as snmpd's iquery
 * uses it; a client callback session attached to it and
 * snmp_synch_response() carry a PDU through handle_snmp_packet and back.
 * No transport is opened (no init_master_agent()), no VACM is configured:
 * each request carries UCD_MSG_FLAG_ALWAYS_IN_VIEW, which in_a_view() and
 * check_access() honour.  send_v2trap() calls SNMPD_CALLBACK_SEND_TRAP2
 * with the notification whatever the trap sinks (it is the hook an AgentX
 * subagent forwards notifications from): that is where they are captured.
 * Main thread only.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/library/snmpCallbackDomain.h>

#include "inproc_agent.h"

/*
 * Defined and exported by libnetsnmpagent (snmp_vars.c), declared only in
 * a header Net-SNMP does not install (agent_global_vars.h).
 */
extern int callback_master_num;

static netsnmp_session *ss; /* our end of the agent's callback session */
static netsnmp_variable_list *traps[INPROC_TRAPS_MAX];
static int n_traps;

static int
trap_cb(int major, int minor, void *server, void *client)
{
	const netsnmp_pdu *pdu = server;

	(void)major;
	(void)minor;
	(void)client;
	if (n_traps < INPROC_TRAPS_MAX)
		traps[n_traps++] = snmp_clone_varbind(pdu->variables);
	return 0;
}

void
inproc_agent_up(const char *app, const char *dir, int (*registrations)(void))
{
	static bool up;

	if (up)
		return;
	/*
	 * Nothing read from /etc/snmp (5.9.3 reads no config file at all
	 * under DONT_PERSIST_STATE; SNMPCONFPATH in case a later one does),
	 * nothing written to /var/lib/snmp, no MIB module parsed.
	 */
	setenv("SNMPCONFPATH", dir, 1);
	setenv("SNMP_PERSISTENT_DIR", dir, 1);
	setenv("MIBDIRS", dir, 1);
	setenv("MIBS", "", 1);
	netsnmp_ds_set_string(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, dir);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	ck_assert_int_eq(init_agent(app), 0);
	ck_assert_int_eq(registrations(), 0);
	init_snmp(app);
	ck_assert_int_gt(callback_master_num, 0);
	ss = netsnmp_callback_open(callback_master_num, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(ss);
	ss->version = SNMP_VERSION_2c;
	free(ss->community); /* the session's own (empty) one */
	ss->community = (u_char *)strdup("inproc");
	ss->community_len = strlen("inproc");
	ss->timeout = 5 * 1000000L; /* the deadline of a lost request */
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
	    SNMPD_CALLBACK_SEND_TRAP2, trap_cb, NULL);
	up = true;
}

netsnmp_variable_list *
inproc_query(int cmd, const oid *name, size_t len)
{
	netsnmp_pdu *pdu = snmp_pdu_create(cmd), *resp = NULL;
	netsnmp_variable_list *vb;

	pdu->flags |= UCD_MSG_FLAG_ALWAYS_IN_VIEW;
	snmp_add_null_var(pdu, name, len);
	ck_assert_int_eq(snmp_synch_response(ss, pdu, &resp), STAT_SUCCESS);
	ck_assert_ptr_nonnull(resp);
	ck_assert_int_eq(resp->errstat, SNMP_ERR_NOERROR);
	vb = resp->variables;
	resp->variables = vb->next_variable;
	vb->next_variable = NULL;
	snmp_free_pdu(resp);
	return vb;
}

netsnmp_variable_list *
inproc_query_at(int cmd, const oid *base, size_t len, long a, long b)
{
	oid name[MAX_OID_LEN];

	memcpy(name, base, len * sizeof(oid));
	name[len++] = (oid)a;
	if (b >= 0)
		name[len++] = (oid)b;
	return inproc_query(cmd, name, len);
}

int
inproc_traps(void)
{
	return n_traps;
}

const netsnmp_variable_list *
inproc_trap(int k)
{
	ck_assert_int_lt(k, n_traps);
	return traps[k];
}

void
inproc_traps_clear(void)
{
	while (n_traps > 0)
		snmp_free_varbind(traps[--n_traps]);
}

bool
inproc_is_oid(const netsnmp_variable_list *vb, const oid *o, size_t len)
{
	return snmp_oid_compare(vb->name, vb->name_length, o, len) == 0;
}

bool
inproc_under(const netsnmp_variable_list *vb, const oid *base, size_t len)
{
	return vb->type != SNMP_ENDOFMIBVIEW && vb->name_length > len &&
	    snmp_oid_compare(vb->name, len, base, len) == 0;
}

void
expect_bytes(netsnmp_variable_list *vb, const void *want, size_t len)
{
	char name[256];

	snprint_objid(name, sizeof(name), vb->name, vb->name_length);
	ck_assert_msg(vb->type == ASN_OCTET_STR, "%s: type %#x", name,
	    (unsigned)vb->type);
	ck_assert_msg(vb->val_len == len, "%s: %zu octets, want %zu", name,
	    vb->val_len, len);
	ck_assert_msg(len == 0 || memcmp(vb->val.string, want, len) == 0,
	    "%s: other octets", name);
	snmp_free_var(vb);
}

void
expect_str(netsnmp_variable_list *vb, const char *want)
{
	expect_bytes(vb, want, strlen(want));
}

void
expect_num(netsnmp_variable_list *vb, u_char type, long want)
{
	char name[256];

	snprint_objid(name, sizeof(name), vb->name, vb->name_length);
	ck_assert_msg(vb->type == type, "%s: type %#x, want %#x", name,
	    (unsigned)vb->type, (unsigned)type);
	ck_assert_msg(*vb->val.integer == want, "%s: %ld, want %ld", name,
	    *vb->val.integer, want);
	snmp_free_var(vb);
}

void
expect_exception(netsnmp_variable_list *vb, u_char type)
{
	char name[256];

	snprint_objid(name, sizeof(name), vb->name, vb->name_length);
	ck_assert_msg(vb->type == type, "%s: type %#x, want %#x", name,
	    (unsigned)vb->type, (unsigned)type);
	snmp_free_var(vb);
}

void
expect_same(const netsnmp_variable_list *a, netsnmp_variable_list *b)
{
	ck_assert_int_eq(a->type, b->type);
	ck_assert_uint_eq(a->val_len, b->val_len);
	ck_assert_mem_eq(a->val.string, b->val.string, a->val_len);
	snmp_free_var(b);
}
