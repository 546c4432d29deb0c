/* Images: read once, typed by their magic bytes (never by the file name),
 * and listed in the manifest in order of first use. */
#include "epub/epub-imp.h"

#include <libxml/parser.h>
#include <string.h>

static bool starts(const unsigned char *d, size_t len, const char *magic, size_t n) {
  return len >= n && memcmp(d, magic, n) == 0;
}

/* An SVG file: XML whose root element is <svg> in the SVG namespace. */
static bool is_svg(const unsigned char *d, size_t len) {
  size_t i = 0;
  if (starts(d, len, "\xEF\xBB\xBF", 3)) i = 3;
  while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) i++;
  if (i >= len || d[i] != '<') return false;
  /* Cheap look first, then a real parse. */
  size_t look = len < 4096 ? len : 4096;
  if (!g_strstr_len((const char *)d, (gssize)look, "<svg")) return false;
  xmlDocPtr doc = xmlReadMemory((const char *)d, (int)len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return false;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  bool ok = root && xmlStrEqual(root->name, (const xmlChar *)"svg") && root->ns &&
            xmlStrEqual(root->ns->href, (const xmlChar *)EPUB_NS_SVG);
  xmlFreeDoc(doc);
  return ok;
}

const char *epub_sniff_image(const unsigned char *d, size_t len, const char **ext) {
  const char *e = NULL, *mt = NULL;
  if (starts(d, len, "\x89PNG\r\n\x1A\n", 8)) e = "png", mt = "image/png";
  else if (starts(d, len, "\xFF\xD8\xFF", 3)) e = "jpg", mt = "image/jpeg";
  else if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6)) e = "gif", mt = "image/gif";
  else if (len >= 12 && starts(d, len, "RIFF", 4) && memcmp(d + 8, "WEBP", 4) == 0)
    e = "webp", mt = "image/webp";
  else if (is_svg(d, len)) e = "svg", mt = "image/svg+xml";
  if (ext) *ext = e;
  return mt;
}

epub_item *epub_image(epub_ctx *cx, const kmb_chapter *ch, const kmb_node *n) {
  const kmb_image *im = &n->as.image;
  epub_item *it = g_hash_table_lookup(cx->image_by_path, im->path);
  if (it) return it;
  const char *path = epub_chapter_path(ch);
  gchar *data = NULL;
  gsize len = 0;
  GError *gerr = NULL;
  if (!g_file_get_contents(im->path, &data, &len, &gerr)) {
    epub_warn(cx, path, n->line, n->col,
              "image '%s' cannot be read (%s) — its alt text is shown instead", im->url,
              gerr->message);
    g_error_free(gerr);
    return NULL;
  }
  const char *ext = NULL;
  const char *mt = epub_sniff_image((const unsigned char *)data, len, &ext);
  if (!mt) {
    g_free(data);
    epub_warn(cx, path, n->line, n->col,
              "image '%s' is not PNG, JPEG, GIF, SVG or WebP — convert it; its alt text is "
              "shown instead",
              im->url);
    return NULL;
  }
  int k = (int)cx->images->len + 1;
  char id[32], href[64];
  snprintf(id, sizeof id, "img%03d", k);
  snprintf(href, sizeof href, "images/img%03d.%s", k, ext);
  it = epub_item_new(id, href, mt);
  it->data = (unsigned char *)data;
  it->len = len;
  it->compress = strcmp(ext, "svg") == 0; /* the others are compressed already */
  g_ptr_array_add(cx->images, it);
  g_hash_table_insert(cx->image_by_path, (gpointer)im->path, it);
  return it;
}
