/* Dates for book metadata: always UTC, so output never depends on TZ. */
#ifndef KMB_DATE_H
#define KMB_DATE_H

/* Writes epoch (seconds; negative counts as 0, after 9999 as 9999-12-31T23:59:59)
 * as "YYYY-MM-DDThh:mm:ssZ" into out. */
void kmb_date_iso8601(long long epoch, char out[32]);

#endif
