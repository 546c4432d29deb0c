/* EPUB 3 writer: orchestration and small helpers shared by its parts. */
#include "epub/epub-imp.h"
#include "base/date.h"
#include "base/utf8.h"
#include "cover/cover.h"
#include "fonts/fonts.h"

#include <errno.h>
#include <libxml/xmlsave.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool epub_fail(epub_ctx *cx, kmb_errcode code, const char *path, int line, int col,
               const char *fmt, ...) {
  if (!cx->failed) {
    va_list ap;
    va_start(ap, fmt);
    kmb_error_vset(cx->err, code, path, line, col, fmt, ap);
    va_end(ap);
    cx->failed = true;
  }
  return false;
}

bool epub_fail_output(epub_ctx *cx, kmb_errcode code, const char *path, const char *fmt, ...) {
  if (!cx->failed) {
    va_list ap;
    va_start(ap, fmt);
    kmb_error_vset(cx->err, code, path, 0, 0, fmt, ap);
    va_end(ap);
    cx->err->flags |= KMB_ERRF_OUTPUT;
    cx->failed = true;
  }
  return false;
}

bool epub_warn(epub_ctx *cx, const char *path, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* the first error sticks: a refused warning after it records nothing */
  bool go_on = kmb_warn_or_fail_v(cx->opts->diag, cx->failed ? NULL : cx->err, KMB_E_FORMAT, path,
                                  line, col, fmt, ap);
  va_end(ap);
  if (!go_on) cx->failed = true;
  return go_on;
}

epub_item *epub_item_new(const char *id, const char *href, const char *media_type) {
  epub_item *it = g_new0(epub_item, 1);
  it->id = g_strdup(id);
  it->href = g_strdup(href);
  it->media_type = media_type;
  it->compress = true;
  it->alt_ok = true;
  return it;
}

void epub_item_free(gpointer p) {
  epub_item *it = p;
  if (!it) return;
  g_free(it->id);
  g_free(it->href);
  g_free(it->properties);
  g_free(it->data);
  g_free(it);
}

const char *epub_chapter_path(const kmb_chapter *ch) {
  return ch->rel ? ch->rel : ch->path;
}

static bool name_start(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
         (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
         (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0xEFFFF);
}

static bool name_char(uint32_t c) {
  return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

bool epub_is_ncname(const char *s) {
  if (!s || !*s) return false;
  size_t n = strlen(s);
  bool first = true;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = kmb_utf8_decode(s + i, n - i, &cp);
    if (k == 0) return false;
    if (first ? !name_start(cp) : !name_char(cp)) return false;
    first = false;
    i += k;
  }
  return true;
}

char *epub_safe_id(kmb_arena *a, const char *raw) {
  if (epub_is_ncname(raw)) return kmb_arena_strdup(a, raw);
  GString *s = g_string_new("id-");
  size_t n = raw ? strlen(raw) : 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = kmb_utf8_decode(raw + i, n - i, &cp);
    if (k == 0) {
      g_string_append_c(s, '-');
      i++;
      continue;
    }
    if (name_char(cp)) g_string_append_len(s, raw + i, (gssize)k);
    else g_string_append_c(s, '-');
    i += k;
  }
  char *r = kmb_arena_strndup(a, s->str, s->len);
  g_string_free(s, TRUE);
  return r;
}

char *epub_xml_text(const char *s, size_t len) {
  GString *out = g_string_sized_new(len);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = kmb_utf8_decode(s + i, len - i, &cp);
    if (k == 0) {
      g_string_append(out, "\xEF\xBF\xBD"); /* U+FFFD for a stray byte */
      i++;
      continue;
    }
    bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
    if (ok) g_string_append_len(out, s + i, (gssize)k);
    i += k;
  }
  return g_string_free(out, FALSE);
}

unsigned char *epub_doc_dump(xmlDocPtr doc, size_t *len) {
  xmlChar *mem = NULL;
  int n = 0;
  /* Plain XML serialisation (no XHTML mode: libxml2 would add a
   * Content-Type meta); the documents are built namespace-correct. */
  xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
  unsigned char *r = g_malloc((size_t)n + 1);
  memcpy(r, mem, (size_t)n);
  r[n] = 0;
  xmlFree(mem);
  *len = (size_t)n;
  return r;
}

char *epub_href_escape(const char *url) {
  GString *s = g_string_new(NULL);
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\' ||
        *p == '^' || *p == '`' || *p == '{' || *p == '|' || *p == '}') {
      g_string_append_printf(s, "%%%02X", *p);
    } else {
      g_string_append_c(s, (char)*p);
    }
  }
  return g_string_free(s, FALSE);
}

static bool build_cover(epub_ctx *cx) {
  const kmb_meta *m = &cx->book->meta;
  if (m->cover) {
    size_t len = 0;
    const char *mt = NULL, *ext = NULL;
    unsigned char *data = epub_image_load(cx, cx->book->cover_probe, m->cover, m->cover, cx->book->meta_path, 0, 0,
                                          "kmbook draws a cover instead", &len, &mt, &ext);
    if (cx->failed) return false;
    if (data) {
      char *href = g_strdup_printf("images/cover.%s", ext);
      cx->cover_image = epub_item_new("cover-image", href, mt);
      g_free(href);
      cx->cover_image->data = data;
      cx->cover_image->len = len;
      cx->cover_image->compress = strcmp(ext, "svg") == 0;
    }
  }
  if (!cx->cover_image) {
    kmb_style fallback;
    const kmb_style *st = cx->opts->style;
    if (!st) {
      kmb_style_load(&fallback, NULL, NULL);
      st = &fallback;
    }
    kmb_error ferr;
    kmb_error_clear(&ferr);
    kmb_fonts *fonts = kmb_fonts_new(cx->opts->datadir, st, &ferr);
    if (!fonts) {
      if (!cx->failed) *cx->err = ferr, cx->failed = true;
      return false;
    }
    unsigned char *png = NULL;
    size_t len = 0;
    bool ok = kmb_cover_png(cx->book, st, fonts, 1600, 2560, &png, &len, &ferr);
    kmb_fonts_drop(fonts);
    if (!ok) {
      if (!cx->failed) *cx->err = ferr, cx->failed = true;
      return false;
    }
    cx->cover_image = epub_item_new("cover-image", "images/cover.png", "image/png");
    cx->cover_image->data = png;
    cx->cover_image->len = len;
    cx->cover_image->compress = false;
  }
  cx->cover_image->properties = g_strdup("cover-image");
  return epub_cover_doc_build(cx);
}

static bool write_file(epub_ctx *cx, const char *path, const unsigned char *data, size_t len) {
  FILE *fp = fopen(path, "wb");
  if (!fp) {
    int e = errno;
    epub_fail_output(cx, KMB_E_IO, path, "cannot write the EPUB: %s — check the output folder",
                     g_strerror(e));
    cx->err->cause = e;
    return false;
  }
  bool ok = fwrite(data, 1, len, fp) == len;
  int e = errno;
  if (fclose(fp) != 0) ok = false, e = errno;
  if (!ok) {
    epub_fail_output(cx, KMB_E_IO, path, "cannot write the EPUB: %s — is the disk full?",
                     g_strerror(e));
    cx->err->cause = e;
  }
  return ok;
}

static void ctx_free(epub_ctx *cx) {
  epub_item_free(cx->nav);
  epub_item_free(cx->ncx);
  epub_item_free(cx->css);
  epub_item_free(cx->cover_doc);
  epub_item_free(cx->cover_image);
  epub_item_free(cx->colophon);
  if (cx->chapters) g_ptr_array_free(cx->chapters, TRUE);
  if (cx->images) g_ptr_array_free(cx->images, TRUE);
  if (cx->image_by_path) g_hash_table_destroy(cx->image_by_path);
  if (cx->toc) g_ptr_array_free(cx->toc, TRUE);
  if (cx->fonts) g_ptr_array_free(cx->fonts, TRUE);
  epub_item_free(cx->font_licence);
  g_free(cx->font_css);
  if (cx->ids) {
    for (size_t i = 0; i < cx->book->n_chapters; i++) g_hash_table_destroy(cx->ids[i]);
    g_free(cx->ids);
  }
  if (cx->note_chapter) g_hash_table_destroy(cx->note_chapter);
  if (cx->ref_id) g_hash_table_destroy(cx->ref_id);
  if (cx->note_backref) g_hash_table_destroy(cx->note_backref);
  if (cx->arena) kmb_arena_drop(cx->arena);
  epub_pages_free(cx);
}

static void toc_entry_free(gpointer p) {
  epub_toc_entry *e = p;
  g_free(e->href);
  g_free(e->text);
  g_free(e);
}

/* Builds the whole EPUB in memory. */
static bool epub_build(epub_ctx *cx, unsigned char **out, size_t *out_len) {
  const kmb_book *book = cx->book;
  if (book->n_chapters == 0)
    return epub_fail(cx, KMB_E_FORMAT, book->meta_path, 0, 0,
                     "the book has no chapters — list them under 'chapters' in book.yaml");
  epub_prepass(cx);
  epub_pages_prepare(cx);
  if (!build_cover(cx) || !epub_colophon_build(cx)) return false;
  for (size_t i = 0; i < book->n_chapters; i++) {
    if (!epub_chapter_build(cx, i)) return false;
    kmb_progress_report(cx->opts->progress, "EPUB chapters", (long)i + 1, (long)book->n_chapters);
  }
  if (!epub_nav_build(cx) || !epub_ncx_build(cx) || !epub_fonts_build(cx) ||
      !epub_css_build(cx))
    return false;
  size_t opf_len = 0;
  unsigned char *opf = epub_opf_build(cx, &opf_len);
  if (!opf) return false;
  bool ok = epub_ocf_pack(cx, opf, opf_len, out, out_len);
  g_free(opf);
  return ok;
}

bool kmb_epub_write(const kmb_book *book, const kmb_epub_opts *opts, const char *path,
                    kmb_error *err) {
  kmb_error local;
  if (!err) err = &local;
  kmb_error_clear(err);
  if (!book || !opts || !path)
    return kmb_error_set(err, KMB_E_ARG, NULL, 0, 0, "kmb_epub_write: missing argument");
  epub_ctx cx = {0};
  cx.book = book;
  cx.opts = opts;
  cx.err = err;
  cx.arena = kmb_arena_new();
  cx.lang = book->meta.lang;
  cx.identifier = book->identifier;
  cx.labels = book->labels;
  /* dcterms:modified: UTC, seconds, "Z" — independent of TZ */
  kmb_date_iso8601(opts->epoch > 0 ? opts->epoch : book->newest_mtime, cx.modified);
  cx.chapters = g_ptr_array_new_with_free_func(epub_item_free);
  cx.images = g_ptr_array_new_with_free_func(epub_item_free);
  cx.image_by_path = g_hash_table_new(g_str_hash, g_str_equal);
  cx.toc = g_ptr_array_new_with_free_func(toc_entry_free);
  cx.fonts = g_ptr_array_new_with_free_func(epub_item_free);

  unsigned char *zip = NULL;
  size_t zip_len = 0;
  bool ok = epub_build(&cx, &zip, &zip_len) && write_file(&cx, path, zip, zip_len);
  g_free(zip);
  ctx_free(&cx);
  return ok;
}
