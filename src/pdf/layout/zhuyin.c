/* Zhuyin (bopomofo) ruby to the right of its base, as clreq (§3.4) and
 * Taiwan's school books set it in horizontal text: the syllable's letters
 * stacked top to bottom in a narrow column beside the character, centred on
 * its em box; the tone mark (ˊ ˇ ˋ) right of the column, level with the top
 * of the last letter; the light tone (˙) on top of the column. inline.c
 * leaves room after the base (kmb_zhuyin_room); emit.c calls
 * kmb_zhuyin_marks for a ruby segment base/zhuyin.h sets beside its base.
 * Each mark is a text box of its own after the line, so the text layer
 * reads the base in line and the letters, then the tone, as spans. */
#include "base/zhuyin.h"
#include "pdf/pdf-imp.h"

#include <string.h>

/* gap base–column, the column (one letter wide), gap, the tone mark, air */
#define GAP_EM 0.04
#define TONE_W 0.45 /* of the letter size */

double kmb_zhuyin_room(const kmb_design *D, double em) {
  double z = D->zhuyin_scale * em;
  return GAP_EM * em + z + TONE_W * z + GAP_EM * em;
}

/* One mark set at `size`: its box, the layout's ink rectangle in *ink (pt,
 * from the layout's top left) for placing it. */
static kmb_pbox *mark(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_box *b, const char *s,
                      int len, double size, PangoRectangle *ink) {
  PangoLayout *l = pango_layout_new(c->pc);
  kmb_pages_own(pp, l, g_object_unref);
  PangoFontDescription *d = pango_font_description_new();
  pango_font_description_set_family(d, c->st->body_family);
  pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
  pango_layout_set_font_description(l, d);
  pango_font_description_free(d);
  pango_layout_set_text(l, s, len);
  PangoRectangle logical;
  pango_layout_get_extents(l, ink, &logical);
  kmb_pbox *t = kmb_pbox_add(pp, pg, KMB_PB_TEXT);
  t->layout = l;
  t->base = pango_layout_get_baseline(l) / (double)PANGO_SCALE;
  t->w = logical.width / (double)PANGO_SCALE;
  t->size = size;
  t->tags = b->tags;
  t->tags.id[0] = 0; /* inside the line's element, no element of its own */
  t->what = "rt";
  return t;
}

void kmb_zhuyin_marks(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_box *b, const char *rt,
                      double base_x, double base_w, double em) {
  const kmb_design *D = &c->st->pdf;
  double z = D->zhuyin_scale * em;
  int n = 0;
  bool light = false;
  for (const char *p = rt; *p; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    n += kmb_zhuyin_is_letter(ch);
    light = light || kmb_zhuyin_is_light(ch);
  }
  double col = base_x + base_w + GAP_EM * em;
  /* the column centred on the base's ideographic em box (baseline_em below
   * its middle); a light tone on top takes half a letter more */
  double h = n * z + (light ? 0.5 * z : 0);
  double top = b->y - D->baseline_em * em - h / 2 + (light ? 0.5 * z : 0);
  int i = 0;
  for (const char *p = rt; *p; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    int len = (int)(g_utf8_next_char(p) - p);
    PangoRectangle ink;
    kmb_pbox *t = mark(c, pp, pg, b, p, len, z, &ink);
    double ix = (ink.x + ink.width / 2.0) / PANGO_SCALE, iy = (ink.y + ink.height / 2.0) / PANGO_SCALE;
    if (kmb_zhuyin_is_letter(ch)) {
      /* a letter in its cell: the cell's ideographic box from top + i·z */
      t->x = col + (z - t->w) / 2;
      t->y = top + i * z + 0.88 * z - t->base;
      i++;
    } else if (kmb_zhuyin_is_light(ch)) { /* light tone: ink centred over the column */
      t->x = col + z / 2 - ix;
      t->y = top - 0.25 * z - iy;
    } else { /* tone: ink right of the column, its middle at the last letter's top */
      t->x = col + z + GAP_EM * em - ink.x / (double)PANGO_SCALE;
      t->y = top + (n > 1 ? (n - 1) * z : 0.3 * z) - iy;
    }
  }
}
