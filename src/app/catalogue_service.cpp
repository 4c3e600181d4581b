#include "app/catalogue_service.h"

#include <algorithm>

namespace shenpi::app {
namespace {

// Counts code points so that a limit reads the same for Chinese and ASCII text.
std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Result<core::Region> region_of(CatalogueRepository& repo, const std::string& code) {
  SHENPI_ASSIGN(auto regions, repo.regions());
  for (auto& r : regions) {
    if (r.code == code) return std::move(r);
  }
  return core::Region{code, "", ""};
}

}  // namespace

Result<std::vector<core::Region>> CatalogueService::regions() { return repo_->regions(); }

Result<std::vector<core::Department>> CatalogueService::departments() {
  return repo_->departments();
}

Result<core::ItemPage> CatalogueService::search(core::ItemQuery query) {
  if (query.page < 1 || query.page > 10000) {
    return make_error(ErrorKind::invalid_input, "bad_parameter", "页码必须是 1 到 10000 之间的整数",
                      "page");
  }
  if (query.page_size < 1 || query.page_size > 100) {
    return make_error(ErrorKind::invalid_input, "bad_parameter", "每页条数必须在 1 到 100 之间",
                      "page_size");
  }
  if (utf8_length(query.text) > 100) {
    return make_error(ErrorKind::invalid_input, "bad_parameter", "搜索词不能超过 100 个字", "q");
  }
  return repo_->search_items(query);
}

Result<Guide> CatalogueService::guide(const std::string& code) {
  SHENPI_ASSIGN(auto item, repo_->published_item(code));
  if (!item) {
    return make_error(ErrorKind::not_found, "item_not_found", "未找到该事项，可能已调整或停止办理",
                      "code");
  }
  SHENPI_ASSIGN(auto dept, repo_->department(item->department_code));
  if (!dept) {
    return make_error(ErrorKind::internal, "department_missing", "事项的实施单位不存在");
  }
  SHENPI_ASSIGN(auto region, region_of(*repo_, dept->region_code));
  SHENPI_ASSIGN(auto bundles, repo_->bundles(code));
  return Guide{std::move(*item), std::move(*dept), std::move(region), std::move(bundles)};
}

Result<DepartmentPage> CatalogueService::department_page(const std::string& code) {
  SHENPI_ASSIGN(auto dept, repo_->department(code));
  if (!dept) {
    return make_error(ErrorKind::not_found, "department_not_found", "未找到该单位", "code");
  }
  SHENPI_ASSIGN(auto region, region_of(*repo_, dept->region_code));
  core::ItemQuery q;
  q.department_code = code;
  q.page_size = 100;
  std::vector<core::ItemSummary> items;
  for (q.page = 1;; ++q.page) {
    SHENPI_ASSIGN(auto page, repo_->search_items(q));
    const bool last =
        static_cast<int>(items.size() + page.items.size()) >= page.total || page.items.empty();
    std::move(page.items.begin(), page.items.end(), std::back_inserter(items));
    if (last) break;
  }
  return DepartmentPage{std::move(*dept), std::move(region), std::move(items)};
}

Result<std::vector<core::Bundle>> CatalogueService::bundles() { return repo_->bundles(); }

Result<core::MaterialTemplate> CatalogueService::material_template(const std::string& item_code,
                                                                   int index) {
  if (index < 0) {
    return make_error(ErrorKind::invalid_input, "bad_parameter", "材料序号无效", "index");
  }
  SHENPI_ASSIGN(auto tpl, repo_->material_template(item_code, index));
  if (!tpl) {
    return make_error(ErrorKind::not_found, "template_not_found", "该材料没有可下载的样表");
  }
  return std::move(*tpl);
}

}  // namespace shenpi::app
