/* Markdown → model through cmark-gfm (CommonMark + GFM tables,
 * strikethrough, autolinks, footnotes), plus two fixes for Chinese text:
 *  - a soft line break between two CJK characters disappears (CSS Text
 *    segment-break transformation; pandoc's east_asian_line_breaks);
 *  - `**…**` / `*…*` that CommonMark refuses only because a delimiter sits
 *    between CJK punctuation and a CJK character (e.g. `**Q：**您`) is
 *    still emphasis, as the CJK-friendly emphasis proposal specifies. */
#include "read/read-imp.h"
#include "read/callout.h"
#include "read/ruby.h"
#include "base/utf8.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <glib.h>
#include <string.h>

/* Exported by libcmark-gfm-extensions but not declared in its headers. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL,
    CMARK_NODE_STRIKETHROUGH;

typedef struct textpos {
  kmb_node *node;
  int start_line, start_col; /* cmark's span, in the text cmark parsed */
  int end_line, end_col;
} textpos;

typedef struct conv {
  kmb_book *book;
  GArray *texts; /* textpos of every TEXT node, for the emphasis fix */
  int n_defs;    /* footnote definitions seen */
  int dline; /* added to cmark lines */
  const char *src;
  size_t len;
  const char **line_start; /* byte offset of each source line (1-based index) */
  size_t n_lines;
  const kmb_linemap *map; /* callout pre-pass: parsed line → source line, or NULL */
  size_t n_map;
} conv;

/* A line cmark reports → the line in the chapter's file. */
static int src_line(const conv *c, int line) {
  if (c->map && line >= 1 && (size_t)line <= c->n_map) return c->map[line - 1].line + c->dline;
  return line + c->dline;
}

static kmb_node *new_node(conv *c, kmb_node_type t, cmark_node *cn) {
  int line = cmark_node_get_start_line(cn), col = cmark_node_get_start_column(cn);
  if (c->map && line >= 1 && (size_t)line <= c->n_map) col += c->map[line - 1].shift;
  return kmb_node_new(c->book->arena, t, src_line(c, line), col);
}

static const char *dup(conv *c, const char *s) {
  return kmb_arena_strdup(c->book->arena, s ? s : "");
}

static void set_literal(conv *c, kmb_node *n, const char *s) {
  n->len = s ? strlen(s) : 0;
  n->literal = kmb_arena_strndup(c->book->arena, s ? s : "", n->len);
}

static kmb_node *convert(conv *c, cmark_node *cn);

static void convert_children(conv *c, kmb_node *parent, cmark_node *cn) {
  for (cmark_node *ch = cmark_node_first_child(cn); ch; ch = cmark_node_next(ch)) {
    kmb_node *k = convert(c, ch);
    if (k) kmb_node_append(parent, k);
  }
}

static kmb_node *convert(conv *c, cmark_node *cn) {
  cmark_node_type t = cmark_node_get_type(cn);
  kmb_node *n = NULL;
  switch (t) {
  case CMARK_NODE_PARAGRAPH: n = new_node(c, KMB_NODE_PARAGRAPH, cn); break;
  case CMARK_NODE_HEADING:
    n = new_node(c, KMB_NODE_HEADING, cn);
    n->as.heading.level = cmark_node_get_heading_level(cn);
    break;
  case CMARK_NODE_BLOCK_QUOTE: n = new_node(c, KMB_NODE_BLOCKQUOTE, cn); break;
  case CMARK_NODE_LIST:
    n = new_node(c, KMB_NODE_LIST, cn);
    n->as.list.ordered = cmark_node_get_list_type(cn) == CMARK_ORDERED_LIST;
    n->as.list.tight = cmark_node_get_list_tight(cn);
    n->as.list.start = cmark_node_get_list_start(cn);
    n->as.list.delim = cmark_node_get_list_delim(cn) == CMARK_PAREN_DELIM ? ')' : '.';
    break;
  case CMARK_NODE_ITEM: n = new_node(c, KMB_NODE_ITEM, cn); break;
  case CMARK_NODE_CODE_BLOCK:
    n = new_node(c, KMB_NODE_CODE_BLOCK, cn);
    set_literal(c, n, cmark_node_get_literal(cn));
    n->as.code.info = dup(c, cmark_node_get_fence_info(cn));
    return n;
  case CMARK_NODE_HTML_BLOCK:
    n = new_node(c, KMB_NODE_HTML_BLOCK, cn);
    set_literal(c, n, cmark_node_get_literal(cn));
    return n;
  case CMARK_NODE_THEMATIC_BREAK: return new_node(c, KMB_NODE_THEMATIC_BREAK, cn);
  case CMARK_NODE_FOOTNOTE_DEFINITION:
    /* cmark-gfm keeps only referenced definitions, ordered by first
     * reference, and gives each reference that number as its literal. */
    n = new_node(c, KMB_NODE_FOOTNOTE_DEF, cn);
    n->as.note.label = kmb_arena_printf(c->book->arena, "%d", ++c->n_defs);
    break;
  case CMARK_NODE_TEXT: {
    n = new_node(c, KMB_NODE_TEXT, cn);
    set_literal(c, n, cmark_node_get_literal(cn));
    textpos tp = {n, cmark_node_get_start_line(cn), cmark_node_get_start_column(cn),
                  cmark_node_get_end_line(cn), cmark_node_get_end_column(cn)};
    g_array_append_val(c->texts, tp);
    return n;
  }
  case CMARK_NODE_SOFTBREAK: return new_node(c, KMB_NODE_SOFTBREAK, cn);
  case CMARK_NODE_LINEBREAK: return new_node(c, KMB_NODE_LINEBREAK, cn);
  case CMARK_NODE_CODE:
    n = new_node(c, KMB_NODE_CODE, cn);
    set_literal(c, n, cmark_node_get_literal(cn));
    return n;
  case CMARK_NODE_HTML_INLINE:
    n = new_node(c, KMB_NODE_HTML_INLINE, cn);
    set_literal(c, n, cmark_node_get_literal(cn));
    return n;
  case CMARK_NODE_EMPH: n = new_node(c, KMB_NODE_EMPH, cn); break;
  case CMARK_NODE_STRONG: n = new_node(c, KMB_NODE_STRONG, cn); break;
  case CMARK_NODE_LINK:
    n = new_node(c, KMB_NODE_LINK, cn);
    n->as.link.url = dup(c, cmark_node_get_url(cn));
    n->as.link.title = dup(c, cmark_node_get_title(cn));
    n->as.link.chapter = -1;
    break;
  case CMARK_NODE_IMAGE:
    n = new_node(c, KMB_NODE_IMAGE, cn);
    n->as.image.url = dup(c, cmark_node_get_url(cn));
    n->as.image.title = dup(c, cmark_node_get_title(cn));
    break;
  case CMARK_NODE_FOOTNOTE_REFERENCE:
    n = new_node(c, KMB_NODE_FOOTNOTE_REF, cn);
    n->as.note.label = dup(c, cmark_node_get_literal(cn));
    return n;
  default:
    if (t == CMARK_NODE_TABLE) {
      n = new_node(c, KMB_NODE_TABLE, cn);
      int nc = cmark_gfm_extensions_get_table_columns(cn);
      uint8_t *al = cmark_gfm_extensions_get_table_alignments(cn);
      kmb_align *a = kmb_arena_alloc(c->book->arena, (size_t)(nc ? nc : 1) * sizeof *a);
      for (int i = 0; i < nc; i++) {
        a[i] = !al ? KMB_ALIGN_NONE
               : al[i] == 'l' ? KMB_ALIGN_LEFT
               : al[i] == 'c' ? KMB_ALIGN_CENTER
               : al[i] == 'r' ? KMB_ALIGN_RIGHT
                              : KMB_ALIGN_NONE;
      }
      n->as.table.ncols = nc;
      n->as.table.align = a;
    } else if (t == CMARK_NODE_TABLE_ROW) {
      n = new_node(c, KMB_NODE_TABLE_ROW, cn);
      n->as.row.header = cmark_gfm_extensions_get_table_row_is_header(cn);
    } else if (t == CMARK_NODE_TABLE_CELL) {
      n = new_node(c, KMB_NODE_TABLE_CELL, cn);
    } else if (t == CMARK_NODE_STRIKETHROUGH) {
      n = new_node(c, KMB_NODE_STRIKE, cn);
    } else {
      return NULL; /* tasklist items etc. come through as ITEMs; unknown: dropped */
    }
    break;
  }
  convert_children(c, n, cn);
  return n;
}

/* ---- CJK soft breaks ---- */

static uint32_t first_cp(const kmb_node *n) {
  for (; n; n = n->first) {
    if (n->literal) {
      uint32_t cp = 0;
      return kmb_utf8_decode(n->literal, n->len, &cp) ? cp : 0;
    }
    if (n->type == KMB_NODE_SOFTBREAK || n->type == KMB_NODE_LINEBREAK) return ' ';
  }
  return 0;
}

static uint32_t last_cp(const kmb_node *n) {
  for (; n; n = n->last) {
    if (n->literal) return kmb_utf8_last(n->literal, n->len);
    if (n->type == KMB_NODE_SOFTBREAK || n->type == KMB_NODE_LINEBREAK) return ' ';
  }
  return 0;
}

/* The nearest inline leaf content before/after n inside its block. */
static uint32_t cp_before(const kmb_node *n) {
  for (; n && kmb_node_is_inline(n->type); n = n->parent) {
    if (n->prev) return last_cp(n->prev);
  }
  return 0;
}

static uint32_t cp_after(const kmb_node *n) {
  for (; n && kmb_node_is_inline(n->type); n = n->parent) {
    if (n->next) return first_cp(n->next);
  }
  return 0;
}

static void drop_cjk_softbreaks(kmb_node *root) {
  kmb_node *n = root;
  while (n) {
    kmb_node *next;
    if (n->first) {
      next = n->first;
    } else {
      next = n;
      while (next && next != root && !next->next) next = next->parent;
      next = (next && next != root) ? next->next : NULL;
    }
    if (n->type == KMB_NODE_SOFTBREAK && kmb_is_cjk(cp_before(n)) && kmb_is_cjk(cp_after(n))) {
      kmb_node_unlink(n);
    }
    n = next;
  }
}

/* ---- CJK-friendly emphasis ---- */

/* Which bytes of a TEXT literal were written as real '*' in the source (not
 * "\*" or an entity). Returns false if the literal cannot be lined up with
 * its source span, in which case nothing is changed. */
static bool real_stars(conv *c, const kmb_node *t, int line, int col, int end_line, int end_col,
                       bool *real) {
  if (line < 1 || (size_t)line > c->n_lines || end_line != line) return false;
  /* cmark-gfm reports column 0 for some text (found by fuzzing: a read
   * before the buffer), so check the span against its line before use. */
  if (col < 1 || end_col < col - 1) return false;
  const char *ls = c->line_start[line];
  const char *le = (size_t)line < c->n_lines ? c->line_start[line + 1] : c->src + c->len;
  if ((size_t)(le - ls) < (size_t)end_col) return false;
  const char *s = ls + col - 1;
  const char *e = ls + end_col; /* end_col is inclusive, 1-based */
  size_t j = 0;
  while (s < e && j < t->len) {
    if (*s == '\\' && s + 1 < e && g_ascii_ispunct(s[1]) && t->literal[j] == s[1]) {
      real[j++] = false;
      s += 2;
    } else if (*s == '&') {
      return false; /* entities: give up rather than guess */
    } else if (*s == t->literal[j]) {
      real[j++] = (*s == '*');
      s++;
    } else {
      return false;
    }
  }
  return j == t->len;
}

static bool is_space_cp(uint32_t cp) {
  return cp == 0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x3000;
}

/* Splits TEXT node t into: t (text before the opener), EMPH/STRONG(inner
 * text), and a new TEXT node after the closer, which is returned (or NULL). */
static kmb_node *wrap_span(conv *c, kmb_node *t, size_t open, size_t close, size_t k) {
  kmb_arena *A = c->book->arena;
  const char *L = t->literal;
  size_t len = t->len;
  kmb_node *span =
      kmb_node_new(A, k == 2 ? KMB_NODE_STRONG : KMB_NODE_EMPH, t->line, t->col + (int)open);
  kmb_node *inner = kmb_node_new(A, KMB_NODE_TEXT, t->line, t->col + (int)(open + k));
  inner->literal = kmb_arena_strndup(A, L + open + k, close - open - k);
  inner->len = close - open - k;
  kmb_node_append(span, inner);
  kmb_node *after = NULL;
  if (close + k < len) {
    after = kmb_node_new(A, KMB_NODE_TEXT, t->line, t->col + (int)(close + k));
    after->literal = kmb_arena_strndup(A, L + close + k, len - close - k);
    after->len = len - close - k;
  }
  t->literal = kmb_arena_strndup(A, L, open);
  t->len = open;
  kmb_node *next = t->next, *prev = t;
  kmb_node *ins[2] = {span, after};
  for (int i = 0; i < 2 && ins[i]; i++) {
    kmb_node *x = ins[i];
    x->parent = t->parent;
    x->prev = prev;
    x->next = next;
    prev->next = x;
    if (next) next->prev = x;
    else t->parent->last = x;
    prev = x;
  }
  if (t->len == 0) kmb_node_unlink(t);
  return after;
}

/* Finds the first delimiter pair in L (real[] marks source '*'), returning
 * the opener and closer offsets and the run length (1 = emph, 2 = strong). */
static bool find_pair(const char *L, size_t n, const bool *real, size_t *po, size_t *pc,
                      size_t *pk) {
  for (size_t i = 0; i < n; i++) {
    if (L[i] != '*' || !real[i]) continue;
    size_t k = 1;
    while (i + k < n && L[i + k] == '*' && real[i + k]) k++;
    if (k > 2) {
      i += k - 1;
      continue;
    }
    uint32_t after_open = 0, before_open = kmb_utf8_last(L, i);
    kmb_utf8_decode(L + i + k, n - i - k, &after_open);
    if (is_space_cp(after_open)) {
      i += k - 1;
      continue;
    }
    for (size_t j = i + k + 1; j + k <= n; j++) {
      if (L[j] != '*' || !real[j]) continue;
      size_t m = 1;
      while (j + m < n && L[j + m] == '*' && real[j + m]) m++;
      if (m != k) {
        j += m - 1;
        continue;
      }
      uint32_t before_close = kmb_utf8_last(L, j), after_close = 0;
      kmb_utf8_decode(L + j + k, n - j - k, &after_close);
      if (is_space_cp(before_close)) break;
      /* only where CJK text is involved: elsewhere CommonMark's verdict stands */
      if (!(kmb_is_cjk(before_close) || kmb_is_cjk(after_close) || kmb_is_cjk(before_open) ||
            kmb_is_cjk(after_open))) {
        break;
      }
      *po = i, *pc = j, *pk = k;
      return true;
    }
    i += k - 1;
  }
  return false;
}

static void fix_emphasis(conv *c) {
  for (guint i = 0; i < c->texts->len; i++) {
    textpos *tp = &g_array_index(c->texts, textpos, i);
    kmb_node *t = tp->node;
    if (!memchr(t->literal, '*', t->len)) continue;
    bool *real = g_new0(bool, t->len + 1);
    if (real_stars(c, t, tp->start_line, tp->start_col, tp->end_line, tp->end_col, real)) {
      size_t base = 0, open, close, k;
      for (kmb_node *cur = t; cur && find_pair(cur->literal, cur->len, real + base, &open, &close, &k);) {
        base += close + k;
        cur = wrap_span(c, cur, open, close, k);
      }
    }
    g_free(real);
  }
}

/* The conversion below, the dump and the writers all recurse over the tree,
 * so the nesting depth is bounded here, with an iterative walk of cmark's
 * tree (cmark itself builds it without recursion). */
static bool check_depth(cmark_node *doc, const conv *c, kmb_error *err) {
  int depth = 1;
  cmark_node *n = cmark_node_first_child(doc);
  while (n) {
    if (depth > KMB_MAX_DEPTH) {
      return kmb_error_set(err, KMB_E_LIMIT, NULL, src_line(c, cmark_node_get_start_line(n)),
                           cmark_node_get_start_column(n),
                           "quotes, lists or inline spans nested more than %d deep — "
                           "flatten the nesting",
                           KMB_MAX_DEPTH);
    }
    if (cmark_node_first_child(n)) {
      n = cmark_node_first_child(n);
      depth++;
      continue;
    }
    while (n && n != doc && !cmark_node_next(n)) {
      n = cmark_node_parent(n);
      depth--;
    }
    n = (n && n != doc) ? cmark_node_next(n) : NULL;
  }
  return true;
}

kmb_node *kmb_read_markdown(kmb_book *book, const char *text, size_t len, int line0,
                            kmb_error *err) {
  /* Admonitions and fenced divs: rewritten to marker lines (callout.c). */
  GString *pre = NULL;
  GArray *map = NULL;
  GPtrArray *info = NULL;
  if (kmb_callout_prepass(book->arena, text, len, &pre, &map, &info)) {
    text = pre->str;
    len = pre->len;
  }
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser *p = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES);
  const char *exts[] = {"table", "strikethrough", "autolink", "tasklist"};
  for (size_t i = 0; i < G_N_ELEMENTS(exts); i++) {
    cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
    if (e) cmark_parser_attach_syntax_extension(p, e);
  }
  cmark_parser_feed(p, text, len);
  cmark_node *doc = cmark_parser_finish(p);
  conv c = {book, NULL, 0, line0 - 1, text, len, NULL, 0, NULL, 0};
  if (map) c.map = (const kmb_linemap *)(void *)map->data, c.n_map = map->len;
  if (!doc || !check_depth(doc, &c, err)) {
    if (!doc) kmb_error_set(err, KMB_E_LIB, NULL, 0, 0, "the Markdown parser failed");
    if (doc) cmark_node_free(doc);
    cmark_parser_free(p);
    if (pre) {
    g_string_free(pre, TRUE);
    g_array_free(map, TRUE);
    g_ptr_array_free(info, TRUE);
  }
    return NULL;
  }
  c.texts = g_array_new(FALSE, TRUE, sizeof(textpos));
  /* line index for source alignment */
  size_t nl = 1;
  for (size_t i = 0; i < len; i++) nl += text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'));
  c.line_start = g_new0(const char *, nl + 2);
  c.line_start[1] = text;
  size_t li = 1;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
      c.line_start[++li] = text + i + 1;
    }
  }
  c.n_lines = li;
  kmb_node *root = kmb_node_new(book->arena, KMB_NODE_ROOT, line0, 1);
  convert_children(&c, root, doc);
  if (info) {
    for (guint i = 0; i < info->len; i++) {
      kmb_callout_info *ci = info->pdata[i];
      ci->line += c.dline;
    }
    kmb_callout_group(book->arena, root, info);
  }
  /* Emphasis first (it lines text nodes up with their source), then soft breaks. */
  fix_emphasis(&c);
  drop_cjk_softbreaks(root);
  kmb_read_heading_attrs(book->arena, root);
  kmb_read_ruby(book->arena, root);
  g_free(c.line_start);
  g_array_free(c.texts, TRUE);
  cmark_node_free(doc);
  cmark_parser_free(p);
  if (pre) {
    g_string_free(pre, TRUE);
    g_array_free(map, TRUE);
    g_ptr_array_free(info, TRUE);
  }
  return root;
}
