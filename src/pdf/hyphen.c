/* Pattern hyphenation through libhyphen (the Hunspell/LibreOffice library,
 * TeX's patterns). Dictionaries are loaded once per language per process
 * and kept: they are read-only, so paragraphs broken on any thread share
 * them (the cache is guarded by a mutex). */
#include "pdf/hyphen.h"

#include <glib.h>
#include <hyphen.h>
#include <string.h>

#ifndef KMB_HYPHEN_DIR
#define KMB_HYPHEN_DIR "/usr/share/hyphen"
#endif

/* the word's shortest head and tail around a break (TeX's English values) */
#define LEFT_MIN 2
#define RIGHT_MIN 3

static GMutex cache_lock;
static GHashTable *by_path; /* dictionary file name → HyphenDict * (loaded once) */
static GHashTable *by_lang; /* language → HyphenDict * or NULL: the file is found once
                               per language, not stat()ed again for every word */

/* The dictionary file for a language: Chinese, Japanese and English books
 * set their Latin words as English (en-US); others by their own patterns,
 * hyph_ll_CC.dic then hyph_ll.dic, when installed. */
static char *dict_path(const char *lang) {
  char ll[4] = "en", cc[4] = "US";
  if (lang && *lang && !g_str_has_prefix(lang, "zh") && !g_str_has_prefix(lang, "ja") &&
      !g_str_has_prefix(lang, "en")) {
    size_t n = strcspn(lang, "-_");
    if (n < 2 || n > 3) return NULL;
    memcpy(ll, lang, n), ll[n] = 0;
    cc[0] = 0;
    const char *r = lang + n;
    if (*r && strlen(r + 1) == 2)
      cc[0] = g_ascii_toupper(r[1]), cc[1] = g_ascii_toupper(r[2]), cc[2] = 0;
  }
  for (int with_cc = cc[0] ? 1 : 0; with_cc >= 0; with_cc--) {
    char *name = with_cc ? g_strdup_printf("hyph_%s_%s.dic", ll, cc)
                         : g_strdup_printf("hyph_%s.dic", ll);
    char *path = g_build_filename(KMB_HYPHEN_DIR, name, NULL);
    g_free(name);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) return path;
    g_free(path);
  }
  return NULL;
}

static HyphenDict *dict_for(const char *lang) {
  const char *key = lang ? lang : "";
  g_mutex_lock(&cache_lock);
  if (!by_lang) {
    by_lang = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  }
  gpointer d = NULL;
  if (!g_hash_table_lookup_extended(by_lang, key, NULL, &d)) {
    char *path = dict_path(lang);
    if (path && !g_hash_table_lookup_extended(by_path, path, NULL, &d)) {
      d = hnj_hyphen_load(path);
      g_hash_table_insert(by_path, g_strdup(path), d);
    }
    g_free(path);
    g_hash_table_insert(by_lang, g_strdup(key), d);
  }
  g_mutex_unlock(&cache_lock);
  return d;
}

bool kmb_hyphen_points(const char *lang, const char *word, int len, bool *points) {
  memset(points, 0, (size_t)len);
  HyphenDict *dict = len > 0 ? dict_for(lang) : NULL;
  if (!dict) return false;
  /* the patterns are lower case; a word whose lower case has another length
   * in UTF-8 (rare: İ) is left alone rather than mapped */
  char *lower = g_utf8_strdown(word, len);
  bool any = false;
  if ((int)strlen(lower) == len) {
    char *hy = g_malloc0((gsize)len + 5);
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate3(dict, lower, len, hy, NULL, &rep, &pos, &cut, LEFT_MIN, RIGHT_MIN,
                              LEFT_MIN, RIGHT_MIN) == 0) {
      for (int i = 0; i + 1 < len; i++) {
        /* a point needs no spelling change (rep: German ck → k-k and the like) */
        points[i] = (hy[i] & 1) && !(rep && rep[i]);
        any = any || points[i];
      }
    }
    if (rep) {
      for (int i = 0; i < len; i++) free(rep[i]);
      free(rep);
    }
    free(pos);
    free(cut);
    g_free(hy);
  }
  g_free(lower);
  return any;
}
