// The providers' JSON read into core's structs: one SendGrid event, one SNS message. Shared
// by the routes and the fuzz targets, so that what is fuzzed is what the routes read.
#pragma once

#include <boost/json/object.hpp>

#include "core/sendgrid_events.hpp"
#include "core/sns_signature.hpp"

namespace optgate {

// A SendGrid event: `asm_group_id` in decimal, as email.groups is keyed (SendGrid sends a
// number; a string of at most 20 digits is accepted too; anything else is no group).
sendgrid_event read_sendgrid_event(const boost::json::object& o);

// An SNS message: the fields it has, as SNS signs only those.
sns_message read_sns_message(const boost::json::object& o);

}  // namespace optgate
