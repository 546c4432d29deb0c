/* Pattern hyphenation of Latin words (issue 14): libhyphen with the system's
 * dictionaries (Debian hyphen-en-us: /usr/share/hyphen/hyph_en_US.dic). */
#ifndef KMB_PDF_HYPHEN_H
#define KMB_PDF_HYPHEN_H

#include <stdbool.h>

/* The hyphenation points of `word` (len bytes of UTF-8) for the text
 * language `lang` (a BCP 47 tag; zh, ja and en use en-US: Latin inside a
 * Chinese book is English), as bytes: points[i] is true when the word may
 * break after byte i, showing a hyphen. At least 2 letters stay before a
 * break and 3 after it. False when the language has no dictionary or the
 * word no point; `points` (len bytes) is then all false. */
bool kmb_hyphen_points(const char *lang, const char *word, int len, bool *points);

#endif
