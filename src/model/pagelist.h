/* Where each page of the print edition starts in the book's text (issue 16
 * part 2): the PDF layout fills a kmb_page_list as it paginates, the EPUB
 * writer puts a page-break marker at each start and lists the pages in a
 * page-list nav. The caller owns the list (kmb_page_list_new/_drop); the
 * node pointers borrow the book, which must outlive the list's use. */
#ifndef KMB_PAGELIST_H
#define KMB_PAGELIST_H

#include "model/doc.h"

#include <stddef.h>

/* Where a front-matter page goes in the EPUB, which has no title page and
 * sets its contents in the navigation document. */
typedef enum {
  KMB_FRONT_NONE,      /* a body page */
  KMB_FRONT_COVER,     /* cover.xhtml */
  KMB_FRONT_COLOPHON,  /* colophon.xhtml (title and copyright pages) */
  KMB_FRONT_CONTENTS,  /* nav.xhtml, before the table of contents */
} kmb_front_doc;

typedef struct kmb_page_start {
  char label[24];       /* the PDF's page label: "i", "ii", "1" ... */
  kmb_front_doc front;  /* front matter: the document it goes to (chapter -1) */
  int chapter;          /* body pages: the chapter index */
  /* Body pages. node NULL: at the chapter's end. offset >= 0: node is a
   * TEXT, CODE or CODE_BLOCK node and the page starts at that byte of its
   * literal. offset < 0: the page starts with node's element (a figure, a
   * callout, a raw HTML block, a footnote). */
  const kmb_node *node;
  long offset;
} kmb_page_start;

typedef struct kmb_page_list {
  kmb_page_start *pages; /* in page order, one per page of the PDF */
  size_t n, cap;
  char *source;          /* names the print edition (dc:source); g_malloc'd or NULL */
} kmb_page_list;

kmb_page_list *kmb_page_list_new(void);
void kmb_page_list_drop(kmb_page_list *pl);
/* Appends a zeroed entry and returns it (valid until the next append). */
kmb_page_start *kmb_page_list_add(kmb_page_list *pl);
/* Empties the list (a second layout fills it afresh). */
void kmb_page_list_clear(kmb_page_list *pl);

#endif
