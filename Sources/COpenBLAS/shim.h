// OpenBLAS's CBLAS interface (Debian's libopenblas-dev; pkg-config name "openblas").
#include <cblas.h>
