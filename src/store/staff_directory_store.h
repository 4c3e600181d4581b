#pragma once
// The staff directory (app::StaffDirectory) over the dialect-neutral Database.
#include <memory>

#include "app/staff_admin.h"
#include "store/db.h"

namespace shenpi::store {

//! The staff directory stored in `db` (migrations applied). Safe from many threads.
std::shared_ptr<app::StaffDirectory> make_staff_directory(std::shared_ptr<Database> db);

}  // namespace shenpi::store
