/* Reads an EPUB back and checks its structure with libzip and libxml2:
 * mimetype first, stored, no extra field; every manifest item exists in the
 * archive; every spine item is in the manifest; the nav exists and every
 * link in it (and every internal link or image in the content documents)
 * resolves to a manifest item and, with a fragment, to an element id;
 * every XHTML document parses, carries lang and xml:lang and a title.
 * Shared by the unit test and the `check` command of kmb_epub_test. */
#include "check.h"

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#define X(s) ((const xmlChar *)(s))

typedef struct {
  zip_t *za;
  int failures;
  GString *log;
  GHashTable *docs;     /* zip path → xmlDocPtr (parsed XHTML) */
  GHashTable *manifest; /* zip path → media type */
} checker;

static void fail(checker *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_string_append(c->log, "  FAIL: ");
  g_string_append_vprintf(c->log, fmt, ap);
  g_string_append_c(c->log, '\n');
  va_end(ap);
  c->failures++;
}

static char *read_entry(checker *c, const char *name, size_t *len) {
  zip_stat_t st;
  if (zip_stat(c->za, name, 0, &st) != 0) return NULL;
  zip_file_t *f = zip_fopen(c->za, name, 0);
  if (!f) return NULL;
  char *buf = g_malloc(st.size + 1);
  zip_int64_t n = zip_fread(f, buf, st.size);
  zip_fclose(f);
  if (n != (zip_int64_t)st.size) {
    g_free(buf);
    return NULL;
  }
  buf[st.size] = 0;
  if (len) *len = st.size;
  return buf;
}

static xmlDocPtr read_xml(checker *c, const char *name) {
  size_t len;
  char *data = read_entry(c, name, &len);
  if (!data) return NULL;
  xmlDocPtr d = xmlReadMemory(data, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                            XML_PARSE_NOWARNING);
  g_free(data);
  return d;
}

static xmlXPathObjectPtr xpath(xmlDocPtr d, const char *expr) {
  xmlXPathContextPtr ctx = xmlXPathNewContext(d);
  xmlXPathRegisterNs(ctx, X("h"), X("http://www.w3.org/1999/xhtml"));
  xmlXPathRegisterNs(ctx, X("opf"), X("http://www.idpf.org/2007/opf"));
  xmlXPathRegisterNs(ctx, X("epub"), X("http://www.idpf.org/2007/ops"));
  xmlXPathRegisterNs(ctx, X("c"), X("urn:oasis:names:tc:opendocument:xmlns:container"));
  xmlXPathObjectPtr r = xmlXPathEvalExpression(X(expr), ctx);
  xmlXPathFreeContext(ctx);
  return r;
}

static int nodes(xmlXPathObjectPtr r) {
  return r && r->nodesetval ? r->nodesetval->nodeNr : 0;
}

/* Resolves href relative to the folder of `base` (a zip path). */
static char *resolve(const char *base, const char *href) {
  char *dir = g_path_get_dirname(base);
  char *un = g_uri_unescape_string(href, NULL);
  char *joined = strcmp(dir, ".") == 0 ? g_strdup(un) : g_build_filename(dir, un, NULL);
  char *canon = g_canonicalize_filename(joined, "/");
  g_free(dir);
  g_free(un);
  g_free(joined);
  char *r = g_strdup(canon + 1); /* drop the leading "/" */
  g_free(canon);
  return r;
}

static bool has_id(xmlDocPtr d, const char *id) {
  char *expr = g_strdup_printf("//*[@id='%s']", id);
  xmlXPathObjectPtr r = strchr(id, '\'') ? NULL : xpath(d, expr);
  bool ok = nodes(r) > 0;
  xmlXPathFreeObject(r);
  g_free(expr);
  return ok;
}

/* An href inside the book: file in the manifest, fragment an id in it. */
static void check_link(checker *c, const char *from, const char *href, const char *what) {
  if (g_str_has_prefix(href, "http:") || g_str_has_prefix(href, "https:") ||
      g_str_has_prefix(href, "mailto:"))
    return;
  if (strchr(href, ':') && !strchr(href, '#')) {
    fail(c, "%s: %s '%s' has an unexpected scheme", from, what, href);
    return;
  }
  const char *hash = strchr(href, '#');
  char *file = hash ? g_strndup(href, (gsize)(hash - href)) : g_strdup(href);
  char *target = *file ? resolve(from, file) : g_strdup(from);
  if (!g_hash_table_contains(c->manifest, target)) {
    fail(c, "%s: %s '%s' → '%s' is not in the manifest", from, what, href, target);
  } else if (hash && hash[1]) {
    char *frag = g_uri_unescape_string(hash + 1, NULL);
    xmlDocPtr d = g_hash_table_lookup(c->docs, target);
    if (!d) fail(c, "%s: %s '%s' has a fragment into a non-XHTML file", from, what, href);
    else if (!has_id(d, frag)) fail(c, "%s: %s '%s': no id '%s' in %s", from, what, href, frag, target);
    g_free(frag);
  }
  g_free(file);
  g_free(target);
}

static void check_doc(checker *c, const char *name, xmlDocPtr d, bool is_nav) {
  xmlNodePtr root = xmlDocGetRootElement(d);
  xmlChar *lang = xmlGetProp(root, X("lang"));
  xmlChar *xlang = xmlNodeGetLang(root);
  if (!lang || !*lang) fail(c, "%s: <html> has no lang", name);
  if (!xlang || !*xlang) fail(c, "%s: <html> has no xml:lang", name);
  if (lang && xlang && !xmlStrEqual(lang, xlang)) fail(c, "%s: lang and xml:lang differ", name);
  xmlFree(lang);
  xmlFree(xlang);
  xmlXPathObjectPtr r = xpath(d, "/h:html/h:head/h:title[normalize-space(.)!='']");
  if (nodes(r) != 1) fail(c, "%s: no non-empty <title>", name);
  xmlXPathFreeObject(r);
  r = xpath(d, "//h:a[@href]");
  for (int i = 0; i < nodes(r); i++) {
    xmlChar *href = xmlGetProp(r->nodesetval->nodeTab[i], X("href"));
    check_link(c, name, (const char *)href, is_nav ? "nav link" : "link");
    xmlFree(href);
  }
  xmlXPathFreeObject(r);
  r = xpath(d, "//h:img");
  for (int i = 0; i < nodes(r); i++) {
    xmlNodePtr img = r->nodesetval->nodeTab[i];
    xmlChar *src = xmlGetProp(img, X("src"));
    xmlChar *alt = xmlGetProp(img, X("alt"));
    if (!src || strchr((const char *)src, ':')) fail(c, "%s: image src '%s' is not inside the book", name, src ? (char *)src : "");
    else check_link(c, name, (const char *)src, "image");
    if (!alt) fail(c, "%s: image '%s' has no alt", name, src ? (char *)src : "");
    xmlFree(src);
    xmlFree(alt);
  }
  xmlXPathFreeObject(r);
  /* headings without level jumps */
  r = xpath(d, "//h:h1|//h:h2|//h:h3|//h:h4|//h:h5|//h:h6");
  int prev = 0;
  for (int i = 0; i < nodes(r); i++) {
    int lvl = r->nodesetval->nodeTab[i]->name[1] - '0';
    if (prev && lvl > prev + 1) fail(c, "%s: heading level jumps from h%d to h%d", name, prev, lvl);
    prev = lvl;
  }
  xmlXPathFreeObject(r);
}

int epub_check_file(const char *path, GString *log) {
  checker c = {.log = log};
  int zerr = 0;
  c.za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (!c.za) {
    fail(&c, "cannot open %s as a ZIP (libzip error %d)", path, zerr);
    return c.failures;
  }
  c.docs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)xmlFreeDoc);
  c.manifest = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

  /* mimetype: first, stored, no extra field, exact content */
  zip_stat_t st;
  const char *first = zip_get_name(c.za, 0, 0);
  if (!first || strcmp(first, "mimetype") != 0) fail(&c, "first entry is '%s', not mimetype", first ? first : "");
  else if (zip_stat_index(c.za, 0, 0, &st) != 0 || st.comp_method != ZIP_CM_STORE)
    fail(&c, "mimetype is compressed");
  if (zip_file_extra_fields_count(c.za, 0, ZIP_FL_LOCAL) != 0 ||
      zip_file_extra_fields_count(c.za, 0, ZIP_FL_CENTRAL) != 0)
    fail(&c, "mimetype has an extra field");
  char *mt = read_entry(&c, "mimetype", NULL);
  if (!mt || strcmp(mt, "application/epub+zip") != 0) fail(&c, "mimetype content is wrong");
  g_free(mt);

  xmlDocPtr container = read_xml(&c, "META-INF/container.xml");
  char *opf_path = NULL;
  if (!container) {
    fail(&c, "META-INF/container.xml is missing or not XML");
  } else {
    xmlXPathObjectPtr r = xpath(container, "//c:rootfile/@full-path");
    if (nodes(r) >= 1) {
      xmlChar *v = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
      opf_path = g_strdup((const char *)v);
      xmlFree(v);
    } else {
      fail(&c, "container.xml names no rootfile");
    }
    xmlXPathFreeObject(r);
    xmlFreeDoc(container);
  }
  xmlDocPtr opf = opf_path ? read_xml(&c, opf_path) : NULL;
  if (opf_path && !opf) fail(&c, "package document %s is missing or not XML", opf_path);
  if (opf) {
    xmlXPathObjectPtr items = xpath(opf, "/opf:package/opf:manifest/opf:item");
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    char *nav_path = NULL;
    for (int i = 0; i < nodes(items); i++) {
      xmlNodePtr it = items->nodesetval->nodeTab[i];
      xmlChar *id = xmlGetProp(it, X("id")), *href = xmlGetProp(it, X("href")),
              *type = xmlGetProp(it, X("media-type")), *props = xmlGetProp(it, X("properties"));
      char *zp = resolve(opf_path, (const char *)href);
      if (zip_name_locate(c.za, zp, 0) < 0) fail(&c, "manifest item %s (%s) is not in the archive", id, zp);
      g_hash_table_insert(ids, g_strdup((char *)id), g_strdup(zp));
      g_hash_table_insert(c.manifest, g_strdup(zp), g_strdup((char *)type));
      if (props && strstr((char *)props, "nav")) nav_path = g_strdup(zp);
      if (xmlStrEqual(type, X("application/xhtml+xml"))) {
        xmlDocPtr d = read_xml(&c, zp);
        if (!d) fail(&c, "%s is not well-formed XML", zp);
        else g_hash_table_insert(c.docs, g_strdup(zp), d);
      }
      g_free(zp);
      xmlFree(id);
      xmlFree(href);
      xmlFree(type);
      xmlFree(props);
    }
    xmlXPathFreeObject(items);
    xmlXPathObjectPtr refs = xpath(opf, "/opf:package/opf:spine/opf:itemref/@idref");
    if (nodes(refs) == 0) fail(&c, "the spine is empty");
    for (int i = 0; i < nodes(refs); i++) {
      xmlChar *v = xmlNodeGetContent(refs->nodesetval->nodeTab[i]);
      if (!g_hash_table_contains(ids, v)) fail(&c, "spine item '%s' is not in the manifest", v);
      xmlFree(v);
    }
    xmlXPathFreeObject(refs);
    if (!nav_path) {
      fail(&c, "no manifest item has properties=\"nav\"");
    } else {
      xmlDocPtr nav = g_hash_table_lookup(c.docs, nav_path);
      xmlXPathObjectPtr r = nav ? xpath(nav, "//h:nav[@epub:type='toc']//h:a") : NULL;
      if (nodes(r) == 0) fail(&c, "the nav has no table of contents links");
      xmlXPathFreeObject(r);
    }
    GHashTableIter hi;
    gpointer k, v;
    g_hash_table_iter_init(&hi, c.docs);
    while (g_hash_table_iter_next(&hi, &k, &v)) {
      check_doc(&c, k, v, nav_path && strcmp(k, nav_path) == 0);
    }
    g_free(nav_path);
    g_hash_table_destroy(ids);
    xmlFreeDoc(opf);
  }
  g_free(opf_path);
  g_hash_table_destroy(c.docs);
  g_hash_table_destroy(c.manifest);
  zip_close(c.za);
  return c.failures;
}
