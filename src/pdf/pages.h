/* The PDF page model: what layout produces and render draws. Every decision
 * is taken before a box gets here (positions, raised note marks, running
 * heads and folios set in their fonts, leader dots counted, destinations
 * placed, colours); render only turns boxes into cairo calls, so it never
 * sees the book, the style or the fonts.
 *
 *   kmb_pdoc   the document: page size, information dictionary, outline,
 *              the font scope SVG text needs
 *   kmb_pages  a run of pages (the front matter, or one chapter): pages of
 *              positioned boxes, in an arena of their own; it owns what the
 *              boxes point to (shaped glyphs, decoded images, layouts) and
 *              kmb_pages_free releases it all
 *
 * A book is rendered as one kmb_pdoc and a sequence of kmb_pages, so that
 * memory does not grow with the book (a chapter's pages are freed once drawn). */
#ifndef KMB_PAGES_H
#define KMB_PAGES_H

#include "base/arena.h"
#include "base/error.h"
#include "base/progress.h"

#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>
#include <stdbool.h>

/* Structure tags: a box belongs to up to KMB_TAG_DEPTH nested elements
 * (lists nest three deep per level: L, LI, LBody). */
#define KMB_TAG_DEPTH 12
typedef struct kmb_tags {
  const char *name[KMB_TAG_DEPTH]; /* "P", "H1", "L", "LI", "LBody", "Table", ... */
  int id[KMB_TAG_DEPTH];           /* element instance; 0 = unused level */
} kmb_tags;

/* A named destination, set where it is (y already clamped to the page). */
typedef struct kmb_pdest {
  const char *name; /* NULL: none */
  double x, y;
} kmb_pdest;

/* One shaped run of a text line, ready to draw. */
typedef struct kmb_grun {
  PangoGlyphItem *gi;      /* owned by the kmb_pages */
  double x, y;             /* pen position: left end on the baseline (raised for note marks) */
  double width;
  double rgb[3];           /* fill colour */
  kmb_pdest dest;          /* set before the run (a note mark's return target) */
  const char *link_dest;   /* the run is a link to a destination... */
  const char *link_uri;    /* ...or to a URI (both NULL: no link) */
  double strike_y, strike_lw; /* strike-through when strike_lw > 0 */
  double strike_w;            /* its length: the run's, less the glue after its text */
  bool turn;               /* tate-chu-yoko: the glyphs are drawn turned a quarter counter-
                              clockwise about (x, y), scaled turn_scale along their line, from
                              (turn_dx, turn_dy) in the turned axes: across a vertical column */
  double turn_scale, turn_dx, turn_dy;
  bool emph;               /* 着重号: dots at dot_x[] on dot_y (filled even if none) */
  int n_dots;
  const double *dot_x;
  double dot_y, dot_r;
} kmb_grun;

typedef enum {
  KMB_PIMG_RASTER, /* cairo_surface_t * (PNG, JPEG pass-through, GIF via gdk-pixbuf) */
  KMB_PIMG_SVG,    /* RsvgHandle *, drawn as vectors */
} kmb_pimage_kind;

typedef struct kmb_pimage {
  kmb_pimage_kind kind;
  const char *path;
  double w, h;  /* natural size in pt (for a vertical page: its frame's, so
                   swapped; the image is drawn upright on the paper) */
  void *handle; /* owned by the kmb_pages that holds the image */
} kmb_pimage;

/* Draws w×h at the origin; false with err set. The cover comes this way: the
 * page model carries how to draw it, render need not know what a book is. */
typedef bool (*kmb_paint_fn)(void *data, cairo_t *cr, double w, double h, kmb_error *err);

typedef enum {
  KMB_PB_LINE,  /* text: runs[] */
  KMB_PB_RULE,  /* stroked from (x,y) to (x+w,y+h), width lw, grey level gray */
  KMB_PB_RECT,  /* filled x,y,w,h in gray */
  KMB_PB_IMAGE, /* img into x,y (top left) w×h (upright on the paper) */
  KMB_PB_DOTS,  /* n dots of radius r, centres x, x+pitch, ... on y, in gray */
  KMB_PB_TEXT,  /* a set Pango layout (running head, folio), top left at x,y, in gray */
  KMB_PB_PAINT, /* paint(paint_data) over w×h at the page origin (the cover) */
} kmb_pbox_kind;

typedef struct kmb_pbox kmb_pbox;
struct kmb_pbox {
  kmb_pbox_kind kind;
  double x, y, w, h;
  double lw, gray;
  kmb_tags tags;         /* id[0] == 0: no element of its own (keeps the open ones) */
  bool furniture;        /* outside the structure tree: closes every open element */
  bool upright;          /* on a vertical page: placed on the paper itself, not in the
                            page's vertical frame (a folio in horizontal digits) */
  kmb_pdest dest;        /* set before the box is drawn */
  const char *link_dest; /* the whole box links here (contents entries) */
  const char *what;      /* "p", "h2", "code", "caption", "head", "folio" ... (the dump) */
  /* LINE: runs index into text; this line is text[start, end) */
  const char *text;
  int start, end;
  double size;           /* nominal font size */
  const kmb_grun *runs;
  int n_runs;
  const int *notes;      /* footnote numbers referenced on the line (-1 ended) or NULL */
  /* IMAGE */
  const kmb_pimage *img;
  const char *under;     /* "hN:dest" of the heading the source puts the figure under (the dump) */
  /* DOTS */
  double pitch, r;
  int n;
  /* TEXT: baseline = y + base */
  PangoLayout *layout;
  double base;
  /* PAINT */
  kmb_paint_fn paint;
  void *paint_data;
  kmb_pbox *next;
};

typedef enum {
  KMB_PAGE_COVER,
  KMB_PAGE_BLANK,
  KMB_PAGE_TITLE,
  KMB_PAGE_COPYRIGHT,
  KMB_PAGE_CONTENTS,
  KMB_PAGE_BODY,
} kmb_page_kind;

typedef struct kmb_ppage {
  kmb_page_kind kind;
  int number;             /* physical, 1-based */
  const char *label;      /* page label: "i", "ii", "1" ... */
  bool recto, opening;
  bool vertical;          /* vertical writing: boxes are placed in the page's vertical
                             frame, x down the column and y leftward from the paper's right
                             edge; render maps (x, y) to (page_w - y, x) on the paper and
                             draws glyphs shaped with vertical gravity upright */
  const char *chapter_id; /* body pages: the chapter's id */
  kmb_pbox *first, *last;
} kmb_ppage;

typedef struct kmb_pages {
  kmb_arena *arena; /* pages, boxes, runs, strings */
  GPtrArray *pages; /* kmb_ppage * in order */
  GArray *owned;    /* what the boxes point into: freed by kmb_pages_free, last first */
} kmb_pages;

/* Takes the arena (NULL: a new one). */
kmb_pages *kmb_pages_new(kmb_arena *arena);
/* pages will free obj with free_fn (e.g. a shaped paragraph, a decoded image). */
void kmb_pages_own(kmb_pages *pages, void *obj, void (*free_fn)(void *));
void kmb_pages_free(kmb_pages *pages);
kmb_ppage *kmb_pages_add(kmb_pages *pages, kmb_page_kind kind);
kmb_pbox *kmb_pbox_add(kmb_pages *pages, kmb_ppage *pg, kmb_pbox_kind kind);

/* --- the document --- */
typedef struct kmb_outline_item {
  const char *title, *dest;
  int parent; /* index of the parent item, -1 at the top */
} kmb_outline_item;

typedef struct kmb_pdoc {
  double page_w, page_h;
  /* the information dictionary (NULL: left out) */
  const char *title, *author, *subject, *keywords, *creator, *date;
  const kmb_outline_item *outline;
  int n_outline;
  /* SVG text is laid out by librsvg through the thread's default font map:
   * render brackets every SVG it draws with these (may be NULL). */
  void *(*font_scope_begin)(void *data);
  void (*font_scope_end)(void *prev);
  void *font_scope_data;
} kmb_pdoc;

/* --- the stable text form (--layout-dump) --- */
void kmb_pages_dump(const kmb_pages *pages, GString *out);
void kmb_pdoc_dump_outline(const kmb_pdoc *doc, GString *out);

/* --- drawing (render.c): open, draw runs of pages in order, close --- */
typedef struct kmb_render_env {
  const kmb_progress *progress; /* may be NULL */
  /* a problem met while drawing (an SVG librsvg cannot draw): false = stop */
  bool (*warn)(void *data, const char *path, const char *msg);
  void *warn_data;
} kmb_render_env;

typedef struct kmb_renderer kmb_renderer;
kmb_renderer *kmb_render_open(const kmb_pdoc *doc, const kmb_render_env *env, const char *path,
                              kmb_error *err);
/* total: pages in the whole document, for progress. The pages may be freed afterwards. */
void kmb_render_pages(kmb_renderer *r, const kmb_pages *pages, int total);
/* Adds the outline, finishes and frees r; false with err set on failure. */
bool kmb_render_close(kmb_renderer *r);

#endif
