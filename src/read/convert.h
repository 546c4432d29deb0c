/* Editions through OpenCC (convert.c). */
#ifndef KMB_CONVERT_H
#define KMB_CONVERT_H

#include "model/doc.h"

/* Converts a resolved book in place with OpenCC's configuration `config`
 * ("s2twp", "t2s", ...), then resolves its language, labels and identifier
 * again for the edition (b->convert, b->edition_of set). False with err set
 * for an unknown configuration or missing OpenCC data. */
bool kmb_book_convert(kmb_book *b, const char *config, kmb_error *err);

/* The language tag of an edition made with `config`, or NULL if unknown. */
const char *kmb_convert_lang(const char *config);

#endif
