/* Resolve for callouts: default titles in the book's language, ids for
 * aria-labelledby, and a located warning for admonition or div syntax the
 * pre-pass (callout.c) left as text, so no literal `!!! note` or `:::`
 * reaches a reader silently. */
#include "read/callout.h"

#include <string.h>

/* Text of the TEXT run starting at n (cmark may split "!!!" at '!'). */
static char *run_text(const kmb_node *n, size_t max) {
  GString *s = g_string_new(NULL);
  for (; n && n->type == KMB_NODE_TEXT && s->len < max; n = n->next)
    g_string_append_len(s, n->literal, (gssize)n->len);
  return g_string_free(s, FALSE);
}

static const char *literal_syntax(const char *t) {
  if (g_str_has_prefix(t, "!!!")) return "admonition";
  if (g_str_has_prefix(t, "???")) return "collapsible admonition";
  if (g_str_has_prefix(t, ":::")) return "fenced div";
  return NULL;
}

static bool check_para(const kmb_chapter *ch, const kmb_node *p, const kmb_diag *diag,
                       kmb_error *err) {
  bool line_start = true;
  for (const kmb_node *n = p->first; n; n = n->next) {
    if (line_start && n->type == KMB_NODE_TEXT && (!n->prev || n->prev->type != KMB_NODE_TEXT)) {
      char *t = run_text(n, 64);
      const char *what = literal_syntax(t);
      bool ok = true;
      if (what) {
        char *line = g_strndup(t, strcspn(t, "\n"));
        if (g_str_has_prefix(t, ":::")) {
          ok = kmb_warn_or_fail(diag, err, KMB_E_FORMAT, ch->path, n->line, n->col,
                                "`%s` is left as text: a fenced div needs a `::: class` opening "
                                "line and a closing `:::` line, separated from other text",
                                line);
        } else {
          ok = kmb_warn_or_fail(diag, err, KMB_E_FORMAT, ch->path, n->line, n->col,
                                "`%s` is left as text: an %s is `%.3s kind \"title\"` at the start "
                                "of a line, its body indented 4 spaces",
                                line, what, t);
        }
        g_free(line);
      }
      g_free(t);
      if (!ok) return false;
    }
    line_start = n->type == KMB_NODE_SOFTBREAK || n->type == KMB_NODE_LINEBREAK;
  }
  return true;
}

bool kmb_callout_resolve(kmb_book *b, const kmb_diag *diag, kmb_error *err) {
  for (size_t i = 0; i < b->n_chapters; i++) {
    const kmb_chapter *ch = &b->chapters[i];
    int k = 0;
    kmb_iter it;
    kmb_iter_init(&it, ch->root);
    for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
      if (ev != KMB_EV_ENTER) continue;
      kmb_node *n = (kmb_node *)it.cur;
      if (n->type == KMB_NODE_CALLOUT) {
        if (!n->as.callout.title)
          n->as.callout.title = kmb_callout_label(b->meta.lang, n->as.callout.kind, b->arena);
        n->as.callout.id = kmb_arena_printf(b->arena, "%s-callout-%d", ch->id, ++k);
      } else if (n->type == KMB_NODE_PARAGRAPH) {
        if (!check_para(ch, n, diag, err)) return false;
        kmb_iter_skip(&it);
      } else if (n->type == KMB_NODE_CODE_BLOCK) {
        kmb_iter_skip(&it);
      }
    }
  }
  return true;
}
