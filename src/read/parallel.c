/* Parallel titles (read-imp.h). A bilingual manuscript (pandoc's `{.en}` /
 * `{.zh}` switch) titles each section twice, one heading per language,
 * one right after the other: printed as written that is an empty heading
 * (an empty chapter, when the file is split at level-1 headings) followed
 * by the real one. A book has one language; the heading in it is the
 * title, the other its parallel title (a subtitle line in both writers).
 * Only a pair where exactly one heading is in the book's language is
 * merged: two English headings, or a pair in two foreign languages, stay
 * as written. */
#include "read/read-imp.h"
#include "base/lang.h"
#include "read/resolve.h"

#include <glib.h>
#include <string.h>

/* BCP 47 prefix match, either way: "zh" ~ "zh-Hans", "en-GB" ~ "en";
 * "zh-Hant" is not "zh-Hans". */
static bool lang_matches(const char *a, const char *b) {
  return kmb_lang_is(a, b) || kmb_lang_is(b, a);
}

/* The heading of the pair to keep (a or b), or NULL if they are no pair. */
static kmb_node *pair_main(kmb_node *a, kmb_node *b, const char *lang) {
  if (!a || !b || a->type != KMB_NODE_HEADING || b->type != KMB_NODE_HEADING) return NULL;
  if (a->as.heading.level != b->as.heading.level) return NULL;
  if (!a->as.heading.lang || !b->as.heading.lang) return NULL;
  if (a->as.heading.parallel || b->as.heading.parallel) return NULL;
  bool ma = lang_matches(a->as.heading.lang, lang), mb = lang_matches(b->as.heading.lang, lang);
  if (ma == mb) return NULL;
  return ma ? a : b;
}

/* Merges the pair a, b (b right after a under one parent, or b the first
 * block of the next chapter): the other heading leaves the tree. */
static void merge(kmb_node *main, kmb_node *other) {
  kmb_node_unlink(other);
  main->as.heading.parallel = other;
}

static void merge_all(kmb_book *b, const char *lang);

static void merge_in(kmb_node *parent, const char *lang) {
  for (kmb_node *n = parent->first; n; n = n->next) {
    kmb_node *m = pair_main(n, n->next, lang);
    if (m) {
      merge(m, m == n ? n->next : n);
      n = m;
    }
    if (n->first && !kmb_node_is_inline(n->first->type)) merge_in(n, lang);
  }
}

static bool any_lang(const kmb_book *b) {
  for (size_t i = 0; i < b->n_chapters; i++) {
    kmb_iter it;
    kmb_iter_init(&it, b->chapters[i].root);
    for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
      if (ev != KMB_EV_ENTER || !kmb_node_is_block(it.cur->type)) continue;
      if (it.cur->type == KMB_NODE_HEADING && it.cur->as.heading.lang) return true;
      if (it.cur->type == KMB_NODE_HEADING || it.cur->type == KMB_NODE_PARAGRAPH) kmb_iter_skip(&it);
    }
  }
  return false;
}

void kmb_read_parallel_titles(kmb_book *b) {
  if (!any_lang(b)) return; /* most books: no language detected twice */
  /* the book's language as resolve.c will find it (the metadata's, else
   * detected from the prose, else the default) */
  char *note = NULL;
  const char *given = b->meta.lang && *b->meta.lang ? b->meta.lang : kmb_lang_detect(b, &note);
  g_free(note);
  char *lang = kmb_lang_normalise(given);
  merge_all(b, lang);
  g_free(lang);
}

static void merge_all(kmb_book *b, const char *lang) {
  for (size_t i = 0; i < b->n_chapters; i++) merge_in(b->chapters[i].root, lang);
  /* a split file: the pair was cut apart at the second level-1 heading */
  size_t w = 0;
  for (size_t i = 0; i < b->n_chapters; i++) {
    kmb_chapter *ch = &b->chapters[i], *nx = i + 1 < b->n_chapters ? ch + 1 : NULL;
    kmb_node *a = ch->root->first;
    if (nx && a && !a->next && !ch->given_title && !nx->given_title &&
        strcmp(ch->path, nx->path) == 0) {
      kmb_node *bh = nx->root->first;
      kmb_node *m = pair_main(a, bh, lang);
      if (m) {
        merge(m, m == a ? bh : a);
        if (m == a) { /* the title moves to the chapter that is kept */
          kmb_node_unlink(a);
          kmb_node_prepend(nx->root, a);
        }
        continue; /* chapter i is empty now: dropped */
      }
    }
    b->chapters[w++] = *ch;
  }
  b->n_chapters = w;
}
