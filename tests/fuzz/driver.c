/* main() for ordinary (non-libFuzzer) builds: runs every file given, and
 * every file inside the folders given, through LLVMFuzzerTestOneInput.
 * Used by the fuzz.replay.* tests (seed corpus and regressions). */
#include "fuzz.h"

#include <glib.h>
#include <stdio.h>

static int run_path(const char *path, int *n) {
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    GDir *d = g_dir_open(path, 0, NULL);
    if (!d) return 1;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (const char *e; (e = g_dir_read_name(d));) {
      if (e[0] != '.') g_ptr_array_add(names, g_build_filename(path, e, NULL));
    }
    g_dir_close(d);
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    int rc = 0;
    for (guint i = 0; i < names->len; i++) rc |= run_path(names->pdata[i], n);
    g_ptr_array_free(names, TRUE);
    return rc;
  }
  gchar *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents(path, &data, &len, NULL)) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  LLVMFuzzerTestOneInput((const uint8_t *)data, len);
  g_free(data);
  (*n)++;
  return 0;
}

int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  int n = 0, rc = 0;
  for (int i = 1; i < argc; i++) rc |= run_path(argv[i], &n);
  printf("%d inputs ran without a finding\n", n);
  return rc;
}
