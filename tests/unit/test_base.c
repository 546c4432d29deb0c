#include "harness.h"
#include "base/arena.h"
#include "base/date.h"
#include "base/lang.h"
#include "base/sideways.h"
#include "base/utf8.h"
#include "base/zhuyin.h"
#include "style/style.h"

#include <glib.h>
#include <glib/gstdio.h>

void test_base(void) {
  size_t bad = 0;
  bool nul = false;
  CHECK(kmb_utf8_check("中文abc", strlen("中文abc"), &bad, &nul));
  CHECK(!kmb_utf8_check("ab\xC3", 3, &bad, &nul));
  CHECK_INT(bad, 2);
  CHECK(!nul);
  CHECK(!kmb_utf8_check("ab\0c", 4, &bad, &nul));
  CHECK_INT(bad, 2);
  CHECK(nul);
  CHECK(!kmb_utf8_check("\xED\xA0\x80", 3, &bad, &nul)); /* surrogate */
  CHECK(!kmb_utf8_check("\xC0\xAF", 2, &bad, &nul));     /* overlong */
  CHECK(!kmb_utf8_check("a\xF4\x90\x80\x80", 5, &bad, &nul)); /* above U+10FFFF */
  CHECK_INT(bad, 1);
  CHECK(!nul);
  CHECK(kmb_is_cjk(0x4E2D) && kmb_is_cjk(0x3002) && kmb_is_cjk(0xFF0C));
  CHECK(!kmb_is_cjk('a') && !kmb_is_cjk(' ') && !kmb_is_cjk(0xAC00));
  CHECK(kmb_is_han(0x4E2D) && !kmb_is_han(0x3002));
  CHECK_INT(kmb_utf8_last("a中", 4), 0x4E2D);

  CHECK(kmb_lang_is("ja", "ja") && kmb_lang_is("ja-JP", "ja") && kmb_lang_is("JA", "ja"));
  CHECK(!kmb_lang_is("jam", "ja") && !kmb_lang_is(NULL, "ja") && !kmb_lang_is("zh-Hans", "ja"));

  /* U+2019: an apostrophe after a letter or digit before a letter, else a
   * closing quote (corner bracket in a vertical book) */
  CHECK(kmb_is_apostrophe_between('n', 't') && kmb_is_apostrophe_between('0', 's'));
  CHECK(!kmb_is_apostrophe_between(0x4E2D, 's') && !kmb_is_apostrophe_between('s', 0x3002) &&
        !kmb_is_apostrophe_between('5', '5'));
  {
    char *q = kmb_corner_quotes("‘他的1990’s’和don’t", strlen("‘他的1990’s’和don’t"));
    CHECK_STR(q, "『他的1990’s』和don’t");
    g_free(q);
  }

  /* zhuyin set beside its base: one character, one syllable (both writers) */
  CHECK(kmb_zhuyin_is("ㄓㄨˋ") && kmb_zhuyin_is("˙ㄉㄜ") && kmb_zhuyin_is("ㄧ"));
  CHECK(!kmb_zhuyin_is("hàn") && !kmb_zhuyin_is("ˋ") && !kmb_zhuyin_is("ㄓㄨㄤㄓㄨ") && !kmb_zhuyin_is(""));
  CHECK(kmb_zhuyin_beside("注", strlen("注"), "ㄓㄨˋ"));
  CHECK(!kmb_zhuyin_beside("北京", strlen("北京"), "ㄅㄟˇ") && !kmb_zhuyin_beside("漢", strlen("漢"), "hàn"));

  /* sideways runs of a vertical column and their tate-chu-yoko numbers */
  {
    const char *t = "他說don’t，1815—1897年，凡20篇 95%的人 It’s ok 。";
    size_t len = strlen(t), at = 0, st, en;
    const char *want[] = {"don’t", "1815—1897", "20", "95%", "It’s ok"};
    size_t n = 0;
    while (kmb_sideways_next(t, len, &at, &st, &en) && n < 6) {
      CHECK(n < G_N_ELEMENTS(want) && en - st == strlen(want[n]) && strncmp(t + st, want[n], en - st) == 0);
      n++;
    }
    CHECK_INT(n, G_N_ELEMENTS(want));
  }
  CHECK_INT(kmb_sideways_tcy("20", 2, 2), 2);
  CHECK_INT(kmb_sideways_tcy("95%", 3, 2), 2);
  CHECK_INT(kmb_sideways_tcy("100", 3, 2), 0);
  CHECK_INT(kmb_sideways_tcy("3.14", 4, 2), 0);
  CHECK_INT(kmb_sideways_tcy("%", 1, 2), 0);

  char d[32];
  kmb_date_iso8601(0, d);
  CHECK_STR(d, "1970-01-01T00:00:00Z");
  kmb_date_iso8601(-5, d);
  CHECK_STR(d, "1970-01-01T00:00:00Z");
  kmb_date_iso8601(1700000000, d);
  CHECK_STR(d, "2023-11-14T22:13:20Z");
  kmb_date_iso8601(951782400, d); /* leap day */
  CHECK_STR(d, "2000-02-29T00:00:00Z");
  kmb_date_iso8601(253402300799LL, d); /* the largest SOURCE_DATE_EPOCH the CLI takes */
  CHECK_STR(d, "9999-12-31T23:59:59Z");
  kmb_date_iso8601(253402300800LL * 2, d);
  CHECK_STR(d, "9999-12-31T23:59:59Z");

  kmb_arena *a = kmb_arena_new();
  char *s = kmb_arena_strndup(a, "hello", 3);
  CHECK_STR(s, "hel");
  void *big = kmb_arena_alloc(a, 1 << 20);
  CHECK(big != NULL);
  char *t = kmb_arena_printf(a, "%d-%s", 7, "x");
  CHECK_STR(t, "7-x");
  CHECK_STR(s, "hel"); /* earlier strings survive big allocations */
  kmb_arena_drop(a);
}

void test_style(void) {
  kmb_style st;
  kmb_error err = {0};
  CHECK(kmb_style_load(&st, NULL, &err));
  CHECK(st.body_size > 10 && st.body_size < 11);
  CHECK(kmb_style_set_paper(&st, "b5", &err));
  CHECK(st.page_w > 498 && st.page_w < 500);
  CHECK(kmb_style_set_paper(&st, "100x150mm", &err));
  CHECK(st.page_h > 425 && st.page_h < 426);
  CHECK(!kmb_style_set_paper(&st, "tabloid", &err));
  CHECK(strstr(err.msg, "tabloid") != NULL);
  CHECK(kmb_style_load(&st, KMB_TEST_SRC "/../../styles/default.ini", &err));
  CHECK(st.kinsoku && st.total_fit && !st.hanging_punct);
  CHECK(st.punct_style == KMB_PUNCT_AUTO);
  /* punct_style: the three names, anything else is an error with its line */
  char *path = g_build_filename(g_get_tmp_dir(), "kmb-style-punct.ini", NULL);
  CHECK(g_file_set_contents(path, "[typography]\npunct_style=centred\n", -1, NULL));
  CHECK(kmb_style_load(&st, path, &err) && st.punct_style == KMB_PUNCT_CENTRED);
  CHECK(g_file_set_contents(path, "[typography]\n\npunct_style=middle\n", -1, NULL));
  CHECK(!kmb_style_load(&st, path, &err) && err.line == 3 && strstr(err.msg, "centred") != NULL);
  g_remove(path);
  g_free(path);
  CHECK(strcmp(st.verse_align, "left") == 0 && st.verse_hang_em == 2);
  /* verse_align takes left or center only */
  path = g_build_filename(g_get_tmp_dir(), "kmb-unit-verse.ini", NULL);
  g_file_set_contents(path, "[text]\nverse_align=center\n", -1, NULL);
  CHECK(kmb_style_load(&st, path, &err) && strcmp(st.verse_align, "center") == 0);
  g_file_set_contents(path, "[text]\nverse_align=middle\n", -1, NULL);
  CHECK(!kmb_style_load(&st, path, &err) && strstr(err.msg, "left or center") != NULL);
  g_unlink(path);
  g_free(path);
}
