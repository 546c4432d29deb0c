/* Private to the EPUB writer: the state shared by its parts.
 *
 *   epub.c   orchestration: prepass, cover, chapters, nav, package, container
 *   xhtml.c  one XHTML content document per chapter (libxml2 tree API)
 *   html.c   raw HTML from the manuscript: parsed, sanitised, re-serialised
 *   media.c  images: reading (typed by the reader's probe), checks, manifest items
 *   nav.c    nav.xhtml, toc.ncx and cover.xhtml
 *   front.c  the copyright page
 *   opf.c    the package document
 *   css.c    the stylesheet, from styles/epub.css and the kmb_style values
 *   fonts.c  embedded font subsets (--epub-fonts subset), their CSS and licence
 *   pages.c  the print edition's page breaks and the page-list nav (a page list given)
 *   ocf.c    the ZIP container (libzip)
 *
 * "Produce documents" is kept apart from "zip them": every part fills
 * epub_item buffers, and ocf.c only packs what it is given. */
#ifndef KMB_EPUB_IMP_H
#define KMB_EPUB_IMP_H

#include "epub/epub.h"

#include <glib.h>
#include <libxml/tree.h>

#define EPUB_NS_XHTML "http://www.w3.org/1999/xhtml"
#define EPUB_NS_OPS "http://www.idpf.org/2007/ops"
#define EPUB_NS_SVG "http://www.w3.org/2000/svg"
#define EPUB_ROOT "EPUB/" /* folder of the package document inside the container */
#define EPUB_CSS_HREF "css/kmbook.css"
#define EPUB_TOC_DEPTH 3 /* heading levels shown in the table of contents */

/* One manifest item (and one ZIP entry). */
typedef struct epub_item {
  char *id;                /* manifest id */
  char *href;              /* relative to the package document */
  const char *media_type;  /* static string */
  char *properties;        /* NULL or space-separated manifest properties */
  unsigned char *data;     /* g_malloc'd contents, owned; must outlive zip_close */
  size_t len;
  bool compress;           /* deflate (text) or store (already compressed images) */
  bool spine;              /* a content document in reading order */
  bool alt_ok;             /* images: every use had a text alternative */
} epub_item;

/* One table-of-contents entry (nav.xhtml and toc.ncx share them). */
typedef struct epub_toc_entry {
  int level; /* 1-based, without jumps */
  char *href;
  char *text;
} epub_toc_entry;

typedef struct epub_ctx {
  const kmb_book *book;
  const kmb_epub_opts *opts;
  kmb_error *err;
  bool failed;      /* sticky: the first error is in *err */
  kmb_arena *arena; /* scratch strings, dropped with the context */

  /* resolved by the reader (read/resolve.c), copied for brevity */
  const char *lang;       /* BCP 47 */
  const char *identifier; /* dc:identifier */
  const kmb_labels *labels;
  char modified[32];      /* dcterms:modified, UTC */

  epub_item *nav, *ncx, *css, *cover_doc, *cover_image, *colophon;
  GPtrArray *chapters; /* epub_item *, one per chapter, in spine order */
  GPtrArray *images;   /* epub_item *, in order of first use */
  GHashTable *image_by_path; /* absolute path → epub_item * (borrowed) */
  GPtrArray *toc;      /* epub_toc_entry * */
  GPtrArray *fonts;    /* epub_item *, embedded font subsets (empty by default) */
  epub_item *font_licence; /* the OFL text beside them, or NULL */
  char *font_css;      /* their @font-face rules, or NULL */
  unsigned font_roles; /* bit per role (body, heading, code) with an embedded face */

  /* prepass results (heading levels and ids come resolved in the model) */
  GHashTable **ids;        /* per chapter: set of ids used in its document */
  GHashTable *note_chapter; /* footnote def node → GINT_TO_POINTER(chapter index + 1) */
  GHashTable *ref_id;       /* footnote ref node → its id */
  GHashTable *note_backref; /* footnote def node → href of its first reference */

  /* facts for the accessibility metadata */
  int n_images_used;   /* image uses in content (not counting the cover) */
  int n_images_no_alt; /* of those, without a text alternative */
  bool any_svg_inline;

  struct epub_pages *pages; /* the print edition's page starts, or NULL (no page list) */
} epub_ctx;

/* --- epub.c --- */
/* Reports a warning; returns false (and records the error) if the sink turns
 * it into an error (--strict). */
bool epub_warn(epub_ctx *cx, const char *path, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Records an error (first one wins) and returns false. */
bool epub_fail(epub_ctx *cx, kmb_errcode code, const char *path, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Likewise for an error about the EPUB being produced (KMB_ERRF_OUTPUT); path
 * is the file written, or NULL. */
bool epub_fail_output(epub_ctx *cx, kmb_errcode code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
epub_item *epub_item_new(const char *id, const char *href, const char *media_type);
void epub_item_free(gpointer p);
/* Message path of a chapter (relative if known). */
const char *epub_chapter_path(const kmb_chapter *ch);
/* True if s is a valid XML NCName (what EPUBCheck wants for id values). */
bool epub_is_ncname(const char *s);
/* A deterministic NCName form of an id written in the manuscript. */
char *epub_safe_id(kmb_arena *a, const char *raw);
/* Strips characters XML 1.0 cannot carry (C0 controls except tab/LF/CR, U+FFFE/F). */
char *epub_xml_text(const char *s, size_t len);
/* Serialises a document with an XML declaration; the result is g_malloc'd. */
unsigned char *epub_doc_dump(xmlDocPtr doc, size_t *len);
/* Percent-encodes what cannot stand in an href (spaces, controls, non-ASCII). */
char *epub_href_escape(const char *url);

/* --- xhtml.c --- */
/* A new XHTML document with head (title, stylesheet) and an empty body. */
xmlDocPtr epub_xhtml_new(epub_ctx *cx, const char *title, xmlNodePtr *body, xmlNsPtr *ops);
xmlNodePtr epub_el(xmlNodePtr parent, const char *name);
void epub_text(xmlNodePtr parent, const char *s, size_t len);
void epub_book_text(epub_ctx *cx, xmlNodePtr parent, const char *s, size_t len);
/* Whether the book has ruby that xhtml.c sets as ruby.zhuyin (css.c then
 * adds styles/epub-zhuyin.css). */
bool epub_has_zhuyin(epub_ctx *cx);
void epub_nl(xmlNodePtr parent);
/* File name of chapter i inside the package folder ("ch01.xhtml"). */
const char *epub_chapter_file(epub_ctx *cx, size_t i);
/* Chapter i as an XHTML content document (adds its TOC entries and images). */
bool epub_chapter_build(epub_ctx *cx, size_t i);
/* Footnote ids and placement, and per-chapter id sets (for link checks). */
void epub_prepass(epub_ctx *cx);

/* --- html.c --- */
typedef struct epub_html_in {
  epub_ctx *cx;
  size_t chapter;
  xmlNsPtr ops;
  GString *dropped; /* what was removed, for the warning */
  bool in_rp;       /* inside inline <rp>…</rp>, which is left out */
} epub_html_in;
/* Raw HTML block: appends sanitised XHTML to parent; warns about what it drops. */
bool epub_html_block(epub_html_in *h, xmlNodePtr parent, const kmb_node *n);
/* Raw inline HTML. Opening tags push onto stack (returns the new insertion
 * point), closing tags pop; void elements are appended. */
bool epub_html_inline(epub_html_in *h, const kmb_node *n, xmlNodePtr *stack, int *depth,
                      int max_depth);

/* --- media.c --- */
/* Reads and checks an image file typed by its probe (NULL: not probed,
 * refused): rasters must decode, SVGs are made inert. Returns g_malloc'd
 * bytes, or NULL after a warning ending in `instead` (or an error under
 * --strict). */
unsigned char *epub_image_load(epub_ctx *cx, const kmb_image_probe *probe, const char *file,
                               const char *url, const char *where, int line, int col,
                               const char *instead, size_t *len, const char **mt,
                               const char **ext);
/* The manifest item for a local image (read on first use), or NULL with a
 * warning (or error) already reported. */
epub_item *epub_image(epub_ctx *cx, const kmb_chapter *ch, const kmb_node *n);

/* --- nav.c --- */
bool epub_nav_build(epub_ctx *cx);
bool epub_ncx_build(epub_ctx *cx);
bool epub_cover_doc_build(epub_ctx *cx);

/* --- front.c --- */
/* The copyright page (版权信息) from the book's metadata. */
bool epub_colophon_build(epub_ctx *cx);

/* --- opf.c --- */
unsigned char *epub_opf_build(epub_ctx *cx, size_t *len);

/* --- css.c --- */
bool epub_css_build(epub_ctx *cx);
/* The stylesheet text for a style (g_free), from the template at `template_path`. */
char *epub_css_render(const kmb_style *st, const char *template_text);

/* --- fonts.c --- */
/* With --epub-fonts subset: subsets of the faces for the characters of the
 * documents built so far (call after the chapters, nav, cover, colophon). */
bool epub_fonts_build(epub_ctx *cx);
/* Puts the embedded families first in st's font stacks. */
void epub_fonts_style(const epub_ctx *cx, kmb_style *st);

/* --- pages.c (all no-ops without a page list) --- */
bool epub_pages_prepare(epub_ctx *cx);
void epub_pages_free(epub_ctx *cx);
/* Markers of pages that start with node's element, appended to parent. */
void epub_pages_before(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, const kmb_node *node);
/* The first offset in [from, to) of node's text where a page starts, or -1. */
long epub_pages_next(epub_ctx *cx, const kmb_node *node, long from, long to);
/* Markers of pages that start at byte `at` of node's text (from `at` on if
 * tail: past the text's end), appended to parent. */
void epub_pages_at(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, const kmb_node *node, long at,
                   bool tail);
/* At the end of chapter i: pages that start there, and any whose place the
 * chapter did not reach (so that every page-list link has its target). */
void epub_pages_chapter_end(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, size_t i);
/* Front-matter pages that go to document `which`, appended to parent. */
void epub_pages_front(epub_ctx *cx, xmlNodePtr parent, xmlNsPtr ops, kmb_front_doc which);
/* The page-list nav, appended to the nav document's body. */
void epub_pages_nav(epub_ctx *cx, xmlNodePtr body, xmlNsPtr ops);
/* dc:source naming the print edition (the source of the pagination)... */
void epub_pages_opf_source(epub_ctx *cx, xmlNodePtr md, xmlNsPtr dc);
/* ...and the accessibility features the page list gives. */
void epub_pages_opf_features(epub_ctx *cx, xmlNodePtr md);

/* --- ocf.c --- */
/* Packs mimetype, container.xml, the package document and the items into a
 * ZIP in memory; *out is g_malloc'd. */
bool epub_ocf_pack(epub_ctx *cx, const unsigned char *opf, size_t opf_len, unsigned char **out,
                   size_t *out_len);

#endif
