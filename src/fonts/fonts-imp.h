/* Private to src/fonts. */
#ifndef KMB_FONTS_IMP_H
#define KMB_FONTS_IMP_H

#include "fonts/fonts.h"

#include <fontconfig/fontconfig.h>
#include <hb.h>
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

/* faces.c: file and face index of the face cfg picks for family+weight
 * (false unless the family matched exactly); a subset of a face holding
 * `chars` and the layout features named (features NULL: HarfBuzz's default
 * set), as g_malloc'd OpenType bytes. */
/* The pattern fontconfig matches and sorts for family+weight, substituted
 * as Pango's would be; the caller destroys it. */
FcPattern *kmb_fonts_pattern(FcConfig *cfg, const char *family, int weight);
bool kmb_fonts_match_cfg(FcConfig *cfg, const char *family, int weight, char **file, int *index);
unsigned char *kmb_fonts_subset_set(const char *file, int index, hb_set_t *chars,
                                    const char *const *features, size_t n_features, size_t *len,
                                    kmb_error *err);

#endif
