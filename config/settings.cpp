#include "config/settings.hpp"

namespace optgate {

const program_settings* settings::find_program(const std::string& name) const {
    for (const auto& program : programs)
        if (program.name == name) return &program;
    return nullptr;
}

}  // namespace optgate
