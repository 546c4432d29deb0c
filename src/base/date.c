#include "base/date.h"

#include <glib.h>
#include <stdio.h>

void kmb_date_iso8601(long long epoch, char out[32]) {
  /* GDateTime covers years 1–9999; the formats (xsd:dateTime in the OPF, the
   * PDF date) want four digits, so a later time is the last second of 9999. */
  GDateTime *dt = g_date_time_new_from_unix_utc(epoch < 0 ? 0 : epoch);
  if (!dt) dt = g_date_time_new_utc(9999, 12, 31, 23, 59, 59);
  char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
  snprintf(out, 32, "%s", s);
  g_free(s);
  g_date_time_unref(dt);
}
