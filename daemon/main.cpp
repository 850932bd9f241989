// optgated: wiring only. Reads the config, opens the journal, connects to Redis, serves
// HTTP, and stops gracefully on SIGTERM/SIGINT (stop accepting, finish, sync the journal).
#include <malloc.h>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "adapters/http/api_routes.hpp"
#include "adapters/http/http_server.hpp"
#include "adapters/journal/journal.hpp"
#include "adapters/logging/log_format.hpp"
#include "adapters/pipeline/data_loss_watch.hpp"
#include "adapters/pipeline/event_pipeline.hpp"
#include "adapters/redis/consent_store.hpp"
#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/replay_guard.hpp"
#include "adapters/redis/webhook_ledger_store.hpp"
#include "adapters/webhooks/webhook_deliveries.hpp"
#include "config/settings_loader.hpp"
#include "config/settings_reload.hpp"
#include "daemon/delayed_calls.hpp"
#include "daemon/loop_threads.hpp"

namespace asio = boost::asio;
using namespace optgate;

namespace {

constexpr std::string_view usage = R"(usage: optgated --config FILE [--check-config]
       optgated --version | --help

Options:
  --config FILE    the YAML configuration (see config/optgate.example.yaml)
  --check-config   validate the configuration and exit (0: valid, 2: invalid)
  --version        print the version and exit
  --help           print this help and exit

Signals: SIGTERM and SIGINT stop gracefully; SIGHUP reloads the configuration.
)";

constexpr std::chrono::seconds drain_limit{10};
// How often Redis is asked whether it still holds what optgate wrote (besides every reconnect).
constexpr std::chrono::seconds redis_verify_interval{5};
// How often an idle loop thread comes back to say it is alive (see loop_threads), at most:
// at least four times within the watchdog's limit.
constexpr std::chrono::microseconds max_loop_poll{1'000'000};

struct options {
    std::string config_file;
    bool check_only = false;
};

// 0 to run, or the exit status to return at once.
int parse_args(int argc, char** argv, options& out) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << usage;
            return -1;
        } else if (arg == "--version") {
            std::cout << "optgated " OPTGATE_VERSION "\n";
            return -1;
        } else if (arg == "--check-config") {
            out.check_only = true;
        } else if (arg == "--config" && i + 1 < argc) {
            out.config_file = argv[++i];
        } else {
            std::cerr << "optgated: unknown or incomplete argument: " << arg << "\n" << usage;
            return 64;
        }
    }
    if (out.config_file.empty()) {
        std::cerr << "optgated: --config FILE is required\n" << usage;
        return 64;
    }
    return 0;
}

std::unique_ptr<journal> open_journal(const settings& config) {
    std::error_code ec;
    std::filesystem::create_directories(config.journal.dir, ec);
    journal_options options;
    options.dir = config.journal.dir;
    options.retention = std::chrono::hours(24 * config.journal.retention_days);
    auto j = journal::open(options, ec);
    if (!j)
        throw std::runtime_error("cannot open the journal in " + config.journal.dir + ": " +
                                 ec.message());
    return j;
}

// systemd's watchdog (WatchdogSec=): pinged from the event loop itself, and only while no
// loop thread has been inside one handler, nor the journal's writer inside one write, for
// half of WatchdogSec; so a hung thread or disk stops the pings and systemd restarts the
// service. Checked every sixth of WatchdogSec, so that something that takes a while but less
// than WatchdogSec, then comes back, leaves a gap shorter than WatchdogSec.
struct watchdog_state {
    asio::steady_timer& timer;
    const loop_threads& threads;
    const journal& journal_writer;
    std::chrono::microseconds tick{};
    std::chrono::microseconds stuck_limit{};
    bool withheld = false;  // reported once, until pinging resumes
};

void ping_watchdog(watchdog_state& w) {
    const auto loop_stuck = w.threads.longest_stuck();
    const auto writer_stuck = w.journal_writer.writing_for();
    if (loop_stuck < w.stuck_limit && writer_stuck < w.stuck_limit) {
        sd_notify(0, "WATCHDOG=1");
        w.withheld = false;
    } else if (!w.withheld) {
        w.withheld = true;
        const bool loop = loop_stuck >= w.stuck_limit;
        spdlog::critical(
            "watchdog: {} for {} s; no longer pinging, so systemd restarts optgated",
            loop ? "an event loop thread has been inside one handler"
                 : "the journal has been inside one write and sync",
            std::chrono::duration_cast<std::chrono::seconds>(loop ? loop_stuck : writer_stuck)
                .count());
    }
    w.timer.expires_after(w.tick);
    w.timer.async_wait([&w](boost::system::error_code ec) {
        if (!ec) ping_watchdog(w);
    });
}

// The interval systemd gave (WATCHDOG_USEC) sets the tick and the limit; without one (no
// WatchdogSec=) there is nothing to ping.
void configure_watchdog(watchdog_state& w) {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    // At least a millisecond each: a zero tick or poll would spin.
    constexpr std::chrono::microseconds least{1000};
    w.tick = std::max(least, std::chrono::microseconds(usec / 6));
    w.stuck_limit = std::max(least * 4, std::chrono::microseconds(usec / 2));
}

void start_watchdog(watchdog_state& w) {
    if (w.tick.count() == 0) return;
    spdlog::info("systemd watchdog: pinging every {} ms unless something is stuck for {} ms",
                 w.tick.count() / 1000, w.stuck_limit.count() / 1000);
    ping_watchdog(w);
}

// SIGHUP: the new config replaces the running one for every request that starts after it;
// a config that does not load changes nothing.
void reload(const std::string& file, service_context& service) {
    try {
        auto result = apply_reload(*service.config.load(), load_settings(file));
        configure_logging(result.next.log);
        service.config.store(std::make_shared<const settings>(std::move(result.next)));
        spdlog::info("SIGHUP: {} reloaded", file);
        for (const auto& name : result.kept_until_restart)
            spdlog::warn("SIGHUP: {} changed; it takes effect on the next restart", name);
    } catch (const std::exception& e) {
        spdlog::error("SIGHUP: {} refused, the running config stays: {}", file, e.what());
    }
}

int run(const std::string& config_file, const settings& initial) {
    auto config = std::make_shared<const settings>(initial);
    auto journal = open_journal(*config);

    asio::io_context ioc;
    auto work = asio::make_work_guard(ioc);
    auto writes = redis_connection::create(ioc.get_executor(), endpoint_from(config->redis));
    auto reads = redis_connection::create(ioc.get_executor(), endpoint_from(config->redis));
    store_options store_settings;
    store_settings.feed_retention = std::chrono::hours(config->feed.retention_hours);
    consent_store store(writes, reads, config->redis.key_prefix, store_settings);
    replay_guard replays(writes, config->redis.key_prefix);
    auto pipeline = event_pipeline::create(ioc.get_executor(), *journal, store);
    auto loss_watch =
        data_loss_watch::create(ioc.get_executor(), store, *pipeline,
                                std::filesystem::path(config->journal.dir), redis_verify_interval);
    service_context service{config, store, *pipeline, replays, pipeline->event_counts(), [] {
                                return std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                    .count();
                            }};
    delayed_calls delayed(ioc);
    const auto after = [&delayed](std::chrono::milliseconds delay, std::function<void()> fn) {
        delayed.after(delay, std::move(fn));
    };
    service.after = after;
    webhook_ledger_store webhook_ledger(writes, config->redis.key_prefix);
    webhook_deliveries webhooks(ioc.get_executor(), config->feed.webhooks, store, *pipeline,
                                webhook_ledger, service.now, after);
    service.webhook_states = &webhook_ledger;
    service.webhooks = &webhooks;
    const router routes = make_api_routes(service);
    auto server = std::make_shared<http_server>(ioc, routes, config->limits.max_connections);
    server->listen({asio::ip::make_address(config->listen_host), config->listen_port});

    loss_watch->start();  // before the pipeline and the connections: both answer to it
    pipeline->start();    // before the connections: it registers for their "connected" signal
    writes->start();
    reads->start();
    server->start();
    webhooks.start();
    const auto bound = server->local_endpoint();
    spdlog::info("optgated {} listening on {}:{}; journal {} (records 1..{} durable, {} applied)",
                 OPTGATE_VERSION, bound.address().to_string(), bound.port(), config->journal.dir,
                 journal->durable_seq(), journal->applied_seq());
    asio::steady_timer watchdog(asio::make_strand(ioc));  // pinged and cancelled on its strand
    const unsigned thread_count = std::max(1u, std::thread::hardware_concurrency());
    loop_threads threads(thread_count);
    watchdog_state watchdog_pings{watchdog, threads, *journal};
    configure_watchdog(watchdog_pings);
    const auto loop_poll = watchdog_pings.stuck_limit.count() == 0
                               ? max_loop_poll
                               : std::min(max_loop_poll, watchdog_pings.stuck_limit / 4);

    asio::signal_set hangup(ioc, SIGHUP);
    std::function<void()> wait_for_hangup = [&] {
        hangup.async_wait([&](boost::system::error_code ec, int) {
            if (ec) return;
            reload(config_file, service);
            wait_for_hangup();
        });
    };
    wait_for_hangup();
    asio::signal_set signals(ioc, SIGTERM, SIGINT);
    asio::steady_timer drain_timer(ioc);
    const auto drain_deadline = std::make_shared<std::chrono::steady_clock::time_point>();
    std::function<void()> wait_for_drain = [&] {
        if (server->connections() == 0 || std::chrono::steady_clock::now() > *drain_deadline) {
            if (server->connections() != 0)
                spdlog::warn("stopping with {} connections still open", server->connections());
            hangup.cancel();
            asio::post(watchdog.get_executor(), [&watchdog] { watchdog.cancel(); });
            // The leases go through the writes connection: it stops once they are given up.
            webhooks.stop([&] {
                asio::post(ioc, [&] {
                    delayed.cancel_all();
                    loss_watch->stop();
                    pipeline->stop();
                    writes->stop();
                    reads->stop();
                    work.reset();
                });
            });
            return;
        }
        drain_timer.expires_after(std::chrono::milliseconds(20));
        drain_timer.async_wait([&](boost::system::error_code) { wait_for_drain(); });
    };
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("signal {}: stopping (no new connections; finishing requests in flight)",
                     signal == SIGTERM ? "TERM" : "INT");
        sd_notify(0, "STOPPING=1");
        service.draining = true;
        server->stop();
        *drain_deadline = std::chrono::steady_clock::now() + drain_limit;
        wait_for_drain();
    });
    // Ready only now: a SIGTERM that systemd sends right after READY=1 must find its handler.
    sd_notify(0, "READY=1");
    start_watchdog(watchdog_pings);

    std::vector<std::thread> others;
    for (unsigned i = 1; i < thread_count; ++i)
        others.emplace_back([&, i] { threads.run(ioc, i, loop_poll); });
    threads.run(ioc, 0, loop_poll);
    for (auto& t : others) t.join();
    journal.reset();  // completes queued appends, persists the applied cursor
    spdlog::info("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Blocks of 1 MiB and more (a check's or a links request's body and the places of its
    // list) are mapped on their own and given back when freed. glibc would otherwise raise
    // this threshold to the largest block freed and serve the next ones from its heap,
    // which keeps the memory of the largest request the daemon ever saw. Setting it fixes
    // the heap's trim threshold too (at 128 KiB): up to 16 MiB free at the heap's top is
    // kept, or every chunk of a streamed answer (a few hundred KiB) would be given back and
    // faulted in again (a quarter of the time of 400,000 links).
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    options opts;
    if (const int status = parse_args(argc, argv, opts)) return status < 0 ? 0 : status;
    spdlog::set_default_logger(spdlog::stderr_logger_mt("optgated"));
    settings config;
    try {
        config = load_settings(opts.config_file);
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    if (opts.check_only) {
        std::cout << "optgated: " << opts.config_file << " is valid\n";
        return 0;
    }
    configure_logging(config.log);
    try {
        return run(opts.config_file, config);
    } catch (const std::exception& e) {
        spdlog::critical("cannot start: {}", e.what());
        return 1;
    }
}
