#include "base/utf8.h"

#include <glib.h>

size_t kmb_utf8_decode(const char *str, size_t n, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)str;
  if (n == 0) return 0;
  unsigned c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t v, min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, v = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, v = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

uint32_t kmb_utf8_last(const char *s, size_t n) {
  if (n == 0) return 0;
  size_t i = n - 1;
  while (i > 0 && n - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  uint32_t cp = 0;
  if (!kmb_utf8_decode(s + i, n - i, &cp)) return 0xFFFD;
  return cp;
}

bool kmb_utf8_check(const char *s, size_t n, size_t *bad, bool *is_nul) {
  /* GLib stops at the first NUL or invalid sequence and says where: the
   * same verdict and offset as kmb_utf8_decode gives, byte for byte (checked
   * on every string of up to 3 bytes and every 4-byte one with a 4-byte lead). */
  const char *end = NULL;
  if (g_utf8_validate_len(s, n, &end)) return true;
  *bad = (size_t)(end - s);
  *is_nul = *end == '\0';
  return false;
}

bool kmb_is_han(uint32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007;
}

bool kmb_is_latin_letter(uint32_t c) {
  return g_unichar_isalpha(c) && g_unichar_get_script(c) == G_UNICODE_SCRIPT_LATIN;
}

bool kmb_is_sideways(uint32_t c) {
  if (c > 0x20 && c < 0x7f) return true;
  switch (g_unichar_get_script(c)) {
  case G_UNICODE_SCRIPT_LATIN:
  case G_UNICODE_SCRIPT_GREEK:
  case G_UNICODE_SCRIPT_CYRILLIC: return c < 0xFF00 || c > 0xFFEF;
  default: return false;
  }
}

bool kmb_is_apostrophe_between(uint32_t prev, uint32_t next) {
  return (kmb_is_latin_letter(prev) || (prev >= '0' && prev <= '9')) && kmb_is_latin_letter(next);
}

char *kmb_corner_quotes(const char *s, size_t len) {
  GString *o = g_string_sized_new(len);
  const char *end = s + len;
  gunichar prev = 0;
  for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
    const char *q = g_utf8_next_char(p);
    gunichar c = g_utf8_get_char(p), next = q < end ? g_utf8_get_char(q) : 0;
    gunichar r = c == 0x201C ? 0x300C : c == 0x201D ? 0x300D : c == 0x2018 ? 0x300E : c;
    if (c == 0x2019) r = kmb_is_apostrophe_between(prev, next) ? c : 0x300F;
    g_string_append_unichar(o, r);
    prev = c;
  }
  return g_string_free(o, FALSE);
}

bool kmb_is_cjk(uint32_t c) {
  return kmb_is_han(c) || (c >= 0x3000 && c <= 0x303F) /* CJK punctuation */ ||
         (c >= 0x3040 && c <= 0x30FF) /* kana */ ||
         (c >= 0xFF00 && c <= 0xFF60) /* full-width forms */ ||
         (c >= 0xFE30 && c <= 0xFE4F) || c == 0x2014 || c == 0x2026 || c == 0x201C ||
         c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x00B7;
}
