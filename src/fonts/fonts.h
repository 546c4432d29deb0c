/* The project's fonts: a private fontconfig configuration (fonts/fonts.conf)
 * and a pango-cairo font map on it, shared by the PDF writer, the cover and
 * SVG figures. The caller owns the object; creating and using it changes no
 * process-wide setting (no FcConfigSetCurrent, no default font map), except
 * for the moment kmb_fonts_svg_begin/end bracket. */
#ifndef KMB_FONTS_H
#define KMB_FONTS_H

#include "base/error.h"
#include "style/style.h"

#include <stddef.h>
#include <stdint.h>

typedef struct kmb_fonts kmb_fonts;

/* Loads fonts/fonts.conf (found by kmb_data_path(datadir, ...)) and checks the style's families exist; a missing
 * required font is an error naming the Debian package to install. */
kmb_fonts *kmb_fonts_new(const char *datadir, const kmb_style *style, kmb_error *err);
void kmb_fonts_drop(kmb_fonts *f);
/* Replaces the faces by hb-subset subsets holding only the characters of
 * `text` (UTF-8) plus ASCII, with the layout features kmbook uses, so the
 * PDF embeds smaller fonts. Call before creating any Pango context from the
 * font map: the font map is replaced (kmb_fonts_fontmap returns the new
 * one). Characters missing from `text` then have no glyph. The subset files
 * live in a temporary folder removed by kmb_fonts_drop. */
bool kmb_fonts_subset(kmb_fonts *f, const kmb_style *style, const char *text, kmb_error *err);
/* The face kmbook's fonts use for `family` (regular or bold): its file
 * (g_free) and face index. False if the family is not among them. */
bool kmb_fonts_face_match(kmb_fonts *f, const char *family, bool bold, char **file, int *index);
/* hb-subset of face `index` of `file` keeping the code points `chars` and
 * the OpenType layout features named (4-letter tags), with the name table's
 * IDs 0–17 (family names, copyright and licence notices). Returns the
 * subset font as g_malloc'd bytes (OpenType; CFF faces stay CFF) and *len.
 * hb-subset is deterministic: the same input gives the same bytes. */
unsigned char *kmb_fonts_face_subset(const char *file, int index, const uint32_t *chars,
                                     size_t n_chars, const char *const *features,
                                     size_t n_features, size_t *len, kmb_error *err);
/* Name `name_id` (English) of a face, g_malloc'd, or NULL (0 = copyright notice). */
char *kmb_fonts_face_name(const char *file, int index, int name_id);
/* Borrowed PangoFontMap * (typed void * so that callers need no Pango headers). */
void *kmb_fonts_fontmap(kmb_fonts *f);

/* librsvg 2.54 sets SVG text with the calling thread's default Pango font map
 * and has no call to give it another (notes/library-facts.md §10–11); left
 * alone it would use the system's fonts. This is the one process-wide (per
 * thread) setting kmbook makes, and only for the length of a librsvg call:
 * kmb_fonts_svg_begin makes f's font map the thread's default and returns the
 * previous default; kmb_fonts_svg_end(prev) puts that back. Bracket every
 * librsvg call that may lay out text (measuring or drawing). */
void *kmb_fonts_svg_begin(kmb_fonts *f);
void kmb_fonts_svg_end(void *prev);

#endif
