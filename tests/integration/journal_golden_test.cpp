// The journal on disk, byte for byte: one record of the golden events written by the journal is
// the checked-in segment file (tests/golden/journal_segment_v1.seg), and that file, as an
// earlier optgate left it, opens and decodes to the same events. A change to the segment
// header, the record header, the checksum or the event codec fails here before it ships.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "adapters/journal/journal_segment.hpp"
#include "adapters/pipeline/event_codec.hpp"
#include "tests/golden/journal_events_golden.hpp"
#include "tests/integration/journal_test_support.hpp"

namespace optgate::testing {
namespace {

const std::filesystem::path golden_segment =
    std::filesystem::path(OPTGATE_SOURCE_DIR) / "tests/golden/journal_segment_v1.seg";

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot read " << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class journal_golden_test : public journal_dir_test {};

TEST_F(journal_golden_test, OneRecordOfTheGoldenEventsIsTheGoldenSegmentFile) {
    {
        auto j = open_journal(options());
        ASSERT_TRUE(j);
        const auto appended = append_and_wait(*j, {encode_events(golden_journal_events())});
        ASSERT_FALSE(appended.ec) << appended.ec.message();
        ASSERT_EQ(appended.first_seq, 1u);
    }
    const auto files = segment_files(dir_.path());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].filename(), segment_file_name(1));
    // As hex, so that a failure shows which bytes moved (the headers come first).
    EXPECT_EQ(to_hex(file_bytes(files[0])), to_hex(file_bytes(golden_segment)));
}

TEST_F(journal_golden_test, TheGoldenSegmentFileOpensAndDecodesToTheGoldenEvents) {
    std::filesystem::copy_file(golden_segment, dir_.path() / segment_file_name(1));
    auto j = open_journal(options());
    ASSERT_TRUE(j);
    EXPECT_EQ(j->recovery().truncated_bytes, 0u) << "recovery cut the golden file";
    EXPECT_EQ(j->durable_seq(), 1u);
    const auto records = read_all(*j);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].seq, 1u);
    EXPECT_EQ(decode_events(records[0].bytes), golden_journal_events());
}

}  // namespace
}  // namespace optgate::testing
