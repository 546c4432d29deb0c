/* The book style shared by both writers: one source (styles/default.ini, a
 * GLib key file) for fonts, sizes, indents and spacing. The EPUB writer turns
 * it into CSS; the PDF writer lays out with it. */
#ifndef KMB_STYLE_H
#define KMB_STYLE_H

#include "base/error.h"
#include <stdbool.h>

/* Punctuation style (clreq §3.1.4): zh-Hans fonts put 。，、：；！？ in a
 * corner of the cell, so the blank half can go; zh-Hant/zh-HK fonts centre
 * them, and a centred mark that lost half its cell would touch its
 * neighbour. AUTO follows the book's language. */
typedef enum {
  KMB_PUNCT_AUTO,
  KMB_PUNCT_CORNER,  /* compress pairs and line ends (mainland practice, jlreq) */
  KMB_PUNCT_CENTRED, /* centred marks keep their full cell (Taiwan, Hong Kong) */
} kmb_punct_style;

typedef enum { KMB_SWITCH_AUTO, KMB_SWITCH_ON, KMB_SWITCH_OFF } kmb_switch;

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
  char verse_align[16];    /* verse blocks: "left" (at the margin) or "center" (the block centred) */
  double verse_hang_em;    /* a wrapped verse line's continuation indent */
  /* typography switches (issue 5) */
  bool kinsoku, punct_compress, cjk_latin_space, hanging_punct, no_lonely_char, line_grid,
      total_fit;
  double cjk_latin_gap_em; /* 0.25 */
  kmb_punct_style punct_style; /* where the book's marks sit, hence what may be compressed */
  kmb_switch para_start_trim;  /* an opening bracket that starts a paragraph loses its blank
                                  half (clreq's option; AUTO: unless marks are centred) */
} kmb_style;

/* Fills *st with built-in defaults, then overrides from the key file at
 * `path` (NULL → only defaults). Unknown keys are errors with file:line. */
bool kmb_style_load(kmb_style *st, const char *path, kmb_error *err);
/* Applies a --paper value ("a5", "b5", "a4", "letter", "148x210mm"). */
bool kmb_style_set_paper(kmb_style *st, const char *paper, kmb_error *err);

#endif
