/* Manuscript conventions Markdown does not know (issue 12), applied to the
 * model once after parsing, so that both writers see the same thing:
 *
 *   - a paragraph's own indentation (U+3000 or spaces at its start, common
 *     in Chinese and Japanese plain-text sources; &emsp;&emsp; in Markdown
 *     written for the web) is the manuscript's mark
 *     of a new paragraph: it is removed, because the style indents every
 *     paragraph anyway (4 em instead of 2 otherwise). A line inside a
 *     paragraph that starts with U+3000 starts a new paragraph for the same
 *     reason (such sources put one paragraph per line). `keep-indents: true`
 *     keeps both as written;
 *   - verse: a paragraph whose every line but the last ends with a hard
 *     break; and its attribution: an emphasised line alone between a
 *     heading and a verse (or right after a verse), or a line starting
 *     with a dash right after a verse. */
#include "read/read-imp.h"

#include <glib.h>
#include <string.h>

/* Bytes of indentation at the start of s: ASCII spaces and tabs, U+3000,
 * and the spaces Markdown writers type as entities to indent (&emsp;
 * U+2003, &ensp; U+2002, &nbsp; U+00A0). */
static size_t indent_len(const char *s, size_t n) {
  static const char *const wide[] = {"\xE3\x80\x80", "\xE2\x80\x83", "\xE2\x80\x82", "\xC2\xA0"};
  size_t i = 0;
  while (i < n) {
    size_t k = s[i] == ' ' || s[i] == '\t' ? 1 : 0;
    for (size_t w = 0; !k && w < G_N_ELEMENTS(wide); w++) {
      size_t wl = strlen(wide[w]);
      if (i + wl <= n && memcmp(s + i, wide[w], wl) == 0) k = wl;
    }
    if (!k) break;
    i += k;
  }
  return i;
}

/* Drops the indentation at the start of paragraph p (an entity such as
 * &emsp; may be a text node of its own). */
static void strip_indent(kmb_node *p) {
  while (p->first && p->first->type == KMB_NODE_TEXT) {
    kmb_node *t = p->first;
    size_t k = indent_len(t->literal, t->len);
    if (k < t->len) {
      t->literal += k;
      t->len -= k;
      t->col += (int)k;
      return;
    }
    kmb_node_unlink(t);
  }
}

static void insert_after(kmb_node *ref, kmb_node *n) {
  n->parent = ref->parent;
  n->prev = ref;
  n->next = ref->next;
  if (ref->next) ref->next->prev = n;
  else ref->parent->last = n;
  ref->next = n;
}

/* Last source line of anything inside n. */
static int last_line(const kmb_node *n) {
  int l = n->line;
  for (const kmb_node *c = n->first; c; c = c->next) {
    int k = last_line(c);
    if (k > l) l = k;
  }
  return l;
}

/* A TEXT child that starts a source line of its paragraph with U+3000
 * (the line before ended in a soft break, or in CJK text whose soft break
 * the reader dropped). */
static bool starts_indented_line(const kmb_node *t) {
  if (t->type != KMB_NODE_TEXT || !t->prev || t->len < 3) return false;
  if (memcmp(t->literal, "\xE3\x80\x80", 3) != 0) return false;
  const kmb_node *p = t->prev;
  if (p->type == KMB_NODE_SOFTBREAK) return true;
  return last_line(p) < t->line;
}

/* Splits paragraph p before each line that starts with U+3000, and strips
 * the indentation of every resulting paragraph. */
static void paragraph_indents(kmb_arena *a, kmb_node *p) {
  while (p) {
    strip_indent(p);
    kmb_node *cut = NULL;
    for (kmb_node *c = p->first; c && !cut; c = c->next) {
      if (starts_indented_line(c)) cut = c;
    }
    if (!cut) return;
    kmb_node *q = kmb_node_new(a, KMB_NODE_PARAGRAPH, cut->line, cut->col);
    insert_after(p, q);
    if (cut->prev && cut->prev->type == KMB_NODE_SOFTBREAK) kmb_node_unlink(cut->prev);
    for (kmb_node *c = cut, *nx; c; c = nx) {
      nx = c->next;
      kmb_node_unlink(c);
      kmb_node_append(q, c);
    }
    p = q;
  }
}

/* The chapter's source lines (cmark-gfm loses the line of text after a hard
 * break, so verse is recognised from the source). */
typedef struct srclines {
  const char *text;
  size_t len;
  int line0;       /* file line of text[0] */
  GArray *starts;  /* size_t offset of each line's start */
} srclines;

static bool line_at(const srclines *S, int line, const char **s, size_t *n) {
  int i = line - S->line0;
  if (i < 0 || (guint)i >= S->starts->len) return false;
  size_t a = g_array_index(S->starts, size_t, i);
  size_t b = (guint)i + 1 < S->starts->len ? g_array_index(S->starts, size_t, i + 1) : S->len;
  while (b > a && (S->text[b - 1] == '\n' || S->text[b - 1] == '\r')) b--;
  *s = S->text + a, *n = b - a;
  return true;
}

/* Blank, or only the '>' of a block quote. */
static bool blank_line(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '>') return false;
  return true;
}

static bool hard_break_end(const char *s, size_t n) {
  return (n >= 1 && s[n - 1] == '\\') || (n >= 2 && s[n - 1] == ' ' && s[n - 2] == ' ');
}

static int count_breaks(const kmb_node *n) {
  int k = n->type == KMB_NODE_LINEBREAK;
  for (const kmb_node *c = n->first; c; c = c->next) k += count_breaks(c);
  return k;
}

/* Verse: k hard breaks and k + 1 source lines, each but the last ending in
 * a hard break. */
static bool is_verse(const srclines *S, const kmb_node *p) {
  int k = count_breaks(p);
  if (k == 0 || !S) return false;
  int stop = p->next && p->next->line > p->line ? p->next->line : p->line + k + 2;
  int lines = 0;
  const char *s;
  size_t n;
  for (int l = p->line; l < stop && line_at(S, l, &s, &n) && !blank_line(s, n); l++) {
    if (lines < k && !hard_break_end(s, n)) return false;
    lines++;
  }
  return lines == k + 1;
}

static bool blank_text(const kmb_node *t) {
  return t->type == KMB_NODE_TEXT && indent_len(t->literal, t->len) == t->len;
}

/* One emphasised span and nothing else (spaces aside), on one line. */
static bool emph_only(const kmb_node *p) {
  const kmb_node *e = NULL;
  for (const kmb_node *c = p->first; c; c = c->next) {
    if ((c->type == KMB_NODE_EMPH || c->type == KMB_NODE_STRONG) && !e) e = c;
    else if (!blank_text(c)) return false;
  }
  return e && last_line(p) == p->line;
}

static bool dash_line(const kmb_node *p) {
  const kmb_node *t = p->first;
  if (!t || t->type != KMB_NODE_TEXT || last_line(p) != p->line) return false;
  return g_str_has_prefix(t->literal, "\xE2\x80\x94") || /* — */
         g_str_has_prefix(t->literal, "--");
}

static bool verse_para(const kmb_node *n) {
  return n && n->type == KMB_NODE_PARAGRAPH && n->as.para.verse;
}

static void mark_blocks(kmb_arena *a, const srclines *S, kmb_node *parent, bool keep_indents) {
  for (kmb_node *n = parent->first; n; n = n->next) {
    if (n->type == KMB_NODE_PARAGRAPH) {
      if (!keep_indents) paragraph_indents(a, n);
      n->as.para.verse = is_verse(S, n);
    } else if (kmb_node_is_block(n->type) && n->type != KMB_NODE_HEADING) {
      mark_blocks(a, S, n, keep_indents);
    }
  }
  for (kmb_node *n = parent->first; n; n = n->next) {
    if (n->type != KMB_NODE_PARAGRAPH || n->as.para.verse) continue;
    const kmb_node *prev = n->prev, *next = n->next;
    bool after_heading = prev && prev->type == KMB_NODE_HEADING && verse_para(next);
    n->as.para.attribution =
        (emph_only(n) && (after_heading || verse_para(prev))) || (dash_line(n) && verse_para(prev));
  }
}

void kmb_read_manuscript(kmb_book *b, kmb_chapter *chs, size_t n, const char *src, size_t len,
                         int line0, bool keep_indents) {
  /* one line index per file, shared by its chapters (a single file may
   * hold thousands) */
  srclines S = {src, len, line0, g_array_new(FALSE, FALSE, sizeof(size_t))};
  size_t z = 0;
  g_array_append_val(S.starts, z);
  for (size_t i = 0; i < len; i++) {
    if (src[i] == '\n' || (src[i] == '\r' && (i + 1 >= len || src[i + 1] != '\n'))) {
      size_t nx = i + 1;
      if (nx < len) g_array_append_val(S.starts, nx);
    }
  }
  for (size_t i = 0; i < n; i++) mark_blocks(b->arena, src ? &S : NULL, chs[i].root, keep_indents);
  g_array_free(S.starts, TRUE);
}
