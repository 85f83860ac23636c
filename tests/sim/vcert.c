/*
 * vcert.c: the certificate a camera of the profile's maker serves by
 * default (notes, section 5): subject and issuer from the profile's
 * tls_subject and tls_issuer, RFC 2253 templates ("CN=axis-@mac,O=Axis
 * Communications AB"; "\," for a comma inside a value, @nbsp for U+00A0),
 * made at start with a fresh P-256 key.  A different issuer signs with a
 * key of its own, as a device CA would (only its name is shown).  Without
 * tls_subject, CN = the address with subjectAltName IP, as tls.c always
 * did.  fault=cert-control: a subject full of control characters.
 *
 * Main thread (start, SIGUSR1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "camsim.h"

#define MAX_RDNS 16

/* One "TYPE=value" of an RFC 2253 name, value unescaped. */
struct rdn {
	int nid;
	char value[SIM_STR];
};

static int
type_nid(const char *t)
{
	if (strcmp(t, "SERIALNUMBER") == 0)
		return NID_serialNumber;
	return OBJ_txt2nid(t);
}

/* Split s at unescaped commas into rdns; their number, or -1. */
static int
parse_dn(const char *s, struct rdn *r, int max)
{
	char type[32];
	size_t t, v;
	int n = 0;

	while (*s != '\0') {
		if (n == max)
			return -1;
		for (t = 0; *s != '=' && *s != '\0' && t + 1 < sizeof(type);)
			type[t++] = *s++;
		type[t] = '\0';
		if (*s++ != '=' || (r[n].nid = type_nid(type)) == NID_undef)
			return -1;
		for (v = 0; *s != '\0' && *s != ','; s++) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			if (v + 1 < sizeof(r[n].value))
				r[n].value[v++] = *s;
		}
		r[n++].value[v] = '\0';
		if (*s == ',')
			s++;
	}
	return n;
}

/* An X509_NAME from a template: RFC 2253 lists it most specific first. */
static X509_NAME *
make_name(const struct sim_camera *c, const char *tmpl)
{
	char text[1024];
	struct rdn r[MAX_RDNS];
	X509_NAME *name;
	int n, i, ok = 1;

	expand(c, NULL, tmpl, text, sizeof(text));
	if ((n = parse_dn(text, r, MAX_RDNS)) <= 0 ||
	    (name = X509_NAME_new()) == NULL)
		return NULL;
	for (i = n - 1; i >= 0 && ok; i--)
		ok = X509_NAME_add_entry_by_NID(name, r[i].nid, MBSTRING_UTF8,
		    (const unsigned char *)r[i].value, -1, -1, 0);
	if (!ok) {
		X509_NAME_free(name);
		return NULL;
	}
	return name;
}

/*
 * cert-control: escape sequences, CR LF, NUL, DEL, C1 controls and a
 * right-to-left override, as raw UTF8Strings (no length rules).
 */
static X509_NAME *
control_name(void)
{
	static const char cn[] = "\x1b[2J\x1b[31mcamera\x07\r\nX-Injected: "
				 "1\x00hidden\x7f\xc2\x9b"
				 "6n\xe2\x80\xaegnp.exe";
	unsigned char ou[320];
	X509_NAME *name;
	size_t i;
	int ok;

	for (i = 0; i < sizeof(ou); i++)
		ou[i] = (unsigned char)(1 + i % 31);
	if ((name = X509_NAME_new()) == NULL)
		return NULL;
	ok = X509_NAME_add_entry_by_NID(name, NID_organizationName,
		 V_ASN1_UTF8STRING,
		 (const unsigned char *)"\x1b]0;title\x07\x08", -1, -1, 0) &&
	    X509_NAME_add_entry_by_NID(name, NID_organizationalUnitName,
		V_ASN1_UTF8STRING, ou, (int)sizeof(ou), -1, 0) &&
	    X509_NAME_add_entry_by_NID(name, NID_commonName, V_ASN1_UTF8STRING,
		(const unsigned char *)cn, (int)sizeof(cn) - 1, -1, 0);
	if (!ok) {
		X509_NAME_free(name);
		return NULL;
	}
	return name;
}

int
vcert_add_san(X509 *x, const char *host)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	char san[80];
	int ok;

	snprintf(san, sizeof(san), "IP:%s", host);
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san)) ==
	    NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* The subject: cert-control's, the profile's, or CN = the address. */
static X509_NAME *
subject(const struct sim_camera *c, int *plain)
{
	const char *t = c->spec->prof.surf.tls_subject;
	char cn[SIM_HOST + 8];

	*plain = 0;
	if (c->spec->fault == SIM_FAULT_CERT_CONTROL)
		return control_name();
	if (t[0] != '\0')
		return make_name(c, t);
	*plain = 1;
	snprintf(cn, sizeof(cn), "CN=%s", c->host);
	return make_name(c, cn);
}

static int
fill(X509 *x, const struct sim_camera *c, EVP_PKEY *key, X509_NAME *subj,
    X509_NAME *iss)
{
	BIGNUM *bn = BN_new();
	int ok;

	ok = bn != NULL && BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
	ok = ok && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	ok = ok && X509_set_version(x, 2);
	ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL;
	ok = ok &&
	    X509_gmtime_adj(X509_getm_notAfter(x),
		(long)c->spec->prof.surf.tls_days * 86400L) != NULL;
	ok = ok && X509_set_pubkey(x, key);
	ok = ok && X509_set_subject_name(x, subj);
	ok = ok && X509_set_issuer_name(x, iss != NULL ? iss : subj);
	return ok;
}

/*
 * A fresh key and the profile's certificate for it (*cert, *key the
 * caller's to free).  0, or -1 with nothing allocated.
 */
int
vcert_make(const struct sim_camera *c, X509 **cert, EVP_PKEY **key)
{
	const char *it = c->spec->prof.surf.tls_issuer;
	X509_NAME *subj, *iss = NULL;
	EVP_PKEY *signer = NULL;
	X509 *x = NULL;
	int ok, plain;
	int ca = it[0] != '\0' && c->spec->fault != SIM_FAULT_CERT_CONTROL;

	*cert = NULL;
	if ((*key = EVP_EC_gen("P-256")) == NULL)
		return -1;
	subj = subject(c, &plain);
	if (ca) {
		iss = make_name(c, it);
		signer = EVP_EC_gen("P-256");
	}
	ok = subj != NULL && (!ca || (iss != NULL && signer != NULL));
	ok = ok && (x = X509_new()) != NULL && fill(x, c, *key, subj, iss);
	ok = ok && (!plain || vcert_add_san(x, c->host));
	ok = ok &&
	    X509_sign(x, signer != NULL ? signer : *key, EVP_sha256()) > 0;
	X509_NAME_free(subj);
	X509_NAME_free(iss);
	EVP_PKEY_free(signer);
	if (!ok) {
		X509_free(x);
		EVP_PKEY_free(*key);
		*key = NULL;
		return -1;
	}
	*cert = x;
	return 0;
}
