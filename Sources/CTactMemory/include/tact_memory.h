#ifndef TACT_MEMORY_H
#define TACT_MEMORY_H

#include <stddef.h>

/// What the C heap holds: bytes allocated and not freed (mallinfo2's uordblks + hblkhd), and bytes the
/// allocator holds free (fordblks). Both 0 where the C library has no mallinfo2 (not glibc 2.33 or later).
typedef struct {
    size_t in_use;
    size_t free;
} tact_heap_usage;

tact_heap_usage tact_heap_usage_now(void);

/// Gives the heap's free pages back to the system (glibc's malloc_trim(0)); returns 1 if any were, 0 if none
/// were or the C library cannot.
int tact_heap_trim(void);

#endif
