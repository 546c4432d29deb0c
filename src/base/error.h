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

/* What an error record says about itself, beyond its code (kmb_error.flags). */
enum {
  /* The path is the output being written. A writer only sees the file it was
   * given (the CLI's temporary); the CLI shows the name the user asked for. */
  KMB_ERRF_OUTPUT = 1 << 0,
  /* A warning the sink refused (--strict): the CLI says so after the message. */
  KMB_ERRF_WARNING = 1 << 1,
};

typedef struct kmb_error {
  kmb_errcode code;
  int cause;      /* errno, zip error, cairo status ... when known */
  unsigned flags; /* KMB_ERRF_* */
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
/* Records an error about the output file being written (KMB_ERRF_OUTPUT). */
bool kmb_error_set_output(kmb_error *err, kmb_errcode code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The exit status the CLI uses for an error code (see README "Exit codes"). */
int kmb_error_exit_status(const kmb_error *err);

/* Diagnostics that are not fatal (warnings) go to a sink. The sink returns
 * false to turn the warning into an error: that is all --strict is, for the
 * reader and both writers alike. Every warning goes through kmb_warn_or_fail,
 * so a refused warning always stops the job with that warning as its error. */
typedef struct kmb_diag {
  bool (*warn)(void *user, const char *path, int line, int col, const char *msg);
  void *user;
} kmb_diag;

/* Reports a warning through the sink and returns its verdict (true to go on).
 * When the sink refuses (--strict) the warning becomes the error in *err
 * (with `code` and KMB_ERRF_WARNING; err may be NULL when an error is
 * already recorded) and false is returned. A NULL diag or NULL callback
 * drops the warning and returns true. */
bool kmb_warn_or_fail(const kmb_diag *diag, kmb_error *err, kmb_errcode code, const char *path,
                      int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
bool kmb_warn_or_fail_v(const kmb_diag *diag, kmb_error *err, kmb_errcode code, const char *path,
                        int line, int col, const char *fmt, va_list ap);

#endif
