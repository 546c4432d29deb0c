/* The book's language when the metadata gives none, from its text.
 *
 * Counted over prose only (text, headings, titles; not code, which is Latin
 * whatever the book's language): kana make a Japanese text, Hangul a Korean
 * one; Chinese is Traditional when characters that only Traditional writing
 * uses outnumber those that only Simplified writing uses; a text without
 * any CJK character but with Latin letters is English. Anything else keeps
 * the default (zh-Hans). The counts go into the note --verbose prints. */
#include "read/resolve.h"

#include <glib.h>
#include <string.h>

/* Frequent characters whose form differs between the two writings, each
 * used by only one of them (so 后 于 云 里 面 干 台 are left out: they are
 * also Traditional characters in their own right). Mostly pairs, in the
 * same order; a few common names (劉關張孫) help classical novels. */
static const char TRAD_ONLY[] =
    "們這說來國個會為時學對過還種於與經發現問題長開關實體當從動話機見無書東車門間樣點讓則聽邊應將"
    "進業頭歡愛聲買寫讀語義氣變萬陽歲親記認識議論區辦華傳夠雖離帶難號數電視錢網壓強權軍報場戰師"
    "紅綠營紀總專飛馬鳥魚風龍麗隨亂劉張孫葉";
static const char SIMP_ONLY[] =
    "们这说来国个会为时学对过还种与经发现问题长开关实体当从动话机见无书东车门间样点让则听边应将"
    "进业头欢爱声买写读语义气变万阳岁亲记认识议论区办华传够虽离带难号数电视钱网压强权军报场战师"
    "红绿营纪总专飞马鸟鱼风龙丽随乱刘张孙叶";

typedef struct {
  long kana, hangul, han, latin, trad, simp;
  GHashTable *trad_set, *simp_set;
} counts;

static GHashTable *char_set(const char *s) {
  GHashTable *h = g_hash_table_new(NULL, NULL);
  for (const char *p = s; *p; p = g_utf8_next_char(p))
    g_hash_table_add(h, GUINT_TO_POINTER(g_utf8_get_char(p)));
  return h;
}

static void count_text(counts *c, const char *s, size_t len) {
  const char *end = s + len;
  for (const char *p = s; p < end && *p; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    if ((ch >= 0x3041 && ch <= 0x309F) || (ch >= 0x30A0 && ch <= 0x30FF && ch != 0x30FB))
      c->kana++; /* hiragana, katakana (not the middle dot Chinese uses too) */
    else if ((ch >= 0xAC00 && ch <= 0xD7A3) || (ch >= 0x1100 && ch <= 0x11FF) ||
             (ch >= 0x3130 && ch <= 0x318F))
      c->hangul++;
    else if ((ch >= 0x4E00 && ch <= 0x9FFF) || (ch >= 0x3400 && ch <= 0x4DBF) ||
             (ch >= 0x20000 && ch <= 0x2FA1F)) {
      c->han++;
      if (g_hash_table_contains(c->trad_set, GUINT_TO_POINTER(ch))) c->trad++;
      else if (g_hash_table_contains(c->simp_set, GUINT_TO_POINTER(ch))) c->simp++;
    } else if (ch < 0x250 && g_unichar_isalpha(ch))
      c->latin++;
  }
}

static void count_tree(counts *c, const kmb_node *root) {
  kmb_iter it;
  kmb_iter_init(&it, root);
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    const kmb_node *n = it.cur;
    if (ev == KMB_EV_ENTER && n->type == KMB_NODE_TEXT && n->literal)
      count_text(c, n->literal, n->len);
  }
}

const char *kmb_lang_detect(const kmb_book *b, char **note) {
  counts c = {.trad_set = char_set(TRAD_ONLY), .simp_set = char_set(SIMP_ONLY)};
  if (b->meta.title) count_text(&c, b->meta.title, strlen(b->meta.title));
  for (size_t i = 0; i < b->n_chapters; i++)
    if (b->chapters[i].root) count_tree(&c, b->chapters[i].root);
  g_hash_table_destroy(c.trad_set);
  g_hash_table_destroy(c.simp_set);
  const char *lang = NULL;
  long cjk = c.kana + c.hangul + c.han;
  /* Thresholds leave room for quotations: a Chinese book citing こんにちは
   * or 안녕하세요 stays Chinese; Japanese prose is well over a fifth kana
   * (kaki-no-tane-ja: seven in ten), Korean prose mostly Hangul (Hanja are
   * few). */
  if (c.kana > 0 && c.kana * 5 >= cjk) {
    lang = "ja";
    *note = g_strdup_printf("detected ja from the text (%ld kana)", c.kana);
  } else if (c.hangul > 0 && c.hangul * 2 >= cjk) {
    lang = "ko";
    *note = g_strdup_printf("detected ko from the text (%ld Hangul)", c.hangul);
  } else if (c.han > 0 && c.trad > c.simp) {
    lang = "zh-Hant";
    *note = g_strdup_printf("detected zh-Hant from the text (%ld Traditional-only characters, "
                            "%ld Simplified-only)",
                            c.trad, c.simp);
  } else if (c.han > 0) {
    lang = "zh-Hans";
    *note = g_strdup_printf("detected zh-Hans from the text (%ld Simplified-only characters, "
                            "%ld Traditional-only)",
                            c.simp, c.trad);
  } else if (c.latin > 0) {
    lang = "en";
    *note = g_strdup_printf("detected en from the text (%ld Latin letters, no CJK)", c.latin);
  } else {
    *note = g_strdup("no language in the metadata and none detected: zh-Hans");
  }
  return lang;
}
