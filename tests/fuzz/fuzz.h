/* Shared helpers for the libFuzzer targets (issue 8).
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput. Built with
 * -DKMB_FUZZ=ON (clang, -fsanitize=fuzzer,address,undefined) they are
 * libFuzzer binaries; in ordinary builds driver.c supplies a main() that
 * replays files and folders (the seed corpus and regressions/), so every
 * build checks the inputs that once crashed. */
#ifndef KMB_FUZZ_H
#define KMB_FUZZ_H

#include "read/read.h"
#include "style/style.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Once per process: points KMBOOK_DATADIR at the source tree (styles, fonts)
 * unless it is set. */
void kmb_fuzz_init(void);
/* Reads the input as a single-file book whose images resolve in
 * tests/fuzz/book (ok.png, ok.jpg, ok.gif, ok.svg, bad.png). Warnings are
 * dropped; with `strict` set, they fail the read (as --strict does). NULL if
 * the reader refused the input (that is fine: it must only not crash). */
kmb_book *kmb_fuzz_book(const uint8_t *data, size_t size, bool strict);
/* The default style with a small page (fast layout). */
const kmb_style *kmb_fuzz_style(void);
/* A per-process temporary file path for writer output. */
const char *kmb_fuzz_tmp(const char *ext);
/* Aborts (a finding) when the model breaks its invariants or the dump is unstable. */
void kmb_fuzz_check_model(const kmb_book *b);

#endif
