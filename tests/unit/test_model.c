#include "harness.h"
#include "model/doc.h"

void test_model(void) {
  kmb_arena *a = kmb_arena_new();
  kmb_node *root = kmb_node_new(a, KMB_NODE_ROOT, 1, 1);
  kmb_node *p = kmb_node_new(a, KMB_NODE_PARAGRAPH, 1, 1);
  kmb_node *t1 = kmb_node_new(a, KMB_NODE_TEXT, 1, 1);
  t1->literal = "a", t1->len = 1;
  kmb_node *em = kmb_node_new(a, KMB_NODE_EMPH, 1, 2);
  kmb_node *t2 = kmb_node_new(a, KMB_NODE_TEXT, 1, 3);
  t2->literal = "b", t2->len = 1;
  kmb_node_append(root, p);
  kmb_node_append(p, t1);
  kmb_node_append(p, em);
  kmb_node_append(em, t2);
  kmb_node *hr = kmb_node_new(a, KMB_NODE_THEMATIC_BREAK, 3, 1);
  kmb_node_append(root, hr);

  /* ENTER/EXIT order */
  char trace[128] = "";
  kmb_iter it;
  kmb_iter_init(&it, root);
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    strcat(trace, ev == KMB_EV_ENTER ? "+" : "-");
    strcat(trace, kmb_node_type_name(it.cur->type));
    strcat(trace, " ");
  }
  CHECK_STR(trace, "+root +paragraph +text +emph +text -emph -paragraph +thematic_break -root ");

  /* skip: children of the paragraph are not visited, its EXIT still comes */
  trace[0] = '\0';
  kmb_iter_init(&it, root);
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    strcat(trace, ev == KMB_EV_ENTER ? "+" : "-");
    strcat(trace, kmb_node_type_name(it.cur->type));
    strcat(trace, " ");
    if (ev == KMB_EV_ENTER && it.cur->type == KMB_NODE_PARAGRAPH) kmb_iter_skip(&it);
  }
  CHECK_STR(trace, "+root +paragraph -paragraph +thematic_break -root ");

  CHECK_STR(kmb_node_text(a, p), "ab");
  kmb_node_unlink(em);
  CHECK(p->last == t1 && t1->next == NULL);
  CHECK_STR(kmb_node_text(a, p), "a");
  kmb_arena_drop(a);
}
