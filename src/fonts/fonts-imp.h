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
  char *subset_dir; /* temporary folder of subset faces (kmb_fonts_subset), or NULL */
};

/* Removes a folder of font subsets and the files in it. */
void kmb_fonts_remove_dir(const char *dir);

/* faces.c: file and face index of the face cfg picks for family+weight
 * (false unless the family matched exactly); a subset of a face holding
 * `chars` and the layout features named, as g_malloc'd OpenType bytes. */
bool kmb_fonts_match_cfg(FcConfig *cfg, const char *family, int weight, char **file, int *index);
unsigned char *kmb_fonts_subset_set(const char *file, int index, hb_set_t *chars,
                                    const char *const *features, size_t n_features, size_t *len,
                                    kmb_error *err);

#endif
