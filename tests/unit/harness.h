/* A tiny test harness (cmark api_test style): checks count failures and
 * print where they happened; a group fails if any check failed. */
#ifndef KMB_HARNESS_H
#define KMB_HARNESS_H

#include <stdio.h>
#include <string.h>

extern int kmb_test_failures;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                   \
      kmb_test_failures++;                                                                         \
    }                                                                                              \
  } while (0)

#define CHECK_INT(a, b)                                                                            \
  do {                                                                                             \
    long long a_ = (long long)(a), b_ = (long long)(b);                                            \
    if (a_ != b_) {                                                                                \
      fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_);      \
      kmb_test_failures++;                                                                         \
    }                                                                                              \
  } while (0)

#define CHECK_STR(a, b)                                                                            \
  do {                                                                                             \
    const char *a_ = (a), *b_ = (b);                                                               \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                       \
      fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,           \
              a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                             \
      kmb_test_failures++;                                                                         \
    }                                                                                              \
  } while (0)

void test_reader(void);
void test_model(void);
void test_base(void);
void test_style(void);
void test_callout(void);
void test_ruby(void);

#endif
