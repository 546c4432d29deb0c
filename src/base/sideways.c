/* Sideways runs and tate-chu-yoko numbers in vertical text: see sideways.h. */
#include "base/sideways.h"
#include "base/utf8.h"

#include <glib.h>

/* Dashes and the ellipsis that join two sideways words or numbers: turned
 * with them they run along the column; upright between them they would take
 * the Latin font's horizontal glyph, a bar across it. */
static bool is_range_dash(gunichar ch) {
  return ch == 0x2013 || ch == 0x2014 || ch == 0x2015 || ch == 0x2026;
}

bool kmb_sideways_next(const char *s, size_t len, size_t *at, size_t *start, size_t *end) {
  size_t i = *at;
  while (i < len && !kmb_is_sideways(g_utf8_get_char(s + i))) i = (size_t)(g_utf8_next_char(s + i) - s);
  if (i >= len) return false;
  *start = *end = i;
  while (i < len) {
    gunichar d = g_utf8_get_char(s + i);
    size_t next = (size_t)(g_utf8_next_char(s + i) - s);
    gunichar after = next < len ? g_utf8_get_char(s + next) : 0;
    if (kmb_is_sideways(d) || (d == 0x2019 && kmb_is_latin_letter(after)) ||
        (is_range_dash(d) && next < len && kmb_is_sideways(after)))
      *end = i = next;
    else if (d == ' ')
      i = next;
    else
      break;
  }
  *at = i;
  return true;
}

size_t kmb_sideways_tcy(const char *s, size_t n, size_t most) {
  size_t d = n > 0 && s[n - 1] == '%' ? n - 1 : n;
  if (d < 1 || d > most) return 0;
  for (size_t k = 0; k < d; k++)
    if (!g_ascii_isdigit(s[k])) return 0;
  return d;
}
