/* Verse and its attribution (read/manuscript.c marks them) → the vertical
 * list. A verse has no first-line indent: each of its lines starts a line
 * at the block's edge, and a line too long for the measure wraps with its
 * continuation hanging verse_hang_em in. A short verse (up to
 * KMB_VERSE_WHOLE lines) is kept on one page. The block sits at the margin
 * or, with verse_align=center, centred as a whole (its lines still flush
 * at one edge). The attribution is set smaller, without emphasis dots:
 * before a verse at the verse's edge (kept with it), after a verse at the
 * right. A blank row parts verse from prose. */
#include "pdf/pdf-imp.h"

#include <math.h>
#include <string.h>

enum { KMB_VERSE_WHOLE = 8 }; /* lines: a poem this short is never split */

/* A line item, honouring the heading's keep (see blocks.c vi_push). */
static kmb_vitem *push_line(kmb_pdf_ctx *c, const char *what) {
  kmb_vitem it = {0};
  it.kind = KMB_VI_LINE;
  it.rows = 1;
  it.chapter = c->chapter;
  it.what = what;
  if (c->ls.keep_lines > 0) {
    it.keep = true;
    it.weak = true;
    c->ls.keep_lines--;
  }
  g_array_append_val(c->vlist, it);
  return &g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1);
}

/* Prose next to a verse: a paragraph that is neither verse nor attribution. */
static bool prose(const kmb_node *n) {
  return n && n->type == KMB_NODE_PARAGRAPH && !n->as.para.verse && !n->as.para.attribution;
}

/* A blank row between verse and prose (as blocks.c space_rows: merged with
 * a space before it, none at a chapter start; dropped at a page top). */
static void space_row(kmb_pdf_ctx *c) {
  if (c->vlist->len == 0) return;
  kmb_vitem *last = &g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1);
  if (last->kind == KMB_VI_SPACE || last->kind == KMB_VI_CHAPTER) return;
  kmb_vitem it = {0};
  it.kind = KMB_VI_SPACE;
  it.rows = 1;
  it.chapter = c->chapter;
  it.what = "space";
  g_array_append_val(c->vlist, it);
}

static void put_box(kmb_vitem *it, kmb_box *bx) {
  bx->next = it->boxes;
  it->boxes = bx;
  it->notes = bx->notes;
}

/* Width of a line's ink from its leftmost run (a first line's runs carry
 * the negative hang). */
static double line_extent(const kmb_line *l) {
  double lo = 0, hi = 0;
  for (int i = 0; i < l->n_runs; i++) {
    if (i == 0 || l->runs[i].x < lo) lo = l->runs[i].x;
    if (i == 0 || l->runs[i].x + l->runs[i].width > hi) hi = l->runs[i].x + l->runs[i].width;
  }
  return hi - lo;
}

static bool centred(const kmb_pdf_ctx *c) {
  return strcmp(c->st->verse_align, "center") == 0;
}

static double baseline(const kmb_pdf_ctx *c, double size) {
  return c->pitch / 2 + c->st->pdf.baseline_em * size; /* as blocks.c: the em box centred in the row */
}

static void layout_attribution(kmb_pdf_ctx *c, const kmb_node *n, double left, double right,
                               const kmb_tags *tags) {
  double size = c->st->caption_size, width = c->text_w - left - right;
  kmb_ptext pt;
  kmb_ptext_init(&pt, c->st->body_family, size, c->book->chapters[c->chapter].rel);
  kmb_ptext_add_inlines(c, &pt, n);
  /* a name in emphasis marks the line, it is not stressed: no dots */
  for (guint i = pt.spans->len; i-- > 0;) {
    if (g_array_index(pt.spans, kmb_span, i).kind == KMB_SPAN_EMPH)
      g_array_remove_index(pt.spans, i);
  }
  if (pt.text->len == 0) {
    kmb_ptext_clear(&pt);
    return;
  }
  kmb_tbreak tb = {.width = width, .indent = 0, .justify = false, .size = size};
  kmb_para *p = kmb_text_break(c, &pt, &tb);
  kmb_box **v = kmb_text_boxes(c, &pt, p, "attribution");
  bool before = n->next && n->next->type == KMB_NODE_PARAGRAPH && n->next->as.para.verse;
  for (int i = 0; i < p->n_lines; i++) {
    kmb_vitem *it = push_line(c, "attribution");
    kmb_box *bx = v[i];
    double w = line_extent(bx->line);
    bx->x = left + (centred(c) ? (width - w) / 2 : before ? 0 : width - w);
    bx->y = baseline(c, c->em);
    bx->size = size;
    bx->tags = *tags;
    bx->what = "attribution";
    put_box(it, bx);
    if (before || i + 1 < p->n_lines) it->keep = true, it->weak = false;
  }
  kmb_ptext_clear(&pt);
  if (!before && prose(n->next)) space_row(c);
}

void kmb_layout_verse(kmb_pdf_ctx *c, const kmb_node *n, double left, double right,
                      const kmb_tags *tags) {
  if (!n->as.para.verse) {
    layout_attribution(c, n, left, right, tags);
    return;
  }
  if (prose(n->prev)) space_row(c);
  double width = c->text_w - left - right;
  double hang = MIN(c->st->verse_hang_em * c->em, width / 3);
  GPtrArray *lines = g_ptr_array_new(); /* kmb_box *, in order */
  GArray *cont = g_array_new(FALSE, FALSE, sizeof(gboolean)); /* a continuation line? */
  double widest = 0;
  for (const kmb_node *seg = n->first; seg;) {
    const kmb_node *br = seg;
    while (br && br->type != KMB_NODE_LINEBREAK) br = br->next;
    kmb_ptext pt;
    kmb_ptext_init(&pt, c->st->body_family, c->em, c->book->chapters[c->chapter].rel);
    kmb_ptext_add_inline_run(c, &pt, seg, br);
    if (pt.text->len == 0) kmb_ptext_add(&pt, " ", 1, n->line); /* an empty line keeps its row */
    /* the first line hangs out by -hang from a measure narrowed by hang:
     * it starts at the edge, its continuations hang in */
    kmb_tbreak tb = {.width = width - hang, .indent = -hang, .justify = false, .size = c->em};
    kmb_para *p = kmb_text_break(c, &pt, &tb);
    kmb_box **v = kmb_text_boxes(c, &pt, p, "verse");
    for (int i = 0; i < p->n_lines; i++) {
      gboolean k = i > 0;
      g_ptr_array_add(lines, v[i]);
      g_array_append_val(cont, k);
      widest = MAX(widest, line_extent(v[i]->line) + (k ? hang : 0));
    }
    kmb_ptext_clear(&pt);
    seg = br ? br->next : NULL;
  }
  double offset = centred(c) && widest < width ? floor((width - widest) / 2) : 0;
  int total = (int)lines->len;
  for (int i = 0; i < total; i++) {
    kmb_vitem *it = push_line(c, "verse");
    kmb_box *bx = g_ptr_array_index(lines, i);
    bx->x = left + offset + hang;
    bx->y = baseline(c, c->em);
    bx->size = c->em;
    bx->tags = *tags;
    bx->what = "verse";
    put_box(it, bx);
    /* short: whole; long: no orphan, no widow, and a wrapped line stays
     * with its continuation */
    bool keep = total <= KMB_VERSE_WHOLE ? i + 1 < total
                                         : i == 0 || i == total - 2 ||
                                               (i + 1 < total && g_array_index(cont, gboolean, i + 1));
    if (keep) it->keep = true, it->weak = false;
  }
  g_ptr_array_free(lines, TRUE);
  g_array_free(cont, TRUE);
  if (prose(n->next)) space_row(c);
}
