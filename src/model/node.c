#include "model/doc.h"

#include <glib.h>
#include <string.h>

kmb_node *kmb_node_new(kmb_arena *a, kmb_node_type type, int line, int col) {
  kmb_node *n = kmb_arena_alloc(a, sizeof *n);
  n->type = type;
  n->line = line;
  n->col = col;
  return n;
}

void kmb_node_append(kmb_node *parent, kmb_node *child) {
  child->parent = parent;
  child->next = NULL;
  child->prev = parent->last;
  if (parent->last) {
    parent->last->next = child;
  } else {
    parent->first = child;
  }
  parent->last = child;
}

void kmb_node_prepend(kmb_node *parent, kmb_node *child) {
  child->parent = parent;
  child->prev = NULL;
  child->next = parent->first;
  if (parent->first) {
    parent->first->prev = child;
  } else {
    parent->last = child;
  }
  parent->first = child;
}

void kmb_node_unlink(kmb_node *n) {
  if (n->prev) n->prev->next = n->next;
  else if (n->parent) n->parent->first = n->next;
  if (n->next) n->next->prev = n->prev;
  else if (n->parent) n->parent->last = n->prev;
  n->parent = n->prev = n->next = NULL;
}

bool kmb_node_is_block(kmb_node_type t) {
  return t >= KMB_NODE_ROOT && t <= KMB_NODE_DIV;
}

bool kmb_node_is_inline(kmb_node_type t) {
  return t >= KMB_NODE_TEXT && t <= KMB_NODE_RUBY;
}

const char *kmb_node_type_name(kmb_node_type t) {
  static const char *names[KMB_NODE_TYPE_COUNT] = {
      [KMB_NODE_NONE] = "none",
      [KMB_NODE_ROOT] = "root",
      [KMB_NODE_HEADING] = "heading",
      [KMB_NODE_PARAGRAPH] = "paragraph",
      [KMB_NODE_BLOCKQUOTE] = "blockquote",
      [KMB_NODE_LIST] = "list",
      [KMB_NODE_ITEM] = "item",
      [KMB_NODE_CODE_BLOCK] = "code_block",
      [KMB_NODE_THEMATIC_BREAK] = "thematic_break",
      [KMB_NODE_FIGURE] = "figure",
      [KMB_NODE_TABLE] = "table",
      [KMB_NODE_TABLE_ROW] = "table_row",
      [KMB_NODE_TABLE_CELL] = "table_cell",
      [KMB_NODE_FOOTNOTE_DEF] = "footnote_def",
      [KMB_NODE_HTML_BLOCK] = "html_block",
      [KMB_NODE_CALLOUT] = "callout",
      [KMB_NODE_DIV] = "div",
      [KMB_NODE_TEXT] = "text",
      [KMB_NODE_EMPH] = "emph",
      [KMB_NODE_STRONG] = "strong",
      [KMB_NODE_STRIKE] = "strike",
      [KMB_NODE_CODE] = "code",
      [KMB_NODE_LINK] = "link",
      [KMB_NODE_IMAGE] = "image",
      [KMB_NODE_SOFTBREAK] = "softbreak",
      [KMB_NODE_LINEBREAK] = "linebreak",
      [KMB_NODE_FOOTNOTE_REF] = "footnote_ref",
      [KMB_NODE_HTML_INLINE] = "html_inline",
      [KMB_NODE_RUBY] = "ruby",
  };
  return (t >= 0 && t < KMB_NODE_TYPE_COUNT && names[t]) ? names[t] : "?";
}

void kmb_iter_init(kmb_iter *it, const kmb_node *root) {
  it->root = root;
  it->cur = NULL;
  it->ev = KMB_EV_NONE;
  it->skip = false;
}

static bool is_leaf(const kmb_node *n) {
  return n->first == NULL;
}

kmb_event kmb_iter_next(kmb_iter *it) {
  const kmb_node *c = it->cur;
  if (!c) {
    if (it->ev != KMB_EV_NONE || !it->root) return KMB_EV_NONE; /* finished */
    it->cur = it->root;
    it->ev = KMB_EV_ENTER;
    return it->ev;
  }
  if (it->ev == KMB_EV_ENTER && !is_leaf(c) && it->skip) {
    it->skip = false;
    it->ev = KMB_EV_EXIT;
    return it->ev;
  }
  if (it->ev == KMB_EV_ENTER && !is_leaf(c)) {
    it->cur = c->first;
    it->ev = KMB_EV_ENTER;
    return it->ev;
  }
  /* leaving c (a leaf entered, or an EXIT) */
  if (c == it->root) {
    it->cur = NULL;
    it->ev = KMB_EV_EXIT; /* marks finished */
    return KMB_EV_NONE;
  }
  if (c->next) {
    it->cur = c->next;
    it->ev = KMB_EV_ENTER;
  } else {
    it->cur = c->parent;
    it->ev = KMB_EV_EXIT;
  }
  return it->ev;
}

void kmb_iter_skip(kmb_iter *it) {
  if (it->cur && it->ev == KMB_EV_ENTER && !is_leaf(it->cur)) it->skip = true;
}

bool kmb_book_any(const kmb_book *b, bool (*match)(const kmb_node *n, void *data), void *data) {
  for (size_t i = 0; b && i < b->n_chapters; i++) {
    kmb_iter it;
    kmb_iter_init(&it, b->chapters[i].root);
    for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;)
      if (ev == KMB_EV_ENTER && match(it.cur, data)) return true;
  }
  return false;
}

static void text_of(GString *s, const kmb_node *n) {
  for (const kmb_node *c = n->first; c; c = c->next) {
    switch (c->type) {
    case KMB_NODE_TEXT:
    case KMB_NODE_CODE: g_string_append_len(s, c->literal, (gssize)c->len); break;
    case KMB_NODE_SOFTBREAK:
    case KMB_NODE_LINEBREAK: g_string_append_c(s, ' '); break;
    case KMB_NODE_FOOTNOTE_REF:
    case KMB_NODE_HTML_INLINE: break;
    default: text_of(s, c); break;
    }
  }
}

char *kmb_node_text(kmb_arena *a, const kmb_node *node) {
  GString *s = g_string_new(NULL);
  text_of(s, node);
  char *r = kmb_arena_strndup(a, s->str, s->len);
  g_string_free(s, TRUE);
  return r;
}

void kmb_book_drop(kmb_book *book) {
  if (!book) return;
  kmb_arena_drop(book->arena); /* the book itself lives in its arena */
}
