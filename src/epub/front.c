/* Front matter the manuscript does not write: the copyright page (版权信息)
 * that shows readers what the package metadata says — title, people with
 * their roles, publisher, date, edition, source, rights, related links and
 * the identifier. Reading systems rarely show dc:rights or dc:source, and a
 * reprinted text must carry them visibly. */
#include "epub/epub-imp.h"

#include <string.h>

#define X(s) ((const xmlChar *)(s))

typedef struct {
  const char *code, *zh, *en;
} role_name;

static const role_name roles[] = {
    {"aut", "作者", "Author"},         {"edt", "编者", "Editor"},
    {"trl", "译者", "Translator"},     {"spk", "讲者", "Speaker"},
    {"ill", "插图", "Illustrator"},    {"pht", "摄影", "Photographer"},
    {"nrt", "朗读", "Narrator"},       {"com", "编纂", "Compiler"},
    {"ctb", "参与者", "Contributor"},  {"pbl", "出版者", "Publisher"},
    {"cov", "封面设计", "Cover designer"}, {"bkd", "装帧设计", "Book designer"},
};

static bool zh(epub_ctx *cx) {
  return g_ascii_strncasecmp(cx->lang, "zh", 2) == 0;
}

static const char *role_label(epub_ctx *cx, const char *code) {
  for (size_t i = 0; i < G_N_ELEMENTS(roles); i++) {
    if (code && strcmp(roles[i].code, code) == 0) return zh(cx) ? roles[i].zh : roles[i].en;
  }
  return zh(cx) ? "参与者" : "Contributor";
}

static void line(epub_ctx *cx, xmlNodePtr parent, const char *label, const char *value) {
  if (!value || !*value) return;
  xmlNodePtr p = epub_el(parent, "p");
  xmlNodePtr l = epub_el(p, "span");
  xmlSetProp(l, X("class"), X("label"));
  epub_text(l, label, strlen(label));
  const char *sep = zh(cx) ? "：" : ": ";
  epub_text(p, sep, strlen(sep));
  epub_text(p, value, strlen(value));
  epub_nl(parent);
}

/* "量子位（作者）" lines grouped by role, in the order roles first appear. */
static void people(epub_ctx *cx, xmlNodePtr parent, const kmb_person *ps, size_t n,
                   const char *def_role) {
  GPtrArray *seen = g_ptr_array_new();
  for (size_t i = 0; i < n; i++) {
    const char *role = ps[i].role && *ps[i].role ? ps[i].role : def_role;
    bool done = false;
    for (guint k = 0; k < seen->len; k++) done = done || strcmp(seen->pdata[k], role) == 0;
    if (done || !ps[i].name || !*ps[i].name) continue;
    g_ptr_array_add(seen, (gpointer)role);
    GString *names = g_string_new(NULL);
    for (size_t j = i; j < n; j++) {
      const char *rj = ps[j].role && *ps[j].role ? ps[j].role : def_role;
      if (strcmp(rj, role) != 0 || !ps[j].name || !*ps[j].name) continue;
      if (names->len) g_string_append(names, zh(cx) ? "、" : ", ");
      g_string_append(names, ps[j].name);
    }
    line(cx, parent, role_label(cx, role), names->str);
    g_string_free(names, TRUE);
  }
  g_ptr_array_free(seen, TRUE);
}

bool epub_colophon_build(epub_ctx *cx) {
  const kmb_meta *m = &cx->book->meta;
  const bool z = zh(cx);
  const char *heading = z ? (strstr(cx->lang, "Hant") ? "版權資訊" : "版权信息") : "Copyright";
  xmlNodePtr body;
  xmlNsPtr ops;
  xmlDocPtr doc = epub_xhtml_new(cx, heading, &body, &ops);
  xmlSetProp(body, X("class"), X("colophon"));
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
  if (m->subtitle && *m->subtitle) g_string_append_printf(title, "%s%s", z ? "：" : ": ", m->subtitle);
  line(cx, sec, z ? "书名" : "Title", title->str);
  g_string_free(title, TRUE);
  people(cx, sec, m->creators, m->n_creators, "aut");
  people(cx, sec, m->contributors, m->n_contributors, "ctb");
  line(cx, sec, z ? "出版" : "Publisher", m->publisher);
  line(cx, sec, z ? "日期" : "Date", m->date);
  if (m->edition && *m->edition) {
    bool digits = strspn(m->edition, "0123456789") == strlen(m->edition);
    char *ed = z && digits ? g_strdup_printf("第 %s 版", m->edition) : g_strdup(m->edition);
    line(cx, sec, z ? "版次" : "Edition", ed);
    g_free(ed);
  }
  line(cx, sec, z ? "来源" : "Source", m->source);
  line(cx, sec, z ? "版权" : "Rights", m->rights);
  for (size_t i = 0; i < m->n_links; i++) {
    const char *url = m->links[i].url;
    if (!url || !(g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"))) continue;
    xmlNodePtr p = epub_el(sec, "p");
    xmlNodePtr l = epub_el(p, "span");
    xmlSetProp(l, X("class"), X("label"));
    const char *lab = z ? "相关链接" : "Link";
    epub_text(l, lab, strlen(lab));
    epub_text(p, z ? "：" : ": ", strlen(z ? "：" : ": "));
    xmlNodePtr a = epub_el(p, "a");
    char *href = epub_href_escape(url);
    xmlSetProp(a, X("href"), X(href));
    g_free(href);
    const char *t = m->links[i].title && *m->links[i].title ? m->links[i].title : url;
    epub_text(a, t, strlen(t));
    epub_nl(sec);
  }
  line(cx, sec, z ? "简介" : "Description", m->description);
  line(cx, sec, z ? "标识符" : "Identifier", cx->identifier);
  if (cx->opts->generator && *cx->opts->generator) {
    char *g = z ? g_strdup_printf("由 %s 排版生成", cx->opts->generator)
                : g_strdup_printf("Typeset by %s", cx->opts->generator);
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
