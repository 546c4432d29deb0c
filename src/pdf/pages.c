/* The page model's container and its stable text form (--layout-dump):
 * one line per page, one per box, positions in points with two decimals,
 * the text of every line, and what each box is tagged as. Golden tests
 * compare it, so layout changes show up in review. */
#include "pdf/pages.h"

#include <string.h>

typedef struct owned {
  void *obj;
  void (*free_fn)(void *);
} owned;

kmb_pages *kmb_pages_new(kmb_arena *arena) {
  kmb_pages *p = g_new0(kmb_pages, 1);
  p->arena = arena ? arena : kmb_arena_new();
  p->pages = g_ptr_array_new();
  p->owned = g_array_new(FALSE, FALSE, sizeof(owned));
  return p;
}

void kmb_pages_own(kmb_pages *pages, void *obj, void (*free_fn)(void *)) {
  owned o = {obj, free_fn};
  g_array_append_val(pages->owned, o);
}

void kmb_pages_free(kmb_pages *pages) {
  if (!pages) return;
  for (guint i = pages->owned->len; i > 0; i--) {
    owned *o = &g_array_index(pages->owned, owned, i - 1);
    o->free_fn(o->obj);
  }
  g_array_free(pages->owned, TRUE);
  g_ptr_array_free(pages->pages, TRUE);
  kmb_arena_drop(pages->arena);
  g_free(pages);
}

kmb_ppage *kmb_pages_add(kmb_pages *pages, kmb_page_kind kind) {
  kmb_ppage *pg = kmb_arena_alloc(pages->arena, sizeof *pg);
  pg->kind = kind;
  g_ptr_array_add(pages->pages, pg);
  return pg;
}

kmb_pbox *kmb_pbox_add(kmb_pages *pages, kmb_ppage *pg, kmb_pbox_kind kind) {
  kmb_pbox *b = kmb_arena_alloc(pages->arena, sizeof *b);
  b->kind = kind;
  if (pg->last) pg->last->next = b;
  else pg->first = b;
  pg->last = b;
  return b;
}

/* --- dump --- */

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

/* Element names only (ids shift with every element laid out before). */
static void put_tags(GString *s, const kmb_tags *t) {
  if (!t->id[0]) return;
  g_string_append(s, " <");
  for (int d = 0; d < KMB_TAG_DEPTH && t->id[d]; d++)
    g_string_append_printf(s, "%s%s", d ? "/" : "", t->name[d]);
  g_string_append_c(s, '>');
}

static void put_dest(GString *s, const kmb_pdest *d) {
  if (d->name) g_string_append_printf(s, " dest=%s", d->name);
}

static void put_line(GString *s, const kmb_pbox *b) {
  g_string_append_printf(s, "  %-8s %7.2f %7.2f w=%6.2f ", b->what ? b->what : "line", b->x, b->y,
                         b->w);
  put_text(s, b->text, b->start, b->end);
  /* where the first glyph run starts: the first-line indent */
  if (b->n_runs > 0 && b->runs[0].x - b->x > 0.005)
    g_string_append_printf(s, " in=%.2f", b->runs[0].x - b->x);
  put_dest(s, &b->dest);
  if (b->link_dest) g_string_append_printf(s, " link=%s", b->link_dest);
  for (int i = 0; i < b->n_runs; i++) {
    const kmb_grun *r = &b->runs[i];
    if (r->dest.name)
      g_string_append_printf(s, " mark=%s@%.2f", r->dest.name, b->y - r->y); /* raised by */
    if (r->link_dest) g_string_append_printf(s, " ->%s", r->link_dest);
    if (r->link_uri) g_string_append_printf(s, " ->%s", r->link_uri);
    if (r->rgb[0] != 0 || r->rgb[1] != 0 || r->rgb[2] != 0)
      g_string_append_printf(s, " rgb=%.2f,%.2f,%.2f", r->rgb[0], r->rgb[1], r->rgb[2]);
    if (r->strike_lw > 0)
      g_string_append_printf(s, " strike=%.2f@%.2f", r->strike_lw, r->y - r->strike_y);
    if (r->emph)
      g_string_append_printf(s, " emph=%d@%.2f/%.2f", r->n_dots, r->dot_y - r->y, r->dot_r);
  }
  for (int i = 0; b->notes && b->notes[i] >= 0; i++) g_string_append_printf(s, " note=%d", b->notes[i]);
  if (b->furniture) g_string_append(s, " furniture");
  put_tags(s, &b->tags);
  g_string_append_c(s, '\n');
}

void kmb_pages_dump(const kmb_pages *pages, GString *s) {
  for (guint i = 0; i < pages->pages->len; i++) {
    const kmb_ppage *pg = g_ptr_array_index(pages->pages, i);
    g_string_append_printf(s, "page %d [%s] %s %s", pg->number, pg->label ? pg->label : "",
                           kind_name(pg->kind), pg->recto ? "recto" : "verso");
    if (pg->chapter_id) g_string_append_printf(s, " %s", pg->chapter_id);
    if (pg->opening) g_string_append(s, " opening");
    g_string_append_c(s, '\n');
    for (const kmb_pbox *b = pg->first; b; b = b->next) {
      const char *what = b->what ? b->what : "";
      switch (b->kind) {
      case KMB_PB_LINE:
        put_line(s, b);
        continue;
      case KMB_PB_IMAGE: {
        const char *base = strrchr(b->img->path, '/');
        g_string_append_printf(s, "  %-8s %7.2f %7.2f %.2fx%.2f %s", "image", b->x, b->y, b->w,
                               b->h, base ? base + 1 : b->img->path);
        if (b->under) g_string_append_printf(s, " under=%s", b->under);
        break;
      }
      case KMB_PB_RULE:
        g_string_append_printf(s, "  %-8s %7.2f %7.2f w=%.2f", *what ? what : "rule", b->x, b->y,
                               b->w);
        if (b->h != 0) g_string_append_printf(s, " h=%.2f", b->h);
        g_string_append_printf(s, " lw=%.2f", b->lw);
        if (b->under) g_string_append_printf(s, " under=%s", b->under); /* a floating table */
        if (b->gray != 0) g_string_append_printf(s, " gray=%.2f", b->gray);
        break;
      case KMB_PB_RECT:
        g_string_append_printf(s, "  %-8s %7.2f %7.2f %.2fx%.2f gray=%.2f", *what ? what : "rect",
                               b->x, b->y, b->w, b->h, b->gray);
        break;
      case KMB_PB_DOTS:
        g_string_append_printf(s, "  %-8s %7.2f %7.2f n=%d pitch=%.2f r=%.2f gray=%.2f",
                               *what ? what : "dots", b->x, b->y, b->n, b->pitch, b->r, b->gray);
        break;
      case KMB_PB_TEXT: {
        int w, h;
        pango_layout_get_size(b->layout, &w, &h);
        g_string_append_printf(s, "  %-8s %7.2f %7.2f w=%6.2f ", *what ? what : "text", b->x,
                               b->y + b->base, (double)w / PANGO_SCALE);
        const char *t = pango_layout_get_text(b->layout);
        put_text(s, t, 0, (int)strlen(t));
        g_string_append_printf(s, " size=%.2f gray=%.2f",
                               pango_font_description_get_size(pango_layout_get_font_description(
                                   b->layout)) / (double)PANGO_SCALE, b->gray);
        break;
      }
      case KMB_PB_PAINT:
        g_string_append_printf(s, "  %-8s %.2fx%.2f", *what ? what : "paint", b->w, b->h);
        break;
      }
      put_dest(s, &b->dest);
      if (b->link_dest) g_string_append_printf(s, " link=%s", b->link_dest);
      if (b->furniture) g_string_append(s, " furniture");
      put_tags(s, &b->tags);
      g_string_append_c(s, '\n');
    }
  }
}

void kmb_pdoc_dump_outline(const kmb_pdoc *doc, GString *s) {
  g_string_append(s, "outline\n");
  for (int i = 0; i < doc->n_outline; i++) {
    const kmb_outline_item *o = &doc->outline[i];
    int depth = 0;
    for (int p = o->parent; p >= 0; p = doc->outline[p].parent) depth++;
    g_string_append_printf(s, "  %*s%s -> %s\n", 2 * depth, "", o->title, o->dest);
  }
}
