// libFuzzer's driver, called from DistillFuzz's main (SwiftPM links an executable's entry point under its
// own name, so the harness runs libFuzzer itself instead of relying on libFuzzer's main).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
