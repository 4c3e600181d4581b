#pragma once
// Shenpi's own small HTTP request and response types. Only src/http/server*.cpp sees
// Beast; handlers and pages compile against these.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shenpi::http {

//! ASCII case-insensitive comparison for header names.
bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  //!< "GET", "POST", …
  std::string target;  //!< as received, e.g. "/items/X?a=1"
  std::string path;    //!< percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;    //!< decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  //!< as received
  std::map<std::string, std::string, std::less<>> params;    //!< from the route pattern
  std::string body;
  std::string remote;      //!< peer address
  std::string request_id;  //!< assigned by the server, echoed as X-Request-Id
  bool tls = false;        //!< arrived over TLS (cookies then carry Secure)
  //! Subject (RFC 2253 one-line, e.g. "CN=Li Lei,O=Chaozhou") of the client certificate
  //! when one was presented and verified against the configured CA bundle; else empty.
  std::string client_cert_subject;

  //! First header with that name (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
  //! First query parameter with that name, or nullopt.
  std::optional<std::string_view> query_param(std::string_view name) const;
  //! The route parameter (e.g. {code}); empty when absent.
  std::string_view param(std::string_view name) const;
  //! True when the Accept header prefers HTML over JSON (browsers).
  bool wants_html() const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  //!< extra headers
  std::string body;
  //! When set, sent instead of body without copying (cached pages, PDFs).
  std::shared_ptr<const std::string> shared_body;

  std::string_view body_view() const { return shared_body ? std::string_view(*shared_body) : body; }
  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static Response text(int status, std::string body);
  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
  static Response redirect(std::string location, int status = 303);
};

}  // namespace shenpi::http
