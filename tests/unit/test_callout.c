/* Admonitions and fenced divs (read/callout.c): nesting, code-block
 * immunity, source positions, default titles, located warnings. */
#include "harness.h"
#include "read/read.h"

#include <glib.h>

static int n_warn;
static char warns[2048];

/* These manuscripts are bare chapters: resolve's "no heading and no title"
 * warning is not what the tests count. */
static bool untitled(const char *msg) {
  return strstr(msg, "no heading and no title") != NULL;
}

static bool collect(void *user, const char *path, int line, int col, const char *msg) {
  (void)user;
  if (untitled(msg)) return true;
  n_warn++;
  size_t l = strlen(warns);
  snprintf(warns + l, sizeof warns - l, "%s:%d:%d: %s\n", path, line, col, msg);
  return true;
}

static kmb_diag diag = {collect, NULL};

static bool refuse(void *user, const char *path, int line, int col, const char *msg) {
  (void)user, (void)path, (void)line, (void)col;
  return untitled(msg);
}

static kmb_book *parse(const char *md) {
  kmb_read_opts o = {.diag = &diag};
  kmb_error err = {0};
  n_warn = 0;
  warns[0] = 0;
  kmb_book *b = kmb_book_from_markdown(md, strlen(md), "t.md", NULL, &o, &err);
  if (!b) fprintf(stderr, "parse failed: %s:%d:%d: %s\n", err.path, err.line, err.col, err.msg);
  return b;
}

static bool has(const char *hay, const char *needle) {
  if (strstr(hay, needle)) return true;
  fprintf(stderr, "  missing: %s\n", needle);
  return false;
}

static void admonitions(void) {
  const char *md = "---\ntitle: T\n---\n"    /* front matter: lines below are 4.. */
                   "前文。\n"                 /* 4 */
                   "\n"                       /* 5 */
                   "!!! note \"完整配置\"\n"  /* 6 */
                   "    第一段。\n"           /* 7 */
                   "\n"                       /* 8 */
                   "    - 列表\n"             /* 9 */
                   "\n"                       /* 10 */
                   "    ???+ tip\n"           /* 11 */
                   "        内层。\n"         /* 12 */
                   "\n"                       /* 13 */
                   "??? warning \"收起\"\n"   /* 14 */
                   "    正文。\n"             /* 15 */
                   "后文。\n";                /* 16 */
  kmb_book *b = parse(md);
  CHECK(b != NULL);
  if (!b) return;
  char *d = kmb_book_dump(b);
  CHECK(has(d, "    callout @6:1 kind=\"note\" title=\"完整配置\"\n"
               "      paragraph @7:5\n        text @7:5 \"第一段。\"\n"
               "      list @9:5"));
  /* nested, default title in the book's language (zh-Hans) */
  CHECK(has(d, "      callout @11:5 kind=\"tip\" title=\"提示\" collapsible open\n"
               "        paragraph @12:9\n"));
  CHECK(has(d, "    callout @14:1 kind=\"warning\" title=\"收起\" collapsible\n"
               "      paragraph @15:5\n        text @15:5 \"正文。\"\n"
               "    paragraph @16:1\n"));
  CHECK_INT(n_warn, 0);
  g_free(d);
  kmb_book_drop(b);
}

static void divs(void) {
  const char *md = "---\ntitle: T\nlanguage: en\n---\n"
                   "::: {.zh}\n"               /* 5 */
                   "中文。\n"                   /* 6 */
                   "\n"
                   "::: warning\n"             /* 8 */
                   "Inner.\n"                  /* 9 */
                   ":::\n"                     /* 10 */
                   ":::\n"                     /* 11 */
                   "\n"
                   "::: {.note title=\"Heads up\"}\n" /* 13 */
                   "| a | b |\n|---|---|\n| 1 | 2 |\n"
                   ":::\n";
  kmb_book *b = parse(md);
  CHECK(b != NULL);
  if (!b) return;
  char *d = kmb_book_dump(b);
  CHECK(has(d, "    div @5:1 kind=\"zh\"\n      paragraph @6:1\n"));
  CHECK(has(d, "      callout @8:1 kind=\"warning\" title=\"Warning\"\n"
               "        paragraph @9:1\n"));
  CHECK(has(d, "    callout @13:1 kind=\"note\" title=\"Heads up\"\n      table @14:1"));
  CHECK(!strstr(d, ":::"));
  CHECK_INT(n_warn, 0);
  g_free(d);
  kmb_book_drop(b);
}

/* Inside code (fenced or indented) nothing is converted, and no warning. */
static void code_immunity(void) {
  const char *md = "---\ntitle: T\n---\n"
                   "```markdown\n"
                   "!!! note \"x\"\n"
                   "    body\n"
                   "::: tip\n"
                   ":::\n"
                   "```\n"
                   "\n"
                   "    !!! note\n"
                   "        body\n"
                   "\n"
                   "~~~~\n"
                   "```\n"
                   "::: note\n"
                   "~~~~\n";
  kmb_book *b = parse(md);
  CHECK(b != NULL);
  if (!b) return;
  char *d = kmb_book_dump(b);
  CHECK(!strstr(d, "callout"));
  CHECK(has(d, "code_block @4:1 info=\"markdown\" \"!!! note \\\"x\\\"\\n    body\\n::: tip\\n:::\\n\""));
  CHECK(has(d, "code_block @11:5"));
  CHECK(has(d, "code_block @14:1 info=\"\" \"```\\n::: note\\n\""));
  CHECK_INT(n_warn, 0);
  g_free(d);
  kmb_book_drop(b);
}

/* Syntax that stays literal is warned about at its line and column. */
static void literal_warnings(void) {
  const char *md = "---\ntitle: T\n---\n"
                   "段落。\n"           /* 4 */
                   "\n"
                   "::: note\n"         /* 6: never closed */
                   "正文。\n"
                   "\n"
                   "- 项目\n"           /* 9 */
                   "  !!! 不是\n";      /* 10: a lazy line of the item's paragraph */
  kmb_book *b = parse(md);
  CHECK(b != NULL);
  if (!b) return;
  CHECK_INT(n_warn, 2);
  CHECK(has(warns, "t.md:6:1: `::: note` is left as text"));
  CHECK(has(warns, "t.md:10:3: `!!! 不是` is left as text"));
  kmb_book_drop(b);
  /* --strict: the first such warning is the error, with its position */
  kmb_diag strict = {refuse, NULL};
  kmb_read_opts o = {.diag = &strict};
  kmb_error err = {0};
  CHECK(kmb_book_from_markdown(md, strlen(md), "t.md", NULL, &o, &err) == NULL);
  CHECK_INT(err.line, 6);
  CHECK_INT(err.col, 1);
  CHECK(strstr(err.msg, "::: note") != NULL);
}

/* A commented-out admonition stays hidden; <pre> keeps its colons. */
static void html_immunity(void) {
  const char *md = "---\ntitle: T\n---\n"
                   "<!--\n!!! note\n    隐藏\n::: tip\n:::\n-->\n"
                   "\n"
                   "<pre>\n::: note\n:::\n</pre>\n"
                   "\n"
                   "!!! note\n    看得见\n";
  kmb_book *b = parse(md);
  CHECK(b != NULL);
  if (!b) return;
  char *d = kmb_book_dump(b);
  CHECK(has(d, "    html_block @4:1 \"<!--\\n!!! note\\n    隐藏\\n::: tip\\n:::\\n-->\\n\"\n"
               "    html_block @11:1 \"<pre>\\n::: note\\n:::\\n</pre>\\n\"\n"
               "    callout @16:1 kind=\"note\" title=\"注意\"\n"));
  CHECK_INT(n_warn, 0);
  g_free(d);
  kmb_book_drop(b);
}

void test_callout(void) {
  admonitions();
  divs();
  code_immunity();
  html_immunity();
  literal_warnings();
}
