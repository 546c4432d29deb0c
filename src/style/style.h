/* The book style shared by both writers: one source (styles/default.ini, a
 * GLib key file) for fonts, sizes, indents and spacing. The EPUB writer turns
 * it into CSS; the PDF writer lays out with it. */
#ifndef KMB_STYLE_H
#define KMB_STYLE_H

#include "base/error.h"
#include <stdbool.h>

/* The PDF design ([pdf] in the style file): every length, ratio and
 * threshold the PDF layout uses. Lengths in pt unless the name says _em
 * (times the size of the text concerned) or the comment says otherwise. */
typedef struct kmb_design {
  /* running heads and folios */
  double furniture_size;   /* pt */
  double furniture_gray;   /* 0 black .. 1 white */
  double head_drop;        /* running head baseline: this fraction of the top margin */
  double folio_rise;       /* folio baseline: this fraction of the bottom margin above the foot */
  double head_rule_drop;   /* pt below the running head's baseline */
  double head_rule_width;  /* pt */
  /* text decorations */
  double note_mark_rise;   /* note reference raised by this many of its line's size */
  double link_rgb[3];      /* link colour */
  double emph_dot_drop;    /* 着重号 centre below the baseline (em) */
  double emph_dot_radius;  /* em */
  double strike_width;     /* em */
  double strike_raise;     /* em above the baseline */
  double dest_raise;       /* a heading's destination this many sizes above its baseline */
  /* contents leaders */
  double leader_pitch_em;
  double leader_radius;    /* pt */
  double leader_raise_em;
  double leader_gray;
} kmb_design;

typedef struct kmb_style {
  /* page (PDF) */
  char paper[32];          /* "a5", "b5", "a4", "letter" or "WxHmm" */
  double page_w, page_h;   /* pt */
  double margin_top, margin_bottom, margin_inner, margin_outer; /* pt (inner/outer are minimums: the
                                                                   text block width is rounded down to
                                                                   whole characters) */
  /* fonts: Pango family names; *_stack: CSS font-family lists for the EPUB */
  char body_family[128], heading_family[128], code_family[128];
  char body_stack[512], heading_stack[512], code_stack[512];
  double body_size;        /* pt */
  double line_height;      /* multiple of body_size */
  double indent_em;        /* first-line indent */
  double para_space_em;    /* extra space between paragraphs (0 for Chinese books) */
  double h_size[7];        /* heading sizes in pt, index 1..6 */
  double code_size;        /* pt */
  double footnote_size;    /* pt */
  double caption_size;     /* pt */
  double blockquote_indent_em;
  /* typography switches (issue 5) */
  bool kinsoku, punct_compress, cjk_latin_space, hanging_punct, no_lonely_char, line_grid,
      total_fit;
  double cjk_latin_gap_em; /* 0.25 */
  kmb_design pdf;          /* [pdf] */
} kmb_style;

/* Fills *st with built-in defaults, then overrides from the key file at
 * `path` (NULL → only defaults). Unknown keys are errors with file:line. */
bool kmb_style_load(kmb_style *st, const char *path, kmb_error *err);
/* Applies a --paper value ("a5", "b5", "a4", "letter", "148x210mm"). */
bool kmb_style_set_paper(kmb_style *st, const char *paper, kmb_error *err);

#endif
