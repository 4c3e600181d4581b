#include <gtest/gtest.h>

#include <string>

#include "app/outbox.h"

namespace shenpi::app {
namespace {

TEST(NewEventId, IsTheSecondThenTheRandomBytesIn32HexDigits) {
  const std::string random("\x00\x01\xab\xcd\xef\x10\x20\x30\x40\x50\x60\xff", 12);
  EXPECT_EQ(new_event_id(1795824000, random), "6b0a19800001abcdef102030405060ff");
  EXPECT_EQ(new_event_id(0, random).substr(0, 8), "00000000");
  EXPECT_EQ(new_event_id(-5, random).substr(0, 8), "00000000");
}

TEST(NewEventId, LaterSecondsSortAfterEarlierOnes) {
  const std::string high(12, '\xff');
  const std::string low(12, '\x00');
  // Whatever the random part, an id of a later second sorts after one of an earlier second,
  // which is what keeps the event-id indexes appending at their right edge.
  EXPECT_LT(new_event_id(1795824000, high), new_event_id(1795824001, low));
}

}  // namespace
}  // namespace shenpi::app
