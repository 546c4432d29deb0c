/* The print edition's page breaks (issue 16 part 2): with a page list from
 * the PDF layout, a marker where each PDF page starts —
 *   <span epub:type="pagebreak" role="doc-pagebreak" id="page-37" aria-label="37"/>
 * inside the text at the exact character (xhtml.c asks here while it writes
 * each text node), before the element a page starts with (a figure, a
 * callout, a footnote), or at the start of the front-matter document a
 * front page corresponds to; a page-list nav linking every marker; and the
 * package metadata that says so. Without a page list every function here
 * does nothing, and the EPUB is what it was. */
#include "epub/epub-imp.h"

#include <string.h>

#define X(s) ((const xmlChar *)(s))

typedef struct epub_pages {
  const kmb_page_list *pl;
  GHashTable *by_node; /* const kmb_node * → GArray of guint page indexes, in page order */
  bool *done;          /* per page: its marker is written */
  char **ids;          /* per page: its marker's id, once written */
  GArray **by_chapter; /* per chapter: its body pages' indexes, in page order */
} epub_pages;

bool epub_pages_prepare(epub_ctx *cx) {
  const kmb_page_list *pl = cx->opts->page_list;
  if (!pl) return true;
  epub_pages *P = g_new0(epub_pages, 1);
  P->pl = pl;
  P->done = g_new0(bool, pl->n + 1);
  P->ids = g_new0(char *, pl->n + 1);
  size_t nch = cx->book->n_chapters;
  P->by_chapter = g_new0(GArray *, nch + 1);
  for (size_t k = 0; k < nch; k++) P->by_chapter[k] = g_array_new(FALSE, FALSE, sizeof(guint));
  P->by_node = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_array_unref);
  for (guint i = 0; i < pl->n; i++) {
    const kmb_page_start *ps = &pl->pages[i];
    if (ps->front == KMB_FRONT_NONE && ps->chapter >= 0 && (size_t)ps->chapter < nch)
      g_array_append_val(P->by_chapter[ps->chapter], i);
    if (ps->front != KMB_FRONT_NONE || !ps->node) continue;
    GArray *v = g_hash_table_lookup(P->by_node, ps->node);
    if (!v) {
      v = g_array_new(FALSE, FALSE, sizeof(guint));
      g_hash_table_insert(P->by_node, (gpointer)ps->node, v);
    }
    g_array_append_val(v, i);
  }
  cx->pages = P;
  return true;
}

void epub_pages_free(epub_ctx *cx) {
  epub_pages *P = cx->pages;
  if (!P) return;
  g_hash_table_destroy(P->by_node);
  for (size_t i = 0; i < P->pl->n; i++) g_free(P->ids[i]);
  for (size_t k = 0; k < cx->book->n_chapters; k++) g_array_free(P->by_chapter[k], TRUE);
  g_free(P->by_chapter);
  g_free(P->ids);
  g_free(P->done);
  g_free(P);
  cx->pages = NULL;
}

/* "page-37", or "kmb-page-37" in a chapter whose manuscript took that id
 * (the marker's id is then taken: raw HTML met later cannot reuse it). */
static char *marker_id(epub_ctx *cx, const kmb_page_start *ps) {
  char *id = g_strdup_printf("page-%s", ps->label);
  if (ps->front == KMB_FRONT_NONE && ps->chapter >= 0 && (size_t)ps->chapter < cx->book->n_chapters &&
      g_hash_table_contains(cx->ids[ps->chapter], id)) {
    char *other = g_strdup_printf("kmb-%s", id);
    g_free(id);
    id = other;
  }
  return id;
}

static void marker(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, guint i) {
  const kmb_page_start *ps = &cx->pages->pl->pages[i];
  cx->pages->done[i] = true;
  xmlNodePtr s = epub_el(parent, "span");
  xmlSetNsProp(s, ops, X("type"), X("pagebreak"));
  xmlSetProp(s, X("role"), X("doc-pagebreak"));
  char *id = marker_id(cx, ps);
  xmlSetProp(s, X("id"), X(id));
  if (ps->front == KMB_FRONT_NONE && ps->chapter >= 0 && (size_t)ps->chapter < cx->book->n_chapters)
    g_hash_table_add(cx->ids[ps->chapter], kmb_arena_strdup(cx->arena, id));
  cx->pages->ids[i] = id;
  xmlSetProp(s, X("aria-label"), X(ps->label));
}

void epub_pages_before(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, const kmb_node *node) {
  if (!cx->pages) return;
  GArray *v = g_hash_table_lookup(cx->pages->by_node, node);
  for (guint k = 0; v && k < v->len; k++) {
    guint i = g_array_index(v, guint, k);
    if (!cx->pages->done[i] && cx->pages->pl->pages[i].offset < 0) marker(cx, parent, ops, i);
  }
}

long epub_pages_next(epub_ctx *cx, const kmb_node *node, long from, long to) {
  if (!cx->pages) return -1;
  GArray *v = g_hash_table_lookup(cx->pages->by_node, node);
  long best = -1;
  for (guint k = 0; v && k < v->len; k++) {
    guint i = g_array_index(v, guint, k);
    long at = cx->pages->pl->pages[i].offset;
    if (!cx->pages->done[i] && at >= from && at < to && (best < 0 || at < best)) best = at;
  }
  return best;
}

void epub_pages_at(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, const kmb_node *node, long at,
                   bool tail) {
  if (!cx->pages) return;
  GArray *v = g_hash_table_lookup(cx->pages->by_node, node);
  for (guint k = 0; v && k < v->len; k++) {
    guint i = g_array_index(v, guint, k);
    long off = cx->pages->pl->pages[i].offset;
    if (!cx->pages->done[i] && (off == at || (tail && off >= at))) marker(cx, parent, ops, i);
  }
}

void epub_pages_chapter_end(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, size_t ci) {
  if (!cx->pages) return;
  GArray *v = ci < cx->book->n_chapters ? cx->pages->by_chapter[ci] : NULL;
  for (guint k = 0; v && k < v->len; k++) {
    guint i = g_array_index(v, guint, k);
    if (!cx->pages->done[i]) marker(cx, parent, ops, i);
  }
}

void epub_pages_front(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, kmb_front_doc which) {
  if (!cx->pages) return;
  const kmb_page_list *pl = cx->pages->pl;
  bool any = false;
  for (guint i = 0; i < pl->n; i++) {
    if (cx->pages->done[i] || pl->pages[i].front != which) continue;
    marker(cx, parent, ops, i);
    any = true;
  }
  if (any) epub_nl(parent);
}

static const char *page_file(epub_ctx *cx, const kmb_page_start *ps) {
  switch (ps->front) {
  case KMB_FRONT_COVER: return "cover.xhtml";
  case KMB_FRONT_COLOPHON: return "colophon.xhtml";
  case KMB_FRONT_CONTENTS: return "nav.xhtml";
  default: break;
  }
  size_t ci = ps->chapter >= 0 && (size_t)ps->chapter < cx->book->n_chapters ? (size_t)ps->chapter : 0;
  return epub_chapter_file(cx, ci);
}

void epub_pages_nav(epub_ctx *cx, xmlNodePtr body, xmlNsPtr ops) {
  if (!cx->pages) return;
  const kmb_page_list *pl = cx->pages->pl;
  xmlNodePtr nav = epub_el(body, "nav");
  xmlSetNsProp(nav, ops, X("type"), X("page-list"));
  xmlSetProp(nav, X("id"), X("page-list"));
  xmlSetProp(nav, X("hidden"), X("hidden"));
  epub_nl(nav);
  xmlNodePtr ol = epub_el(nav, "ol");
  epub_nl(ol);
  for (guint i = 0; i < pl->n; i++) {
    const kmb_page_start *ps = &pl->pages[i];
    xmlNodePtr a = epub_el(epub_el(ol, "li"), "a");
    char *id = cx->pages->ids[i] ? g_strdup(cx->pages->ids[i]) : marker_id(cx, ps);
    char *href = g_strdup_printf("%s#%s", page_file(cx, ps), id);
    xmlSetProp(a, X("href"), X(href));
    g_free(href);
    g_free(id);
    epub_text(a, ps->label, strlen(ps->label));
    epub_nl(ol);
  }
  epub_nl(nav);
  epub_nl(body);
}

static void md_meta(xmlNodePtr md, const char *property, const char *value, const char *refines) {
  xmlNodePtr el = epub_el(md, "meta");
  if (refines) xmlSetProp(el, X("refines"), X(refines));
  xmlSetProp(el, X("property"), X(property));
  epub_text(el, value, strlen(value));
  epub_nl(md);
}

void epub_pages_opf_source(epub_ctx *cx, xmlNodePtr md, xmlNsPtr dc) {
  if (!cx->pages || !cx->pages->pl->source) return;
  xmlNodePtr el = xmlNewChild(md, dc, X("source"), NULL);
  xmlSetProp(el, X("id"), X("print-source"));
  const char *src = cx->pages->pl->source;
  epub_text(el, src, strlen(src));
  epub_nl(md);
  /* EPUB 3.3 source-of: the page list comes from this edition */
  md_meta(md, "source-of", "pagination", "#print-source");
}

void epub_pages_opf_features(epub_ctx *cx, xmlNodePtr md) {
  if (!cx->pages) return;
  md_meta(md, "schema:accessibilityFeature", "pageBreakMarkers", NULL);
  md_meta(md, "schema:accessibilityFeature", "pageNavigation", NULL);
  md_meta(md, "schema:accessibilityFeature", "printPageNumbers", NULL);
}
