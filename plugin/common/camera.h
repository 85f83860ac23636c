/*
 * camera.h: what camcomply knows about one camera, as plain C.
 *
 * Owns the identity record that crosses from the ONVIF client (and later
 * discovery) to the policy engine and the store.  No gSOAP, Net-SNMP or
 * libxml2 types appear here, so every consumer is testable without sockets.
 * The record is a value: copy it freely between threads.
 */
#ifndef CAMCOMPLY_CAMERA_H
#define CAMCOMPLY_CAMERA_H

#include <stddef.h>
#include <stdint.h>

/* 255 bytes of printable UTF-8 plus the NUL: what a MIB DisplayString holds. */
#define CAM_STR_MAX 256
#define CAM_ADDR_MAX 64
#define CAM_MACS_MAX 8
#define CAM_SCOPES_MAX 32
/* Names from the configuration: sites, credentials groups, interfaces. */
#define CAM_NAME_MAX 64

struct cam_identity {
	char manufacturer[CAM_STR_MAX];
	char model[CAM_STR_MAX];
	char firmware[CAM_STR_MAX];
	char serial[CAM_STR_MAX];
	char hardware_id[CAM_STR_MAX];
	char hostname[CAM_STR_MAX];
	char endpoint[CAM_STR_MAX]; /* WS-Discovery endpoint, urn:uuid:... */
	char address[CAM_ADDR_MAX]; /* numeric IPv4 or IPv6, no port */
	uint8_t macs[CAM_MACS_MAX][6];
	size_t n_macs;
	/* Scope URIs as the camera sent them (still percent-encoded). */
	char scopes[CAM_SCOPES_MAX][CAM_STR_MAX];
	size_t n_scopes;
};

#endif
