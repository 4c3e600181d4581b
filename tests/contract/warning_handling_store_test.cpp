// The handling of a warning (说明情况, 办结) as store::make_supervision_store keeps it, on
// both dialects: one warning read by id, a state change guarded by the state read, and
// its audit entry written in the same transaction (nothing kept when the entry fails).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contract/scratch_database.h"
#include "core/audit/audit_entry.h"
#include "crypto/signer.h"
#include "store/supervision_store.h"

namespace shenpi::store {
namespace {

using core::WarningState;

class WarningHandlingContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = make_supervision_store(db_);
    ASSERT_TRUE(
        db_->write([&](Session& s) -> Result<void> {
             SHENPI_TRY(s.exec("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')"));
             SHENPI_TRY(
                 s.exec("INSERT INTO departments (code, name, region_code, kind) VALUES "
                        "('445100-SCJGJ', '潮州市市场监督管理局', '445100', 'approval')"));
             SHENPI_TRY(s.exec(
                 "INSERT INTO cases (number, version, state, lead_department_code, "
                 "applicant_account_id, due_on, updated_on, doc) VALUES ('C1', 1, 'accepted', "
                 "'445100-SCJGJ', 'A', '2026-10-09', '2026-09-28', '{}')"));
             SHENPI_ASSIGN(id_,
                           s.insert("INSERT INTO warnings (case_number, department_code, rule, "
                                    "part_seq, task_id, days_late, legal_days_late, due_on, state, "
                                    "first_seen_on, last_seen_on) VALUES ('C1', '445100-SCJGJ', "
                                    "'case_late', -1, 0, 3, 3, '2026-10-09', 'open', '2026-10-12', "
                                    "'2026-10-14')"));
             return ok_result();
           })
            .ok());
  }

  // The audit entry of a change, naming the states before and after.
  app::PlanWarningAudit plan(bool fail = false) {
    return [this, fail](const app::Warning& before,
                        const app::Warning& after) -> Result<app::AuditAppend> {
      if (fail) return make_error(ErrorKind::unavailable, "audit_down", "审计不可用");
      planned_.push_back(std::string(core::to_string(before.state)) + ">" +
                         std::string(core::to_string(after.state)));
      app::AuditAppend a;
      a.content.at_unix_ms = 1;
      a.content.actor_name = "lead";
      a.content.action = "supervision.warning_acknowledge";
      a.content.object_type = "warning";
      a.content.object_id = std::to_string(after.id);
      a.content.outcome = "success";
      a.hasher = [](const core::AuditEntry& e) {
        return crypto::sha256_hex(core::canonical_bytes(e));
      };
      return a;
    };
  }

  std::int64_t audit_count() {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->read([&](Session& s) -> Result<void> {
                     SHENPI_ASSIGN(Rows r, s.query("SELECT COUNT(*) FROM audit_entries WHERE "
                                                   "object_type = 'warning'"));
                     n = r.int64(0, 0);
                     return ok_result();
                   })
                    .ok());
    return n;
  }

  WarningState stored_state() {
    auto w = store_->find_warning(id_);
    EXPECT_TRUE(w.ok() && w->has_value());
    return w.ok() && w->has_value() ? (*w)->state : WarningState::open;
  }

  std::shared_ptr<app::SupervisionRepository> store_;
  std::int64_t id_ = 0;
  std::vector<std::string> planned_;
};

const std::vector<WarningState> kNotClosed{WarningState::open, WarningState::acknowledged};

TEST_P(WarningHandlingContract, FindsOneWarningWithItsDepartment) {
  auto w = store_->find_warning(id_);
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(w->has_value());
  EXPECT_EQ((*w)->case_number, "C1");
  EXPECT_EQ((*w)->department_name, "潮州市市场监督管理局");
  EXPECT_EQ((*w)->rule, core::WarningRule::case_late);
  EXPECT_EQ((*w)->days_late, 3);
  EXPECT_EQ((*w)->state, WarningState::open);
  auto none = store_->find_warning(id_ + 1000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(WarningHandlingContract, StatesMoveOnWithTheirAuditEntryAndClosedStaysClosed) {
  auto a = store_->change_warning_state(id_, kNotClosed, WarningState::acknowledged, plan());
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->state, WarningState::acknowledged);
  EXPECT_EQ(a->department_name, "潮州市市场监督管理局");
  EXPECT_EQ(stored_state(), WarningState::acknowledged);
  EXPECT_EQ(audit_count(), 1);

  auto c = store_->change_warning_state(id_, kNotClosed, WarningState::closed, plan());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(stored_state(), WarningState::closed);
  EXPECT_EQ(planned_, (std::vector<std::string>{"open>acknowledged", "acknowledged>closed"}));

  auto again = store_->change_warning_state(id_, kNotClosed, WarningState::acknowledged, plan());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(again.error().code, "warning_closed");
  EXPECT_EQ(audit_count(), 2) << "a refused change leaves no entry";

  auto missing = store_->change_warning_state(id_ + 1000, kNotClosed, WarningState::closed, plan());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "warning_not_found");
}

TEST_P(WarningHandlingContract, NothingIsKeptWhenTheAuditEntryFails) {
  auto r = store_->change_warning_state(id_, kNotClosed, WarningState::closed, plan(true));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(stored_state(), WarningState::open);
  EXPECT_EQ(audit_count(), 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, WarningHandlingContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
