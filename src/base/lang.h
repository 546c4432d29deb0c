/* base/lang.h — BCP 47 language tags, as both writers test them. */
#ifndef KMB_BASE_LANG_H
#define KMB_BASE_LANG_H

#include <stdbool.h>

/* Whether tag is the language `primary` ("ja") or one of its subtags
 * ("ja-JP"), ignoring case as BCP 47 does; false for NULL. */
bool kmb_lang_is(const char *tag, const char *primary);

#endif
