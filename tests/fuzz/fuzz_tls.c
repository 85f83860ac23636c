/*
 * fuzz_tls.c: libFuzzer target for the TLS collector's reading of a
 * camera's certificate (ux_name_fact() of onvif/unauth_conn.c: the
 * subject and issuer in RFC 2253's one-line form, no-break spaces made
 * spaces, cleaned into facts).
 *
 * The input is an options byte, then by its low two bits: 0, a DER
 * certificate (its subject and issuer are read); 1, a DER Name; 2 or 3,
 * a Name built entry by entry (an attribute of a short list, a string
 * type among those certificates use, a length-prefixed value, and whether
 * it joins the previous RDN), so the fuzzer spends its time on what our
 * code does with a name rather than on OpenSSL's DER parser.  Checked
 * beyond the sanitizers: the facts keep fuzz_check_facts()'s invariants,
 * hold no no-break space, are PROBE_TLS's and of the kind asked for.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "onvif/unauth_int.h"

#include "fuzz.h"

static struct cam_identity id;

static const int nids[] = {NID_commonName, NID_organizationName,
    NID_organizationalUnitName, NID_countryName, NID_stateOrProvinceName,
    NID_localityName, NID_serialNumber, NID_pkcs9_emailAddress,
    NID_domainComponent, NID_title, NID_givenName, NID_userId};
static const int types[] = {MBSTRING_UTF8, MBSTRING_ASC, V_ASN1_UTF8STRING,
    V_ASN1_PRINTABLESTRING, V_ASN1_IA5STRING, V_ASN1_T61STRING,
    V_ASN1_BMPSTRING, V_ASN1_UNIVERSALSTRING, V_ASN1_OCTET_STRING,
    V_ASN1_VISIBLESTRING};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static X509_NAME *
build_name(struct fuzz_in *in)
{
	X509_NAME *name = X509_NAME_new();
	unsigned char val[256];
	size_t len, k;
	uint8_t b;

	if (name == NULL)
		abort();
	for (k = 0; k < 16 && in->n > 0; k++) {
		b = fin_u8(in);
		len = fin_u8(in);
		if (len > in->n)
			len = in->n;
		memcpy(val, in->p, len);
		in->p += len, in->n -= len;
		/* A value OpenSSL refuses (a bad BMP length...) is skipped. */
		(void)X509_NAME_add_entry_by_NID(name,
		    nids[(b & 0x0f) % NELEM(nids)],
		    types[(b >> 4) % NELEM(types)], val, (int)len, -1,
		    k > 0 && (b & 0x80) ? -1 : 0);
	}
	return name;
}

static void
check(enum cam_fact_kind k)
{
	size_t i;

	fuzz_check_facts(&id.facts);
	for (i = 0; i < id.facts.n; i++) {
		FUZZ_CHECK(id.facts.f[i].probe == PROBE_TLS);
		FUZZ_CHECK(id.facts.f[i].kind == FACT_TLS_SUBJECT ||
		    id.facts.f[i].kind == FACT_TLS_ISSUER);
		FUZZ_CHECK(strstr(id.facts.f[i].text, "\xc2\xa0") == NULL);
	}
	if (k != FACT_NONE)
		FUZZ_CHECK(id.facts.n <= 1 &&
		    (id.facts.n == 0 || id.facts.f[0].kind == k));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t opt = fin_u8(&in);
	const unsigned char *p = in.p;
	X509_NAME *name;
	X509 *cert;

	memset(&id, 0, sizeof(id));
	switch (opt & 3) {
	case 0:
		if ((cert = d2i_X509(NULL, &p, (long)in.n)) == NULL)
			return 0;
		ux_name_fact(
		    &id, X509_get_subject_name(cert), FACT_TLS_SUBJECT);
		ux_name_fact(&id, X509_get_issuer_name(cert), FACT_TLS_ISSUER);
		check(FACT_NONE);
		X509_free(cert);
		return 0;
	case 1:
		if ((name = d2i_X509_NAME(NULL, &p, (long)in.n)) == NULL)
			return 0;
		break;
	default:
		name = build_name(&in);
		break;
	}
	ux_name_fact(&id, name, FACT_TLS_ISSUER);
	check(FACT_TLS_ISSUER);
	X509_NAME_free(name);
	return 0;
}
