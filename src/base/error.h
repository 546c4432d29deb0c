/* kmb_error: a caller-owned error record, passed last to functions that can
 * fail. Functions return bool (or NULL) and fill it in; only src/cli prints. */
#ifndef KMB_ERROR_H
#define KMB_ERROR_H

#include <stdbool.h>
#include <stdarg.h>

typedef enum {
  KMB_E_NONE = 0,
  KMB_E_ARG,         /* bad command-line or API argument */
  KMB_E_IO,          /* a file could not be read or written */
  KMB_E_SYNTAX,      /* malformed input (YAML, UTF-8, ...) */
  KMB_E_FORMAT,      /* well-formed but unusable input (bad image, ...) */
  KMB_E_LIMIT,       /* input beyond a documented limit */
  KMB_E_UNSUPPORTED, /* a feature kmbook does not have */
  KMB_E_LIB,         /* a library call failed */
  KMB_E_NOMEM,
  KMB_E_FONT,        /* a required font is missing */
  KMB_E_INTERRUPTED,
} kmb_errcode;

typedef struct kmb_error {
  kmb_errcode code;
  int cause;      /* errno, zip error, cairo status ... when known */
  char path[512]; /* file the error is about, "" if none */
  int line, col;  /* 1-based; 0 when unknown */
  char msg[512];  /* "what is wrong — what to do" */
} kmb_error;

void kmb_error_clear(kmb_error *err);
/* Records the error (path may be NULL). Always returns false so callers can
 * write `return kmb_error_set(...)`. */
bool kmb_error_set(kmb_error *err, kmb_errcode code, const char *path, int line, int col,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
bool kmb_error_vset(kmb_error *err, kmb_errcode code, const char *path, int line, int col,
                    const char *fmt, va_list ap);
/* The exit status the CLI uses for an error code (see README "Exit codes"). */
int kmb_error_exit_status(const kmb_error *err);

/* Diagnostics that are not fatal (warnings) go to a sink. The sink returns
 * false to turn the warning into an error (--strict). */
typedef struct kmb_diag {
  bool (*warn)(void *user, const char *path, int line, int col, const char *msg);
  void *user;
} kmb_diag;

/* Reports a warning through the sink; returns the sink's verdict (true to go on).
 * A NULL diag or NULL callback drops the warning and returns true. */
bool kmb_warn(const kmb_diag *diag, const char *path, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Like kmb_warn, but when the sink refuses (--strict) the warning becomes the
 * error in *err (with `code`) and false is returned. */
bool kmb_warn_or_fail(const kmb_diag *diag, kmb_error *err, kmb_errcode code, const char *path,
                      int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif
