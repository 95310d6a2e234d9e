#ifndef REHEARSE_CLIBPQ_SHIM_H
#define REHEARSE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
