/* Where each page starts in the book's text, for the EPUB's page list
 * (issue 16 part 2): the first box of a page that came from the manuscript
 * (running heads, repeated table headers, list labels, rules and the notes
 * at the page foot are not), taken back through its paragraph's anchors to
 * a byte of a text node, or to a block whose element the page starts with.
 * A page with none (a blank page) starts where the next page does. */
#include "pdf/pdf-imp.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#define EMPTY LONG_MIN /* a page without content of its own, until resolved */

static bool box_start(const kmb_box *b, kmb_page_start *ps) {
  if (b->furniture || !b->n_anchors) return false;
  if (b->what && strcmp(b->what, "note") == 0) return false; /* the page foot's notes */
  int o = b->kind == KMB_BOX_LINE && b->line ? b->line->start : 0;
  const kmb_anchor *a = &b->anchors[0];
  for (int i = 1; i < b->n_anchors && b->anchors[i].off <= o; i++) a = &b->anchors[i];
  ps->node = a->node;
  if (a->node_off < 0) {
    ps->offset = -1;
  } else {
    long at = a->node_off + (o > a->off ? o - a->off : 0);
    /* never past the node's text (the EPUB sets a marker there after it) */
    ps->offset = at > (long)a->node->len ? (long)a->node->len : at;
  }
  return true;
}

static void page_start(const kmb_page *pg, kmb_page_start *ps) {
  g_strlcpy(ps->label, pg->label ? pg->label : "", sizeof ps->label);
  ps->chapter = pg->chapter;
  ps->node = NULL;
  ps->offset = EMPTY;
  for (const kmb_box *b = pg->first; b; b = b->next)
    if (box_start(b, ps)) return;
}

void kmb_starts_chapter(kmb_pdf_ctx *c) {
  if (!c->starts || c->replay) return;
  for (guint i = 0; i < c->pages->len; i++) {
    kmb_page_start ps = {0};
    page_start(g_ptr_array_index(c->pages, i), &ps);
    g_array_append_val(c->starts, ps);
  }
}

void kmb_starts_finish(kmb_pdf_ctx *c, kmb_page_list *pl) {
  kmb_page_list_clear(pl);
  /* c->pages: the front matter (then the body, when laid out in one run) */
  for (guint i = 0; i < c->pages->len; i++) {
    const kmb_page *pg = g_ptr_array_index(c->pages, i);
    if (pg->kind == KMB_PAGE_BODY) break;
    kmb_page_start *ps = kmb_page_list_add(pl);
    g_strlcpy(ps->label, pg->label ? pg->label : "", sizeof ps->label);
    switch (pg->kind) {
    case KMB_PAGE_COVER: ps->front = KMB_FRONT_COVER; break;
    case KMB_PAGE_TITLE: /* the EPUB has no title page; its copyright page names the book */
    case KMB_PAGE_COPYRIGHT: ps->front = KMB_FRONT_COLOPHON; break;
    case KMB_PAGE_CONTENTS: ps->front = KMB_FRONT_CONTENTS; break;
    default: ps->offset = EMPTY; break;
    }
  }
  for (guint i = 0; i < c->starts->len; i++) *kmb_page_list_add(pl) = g_array_index(c->starts, kmb_page_start, i);
  /* Pages without content start where the next page does (the book's last
   * pages: at the last chapter's end). */
  for (size_t i = pl->n; i-- > 0;) {
    kmb_page_start *ps = &pl->pages[i];
    if (ps->front != KMB_FRONT_NONE || ps->offset != EMPTY) continue;
    if (i + 1 < pl->n) {
      const kmb_page_start *nx = &pl->pages[i + 1];
      ps->front = nx->front, ps->chapter = nx->chapter, ps->node = nx->node, ps->offset = nx->offset;
    } else {
      ps->chapter = c->book->n_chapters ? (int)c->book->n_chapters - 1 : -1;
      ps->node = NULL, ps->offset = 0;
    }
  }
  /* The print edition: this book at this trim size. */
  pl->source = g_strdup_printf("urn:kmbook:print:%.0fx%.0fmm:%s", c->page_w * 25.4 / 72,
                               c->page_h * 25.4 / 72, c->book->identifier ? c->book->identifier : "");
}
