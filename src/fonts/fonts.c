#include "fonts/fonts-imp.h"
#include "base/file.h"

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <glib/gstdio.h>
#include <string.h>


/* True if fontconfig (our private config) has a face whose family is exactly `family`. */
static bool have_family(FcConfig *cfg, const char *family) {
  FcPattern *pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
  FcFontSet *fs = FcFontList(cfg, pat, os);
  bool ok = fs && fs->nfont > 0;
  if (fs) FcFontSetDestroy(fs);
  FcObjectSetDestroy(os);
  FcPatternDestroy(pat);
  return ok;
}

kmb_fonts *kmb_fonts_new(const char *datadir, const kmb_style *style, kmb_error *err) {
  char *conf = kmb_data_path(datadir, "fonts/fonts.conf");
  if (!conf) {
    kmb_error_set(err, KMB_E_FONT, "fonts/fonts.conf", 0, 0,
                  "kmbook's font configuration is missing — reinstall kmbook");
    return NULL;
  }
  /* The fallback order is a file of its own: the pre-subset faces'
   * configuration (subset.c) loads it too, without fonts.conf's folders. */
  char *fallback = kmb_data_path(datadir, "fonts/fallback.conf");
  FcConfig *cfg = FcConfigCreate();
  if (!FcConfigParseAndLoad(cfg, (const FcChar8 *)conf, FcTrue) ||
      (fallback && !FcConfigParseAndLoad(cfg, (const FcChar8 *)fallback, FcTrue)) ||
      !FcConfigBuildFonts(cfg)) {
    kmb_error_set(err, KMB_E_FONT, conf, 0, 0, "cannot load the font configuration");
    FcConfigDestroy(cfg);
    g_free(conf);
    g_free(fallback);
    return NULL;
  }
  const char *need[] = {style->body_family, style->heading_family, style->code_family};
  for (size_t i = 0; i < G_N_ELEMENTS(need); i++) {
    if (!have_family(cfg, need[i])) {
      if (g_ascii_strncasecmp(need[i], "Noto ", 5) == 0)
        kmb_error_set(err, KMB_E_FONT, conf, 0, 0,
                      "required font '%s' is not installed — install the Debian package "
                      "fonts-noto-cjk (sudo apt-get install fonts-noto-cjk)",
                      need[i]);
      else
        kmb_error_set(err, KMB_E_FONT, conf, 0, 0,
                      "font '%s' (named in the style) is not among kmbook's fonts — add its "
                      "folder to fonts/fonts.conf or use a Noto CJK family in [fonts]",
                      need[i]);
      FcConfigDestroy(cfg);
      g_free(conf);
      g_free(fallback);
      return NULL;
    }
  }
  g_free(conf);
  kmb_fonts *f = g_new0(kmb_fonts, 1);
  f->cfg = cfg;
  f->fallback_conf = fallback;
  f->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->fontmap), cfg); /* takes a reference */
  return f;
}

void *kmb_fonts_svg_begin(kmb_fonts *f) {
  /* get_default makes a (lazy, cheap) font map if the thread had none */
  PangoFontMap *prev = g_object_ref(pango_cairo_font_map_get_default());
  pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(f->fontmap));
  return prev;
}

void kmb_fonts_svg_end(void *prev) {
  pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(prev));
  g_object_unref(prev);
}

void kmb_fonts_remove_dir(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (d) {
    const char *name;
    while ((name = g_dir_read_name(d))) {
      char *p = g_build_filename(dir, name, NULL);
      g_remove(p);
      g_free(p);
    }
    g_dir_close(d);
  }
  g_rmdir(dir);
}

/* Lets go of a font map and the reference it holds on its FcConfig. Pango
 * 1.50.12 (Debian 12) takes a reference in pango_fc_font_map_set_config that
 * its finalize never gives back (later Pango destroys it there); detaching
 * the config first gives it back on every version. Measured with gdb: one
 * FcConfigReference from set_config, no FcConfigDestroy from finalize. */
void kmb_fonts_release_fontmap(PangoFontMap *fm) {
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), NULL);
  g_object_unref(fm);
}

void kmb_fonts_drop(kmb_fonts *f) {
  if (!f) return;
  kmb_fonts_release_fontmap(f->fontmap);
  FcConfigDestroy(f->cfg);
  g_free(f->fallback_conf);
  if (f->subset_dir) {
    kmb_fonts_remove_dir(f->subset_dir);
    g_free(f->subset_dir);
  }
  g_free(f);
}

void *kmb_fonts_fontmap(kmb_fonts *f) {
  return f->fontmap;
}
