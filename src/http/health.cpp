#include "http/health.h"

#include <boost/json.hpp>

namespace shenpi::http {

void register_health(Router& router, std::function<Result<void>()> check_database,
                     std::shared_ptr<Metrics> metrics) {
  RouteOptions pub;
  pub.access = "public";
  router.add(
      "GET", "/healthz",
      [check = std::move(check_database)](Request&) {
        auto db = check();
        boost::json::object body;
        body["status"] = db.ok() ? "ok" : "unavailable";
        // The stable code says why (database_unavailable, disk_full, …); the store's
        // message may carry internal detail and stays out of this public answer.
        body["database"] =
            db.ok() ? std::string("ok") : "数据库不可用（" + db.error().code + "）";
        return Response::json(db.ok() ? 200 : 503, boost::json::serialize(body));
      },
      pub);
  router.add(
      "GET", "/metrics",
      [metrics](Request&) {
        Response r = Response::text(200, metrics->render());
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return r;
      },
      pub);
}

}  // namespace shenpi::http
