#ifndef REHEARSE_CPGQUERY_SHIM_H
#define REHEARSE_CPGQUERY_SHIM_H
#include <pg_query.h>
#endif
