/*
 * ops.c: the seven ONVIF device-service operations the simulator answers,
 * as gSOAP server skeletons filled from the camera's profile.
 *
 * Called by soap_serve_request() in the connection thread that owns the
 * gSOAP context; soap->user is that request's struct call.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Through wsseapi.h, which includes the generated soapH.h beside it. */
#include "wsseapi.h"

#include "camsim.h"
#include "service.h"
#include "common/strutil.h"

#define ONVIF_VERSION_MAJOR 2 /* invented, plausible */
#define ONVIF_VERSION_MINOR 42

static void *
zalloc(struct soap *soap, size_t n)
{
	void *p;

	if ((p = soap_malloc(soap, n)) != NULL)
		memset(p, 0, n);
	return p;
}

#define NEW(soap, type) ((type *)zalloc((soap), sizeof(type)))

static struct call *
call_of(struct soap *soap)
{
	return soap->user;
}

/* "http[s]://127.0.0.1:8000/onvif/<path>" for this camera. */
static char *
xaddr(struct soap *soap, const char *path)
{
	const struct sim_camera *cam = call_of(soap)->cam;
	char buf[256];
	int v6 = strchr(cam->host, ':') != NULL;

	snprintf(buf, sizeof(buf), "http%s://%s%s%s:%d/onvif/%s",
	    cam->spec->tls ? "s" : "", v6 ? "[" : "", cam->host, v6 ? "]" : "",
	    cam->port, path);
	return soap_strdup(soap, buf);
}

static struct tt__DateTime *
date_time(struct soap *soap, time_t t)
{
	struct tt__DateTime *dt = NEW(soap, struct tt__DateTime);
	struct tm tm;

	if (dt == NULL || (dt->Time = NEW(soap, struct tt__Time)) == NULL ||
	    (dt->Date = NEW(soap, struct tt__Date)) == NULL)
		return NULL;
	gmtime_r(&t, &tm);
	dt->Time->Hour = tm.tm_hour;
	dt->Time->Minute = tm.tm_min;
	dt->Time->Second = tm.tm_sec;
	dt->Date->Year = tm.tm_year + 1900;
	dt->Date->Month = tm.tm_mon + 1;
	dt->Date->Day = tm.tm_mday;
	return dt;
}

int
__tds__GetSystemDateAndTime(struct soap *soap,
    struct _tds__GetSystemDateAndTime *req,
    struct _tds__GetSystemDateAndTimeResponse *resp)
{
	const struct sim_camera *cam = call_of(soap)->cam;
	struct tt__SystemDateTime *sdt;
	time_t t;

	(void)req;
	if (call_auth(soap, "GetSystemDateAndTime") != SOAP_OK)
		return soap->error;
	/* lying-clock: report a time other than the one tokens meet. */
	t = service_clock(cam) + cam->spec->report_shift;
	sdt = resp->SystemDateAndTime = NEW(soap, struct tt__SystemDateTime);
	if (sdt == NULL ||
	    (sdt->DateTimeType = NEW(soap, enum tt__SetDateTimeType)) == NULL ||
	    (sdt->DaylightSavings = NEW(soap, enum xsd__boolean)) == NULL ||
	    (sdt->TimeZone = NEW(soap, struct tt__TimeZone)) == NULL)
		return SOAP_EOM;
	*sdt->DateTimeType = cam->spec->prof.ntp ? tt__SetDateTimeType__NTP
						 : tt__SetDateTimeType__Manual;
	*sdt->DaylightSavings = xsd__boolean__false_;
	sdt->TimeZone->TZ = soap_strdup(soap, cam->spec->prof.timezone);
	sdt->UTCDateTime = date_time(soap, t);
	sdt->LocalDateTime = date_time(soap, t + cam->spec->prof.local_offset);
	return SOAP_OK;
}

/* Reolink reports its IPv4 address without dots as the serial number. */
static char *
serial_number(struct soap *soap, const struct sim_camera *cam)
{
	char buf[SIM_STR];
	const char *s;
	size_t n = 0;

	if (strcmp(cam->spec->prof.serial, "@address") != 0)
		return soap_strdup(soap, cam->spec->prof.serial);
	for (s = cam->host; *s != '\0' && n + 1 < sizeof(buf); s++)
		if (*s != '.' && *s != ':')
			buf[n++] = *s;
	buf[n] = '\0';
	return soap_strdup(soap, buf);
}

int
__tds__GetDeviceInformation(struct soap *soap,
    struct _tds__GetDeviceInformation *req,
    struct _tds__GetDeviceInformationResponse *resp)
{
	const struct sim_camera *cam = call_of(soap)->cam;

	(void)req;
	if (call_auth(soap, "GetDeviceInformation") != SOAP_OK)
		return soap->error;
	resp->Manufacturer = soap_strdup(soap, cam->spec->prof.manufacturer);
	resp->Model = soap_strdup(soap, cam->spec->prof.model);
	resp->FirmwareVersion = soap_strdup(soap, cam->spec->prof.firmware);
	resp->SerialNumber = serial_number(soap, cam);
	resp->HardwareId = soap_strdup(soap, cam->spec->prof.hardware_id);
	return SOAP_OK;
}

static int
fill_interface(
    struct soap *soap, struct tt__NetworkInterface *ni, const struct sim_mac *m)
{
	ni->token = soap_strdup(soap, m->ifname);
	if ((ni->Enabled = NEW(soap, enum xsd__boolean)) == NULL ||
	    (ni->Info = NEW(soap, struct tt__NetworkInterfaceInfo)) == NULL ||
	    (ni->Info->MTU = NEW(soap, int)) == NULL)
		return SOAP_EOM;
	*ni->Enabled = xsd__boolean__true_;
	ni->Info->Name = soap_strdup(soap, m->ifname);
	ni->Info->HwAddress = soap_strdup(soap, m->addr);
	*ni->Info->MTU = 1500;
	return SOAP_OK;
}

int
__tds__GetNetworkInterfaces(struct soap *soap,
    struct _tds__GetNetworkInterfaces *req,
    struct _tds__GetNetworkInterfacesResponse *resp)
{
	const struct sim_camera *cam = call_of(soap)->cam;
	int i;

	(void)req;
	if (call_auth(soap, "GetNetworkInterfaces") != SOAP_OK)
		return soap->error;
	resp->__sizeNetworkInterfaces = cam->spec->prof.nmacs;
	resp->NetworkInterfaces = zalloc(soap,
	    (size_t)(cam->spec->prof.nmacs + 1) *
		sizeof(struct tt__NetworkInterface));
	if (resp->NetworkInterfaces == NULL)
		return SOAP_EOM;
	for (i = 0; i < cam->spec->prof.nmacs; i++)
		if (fill_interface(soap, &resp->NetworkInterfaces[i],
			&cam->spec->prof.macs[i]) != SOAP_OK)
			return SOAP_EOM;
	return SOAP_OK;
}

int
__tds__GetScopes(struct soap *soap, struct _tds__GetScopes *req,
    struct _tds__GetScopesResponse *resp)
{
	const struct sim_camera *cam = call_of(soap)->cam;
	struct tt__Scope *s;
	const char *item;
	int i;

	(void)req;
	if (call_auth(soap, "GetScopes") != SOAP_OK)
		return soap->error;
	resp->__sizeScopes = cam->spec->prof.nscopes;
	resp->Scopes = zalloc(soap,
	    (size_t)(cam->spec->prof.nscopes + 1) * sizeof(struct tt__Scope));
	if (resp->Scopes == NULL)
		return SOAP_EOM;
	for (i = 0; i < cam->spec->prof.nscopes; i++) {
		s = &resp->Scopes[i];
		item = cam->spec->prof.scopes[i];
		if ((s->ScopeDef = NEW(soap, enum tt__ScopeDefinition)) == NULL)
			return SOAP_EOM;
		/* name and location are the ones an operator may set. */
		*s->ScopeDef = strstr(item, "/name/") != NULL ||
			strstr(item, "/location/") != NULL
		    ? tt__ScopeDefinition__Configurable
		    : tt__ScopeDefinition__Fixed;
		s->ScopeItem = soap_strdup(soap, item);
	}
	return SOAP_OK;
}

int
__tds__GetHostname(struct soap *soap, struct _tds__GetHostname *req,
    struct _tds__GetHostnameResponse *resp)
{
	const struct sim_camera *cam = call_of(soap)->cam;
	struct tt__HostnameInformation *h;

	(void)req;
	if (call_auth(soap, "GetHostname") != SOAP_OK)
		return soap->error;
	h = resp->HostnameInformation =
	    NEW(soap, struct tt__HostnameInformation);
	if (h == NULL || (h->FromDHCP = NEW(soap, enum xsd__boolean)) == NULL)
		return SOAP_EOM;
	*h->FromDHCP = xsd__boolean__false_;
	h->Name = soap_strdup(soap, cam->spec->prof.hostname);
	return SOAP_OK;
}

static const struct {
	const char *ns, *path;
} services[] = {
    {"http://www.onvif.org/ver10/device/wsdl", "device_service"},
    {"http://www.onvif.org/ver10/media/wsdl", "Media"},
    {"http://www.onvif.org/ver10/events/wsdl", "Events"},
};

#define NSERVICES (int)(sizeof(services) / sizeof(services[0]))

int
__tds__GetServices(struct soap *soap, struct _tds__GetServices *req,
    struct _tds__GetServicesResponse *resp)
{
	struct tds__Service *s;
	int i;

	(void)req;
	if (call_auth(soap, "GetServices") != SOAP_OK)
		return soap->error;
	resp->__sizeService = NSERVICES;
	resp->Service = zalloc(soap, NSERVICES * sizeof(*resp->Service));
	if (resp->Service == NULL)
		return SOAP_EOM;
	for (i = 0; i < NSERVICES; i++) {
		s = &resp->Service[i];
		s->Namespace = soap_strdup(soap, services[i].ns);
		s->XAddr = xaddr(soap, services[i].path);
		if ((s->Version = NEW(soap, struct tt__OnvifVersion)) == NULL)
			return SOAP_EOM;
		s->Version->Major = ONVIF_VERSION_MAJOR;
		s->Version->Minor = ONVIF_VERSION_MINOR;
	}
	return SOAP_OK;
}

static struct tt__ServiceCapabilities *
capability(struct soap *soap, const char *path)
{
	struct tt__ServiceCapabilities *c;

	if ((c = NEW(soap, struct tt__ServiceCapabilities)) != NULL)
		c->XAddr = xaddr(soap, path);
	return c;
}

int
__tds__GetCapabilities(struct soap *soap, struct _tds__GetCapabilities *req,
    struct _tds__GetCapabilitiesResponse *resp)
{
	struct tt__Capabilities *c;

	(void)req;
	if (call_auth(soap, "GetCapabilities") != SOAP_OK)
		return soap->error;
	if ((c = resp->Capabilities = NEW(soap, struct tt__Capabilities)) ==
	    NULL)
		return SOAP_EOM;
	c->Device = capability(soap, "device_service");
	c->Media = capability(soap, "Media");
	c->Events = capability(soap, "Events");
	return SOAP_OK;
}
