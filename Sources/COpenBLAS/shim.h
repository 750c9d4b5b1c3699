#ifndef ARQAM_COPENBLAS_SHIM_H
#define ARQAM_COPENBLAS_SHIM_H
// Debian installs cblas.h for the OpenBLAS build that `-lopenblas` links
// (libopenblas0-pthread); this target only names it.
#include <cblas.h>
#endif
