#include "harness.h"
#include "read/read.h"
#include "read/resolve.h"

#include <glib.h>

static int n_warnings;
static char last_warning[512];

static bool count_warning(void *user, const char *path, int line, int col, const char *msg) {
  n_warnings++;
  fprintf(stderr, "  (warning) %s:%d: %s\n", path, line, msg);
  snprintf(last_warning, sizeof last_warning, "%s:%d: %s", path, line, msg);
  return true;
}

static kmb_diag diag = {count_warning, NULL};

static kmb_book *parse(const char *md) {
  kmb_read_opts o = {.diag = &diag};
  kmb_error err = {0};
  kmb_book *b = kmb_book_from_markdown(md, strlen(md), "test.md", NULL, &o, &err);
  if (!b) fprintf(stderr, "parse failed: %s:%d:%d: %s\n", err.path, err.line, err.col, err.msg);
  return b;
}

/* Dump of the chapters only (no metadata), for compact expectations. */
static char *body_dump(const kmb_book *b) {
  char *d = kmb_book_dump(b);
  char *c = strstr(d, "chapter ");
  char *r = g_strdup(c ? c : "");
  g_free(d);
  return r;
}

static const kmb_node *first_of(const kmb_node *n, kmb_node_type t) {
  kmb_iter it;
  kmb_iter_init(&it, n);
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    if (ev == KMB_EV_ENTER && it.cur->type == t) return it.cur;
  }
  return NULL;
}

static void soft_breaks(void) {
  kmb_book *b = parse("# T\n\n中文\n文字。\n\nabc\ndef\n\n中文\nabc\n\n“引号”\n继续\n");
  CHECK(b != NULL);
  if (!b) return;
  const kmb_node *p = b->chapters[0].root->first->next;
  CHECK_STR(kmb_node_text(b->arena, p), "中文文字。"); /* CJK–CJK: the break disappears */
  p = p->next;
  CHECK_STR(kmb_node_text(b->arena, p), "abc def"); /* Latin: a space */
  CHECK(first_of(p, KMB_NODE_SOFTBREAK) != NULL);
  p = p->next;
  CHECK_STR(kmb_node_text(b->arena, p), "中文 abc"); /* mixed: a space */
  p = p->next;
  CHECK_STR(kmb_node_text(b->arena, p), "“引号”继续");
  kmb_book_drop(b);
}

static void emphasis(void) {
  kmb_book *b = parse("**Q：**您好\n\n\\*\\*比如\n\n**foo.**bar\n\n*注意：*这里\n");
  CHECK(b != NULL);
  if (!b) return;
  char *d = body_dump(b);
  CHECK(strstr(d, "    paragraph @1:1\n      strong @1:1\n        text @1:3 \"Q：\"\n      text @1:") != NULL);
  CHECK(strstr(d, "text @3:1 \"**比如\"") != NULL);   /* escaped: stays literal */
  CHECK(strstr(d, "text @5:1 \"**foo.**bar\"") != NULL); /* no CJK: CommonMark's verdict */
  CHECK(strstr(d, "emph @7:1\n        text @7:2 \"注意：\"") != NULL);
  g_free(d);
  kmb_book_drop(b);
}

static void metadata(void) {
  n_warnings = 0;
  kmb_book *b = parse("---\ntitle: 书名\nsubtitle: 副题\nauthor:\n  - name: 甲\n  - name: 乙\n    role: edt\n"
                      "language: zh-Hans\nsubjects: [a, b]\nbogus: 1\nlinks:\n  - title: v\n    url: https://x.org/\n---\n# 一\n\n正文\n");
  CHECK(b != NULL);
  if (!b) return;
  CHECK_STR(b->meta.title, "书名");
  CHECK_STR(b->meta.subtitle, "副题");
  CHECK_INT(b->meta.n_creators, 2);
  CHECK_STR(b->meta.creators[0].role, "aut");
  CHECK_STR(b->meta.creators[1].role, "edt");
  CHECK_STR(b->meta.creators[1].name, "乙");
  CHECK_INT(b->meta.n_subjects, 2);
  CHECK_STR(b->meta.links[0].url, "https://x.org/");
  CHECK_INT(n_warnings, 1); /* bogus */
  CHECK(strstr(last_warning, "test.md:10: unknown metadata key 'bogus'") != NULL);
  /* positions count the front matter lines */
  CHECK_INT(b->chapters[0].root->first->line, 15);
  kmb_book_drop(b);

  kmb_read_opts o = {.diag = &diag};
  kmb_error err = {0};
  const char *bad = "---\ntitle: [oops\n---\n# x\n";
  CHECK(kmb_book_from_markdown(bad, strlen(bad), "bad.md", NULL, &o, &err) == NULL);
  CHECK_STR(err.path, "bad.md");
  CHECK(err.line >= 2 && err.line <= 4);
  CHECK(strstr(err.msg, "YAML") != NULL);
}

static void all_types(void) {
  const char *md = "# H1 *em* **st** ~~del~~ `code`\n\n"
                   "> quote\n\n"
                   "3. three\n4. four\n   - nested\n\n"
                   "```c\nint x;\n```\n\n"
                   "---\n\n"
                   "![alt **b**](https://example.org/x.png)\n\n"
                   "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
                   "<div>raw</div>\n\n"
                   "Text[^n] <span>x</span> [l](https://example.org \"t\") ![i](https://e.org/i.png)  \nnext\n\n"
                   "[^n]: The note.\n";
  kmb_book *b = parse(md);
  CHECK(b != NULL);
  if (!b) return;
  const kmb_node *r = b->chapters[0].root;
  static const kmb_node_type want[] = {
      KMB_NODE_HEADING, KMB_NODE_PARAGRAPH, KMB_NODE_BLOCKQUOTE, KMB_NODE_LIST, KMB_NODE_ITEM,
      KMB_NODE_CODE_BLOCK, KMB_NODE_THEMATIC_BREAK, KMB_NODE_FIGURE, KMB_NODE_TABLE,
      KMB_NODE_TABLE_ROW, KMB_NODE_TABLE_CELL, KMB_NODE_FOOTNOTE_DEF, KMB_NODE_HTML_BLOCK,
      KMB_NODE_TEXT, KMB_NODE_EMPH, KMB_NODE_STRONG, KMB_NODE_STRIKE, KMB_NODE_CODE, KMB_NODE_LINK,
      KMB_NODE_IMAGE, KMB_NODE_LINEBREAK, KMB_NODE_FOOTNOTE_REF, KMB_NODE_HTML_INLINE};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    if (!first_of(r, want[i])) {
      fprintf(stderr, "missing node type %s\n", kmb_node_type_name(want[i]));
      kmb_test_failures++;
    }
  }
  const kmb_node *list = first_of(r, KMB_NODE_LIST);
  CHECK(list->as.list.ordered && list->as.list.start == 3);
  const kmb_node *code = first_of(r, KMB_NODE_CODE_BLOCK);
  CHECK_STR(code->as.code.info, "c");
  CHECK_STR(code->literal, "int x;\n");
  CHECK_INT(code->line, 9);
  const kmb_node *fig = first_of(r, KMB_NODE_FIGURE);
  CHECK(fig->as.image.remote);
  CHECK_STR(kmb_node_text(b->arena, fig), "alt b");
  const kmb_node *tab = first_of(r, KMB_NODE_TABLE);
  CHECK_INT(tab->as.table.ncols, 2);
  CHECK(tab->as.table.align[0] == KMB_ALIGN_LEFT && tab->as.table.align[1] == KMB_ALIGN_RIGHT);
  CHECK(tab->first->as.row.header && !tab->first->next->as.row.header);
  const kmb_node *ref = first_of(r, KMB_NODE_FOOTNOTE_REF);
  CHECK_INT(ref->as.note.index, 1);
  CHECK(ref->as.note.def && ref->as.note.def->type == KMB_NODE_FOOTNOTE_DEF);
  CHECK_INT(b->n_footnotes, 1);
  const kmb_node *link = first_of(r, KMB_NODE_LINK);
  CHECK_STR(link->as.link.url, "https://example.org");
  CHECK_STR(link->as.link.title, "t");
  CHECK_INT(link->as.link.chapter, -1);
  const kmb_node *h = first_of(r, KMB_NODE_HEADING);
  CHECK_INT(h->line, 1);
  CHECK_INT(h->col, 1);
  CHECK_STR(h->as.heading.id, "ch01-1");
  kmb_error err = {0};
  CHECK(kmb_book_check(b, &err));
  kmb_book_drop(b);
}

static void chapters_and_links(void) {
  n_warnings = 0;
  kmb_book *b = parse("前言。\n\n# 第一章\n\n见[下一章](#第二章)与[注][^a]。\n\n## 小节 A\n\n"
                      "# 第二章\n\n[回](#小节-a) [坏](javascript:alert(1))\n\n[^a]: 注释。\n");
  CHECK(b != NULL);
  if (!b) return;
  CHECK_INT(b->n_chapters, 3); /* text before the first # heading is a chapter of its own */
  CHECK_STR(b->chapters[1].title, "第一章");
  CHECK_STR(b->chapters[2].id, "ch03");
  const kmb_node *l1 = first_of(b->chapters[1].root, KMB_NODE_LINK);
  /* "#第二章": a heading in another chapter cut from the same file */
  CHECK_INT(l1->as.link.chapter, 2);
  CHECK_STR(l1->as.link.fragment, "ch03-1");
  CHECK_INT(n_warnings, 2); /* javascript: and the missing title */
  const kmb_node *l2 = first_of(b->chapters[2].root, KMB_NODE_LINK);
  CHECK_INT(l2->as.link.chapter, 1);
  CHECK_STR(l2->as.link.fragment, "ch02-2");
  const kmb_node *bad = l2->next->next;
  CHECK(bad && bad->type == KMB_NODE_LINK && bad->as.link.unsafe);
  /* the footnote definition moved to the chapter that cites it */
  CHECK(first_of(b->chapters[1].root, KMB_NODE_FOOTNOTE_DEF) != NULL);
  CHECK(first_of(b->chapters[2].root, KMB_NODE_FOOTNOTE_DEF) == NULL);
  kmb_book_drop(b);

  b = parse("# 一\n\n[去](#小节-a)\n\n## 小节 A\n");
  CHECK(b != NULL);
  if (!b) return;
  const kmb_node *l = first_of(b->chapters[0].root, KMB_NODE_LINK);
  CHECK_STR(l->as.link.fragment, "ch01-2"); /* matched by its slug */
  kmb_book_drop(b);
}

static void bad_text(void) {
  kmb_read_opts o = {.diag = &diag};
  kmb_error err = {0};
  const char bad[] = "# a\n\nok \xE4\xB8 x\n";
  CHECK(kmb_book_from_markdown(bad, sizeof bad - 1, "u.md", NULL, &o, &err) == NULL);
  CHECK_INT(err.line, 3);
  CHECK_INT(err.col, 4);
  CHECK(strstr(err.msg, "UTF-8") != NULL);
  const char crlf[] = "\xEF\xBB\xBF# a\r\n\r\n中文\r\n文字\r\rx\r";
  kmb_book *b = kmb_book_from_markdown(crlf, sizeof crlf - 1, "c.md", NULL, &o, &err);
  CHECK(b != NULL); /* BOM, CRLF and lone CR simply work */
  if (b) {
    CHECK_STR(b->chapters[0].title, "a");
    CHECK_STR(kmb_node_text(b->arena, b->chapters[0].root->first->next), "中文文字");
    kmb_book_drop(b);
  }
  CHECK(kmb_book_from_markdown("", 0, "e.md", NULL, &o, &err) == NULL);
  CHECK(strstr(err.msg, "no chapters") != NULL);
}

/* The resolve step: levels without jumps, one level 1 per chapter, ids
 * unique in the book, language forms, labels, role words, identifier. */
static void resolved(void) {
  kmb_book *b = parse("# A\n\n### B\n\n## C\n\n#### D\n\n> ## Q\n\n# E\n\n## A\n");
  CHECK(b != NULL);
  if (b) {
    int want[] = {1, 2, 2, 3, 2}, k = 0;
    const char *ids[] = {"ch01-1", "ch01-2", "ch01-3", "ch01-4", "ch01-5"};
    kmb_iter it;
    kmb_iter_init(&it, b->chapters[0].root);
    for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
      if (ev != KMB_EV_ENTER || it.cur->type != KMB_NODE_HEADING) continue;
      CHECK(k < 5);
      if (k >= 5) break;
      CHECK_INT(it.cur->as.heading.out_level, want[k]);
      CHECK_STR(it.cur->as.heading.id, ids[k]);
      k++;
    }
    CHECK_INT(k, 5);
    CHECK(b->chapters[0].title_heading == b->chapters[0].root->first);
    CHECK_STR(b->chapters[1].root->first->next->as.heading.id, "ch02-2"); /* same title as ch01-1 */
    /* no language in the metadata and Latin letters only: detected as en */
    CHECK_STR(b->meta.lang, "en");
    CHECK_STR(b->pango_lang, "en");
    CHECK_STR(b->pdf_lang, "en");
    CHECK_STR(b->labels->contents, "Contents");
    CHECK(g_str_has_prefix(b->identifier, "urn:uuid:"));
    char *again = kmb_identifier_derive(&b->meta);
    CHECK_STR(b->identifier, again);
    g_free(again);
    kmb_book_drop(b);
  }
  b = parse("开头是正文。\n\n## X\n\n### Y\n");
  CHECK(b != NULL);
  if (b) {
    CHECK(b->chapters[0].title_heading == NULL);
    CHECK_STR(b->chapters[0].title, "X");
    const kmb_node *x = b->chapters[0].root->first->next;
    CHECK_INT(x->as.heading.out_level, 2);
    CHECK_INT(x->next->as.heading.out_level, 3);
    kmb_book_drop(b);
  }
  b = parse("---\ntitle: T\nlanguage: zh_hant_tw\nidentifier: urn:isbn:1\nedition: \"2\"\n"
            "contributors:\n  - {name: S, role: spk}\n  - {name: U, role: xyz}\n---\n# A\n");
  CHECK(b != NULL);
  if (b) {
    CHECK_STR(b->meta.lang, "zh-Hant-TW");
    CHECK_STR(b->pango_lang, "zh-tw");
    CHECK_STR(b->pdf_lang, "zh-TW");
    CHECK_STR(b->labels->contents, "目錄");
    CHECK_STR(b->identifier, "urn:isbn:1");
    CHECK_STR(b->edition_text, "第 2 版");
    CHECK_STR(b->meta.contributors[0].role_name, "講者");
    CHECK_STR(b->meta.contributors[0].role_credit, "主講");
    CHECK_STR(b->meta.contributors[1].role_name, "參與者"); /* an unknown relator */
    kmb_book_drop(b);
  }
  struct {
    const char *in, *out, *contents;
  } langs[] = {{NULL, "zh-Hans", "目录"},     {"", "zh-Hans", "目录"},      {"EN-us", "en-US", "Contents"},
               {"ja", "ja", "目次"},          {"ko-KR", "ko-KR", "목차"},    {"zh-HK", "zh-HK", "目錄"},
               {"zh-CN", "zh-CN", "目录"},     {"fr", "fr", "Contents"}};
  for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
    char *n = kmb_lang_normalise(langs[i].in);
    CHECK_STR(n, langs[i].out);
    CHECK_STR(kmb_labels_for(n)->contents, langs[i].contents);
    g_free(n);
  }
}

/* Manuscript conventions (issue 12): indents, verse, attribution. */
static void manuscript(void) {
  kmb_book *b = parse("# 章\n\n\u3000\u3000缩进段。\n\n  \u3000混合缩进。\n\n"
                      "\u3000一行。\n\u3000二行。\n\n硬换行\n中文。\n\n## 詩\n\n*李白*\n\n"
                      "床前明月光，\\\n疑是地上霜。\n\n——《靜夜思》\n\n散文\\\n一行\n不是詩。\n");
  CHECK(b != NULL);
  if (!b) return;
  char *d = body_dump(b);
  CHECK(strstr(d, "text @3:7 \"缩进段。\"") != NULL);   /* both U+3000 gone */
  CHECK(strstr(d, "\"混合缩进。\"") != NULL);
  CHECK(strstr(d, "\"\u3000") == NULL);                  /* no text starts with U+3000 */
  CHECK(strstr(d, "paragraph @8:1\n      text @8:4 \"二行。\"") != NULL); /* its own paragraph */
  CHECK(strstr(d, "\"硬换行\"\n      text @11:1 \"中文。\"") != NULL);  /* no break, no space */
  CHECK(strstr(d, "paragraph @15:1 attribution") != NULL);
  CHECK(strstr(d, "paragraph @17:1 verse") != NULL);
  CHECK(strstr(d, "paragraph @20:1 attribution") != NULL);
  CHECK(strstr(d, "paragraph @22:1\n") != NULL); /* a line without a hard break: not verse */
  g_free(d);
  kmb_book_drop(b);
  b = parse("# 章\n\n&emsp;&emsp;网页式缩进。\n\n&nbsp; \u3000混合。\n");
  CHECK(b != NULL);
  if (!b) return;
  d = body_dump(b);
  CHECK(strstr(d, "paragraph @3:1\n      text @3:") != NULL && strstr(d, " \"网页式缩进。\"") != NULL);
  CHECK(strstr(d, " \"混合。\"") != NULL);
  CHECK(strstr(d, "\u2003") == NULL && strstr(d, "\u00a0") == NULL);
  g_free(d);
  kmb_book_drop(b);
  b = parse("---\nkeep-indents: true\n---\n# 章\n\n\u3000\u3000缩进段。\n\u3000二行。\n");
  CHECK(b != NULL);
  if (!b) return;
  d = body_dump(b);
  CHECK(strstr(d, "\"\u3000\u3000缩进段。\"") != NULL);
  CHECK(strstr(d, "\"\u3000二行。\"") != NULL);
  g_free(d);
  kmb_book_drop(b);
}

/* The language from the text when the metadata gives none (langdetect.c):
 * quotations of another script do not switch it, code does not count, and
 * the metadata always wins. */
static void detected_language(void) {
  static const struct {
    const char *md, *lang, *pango;
  } cases[] = {
      {"# 一\n\n我们说的话。\n", "zh-Hans", "zh-cn"},
      {"# 一\n\n我們說的話。\n", "zh-Hant", "zh-tw"},
      {"# 一\n\n天下大势，分久必合，合久必分。\n", "zh-Hans", "zh-cn"}, /* no marked characters */
      {"# 1\n\n2024。\n", "zh-Hans", "zh-cn"}, /* nothing to go by: the default */
      {"# 一\n\n日本人说こんにちは，韩国人说안녕하세요，我们说你好。这是我们自己写的一本书，讲的是各国的问候语。\n",
       "zh-Hans", "zh-cn"},
      {"# 一\n\n吾輩は猫である。\n", "ja", "ja"},
      {"# 一\n\n대한민국은 민주공화국이다.\n", "ko", "ko"},
      {"# One\n\nPlain English text.\n\n```\n说明\n```\n", "en", "en"}, /* code is not prose */
      {"---\nlanguage: zh-Hant\n---\n# 一\n\n我们说的话。\n", "zh-Hant", "zh-tw"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    kmb_book *b = parse(cases[i].md);
    CHECK(b != NULL);
    if (!b) continue;
    CHECK_STR(b->meta.lang, cases[i].lang);
    CHECK_STR(b->pango_lang, cases[i].pango);
    CHECK(i + 1 == G_N_ELEMENTS(cases) ? b->lang_note == NULL : b->lang_note != NULL);
    kmb_book_drop(b);
  }
}


/* Pandoc heading attributes (read/attrs.c) and parallel titles
 * (read/parallel.c): a pair merged; not merged without a language match,
 * with content between, or at different levels. */
static void heading_attributes(void) {
  kmb_book *b = parse("# 第一 {#one .zh lang=\"zh-Hans\"}\n\n## Part {.en .unnumbered}\n\n"
                      "## 不是 {#\"><x>}\n\n## f{x}\n\n## 空 {}\n\n[跳](#one)\n");
  CHECK(b != NULL);
  if (!b) return;
  const kmb_node *h = b->chapters[0].root->first;
  CHECK_STR(kmb_node_text(b->arena, h), "第一");
  CHECK_STR(h->as.heading.name, "one");
  CHECK_STR(h->as.heading.lang, "zh-Hans"); /* lang= wins over the class */
  h = h->next;
  CHECK_STR(kmb_node_text(b->arena, h), "Part");
  CHECK_STR(h->as.heading.lang, "en");
  CHECK(h->as.heading.name == NULL);
  h = h->next; /* not attribute syntax: stays text */
  CHECK(h->as.heading.name == NULL);
  h = h->next;
  CHECK_STR(kmb_node_text(b->arena, h), "f{x}");
  h = h->next;
  CHECK_STR(kmb_node_text(b->arena, h), "空 {}");
  const kmb_node *link = first_of(b->chapters[0].root, KMB_NODE_LINK);
  CHECK(link && link->as.link.fragment && strcmp(link->as.link.fragment, "ch01-1") == 0);
  kmb_book_drop(b);
}

static void parallel_titles(void) {
  /* level-1 pair in a split file: one chapter, the Chinese title, the
   * English one its parallel title (either order) */
  kmb_book *b = parse("---\ntitle: T\nlanguage: zh-Hans\n---\n\n# Hello World {.en}\n\n"
                      "# 你好，世界 {.zh}\n\n正文。\n\n## 值 {lang=zh}\n\n## Values {lang=\"en\"}\n\n"
                      "正文。\n\n# Two {.en}\n\nEnglish between.\n\n# 二 {.zh}\n\n正文。\n\n"
                      "# One {.en}\n\n# Un {.fr}\n\n正文。\n\n## 甲 {.zh}\n\n### A {.en}\n\n正文。\n");
  CHECK(b != NULL);
  if (!b) return;
  CHECK_INT(b->n_chapters, 5);
  const kmb_node *h = b->chapters[0].root->first;
  CHECK_STR(b->chapters[0].title, "你好，世界");
  CHECK_STR(b->chapters[0].id, "ch01");
  CHECK(h->as.heading.parallel != NULL);
  if (h->as.heading.parallel) CHECK_STR(kmb_node_text(b->arena, h->as.heading.parallel), "Hello World");
  CHECK_STR(h->next->type == KMB_NODE_PARAGRAPH ? "p" : "?", "p");
  h = h->next->next; /* ## pair inside the chapter, the book's language first */
  CHECK_STR(kmb_node_text(b->arena, h), "值");
  CHECK(h->as.heading.parallel != NULL);
  CHECK(h->next && h->next->type == KMB_NODE_PARAGRAPH);
  /* content between: two chapters, as written */
  CHECK_STR(b->chapters[1].title, "Two");
  CHECK(b->chapters[1].root->first->as.heading.parallel == NULL);
  CHECK_STR(b->chapters[2].title, "二");
  /* neither in the book's language: not merged (One is a chapter of its own) */
  CHECK_STR(b->chapters[3].title, "One");
  CHECK_STR(b->chapters[4].title, "Un");
  CHECK(b->chapters[4].root->first->as.heading.parallel == NULL);
  /* different levels: not merged */
  const kmb_node *z = b->chapters[4].root->first->next->next;
  CHECK_STR(kmb_node_text(b->arena, z), "甲");
  CHECK(z->as.heading.parallel == NULL);
  kmb_error err = {0};
  CHECK(kmb_book_check(b, &err));
  kmb_book_drop(b);
}

void test_reader(void) {
  manuscript();
  soft_breaks();
  emphasis();
  metadata();
  all_types();
  chapters_and_links();
  bad_text();
  resolved();
  detected_language();
  heading_attributes();
  parallel_titles();
}
