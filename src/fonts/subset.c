/* Pre-subsetting the book's faces with hb-subset before typesetting.
 *
 * Why: cairo 1.16 embeds Noto CJK as a bare CFF CID font and keeps the
 * font's whole subroutine sets, so a 20-page book carries ~0.9 MB per face
 * (notes/library-facts.md §6–7). HarfBuzz's subsetter prunes them: the same
 * pages come out pixel-identical at about half the size. Only the layout
 * features kmbook's typesetting uses are kept (§7: the default closure pulls
 * in JP/KR/TC variants): ccmp, locl (zh-CN glyph forms such as ——), kern,
 * halt/palt (punctuation compression), vertical forms, Latin liga/calt, and
 * pwid (an apostrophe inside a Latin word: para.c).
 *
 * Characters the book's faces lack go to the faces that stand in for them
 * (fonts/fallback.conf: Noto Serif/Sans, Thai, Hebrew, Arabic, Devanagari,
 * math, Symbola), found as Pango will find them, by fontconfig's sorted list
 * and per-character coverage; only the stand-ins the book needs are cut and
 * loaded, each with only its characters, so a book that needs none (the
 * default book) gets the same faces and the same PDF as before.
 *
 * The subset faces go into a private temporary folder and a fresh
 * fontconfig configuration that sees nothing else but the same fallback
 * order; the folder is removed by kmb_fonts_drop, after cairo has finished
 * reading the faces. */
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
                                       "vhal", "vpal", "vkrn", "liga", "calt", "mark", "mkmk",
                                       "pwid"};

/* A face to cut down: its file, face index and the characters it keeps. */
typedef struct {
  char *file;
  int index;
  bool fallback; /* a stand-in: keeps HarfBuzz's default features (Arabic joining, Indic conjuncts) */
  hb_set_t *chars;
} face_job;

static void face_job_free(gpointer p) {
  face_job *j = p;
  g_free(j->file);
  hb_set_destroy(j->chars);
  g_free(j);
}

/* The job for file#index, made (with no characters) if new. */
static face_job *job_for(GPtrArray *jobs, const char *file, int index, bool fallback) {
  for (guint k = 0; k < jobs->len; k++) {
    face_job *j = g_ptr_array_index(jobs, k);
    if (j->index == index && strcmp(j->file, file) == 0) return j;
  }
  face_job *j = g_new0(face_job, 1);
  j->file = g_strdup(file);
  j->index = index;
  j->fallback = fallback;
  j->chars = hb_set_create();
  g_ptr_array_add(jobs, j);
  return j;
}

/* Walks fontconfig's fallback list for family+weight (the order Pango uses)
 * and gives each character of `chars` that the first face lacks to the first
 * stand-in that has it; ASCII comes along (spaces and digits inside a
 * stand-in's run are set in it). Characters no face has stay unassigned:
 * the PDF writer warns about them. */
static void add_fallbacks(FcConfig *cfg, const char *family, int weight, const hb_set_t *chars,
                          GPtrArray *jobs) {
  FcPattern *pat = kmb_fonts_pattern(cfg, family, weight);
  FcResult res;
  FcFontSet *fs = FcFontSort(cfg, pat, FcTrue, NULL, &res);
  FcPatternDestroy(pat);
  if (!fs) return;
  hb_set_t *need = hb_set_copy(chars);
  hb_set_t *use = hb_set_create();
  for (int i = 0; i < fs->nfont && !hb_set_is_empty(need); i++) {
    FcCharSet *cs = NULL;
    FcChar8 *file = NULL;
    int index = 0;
    if (FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0, &cs) != FcResultMatch ||
        FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
      continue;
    FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
    hb_set_clear(use);
    for (hb_codepoint_t cp = HB_SET_VALUE_INVALID; hb_set_next(need, &cp);)
      if (FcCharSetHasChar(cs, cp)) hb_set_add(use, cp);
    if (hb_set_is_empty(use)) continue;
    hb_set_subtract(need, use);
    if (i == 0) continue; /* the book's own face: subset with every character already */
    face_job *j = job_for(jobs, (const char *)file, index, true);
    hb_set_union(j->chars, use);
    hb_set_add_range(j->chars, 0x20, 0x7E);
  }
  hb_set_destroy(use);
  hb_set_destroy(need);
  FcFontSetDestroy(fs);
}

/* The italic face of `family` (style italic, heading_italic: Latin
 * emphasis), if kmbook's fonts have a real one: file and index, as Pango
 * will pick it. A synthesized oblique needs no face of its own. */
static bool italic_face(FcConfig *cfg, const char *family, int weight, char **file, int *index) {
  FcPattern *pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(pat, FC_WEIGHT, weight);
  FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ITALIC);
  FcConfigSubstitute(cfg, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern *m = FcFontMatch(cfg, pat, &res);
  FcPatternDestroy(pat);
  if (!m) return false;
  FcChar8 *f = NULL, *fam = NULL;
  int slant = 0;
  bool ok = FcPatternGetString(m, FC_FILE, 0, &f) == FcResultMatch &&
            FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch &&
            FcPatternGetInteger(m, FC_SLANT, 0, &slant) == FcResultMatch &&
            slant != FC_SLANT_ROMAN && g_ascii_strcasecmp((const char *)fam, family) == 0;
  *index = 0;
  FcPatternGetInteger(m, FC_INDEX, 0, index);
  if (ok) *file = g_strdup((const char *)f);
  FcPatternDestroy(m);
  return ok;
}

static bool subset_face(const char *file, int index, bool all_features, hb_set_t *chars,
                        const char *out, kmb_error *err) {
  size_t len = 0;
  unsigned char *data = kmb_fonts_subset_set(file, index, chars, all_features ? NULL : FEATURES,
                                             G_N_ELEMENTS(FEATURES), &len, err);
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
  /* The book's faces first (every character), then the stand-ins. */
  GPtrArray *jobs = g_ptr_array_new_with_free_func(face_job_free);
  for (size_t i = 0; i < G_N_ELEMENTS(families); i++) {
    for (size_t w = 0; w < G_N_ELEMENTS(weights); w++) {
      char *file = NULL;
      int index = 0;
      if (!kmb_fonts_match_cfg(f->cfg, families[i], weights[w], &file, &index)) continue;
      hb_set_union(job_for(jobs, file, index, false)->chars, chars);
      g_free(file);
    }
  }
  /* The italic faces only when Latin emphasis is on; a book without any
   * sets no glyph in them, and cairo embeds only the faces drawn with. */
  const char *italics[] = {style->latin_italic ? style->italic_family : "",
                           style->latin_italic ? style->heading_italic_family : ""};
  for (size_t i = 0; i < G_N_ELEMENTS(italics); i++) {
    for (size_t w = 0; w < G_N_ELEMENTS(weights) && *italics[i]; w++) {
      char *file = NULL;
      int index = 0;
      if (!italic_face(f->cfg, italics[i], weights[w], &file, &index)) continue;
      hb_set_union(job_for(jobs, file, index, false)->chars, chars);
      g_free(file);
    }
  }
  for (size_t i = 0; i < G_N_ELEMENTS(families); i++)
    for (size_t w = 0; w < G_N_ELEMENTS(weights); w++)
      add_fallbacks(f->cfg, families[i], weights[w], chars, jobs);
  FcConfig *cfg = FcConfigCreate();
  bool ok = !f->fallback_conf || FcConfigParseAndLoad(cfg, (const FcChar8 *)f->fallback_conf, FcTrue) ||
            kmb_error_set(err, KMB_E_FONT, f->fallback_conf, 0, 0, "cannot load the fallback order");
  int n = 0;
  for (guint k = 0; k < jobs->len && ok; k++) {
    face_job *j = g_ptr_array_index(jobs, k);
    char *out = g_strdup_printf("%s/face%d.otf", dir, n++);
    ok = subset_face(j->file, j->index, j->fallback, j->chars, out, err) &&
         (FcConfigAppFontAddFile(cfg, (const FcChar8 *)out) ||
          kmb_error_set(err, KMB_E_FONT, out, 0, 0, "fontconfig cannot load a font subset"));
    g_free(out);
  }
  g_ptr_array_free(jobs, TRUE);
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
  kmb_fonts_release_fontmap(f->fontmap);
  FcConfigDestroy(f->cfg);
  f->fontmap = fm;
  f->cfg = cfg;
  f->subset_dir = dir;
  return true;
}
