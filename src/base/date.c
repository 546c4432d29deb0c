#include "base/date.h"

#include <time.h>

void kmb_date_iso8601(long long epoch, char out[32]) {
  time_t t = (time_t)(epoch < 0 ? 0 : epoch);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
