/* Front matter the manuscript does not write: the copyright page (版权信息)
 * that shows readers what the package metadata says — title, people with
 * their roles, publisher, date, edition, source, rights, related links and
 * the identifier. Reading systems rarely show dc:rights or dc:source, and a
 * reprinted text must carry them visibly. */
#include "epub/epub-imp.h"

#include <string.h>

#define X(s) ((const xmlChar *)(s))

static void line(epub_ctx *cx, xmlNodePtr parent, const char *label, const char *value) {
  if (!value || !*value) return;
  xmlNodePtr p = epub_el(parent, "p");
  xmlNodePtr l = epub_el(p, "span");
  xmlSetProp(l, X("class"), X("label"));
  epub_text(l, label, strlen(label));
  const char *sep = cx->labels->sep;
  epub_text(p, sep, strlen(sep));
  epub_text(p, value, strlen(value));
  epub_nl(parent);
}

/* "作者：量子位" lines grouped by role, in the order roles first appear
 * (roles and their words are resolved in the model). */
static void people(epub_ctx *cx, xmlNodePtr parent, const kmb_person *ps, size_t n) {
  GPtrArray *seen = g_ptr_array_new();
  for (size_t i = 0; i < n; i++) {
    const char *role = ps[i].role;
    bool done = false;
    for (guint k = 0; k < seen->len; k++) done = done || strcmp(seen->pdata[k], role) == 0;
    if (done || !ps[i].name || !*ps[i].name) continue;
    g_ptr_array_add(seen, (gpointer)role);
    GString *names = g_string_new(NULL);
    for (size_t j = i; j < n; j++) {
      if (strcmp(ps[j].role, role) != 0 || !ps[j].name || !*ps[j].name) continue;
      if (names->len) g_string_append(names, cx->labels->list_sep);
      g_string_append(names, ps[j].name);
    }
    line(cx, parent, ps[i].role_name, names->str);
    g_string_free(names, TRUE);
  }
  g_ptr_array_free(seen, TRUE);
}

bool epub_colophon_build(epub_ctx *cx) {
  const kmb_meta *m = &cx->book->meta;
  const kmb_labels *L = cx->labels;
  const char *heading = L->copyright;
  xmlNodePtr body;
  xmlNsPtr ops;
  xmlDocPtr doc = epub_xhtml_new(cx, heading, &body, &ops);
  xmlSetProp(body, X("class"), X("colophon"));
  epub_pages_front(cx, body, ops, KMB_FRONT_COLOPHON);
  xmlNodePtr sec = epub_el(body, "section");
  epub_nl(body);
  xmlSetNsProp(sec, ops, X("type"), X("copyright-page"));
  xmlSetProp(sec, X("aria-labelledby"), X("colophon-title"));
  epub_nl(sec);
  xmlNodePtr h = epub_el(sec, "h1");
  xmlSetProp(h, X("id"), X("colophon-title"));
  epub_text(h, heading, strlen(heading));
  epub_nl(sec);

  GString *title = g_string_new(m->title ? m->title : "");
  if (m->subtitle && *m->subtitle) g_string_append_printf(title, "%s%s", L->sep, m->subtitle);
  line(cx, sec, L->title, title->str);
  g_string_free(title, TRUE);
  people(cx, sec, m->creators, m->n_creators);
  people(cx, sec, m->contributors, m->n_contributors);
  line(cx, sec, L->publisher, m->publisher);
  line(cx, sec, L->date, m->date);
  line(cx, sec, L->edition, cx->book->edition_text);
  line(cx, sec, L->source, m->source);
  line(cx, sec, L->rights, m->rights);
  for (size_t i = 0; i < m->n_links; i++) {
    const char *url = m->links[i].url;
    if (!url || !(g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"))) continue;
    xmlNodePtr p = epub_el(sec, "p");
    xmlNodePtr l = epub_el(p, "span");
    xmlSetProp(l, X("class"), X("label"));
    epub_text(l, L->link, strlen(L->link));
    epub_text(p, L->sep, strlen(L->sep));
    xmlNodePtr a = epub_el(p, "a");
    char *href = epub_href_escape(url);
    xmlSetProp(a, X("href"), X(href));
    g_free(href);
    const char *t = m->links[i].title && *m->links[i].title ? m->links[i].title : url;
    epub_text(a, t, strlen(t));
    epub_nl(sec);
  }
  line(cx, sec, L->description, m->description);
  line(cx, sec, L->identifier, cx->identifier);
  if (cx->opts->generator && *cx->opts->generator) {
    char *g = g_strconcat(L->typeset_pre, cx->opts->generator, L->typeset_post, NULL);
    xmlNodePtr p = epub_el(sec, "p");
    xmlSetProp(p, X("class"), X("generator"));
    epub_text(p, g, strlen(g));
    epub_nl(sec);
    g_free(g);
  }

  epub_item *it = epub_item_new("colophon", "colophon.xhtml", "application/xhtml+xml");
  it->data = epub_doc_dump(doc, &it->len);
  it->spine = true;
  xmlFreeDoc(doc);
  cx->colophon = it;
  return true;
}
