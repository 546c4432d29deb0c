/* kmb_pdf_write: sets up fonts and the Pango context, lays the book out
 * (chapters, then front matter with the contents), optionally dumps the
 * layout, renders with cairo and adds /Lang. */
#include "pdf/pdf-imp.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

kmb_box *kmb_box_new(kmb_pdf_ctx *c, kmb_box_kind kind) {
  kmb_box *b = kmb_arena_alloc(c->arena, sizeof *b);
  b->kind = kind;
  return b;
}

bool kmb_pdf_warn(kmb_pdf_ctx *c, const char *path, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  bool go_on = kmb_warn(c->opts->diag, path, line, 0, "%s", msg);
  if (!go_on) {
    if (!c->failed)
      kmb_error_set(c->err, KMB_E_FORMAT, path, line, 0, "%s (warnings are errors: --strict)", msg);
    c->failed = true;
  }
  g_free(msg);
  return go_on;
}

/* The book's language for Pango ("zh-cn" glyph forms) and for /Lang. */
static void languages(const kmb_book *book, const char **pango_lang, const char **pdf_lang) {
  const char *l = book->meta.lang ? book->meta.lang : "zh-Hans";
  if (g_ascii_strncasecmp(l, "zh-Hant", 7) == 0 || g_ascii_strcasecmp(l, "zh-TW") == 0) {
    *pango_lang = "zh-tw", *pdf_lang = "zh-TW";
  } else if (g_ascii_strcasecmp(l, "zh-HK") == 0) {
    *pango_lang = "zh-hk", *pdf_lang = "zh-HK";
  } else if (g_ascii_strncasecmp(l, "zh", 2) == 0) {
    *pango_lang = "zh-cn", *pdf_lang = "zh-CN";
  } else {
    *pango_lang = l, *pdf_lang = l;
  }
}

static void geometry(kmb_pdf_ctx *c) {
  const kmb_style *st = c->st;
  c->page_w = st->page_w;
  c->page_h = st->page_h;
  c->em = st->body_size;
  c->pitch = st->body_size * st->line_height;
  /* The measure is a whole number of body characters, so lines of plain
   * Chinese sit on a character grid; what is left goes to both margins. */
  double avail = st->page_w - st->margin_inner - st->margin_outer;
  int chars = (int)floor(avail / c->em + 1e-6);
  if (chars < 8) chars = 8;
  c->text_w = chars * c->em;
  double extra = avail - c->text_w;
  c->inner = st->margin_inner + extra / 2;
  c->outer = st->margin_outer + extra / 2;
  double availh = st->page_h - st->margin_top - st->margin_bottom;
  c->rows = (int)floor(availh / c->pitch + 1e-6);
  if (c->rows < 8) c->rows = 8;
  c->text_h = c->rows * c->pitch;
  c->top = st->margin_top;
}

bool kmb_pdf_write(const kmb_book *book, const kmb_pdf_opts *opts, const char *path,
                   kmb_error *err) {
  kmb_style defaults;
  const kmb_style *st = opts->style;
  if (!st) {
    kmb_style_load(&defaults, NULL, err);
    st = &defaults;
  }
  kmb_pdf_ctx c = {0};
  c.book = book;
  c.opts = opts;
  c.st = st;
  c.err = err;
  c.fonts = kmb_fonts_new(st, err);
  if (!c.fonts) return false;
  bool ok = false;
  const char *pango_lang, *pdf_lang;
  languages(book, &pango_lang, &pdf_lang);

  PangoFontMap *fm = kmb_fonts_fontmap(c.fonts);
  c.pc = pango_font_map_create_context(fm);
  /* Measured (notes/library-facts.md): 96 dpi by default would turn 10.5 pt
   * into 14 pt; rounding would make 10 ideographs 110 pt instead of 105. */
  pango_cairo_context_set_resolution(c.pc, 72);
  pango_context_set_round_glyph_positions(c.pc, FALSE);
  pango_context_set_language(c.pc, pango_language_from_string(pango_lang));
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(c.pc, fo);
  cairo_font_options_destroy(fo);

  c.arena = kmb_arena_new();
  c.paras = g_ptr_array_new();
  c.imgs = g_ptr_array_new();
  c.dests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  c.vlist = g_array_new(FALSE, TRUE, sizeof(kmb_vitem));
  c.pages = g_ptr_array_new();
  c.toc = g_array_new(FALSE, TRUE, sizeof(kmb_toc_entry));
  c.notes = g_ptr_array_new();
  c.warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  geometry(&c);

  if (!kmb_layout_chapters(&c) || !kmb_paginate(&c) || !kmb_layout_front(&c)) goto out;
  if (opts->layout_dump) {
    char *dump = kmb_layout_dump(&c);
    GError *ge = NULL;
    if (!g_file_set_contents(opts->layout_dump, dump, -1, &ge)) {
      kmb_error_set(err, KMB_E_IO, opts->layout_dump, 0, 0, "cannot write the layout dump: %s",
                    ge->message);
      g_error_free(ge);
      g_free(dump);
      goto out;
    }
    g_free(dump);
  }
  if (!kmb_render(&c, path)) goto out;
  if (c.failed) goto out;
  if (!kmb_pdf_set_lang(path, pdf_lang, err)) goto out;
  ok = true;
out:
  for (guint i = 0; i < c.paras->len; i++) {
    kmb_para *p = g_ptr_array_index(c.paras, i);
    kmb_para_clear(p);
    g_free(p);
  }
  g_ptr_array_free(c.paras, TRUE);
  for (guint i = 0; i < c.imgs->len; i++) kmb_img_release(g_ptr_array_index(c.imgs, i));
  g_ptr_array_free(c.imgs, TRUE);
  for (guint i = 0; i < c.notes->len; i++) {
    kmb_note *n = g_ptr_array_index(c.notes, i);
    if (n) g_ptr_array_free(n->boxes, TRUE);
  }
  g_ptr_array_free(c.notes, TRUE);
  g_hash_table_destroy(c.dests);
  g_hash_table_destroy(c.warned);
  g_array_free(c.vlist, TRUE);
  g_ptr_array_free(c.pages, TRUE);
  g_array_free(c.toc, TRUE);
  kmb_arena_drop(c.arena);
  g_object_unref(c.pc);
  kmb_fonts_drop(c.fonts);
  return ok;
}
