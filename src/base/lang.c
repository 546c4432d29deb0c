#include "base/lang.h"

#include <glib.h>
#include <string.h>

bool kmb_lang_is(const char *tag, const char *primary) {
  size_t n = strlen(primary);
  return tag && g_ascii_strncasecmp(tag, primary, n) == 0 && (tag[n] == '\0' || tag[n] == '-');
}
