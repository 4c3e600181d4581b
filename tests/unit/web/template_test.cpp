#include "web/template/template.h"

#include <map>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace shenpi::web {
namespace {

namespace json = boost::json;

// Partials available to every case.
const std::map<std::string, std::string, std::less<>> kPartials = {
    {"greet", "你好，{{name}}！"},
    {"row", "<li>{{.}}</li>"},
    {"self", "{{> self}}"},
    {"broken", "{{#open}}never closed"},
};

TemplateEngine make_engine() {
  return TemplateEngine([](std::string_view name) -> std::optional<std::string> {
    auto it = kPartials.find(name);
    if (it == kPartials.end()) return std::nullopt;
    return it->second;
  });
}

struct Case {
  const char* name;
  const char* tpl;
  const char* context;  // JSON
  const char* expected;
};

const Case kCases[] = {
    {"plain text", "办事指南", "{}", "办事指南"},
    {"variable", "事项：{{name}}", R"({"name":"食品经营许可"})", "事项：食品经营许可"},
    {"escaped", "{{v}}", R"({"v":"<script>alert('x') & \"y\"</script>"})",
     "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"},
    {"raw triple", "{{{v}}}", R"({"v":"<b>粗</b>"})", "<b>粗</b>"},
    {"raw ampersand", "{{& v}}", R"({"v":"<i>"})", "<i>"},
    {"missing name is empty", "[{{nothing}}]", "{}", "[]"},
    {"missing dotted is empty", "[{{a.b.c}}]", R"({"a":{"b":{}}})", "[]"},
    {"whitespace in tag", "{{  name  }}", R"({"name":"x"})", "x"},
    {"integer", "{{n}} 个工作日", R"({"n":20})", "20 个工作日"},
    {"negative", "{{n}}", R"({"n":-3})", "-3"},
    {"double", "{{n}}", R"({"n":1.5})", "1.5"},
    {"bool", "{{b}}", R"({"b":true})", "true"},
    {"null", "[{{v}}]", R"({"v":null})", "[]"},
    {"dotted", "{{item.department.name}}", R"({"item":{"department":{"name":"市场监管局"}}})",
     "市场监管局"},
    {"dot in array", "{{#xs}}<{{.}}>{{/xs}}", R"({"xs":["a","b","c"]})", "<a><b><c>"},
    {"dot escapes", "{{#xs}}{{.}}{{/xs}}", R"({"xs":["<"]})", "&lt;"},
    {"section over objects", "{{#xs}}{{n}};{{/xs}}", R"({"xs":[{"n":1},{"n":2}]})", "1;2;"},
    {"section true", "{{#ok}}是{{/ok}}", R"({"ok":true})", "是"},
    {"section false", "{{#ok}}是{{/ok}}", R"({"ok":false})", ""},
    {"section missing", "{{#ok}}是{{/ok}}", "{}", ""},
    {"section empty array", "{{#xs}}x{{/xs}}", R"({"xs":[]})", ""},
    {"section empty string", "{{#s}}x{{/s}}", R"({"s":""})", ""},
    {"section non-empty string pushes it", "{{#s}}[{{.}}]{{/s}}", R"({"s":"原件"})", "[原件]"},
    {"section zero is truthy", "{{#n}}有{{/n}}", R"({"n":0})", "有"},
    {"section object pushes", "{{#d}}{{name}}{{/d}}", R"({"d":{"name":"编办"}})", "编办"},
    {"outer names visible inside", "{{#xs}}{{p}}{{n}} {{/xs}}",
     R"({"p":"#","xs":[{"n":1},{"n":2}]})", "#1 #2 "},
    {"inner shadows outer", "{{#d}}{{name}}{{/d}}{{name}}", R"({"name":"外","d":{"name":"内"}})",
     "内外"},
    {"falsy inner stops lookup", "{{#d}}[{{name}}]{{/d}}", R"({"name":"外","d":{"name":""}})",
     "[]"},
    {"inverted missing", "{{^xs}}无{{/xs}}", "{}", "无"},
    {"inverted empty array", "{{^xs}}无{{/xs}}", R"({"xs":[]})", "无"},
    {"inverted present", "{{^xs}}无{{/xs}}", R"({"xs":[1]})", ""},
    {"inverted false", "{{^b}}否{{/b}}", R"({"b":false})", "否"},
    {"nested sections", "{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", R"({"a":{"b":[{"c":1},{"c":2}]}})", "12"},
    {"dotted section", "{{#a.b}}{{.}}{{/a.b}}", R"({"a":{"b":[7,8]}})", "78"},
    {"comment", "a{{! 这是注释 }}b", "{}", "ab"},
    {"multi-line comment", "a{{! one\ntwo }}b", "{}", "ab"},
    {"partial", "{{> greet}}", R"({"name":"张三"})", "你好，张三！"},
    {"partial in section", "<ul>{{#xs}}{{> row}}{{/xs}}</ul>", R"({"xs":["a","b"]})",
     "<ul><li>a</li><li>b</li></ul>"},
    {"standalone section lines", "<ul>\n  {{#xs}}\n  <li>{{.}}</li>\n  {{/xs}}\n</ul>\n",
     R"({"xs":[1,2]})", "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n"},
    {"standalone comment line", "a\n{{! note }}\nb", "{}", "a\nb"},
    {"inline section keeps spaces", "a {{#t}}b{{/t}} c", R"({"t":true})", "a b c"},
    {"single braces are text", "{ x } {y}", "{}", "{ x } {y}"},
    {"array context root", "{{#.}}{{.}},{{/.}}", "[1,2]", "1,2,"},
};

TEST(Template, RendersTableOfCases) {
  auto engine = make_engine();
  for (const auto& c : kCases) {
    auto tpl = parse_template(c.tpl, c.name);
    ASSERT_TRUE(tpl.ok()) << c.name << ": " << tpl.error().message;
    auto out = engine.render(**tpl, json::parse(c.context));
    ASSERT_TRUE(out.ok()) << c.name << ": " << out.error().message;
    EXPECT_EQ(*out, c.expected) << c.name;
  }
}

struct BadCase {
  const char* name;
  const char* tpl;
};

const BadCase kSyntaxErrors[] = {
    {"unclosed tag", "a {{name"},         {"unclosed raw tag", "{{{name}}"},
    {"unclosed section", "{{#xs}}x"},     {"close without open", "x{{/xs}}"},
    {"mismatched close", "{{#a}}{{/b}}"}, {"empty name", "{{ }}"},
    {"empty section name", "{{#}}{{/}}"}, {"bad dotted name", "{{a..b}}"},
    {"set delimiters", "{{=<% %>=}}"},
};

TEST(Template, SyntaxErrorsAreResultsNamingTheLine) {
  for (const auto& c : kSyntaxErrors) {
    auto tpl = parse_template(c.tpl, "bad.html");
    ASSERT_FALSE(tpl.ok()) << c.name;
    EXPECT_EQ(tpl.error().code, "template_syntax") << c.name;
    EXPECT_NE(tpl.error().message.find("bad.html:1"), std::string::npos)
        << c.name << ": " << tpl.error().message;
  }
  auto tpl = parse_template("line one\nline two {{#x}}", "t");
  ASSERT_FALSE(tpl.ok());
  EXPECT_NE(tpl.error().message.find("t:2"), std::string::npos) << tpl.error().message;
}

TEST(Template, MissingPartialIsAnError) {
  auto engine = make_engine();
  auto tpl = parse_template("{{> nowhere}}");
  ASSERT_TRUE(tpl.ok());
  auto out = engine.render(**tpl, json::object{});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "template_not_found");
}

TEST(Template, BrokenPartialIsAnErrorNotACrash) {
  auto engine = make_engine();
  auto out = engine.render("broken", json::object{});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "template_syntax");
}

TEST(Template, RecursivePartialStopsWithAnError) {
  auto engine = make_engine();
  auto out = engine.render("self", json::object{});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "template_depth");
}

TEST(Template, EngineCachesParsedTemplates) {
  int loads = 0;
  TemplateEngine engine([&loads](std::string_view) -> std::optional<std::string> {
    ++loads;
    return std::string("{{x}}");
  });
  for (int i = 0; i < 3; ++i) {
    auto out = engine.render("t", json::parse(R"({"x":1})"));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, "1");
  }
  EXPECT_EQ(loads, 1);
}

TEST(Template, RendersFromSeveralThreads) {
  auto engine = make_engine();
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        auto out = engine.render("greet", json::object{{"name", std::to_string(t)}});
        if (out.ok()) results[t] = *out;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(results[t], "你好，" + std::to_string(t) + "！");
}

TEST(Template, EmbeddedTemplatesAllParse) {
  TemplateEngine engine(TemplateEngine::embedded_loader());
  for (const char* name :
       {"layout", "print_layout", "home", "search", "departments", "department", "guide",
        "guide_print", "guide_sections", "offline_notice", "bundles", "bundle", "error",
        "search_form", "item_list", "pagination", "department_directory", "city_bodies"}) {
    auto tpl = engine.get(name);
    EXPECT_TRUE(tpl.ok()) << name << ": " << (tpl.ok() ? "" : tpl.error().message);
  }
}

TEST(Template, HtmlEscapeCoversTheFiveCharacters) {
  EXPECT_EQ(html_escape("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;");
  EXPECT_EQ(html_escape("潮州"), "潮州");
}

}  // namespace
}  // namespace shenpi::web
