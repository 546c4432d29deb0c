#include "base/file.h"
#include "base/config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

char *kmb_file_read(const char *path, size_t *len, kmb_error *err) {
  return kmb_file_read_as(path, path, len, err);
}

char *kmb_file_read_as(const char *path, const char *shown, size_t *len, kmb_error *err) {
  gchar *data = NULL;
  gsize n = 0;
  GError *gerr = NULL;
  if (!g_file_get_contents(path, &data, &n, &gerr)) {
    kmb_error_set(err, KMB_E_IO, shown, 0, 0, "cannot read file: %s — check the path", gerr->message);
    g_error_free(gerr);
    return NULL;
  }
  if (len) *len = n;
  return data;
}

/* The few temporaries alive at once (EPUB, PDF, cover...), for SIGINT. */
enum { MAX_LIVE = 16 };
static char *live[MAX_LIVE];

static void live_add(char *p) {
  for (int i = 0; i < MAX_LIVE; i++) {
    if (!live[i]) {
      live[i] = p;
      return;
    }
  }
}

static void live_remove(const char *p) {
  for (int i = 0; i < MAX_LIVE; i++) {
    if (live[i] == p) live[i] = NULL;
  }
}

void kmb_outfile_cleanup_all(void) {
  for (int i = 0; i < MAX_LIVE; i++) {
    if (live[i]) unlink(live[i]);
  }
}

bool kmb_outfile_open(kmb_outfile *out, const char *path, kmb_error *err) {
  memset(out, 0, sizeof *out);
  char *dir = g_path_get_dirname(path);
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    kmb_error_set(err, KMB_E_IO, path, 0, 0,
                  "output folder '%s' does not exist — create it or choose another path", dir);
    g_free(dir);
    return false;
  }
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    g_free(dir);
    return kmb_error_set(err, KMB_E_IO, path, 0, 0,
                         "output path is a folder — give a file name such as book.pdf");
  }
  char *base = g_path_get_basename(path);
  char *tmpl = g_strdup_printf("%s/.%s.kmbtmp-XXXXXX", dir, base);
  g_free(base);
  g_free(dir);
  int fd = g_mkstemp(tmpl);
  if (fd < 0) {
    int e = errno;
    kmb_error_set(err, KMB_E_IO, path, 0, 0, "cannot write in the output folder: %s — check its permissions",
                  g_strerror(e));
    err->cause = e;
    g_free(tmpl);
    return false;
  }
  fchmod(fd, 0644); /* mkstemp makes 0600; books are meant to be shared */
  close(fd);
  out->path = g_strdup(path);
  out->tmp_path = tmpl;
  live_add(out->tmp_path);
  return true;
}

bool kmb_outfile_commit(kmb_outfile *out, kmb_error *err) {
  if (rename(out->tmp_path, out->path) != 0) {
    int e = errno;
    kmb_error_set(err, KMB_E_IO, out->path, 0, 0, "cannot move the finished file into place: %s",
                  g_strerror(e));
    kmb_outfile_abort(out);
    return false;
  }
  live_remove(out->tmp_path);
  g_free(out->tmp_path);
  g_free(out->path);
  memset(out, 0, sizeof *out);
  return true;
}

void kmb_outfile_abort(kmb_outfile *out) {
  if (out->tmp_path) {
    live_remove(out->tmp_path);
    unlink(out->tmp_path);
  }
  g_free(out->tmp_path);
  g_free(out->path);
  memset(out, 0, sizeof *out);
}

static char *exe_dir(void) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return NULL;
  buf[n] = '\0';
  return g_path_get_dirname(buf);
}

char *kmb_data_path(const char *datadir, const char *rel) {
  char *cands[5] = {0};
  int k = 0;
  if (datadir && *datadir) cands[k++] = g_build_filename(datadir, rel, NULL);
  char *ed = exe_dir();
  /* A binary in its build tree uses its own source tree, never data that an
   * earlier `cmake --install` left under the prefix. */
  bool in_build_tree = ed && g_str_has_prefix(ed, KMB_BINARY_DIR "/");
  if (in_build_tree) cands[k++] = g_build_filename(KMB_SOURCE_DIR, rel, NULL);
  if (ed) {
    /* relocatable install: <prefix>/bin/kmbook → <prefix>/share/kmbook */
    cands[k++] = g_build_filename(ed, "..", "share", "kmbook", rel, NULL);
    g_free(ed);
  }
  cands[k++] = g_build_filename(KMB_DATADIR, rel, NULL);
  if (!in_build_tree) cands[k++] = g_build_filename(KMB_SOURCE_DIR, rel, NULL);
  char *found = NULL;
  for (int i = 0; i < k; i++) {
    if (!found && g_file_test(cands[i], G_FILE_TEST_EXISTS)) {
      char *canon = g_canonicalize_filename(cands[i], NULL);
      found = canon;
    }
    g_free(cands[i]);
  }
  return found;
}
