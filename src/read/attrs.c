/* Pandoc heading attributes: `# Title {#name .class key=value key="v w"}`
 * at the end of a heading (pandoc's header_attributes). The block is taken
 * off the heading's text; the name and the language are kept in the model
 * (doc.h, as.heading). A block that is not valid attribute syntax (a `"`
 * or `<` in a name, an unclosed quote, `{}`) stays text, as pandoc leaves
 * it. Classes other than a language and keys other than `lang` are read
 * and dropped: kmbook has no use for them yet. */
#include "read/read-imp.h"

#include <glib.h>
#include <string.h>

/* pandoc's identifier characters (ASCII; any non-ASCII byte is allowed) */
static bool name_char(unsigned char ch) {
  return ch >= 0x80 || g_ascii_isalnum(ch) || ch == '-' || ch == '_' || ch == ':' || ch == '.';
}

/* `en`, `zh`, `zh-Hans`, `en-GB`: a class read as a language. Two letters
 * only (ISO 639-1), so that `.red` or `.tip` is never taken for one;
 * `lang=` takes any tag. */
static bool lang_class(const char *s, size_t n) {
  if (n < 2 || !g_ascii_isalpha(s[0]) || !g_ascii_isalpha(s[1])) return false;
  if (n == 2) return true;
  if (s[2] != '-') return false;
  size_t run = 0;
  for (size_t i = 3; i < n; i++) {
    if (s[i] == '-') {
      if (run < 1 || run > 8) return false;
      run = 0;
    } else if (g_ascii_isalnum(s[i])) {
      run++;
    } else {
      return false;
    }
  }
  return run >= 1 && run <= 8;
}

typedef struct attrs {
  const char *name, *lang; /* pointers into the block, with lengths */
  size_t name_n, lang_n;
  bool lang_key; /* lang came from `lang=` (it wins over a class) */
} attrs;

/* Parses the inside of `{…}` (s, n). False if it is no attribute block. */
static bool parse_attrs(const char *s, size_t n, attrs *A) {
  size_t i = 0;
  int tokens = 0;
  while (i < n) {
    if (s[i] == ' ' || s[i] == '\t') {
      i++;
      continue;
    }
    tokens++;
    if (s[i] == '-' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t')) { /* {-}: unnumbered */
      i++;
      continue;
    }
    if (s[i] == '#' || s[i] == '.') {
      char kind = s[i++];
      size_t st = i;
      while (i < n && name_char((unsigned char)s[i])) i++;
      if (i == st || (i < n && s[i] != ' ' && s[i] != '\t')) return false;
      if (kind == '#') {
        A->name = s + st, A->name_n = i - st;
      } else if (!A->lang_key && !A->lang && lang_class(s + st, i - st)) {
        A->lang = s + st, A->lang_n = i - st;
      }
      continue;
    }
    size_t ks = i;
    while (i < n && (g_ascii_isalnum(s[i]) || s[i] == '-' || s[i] == '_')) i++;
    if (i == ks || i >= n || s[i] != '=') return false;
    size_t kn = i - ks;
    i++;
    size_t vs, vn;
    if (i < n && s[i] == '"') {
      vs = ++i;
      while (i < n && s[i] != '"') i++;
      if (i >= n) return false;
      vn = i - vs;
      i++;
    } else {
      vs = i;
      while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '"') i++;
      vn = i - vs;
      if (i < n && s[i] == '"') return false;
    }
    if (kn == 4 && memcmp(s + ks, "lang", 4) == 0 && vn > 0) {
      A->lang = s + vs, A->lang_n = vn, A->lang_key = true;
    }
  }
  return tokens > 0;
}

/* Takes a trailing attribute block off heading h's last run of text. */
static void heading_attrs(kmb_arena *a, kmb_node *h) {
  kmb_node *last = h->last;
  if (!last || last->type != KMB_NODE_TEXT) return;
  /* The block may span several TEXT nodes (cmark splits text at some
   * punctuation): join the trailing run of them. */
  kmb_node *from = last;
  while (from->prev && from->prev->type == KMB_NODE_TEXT) from = from->prev;
  GString *t = g_string_new(NULL);
  for (kmb_node *k = from; k; k = k->next) g_string_append_len(t, k->literal, (gssize)k->len);
  size_t end = t->len;
  while (end > 0 && (t->str[end - 1] == ' ' || t->str[end - 1] == '\t')) end--;
  char *open = end > 0 && t->str[end - 1] == '}' ? g_strrstr_len(t->str, (gssize)end, "{") : NULL;
  attrs A = {0};
  /* `{` opens the block only after a space (or at the heading's start):
   * `f{x}` is text */
  bool at_start = open == t->str && from == h->first;
  if (!open || (!at_start && (open == t->str || (open[-1] != ' ' && open[-1] != '\t'))) ||
      !parse_attrs(open + 1, (size_t)(t->str + end - 1 - (open + 1)), &A)) {
    g_string_free(t, TRUE);
    return;
  }
  if (A.name) h->as.heading.name = kmb_arena_strndup(a, A.name, A.name_n);
  if (A.lang) h->as.heading.lang = kmb_arena_strndup(a, A.lang, A.lang_n);
  size_t keep = (size_t)(open - t->str);
  while (keep > 0 && (t->str[keep - 1] == ' ' || t->str[keep - 1] == '\t')) keep--;
  /* the run becomes one TEXT node (or none) */
  for (kmb_node *k = from->next, *nx; k; k = nx) {
    nx = k->next;
    kmb_node_unlink(k);
  }
  if (keep == 0) {
    kmb_node_unlink(from);
  } else {
    from->literal = kmb_arena_strndup(a, t->str, keep);
    from->len = keep;
  }
  g_string_free(t, TRUE);
}

void kmb_read_heading_attrs(kmb_arena *a, kmb_node *root) {
  kmb_iter it;
  kmb_iter_init(&it, root);
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    if (ev != KMB_EV_ENTER || it.cur->type != KMB_NODE_HEADING) continue;
    heading_attrs(a, (kmb_node *)it.cur);
    kmb_iter_skip(&it); /* nothing below a heading is a heading */
  }
}
