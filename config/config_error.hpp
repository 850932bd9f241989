// The one error the configuration raises: the daemon refuses to start on it, and main prints
// its message, which names the key and its line and never a secret's value.
#pragma once

#include <stdexcept>

namespace optgate {

class config_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace optgate
