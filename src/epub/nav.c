/* Navigation: nav.xhtml (the EPUB 3 table of contents and landmarks, in the
 * book's language), toc.ncx for EPUB 2 reading systems, and cover.xhtml. */
#include "epub/epub-imp.h"

#include <stdio.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

static void attr(xmlNodePtr n, const char *name, const char *value) {
  char *clean = epub_xml_text(value, strlen(value));
  xmlSetProp(n, X(name), X(clean));
  g_free(clean);
}

static epub_item *doc_item(xmlDocPtr doc, const char *id, const char *href, const char *mt) {
  epub_item *it = epub_item_new(id, href, mt);
  it->data = epub_doc_dump(doc, &it->len);
  xmlFreeDoc(doc);
  return it;
}

/* The TOC entries as nested <ol>: levels never jump (clamped if they would). */
static void toc_list(epub_ctx *cx, xmlNodePtr parent) {
  xmlNodePtr ol_at[8] = {0}, li_at[8] = {0};
  ol_at[1] = epub_el(parent, "ol");
  epub_nl(ol_at[1]);
  int cur = 0;
  for (guint k = 0; k < cx->toc->len; k++) {
    const epub_toc_entry *e = cx->toc->pdata[k];
    int lvl = e->level < 1 ? 1 : e->level > 7 ? 7 : e->level;
    if (lvl > cur + 1) lvl = cur + 1;
    if (lvl > cur && cur >= 1) {
      ol_at[lvl] = epub_el(li_at[cur], "ol");
      epub_nl(ol_at[lvl]);
    }
    cur = lvl;
    xmlNodePtr li = epub_el(ol_at[lvl], "li");
    epub_nl(ol_at[lvl]);
    xmlNodePtr a = epub_el(li, "a");
    attr(a, "href", e->href);
    epub_book_text(cx, a, e->text, strlen(e->text)); /* as the chapter's heading */
    li_at[lvl] = li;
  }
}

bool epub_nav_build(epub_ctx *cx) {
  const kmb_labels *L = cx->labels;
  xmlNodePtr body;
  xmlNsPtr ops;
  xmlDocPtr doc = epub_xhtml_new(cx, L->contents, &body, &ops);
  attr(body, "class", "nav");
  epub_pages_front(cx, body, ops, KMB_FRONT_CONTENTS);

  xmlNodePtr nav = epub_el(body, "nav");
  xmlSetNsProp(nav, ops, X("type"), X("toc"));
  attr(nav, "id", "toc");
  attr(nav, "role", "doc-toc");
  attr(nav, "aria-labelledby", "toc-title");
  epub_nl(nav);
  xmlNodePtr h = epub_el(nav, "h1");
  attr(h, "id", "toc-title");
  epub_text(h, L->contents, strlen(L->contents));
  epub_nl(nav);
  toc_list(cx, nav);
  epub_nl(nav);
  epub_nl(body);

  nav = epub_el(body, "nav");
  xmlSetNsProp(nav, ops, X("type"), X("landmarks"));
  attr(nav, "id", "landmarks");
  attr(nav, "hidden", "hidden");
  attr(nav, "aria-labelledby", "landmarks-title");
  epub_nl(nav);
  h = epub_el(nav, "h2");
  attr(h, "id", "landmarks-title");
  epub_text(h, L->landmarks, strlen(L->landmarks));
  epub_nl(nav);
  xmlNodePtr ol = epub_el(nav, "ol");
  epub_nl(ol);
  const struct {
    const char *type, *href, *label;
  } marks[] = {
      {"cover", "cover.xhtml", L->cover},
      {"copyright-page", "colophon.xhtml", L->copyright},
      {"toc", "nav.xhtml#toc", L->contents},
      {"bodymatter", epub_chapter_file(cx, 0), L->bodymatter},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(marks); i++) {
    if (i == 0 && !cx->cover_doc) continue;
    xmlNodePtr li = epub_el(ol, "li");
    xmlNodePtr a = epub_el(li, "a");
    xmlSetNsProp(a, ops, X("type"), X(marks[i].type));
    attr(a, "href", marks[i].href);
    epub_text(a, marks[i].label, strlen(marks[i].label));
    epub_nl(ol);
  }
  epub_nl(nav);
  epub_nl(body);
  epub_pages_nav(cx, body, ops);

  cx->nav = doc_item(doc, "nav", "nav.xhtml", "application/xhtml+xml");
  cx->nav->properties = g_strdup("nav");
  cx->nav->spine = true;
  return true;
}

bool epub_ncx_build(epub_ctx *cx) {
  const kmb_meta *m = &cx->book->meta;
  xmlDocPtr doc = xmlNewDoc(X("1.0"));
  xmlNodePtr ncx = xmlNewDocNode(doc, NULL, X("ncx"), NULL);
  xmlDocSetRootElement(doc, ncx);
  xmlSetNs(ncx, xmlNewNs(ncx, X("http://www.daisy.org/z3986/2005/ncx/"), NULL));
  attr(ncx, "version", "2005-1");
  xmlNodeSetLang(ncx, X(cx->lang));
  epub_nl(ncx);
  xmlNodePtr head = epub_el(ncx, "head");
  epub_nl(head);
  int depth = 1;
  for (guint k = 0; k < cx->toc->len; k++) {
    const epub_toc_entry *e = cx->toc->pdata[k];
    if (e->level > depth) depth = e->level;
  }
  char dstr[16];
  snprintf(dstr, sizeof dstr, "%d", depth);
  const char *metas[][2] = {{"dtb:uid", cx->identifier},
                            {"dtb:depth", dstr},
                            {"dtb:totalPageCount", "0"},
                            {"dtb:maxPageNumber", "0"}};
  for (size_t i = 0; i < G_N_ELEMENTS(metas); i++) {
    xmlNodePtr meta = epub_el(head, "meta");
    attr(meta, "name", metas[i][0]);
    attr(meta, "content", metas[i][1]);
    epub_nl(head);
  }
  epub_nl(ncx);
  xmlNodePtr t = epub_el(epub_el(ncx, "docTitle"), "text");
  const char *title = m->title && *m->title ? m->title : epub_chapter_file(cx, 0);
  epub_text(t, title, strlen(title));
  epub_nl(ncx);
  for (size_t i = 0; i < m->n_creators; i++) {
    if (!m->creators[i].name) continue;
    t = epub_el(epub_el(ncx, "docAuthor"), "text");
    epub_text(t, m->creators[i].name, strlen(m->creators[i].name));
    epub_nl(ncx);
  }
  xmlNodePtr map = epub_el(ncx, "navMap");
  epub_nl(map);
  xmlNodePtr at[9] = {0};
  at[0] = map;
  int cur = 0;
  for (guint k = 0; k < cx->toc->len; k++) {
    const epub_toc_entry *e = cx->toc->pdata[k];
    int lvl = e->level < 1 ? 1 : e->level > 8 ? 8 : e->level;
    if (lvl > cur + 1) lvl = cur + 1;
    cur = lvl;
    xmlNodePtr np = epub_el(at[lvl - 1], "navPoint");
    char id[32], order[16];
    snprintf(id, sizeof id, "np-%u", k + 1);
    snprintf(order, sizeof order, "%u", k + 1);
    attr(np, "id", id);
    attr(np, "playOrder", order);
    xmlNodePtr label = epub_el(epub_el(np, "navLabel"), "text");
    epub_text(label, e->text, strlen(e->text));
    xmlNodePtr content = epub_el(np, "content");
    attr(content, "src", e->href);
    epub_nl(at[lvl - 1]);
    at[lvl] = np;
  }
  epub_nl(ncx);
  cx->ncx = doc_item(doc, "ncx", "toc.ncx", "application/x-dtbncx+xml");
  return true;
}

bool epub_cover_doc_build(epub_ctx *cx) {
  const kmb_meta *m = &cx->book->meta;
  const char *title = m->title && *m->title ? m->title : cx->labels->cover;
  xmlNodePtr body;
  xmlNsPtr ops;
  xmlDocPtr doc = epub_xhtml_new(cx, title, &body, &ops);
  attr(body, "class", "cover");
  xmlSetNsProp(body, ops, X("type"), X("cover"));
  epub_pages_front(cx, body, ops, KMB_FRONT_COVER);
  xmlNodePtr div = epub_el(body, "div");
  attr(div, "class", "cover-image");
  epub_nl(body);
  xmlNodePtr img = epub_el(div, "img");
  attr(img, "src", cx->cover_image->href);
  GString *alt = g_string_new(title);
  if (m->subtitle && *m->subtitle) g_string_append_printf(alt, "%s%s", cx->labels->sep, m->subtitle);
  for (size_t i = 0; i < m->n_creators; i++) {
    if (m->creators[i].name)
      g_string_append_printf(alt, "%s%s", i ? cx->labels->list_sep : " — ", m->creators[i].name);
  }
  attr(img, "alt", alt->str);
  g_string_free(alt, TRUE);
  attr(img, "role", "doc-cover");
  cx->cover_doc = doc_item(doc, "cover", "cover.xhtml", "application/xhtml+xml");
  cx->cover_doc->spine = true;
  return true;
}
