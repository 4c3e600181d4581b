#pragma once
// The calendar repository (app::CalendarRepository) over the dialect-neutral Database.
#include <memory>

#include "app/calendar_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The calendar years stored in `db` (migrations applied). Safe from many threads.
std::shared_ptr<app::CalendarRepository> make_calendar_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
