/*
 * statesave.h: saving the state file off the SNMP path (statesave.c).
 * Main thread only.
 */
#ifndef CAMCOMPLY_STATESAVE_H
#define CAMCOMPLY_STATESAVE_H

#include "agent/store.h"

struct statesave;

struct statesave *statesave_new(void);
/* Save s to path soon, in slices and a writer thread; errors are logged. */
void statesave_request(struct statesave *, struct store *s, const char *path);
/* Wait for any save under way, then save s now (exit): 0, or -1 and errno. */
int statesave_flush(
    struct statesave *, const struct store *s, const char *path);
void statesave_free(struct statesave *);

#endif
