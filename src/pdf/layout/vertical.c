/* Vertical writing (竖排/直排): columns top to bottom, right to left, bound
 * on the right. The whole layout runs unchanged in the page's vertical
 * frame — the paper turned a quarter clockwise about its top right corner —
 * where a column is a line (x runs down the paper) and lines follow one
 * another leftward (y runs from the paper's right edge). So the paragraph
 * breaker, the grid, keeps, notes and contents work as they do for
 * horizontal books; what differs is decided here:
 *   - the frame's geometry: measure = column height, rows = columns across
 *     the text block, the inner margin on the right of rectos;
 *   - shaping: base gravity EAST with a STRONG hint (ideographs, kana and
 *     punctuation upright in their `vert` forms: ，。 at the top right,
 *     brackets turned by the font, —— and …… down
 *     the column), and gravity SOUTH on Latin words and numbers, which are
 *     set sideways, rotated 90° clockwise on the paper (library-facts §4),
 *     except numbers of up to tcy_digits digits, which stand across the
 *     column in one cell (tate-chu-yoko; the contents' page numbers up to 3); curly quotes drawn as corner
 *     brackets, “” as 「」 and ‘’ as 『』;
 *   - the furniture: running head down the fore-edge margin, folio in
 *     horizontal digits at the foot of the fore-edge. */
#include "base/sideways.h"
#include "pdf/pdf-imp.h"

#include <math.h>
#include <string.h>

/* the ideographic em box reaches this far below a horizontal baseline (in
 * ems; the CJK fonts' box is 0.88 above, 0.12 below) */
#define EM_BOX_DESCENT 0.12
/* a tate-chu-yoko number wider than this share of its cell is squeezed
 * across, so that it never touches the column's edges */
#define TCY_ROOM 0.95

void kmb_vertical_geometry(kmb_pdf_ctx *c) {
  const kmb_style *st = c->st;
  c->paper_w = st->page_w, c->paper_h = st->page_h;
  /* the frame is the paper turned: its width is the paper's height */
  c->page_w = st->page_h, c->page_h = st->page_w;
  /* a column is a whole number of characters; what is left goes to the top
   * and bottom margins alike */
  double avail = st->page_h - st->margin_top - st->margin_bottom;
  int chars = (int)floor(avail / c->em + 1e-6);
  if (chars < (int)st->pdf.min_chars) chars = (int)st->pdf.min_chars;
  c->text_w = chars * c->em;
  double extra = avail - c->text_w;
  c->inner = c->outer = st->margin_top + extra / 2; /* the column tops line up on every page */
  double availh = st->page_w - st->margin_inner - st->margin_outer;
  c->rows = (int)floor(availh / c->pitch + 1e-6);
  if (c->rows < (int)st->pdf.min_rows) c->rows = (int)st->pdf.min_rows;
  c->text_h = c->rows * c->pitch;
  double side = (availh - c->text_h) / 2;
  /* the frame's top is the paper's right edge: a recto's inner margin (the
   * first page of a right-bound book lies left of the spine); versos move
   * their block by the difference */
  c->top = st->margin_inner + side;
  c->verso_dy = st->margin_outer - st->margin_inner;
}

void kmb_vertical_context(PangoContext *pc) {
  pango_context_set_base_gravity(pc, PANGO_GRAVITY_EAST);
  pango_context_set_gravity_hint(pc, PANGO_GRAVITY_HINT_STRONG);
}

/* Tate-chu-yoko: how many digits of a sideways run are a number set across
 * (base/sideways.h), up to tcy_digits (or the front matter's tcy_at_least). */
static int tcy_digits(kmb_pdf_ctx *c, const char *s, int n) {
  int most = (int)c->st->tcy_digits > c->tcy_at_least ? (int)c->st->tcy_digits : c->tcy_at_least;
  return (int)kmb_sideways_tcy(s, (size_t)n, most > 0 ? (size_t)most : 0);
}

/* The digits stay upright for the breaker, scaled so that together they
 * advance one em down the column (they are shaped again across the column
 * when the line is placed: kmb_vertical_run), and are never broken. */
static void tcy(kmb_pdf_ctx *c, kmb_ptext *pt, int start, int end) {
  /* the digits' advance down the column, standing upright */
  PangoLayout *l = pango_layout_new(c->pc);
  PangoFontDescription *d = pango_font_description_new();
  pango_font_description_set_family(d, pt->family);
  pango_font_description_set_absolute_size(d, pt->size * PANGO_SCALE);
  pango_layout_set_font_description(l, d);
  pango_font_description_free(d);
  pango_layout_set_text(l, pt->text->str + start, end - start);
  int lw, lh;
  pango_layout_get_size(l, &lw, &lh);
  g_object_unref(l);
  double w = (double)lw / PANGO_SCALE;
  if (w > 0) kmb_ptext_attr(pt, pango_attr_scale_new(pt->size / w), start, end);
  kmb_span sp = {.kind = KMB_SPAN_TCY, .start = start, .end = end};
  g_array_append_val(pt->spans, sp);
  sp.kind = KMB_SPAN_KEEP;
  g_array_append_val(pt->spans, sp);
}

/* The next sideways run at or after *at (base/sideways.h), in ints. */
static bool next_sideways(const char *s, int len, int *at, int *start, int *end) {
  size_t a = (size_t)*at, st, en;
  if (!kmb_sideways_next(s, (size_t)len, &a, &st, &en)) return false;
  *at = (int)a, *start = (int)st, *end = (int)en;
  return true;
}

void kmb_vertical_attrs(kmb_pdf_ctx *c, kmb_ptext *pt, bool code) {
  if (!c->vertical) return;
  const char *s = pt->text->str;
  int len = (int)pt->text->len;
  if (code) {
    /* read by turning the book, Chinese comments too: no column of upright
     * ideographs among sideways code */
    kmb_ptext_attr(pt, pango_attr_gravity_new(PANGO_GRAVITY_SOUTH), 0, len);
    return;
  }
  int at = 0, start, end;
  while (next_sideways(s, len, &at, &start, &end)) {
    int d = tcy_digits(c, s + start, end - start);
    if (d > 0) {
      tcy(c, pt, start, start + d); /* 95%: the number across, the sign upright below it */
    } else {
      kmb_ptext_attr(pt, pango_attr_gravity_new(PANGO_GRAVITY_SOUTH), start, end);
    }
  }
}

void kmb_vertical_layout(kmb_pdf_ctx *c, PangoLayout *l) {
  if (!c->vertical) return;
  const char *s = pango_layout_get_text(l);
  int len = (int)strlen(s), at = 0, start, end;
  PangoAttrList *al = pango_layout_get_attributes(l);
  al = al ? pango_attr_list_copy(al) : pango_attr_list_new();
  while (next_sideways(s, len, &at, &start, &end)) {
    PangoAttribute *a = pango_attr_gravity_new(PANGO_GRAVITY_SOUTH);
    a->start_index = (guint)start, a->end_index = (guint)end;
    pango_attr_list_insert(al, a);
  }
  pango_layout_set_attributes(l, al);
  pango_attr_list_unref(al);
}

void kmb_vertical_place(kmb_pdf_ctx *c, kmb_page *pg) {
  if (!c->vertical) return;
  for (kmb_box *b = pg->first; b; b = b->next) {
    if (b->kind == KMB_BOX_COVER) {
      /* the cover is painted on the paper as it is */
      b->w = c->paper_w, b->h = c->paper_h;
      continue;
    }
    if (!pg->recto) b->y += c->verso_dy;
    /* Layout puts a line's baseline baseline_em below the middle of its
     * em box; a vertical line's baseline is the middle of its column. */
    if (b->kind == KMB_BOX_LINE) b->y -= c->st->pdf.baseline_em * (b->size > 0 ? b->size : c->em);
  }
}

static void free_glyph_item(void *gi) {
  pango_glyph_item_free(gi);
}

/* Curly quotes drawn as corner brackets: “” as 「」, ‘’ as 『』, as vertical
 * books quote (the font's own vertical “” look like 『』, so the first level
 * would read as the second). Only the glyph
 * changes: the text layer keeps the manuscript's quotes, and the geometry
 * (compression, glue) is the breaker's, both marks being full-width. */
static const char *corner_for(gunichar ch) {
  switch (ch) {
  case 0x201C: return "「";
  case 0x201D: return "」";
  case 0x2018: return "『";
  case 0x2019: return "』";
  default: return NULL;
  }
}

static bool cjk_script(PangoScript s) {
  return s == PANGO_SCRIPT_HAN || s == PANGO_SCRIPT_HIRAGANA || s == PANGO_SCRIPT_KATAKANA ||
         s == PANGO_SCRIPT_BOPOMOFO || s == PANGO_SCRIPT_HANGUL;
}

/* Upright marks in their vertical forms. Pango gives a run of marks alone
 * (a table cell holding only "—") the Common script, under which the
 * fonts have no `vert`: such marks are shaped again as Han, one by one. */
static void vertical_forms(const kmb_box *b, kmb_grun *g) {
  const PangoItem *item = g->gi->item;
  PangoGlyphString *gs = g->gi->glyphs;
  bool common = !cjk_script(item->analysis.script);
  PangoAnalysis an = item->analysis;
  an.script = PANGO_SCRIPT_HAN;
  for (int i = 0; i < gs->num_glyphs; i++) {
    const char *at = b->text + item->offset + gs->log_clusters[i];
    const char *q = corner_for(g_utf8_get_char(at));
    if (!q && !common) continue;
    int n = q ? (int)strlen(q) : (int)(g_utf8_next_char(at) - at);
    if (!q) q = at;
    PangoGlyphString *sub = pango_glyph_string_new();
    pango_shape_full(q, n, q, n, &an, sub);
    if (sub->num_glyphs == 1 && !(sub->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
      gs->glyphs[i].glyph = sub->glyphs[0].glyph;
    pango_glyph_string_free(sub);
  }
}

void kmb_vertical_run(kmb_pdf_ctx *c, kmb_pages *pp, const kmb_box *b, kmb_grun *g) {
  const PangoItem *item = g->gi->item;
  bool tcy = false;
  for (int i = 0; i < b->n_spans && !tcy; i++)
    tcy = b->spans[i].kind == KMB_SPAN_TCY && item->offset >= b->spans[i].start &&
          item->offset < b->spans[i].end;
  if (!item->analysis.font) return;
  /* the column's centre line is its baseline: a strike-through runs on it,
   * emphasis dots stand right of the column as far from its em box as they
   * stand below a horizontal line's */
  if (g->strike_lw > 0) g->strike_y = g->y;
  if (g->emph) {
    double em = b->size > 0 ? b->size : c->em;
    g->dot_y = g->y - em / 2 - (c->st->pdf.emph_dot_drop - EM_BOX_DESCENT) * em;
  }
  if (!tcy) {
    if (item->analysis.gravity == PANGO_GRAVITY_EAST) vertical_forms(b, g);
    return;
  }
  /* the same face at the line's size, with southern gravity: horizontal */
  double size = b->size > 0 ? b->size : c->em;
  PangoFontDescription *d = pango_font_describe(item->analysis.font);
  pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
  pango_font_description_set_gravity(d, PANGO_GRAVITY_SOUTH);
  PangoFont *font = pango_context_load_font(c->pc, d);
  pango_font_description_free(d);
  if (!font) return;
  PangoGlyphItem *gi = g_new0(PangoGlyphItem, 1);
  gi->item = pango_item_copy((PangoItem *)item);
  g_object_unref(gi->item->analysis.font);
  gi->item->analysis.font = font;
  gi->item->analysis.gravity = PANGO_GRAVITY_SOUTH;
  gi->item->analysis.flags &= ~PANGO_ANALYSIS_FLAG_CENTERED_BASELINE;
  gi->glyphs = pango_glyph_string_new();
  pango_shape_full(b->text + item->offset, item->length, b->text, (int)strlen(b->text),
                   &gi->item->analysis, gi->glyphs);
  kmb_pages_own(pp, gi, free_glyph_item);
  PangoRectangle ink, logical;
  pango_glyph_string_extents(gi->glyphs, font, &ink, &logical);
  double tw = logical.width / (double)PANGO_SCALE;
  /* centred on the cell: the cell's middle on the column's central
   * baseline */
  double room = size * TCY_ROOM;
  g->turn = true;
  g->turn_scale = tw > room ? room / tw : 1;
  g->turn_dx = -tw / 2;
  g->turn_dy = -(ink.y + ink.height / 2.0) / PANGO_SCALE;
  g->x += g->width / 2;
  g->gi = gi;
}

void kmb_vertical_image(kmb_pdf_ctx *c, kmb_img *img) {
  if (!c->vertical || !img) return;
  double w = img->w;
  img->w = img->h, img->h = w;
}

static PangoLayout *furniture_layout(kmb_pdf_ctx *c, kmb_pages *pp, const char *text,
                                     bool upright) {
  PangoLayout *l = kmb_furniture_layout(c, pp, text);
  if (upright) {
    /* laid out along the paper: every character with southern gravity */
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_gravity_new(PANGO_GRAVITY_SOUTH));
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
  } else {
    kmb_vertical_layout(c, l);
    /* a running head longer than a column is cut with an ellipsis */
    pango_layout_set_width(l, (int)(c->text_w * PANGO_SCALE));
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
  }
  return l;
}

/* Running head: a column in the fore-edge margin (the paper's left on a
 * recto, its right on a verso), starting level with the text's top. Folio:
 * horizontal digits at the foot of the same margin, level with the text's
 * bottom. Both small and grey, outside the structure tree. */
void kmb_vertical_furniture(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_page *src) {
  const kmb_design *D = &c->st->pdf;
  double top = c->top + (src->recto ? 0 : c->verso_dy); /* the block's right edge (frame y) */
  double bottom = top + c->text_h;                       /* its left edge */
  /* the fore-edge margin, in frame y: beyond the block's left on a recto,
   * before its right on a verso */
  double m0 = src->recto ? bottom : 0, m1 = src->recto ? c->page_h : top;
  if (src->head) {
    PangoLayout *l = furniture_layout(c, pp, src->head, false);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double th = (double)h / PANGO_SCALE;
    kmb_pbox *t = kmb_pbox_add(pp, pg, KMB_PB_TEXT);
    t->layout = l;
    /* head_drop of the margin in from the paper's edge, as horizontal
     * heads hang in the top margin */
    double y = src->recto ? m1 - (m1 - m0) * D->head_drop - th / 2
                          : m0 + (m1 - m0) * D->head_drop - th / 2;
    t->x = c->inner, t->y = y;
    t->base = pango_layout_get_baseline(l) / (double)PANGO_SCALE;
    t->gray = D->furniture_gray;
    t->furniture = true;
    t->what = "head";
  }
  if (src->folio) {
    PangoLayout *l = furniture_layout(c, pp, src->folio, true);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double tw = (double)w / PANGO_SCALE;
    double base = pango_layout_get_baseline(l) / (double)PANGO_SCALE;
    /* centred in the fore-edge margin, on the paper */
    double mx = c->paper_w - (m0 + m1) / 2;
    kmb_pbox *t = kmb_pbox_add(pp, pg, KMB_PB_TEXT);
    t->layout = l;
    t->upright = true;
    /* its foot level with the text's foot */
    t->x = mx - tw / 2, t->y = c->inner + c->text_w - (double)h / PANGO_SCALE;
    t->base = base;
    t->gray = D->furniture_gray;
    t->furniture = true;
    t->what = "folio";
  }
}
