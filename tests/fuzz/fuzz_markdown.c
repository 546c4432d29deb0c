/* Fuzz target: Markdown (with optional front matter) → model; the model
 * must pass kmb_book_check and dump the same way twice. */
#include "fuzz.h"

#include <glib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  kmb_fuzz_init();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kmb_book *b = kmb_fuzz_book(data, size, false);
  if (b) {
    kmb_fuzz_check_model(b);
    kmb_book_drop(b);
  }
  return 0;
}
