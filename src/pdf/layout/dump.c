/* The layout's part of --layout-dump: the page geometry first, the contents
 * (with their page numbers) last; the pages between are the page model's
 * own dump (pages.c). */
#include "pdf/pdf-imp.h"

void kmb_layout_dump_head(kmb_pdf_ctx *c, GString *s) {
  g_string_append_printf(s, "paper %s %.2fx%.2f text %.2fx%.2f rows %d pitch %.3f inner %.2f outer %.2f top %.2f\n",
                         c->st->paper, c->page_w, c->page_h, c->text_w, c->text_h, c->rows,
                         c->pitch, c->inner, c->outer, c->top);
  /* the numbers above are in the vertical frame (vertical.c) */
  if (c->vertical)
    g_string_append_printf(s, "vertical paper %.2fx%.2f verso_dy %.2f\n", c->paper_w, c->paper_h,
                           c->verso_dy);
}

void kmb_layout_dump_toc(kmb_pdf_ctx *c, GString *s) {
  g_string_append(s, "contents\n");
  for (guint i = 0; i < c->toc->len; i++) {
    const kmb_toc_entry *e = &g_array_index(c->toc, kmb_toc_entry, i);
    g_string_append_printf(s, "  %d %s p.%d %s\n", e->level, e->dest, e->page, e->title);
  }
}
