/* The stylesheet: styles/epub.css with its @name@ placeholders filled from
 * the book style, the one source of values both writers share. */
#include "epub/epub-imp.h"
#include "base/lang.h"
#include "base/file.h"
#include "base/zhuyin.h"

#include <string.h>

static void num(GString *out, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  /* Locale-independent ("1.75" under a comma-decimal locale too). */
  g_ascii_formatd(buf, sizeof buf, "%.4g", v);
  g_string_append(out, buf);
}

static double zhuyin_scale(const kmb_style *st) {
  return st->pdf.zhuyin_scale > 0 ? st->pdf.zhuyin_scale : 0.4;
}

char *epub_css_render(const kmb_style *st, const char *tpl) {
  double body = st->body_size > 0 ? st->body_size : 10.5;
  GString *out = g_string_new(NULL);
  for (const char *p = tpl; *p;) {
    const char *at = strchr(p, '@');
    if (!at) {
      g_string_append(out, p);
      break;
    }
    g_string_append_len(out, p, at - p);
    const char *end = strchr(at + 1, '@');
    size_t n = end ? (size_t)(end - at - 1) : 0;
    bool known = true;
#define IS(k) (n == strlen(k) && strncmp(at + 1, k, n) == 0)
    if (!end || n == 0 || n > 32) known = false;
    else if (IS("body_stack")) g_string_append(out, st->body_stack);
    else if (IS("heading_stack")) g_string_append(out, st->heading_stack);
    else if (IS("code_stack")) g_string_append(out, st->code_stack);
    else if (IS("line_height")) num(out, st->line_height);
    else if (IS("indent")) num(out, kmb_style_indent_em(st, NULL)); /* auto: resolved by the caller */
    else if (IS("para_space")) num(out, st->para_space_em);
    else if (IS("blockquote_indent")) num(out, st->blockquote_indent_em);
    else if (IS("verse_hang")) num(out, st->verse_hang_em);
    /* a centred verse block: shrink to its longest line, centred, lines flush left */
    else if (IS("verse_block"))
      g_string_append(out, strcmp(st->verse_align, "center") == 0
                               ? "display: table; margin-left: auto; margin-right: auto;"
                               : "margin-left: 0;");
    /* the same in a vertical book: centred down the column, or at its top */
    else if (IS("verse_block_vertical"))
      g_string_append(out, strcmp(st->verse_align, "center") == 0
                               ? "margin-top: auto; margin-bottom: auto;"
                               : "margin-top: 0;");
    else if (IS("verse_attr_after")) /* after its verse, as in the PDF */
      g_string_append(out, strcmp(st->verse_align, "center") == 0 ? "center" : "right");
    else if (IS("verse_attr"))
      g_string_append(out, strcmp(st->verse_align, "center") == 0 ? "text-align: center;"
                                                                   : "text-align: left;");
    else if (IS("code_size")) num(out, st->code_size / body);
    else if (IS("footnote_size")) num(out, st->footnote_size / body);
    else if (IS("caption_size")) num(out, st->caption_size / body);
    /* zhuyin beside its base, in the letters' em (layout/zhuyin.c's room) */
    else if (IS("zhuyin_scale")) num(out, zhuyin_scale(st));
    else if (IS("zhuyin_gap")) num(out, KMB_ZHUYIN_GAP_EM / zhuyin_scale(st));
    else if (IS("zhuyin_tone_x")) /* from the column's middle */
      num(out, 0.5 + KMB_ZHUYIN_GAP_EM / zhuyin_scale(st));
    else if (IS("zhuyin_after"))
      num(out, (2 * KMB_ZHUYIN_GAP_EM) / zhuyin_scale(st) + KMB_ZHUYIN_TONE_W);
    else if (n == 2 && at[1] == 'h' && at[2] >= '1' && at[2] <= '6')
      num(out, st->h_size[at[2] - '0'] / body);
    else known = false;
#undef IS
    if (known) {
      p = end + 1;
    } else {
      g_string_append_c(out, '@'); /* an @rule such as @namespace */
      p = at + 1;
    }
  }
  return g_string_free(out, FALSE);
}

/* Rules for the book's language, appended after the template (so books in
 * other languages keep the same stylesheet): Korean breaks lines at spaces,
 * not between syllables (the PDF's para.c does the same). */
static void lang_rules(GString *css, const char *lang) {
  if (kmb_lang_is(lang, "ko"))
    g_string_append(css, "\n/* Korean: lines break at spaces, words stay whole */\n"
                         "body { word-break: keep-all; }\n");
}

/* Regional punctuation, the EPUB side of the PDF's punct_style and
 * para_start_trim (issue 14). The template's text-spacing-trim: space-first
 * already gives, in Chromium (measured, 156), what the PDF does by region:
 * pairs compressed where the marks sit in a corner (zh-Hans, ja), centred
 * marks kept whole with only brackets losing their outer blank (zh-Hant:
 * Chromium tells centred glyphs apart itself). What it leaves out is the
 * paragraph's opening bracket: the PDF sets it half width (para_start_trim,
 * auto: unless marks are centred), which is trim-start (in Japanese, where
 * line_start_trim sets every line's bracket flush, trim-start is that too).
 * Hanging punctuation
 * (hanging_punct) maps to CSS's own, which Apple's readers apply. */
static bool centred_lang(const char *lang) {
  static const char *const centred[] = {"zh-hant", "zh-tw", "zh-hk", "zh-mo"};
  for (size_t i = 0; lang && i < G_N_ELEMENTS(centred); i++)
    if (g_ascii_strncasecmp(lang, centred[i], strlen(centred[i])) == 0) return true;
  return false;
}

static void punct_rules(GString *css, const kmb_style *st, const char *lang) {
  bool cjk = lang && (g_ascii_strncasecmp(lang, "zh", 2) == 0 || g_ascii_strncasecmp(lang, "ja", 2) == 0);
  bool centred = st->punct_style == KMB_PUNCT_AUTO ? centred_lang(lang)
                                                   : st->punct_style == KMB_PUNCT_CENTRED;
  bool trim = st->para_start_trim == KMB_SWITCH_AUTO ? !centred : st->para_start_trim == KMB_SWITCH_ON;
  if (cjk && trim)
    g_string_append(css, "\n/* a paragraph's opening bracket gives up its blank half, as in the PDF */\n"
                         "body { text-spacing-trim: trim-start; }\n");
  /* Japanese (jlreq §3.1.5, §3.1.7): with both bracket trims off, every
   * line's opening bracket keeps its blank (the template's space-first
   * trims the wrapped lines'); strict line breaking keeps small kana and ー
   * off a line's start, as the PDF does (Chromium's auto is normal) */
  bool ja = kmb_lang_is(lang, "ja");
  bool trim_line = st->line_start_trim == KMB_SWITCH_AUTO ? ja : st->line_start_trim == KMB_SWITCH_ON;
  if (ja && !trim && !trim_line)
    g_string_append(css, "\n/* every line's opening bracket keeps its blank half, as in the PDF */\n"
                         "body { text-spacing-trim: space-all; }\n");
  if (ja)
    g_string_append(css, "\n/* a full-width number stays on one line, as in the PDF (xhtml.c) */\n"
                         "span.num { white-space: nowrap; }\n");
  if (ja)
    g_string_append(css, "\n/* 傍点: over the characters (jlreq §3.2.4), as in the PDF */\n"
                         "em { -epub-text-emphasis-position: over right; "
                         "-webkit-text-emphasis-position: over right; "
                         "text-emphasis-position: over right; }\n");
  if (ja)
    g_string_append_printf(css, "\n/* small kana and ー %s start a line, as in the PDF */\n"
                                "body { line-break: %s; }\n",
                           strcmp(st->line_break, "normal") == 0 ? "may" : "never",
                           strcmp(st->line_break, "normal") == 0 ? "normal" : "strict");
  if (cjk && st->hanging_punct)
    g_string_append(css, "\n/* line-end 、。，． hang past the measure, as in the PDF */\n"
                         "body { hanging-punctuation: allow-end; }\n");
}

static bool is_callout(const kmb_node *n, void *data) {
  (void)data;
  return n->type == KMB_NODE_CALLOUT;
}

static bool is_parallel(const kmb_node *n, void *data) {
  (void)data;
  return n->type == KMB_NODE_HEADING && n->as.heading.parallel;
}

/* Admonitions: their rules (styles/epub-callout.css) only where needed. */
static bool has_callouts(const kmb_book *b) { return kmb_book_any(b, is_callout, NULL); }

/* A heading's parallel title (xhtml.c) sits under it, smaller, in its
 * own language's face; the rule only in books that have one. */
static bool has_parallel(const kmb_book *b) { return kmb_book_any(b, is_parallel, NULL); }

/* what: the rules' subject for the message ("callouts") */
static bool append_template(epub_ctx *cx, char **tpl, const char *name, const char *what) {
  char *path = kmb_data_path(cx->opts->datadir, name);
  kmb_error ferr;
  kmb_error_clear(&ferr);
  char *more = path ? kmb_file_read(path, NULL, &ferr) : NULL;
  g_free(path);
  if (!more) {
    return epub_fail(cx, KMB_E_UNSUPPORTED, name, 0, 0,
                     "kmbook's EPUB stylesheet for %s is missing — reinstall kmbook or "
                     "set KMBOOK_DATADIR", what);
  }
  char *both = g_strconcat(*tpl, "\n", more, NULL);
  g_free(more);
  g_free(*tpl);
  *tpl = both;
  return true;
}

bool epub_css_build(epub_ctx *cx) {
  char *path = kmb_data_path(cx->opts->datadir, "styles/epub.css");
  if (!path)
    return epub_fail(cx, KMB_E_UNSUPPORTED, "styles/epub.css", 0, 0,
                     "kmbook's EPUB stylesheet is missing — reinstall kmbook or set "
                     "KMBOOK_DATADIR");
  kmb_error ferr;
  kmb_error_clear(&ferr);
  char *tpl = kmb_file_read(path, NULL, &ferr);
  g_free(path);
  if (!tpl) {
    if (!cx->failed) *cx->err = ferr, cx->failed = true;
    return false;
  }
  if (has_callouts(cx->book) &&
      !append_template(cx, &tpl, "styles/epub-callout.css", "callouts")) {
    g_free(tpl);
    return false;
  }
  bool zhuyin = epub_has_zhuyin(cx);
  if (zhuyin && !append_template(cx, &tpl, "styles/epub-zhuyin.css", "zhuyin")) {
    g_free(tpl);
    return false;
  }
  /* after the others: its rules turn theirs (issue 15) */
  if (cx->book->writing == KMB_WRITING_VERTICAL &&
      !append_template(cx, &tpl, "styles/epub-vertical.css", "vertical writing")) {
    g_free(tpl);
    return false;
  }
  kmb_style fallback;
  const kmb_style *st = cx->opts->style;
  if (!st) {
    kmb_style_load(&fallback, NULL, NULL);
    st = &fallback;
  }
  kmb_style with_fonts;
  if (cx->font_css) { /* --epub-fonts: the embedded families first */
    with_fonts = *st;
    epub_fonts_style(cx, &with_fonts);
    st = &with_fonts;
  }
  kmb_style indented;
  if (st->indent_em < 0) { /* auto: by the book's language */
    indented = *st;
    indented.indent_em = kmb_style_indent_em(st, cx->lang);
    st = &indented;
  }
  char *body = epub_css_render(st, tpl);
  GString *css = g_string_new(body);
  g_free(body);
  g_free(tpl);
  if (has_parallel(cx->book))
    g_string_append_printf(css,
                           ".parallel { display: block; font-size: 0.6em; font-weight: normal; "
                           "margin-top: 0.4em; font-family: %s; }\n",
                           st->body_stack); /* the body face, as the PDF sets it */
  lang_rules(css, cx->lang);
  punct_rules(css, st, cx->lang);
  if (zhuyin && cx->book->writing == KMB_WRITING_VERTICAL)
    g_string_append(css, "\n/* zhuyin in a vertical book: the column right of its base, across the line */\n"
                         "ruby.zhuyin { -webkit-flex-direction: column-reverse; flex-direction: column-reverse; }\n");
  if (cx->font_css) g_string_append(css, cx->font_css);
  cx->css = epub_item_new("css", EPUB_CSS_HREF, "text/css");
  cx->css->len = css->len;
  cx->css->data = (unsigned char *)g_string_free(css, FALSE);
  return true;
}
