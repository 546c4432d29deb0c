/* The package document (content.opf): metadata, manifest, spine.
 * The accessibility metadata states only what is true of this book; the
 * facts come from the chapter pass (images and their text alternatives). */
#include "epub/epub-imp.h"

#include <stdio.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))
#define NS_OPF "http://www.idpf.org/2007/opf"
#define NS_DC "http://purl.org/dc/elements/1.1/"

/* W3CDTF as EPUB wants for dc:date: YYYY, YYYY-MM, YYYY-MM-DD, or a date-time. */
static bool valid_date(const char *s) {
  return g_regex_match_simple("^[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
                              "(Z|[+-][0-9]{2}:[0-9]{2}))?)?)?$",
                              s, 0, 0);
}

typedef struct opf {
  epub_ctx *cx;
  xmlNodePtr md;
  xmlNsPtr dc;
} opf;

static void text_node(xmlNodePtr el, const char *s) {
  char *clean = epub_xml_text(s, strlen(s));
  xmlAddChild(el, xmlNewDocText(el->doc, X(clean)));
  g_free(clean);
}

static void attr(xmlNodePtr n, const char *name, const char *value) {
  char *clean = epub_xml_text(value, strlen(value));
  xmlSetProp(n, X(name), X(clean));
  g_free(clean);
}

static xmlNodePtr dc(opf *o, const char *name, const char *value, const char *id) {
  xmlNodePtr el = xmlNewChild(o->md, o->dc, X(name), NULL);
  if (id) attr(el, "id", id);
  text_node(el, value);
  epub_nl(o->md);
  return el;
}

static xmlNodePtr meta(opf *o, const char *property, const char *value, const char *refines) {
  xmlNodePtr el = epub_el(o->md, "meta");
  if (refines) {
    char *r = g_strdup_printf("#%s", refines);
    attr(el, "refines", r);
    g_free(r);
  }
  attr(el, "property", property);
  text_node(el, value);
  epub_nl(o->md);
  return el;
}

static void person(opf *o, const char *elname, const kmb_person *p, int k) {
  if (!p->name || !*p->name) return;
  char id[32];
  snprintf(id, sizeof id, "%s%d", strcmp(elname, "creator") == 0 ? "creator" : "contrib", k);
  dc(o, elname, p->name, id);
  xmlNodePtr r = meta(o, "role", p->role, id); /* resolved: "aut" / "ctb" by default */
  attr(r, "scheme", "marc:relators");
  if (p->file_as && *p->file_as) meta(o, "file-as", p->file_as, id);
  if (strcmp(elname, "creator") == 0) {
    char seq[16];
    snprintf(seq, sizeof seq, "%d", k);
    meta(o, "display-seq", seq, id);
  }
}

static void item(xmlNodePtr manifest, const epub_item *it) {
  xmlNodePtr el = epub_el(manifest, "item");
  attr(el, "id", it->id);
  attr(el, "href", it->href);
  attr(el, "media-type", it->media_type);
  if (it->properties) attr(el, "properties", it->properties);
  epub_nl(manifest);
}

static void itemref(xmlNodePtr spine, const epub_item *it) {
  xmlNodePtr el = epub_el(spine, "itemref");
  attr(el, "idref", it->id);
  epub_nl(spine);
}

unsigned char *epub_opf_build(epub_ctx *cx, size_t *len) {
  const kmb_meta *m = &cx->book->meta;
  xmlDocPtr doc = xmlNewDoc(X("1.0"));
  xmlNodePtr pkg = xmlNewDocNode(doc, NULL, X("package"), NULL);
  xmlDocSetRootElement(doc, pkg);
  xmlSetNs(pkg, xmlNewNs(pkg, X(NS_OPF), NULL));
  attr(pkg, "version", "3.0");
  attr(pkg, "unique-identifier", "bookid");
  xmlNodeSetLang(pkg, X(cx->lang));
  epub_nl(pkg);

  opf o = {.cx = cx};
  o.md = epub_el(pkg, "metadata");
  o.dc = xmlNewNs(o.md, X(NS_DC), X("dc"));
  epub_nl(o.md);
  dc(&o, "identifier", cx->identifier, "bookid");
  const char *title = m->title && *m->title ? m->title : cx->book->chapters[0].title;
  if (!title || !*title) title = "Untitled";
  dc(&o, "title", title, "title");
  meta(&o, "title-type", "main", "title");
  if (m->subtitle && *m->subtitle) {
    dc(&o, "title", m->subtitle, "subtitle");
    meta(&o, "title-type", "subtitle", "subtitle");
  }
  for (size_t i = 0; i < m->n_creators; i++) person(&o, "creator", &m->creators[i], (int)i + 1);
  for (size_t i = 0; i < m->n_contributors; i++)
    person(&o, "contributor", &m->contributors[i], (int)i + 1);
  dc(&o, "language", cx->lang, NULL);
  if (m->date && *m->date) {
    if (valid_date(m->date)) dc(&o, "date", m->date, NULL);
    else if (!epub_warn(cx, cx->book->meta_path, 0, 0,
                        "date '%s' is not YYYY, YYYY-MM or YYYY-MM-DD — left out of the EPUB",
                        m->date))
      goto fail;
  }
  if (m->publisher && *m->publisher) dc(&o, "publisher", m->publisher, NULL);
  if (m->source && *m->source) dc(&o, "source", m->source, NULL);
  /* an OpenCC edition names the manuscript's edition it was made from */
  if (cx->book->edition_of) dc(&o, "source", cx->book->edition_of, NULL);
  epub_pages_opf_source(cx, o.md, o.dc); /* the print edition the page list follows */
  if (m->rights && *m->rights) dc(&o, "rights", m->rights, NULL);
  if (m->description && *m->description) dc(&o, "description", m->description, NULL);
  for (size_t i = 0; i < m->n_subjects; i++) {
    if (m->subjects[i] && *m->subjects[i]) dc(&o, "subject", m->subjects[i], NULL);
  }
  if (m->edition && *m->edition) meta(&o, "schema:bookEdition", m->edition, NULL);
  meta(&o, "dcterms:modified", cx->modified, NULL);

  /* Accessibility metadata (EPUB Accessibility 1.1, schema.org). Every
   * document has text; the cover (and any figure) is an image. */
  bool alt_all = cx->n_images_no_alt == 0;
  meta(&o, "schema:accessMode", "textual", NULL);
  meta(&o, "schema:accessMode", "visual", NULL);
  if (alt_all) meta(&o, "schema:accessModeSufficient", "textual", NULL);
  meta(&o, "schema:accessModeSufficient", "textual,visual", NULL);
  meta(&o, "schema:accessibilityFeature", "structuralNavigation", NULL);
  meta(&o, "schema:accessibilityFeature", "tableOfContents", NULL);
  meta(&o, "schema:accessibilityFeature", "readingOrder", NULL);
  epub_pages_opf_features(cx, o.md);
  if (alt_all) meta(&o, "schema:accessibilityFeature", "alternativeText", NULL);
  meta(&o, "schema:accessibilityFeature", "displayTransformability", NULL);
  meta(&o, "schema:accessibilityFeature", "ARIA", NULL);
  meta(&o, "schema:accessibilityHazard", "none", NULL);
  meta(&o, "schema:accessibilitySummary",
       alt_all ? cx->labels->a11y_summary : cx->labels->a11y_summary_noalt, NULL);
  if (alt_all) {
    /* Met by construction: language, titles, headings without jumps, text
     * alternatives, navigation, reading order, relative sizes. */
    meta(&o, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA", NULL);
    meta(&o, "a11y:certifiedBy",
         cx->opts->generator && *cx->opts->generator ? cx->opts->generator : "kmbook", NULL);
  }
  xmlNodePtr el = epub_el(o.md, "meta");
  attr(el, "name", "cover");
  attr(el, "content", cx->cover_image->id);
  epub_nl(o.md);
  bool vertical = cx->book->writing == KMB_WRITING_VERTICAL;
  if (vertical) {
    /* Kindle's (and KindleGen's) word for a vertical book; EPUB 3 has none:
     * the CSS writing-mode and the spine's direction say it. */
    el = epub_el(o.md, "meta");
    attr(el, "name", "primary-writing-mode");
    attr(el, "content", "vertical-rl");
    epub_nl(o.md);
  }
  if (cx->opts->generator && *cx->opts->generator) {
    el = epub_el(o.md, "meta");
    attr(el, "name", "generator");
    attr(el, "content", cx->opts->generator);
    epub_nl(o.md);
  }
  epub_nl(pkg);

  xmlNodePtr man = epub_el(pkg, "manifest");
  epub_nl(man);
  item(man, cx->nav);
  item(man, cx->ncx);
  item(man, cx->css);
  item(man, cx->cover_doc);
  item(man, cx->cover_image);
  item(man, cx->colophon);
  for (guint i = 0; i < cx->chapters->len; i++) item(man, cx->chapters->pdata[i]);
  for (guint i = 0; i < cx->images->len; i++) item(man, cx->images->pdata[i]);
  for (guint i = 0; i < cx->fonts->len; i++) item(man, cx->fonts->pdata[i]);
  if (cx->font_licence) item(man, cx->font_licence);
  epub_nl(pkg);

  xmlNodePtr spine = epub_el(pkg, "spine");
  attr(spine, "toc", "ncx");
  /* right-bound: pages turn from right to left */
  if (vertical) attr(spine, "page-progression-direction", "rtl");
  epub_nl(spine);
  itemref(spine, cx->cover_doc);
  itemref(spine, cx->colophon);
  itemref(spine, cx->nav);
  for (guint i = 0; i < cx->chapters->len; i++) itemref(spine, cx->chapters->pdata[i]);
  epub_nl(pkg);

  unsigned char *r = epub_doc_dump(doc, len);
  xmlFreeDoc(doc);
  return r;
fail:
  xmlFreeDoc(doc);
  return NULL;
}
