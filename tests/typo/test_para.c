/* kmb_typo: property tests and golden line-break dumps for the paragraph
 * breaker (src/pdf/para.c), with the project fonts.
 *
 *   kmb_typo props|kinsoku|justify|spacing|pairs|lonely|regional|switches|code|linear|korean
 *   kmb_typo golden BOOKDIR GOLDENDIR [--regen]
 *   kmb_typo dump FILE.md [--first-fit]      print the lines of one file
 *
 * Geometry is read back the way cjk-pdf-check reads a PDF: a glyph's box
 * starts where it is drawn (origin + x_offset) and is as wide as the font's
 * own advance, so a compressed mark or an added gap shows up as overlap or
 * space between boxes. */
#include "base/utf8.h"
#include "fonts/fonts.h"
#include "pdf/para-imp.h"
#include "pdf/para.h"
#include "style/style.h"

#include <glib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static kmb_style ST;
static kmb_fonts *FONTS;
static PangoContext *CTX;
static const double EM = 10.5;
#define MEASURE (31 * EM)
static int failures;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      failures++;                                                                                  \
      fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);                                        \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
    }                                                                                              \
  } while (0)

static void setup(void) {
  kmb_error err;
  kmb_error_clear(&err);
  if (!kmb_style_load(&ST, NULL, &err)) {
    fprintf(stderr, "style: %s\n", err.msg);
    exit(2);
  }
  FONTS = kmb_fonts_new(NULL, &ST, &err);
  if (!FONTS) {
    fprintf(stderr, "fonts: %s\n", err.msg);
    exit(2);
  }
  CTX = pango_font_map_create_context(PANGO_FONT_MAP(kmb_fonts_fontmap(FONTS)));
  pango_cairo_context_set_resolution(CTX, 72);
  pango_context_set_round_glyph_positions(CTX, FALSE);
  /* as on a PDF surface: unhinted metrics, so glyph extents are the font's
   * own advances (what a PDF reader sees in /W) */
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(CTX, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_language(CTX, pango_language_from_string("zh-cn"));
  PangoFontDescription *d = pango_font_description_from_string(ST.body_family);
  pango_font_description_set_size(d, (int)(EM * PANGO_SCALE));
  pango_context_set_font_description(CTX, d);
  pango_font_description_free(d);
}

/* ---------------------------------------------------------------------- */

typedef struct gl {
  uint32_t cp;
  double x0, x1; /* drawn box: origin + x_offset .. + font advance */
  double origin, adv;
  double ink0, ink1; /* the glyph's ink, from the font's ink extents */
  int nglyphs;       /* glyphs in the cluster (2: a letter and its hyphen, or a code mark) */
  int off;           /* byte offset of the cluster in the text */
} gl;

typedef struct lineinfo {
  GArray *g; /* gl, in visual order */
  char *text;
  double width;
  bool last;
} lineinfo;

typedef struct result {
  kmb_para para;
  lineinfo *li;
  int n;
  kmb_para_stats stats;
} result;

static PangoAttrList *code_attrs(int len) {
  PangoAttrList *al = pango_attr_list_new();
  PangoAttribute *a = pango_attr_family_new(ST.code_family);
  a->start_index = 0;
  a->end_index = (guint)len;
  pango_attr_list_insert(al, a);
  return al;
}

static result run_para_attrs(const char *text, double width, double indent, const kmb_style *st,
                             bool code, PangoAttrList *attrs);
/* kmb_para_in switches for the next run_para* calls (default off) */
static bool RUN_WRAP_MARK, RUN_IDENT, RUN_RAGGED;
static int RUN_LOOSENESS;

static result run_para(const char *text, double width, double indent, const kmb_style *st,
                       bool code) {
  return run_para_attrs(text, width, indent, st, code, NULL);
}

/* attrs: NULL, or the paragraph's attributes (taken over) */
static result run_para_attrs(const char *text, double width, double indent, const kmb_style *st,
                             bool code, PangoAttrList *attrs) {
  result r;
  memset(&r, 0, sizeof r);
  kmb_para_in in;
  memset(&in, 0, sizeof in);
  in.ctx = CTX;
  in.text = text;
  in.len = (int)strlen(text);
  in.attrs = attrs ? attrs : code ? code_attrs(in.len) : pango_attr_list_new();
  in.width = width;
  in.indent = indent;
  in.justify = !code && !RUN_RAGGED;
  in.code = code;
  in.wrap_mark = RUN_WRAP_MARK;
  in.ident = RUN_IDENT;
  in.looseness = RUN_LOOSENESS;
  in.style = st ? st : &ST;
  kmb_error err;
  kmb_error_clear(&err);
  if (!kmb_para_break(&in, &r.para, &err)) {
    fprintf(stderr, "kmb_para_break: %s\n", err.msg);
    exit(2);
  }
  r.stats = kmb_para_last_stats();
  pango_attr_list_unref(in.attrs);
  r.n = r.para.n_lines;
  r.li = g_new0(lineinfo, r.n ? r.n : 1);
  for (int i = 0; i < r.n; i++) {
    kmb_line *ln = &r.para.lines[i];
    lineinfo *li = &r.li[i];
    li->g = g_array_new(FALSE, FALSE, sizeof(gl));
    li->text = g_strndup(text + ln->start, ln->end - ln->start);
    li->width = ln->width;
    li->last = ln->last;
    for (int k = 0; k < ln->n_runs; k++) {
      kmb_run *run = &ln->runs[k];
      PangoGlyphItemIter it;
      double x = run->x;
      for (gboolean ok = pango_glyph_item_iter_init_start(&it, run->gi, text); ok;
           ok = pango_glyph_item_iter_next_cluster(&it)) {
        int g0 = it.start_glyph < it.end_glyph ? it.start_glyph : it.end_glyph + 1;
        int g1 = it.start_glyph < it.end_glyph ? it.end_glyph : it.start_glyph + 1;
        PangoGlyphInfo *gi = &run->gi->glyphs->glyphs[g0];
        PangoRectangle ink, logical;
        pango_font_get_glyph_extents(run->gi->item->analysis.font, gi->glyph, &ink, &logical);
        gl g;
        g.cp = g_utf8_get_char(text + it.start_index);
        g.origin = x;
        g.x0 = x + gi->geometry.x_offset / (double)PANGO_SCALE;
        g.x1 = g.x0 + logical.width / (double)PANGO_SCALE;
        g.ink0 = g.x0 + ink.x / (double)PANGO_SCALE;
        g.ink1 = g.ink0 + ink.width / (double)PANGO_SCALE;
        g.nglyphs = g1 - g0;
        g.off = it.start_index;
        double adv = 0;
        for (int q = g0; q < g1; q++) adv += run->gi->glyphs->glyphs[q].geometry.width;
        g.adv = adv / PANGO_SCALE;
        x += g.adv;
        g_array_append_val(li->g, g);
      }
    }
  }
  return r;
}

static void free_result(result *r) {
  for (int i = 0; i < r->n; i++) {
    g_array_free(r->li[i].g, TRUE);
    g_free(r->li[i].text);
  }
  g_free(r->li);
  kmb_para_clear(&r->para);
}

static bool in_str(uint32_t cp, const char *set) {
  for (const char *s = set; *s; s = g_utf8_next_char(s))
    if (g_utf8_get_char(s) == cp) return true;
  return false;
}

static const char *NO_START = "，。、；：？！）］｝〕〉》」』】’”…—,.;:?!)]}%";
static const char *NO_END = "（［｛〔〈《「『【‘“([{";
static const char *CJK_PUNCT = "，。、；：？！（）［］｛｝〔〕〈〉《》「」『』【】‘’“”…—·";

static bool is_space(uint32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0;
}
static bool is_latin(uint32_t c) {
  return c < 0x250 && g_unichar_isalnum(c);
}

/* index of first / last non-space glyph */
static int first_ns(lineinfo *li) {
  for (guint k = 0; k < li->g->len; k++)
    if (!is_space(g_array_index(li->g, gl, k).cp)) return (int)k;
  return -1;
}
static int last_ns(lineinfo *li) {
  for (int k = (int)li->g->len - 1; k >= 0; k--)
    if (!is_space(g_array_index(li->g, gl, k).cp)) return k;
  return -1;
}

static int count_kinsoku(result *r) {
  int bad = 0;
  for (int i = 0; i < r->n; i++) {
    lineinfo *li = &r->li[i];
    int a = first_ns(li), b = last_ns(li);
    if (a < 0) continue;
    if (i > 0 && !r->li[i - 1].last && in_str(g_array_index(li->g, gl, a).cp, NO_START)) bad++;
    if (!li->last && in_str(g_array_index(li->g, gl, b).cp, NO_END)) bad++;
  }
  return bad;
}

/* every line but the last flush to the measure (less the first-line indent
 * for line 0, whose runs start at the indent) */
static void check_flush(result *r, double width, const char *what) {
  for (int i = 0; i < r->n; i++) {
    if (r->li[i].last) continue;
    CHECK(fabs(r->li[i].width - width) <= 0.01, "%s: line %d width %.3f != %.3f: %s", what, i,
          r->li[i].width, width, r->li[i].text);
  }
}

static void check_no_overflow(result *r, double width, const char *what) {
  for (int i = 0; i < r->n; i++)
    CHECK(r->li[i].width <= width + 0.01, "%s: line %d overflows (%.2f > %.2f): %s", what, i,
          r->li[i].width, width, r->li[i].text);
}

/* cjk-pdf-check's 孤字: the last line is one Han character, optionally
 * followed by punctuation */
static bool is_lonely(result *r) {
  if (r->n < 2) return false;
  lineinfo *li = &r->li[r->n - 1];
  int a = first_ns(li);
  if (a < 0 || !kmb_is_han(g_array_index(li->g, gl, a).cp)) return false;
  for (guint k = (guint)a + 1; k < li->g->len; k++) {
    uint32_t c = g_array_index(li->g, gl, k).cp;
    if (!(is_space(c) || in_str(c, CJK_PUNCT) || g_unichar_ispunct(c))) return false;
  }
  return true;
}

/* the text of the lines, in order, is the paragraph's text (less '\n') */
static void check_coverage(result *r, const char *text, const char *what) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < r->n; i++) {
    g_string_append(s, r->li[i].text);
    if (r->li[i].last && i + 1 < r->n)
      g_string_append(s, strstr(text + strlen(s->str), "\u2028") == text + strlen(s->str) ? "\u2028" : "\n");
  }
  CHECK(strcmp(s->str, text) == 0, "%s: lines do not cover the text", what);
  g_string_free(s, TRUE);
}

static void dump(result *r, FILE *f) {
  for (int i = 0; i < r->n; i++) fprintf(f, "%s\n", r->li[i].text);
}

/* ---------------------------------------------------------------------- */

static const char *HARD[] = {
    "他说：“你好。”她回答：“好。”（注：这是一段“引号里面有括号（像这样）”的文字。）然后，"
    "他又说了一遍：“好吧！”——这就是结尾……还没有结束。",
    "深度学习（Deep Learning）在2012年以后迅速发展，ImageNet上的top-5错误率从26%降到了3.6%，"
    "GPU的算力提高了100倍以上。使用 Pango 排版中文，效果很好；使用XeLaTeX也可以。",
    "“天下大事，必作于细。”这句话出自《道德经》第六十三章。他说：“……”然后沉默了。"
    "【注意】这里有很多标点：、，。；：？！「」『』《》〈〉（）。",
    "请访问https://example.com/a/very/long/path/that/does/not/fit/on/one/line/at/all/index.html"
    "查看详情，或者运行`kmbook --pdf out.pdf --book book`命令。",
    "短。",
    "这一段落用来测试很长的段落会不会出现问题，我们需要写很多字。"
    "第一，标点挤压；第二，避头尾；第三，中西文间距——也就是在汉字和English单词之间加上"
    "四分之一个字的空白。第四，孤字：段落的最后一行不能只有一个字。第五，两端对齐：每一行"
    "（除了最后一行）都要对齐到版心的右边缘。这些规则来自W3C的《中文排版需求》（clreq）。",
    "数字和单位不能分开：100 km、3 GB、25℃、99.9%、50‰。价格是$100或者￥200。"
    "训练成本超过 1 亿美元，在 2023 年用了 8 块GPU，第100轮降到0.21。",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一。",
};

static void test_props(void) {
  for (size_t t = 0; t < G_N_ELEMENTS(HARD); t++) {
    for (int chars = 12; chars <= 34; chars++) {
      for (int ff = 0; ff < 2; ff++) {
        kmb_style st = ST;
        st.total_fit = !ff;
        double w = chars * EM;
        result r = run_para(HARD[t], w, 2 * EM, &st, false);
        char what[64];
        snprintf(what, sizeof what, "hard[%zu] %d chars %s", t, chars, ff ? "first-fit" : "total-fit");
        CHECK(count_kinsoku(&r) == 0, "%s: kinsoku violations %d", what, count_kinsoku(&r));
        for (int i = 0; i < r.n; i++) {
          if (r.li[i].last) continue;
          double want = w;
          /* lines that end in a line-end mark compressed to its ink count as flush */
          CHECK(fabs(r.li[i].width - want) <= 0.01, "%s: line %d width %.3f != %.3f: %s", what,
                i, r.li[i].width, want, r.li[i].text);
        }
        check_no_overflow(&r, w, what);
        /* first-fit is the baseline: only the total-fit breaker must avoid 孤字 here */
        /* (unless the last line is too full to take another character) */
        if (!ff && r.li[r.n - 1].width < w - 2 * EM)
          CHECK(!is_lonely(&r), "%s: lonely last line '%s'", what, r.li[r.n - 1].text);
        check_coverage(&r, HARD[t], what);
        free_result(&r);
      }
    }
  }
}

static void test_kinsoku(void) {
  /* 30 Han characters and then a comma: at 30 characters a naive breaker
   * puts the comma at the start of line 2 */
  const char *t = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十，一二三四五。"
                  "“一二三四五六七八九十一二三四五六七八九十一二三四五六七八九”十一二三。"
                  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八——九十一二三……四五。";
  for (int chars = 10; chars <= 32; chars++) {
    for (int ff = 0; ff < 2; ff++) {
      kmb_style st = ST;
      st.total_fit = !ff;
      result r = run_para(t, chars * EM, 0, &st, false);
      CHECK(count_kinsoku(&r) == 0, "kinsoku %d chars %s: %d violations", chars,
            ff ? "first-fit" : "total-fit", count_kinsoku(&r));
      /* —— and …… are never split */
      for (int i = 0; i + 1 < r.n; i++) {
        const char *a = r.li[i].text;
        size_t la = strlen(a);
        CHECK(!(la >= 3 && (strcmp(a + la - 3, "—") == 0 || strcmp(a + la - 3, "…") == 0) &&
                (g_str_has_prefix(r.li[i + 1].text, "—") || g_str_has_prefix(r.li[i + 1].text, "…"))),
              "split double mark at line %d", i);
      }
      check_flush(&r, chars * EM, "kinsoku");
      free_result(&r);
    }
  }
}

static void test_justify(void) {
  const char *t = "在混合排版的行里，使用 Pango 排版的时候只有空格会被拉伸，这不是我们想要的。"
                  "我们希望汉字之间也能均匀地拉伸，比如 XeLaTeX 和 Typst 的做法，"
                  "这样 English words 和中文混在一起时也好看。";
  for (int chars = 15; chars <= 33; chars++) {
    result r = run_para(t, chars * EM, 2 * EM, NULL, false);
    check_flush(&r, chars * EM, "justify");
    /* the spaces do not take all the slack: no space gap wider than 0.6 em */
    for (int i = 0; i < r.n; i++) {
      lineinfo *li = &r.li[i];
      for (guint k = 1; k + 1 < li->g->len; k++) {
        gl *g = &g_array_index(li->g, gl, k);
        if (g->cp != ' ') continue;
        gl *a = &g_array_index(li->g, gl, k - 1), *b = &g_array_index(li->g, gl, k + 1);
        CHECK(b->x0 - a->x1 < 0.6 * EM, "justify %d: space gap %.2f em in '%s'", chars,
              (b->x0 - a->x1) / EM, li->text);
      }
    }
    free_result(&r);
  }
}

/* Han↔Latin gaps of one line, in em; the largest extra space between two
 * Han neighbours of the line in *spread (-1 without any) */
static void line_gaps(const lineinfo *li, GArray *out, double *spread) {
  int prev = -1;
  if (spread) *spread = -1;
  for (guint k = 0; k < li->g->len; k++) {
    gl *g = &g_array_index(li->g, gl, k);
    if (is_space(g->cp)) continue;
    if (prev >= 0) {
      gl *p = &g_array_index(li->g, gl, prev);
      double gap = (g->x0 - p->x1) / EM;
      if ((kmb_is_han(p->cp) && is_latin(g->cp)) || (is_latin(p->cp) && kmb_is_han(g->cp)))
        g_array_append_val(out, gap);
      else if (spread && kmb_is_han(p->cp) && kmb_is_han(g->cp) && gap > *spread)
        *spread = gap;
    }
    prev = (int)k;
  }
}

/* Han↔Latin gaps on every line, in em */
static void gaps(result *r, GArray *out) {
  for (int i = 0; i < r->n; i++) line_gaps(&r->li[i], out, NULL);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(GArray *a) {
  if (!a->len) return NAN;
  qsort(a->data, a->len, sizeof(double), cmp_double);
  return g_array_index(a, double, a->len / 2);
}

/* U+2019 inside a Latin word is an apostrophe: Latin width, no CJK gaps
 * around it; between Chinese it stays a full-width closing quote. */
static void check_apostrophes(void) {
  const char *t = "他说don’t、It’s和O’Brien都是英文，‘好’字";
  result r = run_para(t, 40 * EM, 0, NULL, false);
  int seen = 0;
  for (int i = 0; i < r.n; i++) {
    GArray *g = r.li[i].g;
    for (guint k = 1; k + 1 < g->len; k++) {
      gl *a = &g_array_index(g, gl, k - 1), *b = &g_array_index(g, gl, k),
         *c = &g_array_index(g, gl, k + 1);
      if (b->cp != 0x2019) continue;
      if (is_latin(a->cp) && is_latin(c->cp)) {
        seen++;
        CHECK(b->adv < 0.4 * EM, "apostrophe %.3f em wide", b->adv / EM);
        CHECK(fabs(b->x0 - a->origin - a->adv) < 0.01 && fabs(c->origin - b->origin - b->adv) < 0.01,
              "apostrophe: a gap inside the word");
      } else {
        CHECK(b->adv > 0.45 * EM, "closing quote ’ after 好: %.3f em", b->adv / EM);
      }
    }
  }
  CHECK(seen == 3, "apostrophes seen: %d", seen);
  free_result(&r);
}

/* A URL in running text wraps at its parts or, at a cost, anywhere after
 * its scheme: no letter-spaced URL line, no Han text spread before it. */
static void check_urls(void) {
  const char *t = "详细说明请看https://github.com/typst-doc-cn/clreq/blob/main/src/requirements/"
                  "line-breaking.md这个页面的内容，还有www.example.org/a/very/long/path/name/here。";
  double han = 0, letter = 0;
  for (int chars = 12; chars <= 40; chars++) {
    result r = run_para(t, chars * EM, 0, NULL, false);
    for (int i = 0; i < r.n; i++) {
      CHECK(!g_str_has_suffix(r.li[i].text, "htt") && !g_str_has_suffix(r.li[i].text, "ww"),
            "urls %d: broken in the scheme: %s", chars, r.li[i].text);
      if (r.li[i].last) continue;
      GArray *g = r.li[i].g;
      for (guint k = 0; k + 1 < g->len; k++) {
        gl *a = &g_array_index(g, gl, k), *b = &g_array_index(g, gl, k + 1);
        if (kmb_is_han(a->cp) && kmb_is_han(b->cp)) han = fmax(han, a->adv / EM);
        if (is_latin(a->cp) && is_latin(b->cp)) letter = fmax(letter, (b->x0 - a->x1) / EM);
      }
    }
    free_result(&r);
  }
  /* measured: 1.17 em and 0.066 em; with UAX #14 breaks only, 2.18 em and 0.29 em */
  if (getenv("KMB_TYPO_DEBUG")) fprintf(stderr, "urls: han %.3f letter %.3f\n", han, letter);
  CHECK(han <= 1.2, "urls: Han characters set %.3f em apart", han);
  CHECK(letter <= 0.08, "urls: URL letter-spaced by %.3f em", letter);
}

/* Inline code gets the CJK–Latin gap whatever its first or last character. */
static void check_code_gaps(void) {
  const char *t = "调用printf()函数，再用(code)包起来";
  PangoAttrList *al = pango_attr_list_new();
  const char *spans[] = {"printf()", "(code)"};
  for (int k = 0; k < 2; k++) {
    PangoAttribute *a = pango_attr_family_new(ST.code_family);
    a->start_index = (guint)(strstr(t, spans[k]) - t);
    a->end_index = a->start_index + (guint)strlen(spans[k]);
    pango_attr_list_insert(al, a);
  }
  result r = run_para_attrs(t, 40 * EM, 0, NULL, false, al);
  int seen = 0;
  GArray *g = r.li[0].g;
  for (guint k = 0; k + 1 < g->len; k++) {
    gl *a = &g_array_index(g, gl, k), *b = &g_array_index(g, gl, k + 1);
    bool ah = kmb_is_han(a->cp), bh = kmb_is_han(b->cp);
    if (ah == bh || in_str(a->cp, CJK_PUNCT) || in_str(b->cp, CJK_PUNCT)) continue;
    seen++;
    double gap = (b->x0 - a->origin - (a->x1 - a->x0)) / EM;
    CHECK(fabs(gap - 0.25) < 0.03, "code gap U+%04X|U+%04X: %.3f em", a->cp, b->cp, gap);
  }
  CHECK(seen == 4, "code gaps seen: %d", seen);
  free_result(&r);
}

/* A word longer than the line breaks between letters with a hyphen drawn
 * (the hyphen joins the letter's cluster, so the text stays as written);
 * code never gets one. */
static void check_hyphens(void) {
  const char *t = "他写了Supercalifragilisticexpialidociousnessandmorewordsjoinedtogether"
                  "foreverandeverandeveragain这个长单词。";
  int hyphens = 0, lines = 0;
  for (int chars = 12; chars <= 24; chars++) {
    result r = run_para(t, chars * EM, 0, NULL, false);
    for (int i = 0; i + 1 < r.n; i++) {
      GArray *g = r.li[i].g;
      gl *e = &g_array_index(g, gl, g->len - 1);
      gl *n = &g_array_index(r.li[i + 1].g, gl, 0);
      if (!(is_latin(e->cp) && is_latin(n->cp))) continue;
      lines++;
      if (e->nglyphs == 2) hyphens++;
    }
    free_result(&r);
    r = run_para("let x = Supercalifragilisticexpialidociousnessandmorewordsjoinedtogether;", chars * EM,
                 0, NULL, true);
    for (int i = 0; i < r.n; i++)
      for (guint k = 0; k < r.li[i].g->len; k++)
        CHECK(g_array_index(r.li[i].g, gl, k).nglyphs == 1, "code %d: a hyphen in code", chars);
    free_result(&r);
  }
  CHECK(lines > 20 && hyphens == lines, "hyphens: %d of %d word breaks", hyphens, lines);
}

/* Latin letters at the end (from_end) or start of a line's text. */
static int edge_letters(const char *t, bool from_end) {
  int n = 0;
  glong len = g_utf8_strlen(t, -1);
  for (glong k = 0; k < len; k++) {
    gunichar c = g_utf8_get_char(g_utf8_offset_to_pointer(t, from_end ? len - 1 - k : k));
    if (!is_latin(c)) {
      if (n || (c != '-' && !is_space(c))) break;
      continue;
    }
    n++;
  }
  return n;
}

/* A Latin word wider than half the line whose pattern points are sparse
 * (English patterns in a German compound) breaks between letters, with a
 * hyphen, rather than spreading the Han characters before it (issue 14);
 * a break inside it keeps 2 letters before and 3 after. A letter break
 * costs EMERGENCY_PENALTY, what a line spread 0.31 em a gap costs. */
static void check_long_word(void) {
  const char *t = "这个德文单词 Donaudampfschifffahrtsgesellschaftskapitän 很长，我们都记不住，"
                  "也不知道它的意思，只好查一查词典。";
  int broken = 0;
  for (int chars = 14; chars <= 27; chars++) {
    result r = run_para(t, chars * EM, 2 * EM, NULL, false);
    for (int i = 0; i + 1 < r.n; i++) {
      GArray *g = r.li[i].g;
      for (guint k = 1; k < g->len; k++) {
        gl *a = &g_array_index(g, gl, k - 1), *b = &g_array_index(g, gl, k);
        if (!kmb_is_han(a->cp) || !kmb_is_han(b->cp)) continue;
        double gap = (b->x0 - a->x1) / EM;
        CHECK(gap <= 0.31, "long word %d, line %d: Han spread %.2f em", chars, i, gap);
      }
      int before = edge_letters(r.li[i].text, true), after = edge_letters(r.li[i + 1].text, false);
      if (before && after) {
        broken++;
        CHECK(before >= 2 && after >= 3, "long word %d: broken %d|%d letters", chars, before,
              after);
      }
    }
    free_result(&r);
  }
  CHECK(broken >= 14, "long word: broken %d times at 14 measures", broken);
}

static void test_spacing(void) {
  check_apostrophes();
  check_urls();
  check_code_gaps();
  check_hyphens();
  check_long_word();
  const char *t = "使用Pango排版，版本1.50发布于2022年。使用 Pango 排版，版本 1.50 发布于 2022 年。"
                  "我们用GPU训练了ResNet-50模型，准确率达到76%以上，比AlexNet高了很多；"
                  "在ImageNet数据集上，top-1 错误率是 23.9%。";
  for (int ff = 0; ff < 2; ff++) {
    GArray *all = g_array_new(FALSE, FALSE, sizeof(double));
    for (int chars = 16; chars <= 40; chars += 2) {
      kmb_style st = ST;
      st.total_fit = !ff;
      result r = run_para(t, chars * EM, 0, &st, false);
      /* jlreq §3.8.3-4: the gap shrinks to ⅛ em at most (the style stops
       * at 0.15 em) and opens to ½ em, wider only where the Han glue is
       * past its own stage too */
      GArray *g = g_array_new(FALSE, FALSE, sizeof(double));
      for (int i = 0; i < r.n; i++) {
        guint from = g->len;
        double spread;
        line_gaps(&r.li[i], g, &spread);
        for (guint k = from; k < g->len; k++) {
          double v = g_array_index(g, double, k);
          CHECK(v >= 0.14 && (v <= 0.52 || spread >= 0.08), "spacing %d chars, line %d: gap %.3f em, Han %.3f em",
                chars, i, v, spread);
        }
      }
      CHECK(g->len >= 10, "spacing: only %u Han–Latin neighbours", g->len);
      g_array_append_vals(all, g->data, g->len);
      g_array_free(g, TRUE);
      check_flush(&r, chars * EM, "spacing");
      free_result(&r);
    }
    double m = median(all);
    CHECK(fabs(m - 0.25) <= 0.03, "spacing (%s): median gap %.3f em", ff ? "first-fit" : "total-fit", m);
    g_array_free(all, TRUE);
  }
  /* on a ragged last line the gap is exactly the quarter em */
  result r = run_para("用Pango排版", 30 * EM, 0, NULL, false);
  GArray *g = g_array_new(FALSE, FALSE, sizeof(double));
  gaps(&r, g);
  CHECK(g->len == 2, "spacing: %u gaps", g->len);
  for (guint k = 0; k < g->len; k++)
    CHECK(fabs(g_array_index(g, double, k) - 0.25) < 0.005, "spacing: gap %.3f",
          g_array_index(g, double, k));
  g_array_free(g, TRUE);
  free_result(&r);
  /* a note reference (digits at 0.6 size, as inline.c sets them) hugs the text */
  {
    kmb_para_in in;
    memset(&in, 0, sizeof in);
    in.ctx = CTX;
    in.text = "脚注12，还有";
    in.len = (int)strlen(in.text);
    in.attrs = pango_attr_list_new();
    PangoAttribute *sc = pango_attr_scale_new(0.6);
    sc->start_index = 6;
    sc->end_index = 8;
    pango_attr_list_insert(in.attrs, sc);
    in.width = 30 * EM;
    in.justify = true;
    in.style = &ST;
    kmb_para para;
    kmb_error err;
    kmb_error_clear(&err);
    CHECK(kmb_para_break(&in, &para, &err), "note mark: %s", err.msg);
    CHECK(para.n_lines == 1 && para.lines[0].n_runs >= 2, "note mark: runs");
    if (para.n_lines == 1 && para.lines[0].n_runs >= 2)
      CHECK(fabs(para.lines[0].runs[1].x - 2 * EM) < 0.01, "note mark at %.3f",
            para.lines[0].runs[1].x);
    kmb_para_clear(&para);
    pango_attr_list_unref(in.attrs);
  }
  /* the text layer keeps the manuscript: no inserted characters */
  r = run_para("用Pango排版", 30 * EM, 0, NULL, false);
  CHECK(r.n == 1 && strcmp(r.li[0].text, "用Pango排版") == 0, "spacing: text changed");
  CHECK(r.li[0].g->len == 8, "spacing: %u clusters", r.li[0].g->len);
  free_result(&r);
}

/* combined advance of adjacent marks (second.x1 - first.x0), in em;
 * isolated marks' advance (next.x0 - x0) */
static void punct_measure(result *r, GArray *pairs, GArray *isolated) {
  for (int i = 0; i < r->n; i++) {
    lineinfo *li = &r->li[i];
    for (guint k = 0; k + 1 < li->g->len; k++) {
      gl *a = &g_array_index(li->g, gl, k), *b = &g_array_index(li->g, gl, k + 1);
      if (in_str(a->cp, CJK_PUNCT) && in_str(b->cp, CJK_PUNCT) &&
          !(a->cp == b->cp && (a->cp == 0x2026 || a->cp == 0x2014))) {
        double v = (b->x1 - a->x0) / EM;
        if (pairs) g_array_append_val(pairs, v);
      }
      if (k > 0 && in_str(a->cp, "，、。；：？！")) {
        gl *p = &g_array_index(li->g, gl, k - 1);
        if (!in_str(p->cp, CJK_PUNCT) && !in_str(b->cp, CJK_PUNCT)) {
          double v = (b->x0 - a->x0) / EM;
          if (isolated) g_array_append_val(isolated, v);
        }
      }
    }
  }
}

static void test_pairs(void) {
  const char *t = "他说：“你好。”她说：“好。”（注：这是括号。）我们走吧，“快点！”他喊道。"
                  "《论语》、《孟子》和《大学》，都是经典。「引号里『还有引号』。」";
  GArray *pairs = g_array_new(FALSE, FALSE, sizeof(double));
  GArray *iso = g_array_new(FALSE, FALSE, sizeof(double));
  for (int chars = 12; chars <= 40; chars++) {
    result r = run_para(t, chars * EM, 2 * EM, NULL, false);
    punct_measure(&r, pairs, iso);
    check_flush(&r, chars * EM, "pairs");
    CHECK(count_kinsoku(&r) == 0, "pairs %d: kinsoku", chars);
    free_result(&r);
  }
  CHECK(pairs->len > 100, "pairs: %u", pairs->len);
  for (guint k = 0; k < pairs->len; k++) {
    double v = g_array_index(pairs, double, k);
    CHECK(v <= 1.56 && v >= 1.0, "pairs: pair advance %.3f em", v);
  }
  double m = median(pairs);
  CHECK(m <= 1.55, "pairs: median %.3f", m);
  int sq = 0;
  for (guint k = 0; k < iso->len; k++)
    if (g_array_index(iso, double, k) < 0.85) sq++;
  CHECK(sq <= (int)(iso->len / 50), "pairs: %d of %u isolated marks squeezed", sq, iso->len);
  g_array_free(pairs, TRUE);
  g_array_free(iso, TRUE);
}

/* Regional punctuation (issue 14): Traditional Chinese fonts centre
 * ，。、：；！？ in their cells. The smallest ink gap between two adjacent
 * marks over many measures, in em; *centred_min: the narrowest advance of a
 * centred mark. KMB_TYPO_DEBUG=1 lists the close pairs. */
static double min_ink_gap(const char *lang, const kmb_style *st, double *centred_min) {
  const char *t = "他說：「我們走吧。」她問：「為什麼？」他答：「因為天黑了！」於是，「走」字成了"
                  "口頭禪。書名號《紅樓夢》、《三國演義》，都是經典。「這是『引號』裡的引號。」"
                  "他說，「好。」（括號）、【方括號】；還有：「冒號」！";
  pango_context_set_language(CTX, pango_language_from_string(lang));
  double gap = 1e9;
  *centred_min = 1e9;
  for (int chars = 12; chars <= 40; chars++) {
    result r = run_para(t, chars * EM, 2 * EM, st, false);
    CHECK(count_kinsoku(&r) == 0, "regional %s %d: kinsoku", lang, chars);
    check_flush(&r, chars * EM, "regional");
    for (int i = 0; i < r.n; i++) {
      GArray *g = r.li[i].g;
      for (guint k = 0; k < g->len; k++) {
        gl *a = &g_array_index(g, gl, k);
        if (in_str(a->cp, "，。、：；！？") && k + 1 < g->len && a->adv / EM < *centred_min)
          *centred_min = a->adv / EM;
        if (k + 1 < g->len) {
          gl *b = &g_array_index(g, gl, k + 1);
          if ((in_str(a->cp, CJK_PUNCT) && in_str(b->cp, CJK_PUNCT)) && getenv("KMB_TYPO_DEBUG") &&
              (b->ink0 - a->ink1) / EM < 0.3)
            fprintf(stderr, "%s%s %d: U+%04X U+%04X %.3f\n", lang, st ? "-forced" : "", chars, a->cp, b->cp, (b->ink0 - a->ink1) / EM);
          if (in_str(a->cp, CJK_PUNCT) && in_str(b->cp, CJK_PUNCT))
            gap = fmin(gap, (b->ink0 - a->ink1) / EM);
        }
      }
    }
    free_result(&r);
  }
  pango_context_set_language(CTX, pango_language_from_string("zh-cn"));
  return gap;
}

static void test_regional(void) {
  double adv;
  double g = min_ink_gap("zh-tw", NULL, &adv);
  /* measured: ≥ 0.3 em centred, 0.13 em (》、) when compressed as zh-Hans */
  CHECK(g >= 0.25, "zh-TW: marks' ink %.3f em from a neighbour's", g);
  CHECK(adv >= 0.97, "zh-TW: a centred mark set %.3f em wide", adv);
  g = min_ink_gap("zh-hk", NULL, &adv);
  CHECK(g >= 0.25 && adv >= 0.97, "zh-HK: ink gap %.3f em, centred mark %.3f em", g, adv);
  /* the same text compressed the Simplified way collides: the check can fail */
  kmb_style st = ST;
  st.punct_style = KMB_PUNCT_CORNER;
  g = min_ink_gap("zh-tw", &st, &adv);
  CHECK(g < 0.15 && adv < 0.6, "zh-TW forced corner: ink gap %.3f, centred mark %.3f", g, adv);
  /* zh-Hans keeps compressing (corner marks: the blank half goes) */
  min_ink_gap("zh-cn", NULL, &adv);
  CHECK(adv < 0.6, "zh-CN: no mark compressed (narrowest %.3f em)", adv);
  /* paragraph start: an opening bracket's ink lines up with the indent (on
   * for zh-Hans, off by default where marks are centred) */
  result r = run_para("「因為天黑了」於是我們走吧", 30 * EM, 2 * EM, NULL, false);
  gl *b = &g_array_index(r.li[0].g, gl, 0);
  CHECK(fabs(b->adv - 0.5 * EM) < 0.01 && b->ink0 > 2 * EM - 0.01 && b->ink0 < 2.2 * EM, /* 2.16; untrimmed 2.66 */
        "zh-CN paragraph start: bracket %.3f em wide, ink at %.3f em", b->adv / EM, b->ink0 / EM);
  free_result(&r);
  st = ST;
  st.para_start_trim = KMB_SWITCH_OFF;
  r = run_para("「因為天黑了」於是我們走吧", 30 * EM, 2 * EM, &st, false);
  b = &g_array_index(r.li[0].g, gl, 0);
  CHECK(fabs(b->adv - EM) < 0.01, "para_start_trim=false: bracket %.3f em", b->adv / EM);
  free_result(&r);
  pango_context_set_language(CTX, pango_language_from_string("zh-tw"));
  r = run_para("「因為天黑了」於是我們走吧", 30 * EM, 2 * EM, NULL, false);
  b = &g_array_index(r.li[0].g, gl, 0);
  CHECK(fabs(b->adv - EM) < 0.01, "zh-TW paragraph start: bracket %.3f em", b->adv / EM);
  free_result(&r);
  pango_context_set_language(CTX, pango_language_from_string("zh-cn"));
}

/* Japanese (jlreq): a wrapped line's opening bracket flush with the margin
 * (line_start_trim), a middle dot keeping its quarters beside a bracket, an
 * ideographic space after ？ taking no room at a line end, small kana kept
 * off a line's start unless line_break=normal. */
static void test_japanese(void) {
  pango_context_set_language(CTX, pango_language_from_string("ja"));
  const char *t = "あいうえおかきくけこさしすせそ「たちつてと」なにぬねの";
  result r = run_para(t, 15 * EM, 0, NULL, false);
  gl *b = r.n > 1 ? &g_array_index(r.li[1].g, gl, 0) : NULL;
  CHECK(b && b->cp == 0x300C && fabs(b->x0 + 0.5 * EM) < 0.01 && fabs(b->adv - 0.5 * EM) < 0.01,
        "ja wrapped line's bracket: box at %.3f em, %.3f em wide", b ? b->x0 / EM : 99, b ? b->adv / EM : 99);
  check_flush(&r, 15 * EM, "ja bracket");
  free_result(&r);
  kmb_style st = ST;
  st.line_start_trim = KMB_SWITCH_OFF;
  r = run_para(t, 15 * EM, 0, &st, false);
  b = r.n > 1 ? &g_array_index(r.li[1].g, gl, 0) : NULL;
  CHECK(b && fabs(b->x0) < 0.01 && fabs(b->adv - EM) < 0.01, "line_start_trim=false: box at %.3f em",
        b ? b->x0 / EM : 99);
  free_result(&r);
  /* 」・「: the dot keeps its em, the bracket after it gives up its blank */
  r = run_para("メニューの「ハム」・「チーズ」をえらぶ", 30 * EM, 0, NULL, false);
  int dots = 0;
  for (guint k = 0; k + 1 < r.li[0].g->len; k++) {
    gl *a = &g_array_index(r.li[0].g, gl, k), *c = &g_array_index(r.li[0].g, gl, k + 1);
    if (a->cp != 0x30FB) continue;
    dots++;
    CHECK(fabs(a->adv - EM) < 0.02 && fabs(c->adv - 0.5 * EM) < 0.02,
          "ja 」・「: dot %.3f em, bracket after it %.3f em", a->adv / EM, c->adv / EM);
  }
  CHECK(dots == 1, "ja 」・「: %d dots", dots);
  free_result(&r);
  /* ？ + U+3000 ending a line: the line is flush, the space takes no room */
  r = run_para("あいうえおかきくけ？　こさしすせそたちつてと", 10 * EM, 0, NULL, false);
  gl *q = NULL;
  for (guint i = 0; i < r.li[0].g->len; i++)
    if (g_array_index(r.li[0].g, gl, i).cp == 0xFF1F) q = &g_array_index(r.li[0].g, gl, i);
  CHECK(q && q->cp == 0xFF1F && fabs(q->origin + q->adv - 10 * EM) < 0.02,
        "ja ？ + U+3000 at a line end: ？ ends at %.3f em", q ? (q->origin + q->adv) / EM : 99);
  free_result(&r);
  /* small kana: never at a line start (strict), may be with normal */
  const char *k = "あいうえおかきくけこっさしすせそ";
  r = run_para(k, 10 * EM, 0, NULL, false);
  CHECK(r.n > 1 && g_array_index(r.li[1].g, gl, 0).cp != 0x3063, "ja strict: line 2 starts with っ");
  free_result(&r);
  st = ST;
  snprintf(st.line_break, sizeof st.line_break, "normal");
  r = run_para(k, 10 * EM, 0, &st, false);
  CHECK(r.n > 1 && g_array_index(r.li[1].g, gl, 0).cp == 0x3063,
        "ja line_break=normal: line 2 does not start with っ (the check cannot fail)");
  free_result(&r);
  pango_context_set_language(CTX, pango_language_from_string("zh-cn"));
}

static void test_lonely(void) {
  /* 2 full lines and one character at 20 characters a line */
  GString *s = g_string_new(NULL);
  for (int k = 0; k < 40; k++) g_string_append(s, k % 2 ? "字" : "文");
  g_string_append(s, "完");
  for (int ff = 0; ff < 2; ff++) {
    kmb_style st = ST;
    st.total_fit = !ff;
    result r = run_para(s->str, 20 * EM, 0, &st, false);
    CHECK(!is_lonely(&r), "lonely (%s): last line '%s'", ff ? "first-fit" : "total-fit",
          r.li[r.n - 1].text);
    check_flush(&r, 20 * EM, "lonely");
    free_result(&r);
    /* with a final stop too: "完。" is still a lonely character */
    GString *s2 = g_string_new(s->str);
    g_string_append(s2, "。");
    r = run_para(s2->str, 20 * EM, 0, &st, false);
    CHECK(!is_lonely(&r), "lonely+stop (%s): last line '%s'", ff ? "first-fit" : "total-fit",
          r.li[r.n - 1].text);
    free_result(&r);
    g_string_free(s2, TRUE);
  }
  /* switched off: the lonely character stays */
  kmb_style st = ST;
  st.no_lonely_char = false;
  result r = run_para(s->str, 20 * EM, 0, &st, false);
  CHECK(is_lonely(&r), "lonely off: expected a lonely last line, got '%s'", r.li[r.n - 1].text);
  free_result(&r);
  g_string_free(s, TRUE);
}

static void test_switches(void) {
  /* kinsoku off: some measure produces a comma at a line start */
  const char *t = HARD[0];
  int viol = 0;
  for (int chars = 10; chars <= 34; chars++) {
    kmb_style st = ST;
    st.kinsoku = false;
    result r = run_para(t, chars * EM, 0, &st, false);
    viol += count_kinsoku(&r);
    free_result(&r);
  }
  CHECK(viol > 0, "kinsoku=false changed nothing");
  /* CJK–Latin spacing off: gaps are the glue's stretch only */
  kmb_style st = ST;
  st.cjk_latin_space = false;
  result r = run_para("用Pango排版", 30 * EM, 0, &st, false);
  GArray *g = g_array_new(FALSE, FALSE, sizeof(double));
  gaps(&r, g);
  for (guint k = 0; k < g->len; k++)
    CHECK(fabs(g_array_index(g, double, k)) < 0.01, "cjk_latin_space=false: gap %.3f",
          g_array_index(g, double, k));
  g_array_free(g, TRUE);
  free_result(&r);
  /* compression off: pairs are 2 em */
  st = ST;
  st.punct_compress = false;
  r = run_para("好。”", 30 * EM, 0, &st, false);
  GArray *p = g_array_new(FALSE, FALSE, sizeof(double));
  punct_measure(&r, p, NULL);
  CHECK(p->len == 1 && fabs(g_array_index(p, double, 0) - 2.0) < 0.01, "punct_compress=false");
  free_result(&r);
  g_array_set_size(p, 0);
  r = run_para("好。”", 30 * EM, 0, NULL, false);
  punct_measure(&r, p, NULL);
  CHECK(p->len == 1 && fabs(g_array_index(p, double, 0) - 1.5) < 0.01, "punct_compress: %.3f",
        p->len ? g_array_index(p, double, 0) : -1);
  free_result(&r);
  /* opening pair: （“ — the second mark gives up its left blank and is drawn
   * inside its box */
  g_array_set_size(p, 0);
  r = run_para("好（“你”）", 30 * EM, 0, NULL, false);
  punct_measure(&r, p, NULL);
  CHECK(p->len == 2, "open pairs: %u", p->len);
  for (guint k = 0; k < p->len; k++)
    CHECK(fabs(g_array_index(p, double, k) - 1.5) < 0.01, "open/close pair %.3f",
          g_array_index(p, double, k));
  free_result(&r);
  g_array_free(p, TRUE);
  /* hanging punctuation (off by default): on, a stop may pass the measure */
  st = ST;
  st.hanging_punct = true;
  r = run_para("一二三四五六七八九十一二三四五六七八九十。一二三", 20 * EM, 0, &st, false);
  CHECK(r.n == 2 && g_str_has_suffix(r.li[0].text, "。"), "hanging: first line '%s'",
        r.li[0].text);
  if (r.n == 2) {
    /* the text is flush and the stop sits right after it, in the margin */
    CHECK(fabs(r.li[0].width - 20 * EM) <= 0.01, "hanging: width %.3f", r.li[0].width);
    gl *stop = &g_array_index(r.li[0].g, gl, r.li[0].g->len - 1);
    CHECK(fabs(stop->origin - 20 * EM) <= 0.01, "hanging: stop at %.3f", stop->origin);
  }
  free_result(&r);
  r = run_para("一二三四五六七八九十一二三四五六七八九十。一二三", 20 * EM, 0, NULL, false);
  CHECK(count_kinsoku(&r) == 0, "no hanging: kinsoku");
  free_result(&r);
}

static void test_code(void) {
  const char *t = "for (int i = 0; i < n; i++) { total += compute_something_long(i, \"中文\"); }";
  result r = run_para(t, 30 * EM, 0, NULL, true);
  CHECK(r.n >= 2, "code: %d lines", r.n);
  check_no_overflow(&r, 30 * EM, "code");
  check_coverage(&r, t, "code");
  /* spaces keep their width: not justified */
  for (int i = 0; i < r.n; i++)
    for (guint k = 0; k < r.li[i].g->len; k++) {
      gl *g = &g_array_index(r.li[i].g, gl, k);
      if (g->cp == ' ' && k + 1 < r.li[i].g->len)
        CHECK(fabs(g->adv - (g->x1 - g->x0)) < 0.01, "code: space width %.3f", g->adv);
    }
  free_result(&r);
  /* one line too long and without break opportunities */
  const char *u = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  r = run_para(u, 20 * EM, 0, NULL, true);
  CHECK(r.n >= 2, "code: long word %d lines", r.n);
  check_no_overflow(&r, 20 * EM, "code long word");
  free_result(&r);
  /* code in a monospaced font keeps its columns: no pair compression; code
   * mode on proportional text (a colophon URL line) still compresses */
  GArray *pp = g_array_new(FALSE, FALSE, sizeof(double));
  r = run_para("x = \"好。”\"", 30 * EM, 0, NULL, true);
  punct_measure(&r, pp, NULL);
  CHECK(pp->len == 1 && fabs(g_array_index(pp, double, 0) - 2.0) < 0.01, "code: mono pair %.3f",
        pp->len ? g_array_index(pp, double, 0) : -1);
  free_result(&r);
  g_array_set_size(pp, 0);
  {
    kmb_para_in in;
    memset(&in, 0, sizeof in);
    in.ctx = CTX;
    in.text = "视频（大学）：https://x.org";
    in.len = (int)strlen(in.text);
    in.width = 30 * EM;
    in.code = true;
    in.style = &ST;
    kmb_para para;
    kmb_error err;
    kmb_error_clear(&err);
    CHECK(kmb_para_break(&in, &para, &err), "code proportional: %s", err.msg);
    /* ）： — the closing paren gives up its blank half */
    double x_paren = -1, x_colon = -1;
    for (int k = 0; k < para.lines[0].n_runs; k++) {
      kmb_run *run = &para.lines[0].runs[k];
      PangoGlyphItemIter it;
      double x = run->x;
      for (gboolean ok = pango_glyph_item_iter_init_start(&it, run->gi, in.text); ok;
           ok = pango_glyph_item_iter_next_cluster(&it)) {
        uint32_t cp = g_utf8_get_char(in.text + it.start_index);
        if (cp == 0xFF09) x_paren = x;
        if (cp == 0xFF1A) x_colon = x;
        for (int g = it.start_glyph; g < it.end_glyph; g++)
          x += run->gi->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
      }
    }
    CHECK(fabs(x_colon - x_paren - 0.5 * EM) < 0.01, "code proportional: ）advance %.3f",
          x_colon - x_paren);
    kmb_para_clear(&para);
  }
  g_array_free(pp, TRUE);
  /* a LINE SEPARATOR is a forced break too */
  r = run_para("第一行\u2028第二行", 30 * EM, 0, NULL, false);
  CHECK(r.n == 2 && strcmp(r.li[1].text, "第二行") == 0, "U+2028: %d lines", r.n);
  free_result(&r);
  /* hard breaks */
  r = run_para("第一行\n第二行\n\n第四行", 30 * EM, 0, NULL, false);
  CHECK(r.n == 4, "hard breaks: %d lines", r.n);
  if (r.n == 4) {
    CHECK(r.li[0].last && r.li[1].last && r.li[2].last && r.li[3].last, "hard breaks: last flags");
    CHECK(strcmp(r.li[1].text, "第二行") == 0 && r.li[2].text[0] == 0, "hard breaks: text");
  }
  free_result(&r);
}

/* ---------------------------------------------------------------------- */
/* inline code, wrapped code lines, identifiers in cells (issue 13)        */

static PangoAttrList *mono_spans(const char *t, const char *const *spans, int n, int *ranges) {
  PangoAttrList *al = pango_attr_list_new();
  for (int k = 0; k < n; k++) {
    PangoAttribute *a = pango_attr_family_new(ST.code_family);
    a->start_index = (guint)(strstr(t, spans[k]) - t);
    a->end_index = a->start_index + (guint)strlen(spans[k]);
    ranges[2 * k] = (int)a->start_index, ranges[2 * k + 1] = (int)a->end_index;
    pango_attr_list_insert(al, a);
  }
  return al;
}

static bool in_ranges(const int *r, int n, int at, bool inside) {
  for (int k = 0; k < n; k++)
    if (inside ? at > r[2 * k] && at < r[2 * k + 1] : at >= r[2 * k] && at < r[2 * k + 1])
      return true;
  return false;
}

/* Inline code breaks after a space, / or , only; elsewhere at a fallback
 * point that shows a mark (a second glyph in the line's last cluster) and
 * leaves the line at its natural width: no hyphen break, no Han characters
 * spread beside a long span, 。 after code never squeezed. */
static void test_inline_code(void) {
  const char *t = "在终端里运行diff -r some-dir other-dir比较两个目录，参数${2:-logfile}给出默认的"
                  "文件名，再用tar -xzf archive-name.tar.gz解包。函数kmb_para_break_with_a_very_long_"
                  "identifier_name_that_cannot_fit太长，链接器选项-Wl,--stack=128000000把栈开大，写成"
                  "some-long-hyphenated-name-in-code的名字。先运行make。接着运行make install。最后用"
                  "ls -la some-dir/sub-dir看看，也可以用x-y-z。";
  const char *const spans[] = {"diff -r some-dir other-dir", "${2:-logfile}",
                               "tar -xzf archive-name.tar.gz",
                               "kmb_para_break_with_a_very_long_identifier_name_that_cannot_fit",
                               "-Wl,--stack=128000000", "some-long-hyphenated-name-in-code", "make",
                               "make install", "ls -la some-dir/sub-dir", "x-y-z"};
  int n = (int)G_N_ELEMENTS(spans), ranges[2 * G_N_ELEMENTS(spans)];
  int hyph = 0, fallbacks = 0, marked = 0, spaced = 0, squeezed = 0, stops = 0, breaks = 0;
  /* measures of real pages (A5: 31, B5: 38 characters); below ~18 a line
   * before a long code word can stay loose where no break point fits */
  for (int chars = 20; chars <= 44; chars++) {
    result r = run_para_attrs(t, chars * EM, 2 * EM, NULL, false, mono_spans(t, spans, n, ranges));
    for (int i = 0; i < r.n; i++) {
      GArray *g = r.li[i].g;
      for (guint k = 1; k + 1 < g->len; k++) { /* 。 after code, inside the line */
        gl *a = &g_array_index(g, gl, k - 1), *b = &g_array_index(g, gl, k);
        if (b->cp != 0x3002 || !in_ranges(ranges, n, a->off, false)) continue;
        stops++;
        if (b->adv < 0.85 * EM) squeezed++;
      }
      if (i + 1 == r.n) continue;
      int at = r.para.lines[i + 1].start;
      gl *e = &g_array_index(g, gl, g->len - 1);
      if (in_ranges(ranges, n, at, true)) {
        breaks++;
        char before = t[at - 1];
        if (before == '-') {
          hyph++;
          fprintf(stderr, "inline code %d: after a hyphen at ...%.12s|%.8s\n", chars, t + at - 12, t + at);
        }
        else if (before != ' ' && before != '/' && before != ',') {
          fallbacks++;
          if (e->nglyphs == 2) marked++;
        }
      }
      /* Han characters spread: on a line that ends in code or before code */
      bool by_code = in_ranges(ranges, n, e->off, false) || in_ranges(ranges, n, at, false);
      for (guint k = 0; by_code && k + 1 < g->len; k++) {
        gl *a = &g_array_index(g, gl, k), *b = &g_array_index(g, gl, k + 1);
        if (!kmb_is_han(a->cp) || !kmb_is_han(b->cp)) continue;
        double extra = (b->origin - a->origin - (a->x1 - a->x0)) / EM;
        if (extra > 0.1) {
          spaced++;
          fprintf(stderr, "inline code %d: +%.2f em on line \"%s\"\n", chars, extra, r.li[i].text);
          break;
        }
      }
    }
    free_result(&r);
  }
  CHECK(breaks > 40, "inline code: only %d breaks inside code", breaks);
  CHECK(hyph == 0, "inline code: %d breaks after a hyphen", hyph);
  CHECK(fallbacks > 10 && marked == fallbacks, "inline code: %d of %d fallback breaks marked",
        marked, fallbacks);
  CHECK(spaced == 0, "inline code: %d lines with Han characters > 0.1 em apart beside code", spaced);
  CHECK(stops > 20 && squeezed == 0, "inline code: %d of %d 。 after code squeezed", squeezed, stops);
}

/* A code block's line (wrap_mark) ends every line but its last with the
 * mark; without wrap_mark (the colophon's URL line) none. */
static void test_wrap_marks(void) {
  const char *t = "for (int i = 0; i < n; i++) { total += compute_something_long(i, \"中文\"); } "
                  "/* a comment that goes well past the measure of the page */";
  int lines = 0, marked = 0, extra = 0;
  for (int chars = 10; chars <= 30; chars++) {
    RUN_WRAP_MARK = true;
    result r = run_para(t, chars * EM, 0, NULL, true);
    RUN_WRAP_MARK = false;
    for (int i = 0; i < r.n; i++) {
      GArray *g = r.li[i].g;
      int ng = g_array_index(g, gl, g->len - 1).nglyphs;
      if (i + 1 < r.n) lines++, marked += ng == 2;
      else extra += ng != 1;
    }
    check_no_overflow(&r, chars * EM, "wrap marks");
    check_coverage(&r, t, "wrap marks");
    free_result(&r);
    r = run_para(t, chars * EM, 0, NULL, true);
    for (int i = 0; i < r.n; i++)
      for (guint k = 0; k < r.li[i].g->len; k++) extra += g_array_index(r.li[i].g, gl, k).nglyphs != 1;
    free_result(&r);
  }
  CHECK(lines > 20 && marked == lines, "wrap marks: %d of %d wrapped lines", marked, lines);
  CHECK(extra == 0, "wrap marks: %d marks where none belongs", extra);
}

/* Table cells (ident): an identifier or path breaks after / _ . - : or at a
 * camel-case hump where it has one, never inside a run of letters then,
 * and never with a hyphen. */
static void test_cells(void) {
  const char *t = "libXrender.so.1 libpng12-0-32bit /usr/lib/x86_64-linux-gnu/libglib-2.0.so.0 "
                  "libQt5WebEngineCore.so.5 Fedora openSUSE";
  int inside = 0, breaks = 0, hyphens = 0;
  /* cells of 6 to 14 characters: every part of these names fits */
  for (int chars = 6; chars <= 14; chars++) {
    RUN_IDENT = RUN_RAGGED = true;
    result r = run_para(t, chars * EM * 0.9, 0, NULL, false);
    RUN_IDENT = RUN_RAGGED = false;
    for (int i = 0; i + 1 < r.n; i++) {
      int at = r.para.lines[i + 1].start;
      char a = t[at - 1], b = t[at];
      GArray *g = r.li[i].g;
      if (a == ' ' || b == ' ') continue;
      int s0 = at, s1 = at; /* the token: is it an identifier? */
      while (s0 > 0 && t[s0 - 1] != ' ') s0--;
      while (t[s1] && t[s1] != ' ') s1++;
      if (!memchr(t + s0, '.', s1 - s0) && !memchr(t + s0, '-', s1 - s0) &&
          !memchr(t + s0, '/', s1 - s0))
        continue; /* a plain word (openSUSE): the ordinary rules */
      breaks++;
      hyphens += g_array_index(g, gl, g->len - 1).nglyphs != 1;
      if (strchr("/_.-:", a) || (g_ascii_islower(a) && g_ascii_isupper(b))) continue;
      inside++;
      fprintf(stderr, "cells %d: inside a run at %.*s|%.*s\n", chars, at - s0, t + s0, s1 - at, t + at);
    }
    free_result(&r);
  }
  CHECK(breaks > 10, "cells: only %d breaks inside identifiers", breaks);
  CHECK(inside == 0, "cells: %d breaks inside a run of letters", inside);
  CHECK(hyphens == 0, "cells: %d hyphens added", hyphens);
}

/* Bounded work: the breaker's cost per character stays flat as paragraphs
 * grow from 1,000 to 100,000 characters (counted in line evaluations, not
 * timed), for total-fit and first-fit. */
static void test_linear(void) {
  const char *pat = "数据效率是一个重要的问题，我们在ImageNet上训练了ResNet模型（约25M参数），"
                    "准确率为76.1%；“它的效果——如你所见——相当好……”。";
  int sizes[3] = {1000, 10000, 100000};
  for (int ff = 0; ff < 2; ff++) {
    double per[3];
    for (int s = 0; s < 3; s++) {
      GString *t = g_string_new(NULL);
      while ((int)g_utf8_strlen(t->str, -1) < sizes[s]) g_string_append(t, pat);
      kmb_style st = ST;
      st.total_fit = !ff;
      result r = run_para(t->str, MEASURE, 2 * EM, &st, false);
      per[s] = (double)r.stats.work / r.stats.units;
      fprintf(stderr,
              "linear %s: %6d chars: %6zu units, %6zu breaks, %8zu evaluations (%.2f per unit), "
              "max active %zu, %d lines\n",
              ff ? "first-fit" : "total-fit", sizes[s], r.stats.units, r.stats.breaks,
              r.stats.work, per[s], r.stats.max_active, r.n);
      CHECK(r.stats.max_active <= 200, "linear: %zu active nodes", r.stats.max_active);
      CHECK(count_kinsoku(&r) == 0, "linear: kinsoku");
      check_flush(&r, MEASURE, "linear");
      free_result(&r);
      g_string_free(t, TRUE);
    }
    CHECK(per[2] <= per[1] * 1.05 && per[2] <= per[0] * 1.25 && per[2] < 100,
          "linear: work per unit %.2f → %.2f → %.2f", per[0], per[1], per[2]);
  }
}

/* Random paragraphs from a hard alphabet (marks, spaces, newlines, tabs,
 * combining marks, emoji, Arabic, long Latin words) at random measures,
 * including measures narrower than one character: no crash, the lines cover
 * the text, and every switch combination works. Run it under the Asan build
 * type to catch memory errors. */
static void test_fuzz(void) {
  static const char *atoms[] = {"字", "中", "文", "，", "。", "、", "“", "”", "（", "）", "《", "》",
                                "——", "……", " ", "  ", "\n", "\t", "a", "Word", "12", "3.5%",
                                "https://x.org/a/b", "é", "e\xcc\x81", "😀", "مرحبا", "：", "！",
                                "「", "」", "·", "km", "\xe3\x80\x80", "\u2028"};
  GRand *rnd = g_rand_new_with_seed(12345);
  for (int iter = 0; iter < 400; iter++) {
    GString *t = g_string_new(NULL);
    int n = g_rand_int_range(rnd, 0, 80);
    for (int k = 0; k < n; k++)
      g_string_append(t, atoms[g_rand_int_range(rnd, 0, G_N_ELEMENTS(atoms))]);
    kmb_style st = ST;
    st.total_fit = g_rand_boolean(rnd);
    st.kinsoku = g_rand_int_range(rnd, 0, 4) != 0;
    st.punct_compress = g_rand_int_range(rnd, 0, 4) != 0;
    st.cjk_latin_space = g_rand_int_range(rnd, 0, 4) != 0;
    st.hanging_punct = g_rand_int_range(rnd, 0, 4) == 0;
    st.no_lonely_char = g_rand_int_range(rnd, 0, 4) != 0;
    double w = g_rand_double_range(rnd, 0.3, 40) * EM;
    bool code = g_rand_int_range(rnd, 0, 5) == 0;
    double indent = g_rand_boolean(rnd) ? 2 * EM : 0;
    result r = run_para(t->str, w, indent, &st, code);
    char what[64];
    snprintf(what, sizeof what, "fuzz %d", iter);
    check_coverage(&r, t->str, what);
    for (int i = 0; i < r.n; i++) {
      kmb_line *ln = &r.para.lines[i];
      CHECK(ln->ascent >= 0 && ln->descent >= 0 && isfinite(ln->width), "%s: line %d metrics", what, i);
      for (int k = 0; k < ln->n_runs; k++)
        CHECK(isfinite(ln->runs[k].x) && ln->runs[k].gi && ln->runs[k].gi->glyphs->num_glyphs > 0,
              "%s: run", what);
    }
    free_result(&r);
    g_string_free(t, TRUE);
  }
  g_rand_free(rnd);
}

/* ---------------------------------------------------------------------- */
/* golden dumps of the test book                                           */

/* A crude Markdown → paragraphs splitter, enough for the test book: blank
 * lines separate paragraphs; headings, quotes, list markers, emphasis and
 * backticks are stripped; soft breaks between CJK characters disappear. */
static GPtrArray *md_paragraphs(const char *src) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  char **lines = g_strsplit(src, "\n", -1);
  GString *cur = g_string_new(NULL);
  bool fence = false, front = false;
  for (int i = 0; lines[i]; i++) {
    char *l = lines[i];
    if (i == 0 && strcmp(l, "---") == 0) {
      front = true;
      continue;
    }
    if (front) {
      if (strcmp(l, "---") == 0) front = false;
      continue;
    }
    if (g_str_has_prefix(l, "```")) {
      fence = !fence;
      if (cur->len) g_ptr_array_add(out, g_string_free(cur, FALSE)), cur = g_string_new(NULL);
      continue;
    }
    if (fence) {
      g_ptr_array_add(out, g_strconcat("\x01", l, NULL)); /* a code line */
      continue;
    }
    char *s = l;
    while (*s == ' ') s++;
    if (!*s) {
      if (cur->len) g_ptr_array_add(out, g_string_free(cur, FALSE)), cur = g_string_new(NULL);
      continue;
    }
    while (*s == '#' || *s == '>') s++;
    if ((s[0] == '-' || s[0] == '*') && s[1] == ' ') s += 2;
    while (*s == ' ') s++;
    if (cur->len && *s) {
      uint32_t a = kmb_utf8_last(cur->str, cur->len), b = g_utf8_get_char(s);
      if (!(kmb_is_cjk(a) && kmb_is_cjk(b))) g_string_append_c(cur, ' ');
    }
    for (; *s; s++)
      if (*s != '*' && *s != '`') g_string_append_c(cur, *s);
  }
  if (cur->len) g_ptr_array_add(out, g_string_free(cur, FALSE));
  else g_string_free(cur, TRUE);
  g_strfreev(lines);
  return out;
}

static char *dump_file(const char *path, bool first_fit) {
  char *src = NULL;
  if (!g_file_get_contents(path, &src, NULL, NULL)) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  GPtrArray *paras = md_paragraphs(src);
  GString *out = g_string_new(NULL);
  kmb_style st = ST;
  if (first_fit) st.total_fit = false;
  for (guint k = 0; k < paras->len; k++) {
    const char *t = g_ptr_array_index(paras, k);
    bool code = t[0] == '\x01';
    if (code) t++;
    result r = run_para(t, MEASURE, code ? 0 : 2 * EM, &st, code);
    g_string_append_printf(out, "¶%u%s\n", k + 1, code ? " code" : "");
    for (int i = 0; i < r.n; i++) g_string_append_printf(out, "%s\n", r.li[i].text);
    free_result(&r);
  }
  g_ptr_array_free(paras, TRUE);
  g_free(src);
  return g_string_free(out, FALSE);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden(const char *bookdir, const char *goldir, bool regen) {
  GDir *d = g_dir_open(bookdir, 0, NULL);
  if (!d) {
    fprintf(stderr, "cannot open %s\n", bookdir);
    exit(2);
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)))
    if (g_str_has_suffix(name, ".md")) g_ptr_array_add(names, g_strdup(name));
  g_dir_close(d);
  qsort(names->pdata, names->len, sizeof(char *), cmp_str);
  for (guint k = 0; k < names->len; k++) {
    name = g_ptr_array_index(names, k);
    char *src = g_build_filename(bookdir, name, NULL);
    char *base = g_strndup(name, strlen(name) - 3);
    char *gname = g_strconcat(base, ".lines", NULL);
    char *gpath = g_build_filename(goldir, gname, NULL);
    char *got = dump_file(src, false);
    if (regen) {
      g_file_set_contents(gpath, got, -1, NULL);
      fprintf(stderr, "wrote %s\n", gpath);
    } else {
      char *want = NULL;
      if (!g_file_get_contents(gpath, &want, NULL, NULL)) {
        CHECK(0, "golden: missing %s (run with --regen)", gpath);
      } else if (strcmp(want, got) != 0) {
        char *tmp = g_strconcat(gpath, ".actual", NULL);
        g_file_set_contents(tmp, got, -1, NULL);
        CHECK(0, "golden: %s differs (see %s; diff, then --regen if intended)", gpath, tmp);
        g_free(tmp);
      }
      g_free(want);
    }
    g_free(got);
    g_free(src);
    g_free(base);
    g_free(gname);
    g_free(gpath);
  }
  g_ptr_array_free(names, TRUE);
}


/* ---------------------------------------------------------------------- */
/* Korean: words are kept whole (keep-all), the spaces take the slack      */

static bool is_hangul(uint32_t c) {
  return c >= 0xAC00 && c <= 0xD7A3;
}

/* Lines that end in a Hangul syllable while the next line starts with one:
 * a word cut in two (Korean puts a space between words). */
static int count_cut_words(result *r) {
  int cut = 0;
  for (int i = 0; i + 1 < r->n; i++) {
    lineinfo *a = &r->li[i], *b = &r->li[i + 1];
    if (a->last || a->g->len == 0 || b->g->len == 0) continue;
    if (is_hangul(g_array_index(a->g, gl, a->g->len - 1).cp) &&
        is_hangul(g_array_index(b->g, gl, 0).cp))
      cut++;
  }
  return cut;
}

static void test_korean(void) {
  const char *t = "대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 "
                  "국민으로부터 나온다. HTTP는 HTML 문서와 같은 리소스들을 가져올 수 있도록 "
                  "해주는 프로토콜입니다. 클라이언트와 서버들은 (데이터 스트림과 대조적으로) "
                  "개별적인 메시지 교환에 의해 통신합니다.";
  PangoLanguage *zh = pango_context_get_language(CTX);
  int cut_zh = 0;
  for (int chars = 12; chars <= 30; chars++) {
    for (int ff = 0; ff < 2; ff++) {
      kmb_style st = ST;
      st.total_fit = !ff;
      double w = chars * EM;
      char what[64];
      snprintf(what, sizeof what, "korean %d chars %s", chars, ff ? "first-fit" : "total-fit");
      /* the control: without the language, UAX #14 breaks inside words */
      result r = run_para(t, w, 0, &st, false);
      cut_zh += count_cut_words(&r);
      free_result(&r);
      pango_context_set_language(CTX, pango_language_from_string("ko"));
      r = run_para(t, w, 0, &st, false);
      pango_context_set_language(CTX, zh);
      CHECK(count_cut_words(&r) == 0, "%s: %d lines break inside a word", what, count_cut_words(&r));
      check_flush(&r, w, what);
      check_no_overflow(&r, w, what);
      check_coverage(&r, t, what);
      /* no letter-spacing: consecutive syllables of a word touch, so all of
       * a justified line's slack is in its spaces (a line of one word, with
       * no space inside, is letter-spaced like a lone long Latin word) */
      for (int i = 0; i < r.n; i++) {
        GArray *g = r.li[i].g;
        int f0 = first_ns(&r.li[i]), f1 = last_ns(&r.li[i]);
        bool inner_space = false;
        for (int k = f0; f0 >= 0 && k < f1; k++) inner_space |= is_space(g_array_index(g, gl, k).cp);
        if (!inner_space) continue;
        for (guint k = 0; k + 1 < g->len; k++) {
          gl *a = &g_array_index(g, gl, k), *b = &g_array_index(g, gl, k + 1);
          if (!is_hangul(a->cp) || !is_hangul(b->cp)) continue;
          CHECK(fabs(b->x0 - a->x1) < 0.01, "%s: line %d: %.3f pt between two syllables: %s", what,
                i, b->x0 - a->x1, r.li[i].text);
        }
      }
      free_result(&r);
    }
  }
  CHECK(cut_zh > 0, "korean: the control (zh-cn) never broke inside a word; the test proves nothing");
}

/* Looseness: asked for a line more or fewer, the paragraph gets exactly
 * that many lines, still flush and covering the text, when a setting within
 * the style's badness limit exists; else, and always with the limit 0 (off),
 * the best setting, unchanged. */
static void test_looseness(void) {
  const char *t = "玄德聞歌，勒馬喚農夫問曰：「此歌何人所作？」答曰：「乃臥龍先生所作也。」"
                  "玄德曰：「臥龍先生住何處？」農夫曰：「自此山之南，一帶高岡，乃臥龍岡也。"
                  "岡前疏林內茅廬中，即諸葛先生高臥之地。」玄德謝之，策馬前行。不數里，遙望臥龍岡，"
                  "果然清景異常。";
  int more = 0, fewer = 0, tries = 0;
  for (int chars = 14; chars <= 30; chars++) {
    double w = chars * EM;
    RUN_LOOSENESS = 0;
    result base = run_para(t, w, 0, NULL, false);
    for (int by = -1; by <= 1; by += 2) {
      RUN_LOOSENESS = by;
      result r = run_para(t, w, 0, NULL, false);
      tries++;
      if (r.para.loosened) {
        CHECK(r.n == base.n + by, "looseness %d at %d chars: %d lines, not %d", by, chars, r.n,
              base.n + by);
        check_flush(&r, w, "looseness");
        check_no_overflow(&r, w, "looseness");
        check_coverage(&r, t, "looseness");
        more += by > 0, fewer += by < 0;
      } else {
        CHECK(r.n == base.n, "looseness %d at %d chars refused, yet %d lines, not %d", by, chars,
              r.n, base.n);
        for (int i = 0; i < r.n && r.n == base.n; i++)
          CHECK(!strcmp(r.li[i].text, base.li[i].text), "looseness refused changed line %d", i);
      }
      free_result(&r);
      /* off: never loosened */
      kmb_style off = ST;
      off.pdf.looseness_max_badness = 0;
      r = run_para(t, w, 0, &off, false);
      CHECK(!r.para.loosened && r.n == base.n, "looseness with limit 0 at %d chars", chars);
      free_result(&r);
    }
    free_result(&base);
  }
  RUN_LOOSENESS = 0;
  CHECK(more > 0 && fewer > 0, "looseness: a line more %d times, fewer %d times of %d each", more,
        fewer, tries / 2);
  printf("looseness: a line more at %d, fewer at %d of %d measures\n", more, fewer, tries / 2);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: kmb_typo TEST | golden BOOK GOLDEN [--regen] | dump FILE.md [--first-fit]\n");
    return 2;
  }
  setup();
  const char *t = argv[1];
  bool all = strcmp(t, "all") == 0;
  if (all || !strcmp(t, "props")) test_props();
  if (all || !strcmp(t, "kinsoku")) test_kinsoku();
  if (all || !strcmp(t, "justify")) test_justify();
  if (all || !strcmp(t, "spacing")) test_spacing();
  if (all || !strcmp(t, "pairs")) test_pairs();
  if (all || !strcmp(t, "lonely")) test_lonely();
  if (all || !strcmp(t, "regional")) test_regional();
  if (all || !strcmp(t, "japanese")) test_japanese();
  if (all || !strcmp(t, "switches")) test_switches();
  if (all || !strcmp(t, "code")) test_code();
  if (all || !strcmp(t, "inline-code")) test_inline_code();
  if (all || !strcmp(t, "wrap-marks")) test_wrap_marks();
  if (all || !strcmp(t, "cells")) test_cells();
  if (all || !strcmp(t, "linear")) test_linear();
  if (all || !strcmp(t, "fuzz")) test_fuzz();
  if (all || !strcmp(t, "korean")) test_korean();
  if (all || !strcmp(t, "looseness")) test_looseness();
  if (!strcmp(t, "golden")) {
    if (argc < 4) return 2;
    test_golden(argv[2], argv[3], argc > 4 && !strcmp(argv[4], "--regen"));
  }
  if (!strcmp(t, "dump") && argc >= 3) {
    char *s = dump_file(argv[2], argc > 3 && !strcmp(argv[3], "--first-fit"));
    fputs(s, stdout);
    g_free(s);
  }
  if (!strcmp(t, "geom") && argc >= 4) { /* kmb_typo geom TEXT CHARS: boxes per glyph */
    result r = run_para(argv[2], atof(argv[3]) * EM, 0, NULL, false);
    for (int i = 0; i < r.n; i++) {
      printf("line %d width %.3f%s\n", i, r.li[i].width, r.li[i].last ? " last" : "");
      for (guint k = 0; k < r.li[i].g->len; k++) {
        gl *g = &g_array_index(r.li[i].g, gl, k);
        char u[8] = "";
        g_unichar_to_utf8(g->cp, u);
        printf("  %s x0 %.3f x1 %.3f adv %.3f\n", u, g->x0, g->x1, g->adv);
      }
    }
    free_result(&r);
  }
  if (!strcmp(t, "para") && argc >= 4) { /* kmb_typo para TEXT CHARS */
    result r = run_para(argv[2], atof(argv[3]) * EM, 0, NULL, false);
    dump(&r, stdout);
    free_result(&r);
  }
  g_object_unref(CTX);
  kmb_fonts_drop(FONTS);
  if (failures) fprintf(stderr, "%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
