// Names of configured programs used by other sections (sms.short_codes, voice.programs,
// email.*): each checked against `programs:`, refused with its key and line when unknown.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/settings.hpp"

namespace optgate {

// "district, emergency": the configured programs, for a refusal to list.
std::string configured_program_names(const settings& out);

// Every configured program with whether it is emergency-purpose, in config order: what an
// opt-out's scope reaches (core/opt_out_scope.hpp).
std::vector<program_purpose> program_purposes(const settings& out);

// The name in `node`, which must be one of out.programs.
std::string read_program_name(const config_node& node, const settings& out);

// A list of distinct program names. An absent list means the non-emergency program
// ("district") alone, when there is one: voice and email default to it (SPEC: emergency
// email keeps going).
std::vector<std::string> read_program_list(const std::optional<config_node>& node,
                                           const settings& out);

}  // namespace optgate
