/* Finding a face among kmbook's fonts and cutting a subset of it with
 * hb-subset: shared by the PDF's pre-subsetting (subset.c) and the EPUB's
 * embedded fonts (src/epub/fonts.c). */
#include "fonts/fonts-imp.h"

#include <glib.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <string.h>

FcPattern *kmb_fonts_pattern(FcConfig *cfg, const char *family, int weight) {
  FcPattern *pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(pat, FC_WEIGHT, weight);
  FcConfigSubstitute(cfg, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  return pat;
}

bool kmb_fonts_match_cfg(FcConfig *cfg, const char *family, int weight, char **file, int *index) {
  FcPattern *pat = kmb_fonts_pattern(cfg, family, weight);
  FcResult res;
  FcPattern *m = FcFontMatch(cfg, pat, &res);
  FcPatternDestroy(pat);
  if (!m) return false;
  FcChar8 *f = NULL;
  FcChar8 *fam = NULL;
  bool ok = FcPatternGetString(m, FC_FILE, 0, &f) == FcResultMatch &&
            FcPatternGetInteger(m, FC_INDEX, 0, index) == FcResultMatch &&
            FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch &&
            g_ascii_strcasecmp((const char *)fam, family) == 0;
  if (ok) *file = g_strdup((const char *)f);
  FcPatternDestroy(m);
  return ok;
}

bool kmb_fonts_face_match(kmb_fonts *f, const char *family, bool bold, char **file, int *index) {
  return kmb_fonts_match_cfg(f->cfg, family, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR, file,
                             index);
}

unsigned char *kmb_fonts_subset_set(const char *file, int index, hb_set_t *chars,
                                    const char *const *features, size_t n_features, size_t *len,
                                    kmb_error *err) {
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  if (!blob) {
    kmb_error_set(err, KMB_E_FONT, file, 0, 0, "cannot read the font file");
    return NULL;
  }
  hb_face_t *face = hb_face_create(blob, (unsigned)index);
  hb_blob_destroy(blob);
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) {
    hb_face_destroy(face);
    kmb_error_set(err, KMB_E_NOMEM, NULL, 0, 0, "out of memory subsetting fonts");
    return NULL;
  }
  hb_set_union(hb_subset_input_unicode_set(in), chars);
  if (features) { /* else HarfBuzz's defaults (stand-ins: Arabic joining, Indic conjuncts) */
    hb_set_t *feats = hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
    hb_set_clear(feats);
    for (size_t i = 0; i < n_features; i++) hb_set_add(feats, hb_tag_from_string(features[i], -1));
  }
  /* Family and style names, including the typographic ones (16, 17), so
   * fontconfig sees the same family names as in the full font; 0 and 13–14
   * carry the copyright and licence notices the OFL asks to keep. */
  hb_set_add_range(hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID), 0, 17);
  hb_face_t *sub = hb_subset_or_fail(face, in);
  hb_subset_input_destroy(in);
  hb_face_destroy(face);
  if (!sub) {
    kmb_error_set(err, KMB_E_FONT, file, 0, 0, "hb-subset failed on face %d", index);
    return NULL;
  }
  hb_blob_t *res = hb_face_reference_blob(sub);
  unsigned n = 0;
  const char *data = hb_blob_get_data(res, &n);
  unsigned char *out = g_memdup2(data, n);
  *len = n;
  hb_blob_destroy(res);
  hb_face_destroy(sub);
  return out;
}

unsigned char *kmb_fonts_face_subset(const char *file, int index, const uint32_t *chars,
                                     size_t n_chars, const char *const *features,
                                     size_t n_features, size_t *len, kmb_error *err) {
  hb_set_t *set = hb_set_create();
  for (size_t i = 0; i < n_chars; i++) hb_set_add(set, chars[i]);
  unsigned char *r = kmb_fonts_subset_set(file, index, set, features, n_features, len, err);
  hb_set_destroy(set);
  return r;
}

char *kmb_fonts_face_name(const char *file, int index, int name_id) {
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  if (!blob) return NULL;
  hb_face_t *face = hb_face_create(blob, (unsigned)index);
  hb_blob_destroy(blob);
  char buf[4096];
  unsigned n = sizeof buf;
  unsigned got = hb_ot_name_get_utf8(face, (hb_ot_name_id_t)name_id, hb_language_from_string("en", -1),
                                     &n, buf);
  hb_face_destroy(face);
  return got ? g_strndup(buf, n) : NULL;
}
