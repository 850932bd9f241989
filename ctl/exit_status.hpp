// optgatectl's exit statuses: what a script (cron, a nightly import job) can rely on. The
// list is printed by `optgatectl --help` and documented in docs/optgatectl.md.
#pragma once

namespace optgate::ctl {

enum exit_status : int {
    exit_ok = 0,
    exit_failed = 1,     // unreachable, timed out, a server error (5xx), an unexpected reply
    exit_usage = 2,      // bad arguments or input file, or the daemon found them malformed (400)
    exit_refused = 3,    // the API key is missing from the config (401) or lacks a role (403)
    exit_partly = 4,     // done, but some rows or inputs were bad and skipped
    exit_not_found = 5,  // the daemon has no such thing (404), e.g. no unsubscribe_links
};

}  // namespace optgate::ctl
