/* Raw HTML blocks in the PDF: the EPUB keeps a sanitised copy of the
 * markup, the PDF cannot lay out HTML, but it must not lose the text (a
 * signature `<div style="text-align:right">（大正九年五月）</div>`, a note).
 * So the text is taken out, one paragraph per block element, and set as
 * plain paragraphs; blocks.c warns that the markup was dropped. */
#include "pdf/layout/rawhtml.h"

#include <glib.h>
#include <stdbool.h>
#include <string.h>

static bool tag_is(const char *name, size_t n, const char *const *set) {
  for (; *set; set++)
    if (strlen(*set) == n && g_ascii_strncasecmp(name, *set, n) == 0) return true;
  return false;
}

static const char *const block_tags[] = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "table", "tr", "section", "article", "aside", "header",
    "footer", "center", "figure", "figcaption", "details", "summary", NULL};
static const char *const hidden_tags[] = {"script", "style", "rt", "rp", "template", NULL};

/* Appends one decoded entity at *p (which points at '&'); returns the
 * bytes consumed, or 0 if it is no entity (the '&' is then kept). */
static size_t entity(GString *out, const char *p, const char *e) {
  static const struct { const char *name; const char *utf8; } named[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
      {"nbsp", "\xc2\xa0"}, {"ensp", "\xe2\x80\x82"}, {"emsp", "\xe2\x80\x83"},
      {"mdash", "\xe2\x80\x94"}, {"ndash", "\xe2\x80\x93"}, {"hellip", "\xe2\x80\xa6"},
      {"middot", "\xc2\xb7"}, {"copy", "\xc2\xa9"}};
  const char *semi = memchr(p, ';', (size_t)(e - p) < 12 ? (size_t)(e - p) : 12);
  if (!semi) return 0;
  if (p[1] == '#') {
    gunichar cp = (gunichar)(p[2] == 'x' || p[2] == 'X' ? g_ascii_strtoull(p + 3, NULL, 16)
                                                       : g_ascii_strtoull(p + 2, NULL, 10));
    if (!cp || !g_unichar_validate(cp)) return 0;
    g_string_append_unichar(out, cp);
    return (size_t)(semi - p) + 1;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(named); i++) {
    size_t n = strlen(named[i].name);
    if ((size_t)(semi - p - 1) == n && memcmp(p + 1, named[i].name, n) == 0) {
      g_string_append(out, named[i].utf8);
      return n + 2;
    }
  }
  return 0;
}

static void end_para(GPtrArray *paras, GString *cur, kmb_arena *A) {
  char *t = g_strstrip(cur->str);
  if (*t) g_ptr_array_add(paras, (gpointer)kmb_arena_strdup(A, t));
  g_string_truncate(cur, 0);
}

const char **kmb_html_block_text(kmb_arena *A, const char *html, size_t len) {
  GPtrArray *paras = g_ptr_array_new();
  GString *cur = g_string_new(NULL);
  const char *p = html, *e = html + len;
  int hidden = 0; /* inside script/style/rt/rp */
  while (p < e) {
    if (p + 4 <= e && memcmp(p, "<!--", 4) == 0) {
      const char *end = g_strstr_len(p + 4, e - p - 4, "-->");
      p = end ? end + 3 : e;
      continue;
    }
    if (*p == '<' && p + 1 < e && (g_ascii_isalpha(p[1]) || p[1] == '/' || p[1] == '!')) {
      const char *gt = memchr(p, '>', (size_t)(e - p));
      if (!gt) break;
      bool closing = p[1] == '/';
      const char *name = p + 1 + closing;
      size_t n = 0;
      while (name + n < gt && (g_ascii_isalnum(name[n]) || name[n] == '-')) n++;
      if (tag_is(name, n, hidden_tags)) hidden += closing ? (hidden > 0 ? -1 : 0) : 1;
      else if (tag_is(name, n, block_tags)) end_para(paras, cur, A);
      p = gt + 1;
      continue;
    }
    if (hidden) {
      p++;
      continue;
    }
    if (*p == '&') {
      size_t k = entity(cur, p, e);
      if (k) {
        p += k;
        continue;
      }
    }
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      if (cur->len && cur->str[cur->len - 1] != ' ') g_string_append_c(cur, ' ');
      p++;
      continue;
    }
    g_string_append_c(cur, *p++);
  }
  end_para(paras, cur, A);
  g_string_free(cur, TRUE);
  const char **out = kmb_arena_alloc(A, (paras->len + 1) * sizeof *out);
  for (guint i = 0; i < paras->len; i++) out[i] = paras->pdata[i];
  out[paras->len] = NULL;
  g_ptr_array_free(paras, TRUE);
  return out;
}
