/* A chapter laid out again from its saved kmb_lstate gives the same pages:
 * the book written with every chapter kept from pass 1 and with none kept
 * (each laid out again for drawing) must give the same PDF and layout dump.
 * Usage: kmb_pdf_replay BOOK WORKDIR [vertical] */
#include "base/file.h"
#include "pdf/pdf.h"
#include "read/read.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static char *slurp(const char *path, gsize *len) {
  char *s = NULL;
  if (!g_file_get_contents(path, &s, len, NULL)) return NULL;
  return s;
}

static bool write_pdf(const kmb_book *book, const kmb_style *st, int keep, const char *pdf,
                      const char *dump) {
  kmb_pdf_opts o = {.style = st, .epoch = 1700000000, .generator = "kmbook test",
                    .layout_dump = dump, .keep_pages = keep};
  kmb_error err = {0};
  if (!kmb_pdf_write(book, &o, pdf, &err)) {
    fprintf(stderr, "FAIL: %s: %s\n", pdf, err.msg);
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  if (argc != 3 && !(argc == 4 && strcmp(argv[3], "vertical") == 0)) {
    fprintf(stderr, "usage: %s BOOK WORKDIR [vertical]\n", argv[0]);
    return 2;
  }
  g_mkdir_with_parents(argv[2], 0755);
  kmb_error err = {0};
  kmb_read_opts ro = {0};
  kmb_book *book = kmb_book_load(argv[1], &ro, &err);
  if (!book) {
    fprintf(stderr, "FAIL: cannot load %s: %s\n", argv[1], err.msg);
    return 1;
  }
  if (argc == 4) book->writing = KMB_WRITING_VERTICAL; /* as --writing vertical */
  kmb_style st;
  char *ini = kmb_data_path(NULL, "styles/default.ini");
  if (!kmb_style_load(&st, ini, &err)) {
    fprintf(stderr, "FAIL: style: %s\n", err.msg);
    return 1;
  }
  g_free(ini);
  char *p[2], *d[2];
  const int keep[2] = {0, -1};
  int rc = 0;
  for (int i = 0; i < 2; i++) {
    p[i] = g_strdup_printf("%s/replay-%d.pdf", argv[2], i);
    d[i] = g_strdup_printf("%s/replay-%d.txt", argv[2], i);
    if (!write_pdf(book, &st, keep[i], p[i], d[i])) rc = 1;
  }
  gsize l[4];
  char *a = slurp(p[0], &l[0]), *b = slurp(p[1], &l[1]);
  char *da = slurp(d[0], &l[2]), *db = slurp(d[1], &l[3]);
  if (!rc && (!a || !b || l[0] != l[1] || memcmp(a, b, l[0]) != 0)) {
    fprintf(stderr, "FAIL: the PDF differs when chapters are laid out again (%s, %s)\n", p[0],
            p[1]);
    rc = 1;
  }
  if (!rc && (!da || !db || l[2] != l[3] || memcmp(da, db, l[2]) != 0)) {
    fprintf(stderr, "FAIL: the layout dump differs when chapters are laid out again (%s, %s)\n",
            d[0], d[1]);
    rc = 1;
  }
  if (!rc) printf("replay: same PDF (%zu bytes) and dump with every chapter laid out again\n", (size_t)l[0]);
  g_free(a), g_free(b), g_free(da), g_free(db);
  for (int i = 0; i < 2; i++) g_free(p[i]), g_free(d[i]);
  kmb_book_drop(book);
  return rc;
}
