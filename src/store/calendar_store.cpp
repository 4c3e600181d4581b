#include "store/calendar_store.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/db_values.h"

namespace shenpi::store {
namespace {

// Builds schedules from the rows of calendar_years (year) and calendar_days (day, year,
// kind), both ordered ascending.
Result<std::vector<core::YearSchedule>> schedules_from(const Rows& years, const Rows& days) {
  std::map<int, core::YearSchedule> by_year;
  for (std::size_t i = 0; i < years.size(); ++i) {
    const int y = static_cast<int>(years.int64(i, 0));
    by_year[y].year = y;
  }
  for (std::size_t i = 0; i < days.size(); ++i) {
    const auto d = core::Date::parse(days.text(i, 0));
    const auto it = by_year.find(static_cast<int>(days.int64(i, 1)));
    if (!d || it == by_year.end()) {
      return make_error(ErrorKind::internal, "bad_calendar_row",
                        "日历数据损坏：" + days.text(i, 0));
    }
    (days.text(i, 2) == "off" ? it->second.days_off : it->second.make_up_days).push_back(*d);
  }
  std::vector<core::YearSchedule> out;
  out.reserve(by_year.size());
  for (auto& [y, s] : by_year) out.push_back(std::move(s));
  return out;
}

class CalendarStore final : public app::CalendarRepository {
 public:
  explicit CalendarStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<core::YearSchedule>> years() override {
    return read_value<std::vector<core::YearSchedule>>(
        *db_, [](Session& s) -> Result<std::vector<core::YearSchedule>> {
          SHENPI_ASSIGN(Rows years, s.query("SELECT year FROM calendar_years ORDER BY year"));
          SHENPI_ASSIGN(Rows days,
                        s.query("SELECT day, year, kind FROM calendar_days ORDER BY day"));
          return schedules_from(years, days);
        });
  }

  Result<std::optional<core::YearSchedule>> year(int year) override {
    return read_value<std::optional<core::YearSchedule>>(
        *db_, [year](Session& s) -> Result<std::optional<core::YearSchedule>> {
          const std::vector<Param> params{std::int64_t{year}};
          SHENPI_ASSIGN(Rows years,
                        s.query("SELECT year FROM calendar_years WHERE year = ?", params));
          if (years.empty()) return std::optional<core::YearSchedule>();
          SHENPI_ASSIGN(Rows days, s.query("SELECT day, year, kind FROM calendar_days "
                                           "WHERE year = ? ORDER BY day",
                                           params));
          SHENPI_ASSIGN(auto list, schedules_from(years, days));
          return std::optional<core::YearSchedule>(std::move(list.front()));
        });
  }

  Result<void> put_year(const core::YearSchedule& sched, const std::string& updated_by,
                        std::int64_t updated_at_unix_ms) override {
    return db_->write([&](Session& s) -> Result<void> {
      const std::int64_t y = sched.year;
      SHENPI_TRY(s.exec("DELETE FROM calendar_days WHERE year = ?", {y}));
      SHENPI_TRY(s.exec("DELETE FROM calendar_years WHERE year = ?", {y}));
      SHENPI_TRY(s.exec(
          "INSERT INTO calendar_years (year, updated_by, updated_at_unix_ms) VALUES (?, ?, ?)",
          {y, updated_by, updated_at_unix_ms}));
      const auto insert = [&](const std::vector<core::Date>& list,
                              const char* kind) -> Result<void> {
        for (const core::Date& d : list) {
          SHENPI_TRY(s.exec("INSERT INTO calendar_days (day, year, kind) VALUES (?, ?, ?)",
                            {d.iso(), y, std::string(kind)}));
        }
        return ok_result();
      };
      SHENPI_TRY(insert(sched.days_off, "off"));
      SHENPI_TRY(insert(sched.make_up_days, "make_up"));
      return ok_result();
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::CalendarRepository> make_calendar_store(std::shared_ptr<Database> db) {
  return std::make_shared<CalendarStore>(std::move(db));
}

}  // namespace shenpi::store
