/* Private to the paragraph breaker (src/pdf/para*.c) and its tests
 * (tests/typo): counters that let a test assert bounded work without timing. */
#ifndef KMB_PARA_IMP_H
#define KMB_PARA_IMP_H

#include <stddef.h>

typedef struct kmb_para_stats {
  size_t units;       /* glyph clusters in the last paragraph broken */
  size_t breaks;      /* legal break opportunities considered */
  size_t work;        /* line evaluations (active node × break pairs, or first-fit probes) */
  size_t max_active;  /* largest active-node list seen */
} kmb_para_stats;

/* Counters of the last kmb_para_break call on this thread. */
kmb_para_stats kmb_para_last_stats(void);

#endif
