#include "ctl/import_sender.hpp"

#include <chrono>
#include <condition_variable>
#include <thread>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "ctl/exit_status.hpp"
#include "ctl/reply_json.hpp"

namespace optgate::ctl {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::chrono::milliseconds progress_interval{100};

// The code of an API error reply ({"error":{"code":...}}), or "".
std::string error_code_of(const api_reply& reply) {
    boost::system::error_code ec;
    const auto doc = json::parse(reply.body, ec);
    if (ec || !doc.is_object()) return {};
    const auto* error = doc.as_object().if_contains("error");
    return error && error->is_object() ? field_text(error->as_object(), "code") : std::string();
}

}  // namespace

import_sender::import_sender(const daemon_access& access, const import_plan& plan,
                             std::string file_digest, unsigned connections)
    : access_(access),
      plan_(plan),
      file_digest_(std::move(file_digest)),
      connections_(connections) {}

int import_sender::run(const std::function<void(std::size_t)>& on_progress) {
    std::mutex mutex;
    std::condition_variable finished_cv;
    unsigned finished = 0;
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < connections_; ++i)
        workers.emplace_back([&] {
            work();
            std::lock_guard lock(mutex);
            ++finished;
            finished_cv.notify_one();
        });
    {
        std::unique_lock lock(mutex);
        while (!finished_cv.wait_for(lock, progress_interval,
                                     [&] { return finished == connections_; }))
            on_progress(tally_.sent);
    }
    for (auto& w : workers) w.join();
    on_progress(tally_.sent);
    return fatal_status_;
}

void import_sender::work() {
    auto connection = access_.connect();
    const auto& addresses = plan_.addresses();
    while (!stopping_) {
        const std::size_t i = next_++;
        if (i >= addresses.size() || !send_changes(connection, addresses[i])) return;
    }
}

bool import_sender::send_changes(api_connection& connection, const import_address& who) {
    for (auto& change : plan_.changes_of(who, file_digest_)) {
        const json::object body{{"channel", to_string(change.channel)},
                                {"program", change.program},
                                {"state", to_string(who.state)},
                                {"source", "import"},
                                {"request_id", change.request_id}};
        auto reply = connection.send({http::verb::put, "/v1/consent/" + path_segment(who.value),
                                      json::serialize(body), "application/json"});
        if (!reply) {
            std::lock_guard lock(fatal_mutex_);
            if (!stopping_.exchange(true))
                fatal_status_ = report_transport_error(access_, reply.error());
            return false;
        }
        if (reply->status == 400 && error_code_of(*reply) == "invalid_address") {
            std::lock_guard lock(tally_.rejected_mutex);
            tally_.rejected.emplace_back(who.line, "the daemon refused the address as invalid");
            return true;
        }
        if (reply->status != 200 && reply->status != 202) {
            std::lock_guard lock(fatal_mutex_);
            if (!stopping_.exchange(true)) fatal_status_ = report_refusal(*reply);
            return false;
        }
        const auto answer = reply_object(reply->body);
        const auto outcome = answer ? field_text(*answer, "outcome") : std::string();
        ++tally_.sent;
        if (outcome == "applied")
            count_applied(field_text(*answer, "from"), to_string(who.state));
        else if (outcome == "duplicate")
            ++tally_.duplicate;
        else if (outcome == "superseded")
            ++tally_.superseded;
        else if (outcome == "refused")
            ++tally_.refused;
        else
            ++tally_.pending;
    }
    return true;
}

void import_sender::count_applied(std::string_view from, std::string_view to) {
    if (from.empty())  // null: there was no record
        ++tally_.created;
    else if (from != to)
        ++tally_.changed;
    else
        ++tally_.unchanged;
}

}  // namespace optgate::ctl
