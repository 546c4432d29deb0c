/* A stable text form of the model for tests and debugging (--dump-model). */
#include "model/doc.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static void put_escaped(GString *s, const char *t, size_t n) {
  g_string_append_c(s, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    if (c == '"' || c == '\\') g_string_append_printf(s, "\\%c", c);
    else if (c == '\n') g_string_append(s, "\\n");
    else if (c == '\t') g_string_append(s, "\\t");
    else if (c < 0x20) g_string_append_printf(s, "\\x%02x", c);
    else g_string_append_c(s, (char)c);
  }
  g_string_append_c(s, '"');
}

static void put_str(GString *s, const char *key, const char *v) {
  if (!v) return;
  g_string_append_printf(s, " %s=", key);
  put_escaped(s, v, strlen(v));
}

static void dump_node(GString *s, const kmb_node *n, int depth) {
  for (int i = 0; i < depth; i++) g_string_append(s, "  ");
  g_string_append_printf(s, "%s @%d:%d", kmb_node_type_name(n->type), n->line, n->col);
  switch (n->type) {
  case KMB_NODE_HEADING:
    g_string_append_printf(s, " level=%d out=%d", n->as.heading.level, n->as.heading.out_level);
    put_str(s, "id", n->as.heading.id);
    put_str(s, "name", n->as.heading.name);
    put_str(s, "lang", n->as.heading.lang);
    if (n->as.heading.parallel) g_string_append(s, " parallel:");
    break;
  case KMB_NODE_PARAGRAPH:
    if (n->as.para.verse) g_string_append(s, " verse");
    if (n->as.para.attribution) g_string_append(s, " attribution");
    break;
  case KMB_NODE_LIST:
    g_string_append_printf(s, " %s tight=%d", n->as.list.ordered ? "ordered" : "bullet",
                           n->as.list.tight);
    if (n->as.list.ordered) g_string_append_printf(s, " start=%d", n->as.list.start);
    break;
  case KMB_NODE_CODE_BLOCK: put_str(s, "info", n->as.code.info); break;
  case KMB_NODE_CALLOUT:
  case KMB_NODE_DIV:
    put_str(s, "kind", n->as.callout.kind);
    put_str(s, "title", n->as.callout.title);
    if (n->as.callout.collapsible) g_string_append(s, n->as.callout.open ? " collapsible open" : " collapsible");
    break;
  case KMB_NODE_TABLE:
    g_string_append_printf(s, " cols=%d align=", n->as.table.ncols);
    for (int i = 0; i < n->as.table.ncols; i++) {
      g_string_append_c(s, "-lcr"[n->as.table.align ? n->as.table.align[i] : 0]);
    }
    break;
  case KMB_NODE_TABLE_ROW:
    if (n->as.row.header) g_string_append(s, " header");
    break;
  case KMB_NODE_FOOTNOTE_DEF:
  case KMB_NODE_FOOTNOTE_REF:
    put_str(s, "label", n->as.note.label);
    g_string_append_printf(s, " n=%d", n->as.note.index);
    break;
  case KMB_NODE_RUBY:
    g_string_append(s, n->as.ruby.n > 1 ? " mono" : " group");
    for (int i = 0; i < n->as.ruby.n; i++) put_str(s, "rt", n->as.ruby.rt[i]);
    break;
  case KMB_NODE_LINK:
    put_str(s, "url", n->as.link.url);
    if (n->as.link.title && *n->as.link.title) put_str(s, "title", n->as.link.title);
    if (n->as.link.chapter >= 0) {
      g_string_append_printf(s, " chapter=%d", n->as.link.chapter);
      put_str(s, "fragment", n->as.link.fragment);
    }
    if (n->as.link.unsafe) g_string_append(s, " unsafe");
    break;
  case KMB_NODE_FIGURE:
  case KMB_NODE_IMAGE:
    put_str(s, "url", n->as.image.url);
    if (n->as.image.title && *n->as.image.title) put_str(s, "title", n->as.image.title);
    g_string_append(s, n->as.image.remote ? " remote" : n->as.image.path ? " local" : " unresolved");
    if (n->as.image.probe) {
      static const char *fmt[] = {"unknown", "png", "jpeg", "gif", "webp", "svg"};
      const kmb_image_probe *pr = n->as.image.probe;
      g_string_append_printf(s, " %s %gx%g%s", fmt[pr->format], pr->width, pr->height,
                             pr->too_big ? " too-big" : "");
    }
    break;
  default: break;
  }
  if (n->literal) {
    g_string_append_c(s, ' ');
    put_escaped(s, n->literal, n->len);
  }
  g_string_append_c(s, '\n');
  /* a parallel title first, one level deeper, then the heading's own inlines */
  if (n->type == KMB_NODE_HEADING && n->as.heading.parallel)
    dump_node(s, n->as.heading.parallel, depth + 2);
  for (const kmb_node *c = n->first; c; c = c->next) dump_node(s, c, depth + 1);
}

char *kmb_book_dump(const kmb_book *b) {
  GString *s = g_string_new("book\n");
  const kmb_meta *m = &b->meta;
  g_string_append(s, "meta\n");
#define F(k, v)                                                                                    \
  if (v) {                                                                                         \
    g_string_append(s, "  " k " ");                                                                \
    put_escaped(s, v, strlen(v));                                                                  \
    g_string_append_c(s, '\n');                                                                    \
  }
  F("title", m->title);
  F("subtitle", m->subtitle);
  for (size_t i = 0; i < m->n_creators; i++) {
    g_string_append_printf(s, "  creator %s ", m->creators[i].role);
    put_escaped(s, m->creators[i].name, strlen(m->creators[i].name));
    put_str(s, "role-name", m->creators[i].role_name);
    put_str(s, "credit", m->creators[i].role_credit);
    g_string_append_c(s, '\n');
  }
  for (size_t i = 0; i < m->n_contributors; i++) {
    g_string_append_printf(s, "  contributor %s ", m->contributors[i].role);
    put_escaped(s, m->contributors[i].name, strlen(m->contributors[i].name));
    put_str(s, "role-name", m->contributors[i].role_name);
    put_str(s, "credit", m->contributors[i].role_credit);
    g_string_append_c(s, '\n');
  }
  F("lang", m->lang);
  F("identifier", m->identifier);
  F("date", m->date);
  F("edition", m->edition);
  F("publisher", m->publisher);
  F("source", m->source);
  F("rights", m->rights);
  F("description", m->description);
  for (size_t i = 0; i < m->n_subjects; i++) F("subject", m->subjects[i]);
  for (size_t i = 0; i < m->n_links; i++) {
    F("link", m->links[i].url);
    F("link-title", m->links[i].title);
  }
  if (m->cover) g_string_append(s, "  cover (local image)\n");
  F("slug", m->slug);
  if (b->writing == KMB_WRITING_VERTICAL) g_string_append(s, "  writing vertical\n");
#undef F
  /* what the resolve step worked out (read/resolve.c) */
  g_string_append(s, "resolved");
  put_str(s, "identifier", b->identifier);
  put_str(s, "pango-lang", b->pango_lang);
  put_str(s, "pdf-lang", b->pdf_lang);
  if (b->labels) put_str(s, "contents", b->labels->contents);
  put_str(s, "edition", b->edition_text);
  g_string_append_c(s, '\n');
  for (size_t i = 0; i < b->n_chapters; i++) {
    const kmb_chapter *c = &b->chapters[i];
    g_string_append_printf(s, "chapter %s ", c->id);
    put_escaped(s, c->rel, strlen(c->rel));
    g_string_append(s, " title=");
    put_escaped(s, c->title, strlen(c->title));
    if (!c->title_heading) g_string_append(s, " no-title-heading");
    g_string_append_c(s, '\n');
    dump_node(s, c->root, 1);
  }
  return g_string_free(s, FALSE);
}

static bool check_node(const kmb_node *n, kmb_error *err) {
  const kmb_node *prev = NULL;
  for (const kmb_node *c = n->first; c; c = c->next) {
    if (c->parent != n || c->prev != prev) {
      return kmb_error_set(err, KMB_E_LIB, NULL, c->line, c->col, "broken links at %s",
                           kmb_node_type_name(c->type));
    }
    bool leaf_container = n->type == KMB_NODE_PARAGRAPH || n->type == KMB_NODE_HEADING ||
                          n->type == KMB_NODE_TABLE_CELL || n->type == KMB_NODE_FIGURE ||
                          kmb_node_is_inline(n->type);
    if (leaf_container && !kmb_node_is_inline(c->type)) {
      return kmb_error_set(err, KMB_E_LIB, NULL, c->line, c->col, "block %s inside %s",
                           kmb_node_type_name(c->type), kmb_node_type_name(n->type));
    }
    if (!leaf_container && kmb_node_is_inline(c->type)) {
      return kmb_error_set(err, KMB_E_LIB, NULL, c->line, c->col, "inline %s inside %s",
                           kmb_node_type_name(c->type), kmb_node_type_name(n->type));
    }
    if (!check_node(c, err)) return false;
    prev = c;
  }
  if (n->last != prev) return kmb_error_set(err, KMB_E_LIB, NULL, n->line, n->col, "bad last child");
  return true;
}

bool kmb_book_check(const kmb_book *b, kmb_error *err) {
  for (size_t i = 0; i < b->n_chapters; i++) {
    if (!b->chapters[i].root || b->chapters[i].root->type != KMB_NODE_ROOT) {
      return kmb_error_set(err, KMB_E_LIB, b->chapters[i].rel, 0, 0, "chapter without root");
    }
    if (!check_node(b->chapters[i].root, err)) {
      snprintf(err->path, sizeof err->path, "%s", b->chapters[i].rel);
      return false;
    }
  }
  return true;
}
