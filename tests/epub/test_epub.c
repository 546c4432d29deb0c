/* EPUB writer tests on a hand-built book (no reader needed).
 *
 *   kmb_epub_test unit          in-process checks (structure, determinism
 *                               across time zones, warnings, strict mode,
 *                               sanitising, sniffing, CSS)
 *   kmb_epub_test write OUT     writes the hand-built book (for EPUBCheck)
 *   kmb_epub_test check EPUB    read-back checks on any EPUB
 *   kmb_epub_test extract EPUB DIR   unpacks an EPUB (no unzip needed)
 */
#include "check.h"
#include "epub/epub-imp.h"
#include "read/resolve.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#ifndef KMB_TEST_EPUB_DIR
#error "KMB_TEST_EPUB_DIR must be defined"
#endif

static int failures, checks;
#define OK(cond, ...)                                                                              \
  do {                                                                                             \
    checks++;                                                                                      \
    if (!(cond)) {                                                                                 \
      failures++;                                                                                  \
      fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);                                        \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fprintf(stderr, "\n");                                                                       \
    }                                                                                              \
  } while (0)

/* --- a tiny builder --- */
static kmb_arena *A;
static int line_no;

static kmb_node *N(kmb_node_type t) {
  return kmb_node_new(A, t, ++line_no, 1);
}
static kmb_node *add(kmb_node *p, kmb_node *c) {
  kmb_node_append(p, c);
  return c;
}
static kmb_node *lit(kmb_node_type t, const char *s) {
  kmb_node *n = N(t);
  n->literal = kmb_arena_strdup(A, s);
  n->len = strlen(s);
  return n;
}
static kmb_node *T(const char *s) {
  return lit(KMB_NODE_TEXT, s);
}
static kmb_node *wrap(kmb_node_type t, kmb_node *child) {
  kmb_node *n = N(t);
  add(n, child);
  return n;
}
static kmb_node *para(kmb_node *parent, const char *text) {
  kmb_node *p = add(parent, N(KMB_NODE_PARAGRAPH));
  if (text) add(p, T(text));
  return p;
}
static kmb_node *heading(kmb_node *parent, int level, const char *id, const char *text) {
  kmb_node *h = add(parent, N(KMB_NODE_HEADING));
  h->as.heading.level = level;
  h->as.heading.id = id ? kmb_arena_strdup(A, id) : NULL;
  add(h, T(text));
  return h;
}
static kmb_node *mklink(int chapter, const char *frag, const char *url, const char *text) {
  kmb_node *l = N(KMB_NODE_LINK);
  l->as.link.url = url;
  l->as.link.title = "";
  l->as.link.chapter = chapter;
  l->as.link.fragment = frag;
  add(l, T(text));
  return l;
}
static kmb_node *image(kmb_node_type t, const char *file, const char *url, const char *alt) {
  kmb_node *n = N(t);
  n->as.image.url = url ? url : file;
  n->as.image.title = "";
  n->as.image.path = file ? kmb_arena_printf(A, "%s/feature-book/images/%s", KMB_TEST_EPUB_DIR, file)
                          : NULL;
  n->as.image.remote = file == NULL;
  if (alt) add(n, T(alt));
  return n;
}
static kmb_node *note_ref(kmb_node *def) {
  kmb_node *r = N(KMB_NODE_FOOTNOTE_REF);
  r->as.note.label = def->as.note.label;
  r->as.note.index = def->as.note.index;
  r->as.note.def = def;
  return r;
}

static kmb_book *feature_book(void) {
  A = kmb_arena_new();
  line_no = 0;
  kmb_book *b = kmb_arena_alloc(A, sizeof *b);
  b->arena = A;
  b->dir = kmb_arena_printf(A, "%s/feature-book", KMB_TEST_EPUB_DIR);
  b->meta_path = "book.yaml";
  kmb_meta *m = &b->meta;
  m->title = "排版测试书";
  m->subtitle = "kmbook 的功能样书";
  m->creators = kmb_arena_alloc(A, sizeof(kmb_person));
  m->creators[0] = (kmb_person){"张三", "aut", "Zhang San", NULL, NULL};
  m->n_creators = 1;
  m->contributors = kmb_arena_alloc(A, sizeof(kmb_person));
  m->contributors[0] = (kmb_person){"李四", "trl", NULL, NULL, NULL};
  m->n_contributors = 1;
  m->lang = "zh-Hans";
  m->date = "2026-01-15";
  m->publisher = "kmbook 项目";
  m->rights = "CC BY 4.0";
  m->description = "用来检验 EPUB 写出器的样书。";
  static const char *subjects[] = {"排版", "EPUB"};
  m->subjects = subjects;
  m->n_subjects = 2;
  b->n_chapters = 3;
  b->chapters = kmb_arena_alloc(A, 3 * sizeof(kmb_chapter));
  b->newest_mtime = 1700000000;
  static const kmb_align align[3] = {KMB_ALIGN_LEFT, KMB_ALIGN_CENTER, KMB_ALIGN_RIGHT};

  /* chapter 1 */
  kmb_chapter *c = &b->chapters[0];
  c->path = "/book/ch01.md", c->rel = "ch01.md", c->id = "ch01", c->title = "第一章　排版的基本规则";
  kmb_node *r = c->root = N(KMB_NODE_ROOT);
  heading(r, 1, "第一章", "第一章　排版的基本规则");
  kmb_node *def1 = N(KMB_NODE_FOOTNOTE_DEF);
  def1->as.note.index = 1;
  def1->as.note.label = "1";
  kmb_node *p = para(r, "中文排版讲究");
  add(p, wrap(KMB_NODE_EMPH, T("避头尾")));
  add(p, T("与"));
  add(p, wrap(KMB_NODE_STRONG, T("标点挤压")));
  add(p, T("，代码写作"));
  add(p, lit(KMB_NODE_CODE, "<p> & \"q\""));
  add(p, note_ref(def1));
  add(p, T("。详见"));
  add(p, mklink(1, "ch02-2", "ch02.md#code-and-tables", "第二章的代码与表格"));
  add(p, T("和"));
  add(p, mklink(-1, NULL, "https://www.w3.org/TR/clreq/", "中文排版需求"));
  add(p, N(KMB_NODE_SOFTBREAK));
  add(p, T("汉字注音："));
  add(p, lit(KMB_NODE_HTML_INLINE, "<ruby>"));
  add(p, T("汉"));
  add(p, lit(KMB_NODE_HTML_INLINE, "<rt>"));
  add(p, T("hàn"));
  add(p, lit(KMB_NODE_HTML_INLINE, "</rt>"));
  add(p, lit(KMB_NODE_HTML_INLINE, "</ruby>"));
  add(p, lit(KMB_NODE_HTML_INLINE, "<img src=\"x.png\" onerror=\"alert(1)\">"));
  add(p, T("。"));
  heading(r, 3, "3-levels", "跳级的小节");
  kmb_node *q = add(r, N(KMB_NODE_BLOCKQUOTE));
  para(q, "引文中的段落，也要首行缩进两字。");
  kmb_node *ul = add(r, N(KMB_NODE_LIST));
  ul->as.list.tight = true;
  kmb_node *it = add(ul, N(KMB_NODE_ITEM));
  para(it, "第一项");
  it = add(ul, N(KMB_NODE_ITEM));
  para(it, "第二项，内含编号列表：");
  kmb_node *ol = add(it, N(KMB_NODE_LIST));
  ol->as.list.ordered = true;
  ol->as.list.tight = true;
  ol->as.list.start = 3;
  para(add(ol, N(KMB_NODE_ITEM)), "从三开始");
  para(add(ol, N(KMB_NODE_ITEM)), "第四");
  add(r, image(KMB_NODE_FIGURE, "chart.png", NULL, "一张 PNG 柱状图"));
  add(r, image(KMB_NODE_FIGURE, NULL, "https://example.com/remote.png", "一张远程图片"));
  add(r, lit(KMB_NODE_HTML_BLOCK,
             "<div class=\"note\" onclick=\"steal()\"><p>提示<script>alert(1)</script>："
             "<a href=\"javascript:alert(1)\">坏链接</a>与<a href=\"https://example.org/\">好链接</a>"
             "</p><iframe src=\"https://example.com/\"></iframe><style>p{}</style></div>\n"));
  add(r, lit(KMB_NODE_HTML_BLOCK, "<!-- a comment only -->\n"));
  kmb_node_append(r, def1);
  para(def1, "第一个脚注：书末统一编号。");

  /* chapter 2 */
  c = &b->chapters[1];
  c->path = "/book/ch02.md", c->rel = "ch02.md", c->id = "ch02", c->title = "第二章　代码、表格与图片";
  r = c->root = N(KMB_NODE_ROOT);
  heading(r, 1, "第二章", "第二章　代码、表格与图片");
  heading(r, 2, "code-and-tables", "代码与表格");
  kmb_node *code = lit(KMB_NODE_CODE_BLOCK, "int main(void) {\n  return 0; /* <&> */\n}\n");
  code->as.code.info = "c";
  add(r, code);
  kmb_node *t = add(r, N(KMB_NODE_TABLE));
  t->as.table.ncols = 3;
  t->as.table.align = align;
  const char *cells[3][3] = {{"格式", "压缩", "字节"}, {"PNG", "无损", "1616"}, {"JPEG", "有损", "4216"}};
  for (int i = 0; i < 3; i++) {
    kmb_node *row = add(t, N(KMB_NODE_TABLE_ROW));
    row->as.row.header = i == 0;
    for (int j = 0; j < 3; j++) add(add(row, N(KMB_NODE_TABLE_CELL)), T(cells[i][j]));
  }
  heading(r, 2, "images", "图片");
  add(r, image(KMB_NODE_FIGURE, "photo.jpg", NULL, "一张 JPEG 照片"));
  add(r, image(KMB_NODE_FIGURE, "seal.gif", NULL, "一枚 GIF 印章"));
  add(r, image(KMB_NODE_FIGURE, "diagram.svg", NULL, "输入、处理、输出的 SVG 流程图"));
  p = para(r, "行内小图");
  add(p, image(KMB_NODE_IMAGE, "seal.gif", NULL, "印章"));
  add(p, T("，回到"));
  add(p, mklink(0, "", "ch01.md", "第一章"));
  add(p, T("。第二个脚注"));
  kmb_node *def2 = N(KMB_NODE_FOOTNOTE_DEF);
  def2->as.note.index = 2;
  def2->as.note.label = "two";
  add(p, note_ref(def2));
  add(p, T("，再引第一个脚注"));
  add(p, note_ref(def1));
  add(p, T("。"));
  add(r, N(KMB_NODE_THEMATIC_BREAK));
  add(p, N(KMB_NODE_LINEBREAK));
  add(p, mklink(-1, NULL, "javascript:alert(1)", "不安全的链接"));
  p->last->as.link.unsafe = true;
  kmb_node_append(r, def2);
  para(def2, "第二个脚注，有两段。");
  para(def2, "第二段。");

  /* chapter 3: no heading */
  c = &b->chapters[2];
  c->path = "/book/ch03.md", c->rel = "ch03.md", c->id = "ch03", c->title = "后记";
  r = c->root = N(KMB_NODE_ROOT);
  p = para(r, "没有标题的一章，指向");
  add(p, mklink(-1, NULL, "#nowhere", "不存在的锚点"));
  add(p, T("。"));
  /* What the reader's resolve step fills in (the links above are resolved
   * by hand, to the ids resolve gives: ch02's second heading is ch02-2). */
  kmb_resolve_headings(b);
  kmb_resolve_meta(b);
  kmb_resolve_images(b);
  return b;
}

/* --- diagnostics capture --- */
typedef struct {
  GString *all;
  int n;
  bool verdict;
  const char *refuse; /* if set: warnings containing it are refused ("" refuses all) */
} sink;
static bool on_warn(void *user, const char *path, int line, int col, const char *msg) {
  sink *s = user;
  g_string_append_printf(s->all, "%s:%d:%d: %s\n", path, line, col, msg);
  s->n++;
  if (s->refuse && strstr(msg, s->refuse)) return false;
  return s->verdict;
}

static unsigned char *slurp(const char *path, size_t *len) {
  gchar *d = NULL;
  gsize n = 0;
  if (!g_file_get_contents(path, &d, &n, NULL)) return NULL;
  *len = n;
  return (unsigned char *)d;
}

static char *entry(const char *epub, const char *name) {
  int e = 0;
  zip_t *za = zip_open(epub, ZIP_RDONLY, &e);
  if (!za) return NULL;
  zip_stat_t st;
  char *buf = NULL;
  if (zip_stat(za, name, 0, &st) == 0) {
    zip_file_t *f = zip_fopen(za, name, 0);
    buf = g_malloc0(st.size + 1);
    zip_fread(f, buf, st.size);
    zip_fclose(f);
  }
  zip_close(za);
  return buf;
}

static bool write_book(const kmb_book *b, const char *path, bool strict, sink *s, kmb_error *err) {
  kmb_style st;
  kmb_style_load(&st, NULL, NULL);
  kmb_diag diag = {on_warn, s};
  if (strict) s->refuse = ""; /* --strict is a sink that refuses warnings, as in the CLI */
  kmb_epub_opts o = {.style = &st, .diag = &diag, .epoch = 1700000000,
                     .generator = "kmbook 0.1.0"};
  return kmb_epub_write(b, &o, path, err);
}

/* The reader's probe types images by their bytes (the EPUB reads only its
 * result): test files under names that lie about their type. */
static void test_sniff(void) {
  char dir[] = "/tmp/kmb-probe-XXXXXX";
  OK(g_mkdtemp(dir) != NULL, "mkdtemp");
  const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                    "width=\"40\" height=\"30\"/>";
  struct {
    const char *name, *bytes;
    size_t len;
    kmb_image_format want;
  } cases[] = {
      {"a.jpg", "\x89PNG\r\n\x1A\n....", 12, KMB_IMAGE_PNG},
      {"b.png", "\xFF\xD8\xFF\xE0", 4, KMB_IMAGE_JPEG},
      {"c.png", "GIF89a..", 8, KMB_IMAGE_GIF},
      {"d.png", "RIFF\x10\0\0\0WEBPVP8 ", 16, KMB_IMAGE_WEBP},
      {"e.png", svg, strlen(svg), KMB_IMAGE_SVG},
      {"f.svg", "BM....", 6, KMB_IMAGE_UNKNOWN},
  };
  kmb_arena *a = kmb_arena_new();
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *f = g_build_filename(dir, cases[i].name, NULL);
    g_file_set_contents(f, cases[i].bytes, (gssize)cases[i].len, NULL);
    kmb_image_probe pr;
    kmb_image_probe_file(a, f, &pr);
    OK(pr.format == cases[i].want, "probe %s: format %d, want %d", cases[i].name, pr.format,
       cases[i].want);
    if (cases[i].want == KMB_IMAGE_SVG)
      OK(pr.width == 40 && pr.height == 30, "svg size %gx%g", pr.width, pr.height);
    unlink(f);
    g_free(f);
  }
  char *png = g_strdup_printf("%s/feature-book/images/chart.png", KMB_TEST_EPUB_DIR);
  kmb_image_probe pr;
  kmb_image_probe_file(a, png, &pr);
  OK(pr.format == KMB_IMAGE_PNG && pr.width > 0 && pr.height > 0 && !pr.too_big,
     "png size %gx%g", pr.width, pr.height);
  g_free(png);
  kmb_arena_drop(a);
  rmdir(dir);
}

static void test_ids(void) {
  kmb_arena *a = kmb_arena_new();
  OK(epub_is_ncname("第一章"), "CJK id is an NCName");
  OK(!epub_is_ncname("3-levels"), "digit start");
  OK(!epub_is_ncname("a b"), "space");
  OK(!strcmp(epub_safe_id(a, "3-levels"), "id-3-levels"), "safe id");
  OK(!strcmp(epub_safe_id(a, "a b:c"), "id-a-b-c"), "safe id 2: %s", epub_safe_id(a, "a b:c"));
  kmb_arena_drop(a);
  char *e = epub_href_escape("ch01.xhtml#第一 章");
  OK(!strcmp(e, "ch01.xhtml#%E7%AC%AC%E4%B8%80%20%E7%AB%A0"), "escape: %s", e);
  g_free(e);
  char *id = kmb_identifier_derive(&(kmb_meta){.title = "书", .lang = "zh-Hans"});
  char *id2 = kmb_identifier_derive(&(kmb_meta){.title = "书", .lang = "zh-Hans"});
  OK(!strcmp(id, id2) && strlen(id) == 45 && id[23] == '5', "uuid v5: %s", id);
  g_free(id);
  g_free(id2);
}

static void test_css(void) {
  kmb_style st;
  kmb_style_load(&st, NULL, NULL);
  const char *tpl = "@namespace epub \"x\";\nbody{font-family:@body_stack@;line-height:@line_height@}"
                    "h1{font-size:@h1@em}p{text-indent:@indent@em} a@b";
  const char *old = setlocale(LC_NUMERIC, NULL);
  char *saved = g_strdup(old);
  bool comma = setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8");
  char *css = epub_css_render(&st, tpl);
  setlocale(LC_NUMERIC, saved);
  g_free(saved);
  OK(strstr(css, "@namespace epub") != NULL, "@namespace kept: %s", css);
  OK(strstr(css, "line-height:1.75") != NULL, "line height (comma locale %d): %s", comma, css);
  OK(strstr(css, "font-size:1.714em") != NULL, "h1 relative: %s", css);
  OK(strstr(css, "text-indent:2em") != NULL, "indent: %s", css);
  OK(strstr(css, "\"Noto Serif CJK SC\"") != NULL, "stack: %s", css);
  OK(strstr(css, "a@b") != NULL, "stray @ kept");
  g_free(css);
}

/* Damaged and hostile images: left out or made inert, with a warning. */
static void test_bad_images(const char *dir) {
  char *svg = g_strdup_printf("%s/evil.svg", dir), *png = g_strdup_printf("%s/cut.png", dir),
       *out = g_strdup_printf("%s/bad.epub", dir);
  const char *evil =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
      "width=\"40\" height=\"20\" onload=\"alert(1)\"><script>alert(2)</script>"
      "<text x=\"1\" y=\"10\">&x;</text><image xlink:href=\"http://example.com/a.png\" "
      "width=\"5\" height=\"5\"/><use href=\"#r\"/><rect id=\"r\" width=\"4\" height=\"4\" "
      "style=\"fill:url(https://example.com/p)\"/></svg>\n";
  g_file_set_contents(svg, evil, -1, NULL);
  size_t n = 0;
  char *ok_png = g_strdup_printf("%s/feature-book/images/chart.png", KMB_TEST_EPUB_DIR);
  unsigned char *d = slurp(ok_png, &n);
  g_file_set_contents(png, (const char *)d, (gssize)(n / 2), NULL);
  g_free(d);
  g_free(ok_png);

  A = kmb_arena_new();
  kmb_book *b = kmb_arena_alloc(A, sizeof *b);
  b->arena = A;
  b->meta.title = "坏图";
  b->n_chapters = 1;
  b->chapters = kmb_arena_alloc(A, sizeof(kmb_chapter));
  kmb_chapter *c = &b->chapters[0];
  c->path = "/x/a.md", c->rel = "a.md", c->id = "ch01", c->title = "坏图";
  kmb_node *r = c->root = N(KMB_NODE_ROOT);
  heading(r, 1, "h", "坏图");
  kmb_node *f1 = add(r, image(KMB_NODE_FIGURE, "chart.png", NULL, "SVG 图"));
  f1->as.image.path = svg;
  f1->as.image.url = "images/evil.svg";
  kmb_node *f2 = add(r, image(KMB_NODE_FIGURE, "chart.png", NULL, "截断的 PNG"));
  f2->as.image.path = png;
  f2->as.image.url = "images/cut.png";
  kmb_resolve_headings(b);
  kmb_resolve_meta(b);
  kmb_resolve_images(b);
  sink s = {g_string_new(NULL), 0, true, NULL};
  kmb_error err;
  bool ok = write_book(b, out, false, &s, &err);
  OK(ok, "bad images: %s", err.msg);
  OK(strstr(s.all->str, "a.md:") && strstr(s.all->str, "SVG image 'images/evil.svg': removed") &&
         strstr(s.all->str, "DOCTYPE") && strstr(s.all->str, "<script>"),
     "svg warning: %s", s.all->str);
  OK(strstr(s.all->str, "image 'images/cut.png' is left out"), "png warning: %s", s.all->str);
  char *e = entry(out, "EPUB/images/img001.svg");
  OK(e && !strstr(e, "ENTITY") && !strstr(e, "passwd") && !strstr(e, "example.com") &&
         !strstr(e, "script") && !strstr(e, "onload") && strstr(e, "href=\"#r\""),
     "svg sanitised: %s", e ? e : "(missing)");
  g_free(e);
  e = entry(out, "EPUB/ch01.xhtml");
  OK(e && strstr(e, "class=\"image-missing\"><figcaption>截断的 PNG"), "png left out");
  g_free(e);
  GString *log = g_string_new(NULL);
  OK(epub_check_file(out, log) == 0, "read-back (bad images):\n%s", log->str);
  g_string_free(log, TRUE);
  g_string_free(s.all, TRUE);
  kmb_book_drop(b);
  unlink(svg), unlink(png), unlink(out);
  g_free(svg), g_free(png), g_free(out);
}

static int unit(void) {
  test_sniff();
  test_ids();
  test_css();

  char dir[] = "/tmp/kmb-epub-XXXXXX";
  OK(g_mkdtemp(dir) != NULL, "mkdtemp");
  char *p1 = g_strdup_printf("%s/a.epub", dir), *p2 = g_strdup_printf("%s/b.epub", dir),
       *p3 = g_strdup_printf("%s/c.epub", dir);

  kmb_book *b = feature_book();
  sink s = {g_string_new(NULL), 0, true, NULL};
  kmb_error err;
  setenv("TZ", "UTC", 1);
  tzset();
  bool ok = write_book(b, p1, false, &s, &err);
  OK(ok, "write: %s:%d: %s", err.path, err.line, err.msg);
  int warnings = s.n;
  setenv("TZ", "Asia/Shanghai", 1);
  tzset();
  ok = write_book(b, p2, false, &s, &err);
  OK(ok, "write 2: %s", err.msg);
  setenv("TZ", "America/St_Johns", 1);
  tzset();
  ok = write_book(b, p3, false, &s, &err);
  size_t l1 = 0, l2 = 0, l3 = 0;
  unsigned char *d1 = slurp(p1, &l1), *d2 = slurp(p2, &l2), *d3 = slurp(p3, &l3);
  OK(d1 && d2 && d3 && l1 == l2 && l1 == l3 && !memcmp(d1, d2, l1) && !memcmp(d1, d3, l1),
     "byte-identical across time zones (%zu, %zu, %zu bytes)", l1, l2, l3);
  OK(d1 && l1 > 60 && !memcmp(d1 + 30, "mimetypeapplication/epub+zip", 28),
     "mimetype stored at offset 30 with no extra field");
  g_free(d1);
  g_free(d2);
  g_free(d3);

  /* warnings: remote image with file:line and URL, raw HTML, links */
  const char *w = s.all->str;
  OK(strstr(w, "ch01.md:") && strstr(w, "https://example.com/remote.png"), "remote warning: %s", w);
  OK(strstr(w, "raw HTML: removed") && strstr(w, "<script>") && strstr(w, "onclick") &&
         strstr(w, "<iframe>") && strstr(w, "javascript:"),
     "raw HTML warning: %s", w);
  OK(strstr(w, "'#nowhere'") != NULL, "unresolved fragment warning: %s", w);
  OK(warnings >= 4, "warnings: %d", warnings);

  GString *log = g_string_new(NULL);
  int nf = epub_check_file(p1, log);
  OK(nf == 0, "read-back check:\n%s", log->str);
  g_string_free(log, TRUE);

  char *opf = entry(p1, "EPUB/content.opf");
  char *ch1 = entry(p1, "EPUB/ch01.xhtml");
  char *ch2 = entry(p1, "EPUB/ch02.xhtml");
  char *nav = entry(p1, "EPUB/nav.xhtml");
  OK(opf && ch1 && ch2 && nav, "entries");
  if (opf && ch1 && ch2 && nav) {
    OK(strstr(opf, "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"), "modified");
    OK(strstr(opf, "xml:lang=\"zh-Hans\""), "package xml:lang");
    OK(strstr(opf, "<dc:identifier id=\"bookid\">urn:uuid:"), "derived identifier");
    OK(strstr(opf, "refines=\"#subtitle\" property=\"title-type\">subtitle"), "subtitle");
    OK(strstr(opf, "scheme=\"marc:relators\">trl"), "translator role");
    OK(strstr(opf, "schema:accessibilitySummary\">本书"), "summary in Chinese");
    OK(strstr(opf, "schema:accessibilityFeature\">alternativeText"), "alternativeText");
    OK(strstr(opf, "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"), "conformsTo");
    OK(strstr(opf, "properties=\"cover-image\""), "cover image");
    OK(strstr(opf, "media-type=\"image/svg+xml\""), "svg item");
    OK(strstr(opf, "media-type=\"image/gif\""), "gif item");
    OK(strstr(opf, "media-type=\"image/jpeg\""), "jpeg item");
    OK(!strstr(opf, "example.com"), "no remote resource in the manifest");
    OK(!strstr(ch1, "script") && !strstr(ch1, "onclick") && !strstr(ch1, "javascript") &&
           !strstr(ch1, "iframe") && !strstr(ch1, "onerror") && !strstr(ch1, "example.com/\""),
       "sanitised: %s", ch1);
    OK(strstr(ch1, "<a href=\"https://example.org/\">好链接</a>"), "safe raw link kept");
    OK(strstr(ch1, "<ruby>汉<rt>hàn</rt></ruby>"), "inline ruby: %s", ch1);
    OK(strstr(ch1, "<h2 id=\"ch01-2\">"), "h3 after h1 becomes h2, with its resolved id");
    OK(strstr(ch1, "epub:type=\"noteref\" role=\"doc-noteref\""), "noteref");
    OK(strstr(ch1, "epub:type=\"footnote\" role=\"doc-footnote\""), "footnote aside");
    OK(strstr(ch1, "role=\"doc-backlink\""), "backlink");
    OK(strstr(ch1, "href=\"ch02.xhtml#ch02-2\""), "cross-chapter link");
    OK(strstr(ch1, "class=\"image-missing\"><figcaption>一张远程图片"), "remote image caption");
    OK(strstr(ch1, "<ol start=\"3\">"), "ordered list start");
    OK(strstr(ch1, "lang=\"zh-Hans\" xml:lang=\"zh-Hans\""), "lang + xml:lang");
    OK(strstr(ch1, "<title>第一章　排版的基本规则</title>"), "chapter title");
    OK(strstr(ch1, "<code>&lt;p&gt; &amp; \"q\"</code>"), "code escaped");
    OK(strstr(ch2, "href=\"ch01.xhtml#fn-1\""), "cross-chapter footnote ref");
    OK(strstr(ch2, "<thead>") && strstr(ch2, "<tbody>") && strstr(ch2, "class=\"align-right\""),
       "table");
    OK(strstr(ch2, "class=\"language-c\""), "code language");
    OK(strstr(ch2, "<span class=\"link-dropped\">不安全的链接"), "unsafe link has no href");
    OK(strstr(ch2, "<figcaption>一张 JPEG 照片</figcaption>"), "figcaption");
    OK(strstr(nav, "<h1 id=\"toc-title\">目录</h1>"), "toc title in Chinese");
    OK(strstr(nav, "epub:type=\"landmarks\""), "landmarks");
    OK(strstr(nav, "href=\"ch03.xhtml\">后记</a>"), "heading-less chapter in the TOC: %s", nav);
    OK(strstr(nav, "<ol>\n<li><a href=\"ch02.xhtml#ch02-2\">"), "nested toc: %s", nav);
  }
  g_free(opf);
  g_free(ch1);
  g_free(ch2);
  g_free(nav);

  /* --strict: the remote image is an error naming file:line and the URL */
  sink s2 = {g_string_new(NULL), 0, true, "remote image"};
  ok = write_book(b, p3, false, &s2, &err);
  OK(!ok && err.code == KMB_E_FORMAT && (err.flags & KMB_ERRF_WARNING) &&
         strstr(err.msg, "https://example.com/remote.png") &&
         !strcmp(err.path, "ch01.md") && err.line > 0,
     "strict: %d %s:%d %s", ok, err.path, err.line, err.msg);
  /* refusing every warning: the first one is the error, and nothing after it is reported */
  sink s4 = {g_string_new(NULL), 0, true, NULL};
  ok = write_book(b, p3, true, &s4, &err);
  OK(!ok && s4.n == 1 && (err.flags & KMB_ERRF_WARNING) && err.line > 0 &&
         strstr(s4.all->str, err.msg),
     "strict stops at the first warning: %d %d %s", ok, s4.n, err.msg);
  g_string_free(s4.all, TRUE);

  /* a book with its own cover image, no derived identifier */
  b->meta.cover = kmb_arena_printf(A, "%s/feature-book/images/chart.png", KMB_TEST_EPUB_DIR);
  b->meta.identifier = "urn:isbn:9787000000000";
  kmb_resolve_meta(b); /* the identifier is resolved, not derived by the writer */
  kmb_resolve_images(b);
  sink s3 = {g_string_new(NULL), 0, true, NULL};
  ok = write_book(b, p3, false, &s3, &err);
  OK(ok, "own cover: %s", err.msg);
  opf = entry(p3, "EPUB/content.opf");
  OK(opf && strstr(opf, "href=\"images/cover.png\" media-type=\"image/png\" properties=\"cover-image\"") &&
         strstr(opf, ">urn:isbn:9787000000000<"),
     "own cover and identifier: %s", opf);
  g_free(opf);
  log = g_string_new(NULL);
  OK(epub_check_file(p3, log) == 0, "read-back (own cover):\n%s", log->str);
  g_string_free(log, TRUE);

  test_bad_images(dir);

  g_string_free(s.all, TRUE);
  g_string_free(s2.all, TRUE);
  g_string_free(s3.all, TRUE);
  kmb_book_drop(b);
  unlink(p1);
  unlink(p2);
  unlink(p3);
  rmdir(dir);
  g_free(p1);
  g_free(p2);
  g_free(p3);
  printf("epub unit: %d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "unit")) return unit();
  if (argc >= 3 && !strcmp(argv[1], "write")) {
    kmb_book *b = feature_book();
    sink s = {g_string_new(NULL), 0, true, NULL};
    kmb_error err;
    bool ok = write_book(b, argv[2], false, &s, &err);
    fputs(s.all->str, stderr);
    if (!ok) fprintf(stderr, "%s:%d: error: %s\n", err.path, err.line, err.msg);
    g_string_free(s.all, TRUE);
    kmb_book_drop(b);
    return ok ? 0 : 1;
  }
  if (argc >= 3 && !strcmp(argv[1], "check")) {
    int bad = 0;
    for (int i = 2; i < argc; i++) {
      GString *log = g_string_new(NULL);
      int n = epub_check_file(argv[i], log);
      printf("%s: %s\n%s", argv[i], n ? "FAILED" : "ok", log->str);
      g_string_free(log, TRUE);
      bad += n;
    }
    return bad ? 1 : 0;
  }
  if (argc == 4 && !strcmp(argv[1], "extract")) {
    int e = 0;
    zip_t *za = zip_open(argv[2], ZIP_RDONLY, &e);
    if (!za) {
      fprintf(stderr, "cannot open %s\n", argv[2]);
      return 1;
    }
    int bad = 0;
    for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
      const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
      if (!name || strstr(name, "..") || name[0] == '/') {
        bad = 1;
        continue;
      }
      char *out = g_build_filename(argv[3], name, NULL);
      char *dir = g_path_get_dirname(out);
      g_mkdir_with_parents(dir, 0755);
      char *data = entry(argv[2], name);
      zip_stat_t st;
      zip_stat_index(za, (zip_uint64_t)i, 0, &st);
      if (!data || !g_file_set_contents(out, data, (gssize)st.size, NULL)) bad = 1;
      g_free(data);
      g_free(dir);
      g_free(out);
    }
    zip_close(za);
    return bad;
  }
  fprintf(stderr, "usage: kmb_epub_test unit | write OUT.epub | check EPUB... | extract EPUB DIR\n");
  return 2;
}
