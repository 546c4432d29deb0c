/* Zhuyin (bopomofo) annotations: see zhuyin.h. */
#include "base/zhuyin.h"

#include <glib.h>

bool kmb_zhuyin_is_letter(uint32_t c) {
  return (c >= 0x3100 && c <= 0x312F) || (c >= 0x31A0 && c <= 0x31BF);
}

bool kmb_zhuyin_is_tone(uint32_t c) {
  return c == 0x02CA || c == 0x02C7 || c == 0x02CB || c == 0x02C9;
}

bool kmb_zhuyin_is_light(uint32_t c) { return c == 0x02D9; }

bool kmb_zhuyin_is(const char *rt) {
  int letters = 0;
  for (const char *p = rt; p && *p; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    if (kmb_zhuyin_is_letter(ch)) letters++;
    else if (!kmb_zhuyin_is_tone(ch) && !kmb_zhuyin_is_light(ch)) return false;
  }
  return letters > 0 && letters <= 4;
}

bool kmb_zhuyin_beside(const char *base, size_t len, const char *rt) {
  return base && g_utf8_strlen(base, (gssize)len) == 1 && kmb_zhuyin_is(rt);
}
