/* Private to src/fonts. */
#ifndef KMB_FONTS_IMP_H
#define KMB_FONTS_IMP_H

#include "fonts/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pango.h>

struct kmb_fonts {
  FcConfig *cfg;
  PangoFontMap *fontmap;
  char *fallback_conf; /* fonts/fallback.conf (the stand-in order), or NULL if not installed */
  char *subset_dir; /* temporary folder of subset faces (kmb_fonts_subset), or NULL */
};

/* Unrefs a font map made with a private FcConfig, giving back the config
 * reference Pango 1.50 keeps (see fonts.c). */
void kmb_fonts_release_fontmap(PangoFontMap *fm);

/* Removes a folder of font subsets and the files in it. */
void kmb_fonts_remove_dir(const char *dir);

#endif
