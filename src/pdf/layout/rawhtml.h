/* The text of a raw HTML block, for the PDF (rawhtml.c). */
#ifndef KMB_PDF_LAYOUT_RAWHTML_H
#define KMB_PDF_LAYOUT_RAWHTML_H

#include "base/arena.h"

#include <stddef.h>

/* Paragraphs of plain text (NULL-terminated, in A): tags stripped, the
 * content of <script>, <style>, <rt>, <rp> and comments dropped, entities
 * decoded, white space collapsed, a new paragraph at every block element
 * or <br>. No paragraphs: an empty array. */
const char **kmb_html_block_text(kmb_arena *A, const char *html, size_t len);

#endif
