// Inputs the libFuzzer harnesses of tests/fuzz found to misbehave, kept as ordinary unit
// tests so that every build (not only the clang fuzz build) checks them. Each case names
// the harness and the saved input under tests/fuzz/regressions/.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/form.h"

namespace shenpi::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// form_post_fuzz, regressions/form_post_fuzz/parse_query_overread: parse_form read past
// the end of a view that was not NUL-terminated (Boost.URL 1.81 parse_query rebuilds its
// input from data() up to the next NUL), so the fields came from bytes it was not given.
struct ViewCase {
  std::string buffer;     // what lies in memory
  std::size_t view_size;  // how much of it is the body
  Fields expected;
};

class FormViewTest : public ::testing::TestWithParam<ViewCase> {};

TEST_P(FormViewTest, ParsesOnlyTheBytesOfTheView) {
  const ViewCase& c = GetParam();
  const std::string_view body(c.buffer.data(), c.view_size);
  Result<Form> form = parse_form(body);
  ASSERT_TRUE(form.ok()) << form.error().code;
  EXPECT_EQ(form->fields, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    FuzzRegression, FormViewTest,
    ::testing::Values(
        // The fuzzer's input: "namekind=a" cut before its last byte.
        ViewCase{"namekind=a", 9, {{"namekind", ""}}},
        // A body followed in memory by more fields: they are not part of the form.
        ViewCase{"a=1&b=2&c=345&admin=1", 11, {{"a", "1"}, {"b", "2"}, {"c", "3"}}},
        ViewCase{"login=li&csrf_token=x&role=admin", 21, {{"login", "li"}, {"csrf_token", "x"}}},
        // The whole buffer: unchanged behaviour.
        ViewCase{"name=%E6%BD%AE+%E5%B7%9E", 24, {{"name", "潮 州"}}}));

}  // namespace
}  // namespace shenpi::http
