#pragma once
// multipart/form-data bodies (RFC 7578 over the MIME rules of RFC 2046 §5.1), parsed
// strictly from a body already read whole (the route's max_body bounds it). Used by the
// upload API; safe on any input: every malformed body is an invalid_input error, never a
// crash, a hang or a read outside the body (tests/fuzz drives it with random bytes).
//
// What is accepted: a boundary of 1–70 characters from the RFC 2046 set; an optional
// preamble; delimiters "--boundary" at the start of the body or after CRLF, followed by
// optional blanks and CRLF; per part, header lines ending in CRLF (no bare LF, no folding,
// no NUL), a Content-Disposition "form-data" with a name and optionally a filename
// (filename*=UTF-8''… wins over filename, RFC 6266 §4.3), an optional Content-Type, and
// a Content-Transfer-Encoding only if it is 7bit, 8bit or binary; the close delimiter
// "--boundary--" and an ignored epilogue.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace shenpi::http {

struct MultipartPart {
  std::string name;           //!< the form field name
  std::string filename;       //!< as sent (may hold a path or anything else); "" when none
  bool has_filename = false;  //!< the part is a file (filename or filename* present)
  std::string content_type;   //!< as sent, trimmed; "" when absent
  //! The content: a view into the body passed to parse_multipart, valid while it lives.
  std::string_view body;
};

struct MultipartLimits {
  std::size_t max_parts = 16;
  std::size_t max_part_header_bytes = 4096;  //!< all header lines of one part together
  std::size_t max_headers_per_part = 8;
};

//! The boundary parameter of a Content-Type "multipart/form-data; boundary=…" (token or
//! quoted). invalid_input "not_multipart" when the media type is another one,
//! "bad_boundary" when the boundary is missing, repeated, empty, longer than 70
//! characters or has characters RFC 2046 does not allow.
Result<std::string> multipart_boundary(std::string_view content_type);

//! The parts of `body`, in order. invalid_input, with codes:
//!   "multipart_no_delimiter"   no opening delimiter;
//!   "multipart_truncated"      the close delimiter is missing;
//!   "multipart_bad_delimiter"  a delimiter line followed by other text;
//!   "multipart_too_many_parts" more than limits.max_parts parts;
//!   "multipart_header_too_large" a part's headers beyond the limits;
//!   "multipart_bad_header"     a malformed header line or an unsupported transfer encoding;
//!   "multipart_bad_disposition" Content-Disposition missing, repeated, not form-data,
//!                              without a name, or with a malformed or repeated parameter.
//!   "multipart_empty"          no part at all.
Result<std::vector<MultipartPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                   const MultipartLimits& limits = {});

//! The request's body as multipart/form-data (boundary from its Content-Type). The parts'
//! bodies point into req.body.
Result<std::vector<MultipartPart>> multipart_body(const Request& req,
                                                  const MultipartLimits& limits = {});

}  // namespace shenpi::http
