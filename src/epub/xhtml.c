/* One XHTML content document per chapter, built with libxml2's tree API so
 * that it is well-formed by construction (every string goes in as a text
 * node or an attribute value; nothing is pasted as markup). */
#include "epub/epub-imp.h"
#include "base/lang.h"
#include "base/sideways.h"
#include "base/utf8.h"
#include "base/zhuyin.h"

#include <stdio.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

/* --- small builders --- */

xmlNodePtr epub_el(xmlNodePtr parent, const char *name) {
  /* NULL namespace: xmlNewChild inherits the parent's (XHTML). */
  return xmlNewChild(parent, NULL, X(name), NULL);
}

void epub_text(xmlNodePtr parent, const char *s, size_t len) {
  if (!len) return;
  char *clean = epub_xml_text(s, len);
  xmlNodePtr t = xmlNewDocText(parent->doc, X(clean));
  g_free(clean);
  xmlAddChild(parent, t); /* merges with a preceding text node */
}

void epub_nl(xmlNodePtr parent) {
  xmlAddChild(parent, xmlNewDocText(parent->doc, X("\n")));
}

static void set_attr(xmlNodePtr n, const char *name, const char *value) {
  char *clean = epub_xml_text(value, strlen(value));
  xmlSetProp(n, X(name), X(clean));
  g_free(clean);
}

static void set_ops(xmlNodePtr n, xmlNsPtr ops, const char *name, const char *value) {
  xmlSetNsProp(n, ops, X(name), X(value));
}

xmlDocPtr epub_xhtml_new(epub_ctx *cx, const char *title, xmlNodePtr *body, xmlNsPtr *ops) {
  xmlDocPtr doc = xmlNewDoc(X("1.0"));
  xmlCreateIntSubset(doc, X("html"), NULL, NULL); /* <!DOCTYPE html> */
  xmlNodePtr html = xmlNewDocNode(doc, NULL, X("html"), NULL);
  xmlDocSetRootElement(doc, html);
  xmlSetNs(html, xmlNewNs(html, X(EPUB_NS_XHTML), NULL));
  xmlNsPtr o = xmlNewNs(html, X(EPUB_NS_OPS), X("epub"));
  set_attr(html, "lang", cx->lang);
  xmlNodeSetLang(html, X(cx->lang));
  epub_nl(html);
  xmlNodePtr head = epub_el(html, "head");
  epub_nl(head);
  xmlNodePtr t = epub_el(head, "title");
  epub_text(t, title, strlen(title));
  epub_nl(head);
  xmlNodePtr link = epub_el(head, "link");
  set_attr(link, "rel", "stylesheet");
  set_attr(link, "type", "text/css");
  set_attr(link, "href", EPUB_CSS_HREF);
  epub_nl(head);
  epub_nl(html);
  xmlNodePtr b = epub_el(html, "body");
  epub_nl(b);
  epub_nl(html);
  *body = b;
  if (ops) *ops = o;
  return doc;
}

static const char *chapter_file(epub_ctx *cx, size_t i) {
  const kmb_chapter *ch = &cx->book->chapters[i];
  bool ok = ch->id && *ch->id && strlen(ch->id) < 64;
  for (const char *p = ch->id; ok && *p; p++) {
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_') ok = false;
  }
  /* The reader's ids are "ch01", "ch02"...; anything else (which could
   * clash with nav.xhtml, cover.xhtml...) gets a name of its own. */
  if (ok && strncmp(ch->id, "ch", 2) == 0 && ch->id[2])
    return kmb_arena_printf(cx->arena, "%s.xhtml", ch->id);
  return kmb_arena_printf(cx->arena, "part%04zu.xhtml", i + 1);
}

/* --- prepass: ids, heading levels, footnotes --- */

typedef struct backref {
  size_t chapter;
  const char *id;
} backref;

void epub_prepass(epub_ctx *cx) {
  const kmb_book *book = cx->book;
  cx->ids = g_new0(GHashTable *, book->n_chapters);
  cx->note_chapter = g_hash_table_new(NULL, NULL);
  cx->ref_id = g_hash_table_new(NULL, NULL);
  cx->note_backref = g_hash_table_new(NULL, NULL);
  GHashTable *ref_count = g_hash_table_new(NULL, NULL);
  /* Fixed ids first so that manuscript ids never take them. */
  for (size_t i = 0; i < book->n_chapters; i++) {
    cx->ids[i] = g_hash_table_new(g_str_hash, g_str_equal);
  }
  for (size_t i = 0; i < book->n_chapters; i++) {
    kmb_iter it;
    kmb_iter_init(&it, book->chapters[i].root);
    for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
      if (ev != KMB_EV_ENTER) continue;
      const kmb_node *n = it.cur;
      if (n->type == KMB_NODE_FOOTNOTE_DEF) {
        g_hash_table_insert(cx->note_chapter, (gpointer)n, GINT_TO_POINTER((int)i + 1));
        g_hash_table_add(cx->ids[i],
                         kmb_arena_printf(cx->arena, "fn-%d", n->as.note.index));
      } else if (n->type == KMB_NODE_FOOTNOTE_REF && n->as.note.def) {
        const kmb_node *def = n->as.note.def;
        int k = GPOINTER_TO_INT(g_hash_table_lookup(ref_count, def)) + 1;
        g_hash_table_insert(ref_count, (gpointer)def, GINT_TO_POINTER(k));
        const char *id = k == 1 ? kmb_arena_printf(cx->arena, "fnref-%d", n->as.note.index)
                                : kmb_arena_printf(cx->arena, "fnref-%d-%d", n->as.note.index, k);
        g_hash_table_add(cx->ids[i], (gpointer)id);
        g_hash_table_insert(cx->ref_id, (gpointer)n, (gpointer)id);
        if (k == 1) {
          backref *b = kmb_arena_alloc(cx->arena, sizeof *b);
          b->chapter = i;
          b->id = id;
          g_hash_table_insert(cx->note_backref, (gpointer)def, b);
        }
      }
    }
  }
  g_hash_table_destroy(ref_count);
  /* Heading ids are resolved (unique in the book, never fn-… or fnref-…). */
  for (size_t i = 0; i < book->n_chapters; i++) {
    kmb_iter it;
    kmb_iter_init(&it, book->chapters[i].root);
    for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
      if (ev == KMB_EV_ENTER && it.cur->type == KMB_NODE_HEADING && it.cur->as.heading.id)
        g_hash_table_add(cx->ids[i], (gpointer)it.cur->as.heading.id);
    }
  }
}

/* --- chapter rendering --- */

typedef struct chap_ctx {
  epub_ctx *cx;
  size_t ci;
  const kmb_chapter *ch;
  xmlDocPtr doc;
  xmlNsPtr ops;
  GPtrArray *notes; /* footnote definitions met in this chapter */
  epub_html_in html;
  bool in_note;
  bool in_url; /* inside a link that shows a URL: it breaks anywhere already */
  const kmb_node *text_node; /* whose literal the text being written is (page breaks) */
  /* a vertical book's corner-quoted copy of text_node's text at q_src: the
   * same length (“”‘’ and 「」『』 are all 3 bytes), so page breaks found in
   * the manuscript fall at the same offsets in the copy */
  const char *q_buf, *q_src;
  size_t q_len;
} chap_ctx;

static void block(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n);
static void blocks(chap_ctx *cc, xmlNodePtr parent, const kmb_node *first);
static void inlines(chap_ctx *cc, xmlNodePtr parent, const kmb_node *first);
static void ruby(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n);

/* --- text: script runs (issue 12, EPUB on a phone) --- */

enum { K_SPACE, K_NEUTRAL, K_CJK, K_OTHER };

/* CJK (takes emphasis dots, breaks between characters), other letters and
 * digits, spaces, and neutral punctuation that joins its neighbours. */
static int char_kind(gunichar c) {
  if (g_unichar_isspace(c)) return K_SPACE;
  switch (g_unichar_get_script(c)) {
  case G_UNICODE_SCRIPT_HAN:
  case G_UNICODE_SCRIPT_HIRAGANA:
  case G_UNICODE_SCRIPT_KATAKANA:
  case G_UNICODE_SCRIPT_BOPOMOFO:
  case G_UNICODE_SCRIPT_HANGUL: return K_CJK;
  case G_UNICODE_SCRIPT_COMMON:
  case G_UNICODE_SCRIPT_INHERITED:
  case G_UNICODE_SCRIPT_UNKNOWN:
    /* Full-width punctuation and digits belong with the CJK text. */
    if (g_unichar_iswide(c)) return K_CJK;
    return g_unichar_isalnum(c) ? K_OTHER : K_NEUTRAL;
  default: return K_OTHER;
  }
}

static const char *next_char(const char *p, const char *end, gunichar *c) {
  gunichar u = g_utf8_get_char_validated(p, end - p);
  if (u == (gunichar)-1 || u == (gunichar)-2) {
    *c = 0xFFFD;
    return p + 1;
  }
  *c = u;
  return g_utf8_next_char(p);
}

/* A run of this many non-space, non-CJK characters (a URL, a path, an
 * identifier) cannot move whole to the next line without stretching the
 * justified CJK line before it into gaps; it is marked to break anywhere. */
#define LONG_RUN_CHARS 20

/* Text of cc->text_node's literal, with the print edition's page-break
 * markers where pages start inside it (pages.c; plain text without a page list). */
static void put_text(chap_ctx *cc, xmlNodePtr parent, const char *s, size_t len) {
  const kmb_node *n = cc->text_node;
  const char *o = s; /* where s is in the manuscript */
  if (cc->q_buf && s >= cc->q_buf && s + len <= cc->q_buf + cc->q_len) o = cc->q_src + (s - cc->q_buf);
  if (!cc->cx->pages || !n || o < n->literal || o + len > n->literal + n->len) {
    epub_text(parent, s, len);
    return;
  }
  long base = (long)(o - n->literal), from = base, to = from + (long)len, at;
  while ((at = epub_pages_next(cc->cx, n, from, to)) >= 0) {
    epub_text(parent, s + (from - base), (size_t)(at - from));
    epub_pages_at(cc->cx, parent, cc->ops, n, at, false);
    from = at;
  }
  epub_text(parent, s + (from - base), (size_t)(to - from));
}

static xmlNodePtr span_class(xmlNodePtr parent, const char *cls) {
  xmlNodePtr s = epub_el(parent, "span");
  set_attr(s, "class", cls);
  return s;
}

/* Inside emphasis: CJK pieces keep the dots, other pieces are wrapped in
 * span.non-cjk (italic, no dots: dots under Latin letters are wrong). */
static void text_em(chap_ctx *cc, xmlNodePtr parent, const char *s, const char *end) {
  int cur = -1;
  const char *start = s;
  for (const char *p = s; p < end;) {
    gunichar c;
    const char *q = next_char(p, end, &c);
    int k = char_kind(c);
    if (k == K_CJK || k == K_OTHER) {
      if (cur == -1) cur = k;
      else if (k != cur) {
        if (cur == K_OTHER) put_text(cc, span_class(parent, "non-cjk"), start, p - start);
        else put_text(cc, parent, start, p - start);
        start = p;
        cur = k;
      }
    }
    p = q;
  }
  if (cur == K_OTHER) put_text(cc, span_class(parent, "non-cjk"), start, end - start);
  else put_text(cc, parent, start, end - start);
}

/* Inside <em> (Markdown's or inline HTML's): emphasis dots apply. */
static bool in_em(xmlNodePtr n) {
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
    if (xmlStrEqual(n->name, X("em"))) return true;
  }
  return false;
}

/* Vertical books (issue 15): the sideways runs of base/sideways.h, found as
 * the PDF finds them (layout/vertical.c). A number of one or two ASCII
 * digits standing alone — not part of a run of Latin, digits and ASCII
 * punctuation (3.14, 2023-10-01, Page 20, 10—20), though 95% counts — goes
 * in span.tcy, set upright in one cell (縱中橫); the CSS says
 * text-combine-upright: digits 2 as well, but Chromium (epub.js readers)
 * ignores `digits`; `all` on a span it honours. The limit is the style's
 * [page] tcy_digits, as in the PDF. A run with an apostrophe inside a word
 * (don’t, O’Brien) goes in span.sideways: the CSS's mixed orientation turns
 * its letters but leaves U+2019 upright, a corner bracket's place, cutting
 * the word; the PDF turns the run as one.
 * next_vrun: the next such span in [*p, end): [*rs, *re) and its class, or
 * false. *p moves past the sideways run looked at. */
static bool next_vrun(const char **p, const char *end, long tcy_digits, const char **rs,
                      const char **re, const char **cls) {
  const char *s = *p;
  size_t at = 0, st, en;
  while (kmb_sideways_next(s, (size_t)(end - s), &at, &st, &en)) {
    *p = s + at;
    size_t d = kmb_sideways_tcy(s + st, en - st, tcy_digits > 0 ? (size_t)tcy_digits : 0);
    if (d > 0) {
      *rs = s + st, *re = s + st + d, *cls = "tcy";
      return true;
    }
    if (g_strstr_len(s + st, (gssize)(en - st), "\xE2\x80\x99")) { /* ’ */
      *rs = s + st, *re = s + en, *cls = "sideways";
      return true;
    }
  }
  *p = end;
  return false;
}

static long style_tcy_digits(const epub_ctx *cx) {
  const kmb_style *st = cx->opts ? cx->opts->style : NULL;
  return st ? (long)st->tcy_digits : 2;
}

static void text_tcy(chap_ctx *cc, xmlNodePtr parent, const char *s, const char *end) {
  long tcy_digits = style_tcy_digits(cc->cx);
  const char *plain = s; /* text not yet written */
  const char *p = s, *rs, *de, *cls;
  while (next_vrun(&p, end, tcy_digits, &rs, &de, &cls)) {
    put_text(cc, parent, plain, rs - plain);
    put_text(cc, span_class(parent, cls), rs, de - rs);
    plain = de;
  }
  put_text(cc, parent, plain, end - plain);
}

/* Text outside the chapters (nav.xhtml's entries) as the chapters set it:
 * in a vertical book corner quotes and span.tcy, else as it is. */
void epub_book_text(epub_ctx *cx, xmlNodePtr parent, const char *s, size_t len) {
  if (cx->book->writing != KMB_WRITING_VERTICAL) {
    epub_text(parent, s, len);
    return;
  }
  char *quoted = kmb_corner_quotes(s, len);
  const char *end = quoted + strlen(quoted), *plain = quoted, *p = quoted, *rs, *de, *cls;
  while (next_vrun(&p, end, style_tcy_digits(cx), &rs, &de, &cls)) {
    epub_text(parent, plain, (size_t)(rs - plain));
    epub_text(span_class(parent, cls), rs, (size_t)(de - rs));
    plain = de;
  }
  epub_text(parent, plain, (size_t)(end - plain));
  g_free(quoted);
}

/* A full-width number at p in [p, end) — two or more digits ０–９, with a
 * ， or ． between digits — its end, or NULL. */
static const char *fw_number(const char *p, const char *end) {
  const char *q = p, *last = NULL;
  int digits = 0;
  while (q < end) {
    gunichar ch = g_utf8_get_char(q);
    const char *nx = g_utf8_next_char(q);
    if (ch >= 0xFF10 && ch <= 0xFF19) {
      digits++;
      last = nx;
    } else if (!((ch == 0xFF0C || ch == 0xFF0E) && last == q && nx < end &&
                 g_utf8_get_char(nx) >= 0xFF10 && g_utf8_get_char(nx) <= 0xFF19)) {
      break;
    }
    q = nx;
  }
  return digits >= 2 ? last : NULL;
}

/* Japanese: a full-width number (１２３，４５６) in span.num, which the
 * stylesheet keeps on one line (jlreq §3.1.7, grouped numerals: browsers
 * take full-width digits for ideographs and break between any two; the PDF
 * keeps them together in para.c). */
static void text_numbers(chap_ctx *cc, xmlNodePtr parent, const char *s, const char *end) {
  const char *plain = s;
  for (const char *p = s; p < end;) {
    const char *ne = fw_number(p, end);
    if (ne) {
      put_text(cc, parent, plain, p - plain);
      put_text(cc, span_class(parent, "num"), p, ne - p);
      p = plain = ne;
    } else {
      p = g_utf8_next_char(p);
    }
  }
  put_text(cc, parent, plain, end - plain);
}

static bool ja_book(const epub_ctx *cx) {
  return kmb_lang_is(cx->lang, "ja");
}

static void text_piece(chap_ctx *cc, bool em, xmlNodePtr parent, const char *s,
                       const char *end) {
  if (em) text_em(cc, parent, s, end);
  else if (cc->cx->book->writing == KMB_WRITING_VERTICAL) text_tcy(cc, parent, s, end);
  else if (ja_book(cc->cx)) text_numbers(cc, parent, s, end);
  else put_text(cc, parent, s, end - s);
}

/* Finds the next long run in [s, end): its bounds, or false. */
static bool long_run(const char *s, const char *end, const char **rs, const char **re) {
  const char *start = NULL;
  int n = 0;
  bool letters = false;
  for (const char *p = s; p <= end;) {
    gunichar c = 0;
    const char *q = p < end ? next_char(p, end, &c) : end + 1;
    int k = p < end ? char_kind(c) : K_SPACE;
    if (k == K_OTHER || k == K_NEUTRAL) {
      if (!start) start = p, n = 0, letters = false;
      n++;
      letters |= k == K_OTHER;
    } else if (start) {
      if (n >= LONG_RUN_CHARS && letters) {
        *rs = start;
        *re = p;
        return true;
      }
      start = NULL;
    }
    p = q;
  }
  return false;
}

/* Text of the manuscript: long runs in span.long-word, emphasis by script.
 * A vertical book quotes with corner brackets, “” as 「」 and ‘’ as 『』, as
 * its PDF draws them (issue 15): CSS cannot change a glyph, so here the
 * characters change. */
static void text_run(chap_ctx *cc, xmlNodePtr parent, const char *s, size_t len) {
  char *quoted = NULL;
  if (cc->cx->book->writing == KMB_WRITING_VERTICAL) {
    quoted = kmb_corner_quotes(s, len);
    if (strlen(quoted) == len) cc->q_buf = quoted, cc->q_src = s, cc->q_len = len;
    s = quoted;
    len = strlen(quoted);
  }
  const char *end = s + len;
  const char *rs, *re;
  bool em = in_em(parent);
  while (!cc->in_url && long_run(s, end, &rs, &re)) {
    text_piece(cc, em, parent, s, rs);
    put_text(cc, span_class(parent, em ? "long-word non-cjk" : "long-word"), rs, re - rs);
    s = re;
  }
  text_piece(cc, em, parent, s, end);
  cc->q_buf = NULL;
  g_free(quoted);
}

/* True if a link's text shows an address rather than words. */
static bool looks_like_url(const char *t) {
  static const char *const pre[] = {"http://", "https://", "ftp://", "mailto:", "www.", NULL};
  for (int i = 0; pre[i]; i++) {
    if (g_ascii_strncasecmp(t, pre[i], strlen(pre[i])) == 0) return true;
  }
  return false;
}

static bool has_scheme(const char *url) {
  const char *p = url;
  if (!g_ascii_isalpha(*p)) return false;
  while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.') p++;
  return *p == ':';
}

/* The href for a link, or NULL to write it without one (g_free). */
static char *link_href(chap_ctx *cc, const kmb_node *n) {
  epub_ctx *cx = cc->cx;
  const kmb_link *l = &n->as.link;
  const char *path = epub_chapter_path(cc->ch);
  if (l->unsafe) return NULL;
  if (l->chapter >= 0 && (size_t)l->chapter < cx->book->n_chapters) {
    const char *id = NULL;
    if (l->fragment && *l->fragment) {
      id = epub_safe_id(cx->arena, l->fragment);
      if (!g_hash_table_contains(cx->ids[l->chapter], id)) {
        epub_warn(cx, path, n->line, n->col,
                  "link target '#%s' is not in %s — the link goes to the chapter's start",
                  l->fragment, epub_chapter_path(&cx->book->chapters[l->chapter]));
        id = NULL;
      }
    }
    char *eid = id ? epub_href_escape(id) : NULL;
    char *r;
    if ((size_t)l->chapter == cc->ci && eid) r = g_strdup_printf("#%s", eid);
    else r = g_strdup_printf("%s%s%s", chapter_file(cx, (size_t)l->chapter), eid ? "#" : "",
                             eid ? eid : "");
    g_free(eid);
    return r;
  }
  const char *url = l->url ? l->url : "";
  if (url[0] == '#' && url[1]) {
    const char *id = epub_safe_id(cx->arena, url + 1);
    if (g_hash_table_contains(cx->ids[cc->ci], id)) {
      char *eid = epub_href_escape(id);
      char *r = g_strdup_printf("#%s", eid);
      g_free(eid);
      return r;
    }
    epub_warn(cx, path, n->line, n->col, "link target '%s' is not in this chapter — link dropped",
              url);
    return NULL;
  }
  if (has_scheme(url) && g_ascii_strncasecmp(url, "file:", 5) != 0) return epub_href_escape(url);
  epub_warn(cx, path, n->line, n->col,
            "link to '%s' points outside the book — write a full URL or link to a chapter; the "
            "link is dropped",
            url);
  return NULL;
}

static void footnote_ref(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  epub_ctx *cx = cc->cx;
  const kmb_node *def = n->as.note.def;
  char num[32];
  snprintf(num, sizeof num, "%d", n->as.note.index);
  if (!def) {
    char *t = g_strdup_printf("[^%s]", n->as.note.label ? n->as.note.label : num);
    epub_text(parent, t, strlen(t));
    g_free(t);
    return;
  }
  size_t dc = (size_t)GPOINTER_TO_INT(g_hash_table_lookup(cx->note_chapter, def));
  xmlNodePtr sup = epub_el(parent, "sup");
  set_attr(sup, "class", "noteref");
  xmlNodePtr a = epub_el(sup, "a");
  const char *id = g_hash_table_lookup(cx->ref_id, n);
  if (id) set_attr(a, "id", id);
  char *href = dc == 0 || dc - 1 == cc->ci
                   ? g_strdup_printf("#fn-%d", n->as.note.index)
                   : g_strdup_printf("%s#fn-%d", chapter_file(cx, dc - 1), n->as.note.index);
  set_attr(a, "href", href);
  g_free(href);
  set_ops(a, cc->ops, "type", "noteref");
  set_attr(a, "role", "doc-noteref");
  epub_text(a, num, strlen(num));
}

/* The text alternative of an image node (its alt inlines as plain text). */
static const char *alt_text(chap_ctx *cc, const kmb_node *n) {
  char *s = kmb_node_text(cc->cx->arena, n);
  return g_strstrip(s);
}

static void missing_image_text(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  if (n->first && *alt_text(cc, n)) inlines(cc, parent, n->first);
  else epub_text(parent, cc->cx->labels->missing_image, strlen(cc->cx->labels->missing_image));
}

/* Resolves an image node to its manifest item, reporting remote/broken images. */
static epub_item *image_for(chap_ctx *cc, const kmb_node *n) {
  epub_ctx *cx = cc->cx;
  const kmb_image *im = &n->as.image;
  const char *path = epub_chapter_path(cc->ch);
  if (im->remote || !im->path) {
    const char *msg = "remote image '%s' cannot be embedded (EPUB keeps images inside the book) "
                      "— download it into the book folder; its alt text is shown instead";
    epub_warn(cx, path, n->line, n->col, msg, im->url);
    return NULL;
  }
  return epub_image(cx, cc->ch, n);
}

static void count_alt(chap_ctx *cc, epub_item *img, const char *alt) {
  cc->cx->n_images_used++;
  if (!*alt) {
    cc->cx->n_images_no_alt++;
    img->alt_ok = false;
  }
}

static void inline_image(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  epub_item *img = image_for(cc, n);
  if (!img) {
    xmlNodePtr span = epub_el(parent, "span");
    set_attr(span, "class", "image-missing");
    missing_image_text(cc, span, n);
    return;
  }
  const char *alt = alt_text(cc, n);
  xmlNodePtr el = epub_el(parent, "img");
  set_attr(el, "src", img->href);
  set_attr(el, "alt", alt);
  set_attr(el, "class", "inline");
  if (n->as.image.title && *n->as.image.title) set_attr(el, "title", n->as.image.title);
  count_alt(cc, img, alt);
}

/* n's literal as text, its page-break markers in place (those past its
 * end after it). */
static void literal_text(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n, size_t len, bool run) {
  cc->text_node = n;
  if (run) text_run(cc, parent, n->literal, len);
  else put_text(cc, parent, n->literal, len);
  cc->text_node = NULL;
  epub_pages_at(cc->cx, parent, cc->ops, n, (long)len, true);
}

static void inline_node(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  xmlNodePtr el;
  epub_pages_before(cc->cx, parent, cc->ops, n); /* a page starting with a note mark, an image */
  switch (n->type) {
  case KMB_NODE_TEXT: literal_text(cc, parent, n, n->len, true); break;
  case KMB_NODE_EMPH: inlines(cc, epub_el(parent, "em"), n->first); break;
  case KMB_NODE_STRONG: inlines(cc, epub_el(parent, "strong"), n->first); break;
  case KMB_NODE_STRIKE: inlines(cc, epub_el(parent, "del"), n->first); break;
  case KMB_NODE_CODE: {
    el = epub_el(parent, "code");
    const char *rs, *re;
    if (long_run(n->literal, n->literal + n->len, &rs, &re)) set_attr(el, "class", "long-word");
    literal_text(cc, el, n, n->len, false);
    break;
  }
  case KMB_NODE_LINK: {
    char *href = link_href(cc, n);
    if (href) {
      el = epub_el(parent, "a");
      set_attr(el, "href", href);
      if (n->as.link.title && *n->as.link.title) set_attr(el, "title", n->as.link.title);
      g_free(href);
    } else {
      el = epub_el(parent, "span");
      set_attr(el, "class", "link-dropped");
    }
    bool url = looks_like_url(g_strchug(kmb_node_text(cc->cx->arena, n)));
    if (url) {
      xmlChar *old = xmlGetProp(el, X("class"));
      set_attr(el, "class", old ? "link-dropped url" : "url");
      xmlFree(old);
    }
    bool was = cc->in_url;
    cc->in_url |= url;
    inlines(cc, el, n->first);
    cc->in_url = was;
    break;
  }
  case KMB_NODE_IMAGE: inline_image(cc, parent, n); break;
  case KMB_NODE_SOFTBREAK: epub_text(parent, "\n", 1); break;
  case KMB_NODE_LINEBREAK:
    epub_el(parent, "br");
    epub_text(parent, "\n", 1);
    break;
  case KMB_NODE_FOOTNOTE_REF: footnote_ref(cc, parent, n); break;
  case KMB_NODE_RUBY: ruby(cc, parent, n); break;
  default:
    /* A block where an inline belongs would be a reader bug; keep its text. */
    if (n->first) inlines(cc, parent, n->first);
    else if (n->literal) epub_text(parent, n->literal, n->len);
    break;
  }
}

/* A zhuyin syllable's <rt>: the letters as text, a tone mark in span.zy-tone
 * (zy-one after a single letter: the CSS sets it right of the column, where
 * the PDF does), the light tone in span.zy-dot. Without CSS the text reads
 * as written. */
static void zhuyin_rt(xmlNodePtr rt_el, const char *rt) {
  int letters = 0;
  for (const char *p = rt; *p; p = g_utf8_next_char(p)) letters += kmb_zhuyin_is_letter(g_utf8_get_char(p));
  for (const char *p = rt; *p;) {
    const char *q = g_utf8_next_char(p);
    gunichar ch = g_utf8_get_char(p);
    if (kmb_zhuyin_is_tone(ch))
      epub_text(span_class(rt_el, letters == 1 ? "zy-tone zy-one" : "zy-tone"), p, (size_t)(q - p));
    else if (kmb_zhuyin_is_light(ch))
      epub_text(span_class(rt_el, "zy-dot"), p, (size_t)(q - p));
    else
      epub_text(rt_el, p, (size_t)(q - p));
    p = q;
  }
}

/* Whether ruby segment b with annotation rt is set beside its base, the PDF's
 * rule (base/zhuyin.h) under the style's zhuyin_right. */
static bool zhuyin_beside(epub_ctx *cx, const kmb_node *b, const char *rt) {
  const kmb_style *st = cx->opts ? cx->opts->style : NULL;
  if (st && !st->zhuyin_right) return false;
  const char *text = b->type == KMB_NODE_TEXT ? b->literal : kmb_node_text(cx->arena, b);
  size_t len = b->type == KMB_NODE_TEXT ? b->len : strlen(text);
  return kmb_zhuyin_beside(text, len, rt);
}

static bool is_zhuyin_ruby(const kmb_node *n, void *data) {
  if (n->type != KMB_NODE_RUBY) return false;
  int k = 0;
  for (const kmb_node *b = n->first; b; b = b->next, k++)
    if (k < n->as.ruby.n && zhuyin_beside(data, b, n->as.ruby.rt[k])) return true;
  return false;
}

bool epub_has_zhuyin(epub_ctx *cx) { return kmb_book_any(cx->book, is_zhuyin_ruby, cx); }

/* One <ruby> per node, each base segment followed by its <rt>; the <rp>
 * parentheses show only where ruby is not supported. Zhuyin set beside its
 * base is a ruby.zhuyin of its own for each character: the CSS lays base and
 * column out as one box, across the line in a horizontal book, down it in a
 * vertical one. */
static void ruby(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  xmlNodePtr r = NULL;
  bool was = false;
  int i = 0;
  for (const kmb_node *b = n->first; b; b = b->next, i++) {
    const char *rt = i < n->as.ruby.n ? n->as.ruby.rt[i] : "";
    bool beside = zhuyin_beside(cc->cx, b, rt);
    if (!r || beside || beside != was) {
      r = epub_el(parent, "ruby");
      if (beside) set_attr(r, "class", "zhuyin");
      was = beside;
    }
    inline_node(cc, r, b);
    epub_text(epub_el(r, "rp"), "(", 1);
    xmlNodePtr rt_el = epub_el(r, "rt");
    if (beside) zhuyin_rt(rt_el, rt);
    else epub_text(rt_el, rt, strlen(rt));
    epub_text(epub_el(r, "rp"), ")", 1);
  }
}

/* Inlines from first up to (not including) stop, or to the end if NULL. */
static void inlines_until(chap_ctx *cc, xmlNodePtr parent, const kmb_node *first,
                          const kmb_node *stop) {
  enum { MAX_OPEN = 16 };
  xmlNodePtr stack[MAX_OPEN + 1];
  int depth = 0;
  stack[0] = parent;
  bool in_rp = cc->html.in_rp;
  for (const kmb_node *n = first; n && n != stop; n = n->next) {
    if (n->type == KMB_NODE_HTML_INLINE) {
      epub_html_inline(&cc->html, n, stack, &depth, MAX_OPEN);
    } else if (!cc->html.in_rp) {
      inline_node(cc, stack[depth], n);
    }
  }
  cc->html.in_rp = in_rp; /* an <rp> left open ends with its container */
}

static void inlines(chap_ctx *cc, xmlNodePtr parent, const kmb_node *first) {
  inlines_until(cc, parent, first, NULL);
}

/* Verse (read/manuscript.c): one span per line, a block in the CSS that
 * hangs when it wraps; the <br/> stays for reading systems without CSS
 * (the CSS hides it). An attribution line gets a class of its own. */
static void paragraph(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  xmlNodePtr p = epub_el(parent, "p");
  if (n->as.para.attribution) set_attr(p, "class", "attribution");
  if (!n->as.para.verse) {
    inlines(cc, p, n->first);
    return;
  }
  set_attr(p, "class", "verse");
  for (const kmb_node *seg = n->first; seg;) {
    const kmb_node *br = seg;
    while (br && br->type != KMB_NODE_LINEBREAK) br = br->next;
    xmlNodePtr line = epub_el(p, "span");
    set_attr(line, "class", "line");
    inlines_until(cc, line, seg, br);
    if (!br) break;
    inline_node(cc, p, br);
    seg = br->next;
  }
}

static void heading(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  epub_ctx *cx = cc->cx;
  int lvl = n->as.heading.out_level;
  const char *id = n->as.heading.id;
  char name[16];
  snprintf(name, sizeof name, "h%d", lvl);
  xmlNodePtr h = epub_el(parent, name);
  if (id) set_attr(h, "id", id);
  inlines(cc, h, n->first);
  const kmb_node *par = n->as.heading.parallel;
  if (par && par->first) {
    /* the title in the manuscript's other language, a line of its own
     * under the title (css.c); the space keeps the two apart when read
     * as text. Not in the contents: they list the book's language. */
    epub_text(h, " ", 1);
    xmlNodePtr sp = epub_el(h, "span");
    set_attr(sp, "class", "parallel");
    if (par->as.heading.lang) {
      set_attr(sp, "lang", par->as.heading.lang);
      xmlNodeSetLang(sp, X(par->as.heading.lang));
    }
    inlines(cc, sp, par->first);
  }
  if (!cc->in_note && lvl <= EPUB_TOC_DEPTH && id) {
    char *text = g_strstrip(g_strdup(kmb_node_text(cx->arena, n)));
    if (!*text) {
      g_free(text);
      text = g_strdup(cc->ch->title ? cc->ch->title : id);
    }
    epub_toc_entry *e = g_new0(epub_toc_entry, 1);
    e->level = lvl;
    char *eid = epub_href_escape(id);
    e->href = g_strdup_printf("%s#%s", chapter_file(cx, cc->ci), eid);
    g_free(eid);
    e->text = text;
    g_ptr_array_add(cx->toc, e);
  }
}

static void list(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  xmlNodePtr l = epub_el(parent, n->as.list.ordered ? "ol" : "ul");
  if (n->as.list.ordered && n->as.list.start != 1) {
    char s[24];
    snprintf(s, sizeof s, "%d", n->as.list.start);
    set_attr(l, "start", s);
  }
  epub_nl(l);
  for (const kmb_node *item = n->first; item; item = item->next) {
    xmlNodePtr li = epub_el(l, "li");
    if (item->type != KMB_NODE_ITEM) {
      blocks(cc, li, item);
    } else if (n->as.list.tight) {
      for (const kmb_node *c = item->first; c; c = c->next) {
        if (c->type == KMB_NODE_PARAGRAPH) {
          if (c->prev && c->prev->type == KMB_NODE_PARAGRAPH) epub_el(li, "br");
          inlines(cc, li, c->first);
        } else {
          if (c->prev) epub_nl(li);
          block(cc, li, c);
        }
      }
    } else {
      epub_nl(li);
      blocks(cc, li, item->first);
    }
    epub_nl(l);
  }
}

static const char *align_class(kmb_align a) {
  switch (a) {
  case KMB_ALIGN_LEFT: return "align-left";
  case KMB_ALIGN_CENTER: return "align-center";
  case KMB_ALIGN_RIGHT: return "align-right";
  default: return NULL;
  }
}

/* Tables of this many columns are set smaller and tighter, so that they
 * fit a phone's column (a scroll container would not do: Chromium lays a
 * scrollable box out on one page, so a tall table loses its lower rows). */
#define WIDE_TABLE_COLS 5

static void table(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  xmlNodePtr t = epub_el(parent, "table");
  if (n->as.table.ncols >= WIDE_TABLE_COLS) set_attr(t, "class", "wide");
  epub_nl(t);
  xmlNodePtr thead = NULL, tbody = NULL;
  for (const kmb_node *row = n->first; row; row = row->next) {
    bool header = row->type == KMB_NODE_TABLE_ROW && row->as.row.header;
    xmlNodePtr sect;
    if (header && !tbody) {
      if (!thead) {
        thead = epub_el(t, "thead");
        epub_nl(thead);
        epub_nl(t);
      }
      sect = thead;
    } else {
      if (!tbody) {
        tbody = epub_el(t, "tbody");
        epub_nl(tbody);
        epub_nl(t);
      }
      sect = tbody;
    }
    xmlNodePtr tr = epub_el(sect, "tr");
    int j = 0;
    for (const kmb_node *cell = row->first; cell; cell = cell->next, j++) {
      xmlNodePtr c = epub_el(tr, header ? "th" : "td");
      if (header) set_attr(c, "scope", "col");
      const char *cls =
          n->as.table.align && j < n->as.table.ncols ? align_class(n->as.table.align[j]) : NULL;
      if (cls) set_attr(c, "class", cls);
      inlines(cc, c, cell->first);
    }
    epub_nl(sect);
  }
}

/* A figure's image and caption. The caption is the manuscript's alt text;
 * repeating it as the image's alt would make a screen reader read it twice,
 * so the image gets alt="" and the figure is named by its caption. An image
 * title that differs from the caption is a description of its own: it
 * becomes the alt. */
static void figure(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  epub_item *img = image_for(cc, n);
  xmlNodePtr fig = epub_el(parent, "figure");
  const char *caption = alt_text(cc, n);
  if (img) {
    const char *title = n->as.image.title ? n->as.image.title : "";
    char *desc = g_strstrip(g_strdup(title));
    bool distinct = *desc && strcmp(desc, caption) != 0;
    xmlNodePtr el = epub_el(fig, "img");
    set_attr(el, "src", img->href);
    set_attr(el, "alt", distinct ? desc : "");
    count_alt(cc, img, distinct ? desc : caption);
    if (*caption) {
      xmlNodePtr cap = epub_el(fig, "figcaption");
      inlines(cc, cap, n->first);
    }
    g_free(desc);
  } else {
    set_attr(fig, "class", "image-missing");
    xmlNodePtr cap = epub_el(fig, "figcaption");
    missing_image_text(cc, cap, n);
  }
}

static void code_block(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  xmlNodePtr pre = epub_el(parent, "pre");
  xmlNodePtr code = epub_el(pre, "code");
  const char *info = n->as.code.info;
  if (info && *info) {
    GString *cls = g_string_new("language-");
    for (const char *p = info; *p && !g_ascii_isspace(*p); p++) {
      g_string_append_c(cls, g_ascii_isalnum(*p) || *p == '-' || *p == '+' || *p == '_' ? *p : '-');
    }
    set_attr(code, "class", cls->str);
    g_string_free(cls, TRUE);
  }
  size_t len = n->len;
  if (len && n->literal[len - 1] == '\n') len--;
  literal_text(cc, code, n, len, false);
}

/* A class token from a manuscript's kind or div class: whitespace-free. */
static char *class_token(const char *pre, const char *kind) {
  GString *s = g_string_new(pre);
  for (const char *p = kind; *p; p++) g_string_append_c(s, g_ascii_isspace(*p) ? '-' : *p);
  return g_string_free(s, FALSE);
}

/* An admonition: <aside role=note|doc-tip> titled by its first child (a
 * <summary> inside <details> when the manuscript made it collapsible). */
static void callout(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  const char *kind = n->as.callout.kind ? n->as.callout.kind : "note";
  const char *title = n->as.callout.title ? n->as.callout.title : "";
  xmlNodePtr aside = epub_el(parent, "aside");
  char *cls = class_token("callout callout-", kind);
  set_attr(aside, "class", cls);
  g_free(cls);
  bool tip = strcmp(kind, "tip") == 0 || strcmp(kind, "hint") == 0;
  set_attr(aside, "role", tip ? "doc-tip" : "note");
  xmlNodePtr body = aside;
  epub_nl(aside);
  if (n->as.callout.collapsible) {
    body = epub_el(aside, "details");
    if (n->as.callout.open) set_attr(body, "open", "open");
    epub_nl(body);
  }
  if (*title || n->as.callout.collapsible) {
    xmlNodePtr t = epub_el(body, n->as.callout.collapsible ? "summary" : "p");
    set_attr(t, "class", "callout-title");
    if (n->as.callout.id) {
      set_attr(t, "id", n->as.callout.id);
      set_attr(aside, "aria-labelledby", n->as.callout.id);
    }
    epub_text(t, *title ? title : kind, strlen(*title ? title : kind));
    epub_nl(body);
  }
  blocks(cc, body, n->first);
  if (body != aside) epub_nl(aside);
}

static void block(chap_ctx *cc, xmlNodePtr parent, const kmb_node *n) {
  xmlNodePtr el;
  /* a page starting with this block's element (a footnote's: in footnotes()) */
  if (n->type != KMB_NODE_FOOTNOTE_DEF) epub_pages_before(cc->cx, parent, cc->ops, n);
  switch (n->type) {
  case KMB_NODE_PARAGRAPH: paragraph(cc, parent, n); break;
  case KMB_NODE_HEADING: heading(cc, parent, n); break;
  case KMB_NODE_BLOCKQUOTE:
    el = epub_el(parent, "blockquote");
    epub_nl(el);
    blocks(cc, el, n->first);
    break;
  case KMB_NODE_LIST: list(cc, parent, n); break;
  case KMB_NODE_ITEM: /* stray item: render as a one-item list's content */
    blocks(cc, parent, n->first);
    return;
  case KMB_NODE_CODE_BLOCK: code_block(cc, parent, n); break;
  case KMB_NODE_THEMATIC_BREAK: epub_el(parent, "hr"); break;
  case KMB_NODE_FIGURE: figure(cc, parent, n); break;
  case KMB_NODE_TABLE: table(cc, parent, n); break;
  case KMB_NODE_FOOTNOTE_DEF:
    if (!cc->in_note) g_ptr_array_add(cc->notes, (gpointer)n);
    return;
  case KMB_NODE_HTML_BLOCK: epub_html_block(&cc->html, parent, n); break;
  case KMB_NODE_CALLOUT: callout(cc, parent, n); break;
  case KMB_NODE_DIV: {
    el = epub_el(parent, "div");
    char *cls = class_token("", n->as.callout.kind ? n->as.callout.kind : "div");
    set_attr(el, "class", cls);
    g_free(cls);
    epub_nl(el);
    blocks(cc, el, n->first);
    break;
  }
  default:
    if (kmb_node_is_inline(n->type)) {
      /* An inline directly in a block container: give it a paragraph. */
      inline_node(cc, epub_el(parent, "p"), n);
    } else {
      blocks(cc, parent, n->first);
    }
    break;
  }
  epub_nl(parent);
}

static void blocks(chap_ctx *cc, xmlNodePtr parent, const kmb_node *first) {
  for (const kmb_node *n = first; n && !cc->cx->failed; n = n->next) block(cc, parent, n);
}

static void footnotes(chap_ctx *cc, xmlNodePtr parent) {
  epub_ctx *cx = cc->cx;
  if (cc->notes->len == 0) return;
  xmlNodePtr div = epub_el(parent, "div");
  set_attr(div, "class", "footnotes");
  epub_nl(div);
  cc->in_note = true;
  for (guint k = 0; k < cc->notes->len; k++) {
    const kmb_node *def = cc->notes->pdata[k];
    epub_pages_before(cx, div, cc->ops, def);
    xmlNodePtr aside = epub_el(div, "aside");
    char id[32], num[32];
    snprintf(id, sizeof id, "fn-%d", def->as.note.index);
    snprintf(num, sizeof num, "%d", def->as.note.index);
    set_attr(aside, "id", id);
    set_ops(aside, cc->ops, "type", "footnote");
    set_attr(aside, "role", "doc-footnote");
    epub_nl(aside);
    const backref *b = g_hash_table_lookup(cx->note_backref, def);
    xmlNodePtr back = NULL;
    if (b) {
      back = xmlNewDocNode(cc->doc, NULL, X("a"), NULL);
      char *href = b->chapter == cc->ci ? g_strdup_printf("#%s", b->id)
                                        : g_strdup_printf("%s#%s", chapter_file(cx, b->chapter), b->id);
      set_attr(back, "href", href);
      g_free(href);
      set_attr(back, "role", "doc-backlink");
      set_attr(back, "title", cx->labels->backlink);
    } else {
      back = xmlNewDocNode(cc->doc, NULL, X("span"), NULL);
    }
    set_attr(back, "class", "note-number");
    epub_text(back, num, strlen(num));
    const kmb_node *first = def->first;
    xmlNodePtr p;
    if (first && first->type == KMB_NODE_PARAGRAPH) {
      p = epub_el(aside, "p");
      xmlAddChild(p, back);
      epub_text(p, " ", 1);
      inlines(cc, p, first->first);
      epub_nl(aside);
      first = first->next;
    } else {
      p = epub_el(aside, "p");
      xmlAddChild(p, back);
      epub_nl(aside);
    }
    blocks(cc, aside, first);
    epub_nl(div);
  }
  cc->in_note = false;
  epub_nl(parent);
}

/* True if the tree holds an element in the SVG namespace (manifest "svg"). */
static bool has_svg(xmlNodePtr n) {
  for (xmlNodePtr c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (c->ns && xmlStrEqual(c->ns->href, X(EPUB_NS_SVG))) return true;
    if (has_svg(c->children)) return true;
  }
  return false;
}

bool epub_chapter_build(epub_ctx *cx, size_t i) {
  const kmb_chapter *ch = &cx->book->chapters[i];
  const char *title = ch->title && *ch->title ? ch->title : cx->book->meta.title;
  if (!title || !*title) title = chapter_file(cx, i);
  chap_ctx cc = {.cx = cx, .ci = i, .ch = ch};
  xmlNodePtr body;
  cc.doc = epub_xhtml_new(cx, title, &body, &cc.ops);
  cc.notes = g_ptr_array_new();
  cc.html = (epub_html_in){.cx = cx, .chapter = i, .ops = cc.ops};
  set_ops(body, cc.ops, "type", "bodymatter");
  xmlNodePtr sec = epub_el(body, "section");
  epub_nl(body);
  set_ops(sec, cc.ops, "type", "chapter");
  set_attr(sec, "role", "doc-chapter");
  /* The section's accessible name is its first heading. */
  for (const kmb_node *n = ch->root ? ch->root->first : NULL; n; n = n->next) {
    if (n->type == KMB_NODE_HEADING) {
      const char *id = n->as.heading.id;
      if (id) set_attr(sec, "aria-labelledby", id);
      break;
    }
  }
  epub_nl(sec);
  if (!ch->title_heading) {
    /* No title heading: the chapter still gets a level-1 entry, before its
     * sections (as in the PDF's outline). */
    epub_toc_entry *e = g_new0(epub_toc_entry, 1);
    e->level = 1;
    e->href = g_strdup(chapter_file(cx, i));
    e->text = g_strdup(title);
    g_ptr_array_add(cx->toc, e);
  }
  if (ch->root) blocks(&cc, sec, ch->root->first);
  footnotes(&cc, sec);
  epub_pages_chapter_end(cx, sec, cc.ops, i);
  bool svg = has_svg(xmlDocGetRootElement(cc.doc));
  epub_item *it = epub_item_new(kmb_arena_printf(cx->arena, "c%03zu", i + 1), chapter_file(cx, i),
                                "application/xhtml+xml");
  it->spine = true;
  if (svg) it->properties = g_strdup("svg");
  it->data = epub_doc_dump(cc.doc, &it->len);
  g_ptr_array_add(cx->chapters, it);
  xmlFreeDoc(cc.doc);
  g_ptr_array_free(cc.notes, TRUE);
  if (cc.html.dropped) g_string_free(cc.html.dropped, TRUE);
  return !cx->failed;
}

const char *epub_chapter_file(epub_ctx *cx, size_t i) {
  return chapter_file(cx, i);
}
