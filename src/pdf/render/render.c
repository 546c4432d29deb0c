/* The page model (pages.h) → a cairo PDF surface: glyph runs with their text
 * (so the text layer is the manuscript's), structure tags, named
 * destinations, internal and external links, the outline, page labels and
 * the document information. Every position and colour comes from the model:
 * nothing here lays anything out. */
#include "pdf/pages.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct kmb_renderer rstate;
struct kmb_renderer {
  const kmb_pdoc *doc;
  kmb_render_env env;
  kmb_error *err;
  cairo_surface_t *surface;
  cairo_t *cr;
  const char *open_name[KMB_TAG_DEPTH];
  int open_id[KMB_TAG_DEPTH];
  int depth;
  GHashTable *dest_done; /* destinations already set (each only once; own copies) */
  struct outstream *os;
  int bad_page;          /* first page cairo failed on */
  int done;              /* pages rendered */
  bool vframe;           /* drawing in a vertical page's frame (kmb_ppage.vertical) */
};

static void warn(rstate *r, const char *path, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void warn(rstate *r, const char *path, const char *fmt, ...) {
  if (!r->env.warn) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  r->env.warn(r->env.warn_data, path, msg);
  g_free(msg);
}

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

static void set_dest(rstate *r, const kmb_pdest *d) {
  if (!d->name || g_hash_table_contains(r->dest_done, d->name)) return;
  g_hash_table_add(r->dest_done, g_strdup(d->name)); /* the pages go before the end */
  char *q = quote(d->name);
  /* cairo takes a destination's position on the paper, whatever the CTM */
  double x = d->x, y = d->y;
  if (r->vframe) x = r->doc->page_w - d->y, y = d->x;
  char *attr = g_strdup_printf("name=%s x=%.2f y=%.2f", q, x, y);
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

static void draw_line(rstate *r, const kmb_pbox *b) {
  cairo_t *cr = r->cr;
  if (b->link_dest) {
    char *a = link_attr(b->link_dest, NULL);
    cairo_tag_begin(cr, CAIRO_TAG_LINK, a);
    g_free(a);
  }
  for (int i = 0; i < b->n_runs; i++) {
    const kmb_grun *run = &b->runs[i];
    set_dest(r, &run->dest);
    bool tagged = run->link_dest || run->link_uri;
    if (tagged) {
      char *a = link_attr(run->link_dest, run->link_uri);
      cairo_tag_begin(cr, CAIRO_TAG_LINK, a);
      g_free(a);
    }
    cairo_set_source_rgb(cr, run->rgb[0], run->rgb[1], run->rgb[2]);
    if (run->turn) {
      cairo_save(cr);
      cairo_translate(cr, run->x, run->y);
      cairo_rotate(cr, -M_PI / 2);
      cairo_scale(cr, run->turn_scale, 1);
      cairo_move_to(cr, run->turn_dx, run->turn_dy);
      pango_cairo_show_glyph_item(cr, b->text, run->gi);
      cairo_restore(cr);
    } else {
      cairo_move_to(cr, run->x, run->y);
      pango_cairo_show_glyph_item(cr, b->text, run->gi);
    }
    if (run->emph) {
      for (int k = 0; k < run->n_dots; k++) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, run->dot_x[k], run->dot_y, run->dot_r, 0, 2 * M_PI);
      }
      cairo_fill(cr);
    }
    if (run->strike_lw > 0) {
      cairo_set_line_width(cr, run->strike_lw);
      cairo_move_to(cr, run->x, run->strike_y);
      cairo_rel_line_to(cr, run->strike_w, 0);
      cairo_stroke(cr);
    }
    if (tagged) cairo_tag_end(cr, CAIRO_TAG_LINK);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  if (b->link_dest) cairo_tag_end(cr, CAIRO_TAG_LINK);
}

static void draw_dots(rstate *r, const kmb_pbox *b) {
  cairo_set_source_rgb(r->cr, b->gray, b->gray, b->gray);
  double x = b->x;
  for (int i = 0; i < b->n; i++, x += b->pitch) {
    cairo_new_sub_path(r->cr);
    cairo_arc(r->cr, x, b->y, b->r, 0, 2 * M_PI);
  }
  cairo_fill(r->cr);
  cairo_set_source_rgb(r->cr, 0, 0, 0);
}

static void draw_image(rstate *r, const kmb_pbox *b) {
  cairo_t *cr = r->cr;
  const kmb_pimage *img = b->img;
  cairo_save(cr);
  double x = b->x, y = b->y, w = b->w, h = b->h;
  if (r->vframe) {
    /* images stand upright on the paper: the frame's box, turned back */
    x = r->doc->page_w - (b->y + b->h), y = b->x, w = b->h, h = b->w;
    cairo_identity_matrix(cr);
  }
  if (img->kind == KMB_PIMG_SVG) {
    RsvgRectangle vp = {x, y, w, h};
    GError *ge = NULL;
    const kmb_pdoc *d = r->doc;
    void *prev = d->font_scope_begin ? d->font_scope_begin(d->font_scope_data) : NULL;
    bool drawn = rsvg_handle_render_document(img->handle, cr, &vp, &ge);
    if (d->font_scope_end) d->font_scope_end(prev);
    if (!drawn) {
      warn(r, img->path, "cannot draw SVG: %s", ge ? ge->message : "?");
      if (ge) g_error_free(ge);
    }
  } else {
    cairo_surface_t *s = img->handle;
    double sw = cairo_image_surface_get_width(s), sh = cairo_image_surface_get_height(s);
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / sw, h / sh);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_rectangle(cr, 0, 0, sw, sh);
    cairo_fill(cr);
  }
  cairo_restore(cr);
}

static void draw_paint(rstate *r, const kmb_pbox *b) {
  kmb_error e;
  kmb_error_clear(&e);
  cairo_save(r->cr);
  bool ok = b->paint(b->paint_data, r->cr, b->w, b->h, &e);
  cairo_restore(r->cr);
  if (!ok) warn(r, NULL, "%s: %s", b->what ? b->what : "drawing", e.msg);
}

/* A vertical page's frame: the paper turned a quarter clockwise about its
 * top right corner, so the frame's lines run down the paper and its glyphs,
 * shaped with eastern gravity, stand upright. */
static void frame_begin(rstate *r, const kmb_ppage *pg, const kmb_pbox *b) {
  bool want = pg->vertical && !b->upright;
  if (want == r->vframe) return;
  cairo_identity_matrix(r->cr);
  if (want) {
    cairo_translate(r->cr, r->doc->page_w, 0);
    cairo_rotate(r->cr, M_PI / 2);
  }
  r->vframe = want;
}

static void draw_page(rstate *r, const kmb_ppage *pg) {
  cairo_t *cr = r->cr;
  for (const kmb_pbox *b = pg->first; b; b = b->next) {
    frame_begin(r, pg, b);
    if (b->furniture) close_to(r, 0);
    else if (b->tags.id[0]) open_tags(r, &b->tags);
    set_dest(r, &b->dest);
    switch (b->kind) {
    case KMB_PB_LINE:
      draw_line(r, b);
      break;
    case KMB_PB_RULE:
      if (b->lw > 0) {
        cairo_set_source_rgb(cr, b->gray, b->gray, b->gray);
        cairo_set_line_width(cr, b->lw);
        cairo_move_to(cr, b->x, b->y);
        cairo_rel_line_to(cr, b->w, b->h);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
      }
      break;
    case KMB_PB_RECT:
      cairo_set_source_rgb(cr, b->gray, b->gray, b->gray);
      cairo_rectangle(cr, b->x, b->y, b->w, b->h);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
      break;
    case KMB_PB_IMAGE:
      draw_image(r, b);
      break;
    case KMB_PB_DOTS:
      draw_dots(r, b);
      break;
    case KMB_PB_TEXT:
      cairo_set_source_rgb(cr, b->gray, b->gray, b->gray);
      cairo_move_to(cr, b->x, b->y);
      pango_cairo_show_layout(cr, b->layout);
      cairo_set_source_rgb(cr, 0, 0, 0);
      break;
    case KMB_PB_PAINT:
      draw_paint(r, b);
      break;
    }
  }
}

static void set_metadata(rstate *r) {
  const kmb_pdoc *d = r->doc;
  cairo_surface_t *s = r->surface;
  if (d->title) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
  if (d->author) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, d->author);
  if (d->subject) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, d->subject);
  if (d->keywords) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, d->keywords);
  if (d->creator) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, d->creator);
  if (d->date) {
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, d->date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, d->date);
  }
}

static void add_outline(rstate *r) {
  const kmb_pdoc *d = r->doc;
  int *ids = g_new0(int, d->n_outline + 1);
  for (int i = 0; i < d->n_outline; i++) {
    const kmb_outline_item *o = &d->outline[i];
    char *a = link_attr(o->dest, NULL);
    ids[i] = cairo_pdf_surface_add_outline(r->surface,
                                           o->parent >= 0 ? ids[o->parent] : CAIRO_PDF_OUTLINE_ROOT,
                                           o->title ? o->title : "", a, 0);
    g_free(a);
  }
  g_free(ids);
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

kmb_renderer *kmb_render_open(const kmb_pdoc *doc, const kmb_render_env *env, const char *path,
                              kmb_error *err) {
  outstream os = {fopen(path, "wb"), 0};
  if (!os.fp) {
    kmb_error_set_output(err, KMB_E_IO, path, "cannot create the PDF: %s", strerror(errno));
    return NULL;
  }
  rstate *r = g_new0(rstate, 1);
  r->doc = doc;
  if (env) r->env = *env;
  r->err = err;
  r->os = g_new(outstream, 1);
  *r->os = os;
  r->dest_done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  r->surface = cairo_pdf_surface_create_for_stream(write_out, r->os, doc->page_w, doc->page_h);
  if (cairo_surface_status(r->surface) != CAIRO_STATUS_SUCCESS) {
    kmb_error_set_output(err, KMB_E_LIB, path, "cannot create the PDF: %s",
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

void kmb_render_pages(kmb_renderer *r, const kmb_pages *pages, int total) {
  for (guint i = 0; i < pages->pages->len; i++) {
    const kmb_ppage *pg = g_ptr_array_index(pages->pages, i);
    if (pg->label) cairo_pdf_surface_set_page_label(r->surface, pg->label);
    draw_page(r, pg);
    if (r->vframe) cairo_identity_matrix(r->cr), r->vframe = false;
    close_to(r, 0);
    cairo_show_page(r->cr);
    /* Cairo's status is sticky: name the first page that failed. */
    if (cairo_status(r->cr) != CAIRO_STATUS_SUCCESS && !r->bad_page) r->bad_page = pg->number;
    kmb_progress_report(r->env.progress, "PDF pages", (long)++r->done, (long)total);
  }
}

bool kmb_render_close(kmb_renderer *r) {
  kmb_error *err = r->err;
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
    return kmb_error_set_output(err, KMB_E_IO, NULL, "cannot write the PDF: %s",
                         strerror(os.err));
  if (st != CAIRO_STATUS_SUCCESS) {
    if (bad_page)
      return kmb_error_set_output(err, KMB_E_LIB, NULL,
                           "cairo could not write the PDF (first failure on page %d): %s",
                           bad_page, cairo_status_to_string(st));
    return kmb_error_set_output(err, KMB_E_LIB, NULL, "cairo could not write the PDF: %s",
                         cairo_status_to_string(st));
  }
  return true;
}
