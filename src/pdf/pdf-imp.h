/* Private to the PDF writer: the layout model (pages of positioned boxes),
 * the vertical list the block builder produces and the paginator consumes,
 * and the functions that pass them along.
 *
 *   blocks.c    model → vertical list of items (lines, spaces, figures, rows)
 *   inline.c    inline nodes → one attributed text per paragraph
 *   text.c      attributed text → lines (kmb_para_break) + font checks
 *   paginate.c  vertical list → pages on the line grid (keeps, widows, floats, notes)
 *   front.c     cover, title, copyright and contents pages
 *   image.c     PNG / JPEG (pass-through) / SVG (vectors) / GIF via gdk-pixbuf,
 *               loaded and decoded into the page model's images
 *   emit.c      pages → the page model (pages.h), furniture included; the
 *               document part (information, outline)
 *   dump.c      the layout's own header and contents for --layout-dump
 *   ../pages.c  the page model and its dump; render/render.c draws it
 *   lang.c      /Lang in the catalog by an incremental update
 *   vertical.c  vertical writing: the page frame, sideways runs, furniture
 */
#ifndef KMB_PDF_IMP_H
#define KMB_PDF_IMP_H

#include "fonts/fonts.h"
#include "pdf/pages.h"
#include "pdf/para.h"
#include "pdf/pdf.h"

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

/* --- images: the page model's (image.c loads them) --- */
typedef kmb_pimage kmb_img;

/* --- spans inside a paragraph's text (links, footnote marks) --- */
typedef enum {
  KMB_SPAN_LINK,
  KMB_SPAN_NOTEREF,
  KMB_SPAN_NOTEBACK,
  KMB_SPAN_STRIKE,
  KMB_SPAN_EMPH, /* 着重号: dots under Han characters */
  KMB_SPAN_RUBY, /* a ruby base segment: rt is set over it, centred on rt_w */
  KMB_SPAN_KEEP, /* a whole ruby unit: never broken across lines */
  KMB_SPAN_TCY,  /* vertical writing: digits set across the column in one cell */
} kmb_span_kind;
typedef struct kmb_span {
  kmb_span_kind kind;
  int start, end;   /* bytes in the paragraph text */
  const char *dest; /* named destination, or NULL */
  const char *uri;  /* external link, or NULL */
  int note;         /* footnote number for NOTEREF */
  const char *rt;   /* RUBY: the annotation */
  double rt_w;      /* RUBY: the segment's natural width in pt (base, spaced if the
                       annotation is wider) */
} kmb_span;

/* Where text of a paragraph comes from (the EPUB's page list, issue 16):
 * from byte off of the paragraph text on, the text is node->literal from
 * node_off on (byte for byte), or, with node_off < 0, stands for node's
 * element (a footnote mark, a callout title, an image). */
typedef struct kmb_anchor {
  int off;
  const kmb_node *node;
  long node_off;
} kmb_anchor;

/* One paragraph's attributed text, as built from inline nodes. */
typedef struct kmb_ptext {
  GString *text;
  PangoAttrList *attrs;
  GArray *spans;    /* kmb_span */
  GArray *srclines; /* pairs (byte offset, source line) */
  GArray *anchors;  /* kmb_anchor, by offset */
  const char *family; /* the family asked for outside code spans */
  double size;        /* the size asked for (ruby measures against it) */
  const char *src;    /* chapter file for messages */
} kmb_ptext;

/* --- boxes on a page, as layout places them; emit.c turns them into the
 * page model --- */
typedef enum {
  KMB_BOX_LINE,  /* a line of text: x = left edge, y = baseline */
  KMB_BOX_RULE,  /* a stroked line from (x,y) to (x+w,y+h), width = lw */
  KMB_BOX_RECT,  /* a filled rectangle */
  KMB_BOX_IMAGE, /* x,y = top left, w×h */
  KMB_BOX_DOTS,  /* leader dots from x to x+w on baseline y */
  KMB_BOX_COVER, /* the whole page: kmb_cover_draw */
} kmb_box_kind;

typedef struct kmb_box kmb_box;
struct kmb_box {
  kmb_box_kind kind;
  double x, y, w, h;
  double lw, gray;          /* rules: line width, gray level (0 black) */
  const kmb_line *line;     /* LINE */
  const char *text;         /* LINE: the paragraph text the runs index into */
  const kmb_span *spans;    /* LINE: the paragraph's spans */
  int n_spans;
  double size;              /* LINE: nominal font size, for superscript rise */
  const kmb_img *img;       /* IMAGE */
  const char *dest;         /* a named destination to set at this box */
  const char *link_dest;    /* the whole box links to this destination (contents entries) */
  kmb_tags tags;
  const char *what;         /* for the dump: "p", "h1", "code", "caption" ... */
  int *notes;               /* LINE: footnote numbers referenced on this line (-1 ended) */
  const char *under;        /* IMAGE, a floating table's top RULE: "hN:dest" of the heading the source puts it under (the dump) */
  bool furniture;           /* outside the structure tree (a table header repeated on a page) */
  const kmb_anchor *anchors; /* LINE: the paragraph's sources; IMAGE: its figure (where pages
                                start, for the EPUB's page list) */
  int n_anchors;
  kmb_box *next;
};

typedef struct kmb_page {
  kmb_page_kind kind;
  int number;         /* physical, 1-based */
  const char *label;  /* "i", "ii", "1" ... */
  bool recto;
  bool opening;       /* chapter-opening page: no running head, no folio */
  int chapter;        /* chapter index for body pages, else -1 */
  const char *head;   /* running head text or NULL */
  const char *folio;  /* page number text or NULL */
  double x0;          /* text block left edge on this page */
  kmb_box *first, *last;
} kmb_page;

/* --- the vertical list --- */
typedef enum {
  KMB_VI_LINE,    /* one line of a paragraph-like block */
  KMB_VI_SPACE,   /* blank grid rows, dropped at a page top */
  KMB_VI_BLOCK,   /* an unbreakable block (heading, figure, table row, rule) */
  KMB_VI_CHAPTER, /* a new chapter starts: new page */
} kmb_vi_kind;

typedef struct kmb_vitem {
  kmb_vi_kind kind;
  int rows;          /* height in grid rows */
  bool keep;         /* no page break after this item */
  bool weak;         /* ...unless no other break is possible (a heading's second line) */
  bool floats;       /* a figure: may move to the next page while text flows on */
  int level;         /* a heading: its level (1 = chapter title); else 0 */
  int section;       /* a figure: the level of the section it is in (1: the chapter's own) */
  double fig_img_h;  /* a figure: its image's height (0: none), and image, gap and */
  double fig_body_h; /* caption together (pt), for scaling it down to stay in its section */
  int head_of;       /* a table's body row: 1 + the vlist index of its header row, or 0 */
  kmb_box *repeat;   /* a table's header row: its boxes again, to repeat on later pages */
  bool opening;      /* chapter title block: sets the page's opening flag */
  int chapter;
  kmb_box *boxes;    /* y relative to the item's top */
  int *notes;        /* footnote numbers referenced (-1 ended) or NULL */
  int toc;           /* 1 + index of the contents entry that starts here, or 0 */
  const char *what;  /* for the dump */
  int para;          /* a body paragraph's line: 1 + the paragraph's number in the chapter */
  signed char decor; /* paginate.c's cache: 0 not yet known, 1 plain, 2 in a callout or quote */
} kmb_vitem;

typedef struct kmb_toc_entry {
  int level;       /* 1 = chapter */
  const char *title;
  const char *dest;
  int chapter;
  int page;        /* index into ctx->pages once paginated */
} kmb_toc_entry;

typedef struct kmb_note {
  int number;
  const char *dest, *back;
  GPtrArray *boxes; /* kmb_box * with y relative to the note top */
  double height;    /* pt */
  int chapter;
  bool endnote;     /* too tall for a page foot: set at the chapter end instead */
} kmb_note;

/* What laying out a chapter carries from one chapter to the next: a chapter
 * is laid out from a state to (pages, state). Laying it out again from the
 * same state gives the same pages. */
typedef struct kmb_lstate {
  int tag_seq;    /* structure element ids handed out so far */
  int keep_lines; /* text lines still to keep with the heading above */
  int body_pages; /* body pages paginated so far */
} kmb_lstate;

typedef struct kmb_pdf_ctx {
  const kmb_book *book;
  const kmb_pdf_opts *opts;
  const kmb_style *st;
  kmb_error *err;
  bool failed;          /* a warning sink asked to stop, or an error */
  kmb_fonts *fonts;
  PangoContext *pc;
  kmb_arena *arena;     /* current layout arena: the chapter's, or perm */
  kmb_arena *perm;      /* what outlives a chapter: destinations, contents, front matter */
  bool replay;          /* laying a chapter out again to render it: its warnings were given */
  /* Looseness (pdf.c loosen): the chapter's body paragraphs in loose (int
   * pairs: 1-based number, lines more: +1 or -1) are asked to be set so;
   * loose_set counts those that were. kmb_paginate leaves the faults
   * spread.c could not mend and the paragraphs on and before the uneven
   * spreads (1-based, nearest first). */
  int para_seq;
  GArray *loose; /* int[2] */
  GPtrArray *loose_kept; /* per chapter: its loose as pass 1 found it (pdf.c), or NULL */
  int loose_set;
  int spread_faults;
  GArray *loose_cands; /* int */
  GPtrArray *paras;     /* kmb_para * to clear at the end */
  GPtrArray *imgs;      /* kmb_img * to release */
  GHashTable *dests;    /* every named destination that exists */
  /* geometry (pt) */
  double page_w, page_h;
  double text_w, text_h;
  double inner, outer, top;
  double pitch;         /* body line pitch = body_size * line_height */
  int rows;             /* grid rows per page */
  double em;            /* body size */
  /* vertical writing (layout/vertical.c): the layout works in the page's
   * vertical frame, where lines run down the columns (x) and follow one
   * another from the right edge leftward (y); page_w/page_h, text_w/text_h,
   * inner/outer and top above are in that frame. Render maps it onto the
   * paper (kmb_ppage.vertical). */
  bool vertical;
  double paper_w, paper_h; /* the physical page */
  double verso_dy;         /* versos: their text block moves this far (the
                              inner margin is on the right of rectos) */
  int tcy_at_least;        /* vertical: numbers of up to this many digits stand
                              across the column whatever tcy_digits says (the
                              contents' page numbers: 3) */
  /* the build */
  GArray *vlist;        /* kmb_vitem */
  GPtrArray *pages;     /* kmb_page * */
  GArray *toc;          /* kmb_toc_entry */
  GPtrArray *notes;     /* kmb_note *, index = number - 1 */
  int chapter;          /* chapter being laid out */
  kmb_lstate ls;        /* carried from chapter to chapter */
  int under_level;      /* the heading figures are under now: its level and destination */
  const char *under_dest;
  const char *contents_dest; /* the contents page's destination, once laid out */
  int n_front;          /* front-matter pages */
  GHashTable *warned;   /* messages already given (one warning per font/char) */
  const kmb_node *anchor_block; /* set: text laid out now stands for this block's element
                                   (a raw HTML block's text, an inline image's alt) */
  GArray *starts;       /* kmb_page_start of the body pages laid out (pass 1), or NULL */
  GHashTable *missing;  /* characters no font has: gathered, warned once each at the end */
} kmb_pdf_ctx;

/* Characters kmbook itself sets besides the book's labels (which come
 * from the resolved book: pdf.c book_chars adds them): separators, bullets,
 * leaders. They must survive font subsetting; keep in sync with front.c
 * and blocks.c. The font check warns if one is missing. */
#define KMB_PDF_OWN_CHARS "——、　•◦▪…·"
/* ...and in a vertical book the corner brackets curly quotes are drawn as
 * (vertical.c), so the subset keeps them and their vertical forms. */
#define KMB_PDF_VERTICAL_CHARS "「」『』"
/* ...and in a book with code: the continuation marks para.c draws (mark_at) */
#define KMB_PDF_CODE_CHARS "\u2935\u21A9"
/* ...and in a book with private-use or supplementary-plane characters: the box
 * that stands for one no font has (text.c box_glyph) */
#define KMB_PDF_BOX_CHAR "\u25A1"

/* pdf.c */
kmb_box *kmb_box_new(kmb_pdf_ctx *c, kmb_box_kind kind);
bool kmb_pdf_warn(kmb_pdf_ctx *c, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *kmb_pdf_dest_for(kmb_pdf_ctx *c, const kmb_link *l);

/* inline.c */
void kmb_ptext_init(kmb_ptext *pt, const char *family, double size, const char *src);
void kmb_ptext_clear(kmb_ptext *pt);
/* Appends text in the current attributes; returns the start offset. */
void kmb_ptext_add_inlines(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *parent);
/* The inline siblings from first up to (not including) stop, or to the end. */
void kmb_ptext_add_inline_run(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_node *first,
                              const kmb_node *stop);
void kmb_ptext_add(kmb_ptext *pt, const char *s, int len, int srcline);
/* What is added next comes from node->literal at node_off (< 0: stands for
 * node's element). */
void kmb_ptext_anchor(kmb_ptext *pt, const kmb_node *node, long node_off);
/* Boxes that stand for node's element (a callout's title lines). */
void kmb_boxes_anchor(kmb_pdf_ctx *c, kmb_box **v, int n, const kmb_node *node);
/* Adds an attribute over [start, end). Takes ownership. */
void kmb_ptext_attr(kmb_ptext *pt, PangoAttribute *a, int start, int end);

/* text.c: breaks an attributed text into lines and returns line boxes (x
 * relative to the measure's left edge, y = 0). Checks the fonts of every run. */
typedef struct kmb_tbreak {
  double width, indent;
  bool justify, code;
  bool wrap_mark; /* code blocks: wrapped lines end with a mark (kmb_para_in.wrap_mark) */
  bool ident;     /* table cells: identifiers break at their parts (kmb_para_in.ident) */
  bool phrase; /* headings: break between phrases (kmb_para_in.phrase) */
  int looseness; /* a line more or fewer (kmb_para_in.looseness) */
  bool words;  /* code breaking for a URL in running text (the colophon): a
                  vertical book still sets its words as text, not turned */
  double size; /* nominal size, for the dump and superscripts */
} kmb_tbreak;
kmb_para *kmb_text_break(kmb_pdf_ctx *c, kmb_ptext *pt, const kmb_tbreak *tb);
/* One warning per character no font had, with its count and first positions; false
 * when --strict refuses it. */
bool kmb_text_warn_missing(kmb_pdf_ctx *c);
/* One line box per line of p, sharing pt's text and spans (copied to the arena). */
kmb_box **kmb_text_boxes(kmb_pdf_ctx *c, kmb_ptext *pt, kmb_para *p, const char *what);
/* Plain one-font text as boxes (front matter, running heads). */
kmb_box **kmb_text_simple(kmb_pdf_ctx *c, const char *text, const char *family, double size,
                          PangoWeight weight, double width, int *n_lines);
double kmb_text_width(kmb_pdf_ctx *c, const char *text, const char *family, double size,
                      PangoWeight weight);

/* zhuyin.c: bopomofo ruby in a column right of its base (style zhuyin_right;
 * which ruby: base/zhuyin.h's kmb_zhuyin_beside): the room it takes after
 * its base (pt, at base size em), and its marks as text boxes. */
double kmb_zhuyin_room(const kmb_design *D, double em);
void kmb_zhuyin_marks(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_box *b, const char *rt,
                      double base_x, double base_w, double em);

/* verse.c: a verse paragraph or its attribution (n->as.para.verse or
 * .attribution) between indents left and right, its boxes tagged `tags`. */
void kmb_layout_verse(kmb_pdf_ctx *c, const kmb_node *n, double left, double right,
                      const kmb_tags *tags);

/* blocks.c: kmb_layout_begin once (destinations, note slots), then
 * kmb_layout_chapter per chapter, appending to c->vlist and c->toc (whose
 * strings go to c->perm). */
void kmb_layout_begin(kmb_pdf_ctx *c);
bool kmb_layout_chapter(kmb_pdf_ctx *c, size_t i);

/* paginate.c: c->vlist (whole chapters) → c->pages, numbered on from
 * c->ls.body_pages; physical numbers start after c->n_front pages. */
bool kmb_paginate(kmb_pdf_ctx *c);
kmb_page *kmb_page_add(kmb_pdf_ctx *c, kmb_page_kind kind);
void kmb_page_put(kmb_page *pg, kmb_box *b);
int kmb_new_tag_id(kmb_pdf_ctx *c);

/* front.c */
bool kmb_layout_front(kmb_pdf_ctx *c);

/* image.c: the image of a figure, or NULL (warned); released by kmb_img_release */
kmb_img *kmb_img_load(kmb_pdf_ctx *c, const kmb_image_probe *probe, const char *path,
                      const char *src, int line);
void kmb_img_release(void *img);

/* emit.c: c->pages → a kmb_pages that takes the chapter's arena, shaped
 * paragraphs and images; c->pages is left for release. */
kmb_pages *kmb_layout_emit(kmb_pdf_ctx *c);
/* A layout for page furniture (running head, folio): the body face at
 * furniture_size, set with `text`, owned by pp. */
PangoLayout *kmb_furniture_layout(kmb_pdf_ctx *c, kmb_pages *pp, const char *text);
/* The document part of the model (in c->perm): page size, information, outline. */
void kmb_layout_doc(kmb_pdf_ctx *c, kmb_pdoc *doc);

/* pagestarts.c: after kmb_paginate (pass 1), where each of c->pages starts
 * in the text, appended to c->starts; once the front matter is laid out
 * (c->pages holds it), the whole book's page list. */
void kmb_starts_chapter(kmb_pdf_ctx *c);
void kmb_starts_finish(kmb_pdf_ctx *c, kmb_page_list *pl);

/* dump.c: the header (geometry) and the contents with their page numbers. */
void kmb_layout_dump_head(kmb_pdf_ctx *c, GString *s);
void kmb_layout_dump_toc(kmb_pdf_ctx *c, GString *s);

/* vertical.c: vertical writing (see kmb_pdf_ctx.vertical) */
void kmb_vertical_geometry(kmb_pdf_ctx *c);
void kmb_vertical_context(PangoContext *pc);
/* Marks the runs of pt set sideways (Latin words, long numbers: gravity
 * SOUTH, rotated 90° clockwise on paper); the rest stays upright. A code
 * block (code) turns whole: a horizontal block turned a quarter. */
void kmb_vertical_attrs(kmb_pdf_ctx *c, kmb_ptext *pt, bool code);
/* The same for a set layout's text (running heads, ruby). */
void kmb_vertical_layout(kmb_pdf_ctx *c, PangoLayout *l);
/* A laid-out page before it becomes the page model: moves a verso's boxes
 * to its margins, and each column onto the middle of its row. */
void kmb_vertical_place(kmb_pdf_ctx *c, kmb_page *pg);
/* A line's run on a vertical page, once emit.c has placed it (emphasis
 * dots and strike-through included): a tate-chu-yoko run is shaped again
 * horizontally and turned to stand across its cell; dots and strike move to
 * the column's side and centre. */
void kmb_vertical_run(kmb_pdf_ctx *c, kmb_pages *pp, const kmb_box *b, kmb_grun *g);
/* A figure's image (may be NULL) as the frame sees it: upright on the
 * paper, so its natural width runs across the columns. */
void kmb_vertical_image(kmb_pdf_ctx *c, kmb_img *img);
/* Running head and folio of a vertical page. */
void kmb_vertical_furniture(kmb_pdf_ctx *c, kmb_pages *pp, kmb_ppage *pg, const kmb_page *src);

/* lang.c: adds /Lang (lang) to the catalog of the PDF at path by an
 * incremental update; deterministic. */
bool kmb_pdf_set_lang(const char *path, const char *lang, bool r2l, kmb_error *err);

#endif
