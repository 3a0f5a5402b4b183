#include "core/util/allocatorreuse.h"

// Any C library header defines __GLIBC__; without one the test below is always false.
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace saccade {

void keepFreedBlocksForReuse() {
#if defined(__GLIBC__)
    // 32 MiB is the largest mmap threshold glibc accepts; the trim threshold keeps up to 256 MiB of
    // free heap (a base-model view's working set) instead of unmapping it after every operation.
    static const bool applied = [] {
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
        return true;
    }();
    (void)applied;
#endif
}

void returnFreedMemory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace saccade
