#pragma once
// Request metrics in Prometheus text format: requests by route and status, a latency
// histogram per route, connections, and gauges supplied by other layers (DB pool use).
// Recording is lock-free (atomics per route) so that it costs little on the hot path.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace shenpi::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  //! Per-route counters; obtain once per route with route() and keep the pointer.
  struct RouteMetrics {
    std::string name;
    std::array<std::atomic<std::uint64_t>, 600> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last is +Inf
    std::atomic<std::uint64_t> micros_sum{0};
  };

  //! The metrics of the route named `name`, created on first use. Stable address.
  RouteMetrics& route(const std::string& name);
  //! Records one finished request.
  static void record(RouteMetrics& m, int status, double seconds);

  std::atomic<std::int64_t> open_connections{0};
  std::atomic<std::uint64_t> rejected_connections{0};

  //! A gauge read at scrape time, e.g. the DB pool's connections in use.
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  //! The whole registry in Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  mutable std::mutex mu_;  // guards the lists, not the counters
  std::vector<std::unique_ptr<RouteMetrics>> routes_;
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
};

}  // namespace shenpi::http
