/* Callout frames in the PDF (callout.c). blocks.c dispatches CALLOUT nodes:
 *   from = kmb_callout_open(...)   the space above and the bold title rows
 *   ... the body blocks, inset by kmb_callout_inset on both sides ...
 *   kmb_callout_close(..., from)   band and rule on every row since `from`
 * The structure element around it all is a "Div" (PDF 1.7, PDF/UA). */
#ifndef KMB_PDF_LAYOUT_CALLOUT_H
#define KMB_PDF_LAYOUT_CALLOUT_H

#include "pdf/pdf-imp.h"

double kmb_callout_inset(kmb_pdf_ctx *c);
guint kmb_callout_open(kmb_pdf_ctx *c, const kmb_node *n, double left, double right,
                       const kmb_tags *title_tags);
void kmb_callout_close(kmb_pdf_ctx *c, const kmb_node *n, guint from, double left, double right);

#endif
