// app::OutboxRepository as implemented by store::make_outbox_store, on both dialects:
// events written with the change they report, fan-out exactly once, email deliveries
// claimed under a lease by one claimer at a time, the backoff schedule, the inbox and
// the event feed.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "contract/scratch_database.h"
#include "store/outbox_rows.h"
#include "store/outbox_store.h"

namespace shenpi::store {
namespace {

using app::OutboxEvent;

constexpr std::int64_t kT0 = 1714528800;  // 2024-05-01 10:00 in China

std::string account_id(int n) {
  std::string s = "00000000-0000-4000-8000-" + std::string(12, '0');
  const std::string tail = std::to_string(n);
  s.replace(s.size() - tail.size(), tail.size(), tail);
  return s;
}

std::string event_id(int n) {
  std::string s(32, '0');
  const std::string tail = std::to_string(n);
  s.replace(s.size() - tail.size(), tail.size(), tail);
  return s;
}

OutboxEvent event(int n, std::vector<std::string> recipients, std::string dept = "445100-SCJGJ") {
  OutboxEvent e;
  e.event_id = event_id(n);
  e.topic = "case.accepted";
  e.case_number = "445100-20240501-" + std::to_string(n);
  e.department_code = std::move(dept);
  e.payload_json = R"({"number":"445100-20240501-1","item_name":"食品经营许可"})";
  e.recipients = std::move(recipients);
  e.created_at = kT0;
  return e;
}

app::Notification compose(const OutboxEvent& e) {
  return {"已受理 " + e.case_number, "正文 " + e.topic};
}

class OutboxContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(
        db_->write([](Session& s) -> Result<void> {
             for (int n = 1; n <= 3; ++n) {
               SHENPI_TRY(s.exec(
                   "INSERT INTO accounts (id, kind, login_index, display_name, password_hash, "
                   "created_at) VALUES (?, 'person', ?, '申请人', 'x', ?)",
                   {account_id(n), std::string(64, static_cast<char>('a' + n)), kT0}));
             }
             return ok_result();
           })
            .ok());
    app::RetryPolicy policy;
    policy.first_delay = 60;
    policy.max_delay = 200;
    policy.max_attempts = 4;
    outbox_ = make_outbox_store(db_, policy);
  }

  // Gives `account` an address (sealed bytes are opaque to the store) with email on/off.
  void set_email(int account, bool enabled) {
    app::ContactRecord c;
    c.account_id = account_id(account);
    c.email_sealed = std::string("\x01sealed\0addr", 12);
    c.email_index = std::string(64, 'e');
    c.email_enabled = enabled;
    ASSERT_TRUE(outbox_->set_contact(c).ok());
  }

  // Appends an event for account 1 and fans it out: one email delivery, due at kT0.
  std::int64_t one_delivery() {
    set_email(1, true);
    EXPECT_TRUE(outbox_->append(event(1, {account_id(1)})).ok());
    EXPECT_TRUE(outbox_->fan_out(10, kT0, compose).ok());
    auto d = outbox_->deliveries_of(event_id(1));
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(d->size(), 1u);
    return d->empty() ? 0 : d->front().id;
  }

  std::shared_ptr<app::OutboxRepository> outbox_;
};

TEST_P(OutboxContract, EventIsReadableInTheFeedByCursor) {
  ASSERT_TRUE(outbox_->append(event(1, {account_id(1), account_id(2)})).ok());
  ASSERT_TRUE(outbox_->append(event(2, {account_id(1)}, "445100-ZJJ")).ok());

  auto all = outbox_->events_after(0, 10, {});
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  const app::FeedEvent& first = (*all)[0];
  EXPECT_EQ(first.event.event_id, event_id(1));
  EXPECT_EQ(first.event.topic, "case.accepted");
  EXPECT_EQ(first.event.case_number, "445100-20240501-1");
  EXPECT_EQ(first.event.department_code, "445100-SCJGJ");
  EXPECT_EQ(first.event.payload_json, event(1, {}).payload_json);
  EXPECT_EQ(first.event.created_at, kT0);
  EXPECT_LT(first.id, (*all)[1].id);

  auto rest = outbox_->events_after(first.id, 10, {});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().event.event_id, event_id(2));
  EXPECT_TRUE(outbox_->events_after((*all)[1].id, 10, {})->empty());

  auto one_dept = outbox_->events_after(0, 10, {false, "445100-ZJJ"});
  ASSERT_TRUE(one_dept.ok());
  ASSERT_EQ(one_dept->size(), 1u);
  EXPECT_EQ(one_dept->front().event.event_id, event_id(2));
}

TEST_P(OutboxContract, BadAndRepeatedEventsAreRefused) {
  OutboxEvent bad = event(1, {account_id(1)});
  bad.event_id = "not-hex";
  EXPECT_EQ(outbox_->append(bad).error().code, "bad_event");
  OutboxEvent stranger = event(1, {account_id(9)});
  EXPECT_EQ(outbox_->append(stranger).error().code, "recipient_not_found");
  ASSERT_TRUE(outbox_->append(event(1, {account_id(1)})).ok());
  Result<void> again = outbox_->append(event(1, {account_id(1)}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(outbox_->events_after(0, 10, {})->size(), 1u);
}

TEST_P(OutboxContract, EventRollsBackWithTheChangeItReports) {
  Result<void> r = db_->write([](Session& s) -> Result<void> {
    SHENPI_TRY(insert_outbox_event(s, event(1, {account_id(1)})));
    return make_error(ErrorKind::conflict, "case_changed", "the case write failed after");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(outbox_->events_after(0, 10, {})->empty());
  ASSERT_TRUE(db_->write([](Session& s) { return insert_outbox_event(s, event(2, {})); }).ok());
  EXPECT_EQ(outbox_->events_after(0, 10, {})->size(), 1u);
}

TEST_P(OutboxContract, FanOutHappensOnceEvenWhenRunTwice) {
  set_email(1, true);
  set_email(2, false);  // an address on file, but email switched off
  ASSERT_TRUE(outbox_->append(event(1, {account_id(1), account_id(2), account_id(3)})).ok());

  auto first = outbox_->fan_out(10, kT0 + 5, compose);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->events, 1);
  EXPECT_EQ(first->messages, 3);
  EXPECT_EQ(first->deliveries, 1);
  auto second = outbox_->fan_out(10, kT0 + 6, compose);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->events, 0);
  EXPECT_EQ(second->messages, 0);

  // Two fan-outs racing (two nodes): still one message each.
  ASSERT_TRUE(outbox_->append(event(2, {account_id(1)})).ok());
  std::atomic<int> messages{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 2; ++i) {
    nodes.emplace_back([&] {
      auto r = outbox_->fan_out(10, kT0 + 7, compose);
      if (r.ok()) messages += r->messages;
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(messages.load(), 1);

  auto inbox = outbox_->inbox(account_id(1), 10);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 2u);
  EXPECT_EQ(inbox->front().event_id, event_id(2));  // newest first
  EXPECT_EQ(inbox->back().subject, "已受理 445100-20240501-1");
  EXPECT_EQ(inbox->back().body, "正文 case.accepted");
  EXPECT_EQ(inbox->back().created_at, kT0 + 5);
  EXPECT_FALSE(inbox->back().read_at.has_value());

  auto deliveries = outbox_->deliveries_of(event_id(1));
  ASSERT_TRUE(deliveries.ok());
  ASSERT_EQ(deliveries->size(), 1u);
  EXPECT_EQ(deliveries->front().account_id, account_id(1));
  EXPECT_EQ(deliveries->front().state, "pending");
  EXPECT_EQ(deliveries->front().next_attempt_at, kT0 + 5);
}

TEST_P(OutboxContract, InboxMarksReadOnlyForItsOwner) {
  ASSERT_TRUE(outbox_->append(event(1, {account_id(1)})).ok());
  ASSERT_TRUE(outbox_->fan_out(10, kT0, compose).ok());
  EXPECT_EQ(*outbox_->unread_count(account_id(1)), 1);
  const std::int64_t id = outbox_->inbox(account_id(1), 10)->front().id;

  Result<void> other = outbox_->mark_read(account_id(2), id, kT0 + 1);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::not_found);
  ASSERT_TRUE(outbox_->mark_read(account_id(1), id, kT0 + 2).ok());
  ASSERT_TRUE(outbox_->mark_read(account_id(1), id, kT0 + 9).ok());  // keeps the first time
  EXPECT_EQ(*outbox_->unread_count(account_id(1)), 0);
  EXPECT_EQ(outbox_->inbox(account_id(1), 10)->front().read_at, kT0 + 2);
}

TEST_P(OutboxContract, ContactsRoundTrip) {
  EXPECT_FALSE(outbox_->contact(account_id(1))->has_value());
  set_email(1, true);
  auto c = outbox_->contact(account_id(1));
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->email_sealed, std::string("\x01sealed\0addr", 12));
  EXPECT_TRUE((*c)->email_enabled);
  set_email(1, false);
  EXPECT_FALSE((*outbox_->contact(account_id(1)))->email_enabled);
  app::ContactRecord nobody;
  nobody.account_id = account_id(9);
  EXPECT_EQ(outbox_->set_contact(nobody).error().kind, ErrorKind::not_found);
}

TEST_P(OutboxContract, ClaimCarriesTheMessageAndMarksSending) {
  const std::int64_t id = one_delivery();
  EXPECT_TRUE(outbox_->claim_due("node-a", kT0 - 1, 60, 10)->empty());  // not due yet
  auto claimed = outbox_->claim_due("node-a", kT0, 60, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 1u);
  const app::EmailDelivery& d = claimed->front();
  EXPECT_EQ(d.id, id);
  EXPECT_EQ(d.event_id, event_id(1));
  EXPECT_EQ(d.account_id, account_id(1));
  EXPECT_EQ(d.address_sealed, std::string("\x01sealed\0addr", 12));
  EXPECT_EQ(d.subject, "已受理 445100-20240501-1");
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.lease_until, kT0 + 60);
  EXPECT_EQ(outbox_->deliveries_of(event_id(1))->front().state, "sending");

  EXPECT_FALSE(*outbox_->mark_sent(id, "node-b", kT0 + 1));  // not the holder
  EXPECT_TRUE(*outbox_->mark_sent(id, "node-a", kT0 + 1));
  auto after = outbox_->deliveries_of(event_id(1));
  EXPECT_EQ(after->front().state, "sent");
  EXPECT_EQ(after->front().sent_at, kT0 + 1);
  // Sent is final: never claimed again, however late.
  EXPECT_TRUE(outbox_->claim_due("node-a", kT0 + 100000, 60, 10)->empty());
}

TEST_P(OutboxContract, TwoConcurrentClaimersNeverGetTheSameDelivery) {
  set_email(1, true);
  set_email(2, true);
  set_email(3, true);
  for (int n = 1; n <= 10; ++n) {
    ASSERT_TRUE(outbox_->append(event(n, {account_id(1), account_id(2), account_id(3)})).ok());
  }
  ASSERT_EQ(outbox_->fan_out(100, kT0, compose)->deliveries, 30);

  std::mutex mu;
  std::vector<std::int64_t> got;
  std::atomic<int> errors{0};
  auto claimer = [&](std::string owner) {
    for (;;) {
      auto batch = outbox_->claim_due(owner, kT0, 60, 3);
      if (!batch.ok()) {
        ++errors;
        continue;
      }
      if (batch->empty()) return;
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& d : *batch) got.push_back(d.id);
    }
  };
  std::thread a(claimer, "node-a");
  std::thread b(claimer, "node-b");
  a.join();
  b.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::int64_t> unique(got.begin(), got.end());
  EXPECT_EQ(got.size(), 30u);
  EXPECT_EQ(unique.size(), 30u);
}

TEST_P(OutboxContract, AnExpiredLeaseHandsTheDeliveryOver) {
  const std::int64_t id = one_delivery();
  ASSERT_EQ(outbox_->claim_due("node-a", kT0, 60, 10)->size(), 1u);
  // node-a dies while sending. Until its lease runs out nobody else may take it.
  EXPECT_TRUE(outbox_->claim_due("node-b", kT0 + 59, 60, 10)->empty());
  auto taken = outbox_->claim_due("node-b", kT0 + 60, 60, 10);
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ(taken->front().id, id);
  EXPECT_EQ(taken->front().attempts, 2);
  EXPECT_EQ(outbox_->deliveries_of(event_id(1))->front().lease_owner, "node-b");
  // node-a comes back to life: its late word changes nothing.
  EXPECT_FALSE(*outbox_->mark_sent(id, "node-a", kT0 + 61));
  EXPECT_FALSE(*outbox_->mark_failed(id, "node-a", kT0 + 61, "late", false));
  EXPECT_TRUE(*outbox_->mark_sent(id, "node-b", kT0 + 62));
}

TEST_P(OutboxContract, FailuresBackOffThenGiveUp) {
  // Policy of the fixture: 60 s, doubling, capped at 200 s, 4 attempts.
  const std::int64_t id = one_delivery();
  std::int64_t now = kT0;
  const std::int64_t waits[] = {60, 120, 200};
  for (const std::int64_t wait : waits) {
    ASSERT_EQ(outbox_->claim_due("node-a", now, 30, 10)->size(), 1u);
    ASSERT_TRUE(*outbox_->mark_failed(id, "node-a", now, "421 try later", false));
    auto d = outbox_->deliveries_of(event_id(1))->front();
    EXPECT_EQ(d.state, "pending");
    EXPECT_EQ(d.next_attempt_at, now + wait);
    EXPECT_EQ(d.last_error, "421 try later");
    EXPECT_TRUE(outbox_->claim_due("node-a", now + wait - 1, 30, 10)->empty());
    now += wait;
  }
  ASSERT_EQ(outbox_->claim_due("node-a", now, 30, 10)->size(), 1u);
  ASSERT_TRUE(*outbox_->mark_failed(id, "node-a", now, "421 try later", false));
  auto d = outbox_->deliveries_of(event_id(1))->front();
  EXPECT_EQ(d.state, "failed");
  EXPECT_EQ(d.attempts, 4);
  EXPECT_TRUE(outbox_->claim_due("node-a", now + 100000, 30, 10)->empty());
}

TEST_P(OutboxContract, APermanentRefusalFailsAtOnce) {
  const std::int64_t id = one_delivery();
  ASSERT_EQ(outbox_->claim_due("node-a", kT0, 30, 10)->size(), 1u);
  ASSERT_TRUE(*outbox_->mark_failed(id, "node-a", kT0, "550 no such user", true));
  EXPECT_EQ(outbox_->deliveries_of(event_id(1))->front().state, "failed");
}

TEST_P(OutboxContract, ALeaseLostOnTheLastAttemptFails) {
  one_delivery();
  std::int64_t now = kT0;
  for (int i = 0; i < 4; ++i) {  // four claims, each lease left to expire
    ASSERT_EQ(outbox_->claim_due("node-a", now, 30, 10)->size(), 1u) << i;
    now += 30;
  }
  EXPECT_TRUE(outbox_->claim_due("node-b", now, 30, 10)->empty());
  auto d = outbox_->deliveries_of(event_id(1))->front();
  EXPECT_EQ(d.state, "failed");
  EXPECT_EQ(d.attempts, 4);
}

TEST(RetryPolicy, DoublesFromTheFirstDelayUpToTheCap) {
  app::RetryPolicy p;  // 60 s, capped at one hour
  const std::pair<int, std::int64_t> table[] = {
      {1, 60}, {2, 120}, {3, 240}, {4, 480}, {5, 960}, {6, 1920}, {7, 3600}, {8, 3600}, {40, 3600}};
  for (const auto& [attempts, delay] : table) EXPECT_EQ(p.delay_after(attempts), delay) << attempts;
}

INSTANTIATE_TEST_SUITE_P(Dialects, OutboxContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
