// Whether checks may be answered from Redis: a pure state machine (no I/O, no clock, no
// thread). Answers are held while a (re)connected Redis is not yet verified (when
// verification is required: data_loss_watch judges Redis and says so), while a hold is in
// force for a reason /readyz shows (an evicting Redis, a reads connection astray, peers still
// replaying), and while the journal is being applied again after Redis lost data.
#pragma once

#include <string>

namespace optgate {

class answer_gate {
  public:
    // Every (re)connect must be verified before answers (set before the first connect).
    void require_verification() {
        verification_required_ = true;
        verified_ = false;
    }
    void connected() {
        if (verification_required_) verified_ = false;
    }
    void verified() {
        verified_ = true;
        reason_.clear();
    }
    void hold(std::string reason) {
        verified_ = false;
        reason_ = std::move(reason);
    }
    // The journal is applied again: held until that is done, and then until Redis is
    // verified again (it may have lost data meanwhile).
    void replay_begun() {
        replaying_ = true;
        if (verification_required_) verified_ = false;
    }
    void replay_done() { replaying_ = false; }

    bool open() const { return verified_ && !replaying_; }
    bool replaying() const { return replaying_; }
    const std::string& reason() const { return reason_; }  // of hold(), until verified()

  private:
    bool verification_required_ = false;
    bool verified_ = true;
    bool replaying_ = false;
    std::string reason_;
};

}  // namespace optgate
