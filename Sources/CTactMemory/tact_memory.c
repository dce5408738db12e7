#include "tact_memory.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>

tact_heap_usage tact_heap_usage_now(void) {
    struct mallinfo2 info = mallinfo2();
    tact_heap_usage usage = {info.uordblks + info.hblkhd, info.fordblks};
    return usage;
}

int tact_heap_trim(void) { return malloc_trim(0); }
#else
tact_heap_usage tact_heap_usage_now(void) {
    tact_heap_usage usage = {0, 0};
    return usage;
}

int tact_heap_trim(void) { return 0; }
#endif
