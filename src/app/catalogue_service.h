#pragma once
// Use cases of the public catalogue (办事指南, 表格下载). Anyone may call them: the
// catalogue is public information (law Art. 30). Handlers call these, never the store.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/catalogue_repository.h"

namespace shenpi::app {

//! Everything the guide page and GET /api/v1/items/{code} show for one item.
struct Guide {
  core::ItemVersion item;
  core::Department department;
  core::Region region;
  std::vector<core::Bundle> bundles;  //!< parallel-approval bundles this item belongs to
};

//! A department page: the department and its published items.
struct DepartmentPage {
  core::Department department;
  core::Region region;
  std::vector<core::ItemSummary> items;
};

class CatalogueService {
 public:
  explicit CatalogueService(std::shared_ptr<CatalogueRepository> repo) : repo_(std::move(repo)) {}

  Result<std::vector<core::Region>> regions();
  Result<std::vector<core::Department>> departments();
  //! Validates the query (page ≥ 1, 1 ≤ page_size ≤ 100, text ≤ 100 chars; invalid_input
  //! naming the parameter otherwise) and searches published items.
  Result<core::ItemPage> search(core::ItemQuery query);
  //! The guide of the published version; not_found ("item_not_found") otherwise.
  Result<Guide> guide(const std::string& code);
  //! not_found ("department_not_found") for an unknown code.
  Result<DepartmentPage> department_page(const std::string& code);
  Result<std::vector<core::Bundle>> bundles();
  //! not_found ("template_not_found") when the material has no template.
  Result<core::MaterialTemplate> material_template(const std::string& item_code, int index);
  Result<std::int64_t> generation() { return repo_->generation(); }

  CatalogueRepository& repository() { return *repo_; }

 private:
  std::shared_ptr<CatalogueRepository> repo_;
};

}  // namespace shenpi::app
