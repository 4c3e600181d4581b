#pragma once
// The port through which the catalogue use cases reach storage. Implemented once in
// src/store/catalogue_store.cpp over the dialect-neutral Database of src/store/db.h, so
// the same code runs on SQLite and PostgreSQL; the contract suite in tests/contract/
// holds both to this interface.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/catalogue.h"
#include "core/result.h"

namespace shenpi::app {

class CatalogueRepository {
 public:
  virtual ~CatalogueRepository() = default;

  // ---- reads ----
  //! All regions, city first, then by code.
  virtual Result<std::vector<core::Region>> regions() = 0;
  //! All departments, ordered by region then sort_order then code.
  virtual Result<std::vector<core::Department>> departments() = 0;
  //! The department with that code, or nullopt.
  virtual Result<std::optional<core::Department>> department(std::string_view code) = 0;
  //! The published version of the item with that code, or nullopt when the item does not
  //! exist or has no published version.
  virtual Result<std::optional<core::ItemVersion>> published_item(std::string_view code) = 0;
  //! A specific version by its id (any state), or nullopt.
  virtual Result<std::optional<core::ItemVersion>> item_version(std::int64_t id) = 0;
  //! Published items matching the query, ordered by relevance (name matches first) then
  //! code; `total` counts all matches, `items` holds the requested page only.
  virtual Result<core::ItemPage> search_items(const core::ItemQuery& query) = 0;
  //! All bundles; those containing item_code when it is non-empty.
  virtual Result<std::vector<core::Bundle>> bundles(std::string_view item_code = {}) = 0;
  //! The bundle with that code, or nullopt.
  virtual Result<std::optional<core::Bundle>> bundle(std::string_view code) = 0;
  //! The template file of material number `index` (0-based) of the published version of
  //! the item, or nullopt.
  virtual Result<std::optional<core::MaterialTemplate>> material_template(
      std::string_view item_code, int index) = 0;
  //! A number that changes whenever anything public in the catalogue changes (publish,
  //! department edits). Caches of rendered pages compare it to know they are stale.
  virtual Result<std::int64_t> generation() = 0;
  //! True when no region exists yet (the demo loader only fills an empty database).
  virtual Result<bool> empty() = 0;

  // ---- writes (each its own transaction; all-or-nothing) ----
  virtual Result<void> put_region(const core::Region& r) = 0;
  virtual Result<void> put_department(const core::Department& d) = 0;
  //! Stores a new version of an item as a draft with the next version_no; returns its id.
  //! Templates are stored beside materials with the same index (missing ones skipped).
  virtual Result<std::int64_t> add_item_version(
      const core::ItemVersion& v, const std::vector<core::MaterialTemplate>& templates) = 0;
  //! Moves a version to `state`. Publishing supersedes the previously published version of
  //! the same item, sets published_on to `today` (YYYY-MM-DD) and bumps generation().
  //! Fails with conflict when the move is not allowed by the workflow.
  virtual Result<void> set_version_state(std::int64_t id, core::VersionState state,
                                         std::string_view today) = 0;
  virtual Result<void> put_bundle(const core::Bundle& b) = 0;
};

}  // namespace shenpi::app
