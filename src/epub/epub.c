#include "epub/epub.h"

bool kmb_epub_write(const kmb_book *book, const kmb_epub_opts *opts, const char *path,
                    kmb_error *err) {
  return kmb_error_set(err, KMB_E_UNSUPPORTED, NULL, 0, 0,
                       "the EPUB writer is not built yet — use --dump-model or --check");
}
