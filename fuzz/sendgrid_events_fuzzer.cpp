// SendGrid's Event Webhook body: a JSON array of events, read field by field as
// adapters/http/sendgrid_route.cpp reads it, each planned by plan_sendgrid_event.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <map>
#include <optional>
#include <string>

#include "adapters/http/provider_json.hpp"
#include "core/email_consent.hpp"
#include "core/sendgrid_events.hpp"
#include "fuzz/email_event_checks.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

namespace json = boost::json;

const std::map<std::string, std::string> groups{{"4101", "district"}, {"4102", "emergency"}};

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
        const sendgrid_event event = read_sendgrid_event(object ? *object : not_an_object);
        check_plan(event, plan_sendgrid_event(event, unsubscribe_programs, groups, received_at));
    }
    return 0;
}
