#include "read/read.h"
/* placeholder: the reader lands next */
kmb_book *kmb_book_load(const char *path, const kmb_read_opts *opts, kmb_error *err) {
  kmb_error_set(err, KMB_E_UNSUPPORTED, path, 0, 0, "reader not built yet");
  return NULL;
}
