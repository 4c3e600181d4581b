#pragma once
#include "core/catalogue/catalogue.h"
#include "core/result.h"

namespace shenpi::core {

//! Checks the invariants of an item version before it is stored: code and name present,
//! limits positive and promised ≤ legal, a department, unique form field names, options
//! for select fields, at least one material. On failure the error (invalid_input) names
//! the offending element in `field`, e.g. "materials[2].name".
Result<void> validate_item_version(const ItemVersion& v);

//! Checks a bundle: at least two items, a lead department, a positive joint limit.
Result<void> validate_bundle(const Bundle& b);

}  // namespace shenpi::core
