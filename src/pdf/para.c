/* Paragraph breaking for the PDF writer (issue 5): attributed text → lines of
 * positioned, justified glyph runs, following clreq.
 *
 * Pipeline (library-facts §2): pango_itemize → pango_get_log_attrs (break
 * opportunities) → pango_shape_item → one "unit" per glyph cluster with a box
 * width and the glue that follows it → a breaker (total-fit over the legal
 * breaks, or first-fit) → each line's slack is put into the glyph geometry
 * (geometry.width of the last glyph of a cluster, x_offset for compressed
 * opening marks), and the line is cut into glyph items of its own.
 *
 * Why the glyph strings are cut here rather than with pango_glyph_item_split:
 * that function memmoves the remainder on every split, which is quadratic on
 * a 100,000-character single-item paragraph.  We copy each line's glyph range
 * once, so building the lines is linear.
 *
 * The typography rules and where they live (each behind its kmb_style flag):
 *   kinsoku (禁则)        prepare(): Pango's UAX #14 breaks, with “ ” ‘ ’ next to
 *                         CJK treated as brackets (UAX #14 glues them to both
 *                         neighbours), minus breaks before line-start-prohibited
 *                         and after line-end-prohibited marks, inside ——/……,
 *                         and between a number and its unit or measure word.
 *   标点挤压              make_glue(): the inner blank of one mark of an adjacent
 *                         pair is removed, using the font's own `halt` metrics
 *                         probed through HarfBuzz (the fonts have no chws).
 *   regional marks        centred_style(): with centred marks (zh-Hant, zh-TW,
 *                         zh-HK by default) a mark whose ink sits in the middle
 *                         of its cell is never compressed — pairs, line ends,
 *                         push-in — since either half it lost would let it touch
 *                         its neighbour; brackets still lose their outer blank.
 *   push-in / push-out    line_fit(): a line that is too long first compresses
 *                         its line-end mark (free: that blank is invisible), then
 *                         shrinks the CJK glue (≤ 0.02 em a gap), then trims every
 *                         mark by ≤ 0.12 em (they stay ≥ 0.85 em), then sets one
 *                         mark at half width; otherwise a character is pushed out
 *                         and the line stretches. The demerits choose.
 *   URLs                  find_urls(), url_break(): a URL in running text may
 *                         break after / . - _ ? & = # ~, as style guides allow,
 *                         and, at a cost, between any two of its characters.
 *   hyphenation           hyphenate_words(): in justified text a Latin word may
 *                         break at libhyphen's pattern points (pdf/hyphen.c; en-US
 *                         for Latin in Chinese), with a hyphen, at a small cost.
 *   long words            emergency_breaks(): a Latin word wider than half the
 *                         line whose pattern points leave 10 letters in a row
 *                         (a German compound) may also break between any two
 *                         letters, with a hyphen, at EMERGENCY_PENALTY, keeping
 *                         2 letters before and 3 after, instead of the line
 *                         before it being spread.
 *   Latin quotes          is_latin_quote_at(): with latin_quotes=latin, “” ‘’ around
 *                         a Latin-only phrase are proportional (pwid) and Latin.
 *   inline code           code_break(), prepare(): a run in a monospaced face
 *                         inside running text breaks only after a space, / or ,
 *                         (never after a hyphen: `diff -r`, `some-dir` stay
 *                         whole), elsewhere only at a cost and with a visible
 *                         continuation mark (code_marks()), instead of
 *                         spreading the line around an unbreakable span
 *                         (code_spread()).
 *   wrapped code lines    code_marks(): with in->wrap_mark (code blocks) every
 *                         line that continues on the next ends with the mark.
 *   identifiers in cells  ident_break(): with in->ident (table cells) a Latin
 *                         token with digits or / _ . - : (libXrender.so.1,
 *                         libpng12-0-32bit) breaks after those marks and at a
 *                         camel-case hump before inside a run of letters, and
 *                         never with a hyphen added.
 *   apostrophes           apostrophe_attrs(), prepare(): U+2019 between Latin
 *                         letters (or after a digit: 1990’s) takes the font's proportional form (pwid) and
 *                         is part of the word, not a Chinese closing quote.
 *   paragraph start       para_start(): an opening bracket that starts a body
 *                         paragraph is set half width (style para_start_trim).
 *   Japanese (jlreq)      with the context's language ja: an opening bracket
 *                         starting any other line is set flush (start_trim(),
 *                         line_start_trim); a middle dot ・：； keeps its
 *                         quarters beside a bracket, which gives up its blank
 *                         instead (make_glue()); a full-width number is kept
 *                         whole (prepare()). line_break=normal lets small kana
 *                         and ー start a line. In every language an ideographic
 *                         space ending a line takes no room (prefix_sums()).
 *   CJK–Latin spacing     make_glue(): ¼ em glue between Han and Latin letters,
 *                         digits and %, or the space there set to ¼ em (never a
 *                         character added); none before a smaller note mark.
 *                         Inline code is Latin whatever its first or last
 *                         character: 汉字`(x)` and printf() get the gap too.
 *   justification         inter-character glue between CJK characters (also in
 *                         mixed lines: spaces do not take all the slack), glue at
 *                         spaces; never by squeezing single marks. Last line and
 *                         ragged text (headings, captions, cells) keep natural
 *                         widths; their rag is still rated so lines come out even.
 *   stretch order         stretch_ratio(), stretch_of(): in jlreq §3.8.4's order,
 *                         the CJK–Latin gaps (to ½ em) and word spaces open
 *                         before the Han characters are spread, then every
 *                         place alike; never the letters of a Latin word
 *                         (clreq §3.2.4). A line too long shrinks the gaps
 *                         towards ⅛ em (§3.8.3; the style stops at 0.15).
 *   no 孤字               lonely(): a near-prohibitive demerit on a last line
 *                         holding one character (first-fit: pull one down).
 *   hanging punctuation   line_fit(): with hanging_punct, a line-end ，。、． hangs
 *                         past the measure instead of being compressed.
 *   Korean words          in_word(): in a Korean paragraph (the context's
 *                         language ko) a word of Hangul, Hanja or Latin letters
 *                         is not broken: lines break at spaces and around
 *                         punctuation (CSS word-break: keep-all); make_glue()
 *                         puts no glue between characters and keeps every
 *                         space a word space, so justification goes into the
 *                         spaces, as Korean is set.
 *   ruby units            keep_whole(): no break inside a range the caller
 *                         keeps whole (a base with its ruby annotation);
 *                         letter_space(): a letter-spacing attribute (a base
 *                         under a wider annotation) widens each cluster, half
 *                         on either side (pango_shape_item ignores it); a
 *                         space-after attribute (zhuyin) widens it on the right.
 *   looseness             loose_fit(): asked (kmb_para_in.looseness) for a line
 *                         more or fewer than the best setting, to even a spread,
 *                         it sets the paragraph so if every line stays within
 *                         the style's pdf.looseness_max_badness; else as before.
 * Work is linear: the active list holds about one line of break positions
 * (kmb_para_last_stats() counts the evaluations for tests).
 */
#include "pdf/para.h"
#include "base/lang.h"
#include "pdf/para-imp.h"
#include "base/utf8.h"
#include "pdf/hyphen.h"

#include <glib.h>
#include <hb.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* statistics for tests                                                    */

static _Thread_local kmb_para_stats last_stats;

kmb_para_stats kmb_para_last_stats(void) {
  return last_stats;
}

/* ---------------------------------------------------------------------- */
/* character classes                                                       */

enum { C_OTHER, C_IDEO, C_PUNCT, C_LATIN, C_SPACE };
enum { P_NONE, P_OPEN, P_CLOSE, P_MIDDLE };

static bool in_set(uint32_t cp, const uint32_t *set) {
  for (; *set; set++)
    if (*set == cp) return true;
  return false;
}

/* clreq / cjk-pdf-check: may not start a line */
static const uint32_t NO_START[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0xFF3D, 0xFF5D, 0x3015,
    0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3019, 0x3017, 0x301F, 0x2019, 0x201D, 0x2026,
    0x2025, 0x30FB, 0x00B7, 0x30FC, 0x3005, 0x303B, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x301C,
    0xFF5E, 0x2010, 0x30A0, 0x2013,
    0x2014, 0x2015, 0x2E3A, 0xFF0E, ',', '.', ';', ':', '?', '!', ')', ']', '}', '%', 0xFF05,
    0x2030, 0x2103, 0x00B0, 0x2032, 0x2033, 0};
/* may not end a line */
static const uint32_t NO_END[] = {0xFF08, 0xFF3B, 0xFF5B, 0x3014, 0x3008, 0x300A, 0x300C,
                                  0x300E, 0x3010, 0x3018, 0x3016, 0x301D, 0x2018, 0x201C,
                                  '(',    '[',    '{',    0xFF04, 0xFFE5, '$',    0x00A3,
                                  0x00A5, 0x20AC, 0};
/* may hang into the margin (style->hanging_punct) */
static const uint32_t HANGABLE[] = {0xFF0C, 0x3002, 0x3001, 0xFF0E, 0};
/* units kept with the number before them ("100 km", "3 GB") */
static const char *const UNITS[] = {"km", "m",  "cm", "mm",  "nm",  "kg", "g",   "mg",  "t",
                                    "KB", "MB", "GB", "TB",  "PB",  "kB", "Hz",  "kHz", "MHz",
                                    "GHz", "ms", "s", "ns",  "us",  "min", "h",  "px",  "pt",
                                    "em", "K",  "W",  "kW",  "MW",  "V",  "A",   "mAh", "dB",
                                    "B",  "M",  "bit", "fps", "FLOPS", NULL};

/* jlreq cl-11 small kana and cl-10 ー (UAX #14 class CJ): Pango keeps them
 * off a line's start (strict, as books do); line_break=normal lets them start
 * one, as newspapers and CSS line-break: normal do. */
static bool is_cj_starter(uint32_t c) {
  static const uint32_t small[] = {0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
                                   0x3087, 0x308E, 0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7,
                                   0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6,
                                   0x30FC, 0};
  return in_set(c, small) || (c >= 0x31F0 && c <= 0x31FF);
}

static bool is_space_cp(uint32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2002 && c <= 0x200A) || c == 0x202F;
}

static bool is_cjk_punct_cp(uint32_t c) {
  if (c >= 0x3000 && c <= 0x303F) return c != 0x3005 && c != 0x3007;
  if (c >= 0xFF00 && c <= 0xFF65) {
    return !((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
             (c >= 0xFF41 && c <= 0xFF5A));
  }
  if (c >= 0xFE30 && c <= 0xFE4F) return true;
  return c == 0x2014 || c == 0x2015 || c == 0x2025 || c == 0x2026 || c == 0x201C ||
         c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x00B7 || c == 0x2E3A ||
         c == 0x30FB;
}

static int classify(uint32_t c) {
  if (is_space_cp(c)) return C_SPACE;
  if (is_cjk_punct_cp(c)) return C_PUNCT;
  if (kmb_is_han(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
      (c >= 0xAC00 && c <= 0xD7AF) || c == 0x3005 || (c >= 0xFF10 && c <= 0xFF5A))
    return C_IDEO;
  /* % and ‰ belong to the number before them: "26% 降到" gets the gap too */
  if (g_unichar_isalnum(c) || c == '%' || c == 0x2030) return C_LATIN;
  return C_OTHER;
}

static bool is_digit_cp(uint32_t c) {
  return c >= '0' && c <= '9';
}

static bool is_fw_digit(uint32_t c) {
  return c >= 0xFF10 && c <= 0xFF19;
}

/* ---------------------------------------------------------------------- */
/* the paragraph as units                                                  */

typedef struct unit {
  int item;           /* index into the shaped items */
  int g0, g1;         /* glyph range [g0, g1) in the item's glyph string */
  int start, end;     /* bytes in in->text */
  int nchars;
  uint32_t first, last; /* first and last code point */
  uint8_t cls, first_cls, pcls;
  uint8_t brk;        /* break before this unit: 0 no, 1 yes, 2 emergency, 3 inside a URL,
                         4 a hyphenation point, 5 inside inline code (with a
                         continuation mark) */
  int hyph;           /* a break after this unit shows a hyphen (or a code
                         continuation mark) this wide (Pango units), or 0 */
  PangoGlyph hyph_glyph;
  uint8_t inrun;      /* ident: a break here is at a camel-case hump (1) or inside a run
                         of letters (2): it costs more than at / _ . - : */
  bool compressed;    /* pair compression applied */
  bool halt;          /* the font's halt shrinks this mark */
  double nat;         /* natural advance (Pango units) */
  double bw;          /* box width after pair compression */
  double xoff;        /* x_offset change from pair compression */
  double halt_dw;     /* advance change that halt would make (<= 0) */
  double halt_dx;     /* x_offset change that halt would make */
  double em;          /* font size (Pango units) */
  double gn, gs, gk;  /* glue after this unit: natural, stretch, shrink */
  double gp;          /* its stretch per unit of ratio past 1 (stretch_ratio()):
                         gs, or the Han glue's for a CJK–Latin gap */
} unit;

typedef struct shaped {
  PangoItem *item;
  PangoGlyphString *glyphs;
  double em;
  bool mono; /* set in a monospaced family */
} shaped;

typedef struct halt_probe {
  PangoFont *font;
  uint32_t cp;
  double dw, dx; /* fractions of the natural advance */
} halt_probe;

typedef struct para {
  const kmb_para_in *in;
  kmb_style st;
  int seg_start, seg_end; /* the segment between hard breaks */
  int loose;              /* lines more (+1) or fewer (-1) asked of this segment (loose_fit) */
  bool loosened;          /* ...and given */
  shaped *items;
  int n_items;
  unit *u;
  int n;
  double *W, *S, *K;  /* prefix sums over units of bw+gn, gs, gk */
  double *P;          /* prefix sums of gp (stretch past ratio 1) */
  int *lastns;        /* lastns[j]: one past the last non-space unit before j */
  int *Q;             /* prefix count of marks that push-in may set at half width */
  double *QW;         /* prefix sum of what that would save */
  bool squeeze_ok;    /* push-in by squeezing isolated marks is allowed */
  GArray *probes;     /* halt_probe cache */
  GArray *hyphens;    /* hyphen_glyph cache */
  GArray *marks;      /* hyphen_glyph cache of code continuation marks */
  bool wrap_mark;     /* code blocks: wrapped lines end with a continuation mark */
  bool ident;         /* table cells: identifiers break at their parts (ident_break) */
  bool code, justify;
  bool centred;       /* punctuation style: centred marks are never compressed */
  bool trim_start;    /* a paragraph's opening bracket loses its blank half */
  bool trim_line;     /* ... and so does one starting any other line (jlreq §3.1.5) */
  bool ja;            /* Japanese: jlreq's middle dots and grouped numerals */
  bool cj_loose;      /* line_break=normal: small kana and ー may start a line */
  bool keep_all;      /* Korean: words are kept whole (in_word) */
} para;

/* ---------------------------------------------------------------------- */
/* halt probing: what the font's `halt` feature does to one mark           */

static void probe_halt(para *p, PangoFont *font, uint32_t cp, double *dw, double *dx) {
  for (guint i = 0; i < p->probes->len; i++) {
    halt_probe *h = &g_array_index(p->probes, halt_probe, i);
    if (h->font == font && h->cp == cp) {
      *dw = h->dw, *dx = h->dx;
      return;
    }
  }
  halt_probe h = {font, cp, 0, 0};
  hb_font_t *hb = font ? pango_font_get_hb_font(font) : NULL;
  if (hb) {
    hb_position_t adv[2] = {0, 0}, off[2] = {0, 0};
    hb_feature_t feat = {HB_TAG('h', 'a', 'l', 't'), 1, 0, (unsigned)-1};
    for (int k = 0; k < 2; k++) {
      hb_buffer_t *b = hb_buffer_create();
      hb_buffer_add_utf32(b, &cp, 1, 0, 1);
      hb_buffer_set_direction(b, HB_DIRECTION_LTR);
      hb_buffer_set_script(b, HB_SCRIPT_HAN);
      /* the book's language (resolved): zh-tw and zh-hk set their own
       * punctuation forms, whose halt widths differ from zh-cn's */
      hb_buffer_set_language(
          b, hb_language_from_string(pango_language_to_string(pango_context_get_language(p->in->ctx)), -1));
      hb_shape(hb, b, k ? &feat : NULL, k ? 1 : 0);
      unsigned n = 0;
      hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &n);
      if (n == 1) adv[k] = pos[0].x_advance, off[k] = pos[0].x_offset;
      hb_buffer_destroy(b);
    }
    if (adv[0] > 0 && adv[1] > 0 && adv[1] < adv[0]) {
      h.dw = (double)(adv[1] - adv[0]) / adv[0];
      h.dx = (double)(off[1] - off[0]) / adv[0];
    }
  }
  g_array_append_val(p->probes, h);
  *dw = h.dw, *dx = h.dx;
}

/* ---------------------------------------------------------------------- */
/* preparation: itemize, break attributes, shape, units                    */

static void free_items(para *p) {
  for (int i = 0; i < p->n_items; i++) {
    pango_item_free(p->items[i].item);
    pango_glyph_string_free(p->items[i].glyphs);
  }
  g_free(p->items);
  p->items = NULL;
  p->n_items = 0;
  g_free(p->u);
  g_free(p->W);
  g_free(p->S);
  g_free(p->K);
  g_free(p->P);
  g_free(p->lastns);
  g_free(p->Q);
  g_free(p->QW);
  p->Q = NULL;
  p->QW = NULL;
  p->u = NULL;
  p->W = p->S = p->K = p->P = NULL;
  p->lastns = NULL;
  p->n = 0;
}

static int cmp_unit_start(const void *a, const void *b) {
  const unit *x = a, *y = b;
  return (x->start > y->start) - (x->start < y->start);
}

/* Is the Latin word starting at byte `at` one of UNITS? */
static bool unit_word_at(const char *text, int at, int end) {
  int e = at;
  while (e < end && g_ascii_isalpha(text[e])) e++;
  if (e == at || (e < end && g_ascii_isalnum(text[e]))) return false;
  for (int k = 0; UNITS[k]; k++) {
    if ((int)strlen(UNITS[k]) == e - at && strncmp(UNITS[k], text + at, e - at) == 0) return true;
  }
  return false;
}

/* U+2019 before a Latin letter, after a letter or a digit (don’t, O’Brien,
 * 1990’s) is an apostrophe, not a Chinese closing quote. */
static bool is_apostrophe_at(const char *text, int at, int s, int e) {
  if (at <= s || at + 3 >= e || g_utf8_get_char(text + at) != 0x2019) return false;
  const char *prev = g_utf8_find_prev_char(text + s, text + at);
  return prev && kmb_is_apostrophe_between(g_utf8_get_char(prev), g_utf8_get_char(text + at + 3));
}

/* A character of a Latin-only phrase: Latin letters and digits, ASCII
 * punctuation and spaces, and apostrophes — nothing CJK. */
static bool latin_phrase_char(gunichar ch) {
  return (ch >= 0x20 && ch < 0x7F) || kmb_is_latin_letter(ch) || ch == 0x2019;
}

/* Style latin_quotes=latin: “ and ‘ opening, ” and ’ closing a phrase of
 * Latin text only (“Hello, world”, at most 200 bytes, a letter in it) are
 * Latin quotes, set proportional and kept with the Latin text (the
 * CJK–Latin gap goes outside them). With cjk (the default) they stay
 * full-width Chinese marks, as around Chinese text always. */
static bool is_latin_quote_at(const kmb_para_in *in, int at, int s, int e) {
  if (!in->style || strcmp(in->style->latin_quotes, "latin") != 0 || at + 3 > e) return false;
  const char *text = in->text;
  gunichar q = g_utf8_get_char(text + at);
  gunichar open = q == 0x201D ? 0x201C : q == 0x2019 ? 0x2018 : q;
  gunichar close = open == 0x201C ? 0x201D : 0x2019;
  if (open != 0x201C && open != 0x2018) return false;
  if (q == 0x2019 && is_apostrophe_at(text, at, s, e)) return false;
  bool letter = false;
  if (q == open) { /* scan forward to the closing mark */
    for (int k = at + 3; k < e && k < at + 200;) {
      gunichar ch = g_utf8_get_char(text + k);
      if (ch == close && !(close == 0x2019 && is_apostrophe_at(text, k, s, e))) return letter;
      if (!latin_phrase_char(ch)) return false;
      letter = letter || kmb_is_latin_letter(ch);
      k = (int)(g_utf8_next_char(text + k) - text);
    }
    return false;
  }
  for (int k = at; k > s && k > at - 200;) { /* a closing mark: back to the opening one */
    const char *prev = g_utf8_find_prev_char(text + s, text + k);
    if (!prev) return false;
    k = (int)(prev - text);
    gunichar ch = g_utf8_get_char(prev);
    if (ch == open) return letter;
    if (!latin_phrase_char(ch)) return false;
    letter = letter || kmb_is_latin_letter(ch);
  }
  return false;
}

/* Apostrophes: the CJK fonts draw U+2019 full width for Chinese; `pwid`
 * gives their proportional glyph, the width the Latin word needs (and Latin
 * quotes theirs). Returns a new attribute list, or NULL when the segment has
 * neither. */
static PangoAttrList *apostrophe_attrs(const kmb_para_in *in, int s, int e) {
  PangoAttrList *al = NULL;
  for (const char *q = in->text + s; (q = memchr(q, 0xE2, (size_t)(in->text + e - q))); q++) {
    int at = (int)(q - in->text);
    if (!is_apostrophe_at(in->text, at, s, e) && !is_latin_quote_at(in, at, s, e)) continue;
    if (!al) al = in->attrs ? pango_attr_list_copy(in->attrs) : pango_attr_list_new();
    PangoAttribute *a = pango_attr_font_features_new("pwid");
    a->start_index = (guint)at;
    a->end_index = (guint)at + 3;
    pango_attr_list_insert(al, a);
  }
  return al;
}

/* URLs in running text: [start, end) byte ranges of the segment that are a
 * URL (scheme:// or www. up to a space, a CJK character or a quote), start
 * after the scheme. */
static GArray *find_urls(const char *text, int s, int e) {
  GArray *r = g_array_new(FALSE, FALSE, sizeof(int));
  static const char *const starts[] = {"https://", "http://", "ftp://", "www."};
  for (int i = s; i < e; i++) {
    int hit = 0;
    for (size_t k = 0; k < G_N_ELEMENTS(starts) && !hit; k++) {
      int n = (int)strlen(starts[k]);
      if (i + n <= e && g_ascii_strncasecmp(text + i, starts[k], (size_t)n) == 0 &&
          (i == s || !g_ascii_isalnum(text[i - 1])))
        hit = n;
    }
    if (!hit) continue;
    int j = i + hit;
    while (j < e && (unsigned char)text[j] > ' ' && (unsigned char)text[j] < 0x80 &&
           !strchr("\"'<>`", text[j]))
      j++;
    int from = i + hit; /* never inside the scheme: no "htt|ps://" */
    g_array_append_val(r, from);
    g_array_append_val(r, j);
    i = j;
  }
  return r;
}

/* A break inside a URL: after / . - _ ? & = # ~ (not inside "//" or
 * before one), so that a long address wraps at its parts instead of
 * leaving a short line or spreading the Chinese text before it. */
static bool url_break(uint32_t before, uint32_t after) {
  if (!before || !strchr("/.-_?&=#~", (int)before)) return false;
  return after != '/' && !strchr(".-_?&=#~", (int)after);
}

/* Inline code: set in a monospaced face inside running text (the same test
 * as the CJK–Latin gap's, so the two rules agree on what is code). */
static bool inline_code(const para *p, const unit *u) {
  return !p->code && p->items[u->item].mono;
}

/* A break inside inline code: after a space, a slash or a comma; never
 * after a hyphen (`diff -r`, `some-dir`, `${2:-logfile}`: a line-end hyphen
 * reads as a soft one, and the text layer would say "diff r"). Returns 1 for
 * a break, 4 for a fallback point (any other character boundary, at a cost,
 * with a continuation mark), 0 for none (before a space: the space ends the
 * line). */
static int code_break(const unit *v, const unit *u) {
  if (v->last == '-') return 0;
  if (v->cls == C_SPACE || v->last == '/' || v->last == ',') return u->first_cls == C_SPACE ? 0 : 1;
  return u->first_cls == C_SPACE ? 0 : 5;
}

/* The Latin token (a run of printable ASCII: Chinese text right after the
 * code is not part of it) around a boundary at byte `at`, [a, b); ident: it
 * holds a digit or one of / _ . - : (an identifier or a path). Found once
 * per token, so a long token is scanned once, not once per character. */
typedef struct token {
  int a, b;
  bool ident;
} token;

static bool latin_byte(char c) {
  return (unsigned char)c > ' ' && (unsigned char)c < 0x80;
}

static const token *token_around(const char *text, int s, int e, int at, token *t) {
  if (at > t->a && at < t->b) return t;
  t->a = t->b = at;
  while (t->a > s && latin_byte(text[t->a - 1])) t->a--;
  while (t->b < e && latin_byte(text[t->b])) t->b++;
  t->ident = false;
  for (int k = t->a; k < t->b && !t->ident; k++)
    t->ident = g_ascii_isdigit(text[k]) || strchr("/_.-:", text[k]);
  return t;
}

/* Inline code's fallback point leaves at least two characters of its token
 * on either side: no lone "g⤵" at a line end, no lone character after it. */
#define CODE_FALLBACK_EDGE 2

static bool code_fallback_ok(const token *t, int at) {
  return at - t->a >= CODE_FALLBACK_EDGE && t->b - at >= CODE_FALLBACK_EDGE;
}

/* Table cells: an identifier or path token may break after / _ . - : and
 * before a capital that follows a small letter (libX|render.|so.|1,
 * libpng12-|0-|32bit); any other point inside it is a fallback that costs
 * more (inrun). A token of letters only is a word: it keeps the ordinary
 * rules (a hyphen if it must break). Returns 0 outside such a token, 1 at a
 * part boundary, 2 inside a run, 3 at a camel-case hump. */
static int ident_break(const token *t, const unit *v, const unit *u) {
  if (!t->ident || v->last >= 0x80 || u->first >= 0x80 || !latin_byte((char)v->last) ||
      !latin_byte((char)u->first))
    return 0;
  if (strchr("/_.-:", (int)v->last)) return strchr("/_.-:", (int)u->first) ? 2 : 1;
  if (g_ascii_islower(v->last) && g_ascii_isupper(u->first)) return 3;
  return 2;
}

/* Korean keeps words whole: between two letters (Hangul, Hanja, Latin,
 * digits) of a Korean paragraph there is no break; spaces and punctuation
 * keep theirs. Korean sets spaces between
 * words, so this leaves a break at every word end (UAX #14 alone allows one
 * before every syllable: 대한민/국은). */
static bool in_word(const para *p, const unit *a, const unit *b) {
  bool a_letter = a->cls == C_IDEO || a->cls == C_LATIN;
  bool b_letter = b->first_cls == C_IDEO || b->first_cls == C_LATIN;
  return p->keep_all && !p->code && a_letter && b_letter;
}

/* kmb_para_space_after_new's attribute: a PangoAttrInt of a type of our own */
static PangoAttribute *space_after_copy(const PangoAttribute *a) {
  PangoAttrInt *c = g_new(PangoAttrInt, 1);
  *c = *(const PangoAttrInt *)a;
  return &c->attr;
}

static void space_after_destroy(PangoAttribute *a) {
  g_free(a);
}

static gboolean space_after_equal(const PangoAttribute *a, const PangoAttribute *b) {
  return ((const PangoAttrInt *)a)->value == ((const PangoAttrInt *)b)->value;
}

static PangoAttrClass space_after_class = {0, space_after_copy, space_after_destroy,
                                           space_after_equal};

PangoAttribute *kmb_para_space_after_new(int pango_units) {
  static gsize once = 0;
  if (g_once_init_enter(&once)) {
    space_after_class.type = pango_attr_type_register("kmb-space-after");
    g_once_init_leave(&once, 1);
  }
  PangoAttrInt *a = g_new(PangoAttrInt, 1);
  pango_attribute_init(&a->attr, &space_after_class);
  a->value = pango_units;
  return &a->attr;
}

/* Letter spacing of an item (its attribute), as Pango's own layout applies
 * it: ls more advance per cluster, the glyphs moved ls/2 right; and space
 * after each cluster (kmb_para_space_after_new), the glyphs left in place. */
static void letter_space(const PangoItem *item, PangoGlyphString *gs) {
  int ls = 0, after = 0;
  for (GSList *a = item->analysis.extra_attrs; a; a = a->next) {
    const PangoAttribute *at = a->data;
    if (at->klass->type == PANGO_ATTR_LETTER_SPACING) ls = ((const PangoAttrInt *)at)->value;
    if (space_after_class.type && at->klass->type == space_after_class.type)
      after = ((const PangoAttrInt *)at)->value;
  }
  if (ls < 0) ls = 0;
  if (after < 0) after = 0;
  if (ls == 0 && after == 0) return;
  for (int g = 0; g < gs->num_glyphs; g++) {
    bool first = g == 0 || gs->log_clusters[g] != gs->log_clusters[g - 1];
    bool last = g + 1 == gs->num_glyphs || gs->log_clusters[g + 1] != gs->log_clusters[g];
    if (first) gs->glyphs[g].geometry.x_offset += ls / 2;
    if (last) gs->glyphs[g].geometry.width += ls + after;
  }
}

/* Ranges the caller keeps on one line (ruby: the annotation sits over its
 * whole base): no break before a unit that starts inside one. */
static void keep_whole(para *p) {
  const kmb_para_in *in = p->in;
  for (int r = 0; r < in->n_keep; r++) {
    int ks = in->keep[2 * r], ke = in->keep[2 * r + 1];
    for (int i = 1; i < p->n; i++)
      if (p->u[i].start > ks && p->u[i].start < ke) p->u[i].brk = 0;
  }
}

static bool prepare(para *p, kmb_error *err) {
  const kmb_para_in *in = p->in;
  const char *text = in->text;
  int s = p->seg_start, len = p->seg_end - p->seg_start;
  PangoAttrList *own = p->code ? NULL : apostrophe_attrs(in, s, p->seg_end);
  PangoAttrList *attrs = own ? own : in->attrs;
  GList *list = pango_itemize(in->ctx, text, s, len, attrs, NULL);
  p->n_items = (int)g_list_length(list);
  p->items = g_new0(shaped, p->n_items ? p->n_items : 1);
  int nchars = (int)g_utf8_strlen(text + s, len);
  PangoLogAttr *log = g_new0(PangoLogAttr, nchars + 1);
  pango_get_log_attrs(text + s, len, -1, pango_context_get_language(in->ctx), log, nchars + 1);
  if (attrs) pango_attr_break(text + s, len, attrs, s, log, nchars + 1);

  /* shape and count clusters */
  int k = 0, char_off = 0, total_glyphs = 0;
  for (GList *l = list; l; l = l->next, k++) {
    PangoItem *item = l->data;
    shaped *sh = &p->items[k];
    sh->item = item;
    sh->glyphs = pango_glyph_string_new();
    pango_shape_item(item, text, in->len, log + char_off, sh->glyphs, PANGO_SHAPE_NONE);
    letter_space(item, sh->glyphs);
    char_off += item->num_chars;
    total_glyphs += sh->glyphs->num_glyphs;
    PangoFontDescription *d =
        item->analysis.font ? pango_font_describe_with_absolute_size(item->analysis.font) : NULL;
    sh->em = d ? pango_font_description_get_size(d) : 10 * PANGO_SCALE;
    if (sh->em <= 0) sh->em = 10 * PANGO_SCALE;
    if (item->analysis.font) {
      PangoFontFace *face = pango_font_get_face(item->analysis.font);
      PangoFontFamily *fam = face ? pango_font_face_get_family(face) : NULL;
      /* fontconfig reports no spacing for CJK monospaced faces (their
       * ideographs are double width), so the name decides too */
      const char *name = fam ? pango_font_family_get_name(fam) : NULL;
      char *lower = name ? g_ascii_strdown(name, -1) : NULL;
      sh->mono = fam && (pango_font_family_is_monospace(fam) ||
                         (lower && (strstr(lower, "mono") || strstr(lower, "courier"))));
      g_free(lower);
    }
    if (d) pango_font_description_free(d);
  }
  g_list_free(list);
  if (own) pango_attr_list_unref(own); /* the items hold their own copies */

  p->u = g_new0(unit, total_glyphs + 1);
  int n = 0;
  for (k = 0; k < p->n_items; k++) {
    shaped *sh = &p->items[k];
    PangoGlyphItem gi = {sh->item, sh->glyphs, 0, 0, 0};
    PangoGlyphItemIter it;
    int first_unit = n;
    for (gboolean ok = pango_glyph_item_iter_init_start(&it, &gi, text); ok;
         ok = pango_glyph_item_iter_next_cluster(&it)) {
      unit *u = &p->u[n++];
      u->item = k;
      if (it.start_glyph <= it.end_glyph) u->g0 = it.start_glyph, u->g1 = it.end_glyph;
      else u->g0 = it.end_glyph + 1, u->g1 = it.start_glyph + 1;
      u->start = it.start_index;
      u->end = it.end_index;
      u->nchars = it.end_char - it.start_char;
      double w = 0;
      for (int g = u->g0; g < u->g1; g++) w += sh->glyphs->glyphs[g].geometry.width;
      u->nat = u->bw = w;
      u->em = sh->em;
      u->first = g_utf8_get_char(text + u->start);
      u->last = kmb_utf8_last(text + u->start, u->end - u->start);
      u->cls = (uint8_t)classify(u->last);
      u->first_cls = (uint8_t)classify(u->first);
      if (u->first == 0x2019 && u->nchars == 1 && !p->code &&
          is_apostrophe_at(text, u->start, s, p->seg_end))
        u->cls = u->first_cls = C_LATIN; /* part of the word: no CJK glue, no compression */
      if (u->nchars == 1 && !p->code && is_latin_quote_at(in, u->start, s, p->seg_end))
        u->cls = u->first_cls = C_LATIN; /* a Latin quote: with its phrase, as the apostrophe */
    }
    if (sh->item->analysis.level % 2) /* RTL: clusters came in visual order */
      qsort(p->u + first_unit, n - first_unit, sizeof(unit), cmp_unit_start);
  }
  p->n = n;

  /* break opportunities: log attr of each unit's first character */
  int ci = 0;
  const kmb_style *st = &p->st;
  GArray *urls = p->code ? NULL : find_urls(text, s, p->seg_end);
  guint ui = 0; /* the URL range at or after the current unit */
  token tok = {-1, -1, false}; /* the Latin token last looked at (inline code, cells) */
  for (int i = 0; i < n; i++) {
    unit *u = &p->u[i];
    if (i > 0) {
      unit *v = &p->u[i - 1];
      bool brk = log[ci].is_line_break;
      bool in_url = false;
      while (urls && ui < urls->len && g_array_index(urls, int, ui + 1) <= u->start) ui += 2;
      if (urls && ui < urls->len && v->start >= g_array_index(urls, int, ui)) {
        in_url = true;
        if (url_break(v->last < 0x80 ? v->last : 0, u->first < 0x80 ? u->first : 0)) brk = true;
      }
      /* UAX #14 treats “ ” ‘ ’ as ambiguous quotes that stick to both
       * neighbours, which in Chinese glues whole phrases together ("说：“你
       * 好。”她" cannot break). Next to CJK text they are brackets: an opening
       * quote may start a line, a closing one may end it (clreq). */
      if (!brk && log[ci].is_char_break && !p->code) {
        bool v_cjk = v->cls == C_IDEO || v->cls == C_PUNCT;
        bool u_cjk = u->first_cls == C_IDEO || u->first_cls == C_PUNCT;
        bool open = u->first == 0x201C || u->first == 0x2018;
        bool close = v->last == 0x201D || v->last == 0x2019;
        bool u_open_ok = !(v->last == 0x201C || v->last == 0x2018); /* not inside “‘ */
        if ((open || close) && v_cjk && u_cjk && u_open_ok && v->cls != C_SPACE &&
            !(close && (u->first == 0x201D || u->first == 0x2019)))
          brk = true;
      }
      /* line_break=normal: a break before small kana and ー, which UAX #14
       * (CJ resolved as NS) and Pango forbid */
      if (p->cj_loose && !brk && !p->code && log[ci].is_char_break && is_cj_starter(u->first) &&
          (v->cls == C_IDEO || v->cls == C_PUNCT) && !in_set(v->last, NO_END))
        brk = true;
      if (!st->kinsoku && !p->code && log[ci].is_char_break &&
          (v->cls == C_IDEO || v->cls == C_PUNCT || u->first_cls == C_IDEO ||
           u->first_cls == C_PUNCT))
        brk = true; /* like PANGO_WRAP_CHAR: what a breaker without kinsoku does */
      if (st->kinsoku && brk) {
        if ((in_set(u->first, NO_START) && !(p->cj_loose && is_cj_starter(u->first))) ||
            in_set(v->last, NO_END))
          brk = false;
        /* a number with its unit: "100 km" (Pango keeps "100%" and "100km") */
        if (v->cls == C_SPACE && i >= 2 && is_digit_cp(p->u[i - 2].last) &&
            unit_word_at(text, u->start, p->seg_end))
          brk = false;
        /* ... and with the Chinese unit or measure word after it: "1 亿",
         * "2023 年", "8 块" (UAX #14 allows a break before an ideograph) */
        if (u->first_cls == C_IDEO &&
            (is_digit_cp(v->last) || (v->cls == C_SPACE && i >= 2 && is_digit_cp(p->u[i - 2].last))))
          brk = false;
        /* Japanese grouped numerals (jlreq cl-24): a full-width number is
         * one unit, its ， and ． between digits too (１２|３４５６ would
         * otherwise break: UAX #14 takes them for ideographs) */
        if (p->ja && is_fw_digit(u->first) &&
            (is_fw_digit(v->last) ||
             ((v->last == 0xFF0C || v->last == 0xFF0E) && i >= 2 && is_fw_digit(p->u[i - 2].last))))
          brk = false;
      }
      if (brk && in_word(p, v, u)) brk = false;
      u->brk = brk ? 1 : 0;
      bool code = inline_code(p, v) && inline_code(p, u);
      const token *t = code || p->ident ? token_around(text, s, p->seg_end, u->start, &tok) : NULL;
      int id = p->ident ? ident_break(t, v, u) : 0;
      if (code) {
        u->brk = (uint8_t)code_break(v, u); /* code's own rules, URLs in code too */
        if (u->brk == 5 && !code_fallback_ok(t, u->start)) u->brk = 0;
        u->inrun = u->brk == 5 && id >= 2 ? (uint8_t)(id == 2 ? 2 : 1) : 0;
        ci += u->nchars;
        continue;
      }
      if (id) { /* a cell's identifier: at its parts, else at a cost; no hyphen */
        u->brk = id != 2 || brk ? 1 : 3;
        u->inrun = brk || id == 1 ? 0 : id == 2 ? 2 : 1;
        ci += u->nchars;
        continue;
      }
      /* inside a URL, any character may end a line, at a cost: better than
       * letter-spacing a URL line or spreading the Han text before it */
      if (!brk && in_url && !(st->kinsoku && in_set(u->first, NO_START))) u->brk = 3;
    }
    ci += u->nchars;
  }
  if (urls) g_array_free(urls, TRUE);
  g_free(log);
  keep_whole(p);
  (void)err;
  return true;
}

/* Punctuation style: AUTO follows the language the context shapes with,
 * since that language also picks the font's centred (Traditional) or corner
 * (Simplified, Japanese) forms through `locl`. */
static bool centred_style(const kmb_style *st, PangoContext *ctx) {
  if (st->punct_style != KMB_PUNCT_AUTO) return st->punct_style == KMB_PUNCT_CENTRED;
  const char *lang = pango_language_to_string(pango_context_get_language(ctx));
  static const char *const centred[] = {"zh-hant", "zh-tw", "zh-hk", "zh-mo"};
  for (size_t i = 0; lang && i < G_N_ELEMENTS(centred); i++)
    if (g_ascii_strncasecmp(lang, centred[i], strlen(centred[i])) == 0) return true;
  return false;
}

/* Paragraph start: an opening bracket's blank half would show as a half-em
 * more indent than the text lines below it; clreq allows setting it half
 * width there (the gap analysis of Typst against clreq expects it). */
static void para_start(para *p) {
  unit *u = p->u;
  if (!p->trim_start || p->seg_start != 0 || p->n == 0) return;
  if (u[0].pcls != P_OPEN || !u[0].halt || u[0].compressed) return;
  u[0].compressed = true;
  u[0].bw = u[0].nat + u[0].halt_dw;
  u[0].xoff = u[0].halt_dx;
}

/* Glue between units, pair compression, line-end compressibility. */
static void make_glue(para *p) {
  unit *u = p->u;
  int n = p->n;
  const kmb_style *st = &p->st;
  const kmb_design *D = &st->pdf;
  for (int i = 0; i < n; i++) u[i].gn = u[i].gs = u[i].gk = u[i].gp = 0;
  /* halt metrics for full-width marks (not in monospaced fonts: code keeps
   * its columns; proportional text in code mode, e.g. a colophon line with a
   * URL that must break anywhere, still gets its pairs compressed) */
  for (int i = 0; i < n; i++) {
    if (u[i].cls != C_PUNCT || u[i].g1 - u[i].g0 != 1 || u[i].nchars != 1) continue;
    if (p->code && p->items[u[i].item].mono) continue;
    PangoFont *font = p->items[u[i].item].item->analysis.font;
    double dw, dx;
    probe_halt(p, font, u[i].last, &dw, &dx);
    if (dw < -0.3) {
      u[i].halt = true;
      u[i].halt_dw = dw * u[i].nat;
      u[i].halt_dx = dx * u[i].nat;
      if (fabs(dx) < 0.05) u[i].pcls = P_CLOSE;
      else if (dx < -0.4) u[i].pcls = P_OPEN;
      else u[i].pcls = P_MIDDLE;
      if (u[i].pcls == P_MIDDLE && p->centred) u[i].halt = false;
    }
  }
  /* pair compression: remove the blank between two adjacent marks */
  if (st->punct_compress) {
    for (int i = 0; i + 1 < n; i++) {
      unit *a = &u[i], *b = &u[i + 1];
      /* both full-width marks; only one that may lose a blank (halt) does */
      if (a->pcls == P_NONE || b->pcls == P_NONE) continue;
      unit *c = NULL;
      /* Japanese (jlreq §3.1.4): a middle dot ・：； keeps a quarter em on
       * each side; the bracket beside it gives up its blank instead */
      if (p->ja && a->pcls == P_MIDDLE) {
        if (b->pcls == P_OPEN && b->halt && !b->compressed) c = b;
      } else if ((a->pcls == P_CLOSE || a->pcls == P_MIDDLE) && a->halt && !a->compressed) c = a;
      else if (b->pcls == P_OPEN && b->halt) c = b;
      if (!c || c->compressed) continue;
      c->compressed = true;
      c->bw = c->nat + c->halt_dw;
      c->xoff = c->halt_dx;
    }
  }
  para_start(p);
  if (p->code) return; /* code: no glue, spaces keep their width */
  /* glue after each unit */
  for (int i = 0; i + 1 < n; i++) {
    unit *a = &u[i], *b = &u[i + 1];
    double em = a->cls == C_IDEO || a->cls == C_PUNCT ? a->em : b->em;
    a->gn = a->gs = a->gk = 0;
    if (a->cls == C_SPACE) continue; /* the space carries its own glue, below */
    if (b->first_cls == C_SPACE) continue;
    bool a_cjk = a->cls == C_IDEO || a->cls == C_PUNCT;
    bool b_cjk = b->first_cls == C_IDEO || b->first_cls == C_PUNCT;
    if (!a_cjk && !b_cjk) continue; /* inside Latin words: no letter spacing */
    if (p->keep_all) continue; /* Korean: the spaces take the slack (in_word) */
    /* adjacent marks stay together: their spacing is the compression's */
    if (a->cls == C_PUNCT && b->first_cls == C_PUNCT) continue;
    /* never open up —— or …… */
    if (a->last == b->first && (a->last == 0x2014 || a->last == 0x2026 || a->last == 0x2015))
      continue;
    /* a note reference (digits at 0.6 size) hugs its text: no gap */
    bool note_mark = fmin(a->em, b->em) < D->note_mark_ratio * fmax(a->em, b->em);
    /* inline code counts as Latin whatever it starts or ends with:
     * 汉字`(code)`、printf() 的 */
    bool a_lat = a->cls == C_LATIN || (a->cls == C_OTHER && p->items[a->item].mono);
    bool b_lat = b->first_cls == C_LATIN || (b->first_cls == C_OTHER && p->items[b->item].mono);
    if (st->cjk_latin_space && !note_mark &&
        ((a->cls == C_IDEO && b_lat) || (a_lat && b->first_cls == C_IDEO))) {
      a->gn = st->cjk_latin_gap_em * em;
      a->gs = D->glue_cjk_latin_stretch * em; /* opens first, to its limit */
      a->gp = D->glue_stretch * em;            /* then as the Han glue */
      a->gk = D->glue_cjk_latin_shrink * em;
      continue;
    }
    a->gn = 0;
    a->gs = a->gp = D->glue_stretch * em; /* inter-character stretch */
    a->gk = D->glue_shrink * em; /* a little shrink: marks stay >= 0.85 em */
  }
  /* spaces: a space between Han and Latin is set to the CJK–Latin gap */
  for (int i = 0; i < n; i++) {
    unit *a = &u[i];
    if (a->cls != C_SPACE) continue;
    a->bw = 0;
    int l = i - 1, r = i + 1;
    while (l >= 0 && u[l].cls == C_SPACE) l--;
    while (r < n && u[r].cls == C_SPACE) r++;
    int lc = l >= 0 ? u[l].cls : C_OTHER, rc = r < n ? u[r].first_cls : C_OTHER;
    /* next to a full-width mark the mark's own blank is the space: "kmbook ，"
     * would otherwise show a gap and a half (the space stays in the text) */
    if ((l >= 0 && u[l].pcls != P_NONE) || (r < n && u[r].pcls != P_NONE)) {
      a->gn = a->gs = a->gk = 0;
      continue;
    }
    bool mixed = (lc == C_IDEO && rc == C_LATIN) || (lc == C_LATIN && rc == C_IDEO) ||
                 (lc == C_IDEO && rc == C_OTHER) || (lc == C_OTHER && rc == C_IDEO);
    if (mixed && st->cjk_latin_space && !p->keep_all && (lc == C_IDEO || rc == C_IDEO)) {
      double em = lc == C_IDEO ? u[l].em : u[r].em;
      if (l == i - 1) { /* only the first space of a run carries the gap */
        a->gn = st->cjk_latin_gap_em * em;
        a->gs = D->glue_cjk_latin_stretch * em;
        a->gp = D->glue_stretch * em;
        a->gk = D->glue_cjk_latin_shrink * em;
      }
    } else {
      a->gn = a->nat;
      a->gs = a->gp = a->nat * D->glue_space_stretch;
      a->gk = a->nat * D->glue_space_shrink;
    }
  }
  if (n > 0) u[n - 1].gn = u[n - 1].gs = u[n - 1].gk = u[n - 1].gp = 0;
}

/* Overlong stretches between legal breaks get emergency breaks at every
 * cluster boundary (long URLs, code), so no line overflows. */
/* The hyphen of a font, shaped as the item's text is (cached per font). */
typedef struct hyphen_glyph {
  PangoFont *font;
  PangoGlyph glyph;
  int width;
} hyphen_glyph;

/* The first of `cands` (UTF-8, NULL-terminated) the item's font has, shaped
 * as the item's text is; cached per font in `cache`. */
static const hyphen_glyph *glyph_for(GArray *cache, const PangoItem *item,
                                     const char *const *cands) {
  for (guint i = 0; i < cache->len; i++) {
    const hyphen_glyph *h = &g_array_index(cache, hyphen_glyph, i);
    if (h->font == item->analysis.font) return h;
  }
  hyphen_glyph h = {item->analysis.font, PANGO_GLYPH_EMPTY, 0};
  PangoAnalysis an = item->analysis;
  an.extra_attrs = NULL;
  for (; *cands && h.width <= 0; cands++) {
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_shape(*cands, (int)strlen(*cands), &an, gs);
    if (gs->num_glyphs == 1 && !(gs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
      h.glyph = gs->glyphs[0].glyph, h.width = gs->glyphs[0].geometry.width;
    pango_glyph_string_free(gs);
  }
  g_array_append_val(cache, h);
  return &g_array_index(cache, hyphen_glyph, cache->len - 1);
}

static const hyphen_glyph *hyphen_for(para *p, const PangoItem *item) {
  static const char *const hyphen[] = {"-", NULL};
  return glyph_for(p->hyphens, item, hyphen);
}

/* Code's continuation mark, in the code face when it has one (Noto Sans
 * Mono CJK has ⤵; DejaVu Sans Mono has ↩): never a hyphen, which would read
 * as part of the code. */
static void mark_at(para *p, int k) {
  static const char *const marks[] = {"\u2935", "\u21A9", "\u2192", NULL};
  unit *a = &p->u[k - 1];
  const PangoItem *item = p->items[a->item].item;
  if (a->g1 <= a->g0 || item->analysis.level % 2) return;
  const hyphen_glyph *h = glyph_for(p->marks, item, marks);
  if (h->width <= 0) return;
  a->hyph = h->width;
  a->hyph_glyph = h->glyph;
}

/* Continuation marks: at inline code's fallback breaks, and (wrap_mark) at
 * every break of a code block's line. */
static void code_marks(para *p) {
  for (int k = 1; k < p->n; k++)
    if (p->u[k].brk == 5 || (p->wrap_mark && p->u[k].brk)) mark_at(p, k);
}

/* A break between two Latin letters shows a hyphen (never in code or URLs,
 * whose text must stay exact). */
static void hyphen_at(para *p, int k) {
  unit *a = &p->u[k - 1], *b = &p->u[k];
  if (p->code || a->g1 - a->g0 != 1 || a->item != b->item) return;
  if (!kmb_is_latin_letter(a->last) || !kmb_is_latin_letter(b->first)) return;
  const hyphen_glyph *h = hyphen_for(p, p->items[a->item].item);
  if (h->width <= 0 || p->items[a->item].item->analysis.level % 2) return;
  a->hyph = h->width;
  a->hyph_glyph = h->glyph;
}

/* Whether the letters of units [i, j) are part of a longer token — an
 * identifier (snake_case, x2), a path, an address, a domain, a compound
 * with its own hyphen — whose text a hyphen would falsify. */
static bool in_token(const para *p, int i, int j) {
  const uint32_t b = i > 0 ? p->u[i - 1].last : 0, a = j < p->n ? p->u[j].first : 0;
  const uint32_t aa = j + 1 < p->n ? p->u[j + 1].first : 0;
  if ((b && b < 0x80 && strchr("_/@\\.-", (int)b)) || is_digit_cp(b)) return true;
  if ((a && a < 0x80 && strchr("_/@\\-", (int)a)) || is_digit_cp(a)) return true;
  return a == '.' && g_unichar_isalnum(aa); /* a domain: kmbook.org */
}

/* Pattern hyphenation (style hyphenate): in justified text, a Latin word
 * of 5 letters or more may break at its dictionary's points (kmb_hyphen,
 * by the text's language), showing a hyphen; the breaker weighs these
 * breaks (HYPHEN_PENALTY) before the last resort of emergency_breaks.
 * Never in code, URLs (their text must stay exact), monospaced runs,
 * Korean (words kept whole) or words in capitals. */
static void hyphenate_words(para *p) {
  if (!p->justify || !p->st.hyphenate || p->code || p->keep_all) return;
  const char *text = p->in->text;
  unit *u = p->u;
  for (int i = 0; i < p->n;) {
    int j = i;
    int caps = 0;
    bool url = false;
    /* the whole word: ligatures (ff, fi) are clusters of two letters, and a
     * letter the face lacks (ä) an item of its own; hyphen_at then refuses
     * the points inside a cluster or between items */
    while (j < p->n && kmb_is_latin_letter(u[j].first) && kmb_is_latin_letter(u[j].last)) {
      if (g_unichar_isupper(u[j].first)) caps++;
      if (j > i && u[j].brk == 3) url = true;
      j++;
    }
    if (j == i) {
      i++;
      continue;
    }
    const shaped *sh = &p->items[u[i].item];
    if (j - i >= 5 && caps < 2 && !url && !sh->mono && (i == 0 || u[i - 1].brk != 3) &&
        !in_token(p, i, j)) {
      int ws = u[i].start, len = u[j - 1].end - ws;
      bool *pts = g_new(bool, len);
      const char *lang = pango_language_to_string(sh->item->analysis.language);
      if (kmb_hyphen_points(lang, text + ws, len, pts)) {
        for (int k = i + 1; k < j; k++) {
          if (u[k].brk || !pts[u[k - 1].end - 1 - ws]) continue;
          hyphen_at(p, k);
          if (u[k - 1].hyph > 0) u[k].brk = 4;
        }
      }
      g_free(pts);
    }
    i = j;
  }
}

/* A Latin word of justified text wider than this share of the line that
 * the patterns do not know (UNKNOWN_RUN letters in a row without a point)
 * gets emergency breaks too (issue 14): English patterns leave a German
 * compound points up to 5 em apart (Donau-dampf-schiff-fahrts-ge-
 * sellschafts-kapitän: 11 letters), and the line before it would be spread
 * by as much; a letter break with a hyphen (EMERGENCY_PENALTY) bounds that.
 * English words keep to their points (electroen-cephalog-ra-phy: 8). */
#define LONG_WORD_SHARE 0.5
#define UNKNOWN_RUN 10

static bool word_unit(const para *p, const unit *v) {
  if (v->first_cls == C_SPACE) return true;
  return kmb_is_latin_letter(v->first) && kmb_is_latin_letter(v->last) && !p->items[v->item].mono;
}

static void emergency_breaks(para *p, double measure) {
  unit *u = p->u;
  int n = p->n, i = 0;
  while (i < n) {
    int j = i + 1;
    double w = u[i].bw + u[i].gn;
    bool word = p->justify && !p->code && word_unit(p, &u[i]);
    int run = u[i].nchars, longest = run; /* letters without a pattern point */
    /* a word longer than the line gets them even where it has hyphenation
     * points: its syllables may not fill a line, and letter-spacing would */
    while (j < n && (!u[j].brk || u[j].brk == 4)) {
      word = word && word_unit(p, &u[j]);
      run = u[j].brk == 4 || u[j].first_cls == C_SPACE ? 0 : run;
      run += u[j].first_cls == C_SPACE ? 0 : u[j].nchars;
      if (run > longest) longest = run;
      w += u[j].bw + u[j].gn, j++;
    }
    bool unknown = word && longest >= UNKNOWN_RUN && w > measure * LONG_WORD_SHARE;
    if (w > measure * 0.98 || unknown) {
      /* a word keeps 2 letters before a break and 3 after (TeX's
       * lefthyphenmin, righthyphenmin): no i-ncomprehensibilities */
      int before = 0, after = 0;
      for (int k = i; word && k < j && u[k].first_cls != C_SPACE; k++) after += u[k].nchars;
      for (int k = i + 1; k < j; k++) {
        before += u[k - 1].nchars, after -= u[k - 1].nchars;
        if (word && (before < 2 || after < 3)) continue;
        if (p->st.kinsoku && (in_set(u[k].first, NO_START) || in_set(u[k - 1].last, NO_END)))
          continue;
        if (u[k].first_cls == C_SPACE || u[k].brk == 4) continue;
        u[k].brk = 2;
        hyphen_at(p, k);
      }
    }
    i = j;
  }
}

/* A mark that push-in may set at half width: a full-width mark not already
 * compressed as part of a pair. */
static bool squeezable(const para *p, int i) {
  const unit *v = &p->u[i];
  return p->st.punct_compress && !p->code && v->halt && !v->compressed;
}

static void prefix_sums(para *p) {
  int n = p->n;
  p->W = g_new(double, n + 1);
  p->S = g_new(double, n + 1);
  p->K = g_new(double, n + 1);
  p->P = g_new(double, n + 1);
  p->lastns = g_new(int, n + 1);
  p->W[0] = p->S[0] = p->K[0] = p->P[0] = 0;
  p->lastns[0] = 0;
  p->Q = g_new(int, n + 1);
  p->QW = g_new(double, n + 1);
  p->Q[0] = 0;
  p->QW[0] = 0;
  for (int i = 0; i < n; i++) {
    bool q = squeezable(p, i);
    p->Q[i + 1] = p->Q[i] + q;
    p->QW[i + 1] = p->QW[i] + (q ? -p->u[i].halt_dw : 0);
    p->W[i + 1] = p->W[i] + p->u[i].bw + p->u[i].gn;
    p->S[i + 1] = p->S[i] + p->u[i].gs;
    p->K[i + 1] = p->K[i] + p->u[i].gk;
    p->P[i + 1] = p->P[i] + p->u[i].gp;
    /* an ideographic space ending a line (after ？！, jlreq §3.1.10) takes
     * no room there, as a space does */
    bool trailing = p->u[i].cls == C_SPACE || (p->u[i].first == 0x3000 && p->u[i].nchars == 1);
    p->lastns[i + 1] = trailing && !p->code ? p->lastns[i] : i + 1;
  }
}

/* ---------------------------------------------------------------------- */
/* one line's fit                                                          */

typedef struct fit {
  double r;       /* adjustment ratio applied to the glue (clamped to >= -1) */
  double bad;     /* badness */
  double endc;    /* line-end compression used (Pango units) */
  bool hang;      /* the last mark hangs into the margin */
  bool over;      /* does not fit even fully shrunk */
  bool letter;    /* no glue: slack spread over every cluster boundary */
  int squeeze;    /* push-in: marks set at half width (the last of the line) */
  double trim;    /* push-in: fraction of TRIM_FRAC taken from every other mark's blank */
  int e;          /* one past the last non-space unit */
  bool spread;    /* ends at inline code's fallback point: the little slack goes
                     into every character boundary (code_spread) */
} fit;

/* Badness is not capped at TeX's 10000: among lines that are all too loose
 * (a short Chinese phrase before a long URL) the less loose must still win. */
#define BAD_MAX 1e6
/* Badness is measured on the stretch scale: CJK glue shrinks by at most
 * 0.02 em and stretches by 0.1 em per unit ratio, so a fully shrunk line
 * (r = -1) moves characters as little as a line at r = 0.2. Push-in is thus
 * cheaper than push-out, as clreq orders them. */
#define SHRINK_SCALE 0.2
/* push-in trim: at most this fraction of a mark's blank half (0.12 em of 0.5) */
#define TRIM_FRAC 0.24

static double badness(double r) {
  double b = 100.0 * fabs(r) * r * r;
  return b > BAD_MAX ? BAD_MAX : b;
}

/* A line without glue is justified by spacing every cluster boundary: rate
 * it as if each boundary had a small stretch. */
static double letter_badness(double slack, int gaps, double em) {
  if (gaps <= 0) return BAD_MAX;
  return badness(slack / (gaps * 0.05 * em)) + 1000;
}

/* A line without glue that is no URL (a long word, or pieces of one) can
 * be filled to within a letter: rate its slack as 2.5 times larger, so the
 * breaker fills it rather than spreading the word's letters. A URL line
 * (breaks inside it, brk 3) keeps the milder rate: it rather breaks after
 * a - or / than between two letters. */
static double word_letter_badness(const para *p, int i, int j, double slack, int gaps, double em) {
  bool url = false;
  for (int k = i + 1; k < j && !url; k++) url = p->u[k].brk == 3;
  return letter_badness(url ? slack : slack * 2.5, gaps, em);
}

/* A line ending at a fallback point inside inline code may be short by a
 * character or two (the next fallback point is that far). Putting that into
 * the glue would spread the few Han characters before the code (函 数
 * kmb_…); it goes into every character boundary of the line instead when
 * that is at most SPREAD_EM a boundary (a hundredth of an em on a line of
 * code), so the line, its mark last, still ends flush. */
#define SPREAD_EM 0.08

static bool code_spread(const para *p, int i, int j, int e, double slack) {
  return j < p->n && p->u[j].brk == 5 && e - i > 1 &&
         slack <= (e - i - 1) * SPREAD_EM * p->u[e - 1].em;
}

/* Stretching a justified line, in the order of jlreq §3.8.4, without ever
 * spacing the letters of a Latin word (clreq §3.2.4: the slack goes between
 * Han characters and between Han and Latin only). Up to ratio 1 the
 * CJK–Latin gaps (¼ em) and the word spaces open first: their stretch is
 * 2.5 times the Han glue's (styles/default.ini), so at ratio 1 a gap is at
 * its limit, ½ em (stages a, b), while Han characters are 0.1 em apart
 * (stage c allows ¼ em). Past ratio 1 a gap opens only as fast as the Han
 * glue (stage d: every place alike; gp). Returns that ratio; st > 0. */
static double stretch_ratio(double slack, double st, double sp) {
  if (slack <= st || sp <= 0) return slack / st;
  return 1 + (slack - st) / sp;
}

/* What unit v's glue gains at stretch ratio r >= 0. */
static double stretch_of(const unit *v, double r) {
  return r <= 1 ? r * v->gs : v->gs + (r - 1) * v->gp;
}

/* The hyphen a line ending before unit j shows, in Pango units. */
static int line_hyphen(const para *p, int j, bool last) {
  if (last || j <= 0 || j >= p->n) return 0;
  int b = p->u[j].brk;
  if (b != 2 && b != 4 && b != 5 && !(p->wrap_mark && b)) return 0;
  return p->lastns[j] == j ? p->u[j - 1].hyph : 0;
}

/* What an opening bracket starting the line at unit i gives up (Pango
 * units): its blank half, when the line is not the paragraph's first (that
 * one is para_start()'s) and line_start_trim is on (jlreq §3.1.5: JIS X
 * 4051 sets it flush with the margin). */
static double start_trim(const para *p, int i) {
  if (!p->trim_line || p->code || i >= p->n || (i == 0 && p->seg_start == 0)) return 0;
  const unit *v = &p->u[i];
  return v->pcls == P_OPEN && v->halt && !v->compressed ? -v->halt_dw : 0;
}

static fit line_fit(const para *p, int i, int j, bool last, double avail) {
  fit f = {0, 0, 0, false, false, false, 0, 0, p->lastns[j] > i ? p->lastns[j] : i, false};
  int e = f.e;
  if (e <= i) return f;
  const unit *lu = &p->u[e - 1];
  double ts = start_trim(p, i);
  double nat = p->W[e] - p->W[i] - lu->gn + line_hyphen(p, j, last) - ts;
  double st = p->S[e] - p->S[i] - lu->gs;
  double sp = p->P[e] - p->P[i] - lu->gp;
  double sk = p->K[e] - p->K[i] - lu->gk;
  if (nat <= avail + 0.5) {
    if (last) return f;
    double slack = avail - nat;
    if (!p->justify) {
      /* ragged right (headings, captions): rate the rag as if the line end
       * could stretch by a third of the measure, so lines come out even */
      if (slack > 0.5) f.bad = badness(slack / (avail / 3));
      return f;
    }
    if (slack <= 0.5) return f;
    if (code_spread(p, i, j, e, slack)) {
      f.spread = true; /* into every boundary, unseen */
      f.bad = badness(slack / ((e - i - 1) * SPREAD_EM * lu->em));
      return f;
    }
    if (st > 0) {
      f.r = stretch_ratio(slack, st, sp);
      f.bad = badness(f.r);
    } else {
      f.letter = true;
      f.bad = word_letter_badness(p, i, j, slack, e - i - 1, lu->em);
    }
    return f;
  }
  double need = nat - avail;
  /* push-in: first compress a line-end mark (clreq), then shrink the glue */
  bool hangable = p->st.hanging_punct && !p->code && in_set(lu->last, HANGABLE) && e - 1 > i;
  if (p->st.punct_compress && !p->code && lu->halt && !lu->compressed && !hangable &&
      (lu->pcls == P_CLOSE || (lu->pcls == P_MIDDLE && !p->ja)) && !(ts > 0 && e - 1 == i)) {
    double c = -lu->halt_dw;
    f.endc = need < c ? need : c;
    need -= f.endc;
  }
  if (need <= 0.5) return f; /* a line-end mark's blank half is invisible: free */
  if (sk > 0 && need <= sk + 0.5) {
    f.r = -need / sk;
    if (f.r < -1) f.r = -1;
    f.bad = badness(f.r * SHRINK_SCALE);
    return f;
  }
  /* hanging punctuation: the last mark goes past the measure */
  if (hangable) {
    const unit *pu = &p->u[e - 2];
    double nat2 = nat - lu->bw - pu->gn;
    if (nat2 <= avail + 0.5) {
      fit g = {0, 0, 0, true, false, false, 0, 0, e, false};
      double slack = avail - nat2;
      double st2 = st - pu->gs, sp2 = sp - pu->gp;
      if (slack > 0.5 && !last && p->justify) {
        if (st2 > 0) g.r = stretch_ratio(slack, st2, sp2), g.bad = badness(g.r);
        else g.letter = true, g.bad = letter_badness(slack, e - i - 2, lu->em);
      }
      return g;
    }
  }
  /* push-in beyond the glue (clreq: compress punctuation before pushing a
   * character out), in two steps the demerits keep rare:
   *   trim: every mark of the line gives up to TRIM_FRAC of its blank half
   *         (0.12 em), so it stays wider than 0.85 em (cjk-pdf-check counts
   *         narrower isolated marks as squeezed);
   *   squeeze: one mark (the last) is set at half width, the others trimmed. */
  if (p->squeeze_ok && e - 1 > i) {
    int qn = p->Q[e - 1] - p->Q[i];
    double qw = p->QW[e - 1] - p->QW[i];
    if (ts > 0) qn--, qw -= ts; /* the trimmed first mark has nothing more to give */
    double need2 = need - sk;
    if (qn > 0 && qw > 0) {
      double cap = TRIM_FRAC * qw;
      if (need2 <= cap) {
        f.trim = need2 / cap;
        f.r = -1;
        f.bad = badness(-SHRINK_SCALE) + 20 * f.trim;
        return f;
      }
      int lq = e - 2;
      while (lq > i && !squeezable(p, lq)) lq--;
      if (lq == i && ts > 0) lq = -1;
      double one = lq >= 0 ? -p->u[lq].halt_dw : 0;
      double cap2 = TRIM_FRAC * (qw - one);
      if (lq >= 0 && squeezable(p, lq) && need2 <= one + cap2) {
        f.squeeze = 1;
        f.trim = need2 > one && cap2 > 0 ? (need2 - one) / cap2 : 0;
        f.r = -1;
        f.bad = badness(-SHRINK_SCALE) + 20 * f.trim;
        return f;
      }
    }
  }
  f.endc = 0;
  f.r = sk > 0 ? -1 : 0;
  f.over = true;
  f.bad = BAD_MAX;
  return f;
}

/* 孤字: the last line holds a single character (plus punctuation). */
static bool lonely(const para *p, int i, int j) {
  int chars = 0;
  for (int k = i; k < j && chars < 2; k++) {
    int c = p->u[k].cls;
    if (c == C_SPACE || c == C_PUNCT) continue;
    if (c == C_OTHER && g_unichar_ispunct(p->u[k].last)) continue;
    chars += p->u[k].nchars;
  }
  return chars < 2;
}

/* ---------------------------------------------------------------------- */
/* breakers: both return the break positions (unit indices, ascending,
 * ending with n) in *out                                                  */

static double avail_for(const para *p, int start_unit) {
  double w = p->in->width * PANGO_SCALE;
  if (start_unit == 0 && p->seg_start == 0) w -= p->in->indent * PANGO_SCALE;
  return w;
}

static void first_fit(para *p, GArray *out) {
  int n = p->n, i = 0;
  size_t work = 0, breaks = 0;
  while (i < n) {
    double avail = avail_for(p, i);
    int best = -1, first_legal = -1;
    for (int j = i + 1; j <= n; j++) {
      if (j < n && !p->u[j].brk) continue;
      work++;
      breaks++;
      if (first_legal < 0) first_legal = j;
      fit f = line_fit(p, i, j, j == n, avail);
      if (f.over) break;
      best = j;
      if (j < n && p->u[j].brk == 2 && best >= 0) {
        /* emergency breaks only when needed: keep going to fill the line */
      }
    }
    if (best < 0) best = first_legal > 0 ? first_legal : n;
    g_array_append_val(out, best);
    i = best;
  }
  /* 孤字: pull one more break opportunity down to the last line */
  if (p->st.no_lonely_char && out->len >= 2) {
    int *b = (int *)out->data;
    int lo = out->len >= 3 ? b[out->len - 3] : 0;
    int last_start = b[out->len - 2];
    if (lonely(p, last_start, n)) {
      for (int j = last_start - 1; j > lo; j--) {
        if (!p->u[j].brk) continue;
        if (line_fit(p, j, n, true, avail_for(p, j)).over) break;
        if (!lonely(p, lo, j)) {
          b[out->len - 2] = j;
          if (!lonely(p, j, n)) break;
        }
      }
    }
  }
  last_stats.work += work;
  last_stats.breaks += breaks;
}

/* Total fit (Knuth–Plass) over the legal breaks. Active nodes live in a
 * deque ordered by position; a node leaves it as soon as the line from it
 * no longer fits (widths only grow with the break position), so the list
 * never holds more than about one line's worth of positions × 4 fitness
 * classes: work is linear in the paragraph length. */
typedef struct node {
  int pos;
  int fitcls;
  int prev;  /* node index, -1 for the start */
  double dem;
} node;

#define LINE_PENALTY 10.0
#define ADJ_DEMERITS 3000.0
#define EMERGENCY_PENALTY 3000.0
#define URL_CHAR_PENALTY 150.0 /* a URL broken between two letters */
#define HYPHEN_PENALTY 50.0    /* a word broken at a hyphenation point (TeX's hyphenpenalty) */
/* inline code broken at a fallback point (with a mark): about what a line
 * spaced 0.1 em wider between characters costs, so the span breaks rather
 * than the line before it being letter-spaced */
#define CODE_CHAR_PENALTY 80.0
/* a cell's identifier broken inside a run of letters where its parts (. _ /
 * - : or a camel-case hump) offered a break: a last resort, dearer than the
 * raggedest line (a ragged line's badness is at most 100 × 3³) */
#define RUN_PENALTY 3000.0
#define HUMP_PENALTY 60.0 /* ...at a camel-case hump: still a word's middle */
#define LONELY_DEMERITS 1e12 /* nearly a hard rule: worse than any loose line */
/* Squeezing one isolated mark to half width costs about what a line spaced
 * 0.12 em wider than normal between every two characters costs (r = 1.2,
 * (10 + 100 r^3)^2 = 3e4): a half-width comma is less visible than such a
 * line. cjk-pdf-check flags squeezed marks (<= 2 % allowed), so no cheaper. */
#define PUSHIN_DEMERITS 3e4
#define TRIM_DEMERITS 2e4

/* Fitness classes on the visual scale (CJK glue: 0.1 em per unit of
 * stretch ratio): shrunk, even (up to 0.03 em extra per gap), loose (up to
 * 0.08 em), very loose. */
static int fitness_class(const fit *f) {
  if (f->r < -0.25) return 0;
  if (f->r <= 0.3) return 1;
  if (f->r <= 0.8) return 2;
  return 3;
}

#define PHRASE_PENALTY 5000.0 /* a heading broken inside a phrase (三結｜義) */

/* A break before unit j falls between phrases: at a space, or after CJK
 * punctuation (，、：) — not after an opening bracket. */
static bool phrase_break(const para *p, int j) {
  const unit *a = &p->u[j - 1], *b = &p->u[j];
  for (int k = a->end; k < b->start; k++)
    if (p->in->text[k] == ' ') return true;
  if (is_space_cp(a->last) || is_space_cp(b->first) || a->last == 0x3000) return true;
  return is_cjk_punct_cp(a->last) && a->pcls != P_OPEN;
}

/* Demerits of the line from a break at unit i (fitness class fi) to the
 * break before unit j, rated f; its fitness class in *fc. */
static double line_demerits(const para *p, int i, int fi, int j, const fit *f, int *fc) {
  bool last = j == p->n;
  double pen = last ? 0
               : p->u[j].brk == 2 ? EMERGENCY_PENALTY
               : p->u[j].brk == 3 ? URL_CHAR_PENALTY
               : p->u[j].brk == 4 ? HYPHEN_PENALTY
               : p->u[j].brk == 5 ? CODE_CHAR_PENALTY
                                  : 0;
  if (!last && p->in->phrase && !phrase_break(p, j)) pen += PHRASE_PENALTY;
  if (!last && p->u[j].inrun) pen += p->u[j].inrun == 2 ? RUN_PENALTY : HUMP_PENALTY;
  double d = (LINE_PENALTY + f->bad) * (LINE_PENALTY + f->bad) + pen * pen;
  d += PUSHIN_DEMERITS * f->squeeze + TRIM_DEMERITS * f->trim;
  *fc = last ? 1 : fitness_class(f);
  if (!last && abs(*fc - fi) > 1) d += ADJ_DEMERITS;
  if (last && p->st.no_lonely_char && i > 0 && lonely(p, i, p->n)) d += LONELY_DEMERITS;
  return d;
}

static void total_fit(para *p, GArray *out) {
  int n = p->n;
  GArray *nodes = g_array_new(FALSE, FALSE, sizeof(node));
  node start = {0, 1, -1, 0};
  g_array_append_val(nodes, start);
  /* active deque: indices into nodes, ascending by pos */
  GArray *act = g_array_new(FALSE, FALSE, sizeof(int));
  int zero = 0;
  g_array_append_val(act, zero);
  size_t head = 0, work = 0, breaks = 0, max_active = 1;
  int final_best = -1;
  double final_dem = INFINITY;

  for (int j = 1; j <= n; j++) {
    if (j < n && !p->u[j].brk) continue;
    breaks++;
    bool last = j == n;
    double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
    int from[4] = {-1, -1, -1, -1};
    size_t alive = act->len - head;
    if (alive > max_active) max_active = alive;
    size_t drop = 0; /* leading nodes whose line is too long */
    for (size_t a = head; a < act->len; a++) {
      int ni = g_array_index(act, int, a);
      node *nd = &g_array_index(nodes, node, ni);
      if (nd->pos >= j) break;
      work++;
      fit f = line_fit(p, nd->pos, j, last, avail_for(p, nd->pos));
      if (f.over) {
        /* too long now and for every later break: deactivate, unless it is
         * the last hope (an unbreakable stretch wider than the measure) */
        if (a + 1 < act->len && g_array_index(nodes, node, g_array_index(act, int, a + 1)).pos < j)
          drop = a - head + 1;
        else {
          double d = nd->dem + 1e15; /* overfull: the last resort */
          if (d < best[1]) best[1] = d, from[1] = ni;
          drop = a - head; /* keep it: the new node will take over */
        }
        continue;
      }
      int fc;
      double d = line_demerits(p, nd->pos, nd->fitcls, j, &f, &fc) + nd->dem;
      if (d < best[fc]) best[fc] = d, from[fc] = ni;
    }
    head += drop;
    if (last) {
      for (int c = 0; c < 4; c++)
        if (best[c] < final_dem) final_dem = best[c], final_best = from[c];
      break;
    }
    double minb = INFINITY;
    for (int c = 0; c < 4; c++)
      if (best[c] < minb) minb = best[c];
    for (int c = 0; c < 4; c++) {
      if (from[c] < 0 || best[c] > minb + ADJ_DEMERITS) continue;
      node nn = {j, c, from[c], best[c]};
      g_array_append_val(nodes, nn);
      int idx = (int)nodes->len - 1;
      g_array_append_val(act, idx);
    }
    /* compact the deque now and then */
    if (head > 4096 && head * 2 > act->len) {
      g_array_remove_range(act, 0, (guint)head);
      head = 0;
    }
  }
  /* walk back */
  GArray *rev = g_array_new(FALSE, FALSE, sizeof(int));
  g_array_append_val(rev, n);
  for (int ni = final_best; ni > 0; ni = g_array_index(nodes, node, ni).prev) {
    int pos = g_array_index(nodes, node, ni).pos;
    g_array_append_val(rev, pos);
  }
  for (int k = (int)rev->len - 1; k >= 0; k--) g_array_append_val(out, g_array_index(rev, int, k));
  g_array_free(rev, TRUE);
  g_array_free(act, TRUE);
  g_array_free(nodes, TRUE);
  last_stats.work += work;
  last_stats.breaks += breaks;
  if (max_active > last_stats.max_active) last_stats.max_active = max_active;
}

/* Looseness (TeX's \looseness): the segment set in exactly `lines` lines
 * (total_fit's count plus or minus one, asked for by the page builder to
 * even a spread), every line but the last with badness at most max_bad,
 * with the fewest demerits among such settings. Nodes carry their line
 * count, and each break keeps the best node per (fitness class, count).
 * False (out untouched) when no such setting exists. */
typedef struct lnode {
  int pos, fitcls, lines, prev;
  double dem;
} lnode;

#define LOOSE_MAX_ACTIVE 4096 /* bounds the work (a loose limit on a long paragraph) */

static bool loose_fit(para *p, int lines, double max_bad, GArray *out) {
  int n = p->n;
  GArray *nodes = g_array_new(FALSE, FALSE, sizeof(lnode));
  lnode start = {0, 1, 0, -1, 0};
  g_array_append_val(nodes, start);
  GArray *act = g_array_new(FALSE, FALSE, sizeof(int)); /* ascending by pos */
  int zero = 0;
  g_array_append_val(act, zero);
  GArray *cand = g_array_new(FALSE, FALSE, sizeof(lnode)); /* this break's best */
  size_t head = 0;
  int final_best = -1;
  double final_dem = INFINITY;
  bool gave_up = false;
  for (int j = 1; j <= n && !gave_up; j++) {
    if (j < n && !p->u[j].brk) continue;
    bool last = j == n;
    g_array_set_size(cand, 0);
    size_t drop = 0;
    for (size_t a = head; a < act->len; a++) {
      int ni = g_array_index(act, int, a);
      lnode nd = g_array_index(nodes, lnode, ni);
      if (nd.pos >= j) break;
      if (nd.lines + 1 > lines || (last && nd.lines + 1 != lines)) continue;
      fit f = line_fit(p, nd.pos, j, last, avail_for(p, nd.pos));
      if (f.over) { /* too long for this and every later break, as are the nodes before */
        drop = a - head + 1;
        continue;
      }
      if (!last && f.bad > max_bad) continue;
      int fc;
      double d = line_demerits(p, nd.pos, nd.fitcls, j, &f, &fc) + nd.dem;
      guint k = 0;
      while (k < cand->len && (g_array_index(cand, lnode, k).fitcls != fc ||
                               g_array_index(cand, lnode, k).lines != nd.lines + 1))
        k++;
      lnode nn = {j, fc, nd.lines + 1, ni, d};
      if (k == cand->len) g_array_append_val(cand, nn);
      else if (d < g_array_index(cand, lnode, k).dem) g_array_index(cand, lnode, k) = nn;
    }
    head += drop;
    for (guint k = 0; k < cand->len; k++) {
      lnode c = g_array_index(cand, lnode, k);
      if (last) {
        if (c.dem < final_dem) final_dem = c.dem, final_best = c.prev;
        continue;
      }
      double minb = INFINITY; /* the best of the same count */
      for (guint m = 0; m < cand->len; m++)
        if (g_array_index(cand, lnode, m).lines == c.lines)
          minb = MIN(minb, g_array_index(cand, lnode, m).dem);
      if (c.dem > minb + ADJ_DEMERITS) continue;
      g_array_append_val(nodes, c);
      int idx = (int)nodes->len - 1;
      g_array_append_val(act, idx);
    }
    gave_up = act->len - head > LOOSE_MAX_ACTIVE;
    if (head > 4096 && head * 2 > act->len) {
      g_array_remove_range(act, 0, (guint)head);
      head = 0;
    }
  }
  bool ok = final_best >= 0 && !gave_up;
  if (ok) {
    GArray *rev = g_array_new(FALSE, FALSE, sizeof(int));
    g_array_append_val(rev, n);
    for (int ni = final_best; ni > 0; ni = g_array_index(nodes, lnode, ni).prev) {
      int pos = g_array_index(nodes, lnode, ni).pos;
      g_array_append_val(rev, pos);
    }
    g_array_set_size(out, 0);
    for (int k = (int)rev->len - 1; k >= 0; k--) g_array_append_val(out, g_array_index(rev, int, k));
    g_array_free(rev, TRUE);
  }
  g_array_free(cand, TRUE);
  g_array_free(act, TRUE);
  g_array_free(nodes, TRUE);
  return ok;
}

/* ---------------------------------------------------------------------- */
/* building the lines                                                      */

/* A glyph item for units [a, b) (all of one shaped item), with advances
 * `adv` (Pango units, one per unit) and x_offset changes `dx`. */
static PangoGlyphItem *cut_run(const para *p, int a, int b, const int *adv, const double *dx) {
  const unit *u = p->u;
  const shaped *sh = &p->items[u[a].item];
  int g0 = u[a].g0, g1 = u[a].g1;
  for (int k = a; k < b; k++) {
    if (u[k].g0 < g0) g0 = u[k].g0;
    if (u[k].g1 > g1) g1 = u[k].g1;
  }
  int start = u[a].start, end = u[b - 1].end;
  for (int k = a; k < b; k++) {
    if (u[k].start < start) start = u[k].start;
    if (u[k].end > end) end = u[k].end;
  }
  PangoItem *item = pango_item_copy(sh->item);
  int shift = start - item->offset;
  item->offset = start;
  item->length = end - start;
  item->num_chars = (int)g_utf8_strlen(p->in->text + start, end - start);
  PangoGlyphString *gs = pango_glyph_string_new();
  pango_glyph_string_set_size(gs, g1 - g0);
  memcpy(gs->glyphs, sh->glyphs->glyphs + g0, sizeof(PangoGlyphInfo) * (g1 - g0));
  for (int g = g0; g < g1; g++) gs->log_clusters[g - g0] = sh->glyphs->log_clusters[g] - shift;
  for (int k = a; k < b; k++) {
    int tot = 0;
    for (int g = u[k].g0; g < u[k].g1; g++) tot += sh->glyphs->glyphs[g].geometry.width;
    int lastg = u[k].g1 - 1 - g0;
    if (sh->item->analysis.level % 2) lastg = u[k].g0 - g0;
    if (u[k].g1 > u[k].g0) {
      gs->glyphs[lastg].geometry.width += adv[k - a] - tot;
      if (dx[k - a] != 0) {
        int d = (int)lround(dx[k - a]);
        for (int g = u[k].g0; g < u[k].g1; g++) gs->glyphs[g - g0].geometry.x_offset += d;
      }
    }
  }
  PangoGlyphItem tmp = {item, gs, 0, 0, 0};
  PangoGlyphItem *gi = pango_glyph_item_copy(&tmp);
  pango_item_free(item);
  pango_glyph_string_free(gs);
  return gi;
}

/* The hyphen glyph joins the cluster of the letter before it: the text
 * layer keeps the word as written, the page shows "exam-". */
static void append_hyphen(PangoGlyphItem *gi, const unit *v, int hy) {
  PangoGlyphString *gs = gi->glyphs;
  int n = gs->num_glyphs;
  if (n == 0) return;
  pango_glyph_string_set_size(gs, n + 1);
  gs->glyphs[n - 1].geometry.width -= hy;
  gs->glyphs[n] = (PangoGlyphInfo){v->hyph_glyph, {hy, 0, 0}, gs->glyphs[n - 1].attr};
  gs->glyphs[n].attr.is_cluster_start = 0;
  gs->log_clusters[n] = gs->log_clusters[n - 1];
}

static void empty_line_metrics(const para *p, int at, double *asc, double *desc) {
  const kmb_para_in *in = p->in;
  PangoFontDescription *d = pango_font_description_copy(pango_context_get_font_description(in->ctx));
  if (in->attrs) {
    PangoAttrIterator *it = pango_attr_list_get_iterator(in->attrs);
    do {
      int s, e;
      pango_attr_iterator_range(it, &s, &e);
      if (at >= s && at < e) {
        pango_attr_iterator_get_font(it, d, NULL, NULL);
        break;
      }
    } while (pango_attr_iterator_next(it));
    pango_attr_iterator_destroy(it);
  }
  PangoFontMetrics *m = pango_context_get_metrics(in->ctx, d, pango_context_get_language(in->ctx));
  *asc = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
  *desc = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
  pango_font_metrics_unref(m);
  pango_font_description_free(d);
}

static void build_line(const para *p, int i, int j, bool last, kmb_line *ln) {
  const unit *u = p->u;
  double avail = avail_for(p, i);
  double x0 = (i == 0 && p->seg_start == 0) ? p->in->indent : 0;
  memset(ln, 0, sizeof *ln);
  ln->last = last;
  ln->start = i < p->n ? u[i].start : p->seg_end;
  ln->end = j > 0 ? u[j - 1].end : ln->start;
  if (j <= i) {
    empty_line_metrics(p, p->seg_start, &ln->ascent, &ln->descent);
    ln->width = x0;
    return;
  }
  fit f = line_fit(p, i, j, last, avail);
  int e = f.e;
  int cnt = j - i;
  double *target = g_new(double, cnt);
  double *dx = g_new0(double, cnt);
  int *adv = g_new(int, cnt);
  /* boxes after compression: line end (partial), push-in squeezes */
  double *bw = g_new(double, cnt);
  for (int k = i; k < j; k++) {
    bw[k - i] = k < e ? u[k].bw : 0; /* trailing spaces take no room */
    dx[k - i] = u[k].xoff;
  }
  int hy = line_hyphen(p, j, last);
  if (hy) bw[e - 1 - i] += hy; /* the hyphen is drawn in the last unit's box (hy implies e == j > i) */
  double ts = start_trim(p, i);
  if (ts > 0) { /* flush with the margin: the bracket's blank half goes */
    bw[0] -= ts;
    dx[0] += u[i].halt_dx;
  }
  if (f.endc > 0) {
    const unit *v = &u[e - 1];
    bw[e - 1 - i] -= f.endc;
    dx[e - 1 - i] += f.endc / -v->halt_dw * v->halt_dx;
  }
  for (int k = e - 2, left = f.squeeze; k >= i; k--) {
    if (!squeezable(p, k) || (k == i && ts > 0)) continue;
    double frac = left > 0 ? 1.0 : f.trim * TRIM_FRAC;
    if (left > 0) left--;
    bw[k - i] += frac * u[k].halt_dw;
    dx[k - i] += frac * u[k].halt_dx;
  }
  /* the glue's adjustment ratio for what is left */
  int last_in = f.hang ? e - 1 : e; /* units counted against the measure */
  double nat = 0, st = 0, sp = 0, sk = 0;
  for (int k = i; k < last_in; k++) {
    nat += bw[k - i];
    if (k < last_in - 1) nat += u[k].gn, st += u[k].gs, sp += u[k].gp, sk += u[k].gk;
  }
  double r = 0;
  bool letter = false;
  if (nat > avail) r = sk > 0 ? -(nat - avail) / sk : 0;
  else if (p->justify && !last) {
    if (f.spread) letter = true;
    else if (st > 0) r = stretch_ratio(avail - nat, st, sp);
    else letter = true;
  }
  if (r < -1) r = -1;
  for (int k = i; k < j; k++) {
    double w = bw[k - i];
    if (k < e - 1 && !(f.hang && k == e - 2)) /* a hanging mark follows its character directly */
      w += u[k].gn + (r >= 0 ? stretch_of(&u[k], r) : r * u[k].gk);
    target[k - i] = w;
  }
  g_free(bw);
  /* no glue at all (a URL cut by emergency breaks): spread over every gap */
  if (letter && last_in - i > 1 && avail > nat) {
    int gaps = last_in - i - 1;
    for (int k = i; k < i + gaps; k++) target[k - i] += (avail - nat) / gaps;
  }
  double cum = 0;
  int prev = 0;
  for (int k = 0; k < cnt; k++) {
    cum += target[k];
    int c = (int)lround(cum);
    adv[k] = c - prev;
    prev = c;
  }
  /* justified lines end exactly at the measure */
  if (p->justify && !last && !f.over && e > i) {
    int want = (int)lround(avail);
    int have = 0;
    for (int k = 0; k < e - i; k++) have += adv[k];
    if (f.hang) have -= adv[e - 1 - i];
    int fix = want - have;
    if (abs(fix) <= 64 && e - 1 - i >= 0) {
      int at = f.hang ? e - 2 - i : e - 1 - i;
      if (at >= 0) adv[at] += fix;
    }
  }
  /* runs: consecutive units of one shaped item */
  ln->runs = g_new0(kmb_run, p->n_items > 0 ? (j - i) : 1);
  double x = x0;
  double asc = 0, desc = 0;
  double content_end = x0;
  int a = i;
  while (a < j) {
    int b = a + 1;
    while (b < j && u[b].item == u[a].item) b++;
    PangoGlyphItem *gi = cut_run(p, a, b, adv + (a - i), dx + (a - i));
    if (hy && b == j) append_hyphen(gi, &u[j - 1], hy);
    int w = 0;
    for (int k = a; k < b; k++) w += adv[k - i];
    kmb_run *run = &ln->runs[ln->n_runs++];
    run->gi = gi;
    run->x = x;
    run->width = w / (double)PANGO_SCALE;
    PangoRectangle logical;
    pango_glyph_string_extents(gi->glyphs, gi->item->analysis.font, NULL, &logical);
    double ra = -logical.y / (double)PANGO_SCALE, rd = (logical.y + logical.height) / (double)PANGO_SCALE;
    if (ra > asc) asc = ra;
    if (rd > desc) desc = rd;
    for (int k = a; k < b; k++) {
      x += adv[k - i] / (double)PANGO_SCALE;
      if (k < e && !(f.hang && k == e - 1)) content_end = x;
    }
    a = b;
  }
  ln->ascent = asc;
  ln->descent = desc;
  ln->width = content_end;
  if (ln->n_runs == 0) empty_line_metrics(p, ln->start, &ln->ascent, &ln->descent);
  g_free(target);
  g_free(dx);
  g_free(adv);
}

/* ---------------------------------------------------------------------- */

static bool break_segment(para *p, GArray *lines, kmb_error *err) {
  if (!prepare(p, err)) return false;
  last_stats.units += (size_t)p->n;
  if (p->n == 0) {
    kmb_line ln;
    memset(&ln, 0, sizeof ln);
    ln.start = ln.end = p->seg_start;
    ln.last = true;
    ln.width = p->seg_start == 0 ? p->in->indent : 0;
    empty_line_metrics(p, p->seg_start, &ln.ascent, &ln.descent);
    g_array_append_val(lines, ln);
    free_items(p);
    return true;
  }
  make_glue(p);
  hyphenate_words(p);
  keep_whole(p); /* again: no hyphenation point inside a ruby unit */
  emergency_breaks(p, p->in->width * PANGO_SCALE - (p->seg_start == 0 ? 0 : 0));
  code_marks(p);
  prefix_sums(p);
  GArray *brk = g_array_new(FALSE, FALSE, sizeof(int));
  if (p->st.total_fit && !p->code) {
    total_fit(p, brk);
    int want = (int)brk->len + p->loose;
    if (p->loose && want >= 1)
      p->loosened = loose_fit(p, want, p->st.pdf.looseness_max_badness, brk);
  } else {
    first_fit(p, brk);
  }
  int i = 0;
  for (guint k = 0; k < brk->len; k++) {
    int j = g_array_index(brk, int, k);
    kmb_line ln;
    build_line(p, i, j, k + 1 == brk->len, &ln);
    g_array_append_val(lines, ln);
    i = j;
  }
  g_array_free(brk, TRUE);
  free_items(p);
  return true;
}

bool kmb_para_break(const kmb_para_in *in, kmb_para *out, kmb_error *err) {
  memset(out, 0, sizeof *out);
  memset(&last_stats, 0, sizeof last_stats);
  if (!in || !in->ctx || (!in->text && in->len > 0) || in->len < 0)
    return kmb_error_set(err, KMB_E_ARG, NULL, 0, 0, "kmb_para_break: bad arguments");
  para p;
  memset(&p, 0, sizeof p);
  p.in = in;
  if (in->style) p.st = *in->style;
  else kmb_style_load(&p.st, NULL, NULL); /* the built-in defaults (styles/default.ini) */
  p.code = in->code;
  p.justify = in->justify && !in->code;
  if (p.code) p.st.cjk_latin_space = false;
  p.centred = centred_style(&p.st, in->ctx);
  p.trim_start = p.justify && (p.st.para_start_trim == KMB_SWITCH_AUTO
                                   ? !p.centred
                                   : p.st.para_start_trim == KMB_SWITCH_ON);
  p.squeeze_ok = p.justify && p.st.total_fit && p.st.punct_compress;
  const char *lang = pango_language_to_string(pango_context_get_language(in->ctx));
  p.keep_all = kmb_lang_is(lang, "ko");
  p.ja = kmb_lang_is(lang, "ja");
  p.trim_line = p.justify && (p.st.line_start_trim == KMB_SWITCH_AUTO
                                  ? p.ja
                                  : p.st.line_start_trim == KMB_SWITCH_ON);
  p.cj_loose = strcmp(p.st.line_break, "normal") == 0;
  p.probes = g_array_new(FALSE, FALSE, sizeof(halt_probe));
  p.hyphens = g_array_new(FALSE, FALSE, sizeof(hyphen_glyph));
  p.marks = g_array_new(FALSE, FALSE, sizeof(hyphen_glyph));
  p.wrap_mark = in->code && in->wrap_mark;
  p.ident = in->ident && !in->code;
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(kmb_line));
  const char *text = in->text ? in->text : "";
  int s = 0;
  bool ok = true;
  for (;;) {
    /* forced breaks: '\n' (para.h) and U+2028 LINE SEPARATOR */
    int e = s, skip = 0;
    while (e < in->len) {
      if (text[e] == '\n') {
        skip = 1;
        break;
      }
      if ((unsigned char)text[e] == 0xE2 && e + 2 < in->len && (unsigned char)text[e + 1] == 0x80 &&
          (unsigned char)text[e + 2] == 0xA8) {
        skip = 3;
        break;
      }
      e++;
    }
    p.seg_start = s;
    p.seg_end = e;
    p.loose = e >= in->len ? in->looseness : 0; /* the last segment's */
    if (!break_segment(&p, lines, err)) {
      ok = false;
      break;
    }
    if (!skip) break;
    s = e + skip;
  }
  g_array_free(p.probes, TRUE);
  g_array_free(p.hyphens, TRUE);
  g_array_free(p.marks, TRUE);
  out->n_lines = (int)lines->len;
  out->loosened = p.loosened;
  out->lines = (kmb_line *)g_array_free(lines, FALSE);
  if (!ok) kmb_para_clear(out);
  return ok;
}

void kmb_para_clear(kmb_para *p) {
  if (!p) return;
  for (int i = 0; i < p->n_lines; i++) {
    kmb_line *ln = &p->lines[i];
    for (int r = 0; r < ln->n_runs; r++) pango_glyph_item_free(ln->runs[r].gi);
    g_free(ln->runs);
  }
  g_free(p->lines);
  p->lines = NULL;
  p->n_lines = 0;
}
