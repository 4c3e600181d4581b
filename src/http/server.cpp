// The only translation unit that sees Boost.Beast and Asio (build time on 2 cores).
#include "http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <csignal>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace shenpi::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);

// Headers every response carries. The CSP allows only our own scripts, styles and images.
constexpr std::pair<const char*, const char*> kSecurityHeaders[] = {
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};
constexpr const char* kDefaultCsp =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

// RFC 7231 IMF-fixdate, formatted at most once per second per thread.
const std::string& http_date() {
  thread_local std::time_t cached_at = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(buf);
    cached_at = now;
  }
  return cached;
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// What shutdown needs of any connection, plain or TLS.
struct Conn {
  virtual ~Conn() = default;
  virtual beast::tcp_stream& tcp() = 0;
  bool busy = false;  // a request is being handled; touched only on the connection's thread
};

// Whether bytes of a request already wait in the connection's socket: sent by the
// client, not yet read by the server. Called on the connection's thread.
bool request_waiting(Conn& c) {
  beast::error_code ec;
  const std::size_t n = c.tcp().socket().available(ec);
  return !ec && n > 0;
}

// One connection over `Stream` (beast::tcp_stream or TlsStream); the session coroutine is
// a template over it so plain HTTP and HTTPS share one code path.
template <class Stream>
struct ConnOf final : Conn {
  explicit ConnOf(tcp::socket s) : stream(std::move(s)) {}
  ConnOf(tcp::socket s, ssl::context& ctx) : stream(std::move(s), ctx) {}
  beast::tcp_stream& tcp() override { return beast::get_lowest_layer(stream); }
  Stream stream;
};

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// The RFC 2253 subject of the peer's certificate when it verified against the client CA
// bundle; empty when there is none or it did not verify (the verify callback accepts
// every certificate so that a foreign one gets a 401 from the API, not a TLS alert).
std::string verified_peer_subject(SSL* ssl) {
  std::unique_ptr<X509, X509Free> cert(SSL_get1_peer_certificate(ssl));
  if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) return {};
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  if (X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253) < 0) {
    return {};
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

struct Server::Impl {
  Impl(ServerConfig c, std::shared_ptr<const Router> r, std::shared_ptr<Metrics> m, ServerHooks h)
      : cfg(std::move(c)),
        router(std::move(r)),
        metrics(std::move(m)),
        hooks(std::move(h)),
        iocs(make_contexts(cfg.io_threads)),
        ioc(*iocs.front()),
        pool(static_cast<std::size_t>(std::max(1, cfg.worker_threads))),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {
    for (auto& c : iocs) guards.emplace_back(asio::make_work_guard(*c));
    std::random_device rd;
    node_prefix = fmt::format("{:08x}", rd());
    not_found_metrics = &metrics->route("(unmatched)");
  }

  ServerConfig cfg;
  std::shared_ptr<const Router> router;
  std::shared_ptr<Metrics> metrics;
  ServerHooks hooks;
  // One io_context per I/O thread, each run by exactly that thread (like nginx workers):
  // a connection lives on one context, so it needs no strand and no cross-thread wake-ups.
  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int n) {
    std::vector<std::unique_ptr<asio::io_context>> v;
    for (int i = 0; i < std::max(1, n); ++i) v.push_back(std::make_unique<asio::io_context>(1));
    return v;
  }
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  asio::io_context& ioc;  // the first context: acceptor, signals, timers
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::size_t next_context = 0;
  asio::thread_pool pool;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  std::string node_prefix;
  std::atomic<std::uint64_t> seq{0};
  Metrics::RouteMetrics* not_found_metrics = nullptr;
  std::mutex route_metrics_mu;
  std::unordered_map<const Route*, Metrics::RouteMetrics*> route_metrics;

  std::mutex conns_mu;
  std::unordered_map<std::uint64_t, std::weak_ptr<Conn>> conns;
  std::uint64_t next_conn = 0;
  std::vector<std::unique_ptr<asio::steady_timer>> timers;
  std::unique_ptr<ssl::context> tls;  // set by listen() when the config names a certificate

  Metrics::RouteMetrics& metrics_for(const Route* route) {
    if (!route) return *not_found_metrics;
    std::lock_guard lock(route_metrics_mu);
    auto it = route_metrics.find(route);
    if (it != route_metrics.end()) return *it->second;
    auto* m = &metrics->route(route->options.name);
    route_metrics.emplace(route, m);
    return *m;
  }

  Response error_response(ErrorKind kind, std::string code, std::string message,
                          const Request& req) {
    return hooks.render_error(make_error(kind, std::move(code), std::move(message)), req);
  }

  Response call_handler(const Route& route, Request& req) {
    try {
      return route.handler(req);
    } catch (const std::exception& e) {
      if (hooks.internal_error) hooks.internal_error(req.request_id, e.what());
    } catch (...) {
      if (hooks.internal_error) hooks.internal_error(req.request_id, "unknown exception");
    }
    return hooks.render_error(make_error(ErrorKind::internal, "internal", "handler failed"), req);
  }

  // Runs a blocking handler on the worker pool and resumes on the connection's thread.
  asio::awaitable<Response> run_blocking(const Route& route, Request& req) {
    co_return co_await asio::co_spawn(
        pool, [&]() -> asio::awaitable<Response> { co_return call_handler(route, req); },
        asio::use_awaitable);
  }

  template <class Stream>
  asio::awaitable<void> write_response(ConnOf<Stream>& c, const Request& req, Response& res,
                                       bool keep_alive, bool head) {
    bhttp::response<bhttp::span_body<const char>> out{static_cast<bhttp::status>(res.status), 11};
    out.set(bhttp::field::date, http_date());
    out.set(bhttp::field::content_type, res.content_type);
    bool has_csp = false, has_cache = false;
    for (const auto& [k, v] : res.headers) {
      if (iequals(k, "Content-Security-Policy")) has_csp = true;
      if (iequals(k, "Cache-Control")) has_cache = true;
      out.insert(k, v);
    }
    for (const auto& [k, v] : kSecurityHeaders) out.set(k, v);
    if (!has_csp) out.set("Content-Security-Policy", kDefaultCsp);
    // Personal data flows through this server: nothing is cacheable unless a handler says so.
    if (!has_cache) out.set(bhttp::field::cache_control, "no-store");
    out.set("X-Request-Id", req.request_id);
    auto body = res.body_view();
    const bool no_body = res.status == 304 || res.status == 204 || res.status < 200;
    if (no_body) {
      out.body() = {};
    } else {
      out.content_length(body.size());
      if (!head) out.body() = boost::span<const char>(body.data(), body.size());
    }
    out.keep_alive(keep_alive);
    bhttp::response_serializer<bhttp::span_body<const char>> sr{out};
    if (head) sr.split(true);
    if (head) {
      co_await bhttp::async_write_header(c.stream, sr, kTuple);
    } else {
      co_await bhttp::async_write(c.stream, sr, kTuple);
    }
  }

  template <class Stream>
  asio::awaitable<void> session(std::shared_ptr<ConnOf<Stream>> conn) {
    constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    ConnOf<Stream>& c = *conn;
    beast::flat_buffer buffer;
    beast::error_code ec_ep;
    const auto remote = c.tcp().socket().remote_endpoint(ec_ep);
    const std::string remote_addr = ec_ep ? std::string() : remote.address().to_string();
    std::string client_subject;
    if constexpr (kTls) {
      c.tcp().expires_after(cfg.request_timeout);
      auto [hec] = co_await c.stream.async_handshake(ssl::stream_base::server, kTuple);
      if (hec) {
        c.tcp().close();
        co_return;
      }
      client_subject = verified_peer_subject(c.stream.native_handle());
    }

    for (;;) {
      c.busy = false;
      if (stopping.load() && buffer.size() == 0 && !request_waiting(c)) break;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(cfg.max_header_bytes));
      // No body limit while the header is read: Beast's default (1 MiB) would fail a
      // larger Content-Length before the route is known. The route's own max_body is
      // checked against Content-Length below and set before the body is read.
      parser.body_limit(boost::none);
      c.tcp().expires_after(cfg.idle_timeout);
      auto [ec, n] = co_await bhttp::async_read_header(c.stream, buffer, parser, kTuple);
      (void)n;
      Request req;
      req.remote = remote_addr;
      req.tls = kTls;
      req.client_cert_subject = client_subject;
      req.request_id =
          fmt::format("{}-{:x}", node_prefix, seq.fetch_add(1, std::memory_order_relaxed));
      if (ec) {
        // Closed, timed out or cancelled while idle: nothing to answer.
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
            ec == asio::error::eof || buffer.size() == 0) {
          break;
        }
        c.busy = true;
        Response res =
            ec == bhttp::error::header_limit
                ? error_response(ErrorKind::too_large, "header_too_large", "请求头过大", req)
                : error_response(ErrorKind::invalid_input, "bad_request", "请求格式错误", req);
        if (ec == bhttp::error::header_limit) res.status = 431;
        c.tcp().expires_after(cfg.request_timeout);
        co_await write_response(c, req, res, false, false);
        Metrics::record(*not_found_metrics, res.status, 0);
        break;
      }
      c.busy = true;
      const auto started = Clock::now();
      c.tcp().expires_after(cfg.request_timeout);
      auto& hdr = parser.get();
      req.method = std::string(hdr.method_string());
      req.target = std::string(hdr.target());
      std::size_t header_bytes = req.target.size();
      for (const auto& f : hdr) {
        req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        header_bytes += f.name_string().size() + f.value().size() + 4;
      }
      const bool head = req.method == "HEAD";

      Response res;
      bool must_close = false;
      const Route* route = nullptr;
      auto parsed = boost::urls::parse_origin_form(req.target);
      if (!parsed) {
        res = error_response(ErrorKind::invalid_input, "bad_target", "请求地址格式错误", req);
        must_close = !parser.is_done();
      } else {
        req.path = parsed->path();
        for (auto p : parsed->params()) req.query.emplace_back(p.key, p.value);
        auto m = router->match(req.method, req.path);
        route = m.route;
        const RouteOptions& opts = route ? route->options : router->fallback();
        const auto length = parser.content_length();
        if (parser.chunked() && !opts.streaming) {
          res = error_response(ErrorKind::invalid_input, "length_required",
                               "此地址不接受分块传输，请提供 Content-Length", req);
          res.status = 411;
          must_close = true;
        } else if (length && *length > opts.max_body) {
          res = error_response(ErrorKind::too_large, "body_too_large",
                               "请求内容超过此地址允许的大小", req);
          must_close = true;
        } else if (header_bytes > opts.max_header) {
          res = error_response(ErrorKind::too_large, "header_too_large", "请求头过大", req);
          res.status = 431;
          must_close = !parser.is_done();
        } else {
          bool body_ok = true;
          if (!parser.is_done()) {
            auto expect = hdr[bhttp::field::expect];
            if (beast::iequals(expect, "100-continue")) {
              bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
              co_await bhttp::async_write(c.stream, cont, kTuple);
            }
            parser.body_limit(opts.max_body);
            auto [ec2, n2] = co_await bhttp::async_read(c.stream, buffer, parser, kTuple);
            (void)n2;
            if (ec2) {
              body_ok = false;
              must_close = true;
              if (ec2 == bhttp::error::body_limit) {
                res = error_response(ErrorKind::too_large, "body_too_large",
                                     "请求内容超过此地址允许的大小", req);
              } else if (ec2 == beast::error::timeout || ec2 == asio::error::eof ||
                         ec2 == bhttp::error::partial_message ||
                         ec2 == asio::error::connection_reset) {
                break;  // the client went away or stalled: nobody to answer
              } else {
                res = error_response(ErrorKind::invalid_input, "bad_request", "请求格式错误", req);
              }
            }
          }
          if (body_ok) {
            req.body = std::move(parser.get().body());
            if (!route) {
              if (m.method_mismatch) {
                res = error_response(ErrorKind::invalid_input, "method_not_allowed",
                                     "不支持此请求方法", req);
                res.status = 405;
              } else {
                res = error_response(ErrorKind::not_found, "not_found", "页面不存在", req);
              }
            } else {
              for (auto& [k, v] : m.params) req.params.emplace(std::move(k), std::move(v));
              std::optional<Response> fast;
              if (opts.fast) fast = opts.fast(req);
              if (fast) {
                res = std::move(*fast);
              } else {
                res = co_await run_blocking(*route, req);
              }
            }
          }
        }
      }

      const bool keep_alive = !must_close && hdr.keep_alive() && !stopping.load();
      co_await write_response(c, req, res, keep_alive, head);
      const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
      auto& rm = metrics_for(route);
      Metrics::record(rm, res.status, seconds);
      if (hooks.access_log) {
        hooks.access_log(AccessRecord{req, res.status, res.body_view().size(), seconds, rm.name});
      }
      if (!keep_alive) break;
    }
    if constexpr (kTls) {
      // close_notify, bounded: a peer that never answers must not hold the connection.
      c.tcp().expires_after(std::chrono::seconds(1));
      co_await c.stream.async_shutdown(kTuple);
    }
    beast::error_code ignored;
    c.tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    c.tcp().close();
  }

  asio::awaitable<void> reject(tcp::socket socket) {
    static constexpr std::string_view kBusy =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
        "89\r\n"
        "Connection: close\r\nRetry-After: 1\r\n\r\n"
        "{\"error\":{\"code\":\"too_many_connections\",\"message\":\"服务器繁忙，请稍后重试\"}}";
    co_await asio::async_write(socket, asio::buffer(kBusy.data(), kBusy.size()), kTuple);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto& target = *iocs[next_context++ % iocs.size()];
      auto [ec, socket] = co_await acceptor.async_accept(target, kTuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (metrics->open_connections.load() >= cfg.max_connections) {
        metrics->rejected_connections.fetch_add(1);
        auto ex = socket.get_executor();
        asio::co_spawn(ex, reject(std::move(socket)), asio::detached);
        continue;
      }
      if (tls) {
        start(std::make_shared<ConnOf<TlsStream>>(std::move(socket), *tls));
      } else {
        start(std::make_shared<ConnOf<beast::tcp_stream>>(std::move(socket)));
      }
    }
  }

  template <class Stream>
  void start(std::shared_ptr<ConnOf<Stream>> conn) {
    std::uint64_t id;
    {
      std::lock_guard lock(conns_mu);
      id = next_conn++;
      conns.emplace(id, conn);
    }
    metrics->open_connections.fetch_add(1);
    auto ex = conn->tcp().get_executor();
    asio::co_spawn(ex, session(conn), [this, id, conn](std::exception_ptr) {
      metrics->open_connections.fetch_sub(1);
      std::lock_guard lock(conns_mu);
      conns.erase(id);
    });
  }

  // The TLS context of the config: TLS 1.2 or later, the certificate chain and key, and
  // (optionally) the CA bundle that client certificates are checked against.
  Result<void> make_tls() {
    if (cfg.tls_cert_file.empty() && cfg.tls_key_file.empty()) {
      if (!cfg.client_ca_file.empty()) {
        return make_error(ErrorKind::invalid_input, "tls_config",
                          "客户端证书需要先配置服务器证书和私钥", "client_ca");
      }
      return ok_result();
    }
    const auto fail = [](const std::string& what, const beast::error_code& ec) {
      return make_error(ErrorKind::invalid_input, "tls_config",
                        fmt::format("TLS 配置无效 ({}): {}", what, ec.message()), "tls");
    };
    if (cfg.tls_cert_file.empty() || cfg.tls_key_file.empty()) {
      return make_error(ErrorKind::invalid_input, "tls_config", "TLS 需要同时提供证书和私钥",
                        "tls");
    }
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    beast::error_code ec;
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                     ec);
    if (ec) return fail("options", ec);
    ctx->use_certificate_chain_file(cfg.tls_cert_file, ec);
    if (ec) return fail(cfg.tls_cert_file, ec);
    ctx->use_private_key_file(cfg.tls_key_file, ssl::context::pem, ec);
    if (ec) return fail(cfg.tls_key_file, ec);
    if (!cfg.client_ca_file.empty()) {
      ctx->load_verify_file(cfg.client_ca_file, ec);
      if (ec) return fail(cfg.client_ca_file, ec);
      // Tell clients which issuers we accept, so they pick the right certificate.
      if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(cfg.client_ca_file.c_str())) {
        SSL_CTX_set_client_CA_list(ctx->native_handle(), names);
      }
      // Ask for a certificate without requiring one; accept any during the handshake and
      // judge it afterwards (verified_peer_subject), so a missing or foreign certificate
      // reaches the application as "no certificate" instead of a handshake failure.
      ctx->set_verify_mode(ssl::verify_peer, ec);
      if (ec) return fail("verify", ec);
      ctx->set_verify_callback([](bool, ssl::verify_context&) { return true; }, ec);
      if (ec) return fail("verify", ec);
    }
    tls = std::move(ctx);
    return ok_result();
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    for (auto& t : timers) t->cancel();
    // Idle keep-alive connections are closed now; busy ones close after their response,
    // and so do those whose next request already waits in the socket: the client sent it
    // before the stop, so it is answered (with Connection: close) like one in progress.
    std::vector<std::shared_ptr<Conn>> live;
    {
      std::lock_guard lock(conns_mu);
      for (auto& [id, w] : conns) {
        if (auto c = w.lock()) live.push_back(std::move(c));
      }
    }
    for (auto& c : live) {
      asio::post(c->tcp().get_executor(), [c] {
        if (!c->busy && !request_waiting(*c)) c->tcp().socket().cancel();
      });
    }
    auto deadline = Clock::now() + cfg.shutdown_grace;
    auto timer = std::make_shared<asio::steady_timer>(ioc);
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [this, timer, deadline, poll] {
      if (metrics->open_connections.load() == 0 || Clock::now() >= deadline) {
        guards.clear();
        for (auto& c : iocs) c->stop();
        *poll = nullptr;  // break the self-reference
        return;
      }
      timer->expires_after(std::chrono::milliseconds(20));
      timer->async_wait([poll](beast::error_code) {
        if (*poll) (*poll)();
      });
    };
    (*poll)();
  }
};

Server::Server(ServerConfig config, std::shared_ptr<const Router> router,
               std::shared_ptr<Metrics> metrics, ServerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(router), std::move(metrics),
                                   std::move(hooks))) {}

Server::~Server() {
  impl_->pool.stop();
  impl_->pool.join();
}

Result<void> Server::listen() {
  auto& im = *impl_;
  SHENPI_TRY(im.make_tls());
  beast::error_code ec;
  auto address = asio::ip::make_address(im.cfg.host, ec);
  if (ec)
    return make_error(ErrorKind::invalid_input, "bad_listen", "监听地址无效: " + im.cfg.host,
                      "listen");
  tcp::endpoint ep{address, im.cfg.port};
  im.acceptor.open(ep.protocol(), ec);
  if (!ec) im.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) im.acceptor.bind(ep, ec);
  if (!ec) im.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(ErrorKind::unavailable, "listen_failed",
                      fmt::format("无法监听 {}:{}: {}", im.cfg.host, im.cfg.port, ec.message()),
                      "listen");
  }
  return ok_result();
}

std::uint16_t Server::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::every(std::chrono::milliseconds period, std::function<void()> fn) {
  auto& im = *impl_;
  im.timers.push_back(std::make_unique<asio::steady_timer>(im.ioc));
  auto* timer = im.timers.back().get();
  auto running = std::make_shared<std::atomic<bool>>(false);
  auto tick = std::make_shared<std::function<void(beast::error_code)>>();
  *tick = [this, timer, period, fn = std::move(fn), running, tick](beast::error_code ec) {
    if (ec || impl_->stopping.load()) {
      *tick = nullptr;
      return;
    }
    // Never overlap two runs of the same job; a slow run just skips a beat.
    if (!running->exchange(true)) {
      asio::post(impl_->pool, [fn, running] {
        fn();
        running->store(false);
      });
    }
    timer->expires_after(period);
    timer->async_wait([tick](beast::error_code e) {
      if (*tick) (*tick)(e);
    });
  };
  timer->expires_after(period);
  timer->async_wait([tick](beast::error_code e) {
    if (*tick) (*tick)(e);
  });
}

void Server::run() {
  auto& im = *impl_;
  im.signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->begin_stop();
  });
  asio::co_spawn(im.ioc, im.accept_loop(), asio::detached);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < im.iocs.size(); ++i) {
    threads.emplace_back([&im, i] { im.iocs[i]->run(); });
  }
  im.ioc.run();
  for (auto& t : threads) t.join();
  im.pool.wait();
}

void Server::stop() {
  asio::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

}  // namespace shenpi::http
