/*
 * check_unauth.h: what check_unauth.c and check_unauth_http.c share: the
 * identity the codecs fill (off the stack: ~15 KB) and the helpers that
 * read it, and the HTTP and RTSP tests check_unauth.c runs.
 */
#ifndef CHECK_UNAUTH_H
#define CHECK_UNAUTH_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "onvif/unauth.h"

extern struct cam_identity id;

void reset(void);
/* The text of the first fact of kind k, or NULL. */
const char *fact(enum cam_fact_kind k);
size_t count(enum cam_fact_kind k);
bool has_fact(enum cam_fact_kind k, const char *text);
/* The i-th MAC, formatted (asserts there is one). */
const char *mac(size_t i);
/* A refused reply left the identity as reset() made it. */
void assert_untouched(void);

/* check_unauth_http.c: its tests, into tc. */
void unauth_http_tests(TCase *tc);

#endif
