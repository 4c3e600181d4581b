#include "store/performance_store.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/case_json.h"
#include "store/db_values.h"

namespace shenpi::store {
namespace {

constexpr int kBatch = 500;

class PerformanceStore final : public app::PerformanceRepository {
 public:
  explicit PerformanceStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<core::PerformanceInput> read_period(std::string_view from, std::string_view to,
                                             int max_cases) override {
    return read_value<core::PerformanceInput>(
        *db_, [&](Session& s) -> Result<core::PerformanceInput> {
          core::PerformanceInput in;
          std::set<std::string> loaded;
          SHENPI_TRY(read_active_cases(s, from, to, max_cases, in, loaded));
          SHENPI_TRY(read_records(s, from, to, in));

          // The cases the records name that had nothing else in the period (a late case
          // nobody touched, a rating given weeks after delivery).
          std::set<std::string> named;
          for (const auto& w : in.warnings) named.insert(w.case_number);
          for (const auto& c : in.complaints) named.insert(c.case_number);
          for (const auto& r : in.ratings) named.insert(r.case_number);
          for (const auto& e : in.extensions) named.insert(e.case_number);
          for (const std::string& number : named) {
            if (number.empty() || loaded.count(number) != 0) continue;
            if (static_cast<int>(loaded.size()) >= max_cases) return too_many(max_cases);
            SHENPI_ASSIGN(Rows r, s.query("SELECT doc FROM cases WHERE number = ?", {number}));
            if (r.empty()) continue;
            Result<core::Case> c = app::case_from_json(r.text(0, 0));
            if (!c.ok()) continue;
            in.cases.push_back(std::move(c).value());
            loaded.insert(number);
          }
          return in;
        });
  }

 private:
  static Error too_many(int max_cases) {
    return make_error(ErrorKind::unavailable, "too_many_cases",
                      "统计期间内办件超过 " + std::to_string(max_cases) + " 件，请缩短统计期间");
  }

  // Submitted cases with an event in the period: submitted on or before `to` and last
  // changed on or after `from` (every event lies between the two).
  static Result<void> read_active_cases(Session& s, std::string_view from, std::string_view to,
                                        int max_cases, core::PerformanceInput& in,
                                        std::set<std::string>& loaded) {
    std::string after;
    for (;;) {
      SHENPI_ASSIGN(Rows r,
                    s.query("SELECT number, doc FROM cases WHERE state <> 'draft' AND "
                            "submitted_on <> '' AND submitted_on <= ? AND updated_on >= ? "
                            "AND number > ? ORDER BY number LIMIT ?",
                            {std::string(to), std::string(from), after, std::int64_t{kBatch}}));
      for (std::size_t i = 0; i < r.size(); ++i) {
        after = r.text(i, 0);
        if (static_cast<int>(loaded.size()) >= max_cases) return too_many(max_cases);
        Result<core::Case> c = app::case_from_json(r.text(i, 1));
        if (!c.ok()) continue;
        in.cases.push_back(std::move(c).value());
        loaded.insert(after);
      }
      if (r.size() < static_cast<std::size_t>(kBatch)) return ok_result();
    }
  }

  static Result<void> read_records(Session& s, std::string_view from, std::string_view to,
                                   core::PerformanceInput& in) {
    const std::vector<Param> period{std::string(from), std::string(to)};
    {
      SHENPI_ASSIGN(Rows r, s.query("SELECT case_number, department_code, part_seq, first_seen_on "
                                    "FROM warnings WHERE first_seen_on >= ? AND first_seen_on <= ? "
                                    "ORDER BY id",
                                    period));
      for (std::size_t i = 0; i < r.size(); ++i) {
        core::PerformanceWarning w;
        w.case_number = r.text(i, 0);
        w.department_code = r.text(i, 1);
        w.part_seq = static_cast<int>(r.int64(i, 2));
        w.first_seen_on = r.text(i, 3);
        in.warnings.push_back(std::move(w));
      }
    }
    {
      SHENPI_ASSIGN(Rows r, s.query("SELECT number, case_number, department_code, department_name, "
                                    "outcome, answered_on FROM complaints WHERE outcome IN "
                                    "('upheld', 'partly_upheld') AND answered_on >= ? AND "
                                    "answered_on <= ? ORDER BY number",
                                    period));
      for (std::size_t i = 0; i < r.size(); ++i) {
        core::PerformanceComplaint c;
        c.number = r.text(i, 0);
        c.case_number = r.text(i, 1);
        c.department_code = r.text(i, 2);
        c.department_name = r.text(i, 3);
        c.outcome = r.text(i, 4) == "upheld" ? core::ComplaintOutcome::upheld
                                             : core::ComplaintOutcome::partly_upheld;
        c.answered_on = r.text(i, 5);
        in.complaints.push_back(std::move(c));
      }
    }
    {
      SHENPI_ASSIGN(Rows r, s.query("SELECT case_number, department_code, department_name, level, "
                                    "rated_on, follow_up FROM ratings WHERE rated_on >= ? AND "
                                    "rated_on <= ? ORDER BY id",
                                    period));
      for (std::size_t i = 0; i < r.size(); ++i) {
        const auto level = core::parse_rating_level(r.text(i, 3));
        if (!level) continue;
        core::PerformanceRating x;
        x.case_number = r.text(i, 0);
        x.department_code = r.text(i, 1);
        x.department_name = r.text(i, 2);
        x.level = *level;
        x.rated_on = r.text(i, 4);
        // A 差评 upheld on appeal does not count against the department (rating_counts).
        x.counts = r.text(i, 5) != "appeal_upheld";
        in.ratings.push_back(std::move(x));
      }
    }
    {
      SHENPI_ASSIGN(Rows r, s.query("SELECT case_number, part_seq, department_code, on_date FROM "
                                    "case_events WHERE action = 'extend' AND on_date >= ? AND "
                                    "on_date <= ? ORDER BY id",
                                    period));
      for (std::size_t i = 0; i < r.size(); ++i) {
        core::PerformanceExtension e;
        e.case_number = r.text(i, 0);
        e.part_seq = static_cast<int>(r.int64(i, 1));
        e.department_code = r.text(i, 2);
        e.on = r.text(i, 3);
        in.extensions.push_back(std::move(e));
      }
    }
    return ok_result();
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::PerformanceRepository> make_performance_store(std::shared_ptr<Database> db) {
  return std::make_shared<PerformanceStore>(std::move(db));
}

}  // namespace shenpi::store
