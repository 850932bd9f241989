// SendGrid's Event Webhook body: a JSON array of events, read field by field as
// adapters/http/sendgrid_route.cpp reads it, each planned by plan_sendgrid_event.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <map>
#include <optional>
#include <string>

#include "adapters/http/json_fields.hpp"
#include "core/email_consent.hpp"
#include "core/sendgrid_events.hpp"
#include "fuzz/email_event_checks.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

namespace json = boost::json;

const std::map<std::string, std::string> groups{{"4101", "district"}, {"4102", "emergency"}};

// As the route: a number, or a string of at most 20 digits.
std::optional<std::string> group_id(const json::object& event) {
    const auto* value = event.if_contains("asm_group_id");
    if (!value) return std::nullopt;
    if (value->is_int64() && value->get_int64() >= 0) return std::to_string(value->get_int64());
    if (value->is_uint64()) return std::to_string(value->get_uint64());
    if (!value->is_string()) return std::nullopt;
    const std::string_view text = value->get_string();
    if (text.empty() || text.size() > 20 ||
        text.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    return std::string(text);
}

bool valid_id(std::string_view id) {
    return !id.empty() && id.size() <= max_provider_id;
}

void check_plan(const sendgrid_event& event, const sendgrid_event_plan& plan) {
    const auto mapped = event.asm_group_id ? groups.find(*event.asm_group_id) : groups.end();
    const bool unsubscribe = event.type == "unsubscribe" || event.type == "spamreport";
    const bool group_event = event.type == "group_unsubscribe" || event.type == "group_resubscribe";
    // No STOP lost: a well-formed unsubscribe opts out of every program it names.
    if (normalize_email(event.email) && valid_id(event.sg_event_id) && event.time) {
        std::vector<std::string> stopped;
        if (unsubscribe) stopped = unsubscribe_programs;
        if (event.type == "group_unsubscribe" && mapped != groups.end()) stopped = {mapped->second};
        for (const auto& program : stopped)
            FUZZ_INVARIANT(std::any_of(plan.events.begin(), plan.events.end(), [&](const auto& e) {
                return e.program == program && e.state == consent_state::opted_out;
            }));
    }
    if (plan.events.empty()) return;
    FUZZ_INVARIANT(unsubscribe || group_event);
    std::vector<std::string> programs = unsubscribe_programs;
    for (const auto& [group, program] : groups) programs.push_back(program);
    check_email_events(plan.events, sendgrid_source, programs);
    for (const auto& e : plan.events) {
        // Only a resubscribe to a group email.groups maps opts back in, and into that program.
        if (e.state == consent_state::opted_in)
            FUZZ_INVARIANT(event.type == "group_resubscribe" && mapped != groups.end() &&
                           e.program == mapped->second);
        FUZZ_INVARIANT(e.address == normalize_email(event.email));
        FUZZ_INVARIANT(e.reference == event.sg_event_id && valid_id(e.reference));
        FUZZ_INVARIANT(e.event_time == event.time.value_or(0));  // none: dated by receipt
        FUZZ_INVARIANT(dated_event_time(e) <= received_at);
    }
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    boost::system::error_code ec;
    const json::value body = json::parse(as_text(data, size), ec);
    if (ec || !body.is_array()) return 0;
    static const json::object not_an_object;
    for (const auto& item : body.get_array()) {
        const auto* object = item.if_object();
        const auto& o = object ? *object : not_an_object;
        const sendgrid_event event{string_field(o, "event"), string_field(o, "email"),
                                   unix_seconds_field(o, "timestamp"),
                                   string_field(o, "sg_event_id"), group_id(o)};
        check_plan(event, plan_sendgrid_event(event, unsubscribe_programs, groups, received_at));
    }
    return 0;
}
