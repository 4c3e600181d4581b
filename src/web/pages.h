#pragma once
// The public web pages (server-rendered, zh-CN, no JavaScript needed):
//
//   GET /                       home: search, browse by theme, department and bundle
//   GET /search?q=&dept=&audience=&page=
//   GET /departments            the department directory
//   GET /departments/{code}     a department and its items
//   GET /items/{code}           办事指南, every element of the guide
//   GET /items/{code}/print     the printable guide
//   GET /bundles                并联审批 bundles
//   GET /bundles/{code}         one bundle
//   GET /static/{name...}       CSS and icons (see web/static_files.h)
//   GET /favicon.ico
//
// Every page route is cached (see web/page_cache.h) and has a FastHandler that serves
// the cached bytes on the I/O thread; on a miss the blocking handler renders the page on
// a worker thread and fills the cache. Handlers are thin: parse, call the use case,
// render.
#include <cstddef>
#include <memory>
#include <string>

#include "app/catalogue_service.h"
#include "http/router.h"

namespace shenpi::web {

struct WebOptions {
  std::string site_name = "潮州市网上行政审批系统";
};

class Pages {
 public:
  Pages(std::shared_ptr<app::CatalogueService> service, WebOptions options = {});

  //! Adds the routes above to router. The handlers share ownership of this object's
  //! state, so the router may outlive the Pages object.
  void register_routes(http::Router& router);

  //! Reads the catalogue generation and, when it changed, drops every cached page. It
  //! touches the database: call it from a worker thread (a 1-second timer), never on an
  //! I/O thread. Until it or a page miss has run once, nothing is served from the cache.
  void refresh_generation();

  //! Number of cached pages (tests, metrics).
  std::size_t cached_pages() const;

 private:
  struct State;  // shared with the route handlers
  std::shared_ptr<State> state_;
};

}  // namespace shenpi::web
