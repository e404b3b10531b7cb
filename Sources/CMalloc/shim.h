#ifndef PLAINT_CMALLOC_SHIM_H
#define PLAINT_CMALLOC_SHIM_H
// glibc's allocator controls (mallopt), which Swift's Glibc module leaves out.
#include <malloc.h>
#endif
