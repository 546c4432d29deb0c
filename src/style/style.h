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

/* [page] writing: the order of model/doc.h's kmb_writing (auto, horizontal,
 * vertical), kept as an int so the style does not depend on the model. */
typedef int kmb_style_writing;

/* The PDF design ([pdf] in the style file, where each key is explained):
 * every length, ratio and threshold the PDF layout uses. The defaults are
 * styles/default.ini itself, built in. */
typedef struct kmb_design {
  double furniture_size;
  double furniture_gray;
  double head_drop;
  double folio_rise;
  double head_rule_drop;
  double head_rule_width;
  double baseline_em;
  double dest_raise;
  double note_mark_scale;
  double note_mark_rise;
  double link_rgb[3];
  double emph_dot_drop;
  double emph_dot_radius;
  double strike_width;
  double strike_raise;
  double ruby_scale;
  double ruby_raise;
  double zhuyin_scale;
  double min_chars;
  double min_rows;
  double min_measure;
  double opening_sink;
  double opening_after;
  double opening_narrow_em;
  double opening_rule_em;
  double opening_rule_width;
  double heading_line_height;
  double heading_space_rows;
  double heading_two_rows_above;
  double block_space_rows;
  double break_rows;
  double break_rule_em;
  double break_rule_width;
  double quote_bar_em;
  double quote_bar_width;
  double quote_bar_gray;
  double list_label_em;
  double list_label_gap_em;
  double code_tab;
  double code_inset_em;
  double code_hang_cols;
  double code_hang_max;
  double code_bg_gray;
  double code_bg_overlap;
  double code_line_height; /* times the code size: the pitch of code lines (rounded to the grid) */
  bool code_line_numbers;
  double table_min_size; /* times body: the smallest type a too-wide table is set in */
  double caption_line_height;
  double caption_narrow_em;
  double figure_gap_rows;
  double figure_free_rows;
  double figure_air_rows;
  double figure_min_scale;
  double spread_short_max;
  double spread_fill_max; /* rows added to one flexible place of a page filled to its facing page */
  double spread_long_max; /* rows both pages of a spread may run past the grid's foot */
  double chapter_end_lines;
  double looseness_max_badness; /* a paragraph re-set a line longer or shorter to even a spread */
  double table_size;
  double table_pad_em;
  double table_pad_max;
  double table_min_col_em;
  double table_keep_rows;
  double table_rule_width;
  double table_head_rule_width;
  double note_line_height;
  double note_max;
  double note_rule_length;
  double note_rule_width;
  double note_sep_rows;
  double note_rule_drop_rows;
  double title_sink;
  double title_scale;
  double title_line_height;
  double subtitle_gap;
  double subtitle_line_height;
  double title_rule_em;
  double title_rule_width;
  double title_rule_drop_em;
  double title_people_gap_em;
  double author_scale;
  double author_line_rows;
  double colophon_line_height;
  double colophon_first;
  double contents_title_rows;
  double contents_first_row;
  double contents_indent_em;
  double contents_page_room_em;
  double contents_leader_gap_em;
  double contents_levels;
  double contents_wrap_indent_em;
  double leader_pitch_em;
  double leader_radius;
  double leader_raise_em;
  double leader_gray;
  double glue_stretch;
  double glue_shrink;
  double glue_cjk_latin_stretch;
  double glue_cjk_latin_shrink;
  double glue_space_stretch;
  double glue_space_shrink;
  double note_mark_ratio;
  double callout_tint;
  double callout_rule_gray;
  double callout_rule_width;
  double callout_inset_em;
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
  /* Latin emphasis: the italic faces of the body and heading text's Latin (the CJK faces have no
     italic, and Han characters are never slanted) */
  char italic_family[128], heading_italic_family[128];
  double body_size;        /* pt */
  double line_height;      /* multiple of body_size */
  double indent_em;        /* first-line indent; < 0: auto, kmb_style_indent_em() */
  double para_space_em;    /* extra space between paragraphs (0 for Chinese books) */
  double h_size[7];        /* heading sizes in pt, index 1..6 */
  double code_size;        /* pt */
  double footnote_size;    /* pt */
  double caption_size;     /* pt */
  double blockquote_indent_em;
  char verse_align[16];    /* verse blocks: "left" (at the margin) or "center" (the block centred) */
  double verse_hang_em;    /* a wrapped verse line's continuation indent */
  /* typography switches (issue 5) */
  bool kinsoku, punct_compress, cjk_latin_space, hanging_punct, no_lonely_char, total_fit;
  bool latin_italic; /* *emphasis* on Latin text in italic_family (issue 14) */
  bool hyphenate;    /* Latin words break at libhyphen's pattern points (issue 14) */
  bool zhuyin_right; /* bopomofo ruby set in a column right of its base (clreq §3.4) */
  bool ruby_overhang; /* Japanese: an annotation wider than its base overhangs kana (jlreq §3.3.6) */
  char latin_quotes[8]; /* “” ‘’ around a Latin-only phrase: "latin" (proportional) or "cjk" */
  double cjk_latin_gap_em; /* 0.25 */
  kmb_style_writing writing; /* 0 auto (the book says), 1 horizontal, 2 vertical */
  double tcy_digits;       /* vertical writing: numbers of up to this many ASCII digits are
                              set across the column in one cell (tate-chu-yoko); 0: none */
  kmb_punct_style punct_style; /* where the book's marks sit, hence what may be compressed */
  kmb_switch para_start_trim;  /* an opening bracket that starts a paragraph loses its blank
                                  half (clreq's option; AUTO: unless marks are centred) */
  kmb_switch line_start_trim;  /* ... and one that starts any other line of it (jlreq §3.1.5,
                                  JIS X 4051's way; AUTO: Japanese only) */
  char line_break[8];          /* "strict": small kana and ー never start a line (jlreq
                                  §3.1.7, books); "normal": they may (CSS line-break) */
  kmb_design pdf;          /* [pdf] */
} kmb_style;

/* Fills *st with the built-in defaults (styles/default.ini, compiled in),
 * then overrides from the key file at `path` (NULL → only defaults).
 * Unknown keys are errors with file:line. */
bool kmb_style_load(kmb_style *st, const char *path, kmb_error *err);
/* The first-line indent in em for a book in `lang` (a BCP 47 tag, may be
 * NULL): the style's, or with indent_em=auto 1 em for Japanese (jlreq
 * §3.1.5 assumes a one-em indent) and 2 em otherwise (clreq's two). */
double kmb_style_indent_em(const kmb_style *st, const char *lang);
/* Applies a --paper value ("a5", "b5", "a4", "letter", "148x210mm"). */
bool kmb_style_set_paper(kmb_style *st, const char *paper, kmb_error *err);

#endif
