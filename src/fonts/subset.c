/* Pre-subsetting the book's faces with hb-subset before typesetting.
 *
 * Why: cairo 1.16 embeds Noto CJK as a bare CFF CID font and keeps the
 * font's whole subroutine sets, so a 20-page book carries ~0.9 MB per face
 * (notes/library-facts.md §6–7). HarfBuzz's subsetter prunes them: the same
 * pages come out pixel-identical at about half the size. Only the layout
 * features kmbook's typesetting uses are kept (§7: the default closure pulls
 * in JP/KR/TC variants): ccmp, locl (zh-CN glyph forms such as ——), kern,
 * halt/palt (punctuation compression), vertical forms, and Latin liga/calt.
 *
 * The subset faces go into a private temporary folder and a fresh
 * fontconfig configuration that sees nothing else; the folder is removed by
 * kmb_fonts_drop, after cairo has finished reading the faces. */
#include "fonts/fonts-imp.h"

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <hb-subset.h>
#include <hb.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>

static const char *const FEATURES[] = {"ccmp", "locl", "kern", "halt", "palt", "vert", "vrt2",
                                       "vhal", "vpal", "vkrn", "liga", "calt", "mark", "mkmk"};

static bool write_subset(const char *file, int index, hb_set_t *chars, const char *out,
                         kmb_error *err) {
  size_t len = 0;
  unsigned char *data =
      kmb_fonts_subset_set(file, index, chars, FEATURES, G_N_ELEMENTS(FEATURES), &len, err);
  if (!data) return false;
  GError *ge = NULL;
  bool ok = g_file_set_contents(out, (const char *)data, (gssize)len, &ge);
  if (!ok) {
    kmb_error_set(err, KMB_E_IO, out, 0, 0, "cannot write a font subset: %s", ge->message);
    g_error_free(ge);
  }
  g_free(data);
  return ok;
}

bool kmb_fonts_subset(kmb_fonts *f, const kmb_style *style, const char *text, kmb_error *err) {
  hb_set_t *chars = hb_set_create();
  hb_set_add_range(chars, 0x20, 0x7E); /* ASCII: numbers, labels, URLs */
  for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char_validated(p, -1);
    if (ch == (gunichar)-1 || ch == (gunichar)-2) break;
    hb_set_add(chars, ch);
  }
  const char *families[] = {style->body_family, style->heading_family, style->code_family};
  const int weights[] = {FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD};
  GError *ge = NULL;
  char *dir = g_dir_make_tmp("kmbook-fonts-XXXXXX", &ge);
  if (!dir) {
    kmb_error_set(err, KMB_E_IO, NULL, 0, 0, "cannot make a folder for font subsets: %s",
                  ge->message);
    g_error_free(ge);
    hb_set_destroy(chars);
    return false;
  }
  FcConfig *cfg = FcConfigCreate();
  GPtrArray *done = g_ptr_array_new_with_free_func(g_free); /* "file#index" */
  bool ok = true;
  int n = 0;
  for (size_t i = 0; i < G_N_ELEMENTS(families) && ok; i++) {
    for (size_t w = 0; w < G_N_ELEMENTS(weights) && ok; w++) {
      char *file = NULL;
      int index = 0;
      if (!kmb_fonts_match_cfg(f->cfg, families[i], weights[w], &file, &index)) continue;
      char *key = g_strdup_printf("%s#%d", file, index);
      bool seen = false;
      for (guint k = 0; k < done->len; k++) seen |= strcmp(g_ptr_array_index(done, k), key) == 0;
      if (seen) {
        g_free(key);
        g_free(file);
        continue;
      }
      g_ptr_array_add(done, key);
      char *out = g_strdup_printf("%s/face%d.otf", dir, n++);
      ok = write_subset(file, index, chars, out, err) &&
           (FcConfigAppFontAddFile(cfg, (const FcChar8 *)out) ||
            kmb_error_set(err, KMB_E_FONT, out, 0, 0, "fontconfig cannot load a font subset"));
      g_free(out);
      g_free(file);
    }
  }
  g_ptr_array_free(done, TRUE);
  hb_set_destroy(chars);
  if (!ok || n == 0) {
    if (ok) kmb_error_set(err, KMB_E_FONT, NULL, 0, 0, "no faces to subset");
    FcConfigDestroy(cfg);
    kmb_fonts_remove_dir(dir);
    g_free(dir);
    return false;
  }
  /* Swap in the subset faces: the old font map and config go. */
  PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
  g_object_unref(f->fontmap);
  FcConfigDestroy(f->cfg);
  f->fontmap = fm;
  f->cfg = cfg;
  f->subset_dir = dir;
  return true;
}
