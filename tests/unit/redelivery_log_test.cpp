// The redeliveries a replay skips are remembered across restarts, a torn last line is
// dropped, and records the journal no longer retains are forgotten.
#include "adapters/pipeline/redelivery_log.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.hpp"

namespace optgate {
namespace {

TEST(RedeliveryLog, RemembersAcrossARestart) {
    testing::temp_dir dir("redeliveries");
    const auto file = dir.path() / "redeliveries";
    {
        redelivery_log log(file);
        EXPECT_FALSE(log.contains(7, 0));
        log.add(7, 0);
        log.add(9, 3);
        log.add(9, 3);  // once
        log.flush();
    }
    redelivery_log again(file);
    EXPECT_TRUE(again.contains(7, 0));
    EXPECT_TRUE(again.contains(9, 3));
    EXPECT_FALSE(again.contains(9, 0));
    EXPECT_FALSE(again.contains(8, 0));
    EXPECT_EQ(again.size(), 2u);
}

TEST(RedeliveryLog, ATornLastLineIsDropped) {
    testing::temp_dir dir("redeliveries");
    const auto file = dir.path() / "redeliveries";
    std::ofstream(file) << "4 1\n5 2\n6";
    redelivery_log log(file);
    EXPECT_TRUE(log.contains(4, 1));
    EXPECT_TRUE(log.contains(5, 2));
    EXPECT_EQ(log.size(), 2u);
    log.add(6, 0);
    log.flush();
    EXPECT_TRUE(redelivery_log(file).contains(6, 0));
    EXPECT_EQ(redelivery_log(file).size(), 3u);
}

TEST(RedeliveryLog, ForgetsRecordsNoLongerRetained) {
    testing::temp_dir dir("redeliveries");
    const auto file = dir.path() / "redeliveries";
    redelivery_log log(file);
    for (std::uint64_t seq = 1; seq <= 5; ++seq) log.add(seq, 0);
    log.forget_before(4);
    EXPECT_FALSE(log.contains(3, 0));
    EXPECT_TRUE(log.contains(4, 0));
    log.add(6, 1);
    log.flush();
    redelivery_log reread(file);
    EXPECT_EQ(reread.size(), 3u);
    EXPECT_FALSE(reread.contains(1, 0));
    EXPECT_TRUE(reread.contains(6, 1));
}

}  // namespace
}  // namespace optgate
