/* EPUB read-back checks shared by the EPUB tests. */
#ifndef KMB_TEST_EPUB_CHECK_H
#define KMB_TEST_EPUB_CHECK_H
#include <glib.h>
/* Returns the number of failures; each is described in *log. */
int epub_check_file(const char *path, GString *log);
#endif
