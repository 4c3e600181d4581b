#include "http/metrics.h"

#include <fmt/format.h>

namespace shenpi::http {

Metrics::RouteMetrics& Metrics::route(const std::string& name) {
  std::lock_guard lock(mu_);
  for (auto& r : routes_) {
    if (r->name == name) return *r;
  }
  routes_.push_back(std::make_unique<RouteMetrics>());
  routes_.back()->name = name;
  return *routes_.back();
}

void Metrics::record(RouteMetrics& m, int status, double seconds) {
  if (status < 0 || status >= 600) status = 0;
  m.by_status[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  m.buckets[b].fetch_add(1, std::memory_order_relaxed);
  m.micros_sum.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

namespace {
// Label values are route patterns (ASCII we chose); escape the three characters the
// exposition format requires anyway.
std::string escape_label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP shenpi_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE shenpi_http_requests_total counter\n";
  for (const auto& r : routes_) {
    for (std::size_t s = 0; s < r->by_status.size(); ++s) {
      auto n = r->by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("shenpi_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                         escape_label(r->name), s, n);
    }
  }
  out +=
      "# HELP shenpi_http_request_duration_seconds Time from the request's last byte read to its "
      "response.\n";
  out += "# TYPE shenpi_http_request_duration_seconds histogram\n";
  for (const auto& r : routes_) {
    std::uint64_t cumulative = 0;
    const auto label = escape_label(r->name);
    for (std::size_t b = 0; b < r->buckets.size(); ++b) {
      cumulative += r->buckets[b].load(std::memory_order_relaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out +=
          fmt::format("shenpi_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      label, le, cumulative);
    }
    out += fmt::format("shenpi_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                       static_cast<double>(r->micros_sum.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format("shenpi_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                       cumulative);
  }
  out +=
      "# HELP shenpi_http_open_connections Connections open now.\n# TYPE "
      "shenpi_http_open_connections gauge\n";
  out += fmt::format("shenpi_http_open_connections {}\n", open_connections.load());
  out +=
      "# HELP shenpi_http_rejected_connections_total Connections refused at the connection cap.\n# "
      "TYPE shenpi_http_rejected_connections_total counter\n";
  out += fmt::format("shenpi_http_rejected_connections_total {}\n", rejected_connections.load());
  for (const auto& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name,
                       g.read());
  }
  return out;
}

}  // namespace shenpi::http
