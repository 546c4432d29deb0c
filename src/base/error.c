#include "base/error.h"

#include <stdio.h>
#include <string.h>

void kmb_error_clear(kmb_error *err) {
  if (err) memset(err, 0, sizeof *err);
}

bool kmb_error_vset(kmb_error *err, kmb_errcode code, const char *path, int line, int col,
                    const char *fmt, va_list ap) {
  if (!err) return false;
  err->code = code;
  err->flags = 0;
  snprintf(err->path, sizeof err->path, "%s", path ? path : "");
  err->line = line;
  err->col = col;
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  return false;
}

bool kmb_error_set(kmb_error *err, kmb_errcode code, const char *path, int line, int col,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kmb_error_vset(err, code, path, line, col, fmt, ap);
  va_end(ap);
  return false;
}

bool kmb_error_set_output(kmb_error *err, kmb_errcode code, const char *path, const char *fmt,
                          ...) {
  va_list ap;
  va_start(ap, fmt);
  kmb_error_vset(err, code, path, 0, 0, fmt, ap);
  va_end(ap);
  if (err) err->flags |= KMB_ERRF_OUTPUT;
  return false;
}

int kmb_error_exit_status(const kmb_error *err) {
  switch (err->code) {
  case KMB_E_NONE: return 0;
  case KMB_E_ARG: return 2;
  case KMB_E_SYNTAX:
  case KMB_E_FORMAT:
  case KMB_E_LIMIT: return 3; /* the input is at fault */
  case KMB_E_IO: return 4;
  case KMB_E_FONT:
  case KMB_E_UNSUPPORTED: return 5; /* the installation is at fault */
  case KMB_E_INTERRUPTED: return 130;
  default: return 1;
  }
}

bool kmb_warn_or_fail_v(const kmb_diag *diag, kmb_error *err, kmb_errcode code, const char *path,
                        int line, int col, const char *fmt, va_list ap) {
  if (!diag || !diag->warn) return true;
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (diag->warn(diag->user, path, line, col, msg)) return true;
  if (err) {
    kmb_error_set(err, code, path, line, col, "%s", msg);
    err->flags |= KMB_ERRF_WARNING;
  }
  return false;
}

bool kmb_warn_or_fail(const kmb_diag *diag, kmb_error *err, kmb_errcode code, const char *path,
                      int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  bool go_on = kmb_warn_or_fail_v(diag, err, code, path, line, col, fmt, ap);
  va_end(ap);
  return go_on;
}
