/* Internals shared by the reader's files. */
#ifndef KMB_READ_IMP_H
#define KMB_READ_IMP_H

#include "read/read.h"
#include <stddef.h>

/* Metadata as read from YAML (book.yaml or front matter). Strings in the book's arena. */
typedef struct kmb_yaml_meta {
  const char **chapters; /* book.yaml `chapters:` list, or NULL */
  int *chapter_lines;    /* line and column of each entry, for messages */
  int *chapter_cols;
  size_t n_chapters;
  const char **chapter_titles; /* `{file: …, title: …}` entries: the title, else NULL */
  const char *cover_raw; /* `cover:` as written (resolved later) */
  int cover_line;
} kmb_yaml_meta;

/* Parses YAML metadata text into book->meta. `line0` is the line of text[0]
 * in `path` (front matter starts at line 2). Unknown keys are warnings. */
bool kmb_read_yaml_meta(kmb_book *book, const char *text, size_t len, const char *path, int line0,
                        const kmb_read_opts *opts, kmb_yaml_meta *ym, kmb_error *err);

/* Splits the "---" front matter block off `text`. Returns true if present;
 * fm and fm_len give the YAML, body the rest, body_line the line it starts on. */
bool kmb_read_front_matter(const char *text, size_t len, const char **fm, size_t *fm_len,
                           const char **body, size_t *body_line);

/* Parses Markdown into a ROOT node in book's arena. Positions are offset by
 * line0 - 1 lines. */
kmb_node *kmb_read_markdown(kmb_book *book, const char *text, size_t len, int line0,
                            kmb_error *err);

/* attrs.c: pandoc attribute blocks at the end of headings (`{#name .en}`)
 * → as.heading.name and .lang, the block taken off the text. */
void kmb_read_heading_attrs(kmb_arena *a, kmb_node *root);

/* parallel.c: two consecutive headings of one level with nothing between,
 * each in a language (as.heading.lang), one of them in the book's language:
 * that one stays, the other becomes its parallel title (as.heading.parallel).
 * Also across two chapters of one split file when the first holds nothing
 * but its heading (the chapter is then removed). Before chapter ids. */
void kmb_read_parallel_titles(kmb_book *book);

/* manuscript.c: a paragraph's own indents (stripped unless keep_indents),
 * verse and attribution flags, on the blocks of the n chapters read from
 * one file. src/len: the text they were parsed from, its first line being
 * line0 of the file. */
void kmb_read_manuscript(kmb_book *book, kmb_chapter *chs, size_t n, const char *src, size_t len,
                         int line0, bool keep_indents);

/* True if url starts with a URI scheme ("https:", "mailto:"; not "C:"). */
bool kmb_read_has_scheme(const char *url);

/* Validates UTF-8 / NUL; on failure sets err with path:line:col of the first bad byte. */
bool kmb_read_check_text(const char *text, size_t len, const char *path, kmb_error *err);

#endif
