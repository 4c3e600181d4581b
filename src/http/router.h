#pragma once
// Routes requests to handlers by method and path pattern ("/items/{code}"). Each route
// carries its own limits; the server enforces them before the handler runs.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace shenpi::http {

//! A handler that may block (database, PDF rendering): the server runs it on the worker
//! pool, never on an I/O thread.
using Handler = std::function<Response(Request&)>;
//! A non-blocking fast path run on the I/O thread first (e.g. a cached page); returns
//! nullopt to fall through to the blocking handler.
using FastHandler = std::function<std::optional<Response>(const Request&)>;

struct RouteOptions {
  std::string name;          //!< metrics label, defaults to the pattern
  std::size_t max_body = 0;  //!< bytes; larger bodies get 413 before the handler
  std::size_t max_header = 16 * 1024;
  bool streaming = false;  //!< accepts Transfer-Encoding: chunked
  FastHandler fast;        //!< optional
  //! Who may call the route, for `shenpi routes` and the authorisation matrix test:
  //! "public", "signed_in" or the name of the app::Permission its use case requires.
  //! Descriptive only: the use case enforces it.
  std::string access;
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;  //!< split pattern; "{x}" is a parameter
  Handler handler;
  RouteOptions options;
};

class Router {
 public:
  //! Registers a route. Patterns are "/a/{b}/c"; a final "{name...}" takes the rest.
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  struct Match {
    const Route* route = nullptr;  //!< null when nothing matches
    bool method_mismatch = false;  //!< a route matched the path but not the method
    std::vector<std::pair<std::string, std::string>> params;
  };
  //! Finds the route for method and decoded path. HEAD matches GET routes.
  Match match(std::string_view method, std::string_view path) const;
  //! The route options used for requests that match no route (limits for 404s).
  const RouteOptions& fallback() const { return fallback_; }
  //! Every registered route, in registration order.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  RouteOptions fallback_;
};

}  // namespace shenpi::http
