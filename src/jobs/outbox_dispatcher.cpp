#include "jobs/outbox_dispatcher.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace shenpi::jobs {

OutboxDispatcher::OutboxDispatcher(std::shared_ptr<app::OutboxRepository> outbox,
                                   app::ComposeNotification compose, std::shared_ptr<Mailer> mailer,
                                   OpenAddress open_address, std::function<std::int64_t()> now,
                                   DispatcherOptions options)
    : outbox_(std::move(outbox)),
      compose_(std::move(compose)),
      mailer_(std::move(mailer)),
      open_address_(std::move(open_address)),
      now_(std::move(now)),
      options_(std::move(options)) {}

OutboxDispatcher::~OutboxDispatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxDispatcher::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
}

void OutboxDispatcher::poke() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

void OutboxDispatcher::loop() {
  int failures_in_a_row = 0;
  while (!stop_) {
    Result<DispatchReport> r = run_once();
    bool busy = false;
    if (!r.ok()) {
      // A database that is down fails every second: say so once, then every minute.
      if (failures_in_a_row++ % 60 == 0) {
        spdlog::warn("outbox: {}", r.error().message);
      }
    } else {
      failures_in_a_row = 0;
      const DispatchReport& rep = *r;
      if (rep.fanned.events > 0 || rep.sent > 0 || rep.retried > 0 || rep.failed > 0) {
        spdlog::info(
            "outbox: {} events fanned out ({} messages, {} emails queued), {} sent, "
            "{} to retry, {} failed",
            rep.fanned.events, rep.fanned.messages, rep.fanned.deliveries, rep.sent, rep.retried,
            rep.failed);
      }
      // A full batch means more may be waiting: go on without sleeping.
      busy = rep.sent + rep.retried + rep.failed >= options_.batch;
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (!busy) {
      cv_.wait_for(lock, options_.interval, [this] { return stop_.load() || poked_; });
    }
    poked_ = false;
  }
}

Result<DispatchReport> OutboxDispatcher::run_once() {
  DispatchReport report;
  for (;;) {
    SHENPI_ASSIGN(app::FanOutReport f, outbox_->fan_out(options_.batch, now_(), compose_));
    report.fanned.events += f.events;
    report.fanned.messages += f.messages;
    report.fanned.deliveries += f.deliveries;
    if (f.events < options_.batch || stop_) break;
  }
  if (!mailer_) return report;
  SHENPI_ASSIGN(std::vector<app::EmailDelivery> due,
                outbox_->claim_due(options_.owner, now_(), options_.lease_seconds, options_.batch));
  for (const app::EmailDelivery& d : due) {
    if (stop_) break;  // the rest go back to the pool when their lease expires
    SHENPI_TRY(deliver(d, now_(), report));
  }
  return report;
}

Result<void> OutboxDispatcher::deliver(const app::EmailDelivery& d, std::int64_t now,
                                       DispatchReport& report) {
  Result<std::string> to = open_address_(d);
  if (!to.ok()) {
    SHENPI_TRY(
        outbox_->mark_failed(d.id, options_.owner, now_(), "address: " + to.error().message, true));
    ++report.failed;
    return ok_result();
  }
  MailMessage m;
  m.from = options_.from;
  m.from_name = options_.from_name;
  m.to = *to;
  m.subject = d.subject;
  m.body = d.body;
  m.event_id = d.event_id;
  m.message_id = message_id_for(d.event_id, std::to_string(d.id), options_.from);
  m.date = now;
  Result<void> sent = mailer_->send(m);
  if (sent.ok()) {
    // Marked right after the server's acceptance: the window of a second copy is the
    // time between these two lines.
    SHENPI_ASSIGN(const bool held, outbox_->mark_sent(d.id, options_.owner, now_()));
    if (!held) spdlog::warn("outbox: delivery {} sent after its lease was lost", d.id);
    ++report.sent;
    return ok_result();
  }
  const bool permanent = sent.error().kind == ErrorKind::invalid_input;
  SHENPI_ASSIGN(const bool held, outbox_->mark_failed(d.id, options_.owner, now_(),
                                                      sent.error().message, permanent));
  (void)held;
  spdlog::warn("outbox: delivery {} (event {}, attempt {}) not sent: {}", d.id, d.event_id,
               d.attempts, sent.error().message);
  if (permanent) {
    ++report.failed;
  } else {
    ++report.retried;
  }
  return ok_result();
}

}  // namespace shenpi::jobs
