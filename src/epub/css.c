/* The stylesheet: styles/epub.css with its @name@ placeholders filled from
 * the book style, the one source of values both writers share. */
#include "epub/epub-imp.h"
#include "base/file.h"

#include <string.h>

static void num(GString *out, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  /* Locale-independent ("1.75" under a comma-decimal locale too). */
  g_ascii_formatd(buf, sizeof buf, "%.4g", v);
  g_string_append(out, buf);
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
    else if (IS("indent")) num(out, st->indent_em);
    else if (IS("para_space")) num(out, st->para_space_em);
    else if (IS("blockquote_indent")) num(out, st->blockquote_indent_em);
    else if (IS("verse_hang")) num(out, st->verse_hang_em);
    /* a centred verse block: shrink to its longest line, centred, lines flush left */
    else if (IS("verse_block"))
      g_string_append(out, strcmp(st->verse_align, "center") == 0
                               ? "display: table; margin-left: auto; margin-right: auto;"
                               : "margin-left: 0;");
    else if (IS("verse_attr_after")) /* after its verse, as in the PDF */
      g_string_append(out, strcmp(st->verse_align, "center") == 0 ? "center" : "right");
    else if (IS("verse_attr"))
      g_string_append(out, strcmp(st->verse_align, "center") == 0 ? "text-align: center;"
                                                                   : "text-align: left;");
    else if (IS("code_size")) num(out, st->code_size / body);
    else if (IS("footnote_size")) num(out, st->footnote_size / body);
    else if (IS("caption_size")) num(out, st->caption_size / body);
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
  char *css = epub_css_render(st, tpl);
  g_free(tpl);
  if (cx->font_css) {
    char *all = g_strconcat(css, cx->font_css, NULL);
    g_free(css);
    css = all;
  }
  cx->css = epub_item_new("css", EPUB_CSS_HREF, "text/css");
  cx->css->data = (unsigned char *)css;
  cx->css->len = strlen(css);
  return true;
}
