/*
 * fuzz_store.h: the store's invariants, checked by fuzz_store and
 * fuzz_statefile after every step (fuzz_store_check.c).
 */
#ifndef CAMCOMPLY_FUZZ_STORE_H
#define CAMCOMPLY_FUZZ_STORE_H

#include <stdbool.h>

#include "agent/store.h"

/*
 * Indexes unique, sorted and below the next one; the key index sorted,
 * unique and in step with the rows; store_find, store_find_key,
 * store_at and store_next_after find every row; every string set and
 * within its bounds; the counts add up.  With one_endpoint, also no
 * endpoint reference on two rows (what discovery keeps; a state file
 * written by hand may break it).
 */
void fuzz_store_check(struct store *, bool one_endpoint);
/* Every row freed: the intern table holds nothing any more. */
void fuzz_intern_check(void);

#endif
