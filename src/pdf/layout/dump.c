/* A stable text form of the laid-out pages: one line per box, positions in
 * points with two decimals, the text of every line. Golden tests compare
 * it, so layout changes show up in review. */
#include "pdf/pdf-imp.h"

#include <string.h>

static const char *kind_name(kmb_page_kind k) {
  switch (k) {
  case KMB_PAGE_COVER: return "cover";
  case KMB_PAGE_BLANK: return "blank";
  case KMB_PAGE_TITLE: return "title";
  case KMB_PAGE_COPYRIGHT: return "copyright";
  case KMB_PAGE_CONTENTS: return "contents";
  case KMB_PAGE_BODY: return "body";
  }
  return "?";
}

static void put_text(GString *s, const char *t, int start, int end) {
  g_string_append_c(s, '"');
  for (int i = start; i < end; i++) {
    char ch = t[i];
    if (ch == '\n') g_string_append(s, "\\n");
    else if (ch == '"' || ch == '\\') g_string_append_c(s, '\\'), g_string_append_c(s, ch);
    else g_string_append_c(s, ch);
  }
  g_string_append_c(s, '"');
}

void kmb_layout_dump_head(kmb_pdf_ctx *c, GString *s) {
  g_string_append_printf(s, "paper %s %.2fx%.2f text %.2fx%.2f rows %d pitch %.3f inner %.2f outer %.2f top %.2f\n",
                         c->st->paper, c->page_w, c->page_h, c->text_w, c->text_h, c->rows,
                         c->pitch, c->inner, c->outer, c->top);
}

void kmb_layout_dump_pages(kmb_pdf_ctx *c, GString *s, const GPtrArray *pages) {
  for (guint i = 0; i < pages->len; i++) {
    const kmb_page *pg = g_ptr_array_index(pages, i);
    g_string_append_printf(s, "page %d [%s] %s %s", pg->number, pg->label ? pg->label : "",
                           kind_name(pg->kind), pg->recto ? "recto" : "verso");
    if (pg->chapter >= 0) g_string_append_printf(s, " %s", c->book->chapters[pg->chapter].id);
    if (pg->opening) g_string_append(s, " opening");
    if (pg->head) g_string_append_printf(s, " head=\"%s\"", pg->head);
    if (pg->folio) g_string_append_printf(s, " folio=%s", pg->folio);
    g_string_append_c(s, '\n');
    for (const kmb_box *b = pg->first; b; b = b->next) {
      switch (b->kind) {
      case KMB_BOX_LINE: {
        /* y as a grid row when it sits on the body grid */
        g_string_append_printf(s, "  %-8s %7.2f %7.2f w=%6.2f ", b->what ? b->what : "line", b->x,
                               b->y, b->line->width);
        put_text(s, b->text, b->line->start, b->line->end);
        /* where the first glyph run starts: the first-line indent */
        if (b->line->n_runs > 0 && b->line->runs[0].x > 0.005)
          g_string_append_printf(s, " in=%.2f", b->line->runs[0].x);
        if (b->dest) g_string_append_printf(s, " dest=%s", b->dest);
        if (b->link_dest) g_string_append_printf(s, " link=%s", b->link_dest);
        g_string_append_c(s, '\n');
        break;
      }
      case KMB_BOX_IMAGE:
        g_string_append_printf(s, "  image    %7.2f %7.2f %.2fx%.2f %s\n", b->x, b->y, b->w, b->h,
                               strrchr(b->img->path, '/') ? strrchr(b->img->path, '/') + 1 : b->img->path);
        break;
      case KMB_BOX_RULE:
        if (g_strcmp0(b->what, "quote-bar") == 0) break; /* one per row: noise */
        g_string_append_printf(s, "  %-8s %7.2f %7.2f w=%.2f%s%s\n", b->what ? b->what : "rule",
                               b->x, b->y, b->w, b->dest ? " dest=" : "", b->dest ? b->dest : "");
        break;
      case KMB_BOX_RECT:
        break; /* code backgrounds: one per row */
      case KMB_BOX_DOTS:
        g_string_append_printf(s, "  leader   %7.2f %7.2f w=%.2f\n", b->x, b->y, b->w);
        break;
      case KMB_BOX_COVER:
        g_string_append_printf(s, "  cover    %.2fx%.2f\n", b->w, b->h);
        break;
      }
    }
  }
}

void kmb_layout_dump_toc(kmb_pdf_ctx *c, GString *s) {
  g_string_append(s, "contents\n");
  for (guint i = 0; i < c->toc->len; i++) {
    const kmb_toc_entry *e = &g_array_index(c->toc, kmb_toc_entry, i);
    g_string_append_printf(s, "  %d %s p.%d %s\n", e->level, e->dest, e->page, e->title);
  }
}
