/* Ruby annotations (issue 14 item 6): folds the two ways a manuscript writes
 * ruby into KMB_NODE_RUBY nodes.
 *   raw HTML     <ruby>漢<rt>hàn</rt>字<rt>zì</rt></ruby>, <rp> dropped,
 *                <rb> optional; each <rt> annotates the base text before it.
 *   compact      {漢字|hàn|zì}  mono ruby: as many annotations as base characters
 *                {北京|běijīng} group ruby: one annotation over the whole base
 * The compact form is read from text only (never inside code); a brace
 * group that does not fit (no `|`, an empty part, a count that matches
 * neither form) stays text. (cmark merges an escaped `\{` with the text
 * around it, so a literal brace group with bars is written in code.) */
#ifndef KMB_READ_RUBY_H
#define KMB_READ_RUBY_H

#include "model/doc.h"

void kmb_read_ruby(kmb_arena *a, kmb_node *root);

#endif
