/*
 * fuzz_store.c: libFuzzer target driving the store (agent/store*.c,
 * statefile.c) the way the agent does, with the shipped policy.
 *
 * The input is a program: each operation is a byte, then the bytes its
 * arguments take.  Operations, applied in order to one store:
 *   config   a new config of up to 4 cameras: store_sync_config
 *   camera   one more configured camera: store_add_camera
 *   seen     a discovery sighting, as agent_disc.c applies it
 *   bye      a Bye, as agent_disc.c applies it
 *   submit   a row's poll is queued (in flight)
 *   poll     a poll result for a row: store_apply, then the sync the
 *            agent makes when the row has left the config meanwhile
 *   expire   store_expire
 *   time     the clock moves on (up to 40 days)
 *   restart  the state saved and loaded into a new store, which then
 *            takes the config and the policy as at the agent's start
 *   reclass  store_reclassify
 * Hosts, URLs, endpoints, MACs, scopes and identity strings come from
 * small pools (so that rows meet), or from the input itself, cleaned as
 * a poll or the WS-Discovery codec cleans what it hands over.
 *
 * After each step the invariants of fuzz_store_check.c hold (endpoints
 * unique too); events name the row they are about; a restart keeps the
 * saved text exactly; at the end the intern table is empty again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store.h"
#include "common/strutil.h"

#include "fuzz.h"
#include "fuzz_store.h"

#define MAX_OPS 64
#define MAX_CAMS 8

static struct policy *pol;
static char state1[512], state2[512];

/* The config in force, as config_read() would give it. */
static struct config cfg;
static struct cfg_camera cams[MAX_CAMS];

static const char *const hosts[] = {"192.0.2.10", "192.0.2.11", "192.0.2.12",
    "10.1.2.3", "10.1.2.4", "198.51.100.7", "[2001:db8::5]"};
static const char *const endpoints[] = {"",
    "urn:uuid:3fa1fe68-b915-4053-a3e1-bcbac1a1b2c3",
    "urn:uuid:3FA1FE68-B915-4053-A3E1-BCBAC1A1B2C3",
    "urn:uuid:00000000-0000-4000-8000-000000000002",
    "urn:uuid:00000000-0000-4000-8000-2857be3a510c", "uuid:dahua-1"};
static const char *const scopes[] = {"onvif://www.onvif.org/name/HIKVISION",
    "onvif://www.onvif.org/hardware/DS-2CD2143G2-I",
    "onvif://www.onvif.org/name/Dahua", "onvif://www.onvif.org/name/AXIS",
    "onvif://www.onvif.org/location/city/hangzhou",
    "onvif://www.onvif.org/MAC/28:57:be:3a:51:0c",
    "onvif://www.onvif.org/type/video_encoder"};
static const uint8_t macs[][6] = {{0x28, 0x57, 0xbe, 0x3a, 0x51, 0x0c},
    {0x28, 0x57, 0xbe, 0x3a, 0x51, 0x0d}, {0x3c, 0xef, 0x8c, 0, 0, 1},
    {0x00, 0x40, 0x8c, 0x11, 0x22, 0x33}, {0xac, 0xcc, 0x8e, 1, 2, 3}};
static const char *const makers[] = {
    "HIKVISION", "Dahua", "AXIS", "Bosch", "Northgate Vision", "", "IPC"};
static const char *const models[] = {
    "DS-2CD2143G2-I", "IPC-HDW1025C", "P3818-PVE", "", "IPC-6201"};
static const char *const firmwares[] = {
    "V5.7.3 build 220112", "V5.7.13 build 230706", "2.800.0000018.0.R", ""};
static const char *const serials[] = {
    "DS-2CD2143G2-I20200101AAWR123456789", "SN-0001", "SN-0002", "", "AC123"};

static const char *const fact_texts[] = {"sadp", "dhip", "rpc2",
    "DS-2CD2143G2-I", "IPC-HFW2431S", "V5.7.3 build 220112", "App-webs/",
    "Login to 7K0A1B2PAZ", "upper-case-headers", "CN=IPC, O=Dahua", "8000"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A pool entry, or (the choice past the pool's end) a cleaned string. */
static void
pick_str(struct fuzz_in *in, const char *const *pool, size_t n, char *dst,
    size_t dstsz)
{
	char raw[CAM_STR_MAX];
	size_t i = fin_pick(in, n + 1);

	if (i < n) {
		str_lcpy(dst, pool[i], dstsz);
		return;
	}
	fin_str(in, raw, sizeof(raw));
	str_clean(dst, dstsz, raw);
}

static void
pick_host(struct fuzz_in *in, char *dst, size_t dstsz)
{
	char h[CAM_ADDR_MAX];
	size_t n;

	pick_str(in, hosts, NELEM(hosts), h, sizeof(h));
	/* The address without the brackets of a URL's IPv6 host. */
	n = strlen(h);
	if (h[0] == '[' && n > 2 && h[n - 1] == ']') {
		h[n - 1] = '\0';
		str_lcpy(dst, h + 1, dstsz);
	} else
		str_lcpy(dst, h, dstsz);
}

/* A URL on host, or on one of the pool, or made up. */
static void
pick_url(struct fuzz_in *in, const char *host, char *dst, size_t dstsz)
{
	static const char *const ports[] = {"", ":80", ":8080", ":8000"};
	static const char *const paths[] = {
	    "/onvif/device_service", "/onvif/device_service", "/onvif/x", ""};
	char h[CAM_STR_MAX];
	uint8_t how = fin_u8(in);

	if (how % 8 == 7) {
		fin_str(in, h, sizeof(h));
		str_lcpy(dst, h, dstsz);
		return;
	}
	if (how % 8 >= 4 || host == NULL)
		str_lcpy(h, hosts[fin_pick(in, NELEM(hosts))], sizeof(h));
	else
		snprintf(h, sizeof(h), strchr(host, ':') ? "[%s]" : "%s", host);
	snprintf(dst, dstsz, "http://%s%s%s", h,
	    ports[fin_pick(in, NELEM(ports))],
	    paths[fin_pick(in, NELEM(paths))]);
}

static void
pick_mac(struct fuzz_in *in, uint8_t mac[6])
{
	size_t i = fin_pick(in, NELEM(macs) + 1);

	if (i < NELEM(macs))
		memcpy(mac, macs[i], 6);
	else
		for (i = 0; i < 6; i++)
			mac[i] = fin_u8(in);
}

static void
pick_scopes(struct fuzz_in *in, char (*out)[CAM_STR_MAX], size_t *n)
{
	size_t want = fin_pick(in, 4);

	for (*n = 0; *n < want;) {
		pick_str(in, scopes, NELEM(scopes), out[*n], CAM_STR_MAX);
		if (out[*n][0] != '\0') /* neither side keeps an empty one */
			(*n)++;
		else
			want--;
	}
}

/*
 * Up to max facts as collectors add them (cam_fact_add: cleaned, no
 * duplicate): a kind, and probe p, or any collector's when p is negative.
 */
static void
pick_facts(struct fuzz_in *in, struct cam_facts *fs, size_t max, int p)
{
	char text[CAM_FACT_MAX];
	size_t i, want = fin_pick(in, max + 1);
	enum cam_fact_kind k;
	enum cam_probe pr;

	for (i = 0; i < want; i++) {
		k = (enum cam_fact_kind)(1 + fin_pick(in, FACT_KIND_COUNT - 1));
		pr = p >= 0 ? (enum cam_probe)p
			    : (enum cam_probe)fin_pick(in, PROBE_COUNT);
		pick_str(in, fact_texts, NELEM(fact_texts), text, sizeof(text));
		cam_fact_add(fs, k, pr, text, sizeof(text));
	}
}

/* ---- the config -------------------------------------------------------- */

static bool
cfg_has(const char *url)
{
	size_t i;

	for (i = 0; i < cfg.n_cameras; i++)
		if (strcmp(cfg.cameras[i].url, url) == 0)
			return true;
	return false;
}

/* One camera as a config line gives it: false when config_read refuses. */
static bool
make_camera(struct fuzz_in *in, struct cfg_camera *c)
{
	static const char *const sites[] = {"", "hq", "core"};
	static const char *const zones[] = {"", "sensitive", "core"};
	char target[CAM_STR_MAX];
	size_t k;
	uint8_t b;

	memset(c, 0, sizeof(*c));
	pick_url(in, NULL, target, sizeof(target));
	if (onvif_target_url(target, c->url, sizeof(c->url)) != 0 ||
	    cfg_has(c->url))
		return false;
	b = fin_u8(in);
	str_lcpy(c->credentials, b & 1 ? "main" : "", sizeof(c->credentials));
	k = (b >> 1) % 3;
	str_lcpy(c->site, sites[k], sizeof(c->site));
	str_lcpy(c->zone, zones[k], sizeof(c->zone));
	if (b & 0x10) {
		c->has_pin = true;
		memset(c->tls_pin, b >> 5, sizeof(c->tls_pin));
	}
	return true;
}

static void
op_config(struct fuzz_in *in, struct store *s, time_t now)
{
	size_t i, want = fin_pick(in, 5);

	cfg.n_cameras = 0;
	for (i = 0; i < want; i++)
		if (make_camera(in, &cams[cfg.n_cameras]))
			cfg.n_cameras++;
	str_lcpy(cfg.disc.credentials, fin_u8(in) & 1 ? "main" : "",
	    sizeof(cfg.disc.credentials));
	cfg.disc.max_devices = 1 + (int)fin_pick(in, 8);
	cfg.disc.max_per_host = 1 + (int)fin_pick(in, 4);
	cfg.disc.expire_days = 1 + (int)fin_pick(in, 30);
	store_sync_config(s, &cfg, now);
}

static void
op_camera(struct fuzz_in *in, struct store *s, time_t now)
{
	struct cfg_camera c;
	struct device *d;

	if (cfg.n_cameras == MAX_CAMS || !make_camera(in, &c))
		return;
	cams[cfg.n_cameras++] = c;
	d = store_add_camera(s, &c, now);
	FUZZ_CHECK(d != NULL && d->configured && strcmp(d->key, c.url) == 0);
}

/* ---- discovery ----------------------------------------------------------- */

/* What an SADP or DHIP reply said, as disc_unauth.c fills a sighting. */
static void
make_maker_facts(struct fuzz_in *in, struct disc_sighting *sg)
{
	struct cam_facts fs;
	enum cam_probe p = sg->method == DISC_SADP ? PROBE_SADP : PROBE_DHIP;
	size_t i;

	memset(&fs, 0, sizeof(fs));
	pick_facts(in, &fs, DISC_FACTS_MAX, (int)p);
	for (i = 0; i < fs.n && sg->n_facts < DISC_FACTS_MAX; i++)
		sg->facts[sg->n_facts++] = fs.f[i];
	sg->hello = sg->method == DISC_SADP && (fin_u8(in) & 1);
}

static void
make_sighting(struct fuzz_in *in, struct disc_sighting *sg, bool bye)
{
	uint8_t b = fin_u8(in);

	memset(sg, 0, sizeof(*sg));
	sg->kind = bye ? DISC_BYE : DISC_SEEN;
	sg->method = (enum disc_method)(DISC_PROBE + b % 5);
	pick_str(in, endpoints, NELEM(endpoints), sg->endpoint,
	    sizeof(sg->endpoint));
	pick_host(in, sg->address, sizeof(sg->address));
	if (!bye)
		pick_url(in, b & 0x10 ? NULL : sg->address, sg->url,
		    sizeof(sg->url));
	if (b & 0x20) {
		sg->has_mac = true;
		pick_mac(in, sg->mac);
	}
	pick_scopes(in, sg->scopes, &sg->n_scopes);
	sg->metadata_version = (b >> 6) % 3;
	if (sg->method == DISC_SADP || sg->method == DISC_DHIP)
		make_maker_facts(in, sg);
}

static void
check_events(const struct dev_event *ev, int n, const struct device *d)
{
	int k;

	FUZZ_CHECK(n >= 0 && n <= 4);
	for (k = 0; k < n; k++) {
		FUZZ_CHECK(ev[k].dev == d);
		FUZZ_CHECK(ev[k].type >= EV_DETECTED_RESTRICTED &&
		    ev[k].type <= EV_CERT_CHANGED);
		fuzz_check_str(ev[k].previous, sizeof(ev[k].previous), false);
	}
}

static void
op_seen(struct fuzz_in *in, struct store *s, time_t now)
{
	static struct disc_sighting sg;
	struct dev_event ev[4];
	struct device *d;
	enum disc_added what = DISC_ADDED_KNOWN;
	int moved = 0, n;

	make_sighting(in, &sg, false);
	d = store_find_sighting(s, &sg);
	if (d == NULL &&
	    (d = store_add_discovered(s, &sg, &cfg.disc, now, &what)) == NULL) {
		FUZZ_CHECK(
		    what >= DISC_REFUSED_URL && what <= DISC_REFUSED_HOST);
		return;
	}
	FUZZ_CHECK(what == DISC_ADDED_NEW || what == DISC_ADDED_KNOWN);
	n = store_sighting(s, d, &sg, pol, now, &moved, ev);
	check_events(ev, n, d);
	FUZZ_CHECK(moved >= -1 && moved <= 1);
	if (moved >= 0)
		FUZZ_CHECK(d->last_announced == now);
}

static void
op_bye(struct fuzz_in *in, struct store *s, time_t now)
{
	static struct disc_sighting sg;
	struct device *d;

	make_sighting(in, &sg, true);
	if ((d = store_find_sighting(s, &sg)) != NULL &&
	    store_bye(s, d, sg.address, now) == 0)
		FUZZ_CHECK(d->bye && d->last_announced == now);
}

/* ---- polls --------------------------------------------------------------- */

static struct device *
pick_row(struct fuzz_in *in, struct store *s)
{
	size_t n = store_count(s);

	return n > 0 ? store_at(s, fin_pick(in, n)) : NULL;
}

static void
make_identity(struct fuzz_in *in, struct cam_identity *id)
{
	size_t i, n;

	pick_str(in, makers, NELEM(makers), id->manufacturer, CAM_STR_MAX);
	pick_str(in, models, NELEM(models), id->model, CAM_STR_MAX);
	pick_str(in, firmwares, NELEM(firmwares), id->firmware, CAM_STR_MAX);
	pick_str(in, serials, NELEM(serials), id->serial, CAM_STR_MAX);
	pick_str(in, NULL, 0, id->hostname, CAM_STR_MAX);
	pick_host(in, id->address, sizeof(id->address));
	for (i = 0, n = fin_pick(in, 3); i < n; i++) {
		pick_mac(in, id->macs[id->n_macs]);
		id->n_macs++;
	}
	pick_scopes(in, id->scopes, &id->n_scopes);
	/* The collectors ran (or not): what they tried, heard and said. */
	id->facts.tried = fin_u8(in) & ((1u << PROBE_COUNT) - 1);
	id->facts.answered = fin_u8(in) & id->facts.tried;
	pick_facts(in, &id->facts, 6, -1);
}

static void
op_poll(struct fuzz_in *in, struct store *s, time_t now)
{
	static struct onvif_result r;
	struct dev_event ev[4];
	struct device *d = pick_row(in, s);
	uint8_t b = fin_u8(in);
	int n;

	if (d == NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.status = (enum onvif_status)(b % ONVIF_STATUS_COUNT);
	r.auth = (enum onvif_auth)((b >> 4) % 5);
	if (b & 0x80) {
		r.have_tls = true;
		memset(r.tls_sha256, fin_u8(in) % 3, sizeof(r.tls_sha256));
	}
	pick_str(in, NULL, 0, r.detail, sizeof(r.detail));
	str_lcpy(r.xaddr, d->key, sizeof(r.xaddr));
	if (r.status == ONVIF_OK)
		make_identity(in, &r.id);
	else if (fin_u8(in) & 1)
		pick_host(in, r.id.address, sizeof(r.id.address));
	n = store_apply(s, d, &r, pol, now, ev);
	check_events(ev, n, d);
	FUZZ_CHECK(!d->in_flight && d->poll_status == (int)r.status);
	if (r.status == ONVIF_OK)
		FUZZ_CHECK(d->identified && d->last_seen == now);
	if (store_removable(d))
		store_sync_config(s, &cfg, now);
}

/* ---- restart --------------------------------------------------------------
 */

static char *
saved(const struct store *s, const char *path, size_t *len)
{
	char *t;

	FUZZ_CHECK(store_save(s, path) == 0);
	FUZZ_CHECK((t = fuzz_read_file(path, len)) != NULL);
	return t;
}

/* What a restart keeps is exactly what was saved. */
static struct store *
op_restart(struct store *s, time_t now)
{
	struct store *s2 = store_new(NULL);
	char err[1024], *t1, *t2;
	size_t l1, l2;

	FUZZ_CHECK(s2 != NULL);
	t1 = saved(s, state1, &l1);
	FUZZ_CHECK(store_load(s2, state1, err, sizeof(err)) == 0);
	FUZZ_CHECK(store_count(s2) == store_count(s));
	fuzz_store_check(s2, true);
	t2 = saved(s2, state2, &l2);
	FUZZ_CHECK(l1 == l2 && memcmp(t1, t2, l1) == 0);
	free(t1);
	free(t2);
	store_free(s);
	store_sync_config(s2, &cfg, now);
	store_reclassify(s2, pol, now, NULL, NULL);
	return s2;
}

/* ---- the program --------------------------------------------------------- */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[1024], oui[1024], err[1024];

	(void)argc, (void)argv;
	snprintf(path, sizeof(path), "%s", fuzz_srcpath("data/policy.xml"));
	snprintf(oui, sizeof(oui), "%s", fuzz_srcpath("tests/data/oui"));
	if ((pol = policy_load(path, oui, err, sizeof(err))) == NULL ||
	    policy_add_site(pol, "hq", "192.0.2.0/24", "sensitive", err,
		sizeof(err)) != 0 ||
	    policy_add_site(
		pol, "core", "10.0.0.0/8", "core", err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_store: %s\n", err);
		abort();
	}
	fuzz_tmppath("state1", state1, sizeof(state1));
	fuzz_tmppath("state2", state2, sizeof(state2));
	cfg.cameras = cams;
	return 0;
}

static struct store *
step(struct fuzz_in *in, struct store *s, time_t *now)
{
	struct device *d;

	switch (fin_u8(in) % 10) {
	case 0:
		op_config(in, s, *now);
		break;
	case 1:
		op_camera(in, s, *now);
		break;
	case 2:
		op_seen(in, s, *now);
		break;
	case 3:
		op_bye(in, s, *now);
		break;
	case 4:
		if ((d = pick_row(in, s)) != NULL)
			d->in_flight = true;
		break;
	case 5:
		op_poll(in, s, *now);
		break;
	case 6:
		store_expire(s, *now, cfg.disc.expire_days);
		break;
	case 7:
		*now += (time_t)(fin_u32(in) % (40 * 86400));
		break;
	case 8:
		return op_restart(s, *now);
	default:
		store_reclassify(s, pol, *now, NULL, NULL);
		break;
	}
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct store *s = store_new(NULL);
	time_t now = 1767225600;
	int ops;

	FUZZ_CHECK(s != NULL);
	memset(&cfg.disc, 0, sizeof(cfg.disc));
	cfg.n_cameras = 0;
	cfg.disc.max_devices = 4;
	cfg.disc.max_per_host = 2;
	cfg.disc.expire_days = 30;
	for (ops = 0; ops < MAX_OPS && in.n > 0; ops++) {
		s = step(&in, s, &now);
		fuzz_store_check(s, true);
	}
	store_free(s);
	fuzz_intern_check();
	return 0;
}
