/* Paragraph breaking: one paragraph of attributed text → lines of positioned
 * glyph runs, justified and compressed per clreq. Layout calls this; the
 * renderer draws each run with pango_cairo_show_glyph_item at
 * (line origin x + run.x, baseline). */
#ifndef KMB_PARA_H
#define KMB_PARA_H

#include "base/error.h"
#include "style/style.h"
#include <pango/pango.h>
#include <stdbool.h>

typedef struct kmb_run {
  PangoGlyphItem *gi; /* owned; glyph geometry already carries justification, compression and
                         CJK–Latin spacing */
  double x;           /* pt from the line's left edge (the first-line indent is included) */
  double width;       /* pt */
} kmb_run;

typedef struct kmb_line {
  kmb_run *runs;
  int n_runs;
  int start, end;         /* byte range of the paragraph text on this line */
  double width;           /* set width in pt (the measure, for justified lines) */
  double ascent, descent; /* pt, over the line's runs */
  bool last;              /* the paragraph's last line (or the last before a hard break) */
} kmb_line;

typedef struct kmb_para {
  kmb_line *lines;
  int n_lines;
  bool loosened; /* set a line longer or shorter, as kmb_para_in.looseness asked */
} kmb_para;

typedef struct kmb_para_in {
  PangoContext *ctx;    /* resolution 72, no glyph-position rounding, the book's language */
  const char *text;     /* UTF-8; '\n' is a forced line break (hard break) */
  int len;              /* bytes */
  PangoAttrList *attrs; /* fonts, sizes, weights per byte range (not modified) */
  double width;         /* measure in pt */
  double indent;        /* first-line indent in pt; negative = hanging indent (the first line
                           starts left of the others; the PDF's wrapped code lines use it with
                           width reduced by the same amount) */
  bool justify;         /* false: ragged right (headings, code, captions) */
  bool code;            /* code: keep spaces, may break anywhere when a line is too long */
  bool wrap_mark;       /* with code (a code block's line): a line that continues on the
                           next ends with a continuation mark (⤵), drawn, not in the text */
  bool ident;           /* table cells: Latin identifiers and paths break after / _ . - :
                           and at camel-case humps before inside a run, never hyphenated */
  bool phrase;          /* headings: break at a space or after CJK punctuation (between
                           phrases); inside a phrase only at a strong penalty */
  const kmb_style *style; /* typography switches (kinsoku, punct_compress, ...) */
  int looseness;        /* +1 / -1: a line more / fewer than the best setting (TeX's
                           \looseness; the page builder evens a spread with it), if one
                           exists with every line's badness within the style's
                           pdf.looseness_max_badness (after the last hard break); 0: none */
  const int *keep;      /* n_keep byte ranges [keep[2i], keep[2i+1]) that are never broken
                           (ruby units), or NULL */
  int n_keep;
} kmb_para_in;

/* An attribute for in->attrs: `pango_units` more advance after each
 * cluster of its range, the glyphs staying where they are (zhuyin: room
 * for the annotation column at the right of its base). Letter spacing, by
 * contrast, keeps the glyphs centred in their wider cells. */
PangoAttribute *kmb_para_space_after_new(int pango_units);

/* Breaks the paragraph into lines. Work is bounded per paragraph (no
 * quadratic blow-up on very long paragraphs). */
bool kmb_para_break(const kmb_para_in *in, kmb_para *out, kmb_error *err);
void kmb_para_clear(kmb_para *p);

#endif
