#ifndef PLAINT_CLMDB_SHIM_H
#define PLAINT_CLMDB_SHIM_H
// LMDB from Debian's liblmdb-dev, found through pkg-config `lmdb`.
#include <lmdb.h>
#include <stddef.h>

/// Asks the processor to bring `count` bytes at `start` into its caches, without waiting for
/// them: a scan of the log reads the next record while the processor fetches the one after.
static inline void plaint_prefetch(const void *start, size_t count) {
    const char *bytes = (const char *)start;
    for (size_t offset = 0; offset < count; offset += 64) __builtin_prefetch(bytes + offset, 0, 3);
}
#endif
