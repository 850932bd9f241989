// Request ids: a load balancer's sane X-Request-Id is kept; anything else is replaced by one
// of optgate's own, never repeated.
#include <gtest/gtest.h>

#include <set>

#include "adapters/http/request_id.hpp"

namespace optgate {
namespace {

TEST(RequestId, KeepsASaneOfferedId) {
    EXPECT_EQ(request_id_for("lb-3f2a.9:17_x"), "lb-3f2a.9:17_x");
}

TEST(RequestId, ReplacesAnEmptyOversizedOrUnsafeId) {
    for (const std::string& offered :
         {std::string(), std::string(65, 'a'), std::string("a b"), std::string("a\r\nX-Evil: 1"),
          std::string("+16515550100@x"), std::string("a\"b")}) {
        const auto id = request_id_for(offered);
        EXPECT_NE(id, offered);
        EXPECT_FALSE(id.empty());
        EXPECT_EQ(request_id_for(id), id) << "optgate's own ids are sane";
    }
}

TEST(RequestId, OwnIdsAreUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(request_id_for("")).second);
}

}  // namespace
}  // namespace optgate
