#include "cover/cover.h"

/* Placeholder until the cover is drawn (EPUB issue). */
bool kmb_cover_png(const kmb_book *book, const kmb_style *style, kmb_fonts *fonts, int w, int h,
                   unsigned char **png, size_t *len, kmb_error *err) {
  return kmb_error_set(err, KMB_E_UNSUPPORTED, NULL, 0, 0, "the cover is not built yet");
}

bool kmb_cover_draw(const kmb_book *book, const kmb_style *style, kmb_fonts *fonts, void *cr,
                    double w, double h, kmb_error *err) {
  return kmb_error_set(err, KMB_E_UNSUPPORTED, NULL, 0, 0, "the cover is not built yet");
}
