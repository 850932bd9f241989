// Every optgatectl command, in the order `optgatectl --help` lists them, and the help texts.
#pragma once

#include <ostream>
#include <vector>

#include "ctl/command.hpp"

namespace optgate::ctl {

const std::vector<const command*>& all_commands();
std::vector<command_spec> all_specs();
const command* find_command(std::string_view name);

// `optgatectl --help`: the commands, the common options, the exit statuses.
void print_overview(std::ostream& out);
// `optgatectl NAME --help`.
void print_help(const command& c, std::ostream& out);

}  // namespace optgate::ctl
