/* The document model shared by every reader and writer.
 *
 * A kmb_book owns one arena holding all nodes, strings and metadata; writers
 * get `const kmb_book *` and never change it. The model includes no library
 * headers (no cmark, libxml2, Pango or cairo). */
#ifndef KMB_DOC_H
#define KMB_DOC_H

#include "base/arena.h"
#include "base/error.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  KMB_NODE_NONE = 0,
  /* blocks */
  KMB_NODE_ROOT,       /* a chapter's body */
  KMB_NODE_HEADING,    /* heading.level as written; heading.out_level, heading.id resolved */
  KMB_NODE_PARAGRAPH,
  KMB_NODE_BLOCKQUOTE,
  KMB_NODE_LIST,       /* list.ordered, list.start, list.tight; children are ITEMs */
  KMB_NODE_ITEM,
  KMB_NODE_CODE_BLOCK, /* literal (ends with '\n'), code.info */
  KMB_NODE_THEMATIC_BREAK,
  KMB_NODE_FIGURE,     /* an image alone in its paragraph: image.*; children = caption inlines (the alt) */
  KMB_NODE_TABLE,      /* table.ncols, table.align; children are TABLE_ROWs, header row first */
  KMB_NODE_TABLE_ROW,  /* row.header */
  KMB_NODE_TABLE_CELL, /* children are inlines */
  KMB_NODE_FOOTNOTE_DEF, /* note.label, note.index; children are blocks */
  KMB_NODE_HTML_BLOCK, /* literal: raw HTML, for writers to sanitise or drop */
  KMB_NODE_CALLOUT,    /* an admonition (`!!! note`, `::: warning`): callout.*; children are blocks */
  KMB_NODE_DIV,        /* a pandoc `::: {.class}` division that is no callout: callout.kind = class */
  /* inlines */
  KMB_NODE_TEXT,       /* literal */
  KMB_NODE_EMPH,
  KMB_NODE_STRONG,
  KMB_NODE_STRIKE,
  KMB_NODE_CODE,       /* literal */
  KMB_NODE_LINK,       /* link.*; children = link text */
  KMB_NODE_IMAGE,      /* image.*; children = alt inlines (an image inside other text) */
  KMB_NODE_SOFTBREAK,  /* a line end that reads as a space (never between two CJK characters) */
  KMB_NODE_LINEBREAK,  /* hard line break */
  KMB_NODE_FOOTNOTE_REF, /* note.label, note.index, note.def */
  KMB_NODE_HTML_INLINE,  /* literal */
  KMB_NODE_RUBY,         /* ruby.rt; children = base segments (TEXT), one per annotation */
  KMB_NODE_TYPE_COUNT
} kmb_node_type;

typedef enum { KMB_ALIGN_NONE, KMB_ALIGN_LEFT, KMB_ALIGN_CENTER, KMB_ALIGN_RIGHT } kmb_align;

typedef struct kmb_node kmb_node;

/* What resolve learnt about an image file without decoding it (magic bytes,
 * header size). One probe per file, shared by every use. */
typedef enum {
  KMB_IMAGE_UNKNOWN = 0, /* not an image kmbook can embed (or unreadable) */
  KMB_IMAGE_PNG,
  KMB_IMAGE_JPEG,
  KMB_IMAGE_GIF,
  KMB_IMAGE_WEBP,
  KMB_IMAGE_SVG,
} kmb_image_format;

typedef struct kmb_image_probe {
  kmb_image_format format;
  double width, height; /* pixels (SVG: its intrinsic size in px); 0 if unknown */
  bool too_big;      /* over KMB_IMAGE_MAX_PIXELS: writers refuse to decode it */
  const char *problem; /* why format is UNKNOWN or the size is missing, or NULL */
} kmb_image_probe;

/* Decoding budget for one raster image (width × height), one for both writers. */
#define KMB_IMAGE_MAX_PIXELS (100.0 * 1000 * 1000)

/* An image reference, resolved by the reader. */
typedef struct kmb_image {
  const char *url;   /* as written in the manuscript */
  const char *title; /* "" if none */
  const char *path;  /* absolute path of a local file inside the book folder; NULL if remote */
  bool remote;       /* http(s)/ftp/data or other URL that cannot be embedded offline */
  const kmb_image_probe *probe; /* local images: format and size (resolve); NULL if remote */
} kmb_image;

/* A link target, resolved by the reader. */
typedef struct kmb_link {
  const char *url;      /* as written */
  const char *title;    /* "" if none */
  int chapter;          /* index of the target chapter for an internal link, else -1 */
  const char *fragment; /* resolved target id inside that chapter ("" = chapter start), or NULL */
  bool unsafe;          /* javascript:, vbscript:, data: and the like: writers drop the href */
} kmb_link;

struct kmb_node {
  kmb_node_type type;
  int line, col; /* 1-based source position in the chapter's file (col in bytes) */
  kmb_node *parent, *first, *last, *prev, *next;
  const char *literal; /* TEXT, CODE, CODE_BLOCK, HTML_*: the text; else NULL */
  size_t len;          /* strlen(literal) */
  union {
    /* level: as written (1..6). out_level: the level both writers use
     * (resolve.c: 1 for the chapter's title heading, else 2..6 without
     * jumps). id: unique in the book, an XML NCName; the EPUB's fragment
     * id and the PDF's named destination. From pandoc attributes
     * (`{#name .en lang=en}`, read/attrs.c): name (a link target too),
     * lang (`lang=` or a language class), else NULL. parallel: the same
     * title in another language, a detached HEADING whose children are its
     * inlines (read/parallel.c), or NULL. */
    struct {
      int level, out_level;
      const char *id, *name, *lang;
      const kmb_node *parallel;
    } heading;
    /* verse: lines joined by hard breaks (read/manuscript.c); writers set
     * it without a first-line indent, one line per line, hanging when a
     * line wraps. attribution: the poet's or source's line of a verse
     * (set smaller, at the right). */
    struct { bool verse, attribution; } para;
    struct { bool ordered, tight; int start; char delim; } list;
    struct { const char *info; } code;
    struct { int ncols; const kmb_align *align; } table;
    struct { bool header; } row;
    struct { const char *label; int index; kmb_node *def; } note; /* index is 1-based, book-wide */
    kmb_link link;
    kmb_image image;
    /* kind: "note", "tip", "warning" ... as written (lower case), or a DIV's
     * class. title: as written, or (resolve) the language's word for the
     * kind; "" = no title shown. id: NCName for aria-labelledby (resolve). */
    struct { const char *kind, *title, *id; bool collapsible, open; } callout;
    /* Ruby (read/ruby.c): rt[i] annotates the i-th child. Mono ruby has one
     * child per base character, group ruby one child for the whole base. */
    struct { const char **rt; int n; } ruby;
  } as;
};

typedef struct kmb_chapter {
  const char *path;  /* absolute path of the source file */
  const char *rel;   /* path relative to the book folder, for messages and dumps */
  const char *id;    /* "ch01", "ch02" ... stable; EPUB file names and PDF destinations */
  const char *title; /* plain text of its opening level-1 heading (or given_title, its first
                        heading, or its number: never its file name) */
  kmb_node *root;    /* KMB_NODE_ROOT */
  const kmb_node *title_heading; /* its first block if that is a heading (out_level 1), or NULL:
                                    writers then give the chapter a contents entry of its own */
  const char *given_title; /* from book.yaml ({file, title}) or the chapter's front matter, or NULL */
} kmb_chapter;

typedef struct kmb_person {
  const char *name;
  const char *role; /* MARC relator code: "aut", "edt", "trl", "ctb", ... */
  const char *file_as; /* sort form, or NULL */
  /* resolved in the book's language: */
  const char *role_name;   /* label on a copyright page: "作者", "讲者", "Editor" */
  const char *role_credit; /* after the name on a title page: "著", "主讲"; may be "" */
} kmb_person;

/* Words kmbook itself sets, in the book's language (one table: read/labels.c). */
typedef struct kmb_labels {
  const char *contents, *cover, *copyright, *bodymatter, *landmarks, *footnotes, *backlink,
      *missing_image, *a11y_summary, *a11y_summary_noalt;
  /* copyright-page field labels */
  const char *title, *publisher, *date, *edition, *source, *rights, *link, *description,
      *identifier;
  const char *sep;      /* between a label and its value: "：" or ": " */
  const char *list_sep; /* between names: "、" or ", " */
  const char *edition_pre, *edition_post; /* around a numeric edition: "第 " " 版" */
  const char *typeset_pre, *typeset_post; /* around the generator's name */
} kmb_labels;

typedef struct kmb_meta_link {
  const char *title;
  const char *url;
} kmb_meta_link;

/* Writing mode (issue: vertical writing). AUTO = not said here; the next
 * source decides (command line > book metadata > style > horizontal). */
typedef enum { KMB_WRITING_AUTO, KMB_WRITING_HORIZONTAL, KMB_WRITING_VERTICAL } kmb_writing;

typedef struct kmb_meta {
  const char *title;
  const char *subtitle;    /* or NULL */
  kmb_person *creators;    /* authors; role defaults to "aut" */
  size_t n_creators;
  kmb_person *contributors; /* role defaults to "ctb" */
  size_t n_contributors;
  const char *lang;        /* BCP 47, e.g. "zh-Hans"; resolve normalises it, default "zh-Hans" */
  const char *identifier;  /* e.g. "urn:uuid:…"; NULL → writers derive one deterministically */
  const char *date;        /* publication date, ISO 8601, or NULL */
  const char *edition;     /* or NULL */
  const char *publisher;   /* or NULL */
  const char *source;      /* where the text comes from, or NULL */
  const char *rights;      /* or NULL */
  const char *description; /* or NULL */
  const char **subjects;   /* keywords */
  size_t n_subjects;
  const char *cover;       /* absolute path of a cover image inside the book folder, or NULL */
  kmb_meta_link *links;    /* related resources (e.g. the lecture video) */
  size_t n_links;
  const char *slug;        /* file-name-safe short name for release artifacts */
  bool keep_indents;       /* `keep-indents: true`: keep the manuscript's own paragraph indents */
  kmb_writing writing;     /* `writing: horizontal|vertical`, or AUTO */
} kmb_meta;

typedef struct kmb_book {
  kmb_arena *arena; /* owns everything below */
  const char *dir;  /* absolute path of the book folder (or of the single file's folder) */
  const char *meta_path; /* file the metadata came from, for messages */
  kmb_meta meta;
  kmb_chapter *chapters;
  size_t n_chapters;
  int n_footnotes;      /* footnote definitions, numbered 1..n across the book */
  long long newest_mtime; /* newest mtime among the inputs (dcterms:modified fallback) */
  /* resolved (read/resolve.c); writers only read these */
  const char *identifier; /* meta.identifier, or one derived from title, authors and lang */
  const char *pango_lang; /* language for Pango's glyph forms: "zh-cn", "zh-tw", "ja" ... */
  const char *pdf_lang;   /* the PDF catalog's /Lang: "zh-CN", "zh-TW", "en" ... */
  const char *lang_note;  /* how the language was found when the metadata gives none, or NULL */
  const kmb_labels *labels;
  const char *edition_text; /* meta.edition as shown ("第 1 版"), or NULL */
  const kmb_image_probe *cover_probe; /* meta.cover's probe, or NULL */
  /* an edition converted with OpenCC (read/convert.c), or both NULL */
  const char *convert;    /* the configuration, e.g. "s2twp" */
  const char *edition_of; /* the identifier of the manuscript's own edition */
  /* HORIZONTAL or VERTICAL once the CLI has resolved it (kmb_book_set_writing);
   * AUTO (books built without the CLI) means horizontal */
  kmb_writing writing;
} kmb_book;

void kmb_book_drop(kmb_book *book);

/* --- building (readers) --- */
kmb_node *kmb_node_new(kmb_arena *a, kmb_node_type type, int line, int col);
void kmb_node_append(kmb_node *parent, kmb_node *child);
void kmb_node_prepend(kmb_node *parent, kmb_node *child); /* child: unlinked */
void kmb_node_unlink(kmb_node *node);
bool kmb_node_is_block(kmb_node_type t);
bool kmb_node_is_inline(kmb_node_type t);
const char *kmb_node_type_name(kmb_node_type t);

/* --- traversal (cmark-style iterator) --- */
typedef enum { KMB_EV_NONE, KMB_EV_ENTER, KMB_EV_EXIT } kmb_event;
typedef struct kmb_iter {
  const kmb_node *root, *cur;
  kmb_event ev;
  bool skip; /* set by kmb_iter_skip */
} kmb_iter;
void kmb_iter_init(kmb_iter *it, const kmb_node *root);
/* Next event; leaf nodes get ENTER only. Returns KMB_EV_NONE at the end. */
kmb_event kmb_iter_next(kmb_iter *it);
/* Skip the children of the node just entered (its EXIT still comes). */
void kmb_iter_skip(kmb_iter *it);
/* Whether any node of the book's chapters, in document order, satisfies
 * match (called with data); NULL-safe. */
bool kmb_book_any(const kmb_book *b, bool (*match)(const kmb_node *n, void *data), void *data);

/* Plain text of a node's inline content (TEXT/CODE literals, soft breaks as
 * spaces), in the arena. */
char *kmb_node_text(kmb_arena *a, const kmb_node *node);

/* --- debugging and tests --- */
/* Stable text dump of the whole book (metadata, chapters, node trees). g_free the result. */
char *kmb_book_dump(const kmb_book *book);
/* Checks tree invariants (parent/sibling links, block/inline nesting). */
bool kmb_book_check(const kmb_book *book, kmb_error *err);

#endif
