/* Admonitions and fenced divs → CALLOUT / DIV blocks.
 *
 * cmark-gfm knows neither MkDocs admonitions (`!!! note "标题"` with a
 * 4-space-indented body; `???`/`???+` collapsible) nor pandoc fenced divs
 * (`::: note` … `:::`). After cmark has parsed them they are a paragraph
 * followed by an indented code block (or a paragraph with the body merged
 * into it), which cannot be taken apart reliably, so recognition is a
 * pre-pass on the source lines instead:
 *  - it tracks fenced code blocks and never looks at lines indented 4 or
 *    more, so code (fenced or indented) is never converted;
 *  - each recognised block becomes an HTML comment marker line (an HTML
 *    block that interrupts any paragraph; blank lines around it close
 *    lists), the admonition body is dedented, and everything is parsed by
 *    ONE cmark run (footnotes and link definitions work across the body);
 *  - a line map takes every output line back to its source line and
 *    column, so positions in the model and in messages stay right;
 *  - after conversion, kmb_callout_group folds the nodes between an open
 *    and a close marker into the CALLOUT/DIV node. */
#include "read/callout.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define MARK_OPEN "<!--kmb-callout:open:"
#define MARK_CLOSE "<!--kmb-callout:close:"
#define MAX_NEST 16 /* deeper blocks stay literal (and get a warning) */

typedef struct vline {
  int src;         /* 0-based line in the input */
  int shift;       /* bytes removed from its start (dedent) */
  const char *s;
  size_t n;
} vline;

typedef struct pp {
  kmb_arena *A;
  GString *out;
  GArray *map;     /* kmb_linemap per output line */
  GPtrArray *info; /* kmb_callout_info * */
} pp;

static const char *const kinds[] = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention",
    "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite",
    "seealso", "remark", "definition", "theorem", "proof", "exercise", "solution",
};

bool kmb_callout_is_kind(const char *k) {
  for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
    if (g_ascii_strcasecmp(k, kinds[i]) == 0) return true;
  return false;
}

static void emit(pp *P, const vline *v, const char *s, size_t n) {
  g_string_append_len(P->out, s, (gssize)n);
  g_string_append_c(P->out, '\n');
  kmb_linemap m = {v->src + 1, v->shift};
  g_array_append_val(P->map, m);
}

static int indent_of(const vline *v) {
  int col = 0;
  for (size_t i = 0; i < v->n; i++) {
    if (v->s[i] == ' ') col++;
    else if (v->s[i] == '\t') col += 4 - col % 4;
    else return col;
  }
  return 1000; /* blank */
}

static bool blank(const vline *v) {
  return indent_of(v) == 1000;
}

/* A code fence opener (``` or ~~~, 0–3 spaces): its char and length. */
static bool fence_open(const vline *v, char *ch, size_t *len) {
  if (indent_of(v) >= 4) return false;
  size_t i = 0;
  while (i < v->n && v->s[i] == ' ') i++;
  if (i >= v->n || (v->s[i] != '`' && v->s[i] != '~')) return false;
  char c = v->s[i];
  size_t k = 0;
  while (i + k < v->n && v->s[i + k] == c) k++;
  if (k < 3) return false;
  if (c == '`' && memchr(v->s + i + k, '`', v->n - i - k)) return false;
  *ch = c, *len = k;
  return true;
}

static bool fence_close(const vline *v, char ch, size_t len) {
  if (indent_of(v) >= 4) return false;
  size_t i = 0;
  while (i < v->n && v->s[i] == ' ') i++;
  size_t k = 0;
  while (i + k < v->n && v->s[i + k] == ch) k++;
  if (k < len) return false;
  for (i += k; i < v->n; i++)
    if (v->s[i] != ' ' && v->s[i] != '\t') return false;
  return true;
}

/* Lines no block may start in: a fenced code block, or an HTML block that
 * runs to an end tag rather than to a blank line (a comment, <pre>,
 * <script>, <style>, <textarea>): a commented-out admonition stays hidden. */
typedef struct raw_state {
  char fch; /* fence char, 0 = not in a fence */
  size_t flen;
  const char *html_end; /* end marker of an open HTML block, or NULL */
} raw_state;

static bool contains_ci(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (g_ascii_strncasecmp(s + i, needle, k) == 0) return true;
  return false;
}

static const char *html_raw_open(const vline *v) {
  static const char *const tags[][2] = {{"<pre", "</pre>"}, {"<script", "</script>"},
                                        {"<style", "</style>"}, {"<textarea", "</textarea>"}};
  if (indent_of(v) >= 4) return NULL;
  const char *s = v->s, *e = v->s + v->n;
  while (s < e && *s == ' ') s++;
  size_t n = (size_t)(e - s);
  if (n >= 4 && memcmp(s, "<!--", 4) == 0) return contains_ci(s + 4, n - 4, "-->") ? NULL : "-->";
  for (size_t i = 0; i < G_N_ELEMENTS(tags); i++) {
    size_t k = strlen(tags[i][0]);
    if (n >= k && g_ascii_strncasecmp(s, tags[i][0], k) == 0 &&
        (n == k || s[k] == '>' || s[k] == ' ' || s[k] == '\t'))
      return contains_ci(s, n, tags[i][1]) ? NULL : tags[i][1];
  }
  return NULL;
}

/* Whether line v is raw (inside, opening or closing a fence or such an
 * HTML block); updates the state. */
static bool raw_line(raw_state *st, const vline *v) {
  if (st->fch) {
    if (fence_close(v, st->fch, st->flen)) st->fch = 0;
    return true;
  }
  if (st->html_end) {
    if (contains_ci(v->s, v->n, st->html_end)) st->html_end = NULL;
    return true;
  }
  if (fence_open(v, &st->fch, &st->flen)) return true;
  return (st->html_end = html_raw_open(v)) != NULL;
}

static bool word_char(char c) {
  return g_ascii_isalnum(c) || c == '-' || c == '_' || (unsigned char)c >= 0x80;
}

static char *lower_dup(kmb_arena *A, const char *s, size_t n) {
  char *d = kmb_arena_strndup(A, s, n);
  for (char *p = d; *p; p++) *p = g_ascii_tolower(*p);
  return d;
}

/* `!!! kind [more classes] ["title"]`, `??? …`, `???+ …` at the start of
 * a line. Only at the top level (or of a body): an indented one belongs to
 * a list item, which this pass does not enter; it stays literal, warned. */
static bool parse_admonition(pp *P, const vline *v, kmb_callout_info *ci) {
  if (indent_of(v) != 0) return false;
  const char *s = v->s, *e = v->s + v->n;
  while (s < e && *s == ' ') s++;
  bool coll;
  if (e - s >= 3 && memcmp(s, "!!!", 3) == 0) coll = false;
  else if (e - s >= 3 && memcmp(s, "???", 3) == 0) coll = true;
  else return false;
  s += 3;
  bool open = false;
  if (coll && s < e && *s == '+') open = true, s++;
  while (s < e && (*s == ' ' || *s == '\t')) s++;
  const char *k = s;
  while (s < e && word_char(*s)) s++;
  if (s == k) return false;
  const char *kend = s;
  /* further classes (`inline end`) are MkDocs layout hints: skipped */
  for (;;) {
    const char *t = s;
    while (t < e && (*t == ' ' || *t == '\t')) t++;
    if (t == s || t >= e || !word_char(*t)) break;
    while (t < e && word_char(*t)) t++;
    s = t;
  }
  while (s < e && (*s == ' ' || *s == '\t')) s++;
  const char *title = NULL;
  if (s < e && (*s == '"' || *s == '\'')) {
    char q = *s++;
    const char *te = e;
    while (te > s && (te[-1] == ' ' || te[-1] == '\t')) te--;
    if (te <= s || te[-1] != q) return false;
    title = kmb_arena_strndup(P->A, s, (size_t)(te - 1 - s));
    s = e;
  }
  while (s < e && (*s == ' ' || *s == '\t')) s++;
  if (s != e) return false;
  ci->kind = lower_dup(P->A, k, (size_t)(kend - k));
  ci->title = title;
  ci->collapsible = coll;
  ci->open = open;
  ci->div = false;
  return true;
}

static size_t colons(const vline *v, const char **rest) {
  if (indent_of(v) != 0) return 0; /* as for admonitions */
  const char *s = v->s, *e = v->s + v->n;
  while (s < e && *s == ' ') s++;
  size_t k = 0;
  while (s + k < e && s[k] == ':') k++;
  *rest = s + k;
  return k >= 3 ? k : 0;
}

static bool div_close(const vline *v) {
  const char *r;
  if (!colons(v, &r)) return false;
  for (; r < v->s + v->n; r++)
    if (*r != ' ' && *r != '\t') return false;
  return true;
}

/* `::: word`, `::: {.class #id key="v" title="…"}`, optional trailing colons. */
static bool parse_div(pp *P, const vline *v, kmb_callout_info *ci) {
  const char *s;
  if (!colons(v, &s)) return false;
  const char *e = v->s + v->n;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == ':')) e--;
  while (s < e && (*s == ' ' || *s == '\t')) s++;
  if (s >= e) return false;
  const char *cls = NULL, *title = NULL;
  size_t cls_n = 0;
  if (*s == '{') {
    if (e[-1] != '}') return false;
    const char *p = s + 1, *pe = e - 1;
    while (p < pe) {
      while (p < pe && (*p == ' ' || *p == '\t')) p++;
      if (p >= pe) break;
      if (*p == '.' || *p == '#') {
        char sig = *p++;
        const char *w = p;
        while (p < pe && word_char(*p)) p++;
        if (p == w) return false;
        if (sig == '.' && !cls) cls = w, cls_n = (size_t)(p - w);
        continue;
      }
      const char *key = p;
      while (p < pe && word_char(*p)) p++;
      size_t key_n = (size_t)(p - key);
      if (!key_n || p >= pe || *p != '=') return false;
      p++;
      const char *val;
      size_t val_n;
      if (p < pe && (*p == '"' || *p == '\'')) {
        char q = *p++;
        val = p;
        while (p < pe && *p != q) p++;
        if (p >= pe) return false;
        val_n = (size_t)(p - val);
        p++;
      } else {
        val = p;
        while (p < pe && *p != ' ' && *p != '\t') p++;
        val_n = (size_t)(p - val);
      }
      if (key_n == 5 && memcmp(key, "title", 5) == 0) title = kmb_arena_strndup(P->A, val, val_n);
    }
  } else {
    const char *w = s;
    while (s < e && word_char(*s)) s++;
    if (s != e) return false; /* `::: 标题文字` and the like: not pandoc syntax */
    cls = w, cls_n = (size_t)(e - w);
  }
  if (!cls) cls = "div", cls_n = 3; /* `::: {#id}`: a plain division */
  char *k = lower_dup(P->A, cls, cls_n);
  /* Quarto writes `callout-note`, `callout-tip` ... */
  if (g_str_has_prefix(k, "callout-") && kmb_callout_is_kind(k + 8)) k += 8;
  ci->kind = k;
  ci->title = title;
  ci->collapsible = ci->open = false;
  ci->div = !kmb_callout_is_kind(k);
  return true;
}

static void marker(pp *P, const vline *at, const char *what, guint k) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%s%u-->", what, k);
  emit(P, at, "", 0);
  emit(P, at, buf, (size_t)n);
  emit(P, at, "", 0);
}

static void process(pp *P, const vline *v, size_t n, int depth);

static void add_block(pp *P, kmb_callout_info *ci, const vline *open, const vline *last,
                      const vline *body, size_t nbody, int depth) {
  ci->line = open->src + 1;
  ci->col = open->shift + 1;
  guint k = P->info->len;
  g_ptr_array_add(P->info, ci);
  marker(P, open, MARK_OPEN, k);
  process(P, body, nbody, depth + 1);
  marker(P, last, MARK_CLOSE, k);
}

/* The closing line of every div opener in v (or n if none), in one pass
 * with a stack, so that many unclosed openers cost no more than one. */
static size_t *match_divs(pp *P, const vline *v, size_t n) {
  size_t *match = g_new(size_t, n ? n : 1);
  GArray *open = g_array_new(FALSE, FALSE, sizeof(size_t));
  raw_state st = {0};
  kmb_callout_info tmp;
  for (size_t j = 0; j < n; j++) {
    match[j] = n;
    if (raw_line(&st, &v[j])) {
    } else if (div_close(&v[j])) {
      if (open->len) {
        match[g_array_index(open, size_t, open->len - 1)] = j;
        g_array_set_size(open, open->len - 1);
      }
    } else if (parse_div(P, &v[j], &tmp)) {
      g_array_append_val(open, j);
    }
  }
  g_array_free(open, TRUE);
  return match;
}

static void process(pp *P, const vline *v, size_t n, int depth) {
  raw_state st = {0};
  size_t *match = match_divs(P, v, n);
  for (size_t i = 0; i < n; i++) {
    if (raw_line(&st, &v[i])) {
      emit(P, &v[i], v[i].s, v[i].n);
      continue;
    }
    kmb_callout_info *ci = kmb_arena_alloc(P->A, sizeof *ci);
    if (depth < MAX_NEST && parse_admonition(P, &v[i], ci)) {
      size_t last = i;
      for (size_t j = i + 1; j < n && (blank(&v[j]) || indent_of(&v[j]) >= 4); j++)
        if (!blank(&v[j])) last = j;
      size_t nb = last - i;
      vline *body = g_new(vline, nb ? nb : 1);
      for (size_t j = 0; j < nb; j++) {
        const vline *o = &v[i + 1 + j];
        size_t cut = 0;
        for (int col = 0; cut < o->n && col < 4; cut++) {
          if (o->s[cut] == ' ') col++;
          else if (o->s[cut] == '\t') col = 4;
          else break;
        }
        body[j] = (vline){o->src, o->shift + (int)cut, o->s + cut, o->n - cut};
      }
      add_block(P, ci, &v[i], &v[last], body, nb, depth);
      g_free(body);
      i = last;
      continue;
    }
    if (depth < MAX_NEST && parse_div(P, &v[i], ci)) {
      /* the matching close: nested openers count, code fences hide lines */
      size_t j = match[i];
      if (j < n) {
        add_block(P, ci, &v[i], &v[j], v + i + 1, j - i - 1, depth);
        i = j;
        continue;
      }
      /* unclosed: stays literal (resolve warns about it) */
    }
    emit(P, &v[i], v[i].s, v[i].n);
  }
  g_free(match);
}

/* Quick test: could any line open a block? Most chapters have none and are
 * parsed as written. */
static bool any_opener(const char *t, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (i == 0 || t[i - 1] == '\n' || t[i - 1] == '\r') {
      size_t j = i;
      while (j < len && j - i < 3 && t[j] == ' ') j++;
      if (j + 3 <= len && (memcmp(t + j, "!!!", 3) == 0 || memcmp(t + j, "???", 3) == 0 ||
                           memcmp(t + j, ":::", 3) == 0))
        return true;
    }
  }
  return false;
}

bool kmb_callout_prepass(kmb_arena *A, const char *text, size_t len, GString **out, GArray **map,
                         GPtrArray **info) {
  *out = NULL, *map = NULL, *info = NULL;
  if (!any_opener(text, len)) return false;
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(vline));
  size_t s = 0;
  int ln = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || text[i] == '\n' || text[i] == '\r') {
      if (i == len && s == len) break; /* no empty line after a final newline */
      vline v = {ln++, 0, text + s, i - s};
      g_array_append_val(lines, v);
      if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') i++;
      s = i + 1;
    }
  }
  pp P = {A, g_string_sized_new(len + 256), g_array_new(FALSE, FALSE, sizeof(kmb_linemap)),
          g_ptr_array_new()};
  process(&P, (const vline *)(void *)lines->data, lines->len, 0);
  g_array_free(lines, TRUE);
  if (P.info->len == 0) {
    g_string_free(P.out, TRUE);
    g_array_free(P.map, TRUE);
    g_ptr_array_free(P.info, TRUE);
    return false;
  }
  *out = P.out, *map = P.map, *info = P.info;
  return true;
}

static bool parse_marker(const kmb_node *n, bool *open, guint *k) {
  if (n->type != KMB_NODE_HTML_BLOCK || !n->literal) return false;
  const char *p;
  if (g_str_has_prefix(n->literal, MARK_OPEN)) *open = true, p = n->literal + strlen(MARK_OPEN);
  else if (g_str_has_prefix(n->literal, MARK_CLOSE)) *open = false, p = n->literal + strlen(MARK_CLOSE);
  else return false;
  char *end;
  guint64 v = g_ascii_strtoull(p, &end, 10);
  if (end == p || strncmp(end, "-->", 3) != 0) return false;
  *k = (guint)v;
  return true;
}

void kmb_callout_group(kmb_arena *A, kmb_node *root, GPtrArray *info) {
  kmb_node *n = root->first;
  root->first = root->last = NULL;
  GPtrArray *stack = g_ptr_array_new();
  kmb_node *cur = root;
  while (n) {
    kmb_node *next = n->next;
    bool open;
    guint k;
    if (parse_marker(n, &open, &k) && k < info->len) {
      const kmb_callout_info *ci = info->pdata[k];
      if (open) {
        kmb_node *c = kmb_node_new(A, ci->div ? KMB_NODE_DIV : KMB_NODE_CALLOUT, ci->line, ci->col);
        c->as.callout.kind = ci->kind;
        c->as.callout.title = ci->title;
        c->as.callout.collapsible = ci->collapsible;
        c->as.callout.open = ci->open;
        kmb_node_append(cur, c);
        g_ptr_array_add(stack, cur);
        cur = c;
      } else if (stack->len) {
        cur = g_ptr_array_steal_index(stack, stack->len - 1);
      }
    } else {
      kmb_node_append(cur, n);
    }
    n = next;
  }
  g_ptr_array_free(stack, TRUE);
}
