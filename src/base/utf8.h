/* UTF-8 helpers and the character classes kmbook's CJK rules need. */
#ifndef KMB_UTF8_H
#define KMB_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n bytes available). Returns its byte length,
 * or 0 for an invalid/truncated sequence. */
size_t kmb_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Decodes the code point that ends just before s+n (s[0..n) is valid UTF-8);
 * returns 0 if n == 0. */
uint32_t kmb_utf8_last(const char *s, size_t n);
/* Returns true if s[0..n) is valid UTF-8 without NUL bytes; otherwise sets
 * *bad to the offset of the first offending byte and *is_nul accordingly. */
bool kmb_utf8_check(const char *s, size_t n, size_t *bad, bool *is_nul);

/* Han ideographs, kana and CJK/full-width punctuation: the characters between
 * which a Markdown soft line break disappears (CSS Text §4.1.2; Hangul is
 * excluded there because Korean separates words with spaces). */
bool kmb_is_cjk(uint32_t cp);
/* Han ideographs only (CJK–Latin spacing, 孤字 counting). */
bool kmb_is_han(uint32_t cp);
/* A letter of the Latin script (U+2019 between two is an apostrophe). */
bool kmb_is_latin_letter(uint32_t cp);
/* Set sideways in a vertical column (both writers' rule): ASCII other than
 * the space, and Latin, Greek and Cyrillic letters other than full-width forms. */
bool kmb_is_sideways(uint32_t cp);
/* “” ‘’ as 「」 『』 (Taiwan and Hong Kong editions; vertical books), except an
 * apostrophe inside a Latin word (don’t): s[0..len) converted, g_malloc'd. */
/* U+2019 between `prev` and `next` is an apostrophe, not a closing quote:
 * a Latin letter follows a Latin letter or a digit (don’t, O’Brien, 1990’s). */
bool kmb_is_apostrophe_between(uint32_t prev, uint32_t next);
char *kmb_corner_quotes(const char *s, size_t len);

#endif
