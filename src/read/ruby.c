/* Ruby: raw HTML <ruby> tags and the compact {base|annotation} syntax →
 * KMB_NODE_RUBY (see ruby.h). A pass over the converted tree, after the
 * emphasis fix, so cmark's text nodes are final. */
#include "read/ruby.h"

#include <glib.h>
#include <string.h>

static void insert_before(kmb_node *at, kmb_node *n) {
  n->parent = at->parent;
  n->prev = at->prev;
  n->next = at;
  if (at->prev) at->prev->next = n;
  else if (at->parent) at->parent->first = n;
  at->prev = n;
}

static kmb_node *text_node(kmb_arena *a, const kmb_node *like, const char *s, size_t len, int col) {
  kmb_node *t = kmb_node_new(a, KMB_NODE_TEXT, like->line, col);
  t->literal = kmb_arena_strndup(a, s, len);
  t->len = len;
  return t;
}

/* A ruby node with one TEXT child per base segment; rt has n entries. */
static kmb_node *ruby_node(kmb_arena *a, const kmb_node *like, int col, const char **base,
                           const size_t *blen, const char **rt, int n) {
  kmb_node *r = kmb_node_new(a, KMB_NODE_RUBY, like->line, col);
  r->as.ruby.n = n;
  r->as.ruby.rt = kmb_arena_alloc(a, (size_t)n * sizeof *r->as.ruby.rt);
  for (int i = 0; i < n; i++) {
    kmb_node_append(r, text_node(a, like, base[i], blen[i], col));
    r->as.ruby.rt[i] = rt[i];
  }
  return r;
}

/* ---- raw HTML ---- */

typedef enum { TAG_OTHER, TAG_RUBY, TAG_RT, TAG_RP, TAG_RB, TAG_RTC } tag_name;

/* The ruby-related tag an HTML_INLINE literal is, and whether it closes. */
static tag_name tag_of(const kmb_node *n, bool *closing) {
  const char *s = n->literal ? n->literal : "";
  *closing = false;
  if (*s++ != '<') return TAG_OTHER;
  if (*s == '/') *closing = true, s++;
  static const struct { const char *name; tag_name t; } names[] = {
      {"ruby", TAG_RUBY}, {"rtc", TAG_RTC}, {"rt", TAG_RT}, {"rp", TAG_RP}, {"rb", TAG_RB}};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    size_t l = strlen(names[i].name);
    if (g_ascii_strncasecmp(s, names[i].name, l) == 0 &&
        (s[l] == '>' || s[l] == ' ' || s[l] == '\t' || s[l] == '\n' || s[l] == '/'))
      return names[i].t;
  }
  return TAG_OTHER;
}

typedef struct segs {
  GPtrArray *base, *rt; /* char * (g_strdup) */
  GString *cur_base, *cur_rt;
} segs;

static void push_seg(segs *sg) {
  g_ptr_array_add(sg->base, g_strdup(sg->cur_base->str));
  g_ptr_array_add(sg->rt, g_strdup(sg->cur_rt->str));
  g_string_truncate(sg->cur_base, 0);
  g_string_truncate(sg->cur_rt, 0);
}

/* Folds <ruby> … </ruby> starting at `open` into one node; returns that
 * node, or NULL (nothing changed) when the markup is not a
 * simple ruby: no </ruby> among the siblings, a nested <ruby>, <rtc>, or a
 * segment without base text. */
static kmb_node *fold_html(kmb_arena *a, kmb_node *open) {
  segs sg = {g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free),
             g_string_new(NULL), g_string_new(NULL)};
  bool in_rt = false, in_rp = false, ok = false;
  kmb_node *k = open->next;
  for (; k; k = k->next) {
    bool closing;
    if (k->type == KMB_NODE_HTML_INLINE) {
      tag_name t = tag_of(k, &closing);
      if (t == TAG_RUBY && closing) {
        if (in_rt || sg.cur_base->len) push_seg(&sg);
        ok = true;
        break;
      }
      if (t == TAG_RUBY || t == TAG_RTC || t == TAG_OTHER) break;
      if (t == TAG_RP) in_rp = !closing;
      else if (t == TAG_RT && !closing) {
        if (in_rt) push_seg(&sg); /* <rt> without </rt> before the next one */
        in_rt = true;
      } else if (t == TAG_RT && closing) {
        if (in_rt) push_seg(&sg);
        in_rt = false;
      }
      continue;
    }
    if (k->type == KMB_NODE_SOFTBREAK) continue; /* CJK text wrapped inside the tag */
    if (!kmb_node_is_inline(k->type) || k->type == KMB_NODE_RUBY ||
        k->type == KMB_NODE_LINEBREAK || k->type == KMB_NODE_FOOTNOTE_REF)
      break;
    if (in_rp) continue;
    GString *to = in_rt ? sg.cur_rt : sg.cur_base;
    if (k->literal) g_string_append_len(to, k->literal, (gssize)k->len);
    else g_string_append(to, kmb_node_text(a, k)); /* emphasis inside a base: its text */
  }
  for (guint i = 0; ok && i < sg.base->len; i++) ok = *(const char *)sg.base->pdata[i] != '\0';
  kmb_node *after = NULL;
  if (ok && sg.base->len > 0) {
    int n = (int)sg.base->len;
    const char **base = g_new(const char *, n), **rt = g_new(const char *, n);
    size_t *blen = g_new(size_t, n);
    for (int i = 0; i < n; i++) {
      base[i] = sg.base->pdata[i];
      blen[i] = strlen(base[i]);
      rt[i] = kmb_arena_strdup(a, sg.rt->pdata[i]);
    }
    kmb_node *r = ruby_node(a, open, open->col, base, blen, rt, n);
    g_free(base), g_free(rt), g_free(blen);
    insert_before(open, r);
    after = r;
    for (kmb_node *d = open, *nx, *stop = k->next; d != stop; d = nx) {
      nx = d->next;
      kmb_node_unlink(d);
    }
  }
  g_ptr_array_free(sg.base, TRUE);
  g_ptr_array_free(sg.rt, TRUE);
  g_string_free(sg.cur_base, TRUE);
  g_string_free(sg.cur_rt, TRUE);
  return after;
}

/* ---- compact syntax ---- */

/* Parses "{base|a|b…}" at s[0] == '{' (within len bytes). On success sets
 * the ruby's parts and returns the bytes consumed, else 0. */
static size_t parse_compact(kmb_arena *a, const kmb_node *t, const char *s, size_t len, int col,
                            kmb_node **out) {
  size_t end = 1;
  while (end < len && s[end] != '}' && s[end] != '{' && s[end] != '\n') end++;
  if (end >= len || s[end] != '}') return 0;
  char *inner = g_strndup(s + 1, end - 1);
  gchar **parts = g_strsplit(inner, "|", -1);
  g_free(inner);
  int np = (int)g_strv_length(parts);
  bool ok = np >= 2;
  for (int i = 0; ok && i < np; i++) ok = parts[i][0] != '\0';
  long nchars = ok ? g_utf8_strlen(parts[0], -1) : 0;
  if (ok && np - 1 > 1 && np - 1 != nchars) ok = false; /* neither mono nor group */
  if (ok) {
    int n = np - 1;
    const char **base = g_new(const char *, n), **rt = g_new(const char *, n);
    size_t *blen = g_new(size_t, n);
    const char *p = parts[0];
    for (int i = 0; i < n; i++) {
      rt[i] = kmb_arena_strdup(a, parts[i + 1]);
      base[i] = p;
      if (n == 1) blen[i] = strlen(p);
      else {
        const char *q = g_utf8_next_char(p);
        blen[i] = (size_t)(q - p);
        p = q;
      }
    }
    *out = ruby_node(a, t, col, base, blen, rt, n);
    g_free(base), g_free(rt), g_free(blen);
  }
  g_strfreev(parts);
  return ok ? end + 1 : 0;
}

/* Splits a TEXT node around every compact ruby in it; returns the node
 * after the last piece. */
static kmb_node *fold_text(kmb_arena *a, kmb_node *t) {
  kmb_node *next = t->next;
  const char *s = t->literal;
  size_t len = t->len, from = 0;
  bool changed = false;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '{') continue;
    kmb_node *r = NULL;
    size_t used = parse_compact(a, t, s + i, len - i, t->col + (int)i, &r);
    if (!used) continue;
    if (i > from) insert_before(t, text_node(a, t, s + from, i - from, t->col + (int)from));
    insert_before(t, r);
    from = i + used;
    i = from - 1;
    changed = true;
  }
  if (changed) {
    if (from < len) insert_before(t, text_node(a, t, s + from, len - from, t->col + (int)from));
    kmb_node_unlink(t);
  }
  return next;
}

static void walk(kmb_arena *a, kmb_node *n) {
  for (kmb_node *k = n->first; k;) {
    bool closing;
    if (k->type == KMB_NODE_HTML_INLINE && tag_of(k, &closing) == TAG_RUBY && !closing) {
      kmb_node *r = fold_html(a, k);
      k = r ? r->next : k->next;
    } else if (k->type == KMB_NODE_TEXT) {
      k = fold_text(a, k);
    } else {
      if (k->type != KMB_NODE_CODE_BLOCK && k->type != KMB_NODE_RUBY) walk(a, k);
      k = k->next;
    }
  }
}

void kmb_read_ruby(kmb_arena *a, kmb_node *root) {
  walk(a, root);
}
