/* EPUB 3 writer. */
#ifndef KMB_EPUB_H
#define KMB_EPUB_H

#include "model/doc.h"
#include "model/pagelist.h"
#include "base/progress.h"
#include "style/style.h"

/* Fonts inside the EPUB: none (the reading system's own), or subsets of the
 * style's body, heading and code faces holding the book's characters. */
typedef enum { KMB_EPUB_FONTS_NONE, KMB_EPUB_FONTS_SUBSET } kmb_epub_fonts;

typedef struct kmb_epub_opts {
  const kmb_style *style;
  const kmb_diag *diag;  /* warnings: remote images, dropped raw HTML ... */
  long long epoch;       /* dcterms:modified and zip times: SOURCE_DATE_EPOCH, else book->newest_mtime */
  const char *generator; /* "kmbook 0.1.0" */
  const kmb_progress *progress; /* may be NULL; call kmb_progress_report per chapter/page */
  kmb_epub_fonts fonts;  /* --epub-fonts */
  const char *datadir;   /* searched first for kmbook's data files (kmb_data_path); may be NULL */
  const kmb_page_list *page_list; /* the print edition's page starts (kmb_pdf_write fills it):
                                     page-break markers, a page-list nav, dc:source; NULL: none */
} kmb_epub_opts;

/* Writes the book as EPUB 3 to `path` (created or truncated; the CLI passes
 * a temporary file and renames it on success). */
bool kmb_epub_write(const kmb_book *book, const kmb_epub_opts *opts, const char *path,
                    kmb_error *err);

#endif
