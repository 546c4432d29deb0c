/* Pages of boxes → a cairo PDF surface: glyph runs with their text (so the
 * text layer is the manuscript's), structure tags, named destinations,
 * internal and external links, the outline, page labels, running heads and
 * folios, and the document information. */
#include "base/date.h"
#include "base/utf8.h"
#include "cover/cover.h"
#include "pdf/pdf-imp.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct kmb_renderer rstate;
struct kmb_renderer {
  kmb_pdf_ctx *c;
  cairo_surface_t *surface;
  cairo_t *cr;
  const char *open_name[KMB_TAG_DEPTH];
  int open_id[KMB_TAG_DEPTH];
  int depth;
  GHashTable *dest_done; /* destinations already set (each only once; own copies) */
  struct outstream *os;
  int bad_page;          /* first page cairo failed on */
  int done;              /* pages rendered */
};

/* Single-quoted cairo attribute value: backslash-escape ' and \. */
static char *quote(const char *s) {
  GString *g = g_string_new("'");
  for (; *s; s++) {
    if (*s == '\'' || *s == '\\') g_string_append_c(g, '\\');
    g_string_append_c(g, *s);
  }
  g_string_append_c(g, '\'');
  return g_string_free(g, FALSE);
}

static void close_to(rstate *r, int d) {
  while (r->depth > d) {
    r->depth--;
    cairo_tag_end(r->cr, r->open_name[r->depth]);
    r->open_name[r->depth] = NULL;
    r->open_id[r->depth] = 0;
  }
}

static void open_tags(rstate *r, const kmb_tags *t) {
  int n = 0;
  while (n < KMB_TAG_DEPTH && t->id[n]) n++;
  int d = 0;
  while (d < r->depth && d < n && r->open_id[d] == t->id[d]) d++;
  close_to(r, d);
  for (; d < n; d++) {
    cairo_tag_begin(r->cr, t->name[d], "");
    r->open_name[d] = t->name[d];
    r->open_id[d] = t->id[d];
    r->depth = d + 1;
  }
}

static void set_dest(rstate *r, const char *name, double x, double y) {
  if (!name || g_hash_table_contains(r->dest_done, name)) return;
  g_hash_table_add(r->dest_done, g_strdup(name)); /* the page's arena goes before the end */
  char *q = quote(name);
  char *attr = g_strdup_printf("name=%s x=%.2f y=%.2f", q, x, y < 0 ? 0 : y);
  cairo_tag_begin(r->cr, CAIRO_TAG_DEST, attr);
  cairo_tag_end(r->cr, CAIRO_TAG_DEST);
  g_free(attr);
  g_free(q);
}

static char *link_attr(const char *dest, const char *uri) {
  char *q = quote(dest ? dest : uri);
  char *a = g_strdup_printf("%s=%s", dest ? "dest" : "uri", q);
  g_free(q);
  return a;
}

static const kmb_span *span_at(const kmb_box *b, int off, kmb_span_kind kind) {
  for (int i = 0; i < b->n_spans; i++)
    if (b->spans[i].kind == kind && off >= b->spans[i].start && off < b->spans[i].end)
      return &b->spans[i];
  return NULL;
}

/* 着重号: a dot under the centre of every Han character of the run. */
static void emphasis_dots(cairo_t *cr, const kmb_box *b, const PangoGlyphItem *gi, double x,
                          double y) {
  const PangoGlyphString *gs = gi->glyphs;
  const char *text = b->text + gi->item->offset;
  double gx = x;
  for (int g = 0; g < gs->num_glyphs;) {
    int cl = gs->log_clusters[g];
    double w = 0;
    int k = g;
    while (k < gs->num_glyphs && gs->log_clusters[k] == cl) w += gs->glyphs[k].geometry.width, k++;
    gunichar ch = g_utf8_get_char(text + cl);
    w /= PANGO_SCALE;
    if (kmb_is_han(ch)) {
      double em = b->size > 0 ? b->size : 10.5;
      cairo_new_sub_path(cr);
      cairo_arc(cr, gx + em / 2, y + 0.3 * em, 0.08 * em, 0, 2 * M_PI);
    }
    gx += w;
    g = k;
  }
  cairo_fill(cr);
}

static void draw_line(rstate *r, const kmb_box *b) {
  cairo_t *cr = r->cr;
  const kmb_line *ln = b->line;
  if (b->link_dest) {
    char *a = link_attr(b->link_dest, NULL);
    cairo_tag_begin(cr, CAIRO_TAG_LINK, a);
    g_free(a);
  }
  for (int i = 0; i < ln->n_runs; i++) {
    const kmb_run *run = &ln->runs[i];
    PangoGlyphItem *gi = run->gi;
    int off = gi->item->offset;
    const kmb_span *link = span_at(b, off, KMB_SPAN_LINK);
    const kmb_span *ref = span_at(b, off, KMB_SPAN_NOTEREF);
    const kmb_span *back = span_at(b, off, KMB_SPAN_NOTEBACK);
    const kmb_span *strike = span_at(b, off, KMB_SPAN_STRIKE);
    const kmb_span *emph = span_at(b, off, KMB_SPAN_EMPH);
    double x = b->x + run->x, y = b->y;
    if (ref) {
      y -= 0.4 * b->size;
      char *name = g_strdup_printf("fnref%d", ref->note);
      set_dest(r, name, x, y - b->size);
      g_free(name);
    }
    const char *dest = link ? link->dest : ref ? ref->dest : back ? back->dest : NULL;
    const char *uri = link ? link->uri : NULL;
    bool tagged = !b->link_dest && (dest || uri);
    if (tagged) {
      char *a = link_attr(dest, uri);
      cairo_tag_begin(cr, CAIRO_TAG_LINK, a);
      g_free(a);
    }
    if (link) cairo_set_source_rgb(cr, 0.09, 0.19, 0.44);
    else cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, x, y);
    pango_cairo_show_glyph_item(cr, b->text, gi);
    if (emph) emphasis_dots(cr, b, gi, x, y);
    if (strike) {
      cairo_set_line_width(cr, 0.05 * b->size);
      cairo_move_to(cr, x, y - 0.3 * b->size);
      cairo_rel_line_to(cr, run->width, 0);
      cairo_stroke(cr);
    }
    if (tagged) cairo_tag_end(cr, CAIRO_TAG_LINK);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  if (b->link_dest) cairo_tag_end(cr, CAIRO_TAG_LINK);
}

static void draw_dots(rstate *r, const kmb_box *b, double page_x0) {
  double pitch = 0.5 * r->c->em, rad = 0.55;
  double x = page_x0 + ceil((b->x - page_x0) / pitch) * pitch + pitch / 2;
  cairo_set_source_rgb(r->cr, 0.25, 0.25, 0.25);
  for (; x < b->x + b->w - pitch / 2 + 1e-6; x += pitch) {
    cairo_new_sub_path(r->cr);
    cairo_arc(r->cr, x, b->y - 0.12 * r->c->em, rad, 0, 2 * M_PI);
  }
  cairo_fill(r->cr);
  cairo_set_source_rgb(r->cr, 0, 0, 0);
}

/* The cover is the EPUB's cover drawn again, as vectors, with its text as
 * glyph outlines (kmb_cover_draw). Why not text: the cover's big lines
 * (title, author) would then be text on page 1, where text extraction and
 * checkers read them as the book's first heading and body; the title page
 * carries the same text as text. Why not the EPUB's PNG at 300 dpi: encoding,
 * decoding and re-compressing ~13 MB of pixels was half the time of a
 * default-book PDF (issue 7), and outlines stay sharp at any zoom. */
static void draw_cover(rstate *r, const kmb_box *b) {
  kmb_pdf_ctx *c = r->c;
  kmb_error e;
  kmb_error_clear(&e);
  cairo_save(r->cr);
  bool ok = kmb_cover_draw(c->book, c->st, c->fonts, r->cr, b->w, b->h, &e);
  cairo_restore(r->cr);
  if (ok) return;
  if (e.code != KMB_E_UNSUPPORTED) kmb_pdf_warn(c, NULL, 0, "cover: %s", e.msg);
  /* Until the shared cover is drawn: a plain typographic cover. */
  cairo_t *cr = r->cr;
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.12, 0.16, 0.22);
  cairo_rectangle(cr, 0, 0, b->w, b->h);
  cairo_fill(cr);
  const kmb_meta *m = &c->book->meta;
  struct { const char *t; const char *fam; double size; double y; } parts[] = {
      {m->title, c->st->heading_family, c->st->h_size[1] * 1.5, 0.30},
      {m->subtitle, c->st->heading_family, c->st->h_size[3], 0.44},
      {m->n_creators ? m->creators[0].name : NULL, c->st->body_family, c->st->body_size * 1.2, 0.82},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
    if (!parts[i].t) continue;
    PangoLayout *l = pango_layout_new(c->pc);
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, parts[i].fam);
    pango_font_description_set_absolute_size(d, parts[i].size * PANGO_SCALE);
    if (i == 0) pango_font_description_set_weight(d, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, d);
    pango_layout_set_width(l, (int)(b->w * 0.76 * PANGO_SCALE));
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    pango_layout_set_text(l, parts[i].t, -1);
    cairo_set_source_rgb(cr, 0.96, 0.94, 0.88);
    cairo_move_to(cr, b->w * 0.12, b->h * parts[i].y);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(d);
    g_object_unref(l);
  }
  cairo_restore(cr);
}

/* Running head (top, centred) and folio (bottom, outer corner), small and
 * grey; outside the text block so that readers and checkers see them as
 * furniture. */
static void draw_furniture(rstate *r, const kmb_page *pg) {
  kmb_pdf_ctx *c = r->c;
  close_to(r, 0);
  const char *items[2] = {pg->head, pg->folio};
  for (int i = 0; i < 2; i++) {
    if (!items[i]) continue;
    PangoLayout *l = pango_layout_new(c->pc);
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, c->st->body_family);
    pango_font_description_set_absolute_size(d, 8 * PANGO_SCALE);
    pango_layout_set_font_description(l, d);
    pango_layout_set_text(l, items[i], -1);
    /* a running head longer than the measure is cut with an ellipsis */
    pango_layout_set_width(l, (int)(c->text_w * PANGO_SCALE));
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double tw = (double)w / PANGO_SCALE;
    double base = pango_layout_get_baseline(l) / (double)PANGO_SCALE;
    double x, y;
    if (i == 0) {
      x = pg->x0 + (c->text_w - tw) / 2;
      y = c->top * 0.55;
    } else {
      x = pg->recto ? pg->x0 + c->text_w - tw : pg->x0;
      y = c->page_h - (c->page_h - c->top - c->text_h) * 0.45;
    }
    cairo_set_source_rgb(r->cr, 0.3, 0.3, 0.3);
    cairo_move_to(r->cr, x, y - base);
    pango_cairo_show_layout(r->cr, l);
    if (i == 0) {
      cairo_set_line_width(r->cr, 0.3);
      cairo_move_to(r->cr, pg->x0, y + 4);
      cairo_rel_line_to(r->cr, c->text_w, 0);
      cairo_stroke(r->cr);
    }
    cairo_set_source_rgb(r->cr, 0, 0, 0);
    pango_font_description_free(d);
    g_object_unref(l);
  }
}

static void draw_page(rstate *r, const kmb_page *pg) {
  cairo_t *cr = r->cr;
  for (const kmb_box *b = pg->first; b; b = b->next) {
    if (b->tags.id[0]) open_tags(r, &b->tags);
    switch (b->kind) {
    case KMB_BOX_LINE:
      if (b->dest) set_dest(r, b->dest, b->x, b->y - 2 * (b->size > 0 ? b->size : r->c->em));
      draw_line(r, b);
      break;
    case KMB_BOX_RULE:
      if (b->dest) set_dest(r, b->dest, b->x, b->y);
      if (b->lw > 0) {
        cairo_set_source_rgb(cr, b->gray, b->gray, b->gray);
        cairo_set_line_width(cr, b->lw);
        cairo_move_to(cr, b->x, b->y);
        cairo_rel_line_to(cr, b->w, b->h);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
      }
      break;
    case KMB_BOX_RECT:
      cairo_set_source_rgb(cr, b->gray, b->gray, b->gray);
      cairo_rectangle(cr, b->x, b->y, b->w, b->h);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
      break;
    case KMB_BOX_IMAGE:
      kmb_img_paint(r->c, cr, b->img, b->x, b->y, b->w, b->h);
      break;
    case KMB_BOX_DOTS:
      draw_dots(r, b, pg->x0);
      break;
    case KMB_BOX_COVER:
      draw_cover(r, b);
      break;
    }
  }
  draw_furniture(r, pg);
}

static void set_metadata(rstate *r) {
  kmb_pdf_ctx *c = r->c;
  const kmb_meta *m = &c->book->meta;
  cairo_surface_t *s = r->surface;
  if (m->title) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, m->title);
  if (m->n_creators) {
    GString *a = g_string_new(NULL);
    for (size_t i = 0; i < m->n_creators; i++) {
      if (i) g_string_append(a, c->book->labels->list_sep);
      g_string_append(a, m->creators[i].name);
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, a->str);
    g_string_free(a, TRUE);
  }
  const char *subject = m->subtitle ? m->subtitle : m->description;
  if (subject) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subject);
  if (m->n_subjects) {
    GString *k = g_string_new(NULL);
    for (size_t i = 0; i < m->n_subjects; i++) {
      if (i) g_string_append(k, ", ");
      g_string_append(k, m->subjects[i]);
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, k->str);
    g_string_free(k, TRUE);
  }
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                 c->opts->generator ? c->opts->generator : "kmbook");
  char date[32];
  kmb_date_iso8601(c->opts->epoch > 0 ? c->opts->epoch : 0, date);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
}

static void add_outline(rstate *r) {
  kmb_pdf_ctx *c = r->c;
  int parent[8] = {0};
  if (g_hash_table_contains(c->dests, "#contents")) {
    char *a = link_attr("contents", NULL);
    cairo_pdf_surface_add_outline(r->surface, CAIRO_PDF_OUTLINE_ROOT, c->book->labels->contents, a, 0);
    g_free(a);
  }
  for (guint i = 0; i < c->toc->len; i++) {
    const kmb_toc_entry *e = &g_array_index(c->toc, kmb_toc_entry, i);
    int lv = e->level < 1 ? 1 : e->level > 6 ? 6 : e->level;
    int up = lv - 1;
    while (up > 0 && !parent[up]) up--;
    char *a = link_attr(e->dest, NULL);
    int id = cairo_pdf_surface_add_outline(r->surface, up > 0 ? parent[up] : CAIRO_PDF_OUTLINE_ROOT,
                                           e->title ? e->title : "", a, 0);
    g_free(a);
    parent[lv] = id;
    for (int k = lv + 1; k < 8; k++) parent[k] = 0;
  }
}

/* The PDF goes through our own stream so that a write failure keeps its
 * errno (cairo only says "error while writing to output stream"). */
typedef struct outstream {
  FILE *fp;
  int err; /* first errno, 0 if none */
} outstream;

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len) {
  outstream *o = closure;
  if (o->err) return CAIRO_STATUS_WRITE_ERROR;
  if (fwrite(data, 1, len, o->fp) != len) {
    o->err = errno ? errno : EIO;
    return CAIRO_STATUS_WRITE_ERROR;
  }
  return CAIRO_STATUS_SUCCESS;
}

kmb_renderer *kmb_render_open(kmb_pdf_ctx *c, const char *path) {
  outstream os = {fopen(path, "wb"), 0};
  if (!os.fp) {
    kmb_error_set_output(c->err, KMB_E_IO, path, "cannot create the PDF: %s", strerror(errno));
    return NULL;
  }
  rstate *r = g_new0(rstate, 1);
  r->c = c;
  r->os = g_new(outstream, 1);
  *r->os = os;
  r->dest_done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  r->surface = cairo_pdf_surface_create_for_stream(write_out, r->os, c->page_w, c->page_h);
  if (cairo_surface_status(r->surface) != CAIRO_STATUS_SUCCESS) {
    kmb_error_set_output(c->err, KMB_E_LIB, path, "cannot create the PDF: %s",
                  cairo_status_to_string(cairo_surface_status(r->surface)));
    cairo_surface_destroy(r->surface);
    fclose(r->os->fp);
    g_free(r->os);
    g_hash_table_destroy(r->dest_done);
    g_free(r);
    return NULL;
  }
  set_metadata(r);
  r->cr = cairo_create(r->surface);
  /* Every element hangs under one Document element; the elements below it
   * are closed at each page end and reopened on the next page. */
  cairo_tag_begin(r->cr, "Document", "");
  return r;
}

void kmb_render_pages(kmb_renderer *r, const GPtrArray *pages, int total) {
  kmb_pdf_ctx *c = r->c;
  for (guint i = 0; i < pages->len; i++) {
    kmb_page *pg = g_ptr_array_index(pages, i);
    if (pg->label) cairo_pdf_surface_set_page_label(r->surface, pg->label);
    draw_page(r, pg);
    close_to(r, 0);
    cairo_show_page(r->cr);
    /* Cairo's status is sticky: name the first page that failed. */
    if (cairo_status(r->cr) != CAIRO_STATUS_SUCCESS && !r->bad_page) r->bad_page = pg->number;
    kmb_progress_report(c->opts->progress, "PDF pages", (long)++r->done, (long)total);
  }
}

bool kmb_render_close(kmb_renderer *r) {
  kmb_pdf_ctx *c = r->c;
  int bad_page = r->bad_page;
  outstream os = *r->os;
  cairo_tag_end(r->cr, "Document");
  add_outline(r);
  cairo_destroy(r->cr);
  cairo_surface_finish(r->surface);
  cairo_status_t st = cairo_surface_status(r->surface);
  cairo_surface_destroy(r->surface);
  g_hash_table_destroy(r->dest_done);
  g_free(r->os);
  g_free(r);
  if (fflush(os.fp) != 0 && !os.err) os.err = errno;
  if (fclose(os.fp) != 0 && !os.err) os.err = errno;
  if (os.err)
    return kmb_error_set_output(c->err, KMB_E_IO, NULL, "cannot write the PDF: %s",
                         strerror(os.err));
  if (st != CAIRO_STATUS_SUCCESS) {
    if (bad_page)
      return kmb_error_set_output(c->err, KMB_E_LIB, NULL,
                           "cairo could not write the PDF (first failure on page %d): %s",
                           bad_page, cairo_status_to_string(st));
    return kmb_error_set_output(c->err, KMB_E_LIB, NULL, "cairo could not write the PDF: %s",
                         cairo_status_to_string(st));
  }
  return true;
}
