#include "app/form_download_service.h"

namespace shenpi::app {

Result<FormPdf> FormDownloadService::blank_form(const std::string& item_code) {
  SHENPI_ASSIGN(auto guide, catalogue_->guide(item_code));
  const auto id = guide.item.id;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first;
    }
  }
  // Rendered outside the lock: two first requests may both render; the bytes are equal.
  SHENPI_ASSIGN(auto bytes, render_(guide.item, guide.department.name));
  FormPdf pdf{std::make_shared<const std::string>(std::move(bytes)),
              guide.item.name + "-申请表.pdf", id};
  std::lock_guard lock(mu_);
  if (cache_.find(id) == cache_.end()) {
    lru_.push_front(id);
    cache_.emplace(id, std::make_pair(pdf, lru_.begin()));
    while (cache_.size() > capacity_) {
      cache_.erase(lru_.back());
      lru_.pop_back();
    }
  }
  return pdf;
}

}  // namespace shenpi::app
