#pragma once
// 表格下载: the blank application form of an item as PDF, generated from the published
// version's form definition and cached per item version (a version never changes, so a
// cached form is never stale; a new published version has a new id).
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/catalogue_service.h"

namespace shenpi::app {

//! Renders a blank form; the composition root passes docs::render_blank_form so that app
//! does not depend on the PDF library.
using BlankFormRenderer =
    std::function<Result<std::string>(const core::ItemVersion&, std::string_view department_name)>;

struct FormPdf {
  std::shared_ptr<const std::string> bytes;
  std::string filename;  //!< e.g. "食品经营许可-申请表.pdf"
  std::int64_t version_id = 0;
};

class FormDownloadService {
 public:
  FormDownloadService(std::shared_ptr<CatalogueService> catalogue, BlankFormRenderer render,
                      std::size_t capacity = 256)
      : catalogue_(std::move(catalogue)), render_(std::move(render)), capacity_(capacity) {}

  //! The blank form of the published version of the item; not_found when there is none.
  //! Items that may not be offered online (Art. 12) still have a downloadable form.
  Result<FormPdf> blank_form(const std::string& item_code);

 private:
  std::shared_ptr<CatalogueService> catalogue_;
  BlankFormRenderer render_;
  std::size_t capacity_;
  std::mutex mu_;
  std::list<std::int64_t> lru_;  // most recent first
  std::unordered_map<std::int64_t, std::pair<FormPdf, std::list<std::int64_t>::iterator>> cache_;
};

}  // namespace shenpi::app
