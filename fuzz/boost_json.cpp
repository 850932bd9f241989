// Boost.JSON compiled into the fuzz targets from its headers, instead of linking Debian's
// libboost_json: built with the sanitizers and libFuzzer's coverage, its parser guides the
// fuzzer through the providers' JSON as far as optgate's own code.
#include <boost/json/src.hpp>
