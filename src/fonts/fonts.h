/* The project's fonts: a private fontconfig configuration (fonts/fonts.conf)
 * and a pango-cairo font map on it, shared by the PDF writer, the cover and
 * SVG figures. */
#ifndef KMB_FONTS_H
#define KMB_FONTS_H

#include "base/error.h"
#include "style/style.h"

typedef struct kmb_fonts kmb_fonts;

/* Loads fonts/fonts.conf and checks the style's families exist; a missing
 * required font is an error naming the Debian package to install. */
kmb_fonts *kmb_fonts_new(const kmb_style *style, kmb_error *err);
void kmb_fonts_drop(kmb_fonts *f);
/* Borrowed PangoFontMap * (typed void * so that callers need no Pango headers). */
void *kmb_fonts_fontmap(kmb_fonts *f);

#endif
