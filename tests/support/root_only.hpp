// Tests that need root (a tmpfs of their own, to fill up a disk) skip without it, saying why;
// where root is promised (CI exports OPTGATE_ROOT_TESTS=required) a skip would hide that the
// test never ran, so it fails instead.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace optgate::testing {

inline bool root_tests_required() {
    const char* required = std::getenv("OPTGATE_ROOT_TESTS");
    return required && std::string_view(required) == "required";
}

}  // namespace optgate::testing

// Skips the test with `why`, or fails it where root tests are required.
#define OPTGATE_SKIP_WITHOUT_ROOT(why)                                                 \
    do {                                                                               \
        if (::optgate::testing::root_tests_required())                                 \
            FAIL() << "OPTGATE_ROOT_TESTS=required, yet the test cannot run: " << why; \
        GTEST_SKIP() << why;                                                           \
    } while (false)
