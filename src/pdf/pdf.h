/* PDF typesetter: layout (model → pages of positioned lines and boxes) then
 * rendering with cairo. */
#ifndef KMB_PDF_H
#define KMB_PDF_H

#include "model/doc.h"
#include "model/pagelist.h"
#include "base/progress.h"
#include "style/style.h"

typedef struct kmb_pdf_opts {
  const kmb_style *style;
  const kmb_diag *diag;  /* warnings: font substitutions, missing glyphs ... */
  long long epoch;       /* PDF dates: SOURCE_DATE_EPOCH, else book->newest_mtime */
  const char *generator; /* "kmbook 0.1.0" → /Creator */
  const char *layout_dump; /* if set, also write the page/line dump to this path */
  const kmb_progress *progress; /* may be NULL; call kmb_progress_report per chapter/page */
  const char *datadir;   /* searched first for kmbook's data files (kmb_data_path); may be NULL */
  int keep_pages;        /* laid-out pages kept for drawing (0: 400; < 0: none, so every chapter
                            is laid out again from its saved state: tests compare the two) */
  bool no_font_subset;   /* embed whole faces, not hb-subset cuts (slower, larger; for debugging) */
  kmb_page_list *page_list; /* if set (the caller's), filled with where each page starts in the
                               book's text, for the EPUB's page list */
} kmb_pdf_opts;

/* Typesets the book to a PDF at `path` (created or truncated; the CLI passes
 * a temporary file and renames it on success). path NULL: lays the book out
 * without drawing or writing it (to fill opts->page_list). The layout is the
 * same either way, so the page list matches the PDF the same options write. */
bool kmb_pdf_write(const kmb_book *book, const kmb_pdf_opts *opts, const char *path,
                   kmb_error *err);

#endif
