#ifndef PLAINT_CLMDB_SHIM_H
#define PLAINT_CLMDB_SHIM_H
// LMDB from Debian's liblmdb-dev, found through pkg-config `lmdb`.
#include <lmdb.h>
#endif
