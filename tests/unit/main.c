/* kmb_unit GROUP — runs one group of unit tests; exit status 1 on failure. */
#include "harness.h"

int kmb_test_failures = 0;

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    void (*fn)(void);
  } groups[] = {
      {"base", test_base}, {"model", test_model}, {"reader", test_reader}, {"style", test_style}, {"callout", test_callout}, {"ruby", test_ruby}};
  if (argc != 2) {
    fprintf(stderr, "usage: kmb_unit GROUP\n");
    return 2;
  }
  for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
    if (strcmp(argv[1], groups[i].name) == 0) {
      groups[i].fn();
      if (kmb_test_failures) fprintf(stderr, "%d check(s) failed\n", kmb_test_failures);
      return kmb_test_failures ? 1 : 0;
    }
  }
  fprintf(stderr, "unknown group %s\n", argv[1]);
  return 2;
}
