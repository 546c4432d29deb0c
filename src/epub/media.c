/* Images: typed and sized once by the reader's probe (read/resolve.c:
 * magic bytes, never the file name; one pixel limit for both writers),
 * read once, checked, and listed in the manifest in order of first use. */
#include "epub/epub-imp.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdint.h>
#include <string.h>

/* libxml2 never opens an external entity or DTD for us: a book's SVG
 * must not make kmbook read a file outside the book or the network. */
static xmlParserInputPtr no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
  (void)url, (void)id, (void)ctxt;
  return NULL;
}

static xmlDocPtr parse_svg(const unsigned char *d, size_t len) {
  xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
  xmlSetExternalEntityLoader(no_external);
  xmlDocPtr doc = xmlReadMemory((const char *)d, (int)len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlSetExternalEntityLoader(old);
  return doc;
}

/* A JPEG that decoders accept can still be cut short (libjpeg only warns
 * and fills the rest with grey): require a scan and the end marker. */
static bool jpeg_whole(const unsigned char *d, size_t n) {
  bool sos = false;
  for (size_t i = 2; i + 1 < n && !sos; i++) sos = d[i] == 0xFF && d[i + 1] == 0xDA;
  if (!sos) return false;
  size_t from = n > 1024 ? n - 1024 : 0;
  for (size_t i = n; i-- > from + 1;) {
    if (d[i - 1] == 0xFF && d[i] == 0xD9) return true;
  }
  return false;
}

static uint32_t crc32_png(const unsigned char *d, size_t n) {
  static uint32_t table[256];
  static bool ready;
  if (!ready) {
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    ready = true;
  }
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) c = table[(c ^ d[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

/* gdk-pixbuf accepts a PNG cut short; walk its chunks: every CRC right,
 * and IEND at the end. */
static bool png_whole(const unsigned char *d, size_t n) {
  size_t i = 8;
  while (i + 12 <= n) {
    size_t len = (size_t)d[i] << 24 | (size_t)d[i + 1] << 16 | (size_t)d[i + 2] << 8 | d[i + 3];
    if (len > n - i - 12) return false;
    uint32_t crc = (uint32_t)d[i + 8 + len] << 24 | (uint32_t)d[i + 9 + len] << 16 |
                   (uint32_t)d[i + 10 + len] << 8 | d[i + 11 + len];
    if (crc32_png(d + i + 4, len + 4) != crc) return false;
    if (memcmp(d + i + 4, "IEND", 4) == 0) return true;
    i += 12 + len;
  }
  return false;
}

/* Checks that a PNG, JPEG or GIF decodes completely. Returns NULL if it is
 * sound, else a reason (static or g_malloc'd into *owned). */
static const char *raster_problem(const kmb_image_probe *pr, const unsigned char *d, size_t n,
                                  const char *ext, const char *mt, char **owned) {
  if (!strcmp(ext, "webp")) {
    /* No decoder here: check the RIFF container's length at least. */
    size_t riff = n >= 8 ? ((size_t)d[4] | (size_t)d[5] << 8 | (size_t)d[6] << 16 | (size_t)d[7] << 24) : 0;
    return riff + 8 == n || riff + 9 == n ? NULL : "the WebP file is truncated or damaged";
  }
  /* Rasters above the limit are left out: decoding them to check them would
   * need gigabytes, and reading systems would not show them anyway. */
  if (pr->width <= 0 || pr->height <= 0) return pr->problem ? pr->problem : "its header is damaged";
  if (pr->too_big) {
    *owned = g_strdup_printf("it is too large (%.0f×%.0f pixels; at most %.0f million)", pr->width,
                             pr->height, KMB_IMAGE_MAX_PIXELS / 1e6);
    return *owned;
  }
  if (!strcmp(ext, "jpg") && !jpeg_whole(d, n)) return "it is truncated or damaged (no end marker)";
  if (!strcmp(ext, "png") && !png_whole(d, n)) return "it is truncated or damaged (bad chunk or no end)";
  GError *ge = NULL;
  GdkPixbufLoader *l = gdk_pixbuf_loader_new_with_mime_type(mt, &ge);
  if (!l) {
    g_clear_error(&ge);
    return NULL; /* no decoder for it on this system: the container checks above must do */
  }
  bool ok = gdk_pixbuf_loader_write(l, d, n, &ge);
  if (ok) {
    ok = gdk_pixbuf_loader_close(l, &ge) && gdk_pixbuf_loader_get_pixbuf(l) != NULL;
  } else {
    gdk_pixbuf_loader_close(l, NULL);
  }
  g_object_unref(l);
  if (!ok) {
    *owned = g_strdup_printf("it is damaged or truncated (%s)", ge ? ge->message : "cannot decode");
    g_clear_error(&ge);
    return *owned;
  }
  return NULL;
}

/* --- SVG sanitising --- */

typedef struct {
  GString *removed;
  bool changed;
} svg_clean;

static void removed(svg_clean *sc, const char *what) {
  sc->changed = true;
  if (strstr(sc->removed->str, what)) return;
  if (sc->removed->len) g_string_append(sc->removed, ", ");
  g_string_append(sc->removed, what);
}

static bool outside_ref(const char *v) {
  /* url(...) in a style that is not a same-document fragment */
  for (const char *p = v; (p = strstr(p, "url(")); p += 4) {
    const char *q = p + 4;
    while (*q == ' ' || *q == '"' || *q == '\'') q++;
    if (*q != '#') return true;
  }
  return strstr(v, "@import") != NULL;
}

static void clean_svg_node(svg_clean *sc, xmlNodePtr n) {
  for (xmlNodePtr c = n->children, next; c; c = next) {
    next = c->next;
    if (c->type == XML_ENTITY_REF_NODE || c->type == XML_PI_NODE) {
      removed(sc, c->type == XML_ENTITY_REF_NODE ? "an entity reference" : "a processing instruction");
      xmlUnlinkNode(c);
      xmlFreeNode(c);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE) continue;
    const char *name = (const char *)c->name;
    bool bad_style = false;
    if (!strcmp(name, "style")) {
      xmlChar *css = xmlNodeGetContent(c);
      bad_style = css && outside_ref((const char *)css);
      xmlFree(css);
    }
    if (!strcmp(name, "script") || !strcmp(name, "foreignObject") || bad_style) {
      char what[64];
      snprintf(what, sizeof what, "<%s>", name);
      removed(sc, what);
      xmlUnlinkNode(c);
      xmlFreeNode(c);
      continue;
    }
    for (xmlAttrPtr a = c->properties, anext; a; a = anext) {
      anext = a->next;
      const char *an = (const char *)a->name;
      xmlChar *v = xmlNodeListGetString(c->doc, a->children, 1);
      const char *val = v ? (const char *)v : "";
      bool drop = false;
      if (g_ascii_strncasecmp(an, "on", 2) == 0) {
        drop = true;
        removed(sc, "event handlers");
      } else if (!strcmp(an, "href") || !strcmp(an, "src")) {
        if (val[0] != '#') {
          drop = true;
          char *what = g_strdup_printf("the reference '%.60s'", val);
          removed(sc, what);
          g_free(what);
        }
      } else if (!strcmp(an, "style") || !strcmp(an, "fill") || !strcmp(an, "stroke") ||
                 !strcmp(an, "filter") || !strcmp(an, "mask") || !strcmp(an, "clip-path")) {
        if (outside_ref(val)) {
          drop = true;
          removed(sc, "a url() to an outside resource");
        }
      }
      if (v) xmlFree(v);
      if (drop) xmlRemoveProp(a);
    }
    clean_svg_node(sc, c);
  }
}

/* Makes an SVG self-contained and inert: no DOCTYPE or entities, no
 * scripts, no event handlers, no references outside the file. Returns the
 * bytes to embed (the original ones when nothing had to change). */
static unsigned char *clean_svg(unsigned char *data, size_t *len, GString *what) {
  xmlDocPtr doc = parse_svg(data, *len);
  if (!doc) return data;
  svg_clean sc = {.removed = what};
  if (doc->intSubset || doc->extSubset) {
    removed(&sc, "the DOCTYPE");
    xmlDtdPtr dtd = doc->intSubset;
    if (dtd) {
      xmlUnlinkNode((xmlNodePtr)dtd);
      xmlFreeDtd(dtd);
    }
    doc->intSubset = NULL;
    doc->extSubset = NULL;
  }
  clean_svg_node(&sc, (xmlNodePtr)doc);
  if (sc.changed) {
    g_free(data);
    data = epub_doc_dump(doc, len);
  }
  xmlFreeDoc(doc);
  return data;
}

/* Media type and file extension of a probed format (EPUB core media types). */
static const char *media_type(kmb_image_format f, const char **ext) {
  switch (f) {
  case KMB_IMAGE_PNG: *ext = "png"; return "image/png";
  case KMB_IMAGE_JPEG: *ext = "jpg"; return "image/jpeg";
  case KMB_IMAGE_GIF: *ext = "gif"; return "image/gif";
  case KMB_IMAGE_WEBP: *ext = "webp"; return "image/webp";
  case KMB_IMAGE_SVG: *ext = "svg"; return "image/svg+xml";
  default: *ext = NULL; return NULL;
  }
}

unsigned char *epub_image_load(epub_ctx *cx, const kmb_image_probe *probe, const char *file,
                               const char *url, const char *where, int line, int col,
                               const char *instead, size_t *len_out, const char **mt_out,
                               const char **ext_out) {
  gchar *data = NULL;
  gsize len = 0;
  GError *gerr = NULL;
  if (!g_file_get_contents(file, &data, &len, &gerr)) {
    epub_warn(cx, where, line, col, "image '%s' cannot be read (%s) — %s", url, gerr->message,
              instead);
    g_error_free(gerr);
    return NULL;
  }
  const char *ext = NULL;
  const char *mt = probe ? media_type(probe->format, &ext) : NULL;
  if (!mt) {
    g_free(data);
    epub_warn(cx, where, line, col,
              "image '%s' is not PNG, JPEG, GIF, SVG or WebP — convert it; %s", url, instead);
    return NULL;
  }
  if (strcmp(ext, "svg") == 0) {
    GString *what = g_string_new(NULL);
    data = (gchar *)clean_svg((unsigned char *)data, &len, what);
    bool ok = !what->len || epub_warn(cx, where, line, col,
                                      "SVG image '%s': removed %s — an EPUB keeps every resource "
                                      "inside the book and images inert",
                                      url, what->str);
    g_string_free(what, TRUE);
    if (!ok) {
      g_free(data);
      return NULL;
    }
  } else {
    char *owned = NULL;
    const char *why = raster_problem(probe, (const unsigned char *)data, len, ext, mt, &owned);
    if (why) {
      epub_warn(cx, where, line, col, "image '%s' is left out: %s — %s", url, why, instead);
      g_free(owned);
      g_free(data);
      return NULL;
    }
  }
  *len_out = len;
  *mt_out = mt;
  *ext_out = ext;
  return (unsigned char *)data;
}

epub_item *epub_image(epub_ctx *cx, const kmb_chapter *ch, const kmb_node *n) {
  const kmb_image *im = &n->as.image;
  epub_item *it = g_hash_table_lookup(cx->image_by_path, im->path);
  if (it) return it;
  size_t len = 0;
  const char *mt = NULL, *ext = NULL;
  unsigned char *data =
      epub_image_load(cx, im->probe, im->path, im->url, epub_chapter_path(ch), n->line, n->col,
                      "its alt text is shown instead", &len, &mt, &ext);
  if (!data) return NULL;
  int k = (int)cx->images->len + 1;
  char id[32], href[64];
  snprintf(id, sizeof id, "img%03d", k);
  snprintf(href, sizeof href, "images/img%03d.%s", k, ext);
  it = epub_item_new(id, href, mt);
  it->data = data;
  it->len = len;
  it->compress = strcmp(ext, "svg") == 0; /* the others are compressed already */
  g_ptr_array_add(cx->images, it);
  g_hash_table_insert(cx->image_by_path, (gpointer)im->path, it);
  return it;
}
