/* Zhuyin (bopomofo) annotations: which ruby both writers set as a column
 * right of its base (clreq §3.4) rather than above it like pinyin. */
#ifndef KMB_ZHUYIN_H
#define KMB_ZHUYIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The room beside the base, shared by both writers: a gap of GAP_EM of the
 * base size on each side of the column and its tone mark, the tone mark
 * TONE_W of the letter size wide. */
#define KMB_ZHUYIN_GAP_EM 0.04
#define KMB_ZHUYIN_TONE_W 0.45

/* A bopomofo letter (U+3100–312F, extended U+31A0–31BF). */
bool kmb_zhuyin_is_letter(uint32_t cp);
/* A tone mark set beside the column: ˊ ˇ ˋ (and ˉ, the first tone, rarely written). */
bool kmb_zhuyin_is_tone(uint32_t cp);
/* The light (neutral) tone ˙, set on top of the column. */
bool kmb_zhuyin_is_light(uint32_t cp);
/* rt is one zhuyin syllable: 1–4 letters and tone marks, nothing else. */
bool kmb_zhuyin_is(const char *rt);
/* The annotation rt over base[0..len) goes right of the base: one base
 * character annotated with one zhuyin syllable (the writers' one rule,
 * when the style's zhuyin_right is on). */
bool kmb_zhuyin_beside(const char *base, size_t len, const char *rt);

#endif
