/* Laid-out pages → the page model (pages.h), taking every decision the
 * drawing would otherwise take: note marks raised, destinations placed,
 * link colours, emphasis dots and leader dots counted, running heads and
 * folios set with Pango, the cover's painter; and the document part: the
 * information dictionary and the outline. */
#include "base/date.h"
#include "base/lang.h"
#include "base/utf8.h"
#include "base/zhuyin.h"
#include "cover/cover.h"
#include "pdf/pdf-imp.h"

#include <math.h>
#include <string.h>

static const char *copy(kmb_pages *pp, const char *s) {
  return s ? kmb_arena_strdup(pp->arena, s) : NULL;
}

static kmb_pdest dest_at(kmb_pages *pp, const char *name, double x, double y) {
  kmb_pdest d = {copy(pp, name), x, y < 0 ? 0 : y};
  return d;
}

static const kmb_span *span_at(const kmb_box *b, int off, kmb_span_kind kind) {
  for (int i = 0; i < b->n_spans; i++)
    if (b->spans[i].kind == kind && off >= b->spans[i].start && off < b->spans[i].end)
      return &b->spans[i];
  return NULL;
}

/* A character that takes a 傍点 in a Japanese book (jlreq §3.2.4: every
 * character of the emphasis, kana as well as kanji, not punctuation). */
static bool bouten_char(gunichar ch) {
  return kmb_is_han(ch) || ch == 0x3005 || (ch >= 0x3041 && ch <= 0x309A) ||
         (ch >= 0x30A1 && ch <= 0x30FA) || (ch >= 0x30FC && ch <= 0x30FE);
}

/* 着重号: a dot under the centre of every Han character of the run (clreq
 * §3.2.5); in a Japanese book 傍点, a dot over every kanji and kana (jlreq
 * §3.2.4), as far above the em box as the Chinese dot is below it. */
static void emphasis_dots(kmb_pdf_ctx *c, kmb_pages *pp, const kmb_box *b, kmb_grun *g, double x,
                          double y) {
  const kmb_design *D = &c->st->pdf;
  const char *lang = pango_language_to_string(g->gi->item->analysis.language);
  bool ja = kmb_lang_is(lang, "ja");
  const PangoGlyphString *gs = g->gi->glyphs;
  const char *text = b->text + g->gi->item->offset;
  double em = b->size > 0 ? b->size : c->em;
  double *dots = kmb_arena_alloc(pp->arena, sizeof(double) * (size_t)(gs->num_glyphs + 1));
  int n = 0;
  double gx = x;
  for (int i = 0; i < gs->num_glyphs;) {
    int cl = gs->log_clusters[i];
    double w = 0;
    int k = i;
    while (k < gs->num_glyphs && gs->log_clusters[k] == cl) w += gs->glyphs[k].geometry.width, k++;
    w /= PANGO_SCALE;
    gunichar ch = g_utf8_get_char(text + cl);
    if (ja ? bouten_char(ch) : kmb_is_han(ch)) dots[n++] = gx + em / 2;
    gx += w;
    i = k;
  }
  g->emph = true;
  g->n_dots = n;
  g->dot_x = dots;
  /* the ideographic em box spans 0.88 em above the baseline to 0.12 below */
  g->dot_y = ja ? y - (0.88 + D->emph_dot_drop - 0.12) * em : y + D->emph_dot_drop * em;
  g->dot_r = D->emph_dot_radius * em;
}

/* The width a strike-through covers: the run's, less the glue after its
 * last character (justification, the CJK–Latin gap), which para.c puts into
 * that glyph's advance. The strike ends at the text (gap analysis), not in
 * the gap. */
static double strike_width(const kmb_grun *g) {
  const PangoGlyphString *gs = g->gi->glyphs;
  int n = gs->num_glyphs;
  if (n == 0) return g->width;
  int k = n - 1;
  while (k > 0 && gs->log_clusters[k - 1] == gs->log_clusters[n - 1]) k--;
  double set = 0, natural = 0;
  for (int i = k; i < n; i++) {
    PangoRectangle logical;
    pango_font_get_glyph_extents(g->gi->item->analysis.font, gs->glyphs[i].glyph, NULL, &logical);
    set += gs->glyphs[i].geometry.width / (double)PANGO_SCALE;
    natural += logical.width / (double)PANGO_SCALE;
  }
  double glue = set - natural;
  return glue > 0 ? g->width - glue : g->width;
}

/* Ruby annotations of one run: each centred over its base segment (the
 * segment's natural width, rt_w: justification glue after it is not part of
 * it), set at ruby_scale of the line's size with its baseline ruby_raise
 * above the base's, as text boxes after the line, so the text layer reads
 * the base text first and the annotations as spans of their own. */
static void ruby_marks(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_box *b,
                       const kmb_grun *g) {
  const kmb_design *D = &c->st->pdf;
  const PangoItem *item = g->gi->item;
  const PangoGlyphString *gs = g->gi->glyphs;
  double em = b->size > 0 ? b->size : c->em;
  for (int s = 0; s < b->n_spans; s++) {
    const kmb_span *sp = &b->spans[s];
    if (sp->kind != KMB_SPAN_RUBY || sp->start < item->offset ||
        sp->start >= item->offset + item->length || !sp->rt || !*sp->rt)
      continue;
    double x = g->x;
    for (int i = 0; i < gs->num_glyphs && item->offset + gs->log_clusters[i] < sp->start; i++)
      x += gs->glyphs[i].geometry.width / (double)PANGO_SCALE;
    if (c->st->zhuyin_right && kmb_zhuyin_beside(b->text + sp->start, (size_t)(sp->end - sp->start), sp->rt)) {
      kmb_zhuyin_marks(c, pp, pg, b, sp->rt, x, sp->rt_w, em);
      continue;
    }
    PangoLayout *l = pango_layout_new(c->pc);
    kmb_pages_own(pp, l, g_object_unref);
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, c->st->body_family);
    pango_font_description_set_absolute_size(d, em * D->ruby_scale * PANGO_SCALE);
    pango_layout_set_font_description(l, d);
    pango_font_description_free(d);
    pango_layout_set_text(l, sp->rt, -1);
    kmb_vertical_layout(c, l); /* pinyin sideways, kana upright */
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double base = pango_layout_get_baseline(l) / (double)PANGO_SCALE;
    kmb_pbox *t = kmb_pbox_add(pp, pg, KMB_PB_TEXT);
    t->layout = l;
    t->x = x + (sp->rt_w - (double)w / PANGO_SCALE) / 2;
    /* an annotation overhanging its neighbours (inline.c, Japanese) stays
     * inside the line: at its start or end it moves in, over its base
     * (jlreq §3.3.7) */
    const kmb_line *ln = b->line;
    if (!c->vertical && ln && ln->n_runs > 0 && sp->rt_w + 0.01 < (double)w / PANGO_SCALE) {
      double lo = b->x + ln->runs[0].x, hi = b->x + ln->width;
      if (t->x + (double)w / PANGO_SCALE > hi) t->x = hi - (double)w / PANGO_SCALE;
      if (t->x < lo) t->x = lo;
    }
    t->y = b->y - D->ruby_raise * em - base;
    t->base = base;
    t->w = (double)w / PANGO_SCALE;
    t->size = em * D->ruby_scale;
    t->tags = b->tags;
    t->tags.id[0] = 0; /* inside the line's element, no element of its own */
    t->what = "rt";
  }
}

static void emit_line(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_box *b) {
  const kmb_design *D = &c->st->pdf;
  const kmb_line *ln = b->line;
  kmb_pbox *o = kmb_pbox_add(pp, pg, KMB_PB_LINE);
  o->x = b->x, o->y = b->y, o->w = ln->width;
  o->size = b->size;
  o->tags = b->tags;
  o->what = b->what;
  o->furniture = b->furniture;
  o->text = b->text; /* in the chapter's arena, which the pages own */
  o->start = ln->start, o->end = ln->end;
  o->notes = b->notes;
  o->link_dest = copy(pp, b->link_dest);
  if (b->dest) o->dest = dest_at(pp, b->dest, b->x, b->y - D->dest_raise * (b->size > 0 ? b->size : c->em));
  kmb_grun *runs = kmb_arena_alloc(pp->arena, sizeof(kmb_grun) * (size_t)(ln->n_runs + 1));
  for (int i = 0; i < ln->n_runs; i++) {
    const kmb_run *run = &ln->runs[i];
    kmb_grun *g = &runs[i];
    int off = run->gi->item->offset;
    const kmb_span *link = span_at(b, off, KMB_SPAN_LINK);
    const kmb_span *ref = span_at(b, off, KMB_SPAN_NOTEREF);
    const kmb_span *back = span_at(b, off, KMB_SPAN_NOTEBACK);
    g->gi = run->gi;
    g->width = run->width;
    g->x = b->x + run->x, g->y = b->y;
    if (ref) {
      /* the mark is set small (inline.c) and raised here; its return target above it */
      g->y -= D->note_mark_rise * b->size;
      char *name = g_strdup_printf("fnref%d", ref->note);
      g->dest = dest_at(pp, name, g->x, g->y - b->size);
      g_free(name);
    }
    const char *dest = link ? link->dest : ref ? ref->dest : back ? back->dest : NULL;
    const char *uri = link ? link->uri : NULL;
    if (!b->link_dest && (dest || uri)) { /* a line that links whole has no links inside */
      g->link_dest = copy(pp, dest);
      g->link_uri = dest ? NULL : copy(pp, uri);
    }
    if (link) g->rgb[0] = D->link_rgb[0], g->rgb[1] = D->link_rgb[1], g->rgb[2] = D->link_rgb[2];
    if (span_at(b, off, KMB_SPAN_EMPH)) emphasis_dots(c, pp, b, g, g->x, g->y);
    if (span_at(b, off, KMB_SPAN_STRIKE)) {
      g->strike_lw = D->strike_width * b->size;
      g->strike_y = g->y - D->strike_raise * b->size;
      g->strike_w = strike_width(g);
    }
    if (c->vertical) kmb_vertical_run(c, pp, b, g);
  }
  o->runs = runs;
  o->n_runs = ln->n_runs;
  for (int i = 0; i < ln->n_runs; i++) ruby_marks(c, pp, pg, b, &runs[i]);
}

static void emit_dots(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_box *b,
                      double page_x0) {
  const kmb_design *D = &c->st->pdf;
  kmb_pbox *o = kmb_pbox_add(pp, pg, KMB_PB_DOTS);
  /* dots on a grid from the text block's edge, so leaders line up down the page */
  double pitch = D->leader_pitch_em * c->em;
  double x0 = page_x0 + ceil((b->x - page_x0) / pitch) * pitch + pitch / 2;
  int n = 0;
  for (double x = x0; x < b->x + b->w - pitch / 2 + 1e-6; x += pitch) n++;
  o->x = x0, o->y = b->y - D->leader_raise_em * c->em;
  o->w = b->w;
  o->pitch = pitch, o->r = D->leader_radius, o->n = n;
  o->gray = D->leader_gray;
  o->what = b->what;
  o->tags = b->tags;
}

PangoLayout *kmb_furniture_layout(kmb_pdf_ctx *c, kmb_pages *pp, const char *text) {
  PangoLayout *l = pango_layout_new(c->pc);
  kmb_pages_own(pp, l, g_object_unref);
  PangoFontDescription *d = pango_font_description_new();
  pango_font_description_set_family(d, c->st->body_family);
  pango_font_description_set_absolute_size(d, c->st->pdf.furniture_size * PANGO_SCALE);
  pango_layout_set_font_description(l, d);
  pango_font_description_free(d);
  pango_layout_set_text(l, text, -1);
  return l;
}

/* Running head (top, centred, over a hairline) and folio (bottom, outer
 * corner), small and grey, outside the text block and outside the
 * structure tree, so that readers and checkers see them as furniture. */
static void emit_furniture(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_page *src) {
  const kmb_design *D = &c->st->pdf;
  const char *items[2] = {src->head, src->folio};
  for (int i = 0; i < 2; i++) {
    if (!items[i]) continue;
    PangoLayout *l = kmb_furniture_layout(c, pp, items[i]);
    /* a running head longer than the measure is cut with an ellipsis */
    pango_layout_set_width(l, (int)(c->text_w * PANGO_SCALE));
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double tw = (double)w / PANGO_SCALE;
    double base = pango_layout_get_baseline(l) / (double)PANGO_SCALE;
    double x, y;
    if (i == 0) {
      x = src->x0 + (c->text_w - tw) / 2;
      y = c->top * D->head_drop;
    } else {
      x = src->recto ? src->x0 + c->text_w - tw : src->x0;
      y = c->page_h - (c->page_h - c->top - c->text_h) * D->folio_rise;
    }
    kmb_pbox *t = kmb_pbox_add(pp, pg, KMB_PB_TEXT);
    t->layout = l;
    t->x = x, t->y = y - base, t->base = base;
    t->gray = D->furniture_gray;
    t->furniture = true;
    t->what = i == 0 ? "head" : "folio";
    if (i == 0) {
      kmb_pbox *r = kmb_pbox_add(pp, pg, KMB_PB_RULE);
      r->x = src->x0, r->y = y + D->head_rule_drop, r->w = c->text_w;
      r->lw = D->head_rule_width, r->gray = D->furniture_gray;
      r->furniture = true;
      r->what = "head-rule";
    }
  }
}

/* The cover is the EPUB's cover drawn again, as vectors, with its text as
 * glyph outlines (kmb_cover_draw). Why not text: the cover's big lines
 * (title, author) would then be text on page 1, where text extraction and
 * checkers read them as the book's first heading and body; the title page
 * carries the same text as text. Why not the EPUB's PNG at 300 dpi: encoding,
 * decoding and re-compressing ~13 MB of pixels was half the time of a
 * default-book PDF (issue 7), and outlines stay sharp at any zoom. */
typedef struct cover_job {
  const kmb_book *book;
  const kmb_style *st;
  kmb_fonts *fonts; /* the caller's, alive until the PDF is closed */
} cover_job;

static bool paint_cover(void *data, cairo_t *cr, double w, double h, kmb_error *err) {
  const cover_job *j = data;
  return kmb_cover_draw(j->book, j->st, j->fonts, cr, w, h, err);
}

static void free_para(void *p) {
  kmb_para_clear(p);
  g_free(p);
}

kmb_pages *kmb_layout_emit(kmb_pdf_ctx *c) {
  /* The pages take the chapter's arena (its text, images, shaped lines). */
  kmb_pages *pp = kmb_pages_new(c->arena != c->perm ? c->arena : NULL);
  if (c->arena != c->perm) c->arena = c->perm;
  for (guint i = 0; i < c->paras->len; i++) kmb_pages_own(pp, g_ptr_array_index(c->paras, i), free_para);
  g_ptr_array_set_size(c->paras, 0);
  for (guint i = 0; i < c->imgs->len; i++)
    kmb_pages_own(pp, g_ptr_array_index(c->imgs, i), kmb_img_release);
  g_ptr_array_set_size(c->imgs, 0);
  for (guint i = 0; i < c->pages->len; i++) {
    kmb_page *src = g_ptr_array_index(c->pages, i);
    kmb_vertical_place(c, src);
    kmb_ppage *pg = kmb_pages_add(pp, src->kind);
    pg->vertical = c->vertical && src->kind != KMB_PAGE_COVER;
    pg->number = src->number;
    pg->label = copy(pp, src->label);
    pg->recto = src->recto;
    pg->opening = src->opening;
    if (src->chapter >= 0) pg->chapter_id = c->book->chapters[src->chapter].id;
    for (const kmb_box *b = src->first; b; b = b->next) {
      if (b->kind == KMB_BOX_LINE) {
        emit_line(c, pp, pg, b);
        continue;
      }
      if (b->kind == KMB_BOX_DOTS) {
        emit_dots(c, pp, pg, b, src->x0);
        continue;
      }
      kmb_pbox *o = kmb_pbox_add(pp, pg, KMB_PB_RULE);
      o->x = b->x, o->y = b->y, o->w = b->w, o->h = b->h;
      o->lw = b->lw, o->gray = b->gray;
      o->tags = b->tags;
      o->what = b->what;
      o->furniture = b->furniture;
      switch (b->kind) {
      case KMB_BOX_RULE:
        if (b->dest) o->dest = dest_at(pp, b->dest, b->x, b->y);
        o->under = b->under ? kmb_arena_strdup(pp->arena, b->under) : NULL; /* a floating table */
        break;
      case KMB_BOX_RECT:
        o->kind = KMB_PB_RECT;
        break;
      case KMB_BOX_IMAGE:
        o->kind = KMB_PB_IMAGE;
        o->img = b->img;
        o->under = b->under ? kmb_arena_strdup(pp->arena, b->under) : NULL;
        break;
      case KMB_BOX_COVER:
        o->kind = KMB_PB_PAINT;
        o->paint = paint_cover;
        cover_job *j = kmb_arena_alloc(pp->arena, sizeof *j);
        *j = (cover_job){c->book, c->st, c->fonts};
        o->paint_data = j;
        break;
      default:
        break;
      }
    }
    if (c->vertical) kmb_vertical_furniture(c, pp, pg, src);
    else emit_furniture(c, pp, pg, src);
  }
  return pp;
}

static void *svg_scope_begin(void *data) {
  return kmb_fonts_svg_begin(data);
}

void kmb_layout_doc(kmb_pdf_ctx *c, kmb_pdoc *d) {
  kmb_arena *a = c->perm;
  const kmb_meta *m = &c->book->meta;
  memset(d, 0, sizeof *d);
  d->page_w = c->vertical ? c->paper_w : c->page_w;
  d->page_h = c->vertical ? c->paper_h : c->page_h;
  d->title = m->title;
  if (m->n_creators) {
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < m->n_creators; i++) {
      if (i) g_string_append(s, c->book->labels->list_sep);
      g_string_append(s, m->creators[i].name);
    }
    d->author = kmb_arena_strdup(a, s->str);
    g_string_free(s, TRUE);
  }
  d->subject = m->subtitle ? m->subtitle : m->description;
  if (m->n_subjects) {
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < m->n_subjects; i++) {
      if (i) g_string_append(s, ", ");
      g_string_append(s, m->subjects[i]);
    }
    d->keywords = kmb_arena_strdup(a, s->str);
    g_string_free(s, TRUE);
  }
  d->creator = c->opts->generator ? c->opts->generator : "kmbook";
  char date[32];
  kmb_date_iso8601(c->opts->epoch > 0 ? c->opts->epoch : 0, date);
  d->date = kmb_arena_strdup(a, date);
  /* The outline: the contents page first, then every heading under the
   * nearest heading above it of a higher level. */
  int n = (int)c->toc->len + 1;
  kmb_outline_item *o = kmb_arena_alloc(a, sizeof *o * (size_t)n);
  int k = 0;
  if (c->contents_dest) o[k++] = (kmb_outline_item){c->book->labels->contents, c->contents_dest, -1};
  int parent[8] = {0}; /* 1 + item index per level, 0 = none */
  for (guint i = 0; i < c->toc->len; i++) {
    const kmb_toc_entry *e = &g_array_index(c->toc, kmb_toc_entry, i);
    int lv = e->level < 1 ? 1 : e->level > 6 ? 6 : e->level;
    int up = lv - 1;
    while (up > 0 && !parent[up]) up--;
    o[k] = (kmb_outline_item){e->title ? e->title : "", e->dest, up > 0 ? parent[up] - 1 : -1};
    parent[lv] = ++k;
    for (int j = lv + 1; j < 8; j++) parent[j] = 0;
  }
  d->outline = o;
  d->n_outline = k;
  d->font_scope_begin = svg_scope_begin;
  d->font_scope_end = kmb_fonts_svg_end;
  d->font_scope_data = c->fonts;
}
