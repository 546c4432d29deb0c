/* Callouts (admonitions, `::: note` divs) in the PDF: a tinted band with a
 * rule down its left edge, the title in bold on the first rows, the body
 * blocks inset inside. Every row of the body gets its own slice of tint and
 * rule, so the block may break across pages and the rule simply continues;
 * the title keeps with the first two body lines. blocks.c lays the body out
 * (it owns the block context) between kmb_callout_open and _close. */
#include "pdf/layout/callout.h"

#include <math.h>
#include <string.h>


static kmb_vitem *push_item(kmb_pdf_ctx *c, kmb_vi_kind kind, int rows) {
  kmb_vitem it = {0};
  it.kind = kind;
  it.rows = rows;
  it.chapter = c->chapter;
  g_array_append_val(c->vlist, it);
  return &g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1);
}

/* One blank row outside the band, unless the list already ends in one. */
static void space_row(kmb_pdf_ctx *c) {
  if (c->vlist->len == 0) return;
  kmb_vitem *last = &g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1);
  if (last->kind == KMB_VI_SPACE || last->kind == KMB_VI_CHAPTER) return;
  push_item(c, KMB_VI_SPACE, 1)->what = "space";
}

double kmb_callout_inset(kmb_pdf_ctx *c) {
  return c->st->pdf.callout_inset_em * c->em;
}

guint kmb_callout_open(kmb_pdf_ctx *c, const kmb_node *n, double left, double right,
                       const kmb_tags *title_tags) {
  space_row(c);
  guint from = c->vlist->len;
  const char *title = n->as.callout.title;
  if (!title || !*title) return from;
  double inset = kmb_callout_inset(c);
  int nl = 0;
  kmb_box **v = kmb_text_simple(c, title, c->st->heading_family, c->em, PANGO_WEIGHT_BOLD,
                                c->text_w - left - right - 2 * inset, &nl);
  kmb_boxes_anchor(c, v, nl, n); /* the EPUB's title is the callout's own */
  for (int i = 0; i < nl; i++) {
    kmb_vitem *it = push_item(c, KMB_VI_LINE, 1);
    it->what = "callout-title";
    it->keep = true; /* the title never ends a page */
    kmb_box *bx = v[i];
    bx->x = left + inset;
    bx->y = c->pitch / 2 + c->st->pdf.baseline_em * c->em; /* as blocks.c baseline_in */
    bx->size = c->em;
    bx->tags = *title_tags;
    bx->what = "callout-title";
    bx->next = it->boxes;
    it->boxes = bx;
  }
  /* and the first body line keeps with the second, as under a heading */
  if (nl) c->ls.keep_lines = 1;
  return from;
}

static void prepend(kmb_vitem *it, kmb_box *b) {
  b->next = it->boxes;
  it->boxes = b;
}

void kmb_callout_close(kmb_pdf_ctx *c, const kmb_node *n, guint from, double left, double right) {
  (void)n;
  /* a trailing space inside the band would leave a tinted blank row */
  while (c->vlist->len > from &&
         g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1).kind == KMB_VI_SPACE)
    g_array_set_size(c->vlist, c->vlist->len - 1);
  double w = c->text_w - left - right;
  for (guint i = from; i < c->vlist->len; i++) {
    kmb_vitem *it = &g_array_index(c->vlist, kmb_vitem, i);
    if (it->rows <= 0 || it->kind == KMB_VI_CHAPTER) continue;
    double h = it->rows * c->pitch;
    kmb_box *rule = kmb_box_new(c, KMB_BOX_RULE);
    rule->x = left + c->st->pdf.callout_rule_width / 2;
    rule->h = h;
    rule->lw = c->st->pdf.callout_rule_width;
    rule->gray = c->st->pdf.callout_rule_gray;
    rule->what = "callout-rule";
    prepend(it, rule);
    kmb_box *band = kmb_box_new(c, KMB_BOX_RECT);
    band->x = left;
    band->w = w;
    band->h = h;
    band->gray = c->st->pdf.callout_tint;
    band->what = "callout-band";
    prepend(it, band); /* drawn first: under the text and the rule */
  }
  space_row(c);
}
