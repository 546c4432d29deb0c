/* Admonitions (`!!! note`, `??? tip`, `???+ warning`) and pandoc fenced
 * divs (`::: note` … `:::`): recognised before cmark parses the text
 * (callout.c), folded into CALLOUT/DIV nodes after it, titled and checked
 * by resolve (callout-resolve.c). */
#ifndef KMB_READ_CALLOUT_H
#define KMB_READ_CALLOUT_H

#include "model/doc.h"

#include <glib.h>
#include <stdbool.h>

/* Where one line of the rewritten text came from. */
typedef struct kmb_linemap {
  int line;  /* 1-based line in the text given to the pre-pass */
  int shift; /* bytes the line was dedented by (added to columns) */
} kmb_linemap;

typedef struct kmb_callout_info {
  const char *kind, *title; /* title NULL = the default word */
  bool collapsible, open, div;
  int line, col; /* of the opening line, in the pre-pass's text */
} kmb_callout_info;

/* Rewrites `text` with marker lines for every recognised block. Returns
 * false (and NULLs) when there is none, so the text is parsed as written.
 * Else *out (g_string_free), *map (one kmb_linemap per output line,
 * g_array_free) and *info (kmb_callout_info * in A, g_ptr_array_free). */
bool kmb_callout_prepass(kmb_arena *A, const char *text, size_t len, GString **out, GArray **map,
                         GPtrArray **info);

/* Folds the top-level nodes between marker pairs into CALLOUT/DIV nodes
 * (positions from info, already mapped by the caller). */
void kmb_callout_group(kmb_arena *A, kmb_node *root, GPtrArray *info);

/* A known callout kind (MkDocs' and pandoc/Quarto's), case-insensitive. */
bool kmb_callout_is_kind(const char *kind);

/* Resolve: default titles in the book's language, ids, and a located
 * warning for every `!!!`/`???`/`:::` line left as literal text. */
bool kmb_callout_resolve(kmb_book *b, const kmb_diag *diag, kmb_error *err);

/* labels.c: the word for a callout kind in a language ("注意", "Note"). */
const char *kmb_callout_label(const char *lang, const char *kind, kmb_arena *A);

#endif
