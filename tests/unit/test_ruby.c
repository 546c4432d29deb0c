/* Ruby (read/ruby.c): raw HTML <ruby> and the compact {base|rt} syntax
 * become RUBY nodes; code and brace groups that do not fit stay text. */
#include "harness.h"
#include "read/read.h"

#include <glib.h>

static char *dump_of(const char *md) {
  kmb_read_opts o = {0};
  kmb_error err = {0};
  kmb_book *b = kmb_book_from_markdown(md, strlen(md), "t.md", NULL, &o, &err);
  if (!b) {
    fprintf(stderr, "parse failed: %s:%d:%d: %s\n", err.path, err.line, err.col, err.msg);
    return g_strdup("");
  }
  char *d = kmb_book_dump(b);
  kmb_book_drop(b);
  return d;
}

static bool has(const char *hay, const char *needle) {
  if (strstr(hay, needle)) return true;
  fprintf(stderr, "  missing: %s\n", needle);
  return false;
}

static bool lacks(const char *hay, const char *needle) {
  if (!strstr(hay, needle)) return true;
  fprintf(stderr, "  unexpected: %s\n", needle);
  return false;
}

static void html_ruby(void) {
  char *d = dump_of("# T\n\n前<ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp>字<rt>zì</rt></ruby>后\n");
  CHECK(has(d, "ruby @3:4 mono rt=\"hàn\" rt=\"zì\"\n        text @3:4 \"漢\"\n        text @3:4 \"字\""));
  CHECK(lacks(d, "html_inline"));
  CHECK(has(d, "text @3:1 \"前\""));
  CHECK(has(d, "\"后\""));
  g_free(d);
  /* group ruby in HTML, at the end of a paragraph */
  d = dump_of("# T\n\n<ruby>北京<rt>běijīng</rt></ruby>\n");
  CHECK(has(d, "ruby @3:1 group rt=\"běijīng\"\n        text @3:1 \"北京\""));
  g_free(d);
  /* no </ruby>: the tags stay raw HTML */
  d = dump_of("# T\n\n<ruby>漢<rt>hàn</rt>字\n");
  CHECK(lacks(d, "ruby @"));
  CHECK(has(d, "html_inline"));
  g_free(d);
}

static void compact_ruby(void) {
  char *d = dump_of("# T\n\n读{漢字|hàn|zì}和{北京|běijīng}。\n");
  CHECK(has(d, "text @3:1 \"读\""));
  CHECK(has(d, "ruby @3:4 mono rt=\"hàn\" rt=\"zì\"\n        text @3:4 \"漢\"\n        text @3:4 \"字\""));
  CHECK(has(d, "ruby @3:24 group rt=\"běijīng\"\n        text @3:24 \"北京\""));
  CHECK(has(d, "\"。\""));
  g_free(d);
  /* zhuyin is just another annotation */
  d = dump_of("# T\n\n{注音|ㄓㄨˋ|ㄧㄣ}\n");
  CHECK(has(d, "ruby @3:1 mono rt=\"ㄓㄨˋ\" rt=\"ㄧㄣ\""));
  g_free(d);
}

static void stays_text(void) {
  /* code spans and code blocks are immune; braces without `|…}`, empty
   * parts and counts matching neither form stay text */
  char *d = dump_of("# T\n\n在`{代码|dài}`里，{没有竖线}，{三个字|a|b}，{|x}，{a|}。\n\n"
                    "```\n{北京|běijīng}\n```\n");
  CHECK(lacks(d, "ruby @"));
  CHECK(has(d, "code @3:5 \"{代码|dài}\""));
  CHECK(has(d, "{没有竖线}，{三个字|a|b}，{|x}，{a|}。"));
  CHECK(has(d, "\"{北京|běijīng}\\n\""));
  g_free(d);
}

void test_ruby(void) {
  html_ruby();
  compact_ruby();
  stays_text();
}
