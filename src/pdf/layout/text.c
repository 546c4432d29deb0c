/* Attributed text → lines through the paragraph breaker (para.h), with a
 * check of every shaped run: Pango silently substitutes a family it cannot
 * find and sets unknown glyphs for characters no font has, so both become
 * warnings naming the chapter file and line. */
#include "base/utf8.h"
#include "pdf/pdf-imp.h"

#include <pango/pangofc-font.h>
#include <string.h>

static int src_line(const kmb_ptext *pt, int offset) {
  int line = 0;
  const int *v = (const int *)pt->srclines->data;
  for (guint i = 0; i + 1 < pt->srclines->len; i += 2) {
    if (v[i] > offset) break;
    line = v[i + 1];
  }
  return line;
}

/* The family the text asked for at offset: the last family attribute that
 * covers it (code spans override the paragraph's family). */
static char *asked_family(const kmb_ptext *pt, int offset) {
  PangoAttrIterator *it = pango_attr_list_get_iterator(pt->attrs);
  char *fam = NULL;
  do {
    int s, e;
    pango_attr_iterator_range(it, &s, &e);
    if (offset >= s && offset < e) {
      PangoAttrString *a = (PangoAttrString *)pango_attr_iterator_get(it, PANGO_ATTR_FAMILY);
      if (a) fam = g_strdup(a->value);
      break;
    }
  } while (pango_attr_iterator_next(it));
  pango_attr_iterator_destroy(it);
  return fam ? fam : g_strdup(pt->family);
}

/* True if the face of `family` lacks a character of the run: then another
 * face standing in is the fallback order at work (fonts/fallback.conf), not
 * a family that went missing. */
static bool stands_in(kmb_pdf_ctx *c, const PangoItem *item, const char *text, const char *family) {
  PangoFontDescription *d = pango_font_describe(item->analysis.font);
  pango_font_description_set_family(d, family);
  PangoFont *font = pango_context_load_font(c->pc, d);
  pango_font_description_free(d);
  if (!font) return false;
  PangoFontDescription *fd = pango_font_describe(font);
  bool same = g_ascii_strcasecmp(pango_font_description_get_family(fd), family) == 0;
  pango_font_description_free(fd);
  bool lacks = false; /* stays false when the family itself is missing: that warns */
  for (const char *p = text + item->offset; same && p < text + item->offset + item->length && !lacks;
       p = g_utf8_next_char(p))
    lacks = !pango_font_has_char(font, g_utf8_get_char(p));
  g_object_unref(font);
  return lacks;
}

/* A character no font has: its positions are gathered (one warning per
 * character at the end, kmb_text_warn_missing), not one per occurrence. */
typedef struct missing {
  gunichar ch;
  int count;
  const char *path; /* the first occurrence */
  int line;
  GString *where;   /* "a.md:12, a.md:40" (distinct lines, the first few) */
  int n_where, last_line;
  const char *last_path;
} missing;

static void missing_free(gpointer p) {
  missing *m = p;
  g_string_free(m->where, TRUE);
  g_free(m);
}

#define MISSING_SHOWN 5 /* positions listed in the warning */

static void note_missing(kmb_pdf_ctx *c, const kmb_ptext *pt, int off, gunichar ch) {
  if (c->replay) return; /* counted in the first pass */
  if (!c->missing) c->missing = g_hash_table_new_full(NULL, NULL, NULL, missing_free);
  missing *m = g_hash_table_lookup(c->missing, GUINT_TO_POINTER(ch));
  int line = src_line(pt, off);
  if (!m) {
    m = g_new0(missing, 1);
    m->ch = ch;
    m->path = pt->src;
    m->line = line;
    m->where = g_string_new(NULL);
    g_hash_table_insert(c->missing, GUINT_TO_POINTER(ch), m);
  }
  m->count++;
  if (m->n_where && m->last_line == line && g_strcmp0(m->last_path, pt->src) == 0) return;
  m->last_line = line, m->last_path = pt->src;
  if (++m->n_where <= MISSING_SHOWN)
    g_string_append_printf(m->where, "%s%s:%d", m->n_where > 1 ? ", " : "",
                            pt->src ? pt->src : "(book)", line);
  else if (m->n_where == MISSING_SHOWN + 1)
    g_string_append(m->where, ", …");
}

static gint cmp_missing(gconstpointer a, gconstpointer b) {
  const missing *x = *(missing *const *)a, *y = *(missing *const *)b;
  return (x->ch > y->ch) - (x->ch < y->ch);
}

bool kmb_text_warn_missing(kmb_pdf_ctx *c) {
  if (!c->missing) return true;
  GPtrArray *v = g_ptr_array_new();
  GHashTableIter it;
  gpointer k, val;
  g_hash_table_iter_init(&it, c->missing);
  while (g_hash_table_iter_next(&it, &k, &val)) g_ptr_array_add(v, val);
  g_ptr_array_sort(v, cmp_missing);
  bool ok = true;
  for (guint i = 0; i < v->len && ok; i++) {
    const missing *m = g_ptr_array_index(v, i);
    char u[8] = "";
    g_unichar_to_utf8(m->ch, u);
    ok = kmb_pdf_warn(c, m->path, m->line,
                      "no glyph for U+%04X '%s' in any of the book's fonts (%d %s: %s): it prints "
                      "as a box — use a font that has it, or another character",
                      m->ch, u, m->count, m->count == 1 ? "time" : "times", m->where->str);
  }
  g_ptr_array_free(v, TRUE);
  g_hash_table_destroy(c->missing);
  c->missing = NULL;
  return ok;
}

/* The unknown glyph of a character no font has becomes the font's □, centred
 * in the box's width: Pango's hex box would put its digits (F020) into the
 * text layer and the character itself as a space (the stray space). The
 * cluster keeps its character, so copied text stays as written. */
static void box_glyph(PangoGlyphItem *gi, int i) {
  PangoGlyphString *gs = pango_glyph_string_new();
  PangoAnalysis an = gi->item->analysis;
  an.extra_attrs = NULL;
  pango_shape("\u25A1", 3, &an, gs);
  if (gs->num_glyphs == 1 && !(gs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG)) {
    PangoGlyphInfo *g = &gi->glyphs->glyphs[i];
    g->geometry.x_offset += (g->geometry.width - gs->glyphs[0].geometry.width) / 2;
    g->glyph = gs->glyphs[0].glyph;
  }
  pango_glyph_string_free(gs);
}

static void check_run(kmb_pdf_ctx *c, const kmb_ptext *pt, PangoGlyphItem *gi) {
  const PangoItem *item = gi->item;
  if (!item->analysis.font) return;
  PangoFontDescription *d = pango_font_describe(item->analysis.font);
  const char *got = pango_font_description_get_family(d);
  char *want = asked_family(pt, item->offset);
  if (got && want && g_ascii_strcasecmp(got, want) != 0 && !stands_in(c, item, pt->text->str, want)) {
    char *key = g_strdup_printf("sub:%s:%s", want, got);
    if (!g_hash_table_contains(c->warned, key)) {
      g_hash_table_add(c->warned, key);
      int line = src_line(pt, item->offset);
      char *snippet = g_strndup(pt->text->str + item->offset, MIN(item->length, 24));
      if (!kmb_pdf_warn(c, pt->src, line, "font '%s' is set in '%s' instead (text \"%s\")", want,
                        got, snippet))
        c->failed = true;
      g_free(snippet);
    } else {
      g_free(key);
    }
  }
  g_free(want);
  pango_font_description_free(d);
  for (int i = 0; i < gi->glyphs->num_glyphs; i++) {
    PangoGlyph g = gi->glyphs->glyphs[i].glyph;
    if (!(g & PANGO_GLYPH_UNKNOWN_FLAG)) continue;
    gunichar ch = g & ~PANGO_GLYPH_UNKNOWN_FLAG;
    if (ch == '\n' || ch == 0x2028 || ch == '\r') continue; /* forced breaks have no glyph */
    note_missing(c, pt, item->offset + gi->glyphs->log_clusters[i], ch);
    box_glyph(gi, i);
  }
}

kmb_para *kmb_text_break(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_tbreak *tb) {
  kmb_para *p = g_new0(kmb_para, 1);
  g_ptr_array_add(c->paras, p);
  /* Trailing hard breaks and spaces produce empty lines: trim them. */
  while (pt->text->len > 0 && (pt->text->str[pt->text->len - 1] == '\n' ||
                               (!tb->code && pt->text->str[pt->text->len - 1] == ' ')))
    g_string_truncate(pt->text, pt->text->len - 1);
  kmb_vertical_attrs(c, pt, tb->code && !tb->words);
  kmb_para_in in = {
      .ctx = c->pc,
      .text = pt->text->str,
      .len = (int)pt->text->len,
      .attrs = pt->attrs,
      .width = tb->width,
      .indent = tb->indent,
      .justify = tb->justify,
      .code = tb->code,
      .wrap_mark = tb->wrap_mark,
      .ident = tb->ident,
      .phrase = tb->phrase,
      .style = c->st,
      .looseness = tb->looseness,
  };
  GArray *keep = g_array_new(FALSE, FALSE, sizeof(int));
  for (guint i = 0; i < pt->spans->len; i++) {
    const kmb_span *sp = &g_array_index(pt->spans, kmb_span, i);
    if (sp->kind != KMB_SPAN_KEEP) continue;
    int r[2] = {sp->start, sp->end};
    g_array_append_vals(keep, r, 2);
  }
  in.keep = (const int *)(void *)keep->data;
  in.n_keep = (int)keep->len / 2;
  kmb_error e;
  kmb_error_clear(&e);
  bool broke = kmb_para_break(&in, p, &e);
  g_array_free(keep, TRUE);
  if (!broke) {
    kmb_pdf_warn(c, pt->src, src_line(pt, 0), "paragraph could not be set: %s", e.msg);
    return p;
  }
  for (int i = 0; i < p->n_lines; i++)
    for (int r = 0; r < p->lines[i].n_runs; r++) check_run(c, pt, p->lines[i].runs[r].gi);
  return p;
}

kmb_box **kmb_text_boxes(kmb_pdf_ctx *c, kmb_ptext *pt, kmb_para *p, const char *what) {
  kmb_box **v = kmb_arena_alloc(c->arena, sizeof(kmb_box *) * (size_t)(p->n_lines + 1));
  const char *text = kmb_arena_strndup(c->arena, pt->text->str, pt->text->len);
  int ns = (int)pt->spans->len;
  kmb_span *spans = NULL;
  if (ns) {
    spans = kmb_arena_alloc(c->arena, sizeof(kmb_span) * (size_t)ns);
    memcpy(spans, pt->spans->data, sizeof(kmb_span) * (size_t)ns);
  }
  int na = (int)pt->anchors->len;
  kmb_anchor *anchors = NULL;
  if (na) {
    anchors = kmb_arena_alloc(c->arena, sizeof(kmb_anchor) * (size_t)na);
    memcpy(anchors, pt->anchors->data, sizeof(kmb_anchor) * (size_t)na);
  }
  for (int i = 0; i < p->n_lines; i++) {
    kmb_box *b = kmb_box_new(c, KMB_BOX_LINE);
    const kmb_line *ln = &p->lines[i];
    b->anchors = anchors;
    b->n_anchors = na;
    b->line = ln;
    b->text = text;
    b->spans = spans;
    b->n_spans = ns;
    b->w = ln->width;
    b->what = what;
    /* Footnote references that fall on this line. */
    int nn = 0;
    for (int s = 0; s < ns; s++)
      if (spans[s].kind == KMB_SPAN_NOTEREF && spans[s].start >= ln->start &&
          spans[s].start < ln->end)
        nn++;
    if (nn) {
      b->notes = kmb_arena_alloc(c->arena, sizeof(int) * (size_t)(nn + 1));
      int k = 0;
      for (int s = 0; s < ns; s++)
        if (spans[s].kind == KMB_SPAN_NOTEREF && spans[s].start >= ln->start &&
            spans[s].start < ln->end)
          b->notes[k++] = spans[s].note;
      b->notes[k] = -1;
    }
    v[i] = b;
  }
  return v;
}

kmb_box **kmb_text_simple(kmb_pdf_ctx *c, const char *text, const char *family, double size,
                          PangoWeight weight, double width, int *n_lines) {
  kmb_ptext pt;
  kmb_ptext_init(&pt, family, size, NULL);
  kmb_ptext_add(&pt, text, (int)strlen(text), 0);
  if (weight != PANGO_WEIGHT_NORMAL)
    kmb_ptext_attr(&pt, pango_attr_weight_new(weight), 0, (int)pt.text->len);
  kmb_tbreak tb = {.width = width, .justify = false, .size = size};
  kmb_para *p = kmb_text_break(c, &pt, &tb);
  kmb_box **v = kmb_text_boxes(c, &pt, p, "text");
  for (int i = 0; i < p->n_lines; i++) v[i]->size = size;
  *n_lines = p->n_lines;
  kmb_ptext_clear(&pt);
  return v;
}

double kmb_text_width(kmb_pdf_ctx *c, const char *text, const char *family, double size,
                      PangoWeight weight) {
  PangoLayout *l = pango_layout_new(c->pc);
  PangoFontDescription *d = pango_font_description_new();
  pango_font_description_set_family(d, family);
  pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
  pango_font_description_set_weight(d, weight);
  pango_layout_set_font_description(l, d);
  pango_layout_set_text(l, text, -1);
  kmb_vertical_layout(c, l); /* measured as set: Latin sideways in a vertical book */
  int w, h;
  pango_layout_get_size(l, &w, &h);
  pango_font_description_free(d);
  g_object_unref(l);
  return (double)w / PANGO_SCALE;
}
