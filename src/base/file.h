/* Whole-file reading and all-or-nothing output files. */
#ifndef KMB_FILE_H
#define KMB_FILE_H

#include "base/error.h"
#include <stddef.h>

/* Reads a whole file into a g_malloc'd, NUL-terminated buffer. */
char *kmb_file_read(const char *path, size_t *len, kmb_error *err);
/* The same, naming the file `shown` in an error (the name the user gave for
 * what is opened as `path`). */
char *kmb_file_read_as(const char *path, const char *shown, size_t *len, kmb_error *err);

/* An output written to "<path>.kmbtmp-XXXXXX" beside the target and renamed
 * into place by kmb_outfile_commit, so a failed build never leaves a partial
 * file. kmb_outfile_abort (also safe after commit) removes the temporary. */
typedef struct kmb_outfile {
  char *path;     /* final path */
  char *tmp_path; /* temporary path in the same directory: writers (libzip, cairo) write it by name */
} kmb_outfile;

/* Creates the temporary file. Fails if the target's folder is missing or not
 * writable, or if the target is one of the inputs (checked by the caller). */
bool kmb_outfile_open(kmb_outfile *out, const char *path, kmb_error *err);
bool kmb_outfile_commit(kmb_outfile *out, kmb_error *err);
void kmb_outfile_abort(kmb_outfile *out);

/* Temporary files still open, for the SIGINT handler: removes them all.
 * Async-signal-safe (uses only unlink). */
void kmb_outfile_cleanup_all(void);

/* Data file shipped with kmbook ("styles/default.ini", "book", ...): looked up
 * under `datadir` (if not NULL or empty: the CLI passes $KMBOOK_DATADIR), the
 * install prefix and the source tree, in that order. Returns a g_malloc'd
 * absolute path or NULL. */
char *kmb_data_path(const char *datadir, const char *rel);

#endif
