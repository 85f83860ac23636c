/*
 * oui.h: the IEEE MAC address registry (MA-L, MA-M, MA-S/IAB) and careful
 * matching of its organisation names.
 *
 * Owns a read-only copy of the registry CSV files (Debian's ieee-data or a
 * newer download dropped in by the operator).  Loading is main-thread
 * work; once loaded the registry is never written, so lookups may run on
 * any thread concurrently.
 */
#ifndef CAMCOMPLY_OUI_H
#define CAMCOMPLY_OUI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct oui_registry;

/*
 * Load oui.csv, mam.csv, oui36.csv and iab.csv from dir (each optional,
 * at least one required).  The registry date is taken from ieee-data's
 * .lastupdate stamp when present, else from the newest file's mtime.
 * Returns NULL and a message naming the file (and line) on failure.
 */
struct oui_registry *oui_load(const char *dir, char *err, size_t errsz);
void oui_free(struct oui_registry *);

/*
 * Longest-prefix lookup (36, then 28, then 24 bits).  Returns an entry
 * index usable with oui_org() and oui_bits(), or -1 when the address is in
 * no block.
 */
ssize_t oui_find(const struct oui_registry *, const uint8_t mac[6]);
const char *oui_org(const struct oui_registry *, size_t idx);
int oui_bits(const struct oui_registry *, size_t idx);
size_t oui_count(const struct oui_registry *);
const char *oui_date(const struct oui_registry *); /* "YYYY-MM-DD" */
const char *oui_dir(const struct oui_registry *);

/*
 * Organisation-name matching.  oui_org_normalise() folds a name to
 * lower-case ASCII words separated by single spaces, with a space at
 * each end (" zhejiang dahua technology co ltd "); every byte that is not
 * an ASCII letter or digit separates words, so "Co.,Ltd.", "CO.，LTD"
 * and "co., ltd" all agree.  oui_org_match() is true when the normalised
 * pattern occurs in the normalised name as whole consecutive words:
 * "zhejiang dahua technology" matches Dahua's registration, "dahua"
 * alone would also match "Shanghai Dahua Scale Factory", which is why the
 * policy spells its patterns out in full.
 */
char *oui_org_normalise(char *dst, size_t dstsz, const char *name);
int oui_org_match(const char *norm_name, const char *norm_pattern);

#endif
