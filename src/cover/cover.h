/* The book cover: the metadata's image, or one kmbook draws (title, subtitle,
 * author in the book's fonts). The same cover goes into the EPUB and the PDF. */
#ifndef KMB_COVER_H
#define KMB_COVER_H

#include "fonts/fonts.h"
#include "model/doc.h"
#include "style/style.h"
#include <stddef.h>

/* Draws the cover as a PNG of w×h pixels (1600×2560 for the EPUB) into a
 * g_malloc'd buffer. Deterministic for the same book and fonts. */
bool kmb_cover_png(const kmb_book *book, const kmb_style *style, kmb_fonts *fonts, int w, int h,
                   unsigned char **png, size_t *len, kmb_error *err);
/* Draws the cover onto a cairo context (cairo_t *, as void *) filling w×h pt,
 * as vectors: its text is set as glyph outlines (filled paths), so a PDF's
 * cover page looks like the PNG but carries no extractable text. */
bool kmb_cover_draw(const kmb_book *book, const kmb_style *style, kmb_fonts *fonts, void *cr,
                    double w, double h, kmb_error *err);

#endif
