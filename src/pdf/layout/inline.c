/* Inline nodes → one attributed text per paragraph: the string the paragraph
 * breaker shapes, Pango attributes for fonts, and spans for what the
 * renderer needs beyond glyphs (links, footnote marks, strike-through). */
#include "base/zhuyin.h"
#include "base/lang.h"
#include "pdf/pdf-imp.h"

#include <math.h>
#include <string.h>

void kmb_ptext_init(kmb_ptext *pt, const char *family, double size, const char *src) {
  memset(pt, 0, sizeof *pt);
  pt->text = g_string_new(NULL);
  pt->attrs = pango_attr_list_new();
  pt->spans = g_array_new(FALSE, TRUE, sizeof(kmb_span));
  pt->srclines = g_array_new(FALSE, TRUE, sizeof(int));
  pt->anchors = g_array_new(FALSE, TRUE, sizeof(kmb_anchor));
  pt->family = family;
  pt->src = src;
  pt->size = size;
  /* Base font over everything (end = G_MAXUINT covers text appended later). */
  PangoAttribute *a = pango_attr_family_new(family);
  a->start_index = 0, a->end_index = G_MAXUINT;
  pango_attr_list_insert(pt->attrs, a);
  a = pango_attr_size_new_absolute((int)(size * PANGO_SCALE + 0.5));
  a->start_index = 0, a->end_index = G_MAXUINT;
  pango_attr_list_insert(pt->attrs, a);
}

void kmb_ptext_clear(kmb_ptext *pt) {
  if (pt->text) g_string_free(pt->text, TRUE);
  if (pt->attrs) pango_attr_list_unref(pt->attrs);
  if (pt->spans) g_array_free(pt->spans, TRUE);
  if (pt->srclines) g_array_free(pt->srclines, TRUE);
  if (pt->anchors) g_array_free(pt->anchors, TRUE);
  memset(pt, 0, sizeof *pt);
}

void kmb_ptext_attr(kmb_ptext *pt, PangoAttribute *a, int start, int end) {
  if (end <= start) {
    pango_attribute_destroy(a);
    return;
  }
  a->start_index = (guint)start;
  a->end_index = (guint)end;
  pango_attr_list_change(pt->attrs, a);
}

void kmb_ptext_add(kmb_ptext *pt, const char *s, int len, int srcline) {
  if (srcline > 0) {
    int pair[2] = {(int)pt->text->len, srcline};
    g_array_append_vals(pt->srclines, pair, 2);
  }
  g_string_append_len(pt->text, s, len);
}

void kmb_ptext_anchor(kmb_ptext *pt, const kmb_node *node, long node_off) {
  kmb_anchor a = {(int)pt->text->len, node, node_off};
  g_array_append_val(pt->anchors, a);
}

void kmb_boxes_anchor(kmb_pdf_ctx *c, kmb_box **v, int n, const kmb_node *node) {
  kmb_anchor *a = kmb_arena_alloc(c->arena, sizeof *a);
  *a = (kmb_anchor){0, node, -1};
  for (int i = 0; i < n; i++) v[i]->anchors = a, v[i]->n_anchors = 1;
}

/* The source of what add_inline adds for n next. */
static void anchor(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *n, bool text) {
  if (c->anchor_block) kmb_ptext_anchor(pt, c->anchor_block, -1);
  else kmb_ptext_anchor(pt, n, text ? 0 : -1);
}

static void add_inline(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *n);

static void add_span(kmb_ptext *pt, kmb_span_kind kind, int start, const char *dest,
                     const char *uri, int note) {
  kmb_span sp = {kind, start, (int)pt->text->len, dest, uri, note, NULL, 0};
  if (sp.end > sp.start) g_array_append_val(pt->spans, sp);
}

/* Appends literal text with source-line tracking: newlines inside a literal
 * (never in inline text, but code spans may carry them) become spaces. */
static void add_literal(kmb_ptext *pt, const kmb_node *n) {
  int start = (int)pt->text->len;
  kmb_ptext_add(pt, n->literal ? n->literal : "", (int)n->len, n->line);
  for (gsize i = (gsize)start; i < pt->text->len; i++) {
    char ch = pt->text->str[i];
    if (ch == '\n' || ch == '\r' || ch == '\t') pt->text->str[i] = ' ';
  }
}

/* Kana a Japanese annotation may overhang (jlreq §3.3.6), not kanji, whose
 * own reading it would seem to be, nor the middle dot. */
static bool overhang_kana(gunichar ch) {
  return ((ch >= 0x3041 && ch <= 0x309F) || (ch >= 0x30A0 && ch <= 0x30FF)) && ch != 0x30FB;
}

/* How far (pt) the annotation of a base segment may overhang each of its
 * neighbours in a Japanese book: half the annotation's size (jlreq §3.3.6
 * allows up to one ruby character; Chromium's ruby-overhang: auto takes
 * half), and only when the characters on both sides are kana, so the base
 * stays centred under it. 0 in other books. */
static double ruby_overhang(kmb_pdf_ctx *c, const kmb_ptext *pt, int start, const kmb_node *b,
                            const kmb_node *ruby, double rt_size) {
  const char *lang = pango_language_to_string(pango_context_get_language(c->pc));
  if (!c->st->ruby_overhang || !kmb_lang_is(lang, "ja") ||
      start == 0)
    return 0;
  gunichar before = g_utf8_get_char(g_utf8_prev_char(pt->text->str + start));
  const kmb_node *nx = b->next ? b->next : ruby->next;
  if (!nx || nx->type != KMB_NODE_TEXT || !nx->literal || !nx->len) return 0;
  gunichar after = g_utf8_get_char(nx->literal);
  return overhang_kana(before) && overhang_kana(after) ? 0.5 * rt_size : 0;
}

/* Ruby: each base segment a span carrying its annotation, the whole unit a
 * KEEP span (para.c never breaks inside it). An annotation wider than its
 * base spaces the base out (letter-spacing, half on each side, so the base
 * stays centred under it) rather than overhanging: annotations of
 * neighbouring mono-ruby characters then never touch. In a Japanese book
 * it may overhang kana on both sides by up to half its size first
 * (ruby_overhang); emit.c keeps it inside the line's ends. */
static void add_ruby(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *n) {
  const kmb_design *D = &c->st->pdf;
  int unit_start = (int)pt->text->len;
  int i = 0;
  for (const kmb_node *b = n->first; b; b = b->next, i++) {
    int start = (int)pt->text->len;
    add_inline(c, pt, b);
    int end = (int)pt->text->len;
    const char *rt = i < n->as.ruby.n ? n->as.ruby.rt[i] : "";
    char *base = g_strndup(pt->text->str + start, (gsize)(end - start));
    double bw = kmb_text_width(c, base, pt->family, pt->size, PANGO_WEIGHT_NORMAL);
    double aw = kmb_text_width(c, rt, pt->family, pt->size * D->ruby_scale, PANGO_WEIGHT_NORMAL);
    long nch = g_utf8_strlen(base, -1);
    bool beside = c->st->zhuyin_right && kmb_zhuyin_beside(base, strlen(base), rt);
    g_free(base);
    double w = bw;
    if (beside) {
      /* zhuyin: a column right of the base (zhuyin.c), the base in place */
      double room = kmb_zhuyin_room(D, pt->size);
      kmb_ptext_attr(pt, kmb_para_space_after_new((int)(room * PANGO_SCALE + 0.5)), start, end);
    } else if (aw > bw && nch > 0) {
      double ov = fmin((aw - bw) / 2, ruby_overhang(c, pt, start, b, n, pt->size * D->ruby_scale));
      double ls = (aw - bw - 2 * ov) / (double)nch;
      kmb_ptext_attr(pt, pango_attr_letter_spacing_new((int)(ls * PANGO_SCALE + 0.5)), start, end);
      w = bw + ls * (double)nch;
    }
    /* alternate values keep neighbouring segments separate items */
    kmb_ptext_attr(pt, pango_attr_foreground_alpha_new((guint16)(65535 - (i % 2))), start, end);
    kmb_span sp = {KMB_SPAN_RUBY, start, end, NULL, NULL, 0, kmb_arena_strdup(c->arena, rt), w};
    if (end > start) g_array_append_val(pt->spans, sp);
  }
  kmb_span keep = {KMB_SPAN_KEEP, unit_start, (int)pt->text->len, NULL, NULL, 0, NULL, 0};
  if (keep.end > keep.start) g_array_append_val(pt->spans, keep);
}

/* A character of Latin emphasis: a letter or digit of an alphabetic script
 * (Latin, Greek, Cyrillic), or ASCII punctuation and spaces between them. */
static bool latin_letter(gunichar ch) {
  GUnicodeScript sc = g_unichar_get_script(ch);
  return (sc == G_UNICODE_SCRIPT_LATIN || sc == G_UNICODE_SCRIPT_GREEK ||
          sc == G_UNICODE_SCRIPT_CYRILLIC || (ch < 0x80 && g_ascii_isdigit((char)ch)));
}

static bool latin_between(gunichar ch) {
  return (ch < 0x80 && (g_ascii_ispunct((char)ch) || ch == ' ')) || ch == 0x2019 || ch == 0x2018 ||
         ch == 0x201C || ch == 0x201D || ch == 0x2013 || ch == 0x2014;
}

/* Whether [a, b) holds inline code (code keeps its own face, upright). */
static bool has_code(const kmb_ptext *pt, const char *code_family, int a, int b) {
  GSList *all = pango_attr_list_get_attributes(pt->attrs);
  bool code = false;
  for (GSList *l = all; l; l = l->next) {
    const PangoAttribute *at = l->data;
    if (at->klass->type == PANGO_ATTR_FAMILY && (int)at->start_index < b && (int)at->end_index > a &&
        strcmp(((const PangoAttrString *)at)->value, code_family) == 0)
      code = true;
  }
  g_slist_free_full(all, (GDestroyNotify)pango_attribute_destroy);
  return code;
}

/* Latin emphasis is italic (issue 14): each stretch of Latin letters inside
 * [start, end) — with the spaces and ASCII punctuation between them — is set
 * in the italic face of the paragraph's Latin (style italic_family), while
 * Han text keeps its 着重号 dots: the CJK faces have no italic, and a
 * slanted ideograph is not a Chinese convention. */
static void latin_italic(kmb_pdf_ctx *c, kmb_ptext *pt, int start, int end) {
  const kmb_style *st = c->st;
  const char *fam = strcmp(pt->family, st->heading_family) == 0 ? st->heading_italic_family
                    : strcmp(pt->family, st->body_family) == 0   ? st->italic_family
                                                                  : NULL;
  if (!st->latin_italic || !fam || !*fam) return;
  const char *s = pt->text->str;
  int i = start;
  while (i < end) {
    if (!latin_letter(g_utf8_get_char(s + i))) {
      i = (int)(g_utf8_next_char(s + i) - s);
      continue;
    }
    int a = i, b = i; /* b: just after the stretch's last letter */
    while (i < end) {
      gunichar ch = g_utf8_get_char(s + i);
      if (!latin_letter(ch) && !latin_between(ch)) break;
      i = (int)(g_utf8_next_char(s + i) - s);
      if (latin_letter(ch)) b = i;
    }
    if (has_code(pt, st->code_family, a, b)) continue;
    kmb_ptext_attr(pt, pango_attr_family_new(fam), a, b);
    kmb_ptext_attr(pt, pango_attr_style_new(PANGO_STYLE_ITALIC), a, b);
  }
}

static void add_inline(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *n) {
  int start = (int)pt->text->len;
  const kmb_style *st = c->st;
  switch (n->type) {
  case KMB_NODE_TEXT:
    anchor(c, pt, n, true);
    add_literal(pt, n);
    return;
  case KMB_NODE_SOFTBREAK:
    anchor(c, pt, n, false);
    kmb_ptext_add(pt, " ", 1, n->line);
    return;
  case KMB_NODE_LINEBREAK:
    anchor(c, pt, n, false);
    kmb_ptext_add(pt, "\n", 1, n->line);
    return;
  case KMB_NODE_CODE:
    anchor(c, pt, n, true);
    add_literal(pt, n);
    kmb_ptext_attr(pt, pango_attr_family_new(st->code_family), start, (int)pt->text->len);
    return;
  case KMB_NODE_HTML_INLINE: {
    /* Raw HTML is not typeset; <br> is the one tag with a meaning here. */
    const char *s = n->literal ? n->literal : "";
    if (g_ascii_strncasecmp(s, "<br", 3) == 0) kmb_ptext_add(pt, "\n", 1, n->line);
    return;
  }
  case KMB_NODE_FOOTNOTE_REF: {
    char num[16];
    int k = n->as.note.index;
    snprintf(num, sizeof num, "%d", k);
    anchor(c, pt, n, false);
    kmb_ptext_add(pt, num, (int)strlen(num), n->line);
    int end = (int)pt->text->len;
    kmb_ptext_attr(pt, pango_attr_scale_new(st->pdf.note_mark_scale), start, end);
    kmb_span sp = {KMB_SPAN_NOTEREF, start, end,
                   kmb_arena_printf(c->arena, "fn%d", k), NULL, k, NULL, 0};
    g_array_append_val(pt->spans, sp);
    return;
  }
  case KMB_NODE_RUBY:
    add_ruby(c, pt, n);
    return;
  case KMB_NODE_IMAGE: {
    /* An image inside running text: its text stands in (figures are blocks). */
    kmb_pdf_warn(c, pt->src, n->line, "inline image '%s' is shown as its description",
                 n->as.image.url ? n->as.image.url : "");
    /* the EPUB shows the image, its description only as alt text */
    const kmb_node *was = c->anchor_block;
    anchor(c, pt, n, false);
    if (!was) c->anchor_block = n;
    for (const kmb_node *k = n->first; k; k = k->next) add_inline(c, pt, k);
    c->anchor_block = was;
    return;
  }
  default:
    break;
  }
  for (const kmb_node *k = n->first; k; k = k->next) add_inline(c, pt, k);
  int end = (int)pt->text->len;
  switch (n->type) {
  case KMB_NODE_EMPH:
    /* Chinese emphasis is 着重号 (clreq §3.2.5): dots under the Han
     * characters, drawn by the renderer; Latin words in it are italic.
     * The background attribute only makes the span a run of its own. */
    add_span(pt, KMB_SPAN_EMPH, start, NULL, NULL, 0);
    kmb_ptext_attr(pt, pango_attr_background_alpha_new(1), start, end);
    latin_italic(c, pt, start, end);
    break;
  case KMB_NODE_STRONG:
    kmb_ptext_attr(pt, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
    break;
  case KMB_NODE_STRIKE:
    add_span(pt, KMB_SPAN_STRIKE, start, NULL, NULL, 0);
    kmb_ptext_attr(pt, pango_attr_strikethrough_new(TRUE), start, end); /* own run */
    break;
  case KMB_NODE_LINK: {
    const kmb_link *l = &n->as.link;
    if (l->unsafe) break;
    const char *dest = kmb_pdf_dest_for(c, l);
    const char *uri = dest ? NULL : l->url;
    if (!dest && (!uri || !*uri)) break;
    add_span(pt, KMB_SPAN_LINK, start, dest, uri ? kmb_arena_strdup(c->arena, uri) : NULL, 0);
    /* A separate attribute value keeps the link its own run, so the
     * renderer can colour it and tag it without splitting glyph items. */
    kmb_ptext_attr(pt, pango_attr_foreground_new(0x1800, 0x3000, 0x7000), start, end);
    break;
  }
  default:
    break;
  }
}

void kmb_ptext_add_inlines(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *parent) {
  for (const kmb_node *k = parent->first; k; k = k->next) add_inline(c, pt, k);
}

void kmb_ptext_add_inline_run(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *first,
                              const kmb_node *stop) {
  for (const kmb_node *k = first; k && k != stop; k = k->next) add_inline(c, pt, k);
}
