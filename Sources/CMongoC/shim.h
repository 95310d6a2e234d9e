#ifndef REHEARSE_CMONGOC_SHIM_H
#define REHEARSE_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>
#include <bson/bson.h>
#endif
