/*
 * intern.h: one shared, reference-counted copy of each string that
 * repeats across an estate (a model, a firmware version, a maker's name,
 * a camera's list of scopes), so that 10,000 rows of the same camera hold
 * one copy, not 10,000.
 *
 * Each intern_get() takes a reference and each intern_put() drops one; a
 * string is freed when its last reference goes, so what is held is
 * bounded by what the live rows hold (a camera reporting a new firmware
 * every poll replaces its string, it does not add one).  Strings are
 * immutable: never write through what intern_get() returns.
 *
 * Main thread only: no locks.  The store, its user, is main-thread only;
 * a second thread would need a table of its own.
 */
#ifndef CAMCOMPLY_INTERN_H
#define CAMCOMPLY_INTERN_H

#include <stddef.h>

/*
 * The shared copy of s, one reference taken.  Never NULL: "" is a static
 * string, no reference needed, and so is what a failed allocation gives
 * (the value is lost, nothing crashes).
 */
const char *intern_get(const char *s);
/* The same for len bytes that may hold NULs (a packed list); a NUL is added. */
const char *intern_mem(const void *p, size_t len);
/* Drop one reference to what intern_get/intern_mem returned (or NULL). */
void intern_put(const char *s);
/* Bytes of an interned string or packed list, the added NUL not counted. */
size_t intern_len(const char *s);
/* Distinct strings held and their bytes: for tests and benchmarks. */
size_t intern_count(size_t *bytes);

#endif
