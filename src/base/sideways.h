/* The runs a vertical column sets sideways and the numbers it sets across
 * in one cell (tate-chu-yoko), found the same way by both writers: the PDF
 * (pdf/layout/vertical.c) and the EPUB (epub/xhtml.c). */
#ifndef KMB_SIDEWAYS_H
#define KMB_SIDEWAYS_H

#include <stdbool.h>
#include <stddef.h>

/* The next sideways run in s[*at, len) (valid UTF-8): characters
 * kmb_is_sideways, the spaces between them (a phrase of several words turns
 * as one), an apostrophe U+2019 before a Latin letter (don’t, O’Brien: it
 * turns with the word, never a corner bracket) and a dash or ellipsis
 * between two sideways characters (1815—1897). Sets [*start, *end) to the
 * run, without trailing spaces, and *at past it; false when there is none. */
bool kmb_sideways_next(const char *s, size_t len, size_t *at, size_t *start, size_t *end);

/* Of a sideways run s[0, n): how many leading bytes are a number set across
 * in one cell — up to `most` ASCII digits, the whole run or all but a final
 * % (95%: the number across, the sign upright after it); 0 if none. */
size_t kmb_sideways_tcy(const char *s, size_t n, size_t most);

#endif
