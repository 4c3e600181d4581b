// multipart/form-data as browsers and hostile clients send it: a table of good bodies
// with the parts they must give, a table of malformed ones with the error each must get,
// and a deterministic mutation run that must never crash or return anything but
// invalid_input.
#include "http/multipart.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace shenpi::http {
namespace {

constexpr const char* kB = "----WebKitFormBoundaryAbC123";

// "--boundary" + CRLF + lines joined by CRLF… : a body from its lines.
std::string lines(std::initializer_list<std::string> ls) {
  std::string out;
  bool first = true;
  for (const std::string& l : ls) {
    if (!first) out += "\r\n";
    out += l;
    first = false;
  }
  return out;
}

const std::string kDelim = std::string("--") + kB;
const std::string kClose = kDelim + "--";
const std::string kFileHeader =
    "Content-Disposition: form-data; name=\"file\"; filename=\"营业执照.pdf\"";

struct Expected {
  std::string name;
  std::string filename;
  bool has_filename;
  std::string content_type;
  std::string body;
};

struct GoodCase {
  std::string what;
  std::string body;
  std::vector<Expected> parts;
};

TEST(Multipart, GoodBodies) {
  const std::string binary("%PDF\0\r\n\r--x\n\xFF", 13);
  const std::vector<GoodCase> cases = {
      {"one file, as a browser sends it",
       lines({kDelim, kFileHeader, "Content-Type: application/pdf", "", "%PDF-1.4 …", kClose, ""}),
       {{"file", "营业执照.pdf", true, "application/pdf", "%PDF-1.4 …"}}},
      {"a text field and a file",
       lines({kDelim, "Content-Disposition: form-data; name=\"note\"", "", "说明", kDelim,
              kFileHeader, "", "abc", kClose}),
       {{"note", "", false, "", "说明"}, {"file", "营业执照.pdf", true, "", "abc"}}},
      {"binary content with NUL, CR, LF and a look-alike delimiter",
       lines({kDelim, kFileHeader, "", binary + "\r\n--" + std::string(kB).substr(0, 10) + "x",
              kClose}),
       {{"file", "营业执照.pdf", true, "",
         binary + "\r\n--" + std::string(kB).substr(0, 10) + "x"}}},
      {"the boundary inside a line, not after CRLF",
       lines({kDelim, kFileHeader, "", "a" + kDelim + "b", kClose}),
       {{"file", "营业执照.pdf", true, "", "a" + kDelim + "b"}}},
      {"a preamble and an epilogue",
       lines({"preamble text", kDelim, kFileHeader, "", "x", kClose, "epilogue", ""}),
       {{"file", "营业执照.pdf", true, "", "x"}}},
      {"an empty part body",
       lines({kDelim, kFileHeader, "", "", kClose}),
       {{"file", "营业执照.pdf", true, "", ""}}},
      {"a part without a body section",
       lines({kDelim, kFileHeader, "", kClose}),
       {{"file", "营业执照.pdf", true, "", ""}}},
      {"an empty filename (no file chosen)",
       lines({kDelim, "Content-Disposition: form-data; name=\"file\"; filename=\"\"",
              "Content-Type: application/octet-stream", "", "", kClose}),
       {{"file", "", true, "application/octet-stream", ""}}},
      {"filename* wins over filename",
       lines({kDelim,
              "Content-Disposition: form-data; name=\"file\"; filename=\"fallback.pdf\"; "
              "filename*=UTF-8''%E8%90%A5%E4%B8%9A%20a.pdf",
              "", "x", kClose}),
       {{"file", "营业 a.pdf", true, "", "x"}}},
      {"filename* with a language tag and lower-case charset",
       lines({kDelim, "Content-Disposition: form-data; name=file; filename*=utf-8'zh'%E7%94%B3.png",
              "", "x", kClose}),
       {{"file", "申.png", true, "", "x"}}},
      {"quoted-pair escapes in a filename",
       lines({kDelim, R"(Content-Disposition: form-data; name="file"; filename="a\"b\\c.pdf")", "",
              "x", kClose}),
       {{"file", "a\"b\\c.pdf", true, "", "x"}}},
      {"backslashes of a Windows path are kept (browsers do not escape them)",
       lines({kDelim,
              R"(Content-Disposition: form-data; name="file"; filename="C:\Users\张三\a.pdf")", "",
              "x", kClose}),
       {{"file", R"(C:\Users\张三\a.pdf)", true, "", "x"}}},
      {"a path and a semicolon in a quoted filename",
       lines({kDelim, R"(Content-Disposition: form-data; name="file"; filename="../../a;b.pdf")",
              "", "x", kClose}),
       {{"file", "../../a;b.pdf", true, "", "x"}}},
      {"header names and disposition type in any case, blanks around parameters",
       lines({kDelim, "CONTENT-DISPOSITION:Form-Data ;  NAME = \"file\" ; FileName=\"x.png\" ;",
              "content-type:   image/png  ", "", "x", kClose}),
       {{"file", "x.png", true, "image/png", "x"}}},
      {"unknown headers are ignored; binary transfer encoding is allowed",
       lines({kDelim, kFileHeader, "X-Whatever: 1", "Content-Transfer-Encoding: binary", "", "x",
              kClose}),
       {{"file", "营业执照.pdf", true, "", "x"}}},
      {"transport padding after a delimiter",
       lines({kDelim + " \t", kFileHeader, "", "x", kClose}),
       {{"file", "营业执照.pdf", true, "", "x"}}},
      {"no CRLF after the close delimiter",
       lines({kDelim, kFileHeader, "", "x", kClose}),
       {{"file", "营业执照.pdf", true, "", "x"}}},
  };
  for (const GoodCase& c : cases) {
    const auto r = parse_multipart(c.body, kB);
    ASSERT_TRUE(r.ok()) << c.what << ": " << r.error().code << " " << r.error().message;
    ASSERT_EQ(r->size(), c.parts.size()) << c.what;
    for (std::size_t i = 0; i < c.parts.size(); ++i) {
      const MultipartPart& got = (*r)[i];
      const Expected& want = c.parts[i];
      EXPECT_EQ(got.name, want.name) << c.what;
      EXPECT_EQ(got.filename, want.filename) << c.what;
      EXPECT_EQ(got.has_filename, want.has_filename) << c.what;
      EXPECT_EQ(got.content_type, want.content_type) << c.what;
      EXPECT_EQ(std::string(got.body), want.body) << c.what;
    }
  }
}

struct BadCase {
  std::string what;
  std::string body;
  std::string code;
};

TEST(Multipart, MalformedBodies) {
  const std::vector<BadCase> cases = {
      {"an empty body", "", "multipart_no_delimiter"},
      {"no delimiter at all", "just some text\r\n", "multipart_no_delimiter"},
      {"a header line right before the close delimiter", lines({kDelim, kFileHeader, kClose}),
       "multipart_truncated"},
      {"another boundary", lines({"--other", kFileHeader, "", "x", "--other--"}),
       "multipart_no_delimiter"},
      {"only the close delimiter", kClose + "\r\n", "multipart_empty"},
      {"no close delimiter", lines({kDelim, kFileHeader, "", "x"}), "multipart_truncated"},
      {"cut off after a delimiter", kDelim, "multipart_truncated"},
      {"cut off in the headers", kDelim + "\r\nContent-Disposition: form-da",
       "multipart_truncated"},
      {"cut off after the headers", lines({kDelim, kFileHeader, ""}), "multipart_truncated"},
      {"bare LF after the delimiter", kDelim + "\n" + kFileHeader + "\r\n\r\nx\r\n" + kClose,
       "multipart_bad_delimiter"},
      {"text after a delimiter", lines({kDelim + "junk", kFileHeader, "", "x", kClose}),
       "multipart_bad_delimiter"},
      {"a longer boundary inside the content",
       lines({kDelim, kFileHeader, "", "x", kDelim + "X", "", kClose}), "multipart_bad_delimiter"},
      {"bare LF inside the headers", lines({kDelim, kFileHeader + "\nX-Evil: 1", "", "x", kClose}),
       "multipart_bad_header"},
      {"a folded header", lines({kDelim, kFileHeader, " folded", "", "x", kClose}),
       "multipart_bad_header"},
      {"a NUL in a header",
       lines({kDelim, kFileHeader, std::string("X-A: a\0b", 8), "", "x", kClose}),
       "multipart_bad_header"},
      {"a header without a colon", lines({kDelim, kFileHeader, "Nonsense", "", "x", kClose}),
       "multipart_bad_header"},
      {"a header name with a space",
       lines({kDelim, "Content Type: x", kFileHeader, "", "x", kClose}), "multipart_bad_header"},
      {"base64 transfer encoding",
       lines({kDelim, kFileHeader, "Content-Transfer-Encoding: base64", "", "eA==", kClose}),
       "multipart_bad_header"},
      {"two Content-Types",
       lines({kDelim, kFileHeader, "Content-Type: a/b", "Content-Type: c/d", "", "x", kClose}),
       "multipart_bad_header"},
      {"no Content-Disposition", lines({kDelim, "Content-Type: a/b", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"no headers at all", lines({kDelim, "", "x", kClose}), "multipart_bad_disposition"},
      {"two Content-Dispositions", lines({kDelim, kFileHeader, kFileHeader, "", "x", kClose}),
       "multipart_bad_disposition"},
      {"disposition attachment",
       lines({kDelim, "Content-Disposition: attachment; name=\"file\"", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"no name",
       lines({kDelim, "Content-Disposition: form-data; filename=\"a.pdf\"", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"an empty name",
       lines({kDelim, "Content-Disposition: form-data; name=\"\"", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"a repeated name",
       lines(
           {kDelim, "Content-Disposition: form-data; name=\"a\"; name=\"file\"", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"a repeated filename",
       lines({kDelim, "Content-Disposition: form-data; name=file; filename=a; filename=b", "", "x",
              kClose}),
       "multipart_bad_disposition"},
      {"an unterminated quote",
       lines({kDelim, "Content-Disposition: form-data; name=\"file", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"a parameter without a value",
       lines({kDelim, "Content-Disposition: form-data; name", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"a parameter without a semicolon",
       lines({kDelim, "Content-Disposition: form-data name=file", "", "x", kClose}),
       "multipart_bad_disposition"},
      {"filename* in another charset",
       lines({kDelim, "Content-Disposition: form-data; name=file; filename*=ISO-8859-1''%E9.pdf",
              "", "x", kClose}),
       "multipart_bad_disposition"},
      {"filename* with a bad escape",
       lines({kDelim, "Content-Disposition: form-data; name=file; filename*=UTF-8''%E.pdf", "", "x",
              kClose}),
       "multipart_bad_disposition"},
      {"filename* without quotes",
       lines(
           {kDelim, "Content-Disposition: form-data; name=file; filename*=a.pdf", "", "x", kClose}),
       "multipart_bad_disposition"},
  };
  for (const BadCase& c : cases) {
    const auto r = parse_multipart(c.body, kB);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().code, c.code) << c.what << ": " << r.error().message;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.what;
  }
}

TEST(Multipart, LimitsOnPartsAndHeaders) {
  std::string three;
  for (int i = 0; i < 3; ++i) {
    three += kDelim + "\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
             "\"\r\n\r\nx\r\n";
  }
  three += kClose;
  MultipartLimits two_parts;
  two_parts.max_parts = 2;
  EXPECT_EQ(parse_multipart(three, kB, two_parts).error().code, "multipart_too_many_parts");
  EXPECT_TRUE(parse_multipart(three, kB).ok());

  const std::string big_header =
      lines({kDelim, kFileHeader, "X-Pad: " + std::string(5000, 'a'), "", "x", kClose});
  EXPECT_EQ(parse_multipart(big_header, kB).error().code, "multipart_header_too_large");
  const std::string endless_header = kDelim + "\r\nX-Pad: " + std::string(100000, 'a');
  EXPECT_EQ(parse_multipart(endless_header, kB).error().code, "multipart_header_too_large");

  std::string body = kDelim + "\r\n" + kFileHeader + "\r\n";
  for (int i = 0; i < 9; ++i) body += "X-" + std::to_string(i) + ": 1\r\n";
  body += "\r\nx\r\n" + kClose;
  EXPECT_EQ(parse_multipart(body, kB).error().code, "multipart_header_too_large");
}

struct BoundaryCase {
  std::string content_type;
  std::string expect;  //!< the boundary, or the error code
};

TEST(Multipart, BoundaryFromContentType) {
  const std::vector<BoundaryCase> cases = {
      {"multipart/form-data; boundary=----WebKitFormBoundaryAbC123",
       "----WebKitFormBoundaryAbC123"},
      {"Multipart/Form-Data;boundary=\"a b:c\"", "a b:c"},
      {"multipart/form-data; charset=utf-8; BOUNDARY=xyz", "xyz"},
      {"multipart/form-data; boundary=" + std::string(70, 'b'), std::string(70, 'b')},
      {"application/json", "not_multipart"},
      {"", "not_multipart"},
      {"multipart/mixed; boundary=x", "not_multipart"},
      {"multipart/form-data", "bad_boundary"},
      {"multipart/form-data; boundary=", "bad_boundary"},
      {"multipart/form-data; boundary=\"\"", "bad_boundary"},
      {"multipart/form-data; boundary=" + std::string(71, 'b'), "bad_boundary"},
      {"multipart/form-data; boundary=a; boundary=b", "bad_boundary"},
      {"multipart/form-data; boundary=\"ends with blank \"", "bad_boundary"},
      {"multipart/form-data; boundary=a@b", "bad_boundary"},
      {"multipart/form-data; boundary=\"a\r\nb\"", "bad_boundary"},
  };
  for (const BoundaryCase& c : cases) {
    const auto r = multipart_boundary(c.content_type);
    EXPECT_EQ(r.ok() ? *r : r.error().code, c.expect) << c.content_type;
  }
}

TEST(Multipart, FromARequest) {
  Request req;
  req.headers.emplace_back("Content-Type", std::string("multipart/form-data; boundary=") + kB);
  req.body = lines({kDelim, kFileHeader, "", "abc", kClose});
  const auto r = multipart_body(req);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].body, "abc");
  EXPECT_EQ((*r)[0].body.data(), req.body.data() + req.body.find("abc")) << "a view, not a copy";
}

// A small deterministic generator, so a failure can be replayed.
struct Lcg {
  std::uint64_t state;
  std::uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  }
};

TEST(Multipart, MutatedBodiesNeverCrash) {
  const std::string seed =
      lines({"pre", kDelim, "Content-Disposition: form-data; name=\"note\"", "", "说明", kDelim,
             kFileHeader, "Content-Type: application/pdf", "", "%PDF-1.4\r\n%%EOF", kClose, "epi"});
  const std::string alphabet = std::string("\r\n-\"';=:\\% \0\xFF", 14) + kB;
  Lcg rng{42};
  for (int round = 0; round < 20000; ++round) {
    std::string body = seed;
    const int edits = 1 + static_cast<int>(rng.next() % 6);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = rng.next() % body.size();
      switch (rng.next() % 4) {
        case 0:
          body[at] = alphabet[rng.next() % alphabet.size()];
          break;
        case 1:
          body.erase(at, 1 + rng.next() % 8);
          break;
        case 2:
          body.insert(at, 1, alphabet[rng.next() % alphabet.size()]);
          break;
        default:
          body.resize(at);
          break;
      }
    }
    const auto r = parse_multipart(body, kB);
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << round;
      continue;
    }
    for (const MultipartPart& p : *r) {
      // Every part's content lies inside the body it came from.
      EXPECT_GE(p.body.data(), body.data());
      EXPECT_LE(p.body.data() + p.body.size(), body.data() + body.size());
      EXPECT_FALSE(p.name.empty());
    }
  }
}

}  // namespace
}  // namespace shenpi::http
