#pragma once
// JSON API of the public catalogue under /api/v1 (documented in openapi.json beside this
// file). Handlers only translate between HTTP and the use cases.
#include <memory>

#include "app/catalogue_service.h"
#include "app/form_download_service.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_catalogue_api(Router& router, std::shared_ptr<app::CatalogueService> catalogue,
                            std::shared_ptr<app::FormDownloadService> forms);

//! Content-Disposition for a download with a Chinese file name (RFC 6266 / RFC 5987):
//! an ASCII fallback plus filename*=UTF-8''…
std::string content_disposition(std::string_view disposition, std::string_view filename,
                                std::string_view ascii_fallback);

}  // namespace shenpi::http::api
