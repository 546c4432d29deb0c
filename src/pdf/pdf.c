#include "pdf/pdf.h"

bool kmb_pdf_write(const kmb_book *book, const kmb_pdf_opts *opts, const char *path,
                   kmb_error *err) {
  return kmb_error_set(err, KMB_E_UNSUPPORTED, NULL, 0, 0,
                       "the PDF writer is not built yet — use --dump-model or --check");
}
