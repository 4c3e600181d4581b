#pragma once
// The background worker that lets outbox events leave the system: every interval (about
// a second) and whenever poked it fans new events out to inboxes and email deliveries,
// then sends the email deliveries that are due, each under a lease:
//
//   claim (state sending, lease until now + lease_seconds)  → SMTP  → mark sent
//                                                            ↘ error → pending later / failed
//
// Several nodes may run one each: the repository's claim hands a delivery to one node at
// a time, and a node that dies mid-send loses its lease, so another takes the delivery
// over once it expires. The one window left, a crash after the server accepted the
// message and before it is marked sent, gives a second copy with the same Message-ID
// (docs/decisions/0009-outbox.md). Without a mailer, deliveries stay pending and only
// the fan-out (the inbox) runs.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/outbox_repository.h"
#include "core/result.h"
#include "jobs/smtp_mailer.h"

namespace shenpi::jobs {

struct DispatcherOptions {
  std::chrono::milliseconds interval{1000};
  //! Longer than the mailer's timeout, so that a live sender never loses its lease.
  std::int64_t lease_seconds = 300;
  int batch = 20;     //!< events fanned out, and deliveries claimed, per round
  std::string owner;  //!< this process's lease name, unique among the nodes
  std::string from;   //!< sender address
  std::string from_name = "潮州市网上行政审批系统";
};

//! The plaintext address of a claimed delivery (opens address_sealed).
using OpenAddress = std::function<Result<std::string>(const app::EmailDelivery&)>;

struct DispatchReport {
  app::FanOutReport fanned;
  int sent = 0;
  int retried = 0;  //!< failed for now, pending again
  int failed = 0;   //!< failed for good
};

class OutboxDispatcher {
 public:
  //! `mailer` may be null (no SMTP configured). `now` gives Unix seconds.
  OutboxDispatcher(std::shared_ptr<app::OutboxRepository> outbox, app::ComposeNotification compose,
                   std::shared_ptr<Mailer> mailer, OpenAddress open_address,
                   std::function<std::int64_t()> now, DispatcherOptions options);
  //! Stops the thread (finishing the message being sent) and joins it.
  ~OutboxDispatcher();
  OutboxDispatcher(const OutboxDispatcher&) = delete;
  OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

  //! Starts the background thread (once).
  void start();
  //! Asks for a round now instead of at the next interval.
  void poke();
  //! One round on the calling thread: fan out until nothing is left, then send what is
  //! due (one claimed batch). Errors of single deliveries are recorded on them; the
  //! error returned is one of the repository's.
  Result<DispatchReport> run_once();

 private:
  void loop();
  Result<void> deliver(const app::EmailDelivery& d, std::int64_t now, DispatchReport& report);

  std::shared_ptr<app::OutboxRepository> outbox_;
  app::ComposeNotification compose_;
  std::shared_ptr<Mailer> mailer_;
  OpenAddress open_address_;
  std::function<std::int64_t()> now_;
  DispatcherOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace shenpi::jobs
