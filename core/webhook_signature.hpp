// How optgate signs the batches it POSTs to a district's webhook (feed.webhooks), so that the
// receiver knows they come from optgate and were not replayed long after: HMAC-SHA256 under
// the webhook's secret over the timestamp, a period and the raw body (docs/webhooks.md shows
// the receiver's side).
#pragma once

#include <string>
#include <string_view>

namespace optgate {

// Unix seconds when the POST was signed.
inline constexpr std::string_view webhook_timestamp_header = "Optgate-Timestamp";
// "v1=" and the 64 hex digits of the signature.
inline constexpr std::string_view webhook_signature_header = "Optgate-Signature";
// The webhook's name, so that one receiver can tell several apart.
inline constexpr std::string_view webhook_name_header = "Optgate-Webhook";

// "v1=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body);

}  // namespace optgate
