#include "BoostPython.h"

#include "plugin/ArHttpContext.h"

#include "pxr/base/tf/pyUtils.h"
#include "pxr/usd/ar/pyResolverContext.h"

#include <map>
#include <string>

PXR_NAMESPACE_USING_DIRECTIVE

namespace py = arhttp_python;
using arhttp::ArHttpContext;

namespace {

// Header names and values, from a dict of str (or None for none).
std::map<std::string, std::string> HeadersOf(const py::object& headers) {
    std::map<std::string, std::string> result;
    if (headers.is_none()) return result;
    const py::dict dict = py::extract<py::dict>(headers);
    const py::list items = dict.items();
    const auto count = py::len(items);
    for (decltype(py::len(items)) i = 0; i < count; ++i) {
        const py::tuple item = py::extract<py::tuple>(items[i]);
        result[py::extract<std::string>(item[0])] = py::extract<std::string>(item[1]);
    }
    return result;
}

ArHttpContext* Make(const std::string& serverUrl, const std::string& pathFormat, const py::object& headers) {
    return new ArHttpContext(serverUrl, pathFormat, HeadersOf(headers));
}

std::string Repr(const ArHttpContext& context) {
    return TF_PY_REPR_PREFIX + "Context(" + TfPyRepr(context.Describe()) + ")";
}

size_t Hash(const ArHttpContext& context) {
    return arhttp::hash_value(context);
}

}  // namespace

void wrapArHttpContext() {
    py::class_<ArHttpContext>("Context",
                              "The resolution server (and path format and headers) a stage's asset paths are "
                              "resolved through; empty parts keep the environment's (AR_HTTP_SERVER_URL, ...).")
        .def("__init__",
             py::make_constructor(&Make, py::default_call_policies(),
                                  (py::arg("serverUrl") = std::string(), py::arg("pathFormat") = std::string(),
                                   py::arg("headers") = py::object())))
        .def("FromString", &ArHttpContext::FromString, py::arg("text"))
        .staticmethod("FromString")
        .def("IsValid", &ArHttpContext::IsValid)
        .def("GetError", &ArHttpContext::GetError, py::return_value_policy<py::return_by_value>())
        .def("GetAsString", &ArHttpContext::GetAsString)
        .def("Describe", &ArHttpContext::Describe)
        .def("__repr__", &Repr)
        .def("__hash__", &Hash)
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def(py::self < py::self);

    ArWrapResolverContextForPython<ArHttpContext>();
}
