#ifndef ARQAM_CPNG_SHIM_H
#define ARQAM_CPNG_SHIM_H
#include <png.h>
#endif
