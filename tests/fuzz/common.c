#include "fuzz.h"
#include "base/file.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kmb_fuzz_init(void) {
  static bool done;
  if (done) return;
  done = true;
  g_setenv("KMBOOK_DATADIR", KMB_FUZZ_DATADIR, FALSE);
  g_setenv("LC_ALL", "C.UTF-8", FALSE);
}

static bool refuse(void *user, const char *path, int line, int col, const char *msg) {
  return false;
}

kmb_book *kmb_fuzz_book(const uint8_t *data, size_t size, bool strict) {
  kmb_fuzz_init();
  kmb_diag d = {strict ? refuse : NULL, NULL};
  kmb_read_opts o = {.diag = &d};
  kmb_error err = {0};
  kmb_book *b = kmb_book_from_markdown((const char *)data, size, "fuzz.md", KMB_FUZZ_BOOK, &o, &err);
  if (!b && err.code == KMB_E_NONE) {
    fprintf(stderr, "reader failed without an error\n");
    abort();
  }
  if (!b && !err.msg[0]) {
    fprintf(stderr, "reader error without a message (code %d)\n", err.code);
    abort();
  }
  return b;
}

const kmb_style *kmb_fuzz_style(void) {
  static kmb_style st;
  static bool loaded;
  if (!loaded) {
    kmb_fuzz_init();
    kmb_error err = {0};
    char *path = kmb_data_path(NULL, "styles/default.ini");
    if (!kmb_style_load(&st, path, &err) || !kmb_style_set_paper(&st, "70x90mm", &err)) {
      fprintf(stderr, "fuzz: style: %s\n", err.msg);
      abort();
    }
    g_free(path);
    loaded = true;
  }
  return &st;
}

const char *kmb_fuzz_tmp(const char *ext) {
  static char path[256];
  const char *dir = g_getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/kmb-fuzz-%ld.%s", dir && *dir ? dir : "/tmp", (long)getpid(), ext);
  return path;
}

void kmb_fuzz_check_model(const kmb_book *b) {
  kmb_error err = {0};
  if (!kmb_book_check(b, &err)) {
    fprintf(stderr, "model invariant broken: %s:%d:%d: %s\n", err.path, err.line, err.col, err.msg);
    abort();
  }
  char *d1 = kmb_book_dump(b);
  char *d2 = kmb_book_dump(b);
  if (strcmp(d1, d2) != 0) {
    fprintf(stderr, "model dump is not stable\n");
    abort();
  }
  g_free(d1);
  g_free(d2);
}
