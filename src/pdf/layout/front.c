/* Front matter, laid out after the body so that the contents know their page
 * numbers (body pages are numbered 1, 2, … on their own, so one pass over
 * the body is enough): cover, its blank back, title page, copyright page,
 * contents, and a blank page if needed so that chapter 1 opens on a recto. */
#include "pdf/pdf-imp.h"

#include <math.h>
#include <string.h>

static kmb_page *front_page(kmb_pdf_ctx *c, GPtrArray *front, kmb_page_kind kind) {
  kmb_page *pg = kmb_arena_alloc(c->arena, sizeof *pg);
  pg->kind = kind;
  pg->chapter = -1;
  g_ptr_array_add(front, pg);
  pg->number = (int)front->len;
  pg->recto = pg->number % 2 == 1;
  pg->x0 = pg->recto ? c->inner : c->outer;
  return pg;
}

/* Centred lines of one font; y is the first baseline; returns the next baseline. */
static double put_centered(kmb_pdf_ctx *c, kmb_page *pg, const char *text, const char *family,
                           double size, PangoWeight w, double y, double pitch, const char *tag,
                           int tag_id, const char *what) {
  int n;
  kmb_box **v = kmb_text_simple(c, text, family, size, w, c->text_w, &n);
  for (int i = 0; i < n; i++) {
    v[i]->x = pg->x0 + (c->text_w - v[i]->line->width) / 2;
    v[i]->y = y;
    v[i]->what = what;
    if (tag) {
      v[i]->tags.name[0] = tag;
      v[i]->tags.id[0] = tag_id;
    }
    kmb_page_put(pg, v[i]);
    y += pitch;
  }
  return y;
}

static char *people_line(const kmb_person *p, size_t n, bool skip_ctb) {
  GString *s = g_string_new(NULL);
  for (size_t i = 0; i < n; i++) {
    if (skip_ctb && strcmp(p[i].role, "ctb") == 0) continue;
    if (s->len) g_string_append(s, "　");
    g_string_append(s, p[i].name);
    if (*p[i].role_credit) g_string_append_printf(s, " %s", p[i].role_credit);
  }
  return g_string_free(s, FALSE);
}

static void title_page(kmb_pdf_ctx *c, GPtrArray *front) {
  kmb_page *pg = front_page(c, front, KMB_PAGE_TITLE);
  const kmb_meta *m = &c->book->meta;
  const kmb_style *st = c->st;
  const kmb_design *D = &st->pdf;
  int tid = kmb_new_tag_id(c);
  double y = c->top + c->text_h * D->title_sink;
  double ts = st->h_size[1] * D->title_scale;
  y = put_centered(c, pg, m->title ? m->title : "", st->heading_family, ts, PANGO_WEIGHT_BOLD, y,
                   ts * D->title_line_height, "P", tid, "title");
  if (m->subtitle && *m->subtitle)
    y = put_centered(c, pg, m->subtitle, st->heading_family, st->h_size[3], PANGO_WEIGHT_NORMAL,
                     y + ts * D->subtitle_gap, st->h_size[3] * D->subtitle_line_height, "P",
                     kmb_new_tag_id(c), "subtitle");
  kmb_box *rule = kmb_box_new(c, KMB_BOX_RULE);
  rule->x = pg->x0 + c->text_w / 2 - D->title_rule_em / 2 * c->em;
  rule->w = D->title_rule_em * c->em, rule->y = y + D->title_rule_drop_em * c->em;
  rule->lw = D->title_rule_width, rule->what = "rule";
  kmb_page_put(pg, rule);
  y += D->title_people_gap_em * c->em;
  char *people = people_line(m->creators, m->n_creators, false);
  char *more = people_line(m->contributors, m->n_contributors, true);
  if (*people)
    y = put_centered(c, pg, people, st->body_family, st->body_size * D->author_scale,
                     PANGO_WEIGHT_NORMAL, y, c->pitch * D->author_line_rows, "P", kmb_new_tag_id(c),
                     "author");
  if (*more)
    put_centered(c, pg, more, st->body_family, st->body_size, PANGO_WEIGHT_NORMAL, y,
                 c->pitch * D->author_line_rows, "P", kmb_new_tag_id(c), "author");
  g_free(people);
  g_free(more);
  /* The imprint at the foot: publisher, else the year of publication. */
  double yb = c->top + c->text_h - c->pitch;
  char year[8] = "";
  if (m->date && strlen(m->date) >= 4) snprintf(year, sizeof year, "%.4s", m->date);
  const char *imprint = m->publisher && *m->publisher ? m->publisher : *year ? year : NULL;
  if (imprint)
    put_centered(c, pg, imprint, st->body_family, st->body_size, PANGO_WEIGHT_NORMAL, yb,
                 c->pitch, "P", kmb_new_tag_id(c), "imprint");
}

static void copyright_page(kmb_pdf_ctx *c, GPtrArray *front) {
  kmb_page *pg = front_page(c, front, KMB_PAGE_COPYRIGHT);
  const kmb_meta *m = &c->book->meta;
  const kmb_labels *L = c->book->labels;
  double size = c->st->footnote_size, lp = size * c->st->pdf.colophon_line_height;
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *uris = g_ptr_array_new(); /* parallel: uri or NULL */
#define ADD(u, ...) (g_ptr_array_add(lines, g_strdup_printf(__VA_ARGS__)), g_ptr_array_add(uris, (void *)(u)))
  ADD(NULL, "%s%s%s%s%s", L->title, L->sep, m->title ? m->title : "", m->subtitle ? "——" : "",
      m->subtitle ? m->subtitle : "");
  for (size_t i = 0; i < m->n_creators; i++)
    ADD(NULL, "%s%s%s", m->creators[i].role_name, L->sep, m->creators[i].name);
  for (size_t i = 0; i < m->n_contributors; i++)
    ADD(NULL, "%s%s%s", m->contributors[i].role_name, L->sep, m->contributors[i].name);
  if (m->publisher) ADD(NULL, "%s%s%s", L->publisher, L->sep, m->publisher);
  if (c->book->edition_text) ADD(NULL, "%s%s%s", L->edition, L->sep, c->book->edition_text);
  if (m->date) ADD(NULL, "%s%s%s", L->date, L->sep, m->date);
  if (m->source) ADD(NULL, "%s%s%s", L->source, L->sep, m->source);
  if (m->rights) ADD(NULL, "%s%s%s", L->rights, L->sep, m->rights);
  ADD(NULL, "%s%s%s", L->identifier, L->sep, c->book->identifier);
  for (size_t i = 0; i < m->n_links; i++)
    ADD(m->links[i].url, "%s%s%s", m->links[i].title ? m->links[i].title : L->link, L->sep,
        m->links[i].url);
#undef ADD
  /* Lay out first to know the height, then bottom-align on the text block. */
  GPtrArray *boxes = g_ptr_array_new();
  for (guint i = 0; i < lines->len; i++) {
    kmb_ptext pt;
    kmb_ptext_init(&pt, c->st->body_family, size, NULL);
    const char *t = g_ptr_array_index(lines, i);
    kmb_ptext_add(&pt, t, (int)strlen(t), 0);
    const char *uri = g_ptr_array_index(uris, i);
    if (uri) {
      const char *at = strstr(t, uri);
      if (at) {
        kmb_span sp = {KMB_SPAN_LINK, (int)(at - t), (int)(at - t + strlen(uri)), NULL,
                       kmb_arena_strdup(c->arena, uri), 0, NULL, 0};
        g_array_append_val(pt.spans, sp);
        /* A URL breaks anywhere. */
        kmb_ptext_attr(&pt, pango_attr_foreground_new(0x1800, 0x3000, 0x7000), sp.start, sp.end);
      }
    }
    kmb_tbreak tb = {.width = c->text_w, .justify = false, .code = uri != NULL, .words = true,
                     .size = size};
    kmb_para *p = kmb_text_break(c, &pt, &tb);
    kmb_box **v = kmb_text_boxes(c, &pt, p, "colophon");
    int tid = kmb_new_tag_id(c);
    for (int k = 0; k < p->n_lines; k++) {
      v[k]->size = size;
      v[k]->tags.name[0] = "P";
      v[k]->tags.id[0] = tid;
      g_ptr_array_add(boxes, v[k]);
    }
    kmb_ptext_clear(&pt);
  }
  double y = c->top + c->text_h - boxes->len * lp + lp * c->st->pdf.colophon_first;
  for (guint i = 0; i < boxes->len; i++) {
    kmb_box *b = g_ptr_array_index(boxes, i);
    b->x = pg->x0;
    b->y = y + i * lp;
    kmb_page_put(pg, b);
  }
  g_ptr_array_free(boxes, TRUE);
  g_ptr_array_free(lines, TRUE);
  g_ptr_array_free(uris, TRUE);
}

static void contents_pages(kmb_pdf_ctx *c, GPtrArray *front) {
  const kmb_style *st = c->st;
  const kmb_design *D = &st->pdf;
  kmb_page *pg = front_page(c, front, KMB_PAGE_CONTENTS);
  int toc_id = kmb_new_tag_id(c);
  int row = 0;
  /* Title: three rows, like a chapter opening in miniature. */
  int ntl;
  kmb_box **tv = kmb_text_simple(c, c->book->labels->contents, st->heading_family, st->h_size[1],
                                 PANGO_WEIGHT_BOLD, c->text_w, &ntl);
  if (ntl == 0) return;
  tv[0]->x = pg->x0 + (c->text_w - tv[0]->line->width) / 2;
  tv[0]->y = c->top + D->contents_title_rows * c->pitch + D->baseline_em * st->h_size[1];
  tv[0]->what = "contents-title";
  tv[0]->dest = "contents";
  tv[0]->tags.name[0] = "H1";
  tv[0]->tags.id[0] = kmb_new_tag_id(c);
  c->contents_dest = "contents"; /* the outline's first entry */
  kmb_page_put(pg, tv[0]);
  row = (int)D->contents_first_row;
  double numw = kmb_text_width(c, "000", st->body_family, c->em, PANGO_WEIGHT_NORMAL);
  for (guint i = 0; i < c->toc->len; i++) {
    kmb_toc_entry *e = &g_array_index(c->toc, kmb_toc_entry, i);
    if (e->level > (int)D->contents_levels) continue;
    double indent = e->level == 1 ? 0 : D->contents_indent_em * c->em;
    double size = c->em;
    PangoWeight w = e->level == 1 ? PANGO_WEIGHT_NORMAL : PANGO_WEIGHT_NORMAL;
    int n;
    const char *title = e->title && *e->title ? e->title : "—";
    kmb_box **v = kmb_text_simple(c, title, st->body_family, size, w,
                                  c->text_w - indent - numw - D->contents_page_room_em * c->em, &n);
    char num[16];
    snprintf(num, sizeof num, "%d", e->page);
    int nn;
    /* vertical books: a page number of up to 3 digits stands across the
     * column (tate-chu-yoko) — turned sideways it would read along the
     * leader, not as one number */
    c->tcy_at_least = 3;
    kmb_box **nv = kmb_text_simple(c, num, st->body_family, size, PANGO_WEIGHT_NORMAL, c->text_w,
                                   &nn);
    c->tcy_at_least = 0;
    if (n == 0 || nn == 0) continue; /* the breaker failed (already warned) */
    if (e->level == 1 && i > 0) row++; /* chapters set off by a blank row */
    if (row + n > c->rows) {
      pg = front_page(c, front, KMB_PAGE_CONTENTS);
      row = 0;
    }
    int eid = kmb_new_tag_id(c);
    for (int k = 0; k < n; k++) {
      kmb_box *b = v[k];
      b->x = pg->x0 + indent + (k ? D->contents_wrap_indent_em * c->em : 0);
      b->y = c->top + (row + k) * c->pitch + c->pitch / 2 + D->baseline_em * size;
      b->link_dest = e->dest;
      b->what = "toc";
      b->tags.name[0] = "TOC", b->tags.id[0] = toc_id;
      b->tags.name[1] = "TOCI", b->tags.id[1] = eid;
      kmb_page_put(pg, b);
    }
    kmb_box *last = v[n - 1];
    kmb_box *nb = nv[0];
    nb->x = pg->x0 + c->text_w - nb->line->width;
    nb->y = last->y;
    nb->link_dest = e->dest;
    nb->what = "toc-page";
    nb->tags = last->tags;
    kmb_box *dots = kmb_box_new(c, KMB_BOX_DOTS);
    dots->x = last->x + last->line->width + D->contents_leader_gap_em * c->em;
    dots->w = nb->x - D->contents_leader_gap_em * c->em - dots->x;
    dots->y = last->y;
    dots->what = "leader";
    kmb_page_put(pg, dots);
    kmb_page_put(pg, nb);
    row += n;
  }
}

bool kmb_layout_front(kmb_pdf_ctx *c) {
  GPtrArray *front = g_ptr_array_new();
  kmb_page *cover = front_page(c, front, KMB_PAGE_COVER);
  kmb_box *cb = kmb_box_new(c, KMB_BOX_COVER);
  cb->w = c->page_w, cb->h = c->page_h, cb->what = "cover";
  cb->tags.name[0] = "Figure";
  cb->tags.id[0] = kmb_new_tag_id(c);
  kmb_page_put(cover, cb);
  front_page(c, front, KMB_PAGE_BLANK);
  title_page(c, front);
  copyright_page(c, front);
  contents_pages(c, front);
  if (front->len % 2) front_page(c, front, KMB_PAGE_BLANK);
  c->n_front = (int)front->len;
  for (guint i = 0; i < front->len; i++) {
    kmb_page *pg = g_ptr_array_index(front, i);
    char *roman[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
                     "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
    pg->label = i < G_N_ELEMENTS(roman) ? roman[i] : kmb_arena_printf(c->arena, "f%u", i + 1);
    /* Contents pages after the first carry a head and folio; the rest none. */
    if (pg->kind == KMB_PAGE_CONTENTS && i > 0 &&
        ((kmb_page *)g_ptr_array_index(front, i - 1))->kind == KMB_PAGE_CONTENTS) {
      pg->head = c->book->labels->contents;
      pg->folio = pg->label;
    }
  }
  /* Front first, then the body; physical numbers follow. */
  GPtrArray *all = g_ptr_array_new();
  for (guint i = 0; i < front->len; i++) g_ptr_array_add(all, g_ptr_array_index(front, i));
  for (guint i = 0; i < c->pages->len; i++) g_ptr_array_add(all, g_ptr_array_index(c->pages, i));
  for (guint i = 0; i < all->len; i++) ((kmb_page *)g_ptr_array_index(all, i))->number = (int)i + 1;
  g_ptr_array_free(c->pages, TRUE);
  c->pages = all;
  g_ptr_array_free(front, TRUE);
  return !c->failed;
}
