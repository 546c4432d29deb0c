/* Readers: a book folder, a single Markdown file, or a string → kmb_book. */
#ifndef KMB_READ_H
#define KMB_READ_H

#include "model/doc.h"

/* Deepest nesting of blocks and inline spans the reader accepts (the
 * document root is level 0). Deeper input is refused with KMB_E_LIMIT, so
 * code walking the model recursively never needs more stack than this many
 * frames. See docs/limits.md. */
#define KMB_MAX_DEPTH 1000

typedef struct kmb_read_opts {
  const kmb_diag *diag; /* warnings (unknown metadata keys, remote images...) */
  const char *convert;  /* an OpenCC configuration ("s2twp", "t2s"...) for an edition, or NULL */
  kmb_writing writing;  /* --writing, or AUTO */
} kmb_read_opts;

/* Loads a book from `path`: a folder holding book.yaml (metadata and the
 * chapter list) and the chapter files, or a single .md file with its metadata
 * in YAML front matter, split into chapters at level-1 headings. Validates
 * UTF-8, NUL bytes, chapter files and local images (which must exist and stay
 * inside the book folder). Returns a book the caller owns (kmb_book_drop), or
 * NULL with err set to a located message. A relative path in a message
 * (error or warning) is relative to the book folder: the folder itself, or
 * the folder of the single .md file. */
kmb_book *kmb_book_load(const char *path, const kmb_read_opts *opts, kmb_error *err);

/* Parses one Markdown text (with optional front matter) as a whole book,
 * split at level-1 headings; `name` is used in messages and as the folder for
 * relative image paths is `dir` (may be NULL: images are then unresolved).
 * For tests and fuzzing. */
/* The writing mode, once: the command line (opts), else the book's
 * metadata, else `style_default` (the style's [page] writing), else
 * horizontal. Writers read book->writing only. */
void kmb_book_set_writing(kmb_book *b, kmb_writing style_default);

kmb_book *kmb_book_from_markdown(const char *text, size_t len, const char *name, const char *dir,
                                 const kmb_read_opts *opts, kmb_error *err);

#endif
