/* Fuzz target: Markdown → model → EPUB (to a temporary file, removed after). */
#include "epub/epub.h"
#include "fuzz.h"

#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  kmb_fuzz_init();
  kmb_fuzz_style();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64 * 1024) return 0;
  kmb_book *b = kmb_fuzz_book(data, size, false);
  if (!b) return 0;
  kmb_epub_opts o = {.style = kmb_fuzz_style(), .epoch = 1700000000, .generator = "kmbook-fuzz"};
  kmb_error err = {0};
  const char *path = kmb_fuzz_tmp("epub");
  if (!kmb_epub_write(b, &o, path, &err) && !err.msg[0]) abort(); /* failure without a message */
  unlink(path);
  kmb_book_drop(b);
  return 0;
}
