/*
 * statesave.h: saving the state file off the SNMP path (statesave.c).
 * Main thread only.
 */
#ifndef CAMCOMPLY_STATESAVE_H
#define CAMCOMPLY_STATESAVE_H

#include <stdint.h>

#include "agent/store.h"

struct statesave;

/*
 * ended, if set, is called (main thread) when a save has ended, written
 * or not: with its generation, 1 for the first save, then 2...
 */
struct statesave *statesave_new(void (*ended)(uint32_t gen));
/*
 * Save s to path soon, in slices and a writer thread; errors are logged.
 * Returns the generation of the save that holds s as it is now: when
 * ended(gen) is called, it is on disk (unless logged).  A row whose
 * announced mark is for that save (announce_save = gen) has it in no
 * save before.
 */
uint32_t statesave_request(
    struct statesave *, struct store *s, const char *path);
/* Wait for any save under way, then save s now (exit): 0, or -1 and errno. */
int statesave_flush(
    struct statesave *, const struct store *s, const char *path);
void statesave_free(struct statesave *);

#endif
