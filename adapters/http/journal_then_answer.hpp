// The last step of every webhook that changes consent: journal its events (durable, SPEC
// rule 5) and only then answer the provider. A journal that cannot be written gets 503, so
// that the provider retries; nothing is acknowledged that is not on disk.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"
#include "core/consent.hpp"

namespace optgate {

// `what` names the signal in the log, e.g. "sendgrid: 3 events from 2 recipients"; it must
// not hold an unmasked address. `ok` is sent once the events are durable. When they are not,
// `unavailable` is sent if given (a 503 a person reads), else the JSON 503 with Retry-After.
void journal_then_answer(service_context& service, const std::vector<consent_event>& events,
                         const request_context& context, std::string what, http_response ok,
                         std::shared_ptr<reply_channel> reply,
                         std::optional<http_response> unavailable = std::nullopt);

// The end of an email provider's webhook: its events journaled, then {"status":"journaled"};
// no event (no program configured to change, or no valid recipient) is logged and answered
// {"status":"ignored"}.
void journal_email_events(service_context& service, const std::vector<consent_event>& events,
                          const request_context& context, std::string what,
                          std::shared_ptr<reply_channel> reply);

}  // namespace optgate
