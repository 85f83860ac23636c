/*
 * wsse.c: server-side WS-Security UsernameToken checks, the way cameras
 * do them: PasswordDigest (or PasswordText), freshness of Created against
 * the camera's own (possibly skewed) clock, nonce replay (Axis), a failed
 * login counter that locks the account (Dahua), and each maker's fault.
 *
 * The wsse plugin parses the header (soap_wsse_UsernameToken); we do not
 * call soap_wsse_verify_Password because it checks Created against the
 * host's clock with a fixed 300 s margin and keeps one process-wide replay
 * list, while each simulated camera has its own clock and memory.
 * Called from connection threads; camera state is taken under
 * sim_cam_lock(), and the replay memory is made on a camera's first
 * checked nonce, so cameras that never see one cost nothing for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "soapH.h"
#include "wsseapi.h"

#include "camsim.h"
#include "common/strutil.h"

enum deny {
	DENY_NONE,
	DENY_MISSING,
	DENY_PASSWORD,
	DENY_TIME,
	DENY_REPLAY,
	DENY_LOCKED
};

static const char *const deny_names[] = {
    "ok", "missing", "bad-password", "bad-time", "replay", "locked"};

static int
deny_dahua(struct soap *soap, enum deny why, int left)
{
	char msg[160];

	switch (why) {
	case DENY_TIME:
		str_lcpy(
		    msg, "Wsse authorized time check failed.", sizeof(msg));
		break;
	case DENY_LOCKED:
		/* Invented wording: no capture of a locked Dahua account. */
		str_lcpy(msg, "Sender not Authorized. The account is locked.",
		    sizeof(msg));
		break;
	case DENY_PASSWORD:
		snprintf(msg, sizeof(msg),
		    "Sender not Authorized. Invalid "
		    "username or password! You still have %d attempt(s).",
		    left);
		break;
	default:
		str_lcpy(msg, "Sender not Authorized", sizeof(msg));
		break;
	}
	return soap_sender_fault_subcode(
	    soap, "ter:NotAuthorized", soap_strdup(soap, msg), NULL);
}

static int
deny(struct soap *soap, const struct sim_camera *cam, enum deny why, int left)
{
	soap_wsse_delete_Security(soap);
	switch (cam->spec->prof.deny_style) {
	case SIM_DENY_DAHUA:
		return deny_dahua(soap, why, left);
	case SIM_DENY_HIKVISION:
		return soap_sender_fault_subcode(soap, "wsse:InvalidSecurity",
		    "An error was discovered processing the wsse:Security "
		    "header.",
		    NULL);
	default:
		return soap_sender_fault_subcode(soap, "ter:NotAuthorized",
		    cam->spec->prof.deny_reason[0] ? cam->spec->prof.deny_reason
						   : "Sender not authorized",
		    "<SOAP-ENV:Text xml:lang=\"en\">"
		    "The action requested requires authorization and the "
		    "sender is not authorized</SOAP-ENV:Text>");
	}
}

/* base64(SHA1(nonce + created + password)) == supplied digest? */
static int
digest_matches(struct soap *soap, const struct _wsse__UsernameToken *t,
    const char *password)
{
	unsigned char md[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
	const char *nonce;
	EVP_MD_CTX *ctx;
	unsigned int mdlen = 0;
	int noncelen = 0, gotlen = 0;

	if (t->Nonce == NULL || t->Nonce->__item == NULL ||
	    t->wsu__Created == NULL || t->Password->__item == NULL)
		return 0;
	nonce = soap_base642s(soap, t->Nonce->__item, NULL, 0, &noncelen);
	if (nonce == NULL ||
	    soap_base642s(soap, t->Password->__item, (char *)got, sizeof(got),
		&gotlen) == NULL ||
	    gotlen != 20)
		return 0;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	EVP_DigestUpdate(ctx, nonce, (size_t)noncelen);
	EVP_DigestUpdate(ctx, t->wsu__Created, strlen(t->wsu__Created));
	EVP_DigestUpdate(ctx, password, strlen(password));
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	return mdlen == 20 && memcmp(md, got, 20) == 0;
}

static int
password_ok(struct soap *soap, const struct sim_camera *cam,
    const struct _wsse__UsernameToken *t)
{
	const char *type;

	if (t->Username == NULL || t->Password == NULL ||
	    strcmp(t->Username, cam->spec->prof.user) != 0)
		return 0;
	type = t->Password->Type;
	if (type != NULL && strstr(type, "#PasswordDigest") != NULL)
		return digest_matches(soap, t, cam->spec->prof.password);
	return t->Password->__item != NULL &&
	    strcmp(t->Password->__item, cam->spec->prof.password) == 0;
}

static int
time_ok(struct soap *soap, const struct sim_camera *cam,
    const struct _wsse__UsernameToken *t)
{
	time_t created, now;

	if (cam->spec->prof.clock_window == 0)
		return 1;
	if (t->wsu__Created == NULL ||
	    soap_s2dateTime(soap, t->wsu__Created, &created) != SOAP_OK)
		return 0;
	now = service_clock(cam);
	return labs((long)(created - now)) <= cam->spec->prof.clock_window;
}

/* Remember nonce; 1 if it was new. Caller holds sim_cam_lock(cam). */
static int
nonce_fresh(struct sim_camera *cam, const char *nonce)
{
	struct sim_nonces *nn;
	int i;

	if (nonce == NULL || strlen(nonce) >= sizeof(nn->seen[0]))
		return 0;
	if (cam->nonces == NULL &&
	    (cam->nonces = calloc(1, sizeof(*cam->nonces))) == NULL)
		return 0; /* no memory to remember it: refuse, as if seen */
	nn = cam->nonces;
	for (i = 0; i < SIM_NONCES; i++)
		if (strcmp(nn->seen[i], nonce) == 0)
			return 0;
	str_lcpy(nn->seen[nn->next], nonce, sizeof(nn->seen[0]));
	nn->next = (nn->next + 1) % SIM_NONCES;
	return 1;
}

/* Count a refused password; returns attempts left. Holds the lock. */
static int
count_failure(struct sim_camera *cam)
{
	int left;

	if (cam->spec->prof.lockout == 0)
		return 0;
	cam->failures++;
	left = cam->spec->prof.lockout - cam->failures;
	if (left <= 0) {
		cam->locked_until =
		    time(NULL) + cam->spec->prof.lockout_seconds;
		cam->failures = 0;
		left = 0;
	}
	return left;
}

static enum deny
judge(struct soap *soap, struct sim_camera *cam,
    const struct _wsse__UsernameToken *t, int *left)
{
	enum deny why = DENY_NONE;
	int pw, tm;

	pw = password_ok(soap, cam, t);
	tm = time_ok(soap, cam, t);
	pthread_mutex_lock(sim_cam_lock(cam));
	if (cam->locked_until > time(NULL))
		why = DENY_LOCKED;
	else if (!tm)
		why = DENY_TIME;
	else if (!pw) {
		why = DENY_PASSWORD;
		*left = count_failure(cam);
	} else if (cam->spec->prof.replay_check &&
	    !nonce_fresh(cam, t->Nonce ? t->Nonce->__item : NULL))
		why = DENY_REPLAY;
	else
		cam->failures = 0;
	pthread_mutex_unlock(sim_cam_lock(cam));
	return why;
}

/*
 * Check the request's UsernameToken.  need: the operation needs
 * authentication.  Returns SOAP_OK, or sets the camera's fault and
 * returns it; outcome gets a word for the log either way.
 */
int
wsse_check(struct soap *soap, struct sim_camera *cam, int need, char *outcome,
    size_t outsz)
{
	struct _wsse__UsernameToken *t;
	enum deny why;
	int left = 0;

	t = soap_wsse_UsernameToken(soap, NULL);
	if (t == NULL) {
		str_lcpy(outcome, need ? "wsse-missing" : "none", outsz);
		return need ? deny(soap, cam, DENY_MISSING, 0) : SOAP_OK;
	}
	if (!need && !cam->spec->prof.verify_preauth_header) {
		str_lcpy(outcome, "wsse-ignored", outsz);
		return SOAP_OK;
	}
	why = judge(soap, cam, t, &left);
	if (why == DENY_NONE) {
		str_lcpy(outcome, "wsse-ok", outsz);
		return SOAP_OK;
	}
	snprintf(outcome, outsz, "wsse-%s", deny_names[why]);
	return deny(soap, cam, why, left);
}
