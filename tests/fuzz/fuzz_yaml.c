/* Fuzz target: the metadata reader (YAML front matter → kmb_meta). The
 * input is the YAML text; it is wrapped in --- lines before a short chapter. */
#include "fuzz.h"

#include <glib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  kmb_fuzz_init();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char head[] = "---\n", tail[] = "\n---\n# 第一章\n\n正文。\n";
  GString *s = g_string_sized_new(size + 64);
  g_string_append(s, head);
  g_string_append_len(s, (const char *)data, (gssize)size);
  g_string_append(s, tail);
  for (int strict = 0; strict < 2; strict++) {
    kmb_book *b = kmb_fuzz_book((const uint8_t *)s->str, s->len, strict);
    if (b) {
      kmb_fuzz_check_model(b);
      kmb_book_drop(b);
    }
  }
  g_string_free(s, TRUE);
  return 0;
}
