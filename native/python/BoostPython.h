// boost.python as the OpenUSD being built against has it: its own copy,
// pxr_boost::python, from 24.11 (PXR_USE_INTERNAL_BOOST_PYTHON in pxr.h),
// Boost's before.
#ifndef AR_HTTP_PYTHON_BOOST_PYTHON_H
#define AR_HTTP_PYTHON_BOOST_PYTHON_H

#include "pxr/pxr.h"

#ifdef PXR_USE_INTERNAL_BOOST_PYTHON
#include "pxr/external/boost/python.hpp"
namespace arhttp_python = PXR_NS::pxr_boost::python;
#else
#include <boost/python.hpp>
namespace arhttp_python = boost::python;
#endif

#endif
