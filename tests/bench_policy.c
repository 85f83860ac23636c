/*
 * bench_policy.c: time 100,000 classifications against a real policy and
 * registry (`make bench`): a mix of ONVIF identities, then a mix of
 * cameras with ONVIF off known only by what they volunteer (facts).  A
 * benchmark, not a test: it prints figures and fails only if the policy
 * cannot be loaded.  Single-threaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/policy.h"
#include "common/strutil.h"

#define N_OBS 100000

struct obs {
	const char *mfr, *model, *fw, *hwid, *mac, *scope;
};

/* A mix shaped like a real estate: labelled, OEM, bare and unknown. */
static const struct obs mix[] = {
    {"HIKVISION", "DS-2CD2143G2-I", "V5.7.13 build 230706", "88",
	"28:57:be:65:7d:d5",
	"onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I"},
    {"Dahua", "IPC-HDW1230T1-S5", "2.800.0000016.0.R, Build Date 2021-07-20",
	"1.00", "3c:ef:8c:12:34:56",
	"onvif://www.onvif.org/extension/unique_identifier"},
    {"AXIS", "P3818-PVE", "11.9.60", "7DB", "b8:a4:4f:a0:4f:26",
	"onvif://www.onvif.org/hardware/P3818-PVE"},
    {"Lorex", "LNB4321", "", "", "00:1f:54:01:02:03", ""},
    {"CPPLUS", "CP-UNC-DA21PL3-Y", "2.800.0000016.0.R, Build Date 2021-07-20",
	"", "", "onvif://www.onvif.org/name/CPPLUS"},
    {"", "", "", "", "00:e0:fc:11:22:33", ""},
    {"EYEPLUS", "EYEPLUS_DEV", "5.6.1.1127", "", "04:39:26:00:00:01",
	"onvif://www.onvif.org/name/ONVIF_ICAMERA"},
    {"Bosch", "FLEXIDOME indoor 5100i IR", "8.71.0066", "F000B543",
	"00:07:5f:e0:a6:04", "onvif://www.onvif.org/name/Bosch"},
};

/* ONVIF off: facts only, '|'-separated, and the MAC given away. */
static const struct {
	const char *facts, *mac;
} fmix[] = {
    {"protocol=sadp|model=DS-2CD2386G2-IU|"
     "serial=DS-2CD2386G2-IU20230517AAWRK51873096|"
     "firmware=V5.7.3build 220112|oem-code=1|private-port=8000",
	"44:19:b6:3a:5c:71"},
    {"protocol=sadp|model=ECI-T24F2|serial=ECI-T24F220230615AAWRAC4440853|"
     "firmware=V5.7.1build 220609|oem-code=1",
	"08:54:11:5d:7e:70"},
    {"protocol=dhip|vendor=Private|model=IPC-HDW1431T1-S4|"
     "serial=6C01E93PAG69A7D|firmware=2.800.0000000.13.R|device-class=IPC",
	"3c:ef:8c:61:01:c0"},
    {"protocol=rpc2|http-realm=Login to AMC0286A5C0F7E1B92|"
     "http-style=upper-case-headers|http-style=no-server",
	"3c:ef:8c:61:01:c1"},
    {"rtsp-public=OPTIONS,DESCRIBE,SETUP,PLAY,PAUSE,TEARDOWN,ANNOUNCE,"
     "SET_PARAMETER,GET_PARAMETER|rtsp-realm=c4790503a344|"
     "http-realm=NVRDVR",
	"c4:79:05:03:a3:44"},
    {"http-realm=AXIS_B8A44F012345|http-title=AXIS|"
     "tls-subject=CN=axis-b8a44f012345,O=Axis Communications AB",
	"b8:a4:4f:01:23:45"},
    {"http-server=Cross Web Server|http-realm=IPCamera Login|"
     "http-title=IPCamera Login|rtsp-server=Rtsp Server/2.0",
	""},
    {"http-realm=Use 'live' as User Name in order to log in to the "
     "respective level|tls-issuer=CN=00-07-5f-e0-a6-04,OU=ST-VS,"
     "O=Bosch Sicherheitssysteme GmbH,L=Grasbrunn,C=DE",
	"00:07:5f:e0:a6:04"},
};

static void
build_facts(struct cam_identity *id, size_t i, unsigned n)
{
	char buf[512], err[256], *w, *save = NULL;

	memset(id, 0, sizeof(*id));
	snprintf(id->address, sizeof(id->address), "10.%u.%u.%u",
	    (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
	if (*fmix[i].mac != '\0' &&
	    str_parse_mac(fmix[i].mac, id->macs[0]) == 0)
		id->n_macs = 1;
	str_lcpy(buf, fmix[i].facts, sizeof(buf));
	for (w = strtok_r(buf, "|", &save); w != NULL;
	     w = strtok_r(NULL, "|", &save))
		if (policy_fact_arg(id, w, err, sizeof(err)) != 0)
			fprintf(stderr, "bench_policy: %s\n", err);
}

static void
build(struct cam_identity *id, const struct obs *o, unsigned n)
{
	memset(id, 0, sizeof(*id));
	str_lcpy(id->manufacturer, o->mfr, sizeof(id->manufacturer));
	str_lcpy(id->model, o->model, sizeof(id->model));
	str_lcpy(id->firmware, o->fw, sizeof(id->firmware));
	str_lcpy(id->hardware_id, o->hwid, sizeof(id->hardware_id));
	snprintf(id->address, sizeof(id->address), "10.%u.%u.%u",
	    (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
	if (*o->mac != '\0' && str_parse_mac(o->mac, id->macs[0]) == 0)
		id->n_macs = 1;
	if (*o->scope != '\0')
		str_lcpy(id->scopes[id->n_scopes++], o->scope, CAM_STR_MAX);
	str_lcpy(id->scopes[id->n_scopes++],
	    "onvif://www.onvif.org/Profile/Streaming", CAM_STR_MAX);
}

static double
since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Classify N_OBS observations drawn in turn from ids and print the rate. */
static void
run(const char *what, const struct policy *pol, const struct cam_identity *ids,
    size_t nids)
{
	struct policy_result r;
	struct timespec t0;
	unsigned long hist[4] = {0};
	double secs;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < N_OBS; i++) {
		policy_evaluate(pol, &ids[i % nids], 1767225600, &r);
		hist[r.verdict & 3]++;
	}
	secs = since(&t0);
	printf("%s: classified %d observations in %.3f s (%.2f us each, "
	       "%.0f/s): %lu compliant, %lu restricted, %lu unidentified\n",
	    what, N_OBS, secs, secs * 1e6 / N_OBS, N_OBS / secs,
	    hist[VERDICT_COMPLIANT], hist[VERDICT_RESTRICTED],
	    hist[VERDICT_UNIDENTIFIED]);
}

int
main(int argc, char **argv)
{
	const size_t nmix = sizeof(mix) / sizeof(mix[0]);
	const size_t nfmix = sizeof(fmix) / sizeof(fmix[0]);
	static struct cam_identity ids[sizeof(mix) / sizeof(mix[0])];
	static struct cam_identity fids[sizeof(fmix) / sizeof(fmix[0])];
	struct policy *pol;
	struct timespec t0;
	char err[600];
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_policy POLICY OUI-DIR\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pol = policy_load(argv[1], argv[2], err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench_policy: %s\n", err);
		return 1;
	}
	printf("policy load (with %zu registry blocks): %.3f s\n",
	    policy_oui_entries(pol), since(&t0));
	policy_add_site(
	    pol, "lab", "10.1.0.0/16", "sensitive", err, sizeof(err));
	policy_add_site(pol, "core", "10.0.0.0/16", "core", err, sizeof(err));
	for (i = 0; i < nmix; i++)
		build(&ids[i], &mix[i], (unsigned)i * 40503u);
	for (i = 0; i < nfmix; i++)
		build_facts(&fids[i], i, (unsigned)i * 40503u);
	run("onvif", pol, ids, nmix);
	run("facts (onvif off)", pol, fids, nfmix);
	policy_free(pol);
	return 0;
}
