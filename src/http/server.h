#pragma once
// The HTTP/1.1 server (Boost.Beast, kept inside server.cpp). It owns the I/O threads and
// the worker pool, enforces limits before any handler runs, and adds what every response
// carries: security headers, X-Request-Id, Date. See docs/decisions/0004-http-server.md.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"

namespace shenpi::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;                         //!< 0 picks a free port
  int io_threads = 2;                                //!< socket threads
  int worker_threads = 8;                            //!< blocking handlers (DB, PDF)
  int max_connections = 4096;                        //!< beyond: 503 and close
  std::chrono::milliseconds request_timeout{30000};  //!< read + handle + write one request
  std::chrono::milliseconds idle_timeout{60000};     //!< keep-alive wait for the next request
  std::chrono::milliseconds shutdown_grace{10000};   //!< SIGTERM: time for in-flight requests
  std::size_t max_header_bytes = 16 * 1024;          //!< hard cap before routing (431 beyond)
  //! PEM certificate chain and private key: both set = HTTPS only (TLS 1.2+), both empty =
  //! plain HTTP. The TLS handshake counts against request_timeout.
  std::string tls_cert_file;
  std::string tls_key_file;
  //! PEM CA bundle for client certificates (needs TLS). A client certificate is asked for
  //! but not required; one that verifies against this bundle is reported in
  //! Request::client_cert_subject, any other is ignored (the connection still serves).
  std::string client_ca_file;
};

//! One line of the access log, handed to the logger after each response.
struct AccessRecord {
  const Request& request;
  int status;
  std::size_t bytes;
  double seconds;
  const std::string& route;
};

struct ServerHooks {
  //! Renders an error for a request (HTML for pages, JSON for the API). Required.
  std::function<Response(const Error&, const Request&)> render_error;
  //! Called after each response; must not block (the default logger is asynchronous).
  std::function<void(const AccessRecord&)> access_log;
  //! Called for handler exceptions and internal errors, with the request id.
  std::function<void(const std::string& request_id, const std::string& what)> internal_error;
};

class Server {
 public:
  Server(ServerConfig config, std::shared_ptr<const Router> router,
         std::shared_ptr<Metrics> metrics, ServerHooks hooks);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  //! Binds and listens. unavailable when the address is taken or invalid; invalid_input
  //! "tls_config" when the TLS files cannot be loaded (or only one of cert/key is set).
  Result<void> listen();
  //! The bound port (after listen()).
  std::uint16_t port() const;
  //! Serves until stop() or SIGTERM/SIGINT; in-flight requests finish (up to shutdown_grace).
  void run();
  //! Begins a graceful stop; safe from any thread.
  void stop();
  //! Runs fn on the worker pool every `period` while the server runs (cache refreshes, jobs).
  void every(std::chrono::milliseconds period, std::function<void()> fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shenpi::http
