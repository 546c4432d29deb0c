/* The cover kmbook draws when the book has none: a deep ink-blue field with
 * the title in white, a short vermilion rule, the subtitle, the author line
 * and a hairline at the foot, on warm paper. All positions are fractions of
 * the page, so the same code draws the 1600×2560 px EPUB cover and the
 * PDF's first page (w×h pt). Text goes through Pango on the project's font
 * map, so the cover is set in the book's own fonts. */
#include "cover/cover.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

typedef struct {
  double r, g, b;
} rgb;

static const rgb PAPER = {0xF4 / 255.0, 0xF0 / 255.0, 0xE6 / 255.0};
static const rgb FIELD = {0x1F / 255.0, 0x3A / 255.0, 0x4D / 255.0};
static const rgb TITLE = {0xFA / 255.0, 0xF8 / 255.0, 0xF2 / 255.0};
static const rgb ACCENT = {0xC0 / 255.0, 0x3F / 255.0, 0x2E / 255.0};
static const rgb INK = {0x26 / 255.0, 0x26 / 255.0, 0x26 / 255.0};

static void set(cairo_t *cr, rgb c) {
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static PangoLayout *text_layout(PangoContext *pc, const char *family, PangoWeight weight,
                                double size, double width, double spacing_em, const char *text) {
  PangoLayout *l = pango_layout_new(pc);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, family);
  pango_font_description_set_weight(fd, weight);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(l, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_line_spacing(l, 1.25f);
  if (spacing_em > 0) {
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_letter_spacing_new((int)(size * spacing_em * PANGO_SCALE)));
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
  }
  pango_layout_set_text(l, text, -1);
  return l;
}

static double layout_height(PangoLayout *l) {
  PangoRectangle ink, logical;
  pango_layout_get_extents(l, &ink, &logical);
  return logical.height / (double)PANGO_SCALE;
}

/* "张三、李四 著" for Chinese books, "A, B" otherwise; NULL if no names.
 * Roles, their words and the list separator are resolved in the model. */
static char *people_line(const kmb_labels *L, const kmb_person *p, size_t n, bool zh,
                         const char *only_role) {
  GString *s = g_string_new(NULL);
  const char *role0 = NULL, *credit0 = NULL;
  bool same = true;
  for (size_t i = 0; i < n; i++) {
    if (!p[i].name || !*p[i].name) continue;
    const char *role = p[i].role;
    if (only_role && strcmp(role, only_role) != 0) continue;
    if (s->len) g_string_append(s, L->list_sep);
    g_string_append(s, p[i].name);
    if (!role0) role0 = role, credit0 = p[i].role_credit;
    else if (strcmp(role0, role) != 0) same = false;
  }
  if (!s->len) {
    g_string_free(s, TRUE);
    return NULL;
  }
  /* The cover names only who wrote, edited, translated or drew the book. */
  bool credited = role0 && (!strcmp(role0, "aut") || !strcmp(role0, "edt") ||
                            !strcmp(role0, "trl") || !strcmp(role0, "ill"));
  if (zh && same && credited && *credit0) g_string_append_printf(s, "　%s", credit0);
  return g_string_free(s, FALSE);
}

/* outlines: the glyphs as filled paths rather than text (the PDF's cover
 * page, where the title must not be extracted as the book's first text). */
static void show(cairo_t *cr, PangoLayout *l, double x, double y, rgb c, bool outlines) {
  set(cr, c);
  cairo_move_to(cr, x, y);
  if (outlines) {
    cairo_new_path(cr);
    cairo_move_to(cr, x, y);
    pango_cairo_layout_path(cr, l);
    cairo_fill(cr);
  } else {
    pango_cairo_show_layout(cr, l);
  }
}

static bool draw(const kmb_book *book, const kmb_style *style, kmb_fonts *fonts, cairo_t *cr,
                 double w, double h, bool outlines, kmb_error *err) {
  const kmb_meta *m = &book->meta;
  const char *body = style && *style->body_family ? style->body_family : "Noto Serif CJK SC";
  const char *sans = style && *style->heading_family ? style->heading_family : "Noto Sans CJK SC";
  bool zh = !m->lang || !*m->lang || g_ascii_strncasecmp(m->lang, "zh", 2) == 0;

  PangoContext *pc = pango_font_map_create_context(PANGO_FONT_MAP(kmb_fonts_fontmap(fonts)));
  pango_cairo_update_context(cr, pc);
  pango_cairo_context_set_resolution(pc, 72); /* sizes are in user units (px or pt) */
  pango_context_set_round_glyph_positions(pc, FALSE);
  pango_context_set_language(pc, pango_language_from_string(book->pango_lang) /* resolved */);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(pc, fo);
  cairo_font_options_destroy(fo);

  cairo_save(cr);
  set(cr, PAPER);
  cairo_rectangle(cr, 0, 0, w, h);
  cairo_fill(cr);
  double field_h = 0.60 * h;
  set(cr, FIELD);
  cairo_rectangle(cr, 0, 0, w, field_h);
  cairo_fill(cr);

  double x = 0.11 * w, tw = 0.78 * w;
  const char *title = m->title && *m->title ? m->title
                      : book->n_chapters && book->chapters[0].title ? book->chapters[0].title
                                                                    : "";
  /* Title: as large as fits in three lines, bottom-aligned above the rule. */
  double size = 0.085 * w;
  PangoLayout *tl = text_layout(pc, body, PANGO_WEIGHT_BOLD, size, tw, 0.06, title);
  while (pango_layout_get_line_count(tl) > 3 && size > 0.04 * w) {
    g_object_unref(tl);
    size *= 0.9;
    tl = text_layout(pc, body, PANGO_WEIGHT_BOLD, size, tw, 0.06, title);
  }
  /* Balance the lines: the narrowest width that still gives the same number
   * of lines, so a two-line title splits near its middle (何恺明香港中文 /
   * 大学讲座回顾) instead of leaving a two-character tail. */
  int nlines = pango_layout_get_line_count(tl);
  if (nlines > 1) {
    double lo = tw / nlines, hi = tw;
    for (int i = 0; i < 12; i++) {
      double mid = (lo + hi) / 2;
      pango_layout_set_width(tl, (int)(mid * PANGO_SCALE));
      if (pango_layout_get_line_count(tl) > nlines) lo = mid;
      else hi = mid;
    }
    pango_layout_set_width(tl, (int)(hi * PANGO_SCALE));
  }
  double rule_y = field_h - 0.085 * h;
  show(cr, tl, x, rule_y - 0.03 * h - layout_height(tl), TITLE, outlines);
  g_object_unref(tl);

  set(cr, ACCENT);
  cairo_rectangle(cr, x, rule_y, 0.12 * w, 0.007 * w);
  cairo_fill(cr);

  double y = field_h + 0.045 * h;
  if (m->subtitle && *m->subtitle) {
    PangoLayout *sl = text_layout(pc, body, PANGO_WEIGHT_NORMAL, 0.042 * w, tw, 0.02, m->subtitle);
    show(cr, sl, x, y, FIELD, outlines);
    g_object_unref(sl);
  }

  /* Authors (and translators) above the foot rule. */
  char *authors = people_line(book->labels, m->creators, m->n_creators, zh, NULL);
  char *trans = people_line(book->labels, m->contributors, m->n_contributors, zh, "trl");
  GString *who = g_string_new(authors ? authors : "");
  if (trans) g_string_append_printf(who, "%s%s", who->len ? "\n" : "", trans);
  double foot_y = 0.90 * h;
  if (who->len) {
    PangoLayout *al = text_layout(pc, sans, PANGO_WEIGHT_NORMAL, 0.036 * w, tw, 0.04, who->str);
    show(cr, al, x, foot_y - 0.035 * h - layout_height(al), INK, outlines);
    g_object_unref(al);
  }
  g_string_free(who, TRUE);
  g_free(authors);
  g_free(trans);

  set(cr, INK);
  cairo_rectangle(cr, x, foot_y, tw, 0.0015 * w);
  cairo_fill(cr);
  if (m->publisher && *m->publisher) {
    PangoLayout *pl = text_layout(pc, sans, PANGO_WEIGHT_NORMAL, 0.026 * w, tw, 0.1, m->publisher);
    show(cr, pl, x, foot_y + 0.015 * h, INK, outlines);
    g_object_unref(pl);
  }
  cairo_restore(cr);
  g_object_unref(pc);

  cairo_status_t st = cairo_status(cr);
  if (st != CAIRO_STATUS_SUCCESS) {
    kmb_error_set(err, KMB_E_LIB, NULL, 0, 0, "cairo: cannot draw the cover: %s",
                  cairo_status_to_string(st));
    err->cause = (int)st;
    return false;
  }
  return true;
}

/* --- PNG, written here rather than by cairo_surface_write_to_png_stream ---
 * cairo's writer lets libpng try all five row filters on every row and
 * deflates at the default level: 1.7 billion instructions for the
 * 1600×2560 EPUB cover, 95% of a default-book EPUB (issue 7). A cover is
 * flat fields and antialiased type, so one filter does as well: "Up" turns
 * the many identical rows into zeros. Measured on the default cover (zlib
 * 1.2.13): Up at level 3 (zlib's fast matcher) gives 148 KB in 0.02 s;
 * level 4 (lazy matching) 106 KB, as small as cairo's, but in 0.065 s;
 * filter None at level 6 87 KB in 0.19 s; Z_RLE 155 KB. The cover was
 * half of an x100 EPUB's time even at level 4, so it is level 3: 42 KB
 * more in the EPUB for 40 ms less per build. Deterministic for the same
 * pixels (and zlib version). */

static void be32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static void png_chunk(GByteArray *out, const char *type, const unsigned char *data, size_t len) {
  unsigned char hdr[8];
  be32(hdr, (uint32_t)len);
  memcpy(hdr + 4, type, 4);
  g_byte_array_append(out, hdr, 8);
  if (len) g_byte_array_append(out, data, (guint)len);
  uLong crc = crc32(0L, (const Bytef *)type, 4);
  if (len) crc = crc32(crc, data, (uInt)len);
  unsigned char c[4];
  be32(c, (uint32_t)crc);
  g_byte_array_append(out, c, 4);
}

/* RGB24 image surface → PNG (8-bit RGB, filter Up). */
static bool encode_png(cairo_surface_t *s, GByteArray *out) {
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  int stride = cairo_image_surface_get_stride(s);
  const unsigned char *px = cairo_image_surface_get_data(s);
  size_t row = 1 + 3 * (size_t)w;
  unsigned char *cur = g_malloc(row), *prev = g_malloc0(row), *raw = g_malloc(row);
  z_stream z = {0};
  if (deflateInit2(&z, 3, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    g_free(cur), g_free(prev), g_free(raw);
    return false;
  }
  size_t cap = deflateBound(&z, (uLong)(row * (size_t)h));
  unsigned char *idat = g_malloc(cap);
  z.next_out = idat;
  z.avail_out = (uInt)cap;
  bool ok = true;
  memset(prev, 0, row);
  for (int y = 0; y < h && ok; y++) {
    const uint32_t *src = (const uint32_t *)(px + (size_t)y * (size_t)stride);
    raw[0] = 0;
    for (int x = 0; x < w; x++) {
      uint32_t v = src[x];
      raw[1 + 3 * x] = (unsigned char)(v >> 16);
      raw[2 + 3 * x] = (unsigned char)(v >> 8);
      raw[3 + 3 * x] = (unsigned char)v;
    }
    cur[0] = 2; /* Up */
    for (size_t i = 1; i < row; i++) cur[i] = (unsigned char)(raw[i] - prev[i]);
    unsigned char *t = prev;
    prev = raw, raw = t;
    z.next_in = cur;
    z.avail_in = (uInt)row;
    ok = deflate(&z, y + 1 == h ? Z_FINISH : Z_NO_FLUSH) != Z_STREAM_ERROR;
  }
  ok = ok && z.avail_in == 0;
  size_t idat_len = cap - z.avail_out;
  deflateEnd(&z);
  if (ok) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    g_byte_array_append(out, sig, 8);
    unsigned char ihdr[13];
    be32(ihdr, (uint32_t)w), be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8, ihdr[9] = 2, ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = 0; /* 8-bit RGB */
    png_chunk(out, "IHDR", ihdr, 13);
    png_chunk(out, "IDAT", idat, idat_len);
    png_chunk(out, "IEND", NULL, 0);
  }
  g_free(idat), g_free(cur), g_free(prev), g_free(raw);
  return ok;
}

bool kmb_cover_png(const kmb_book *book, const kmb_style *style, kmb_fonts *fonts, int w, int h,
                   unsigned char **png, size_t *len, kmb_error *err) {
  if (!book || !fonts || !png || !len || w < 16 || h < 16 || w > 10000 || h > 10000)
    return kmb_error_set(err, KMB_E_ARG, NULL, 0, 0, "kmb_cover_png: bad arguments");
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create(s);
  bool ok = draw(book, style, fonts, cr, w, h, false, err);
  cairo_destroy(cr);
  if (ok) {
    GByteArray *buf = g_byte_array_new();
    cairo_surface_flush(s);
    if (!encode_png(s, buf)) {
      kmb_error_set(err, KMB_E_LIB, NULL, 0, 0, "zlib: cannot compress the cover PNG");
      g_byte_array_free(buf, TRUE);
      ok = false;
    } else {
      *len = buf->len;
      *png = g_byte_array_free(buf, FALSE);
    }
  }
  cairo_surface_destroy(s);
  return ok;
}

bool kmb_cover_draw(const kmb_book *book, const kmb_style *style, kmb_fonts *fonts, void *cr,
                    double w, double h, kmb_error *err) {
  if (!book || !fonts || !cr || w <= 0 || h <= 0)
    return kmb_error_set(err, KMB_E_ARG, NULL, 0, 0, "kmb_cover_draw: bad arguments");
  return draw(book, style, fonts, cr, w, h, true, err);
}
