#include "web/template/template.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include <boost/json.hpp>

#include "resources/resources.h"

namespace shenpi::web {

namespace json = boost::json;

namespace {

enum class NodeKind { text, escaped, raw, section, inverted, partial };

struct Node {
  NodeKind kind = NodeKind::text;
  std::string text;               // literal text, or the tag name as written
  std::vector<std::string> path;  // the name split at dots; empty means "."
  std::vector<Node> children;     // sections only
};

// Partials may include partials; this bounds recursion (a partial including itself).
constexpr int kMaxPartialDepth = 32;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

int line_of(std::string_view source, std::size_t pos) {
  return 1 + static_cast<int>(std::count(source.begin(), source.begin() + pos, '\n'));
}

}  // namespace

class Template {
 public:
  std::string name;
  std::vector<Node> nodes;
};

namespace {

Error syntax_error(std::string_view tpl, std::string_view source, std::size_t pos,
                   std::string_view what) {
  return make_error(
      ErrorKind::invalid_input, "template_syntax",
      std::string(tpl) + ":" + std::to_string(line_of(source, pos)) + ": " + std::string(what));
}

// Splits "a.b.c" into its parts; "." is the empty path. Returns false on an empty part.
bool split_name(std::string_view name, std::vector<std::string>& path) {
  if (name == ".") return true;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view part =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty()) return false;
    path.emplace_back(part);
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

Result<std::shared_ptr<const Template>> parse_template(std::string_view source,
                                                       std::string_view name) {
  auto tpl = std::make_shared<Template>();
  tpl->name = std::string(name);
  // open holds the sections not yet closed. A pointer stays valid because only the
  // innermost open section's children grow while it is open.
  std::vector<Node*> open;
  std::vector<std::size_t> open_pos;
  auto children = [&]() -> std::vector<Node>& {
    return open.empty() ? tpl->nodes : open.back()->children;
  };
  auto add_text = [&](std::string_view text) {
    if (text.empty()) return;
    auto& nodes = children();
    if (!nodes.empty() && nodes.back().kind == NodeKind::text) {
      nodes.back().text.append(text);
    } else {
      nodes.push_back(Node{NodeKind::text, std::string(text), {}, {}});
    }
  };

  std::size_t pos = 0;
  while (pos < source.size()) {
    const std::size_t open_at = source.find("{{", pos);
    if (open_at == std::string_view::npos) {
      add_text(source.substr(pos));
      break;
    }
    std::size_t inner = open_at + 2;
    char sigil = inner < source.size() ? source[inner] : '\0';
    std::size_t close_at;
    std::size_t tag_end;
    if (sigil == '{') {
      close_at = source.find("}}}", inner);
      if (close_at == std::string_view::npos)
        return syntax_error(name, source, open_at, "unclosed {{{ tag");
      tag_end = close_at + 3;
      ++inner;
    } else {
      close_at = source.find("}}", inner);
      if (close_at == std::string_view::npos)
        return syntax_error(name, source, open_at, "unclosed {{ tag");
      tag_end = close_at + 2;
      if (sigil == '!' || sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' ||
          sigil == '&' || sigil == '=') {
        ++inner;
      } else {
        sigil = '\0';
      }
    }
    if (sigil == '=')
      return syntax_error(name, source, open_at, "set-delimiter tags are not supported");
    const std::string_view body = trim(source.substr(inner, close_at - inner));

    // A section, close, comment or partial tag alone on its line takes the whole line
    // with it, so templates can be laid out readably without blank lines in the output.
    std::size_t text_end = open_at;
    std::size_t next = tag_end;
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>') {
      std::size_t line_start = open_at;
      while (line_start > pos && is_blank(source[line_start - 1])) --line_start;
      const bool at_line_start = line_start == 0 || source[line_start - 1] == '\n';
      std::size_t after = tag_end;
      while (after < source.size() && is_blank(source[after])) ++after;
      const bool at_line_end = after == source.size() || source[after] == '\n';
      if (at_line_start && at_line_end) {
        text_end = line_start;
        next = after < source.size() ? after + 1 : after;
      }
    }
    add_text(source.substr(pos, text_end - pos));
    pos = next;

    if (sigil == '!') continue;
    if (body.empty()) return syntax_error(name, source, open_at, "empty tag name");
    if (sigil == '/') {
      if (open.empty())
        return syntax_error(name, source, open_at,
                            "{{/" + std::string(body) + "}} without an open section");
      if (open.back()->text != body) {
        return syntax_error(name, source, open_at,
                            "{{/" + std::string(body) + "}} closes {{#" + open.back()->text + "}}");
      }
      open.pop_back();
      open_pos.pop_back();
      continue;
    }
    Node node;
    node.text = std::string(body);
    if (sigil == '>') {
      node.kind = NodeKind::partial;
      children().push_back(std::move(node));
      continue;
    }
    if (!split_name(body, node.path))
      return syntax_error(name, source, open_at, "bad name '" + std::string(body) + "'");
    switch (sigil) {
      case '#':
        node.kind = NodeKind::section;
        break;
      case '^':
        node.kind = NodeKind::inverted;
        break;
      case '{':
      case '&':
        node.kind = NodeKind::raw;
        break;
      default:
        node.kind = NodeKind::escaped;
        break;
    }
    auto& nodes = children();
    nodes.push_back(std::move(node));
    if (sigil == '#' || sigil == '^') {
      open.push_back(&nodes.back());
      open_pos.push_back(open_at);
    }
  }
  if (!open.empty()) {
    return syntax_error(name, source, open_pos.back(),
                        "unclosed section {{#" + open.back()->text + "}}");
  }
  return std::shared_ptr<const Template>(std::move(tpl));
}

void append_html_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html_escaped(out, text);
  return out;
}

namespace {

class Renderer {
 public:
  Renderer(TemplateEngine& engine, std::string& out) : engine_(engine), out_(out) {}

  Result<void> run(const std::vector<Node>& nodes, const json::value& context) {
    stack_.push_back(&context);
    return render(nodes);
  }

 private:
  const json::value* lookup(const std::vector<std::string>& path) const {
    if (path.empty()) return stack_.back();
    const json::value* found = nullptr;
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (const auto* obj = (*it)->if_object()) {
        if (const auto* v = obj->if_contains(path.front())) {
          found = v;
          break;
        }
      }
    }
    for (std::size_t i = 1; found && i < path.size(); ++i) {
      const auto* obj = found->if_object();
      found = obj ? obj->if_contains(path[i]) : nullptr;
    }
    return found;
  }

  static bool truthy(const json::value* v) {
    if (!v) return false;
    switch (v->kind()) {
      case json::kind::null:
        return false;
      case json::kind::bool_:
        return v->get_bool();
      case json::kind::array:
        return !v->get_array().empty();
      case json::kind::string:
        return !v->get_string().empty();
      default:
        return true;
    }
  }

  void append_value(const json::value* v, bool escape) {
    if (!v) return;
    char buf[64];
    std::string_view text;
    switch (v->kind()) {
      case json::kind::string:
        text = v->get_string();
        break;
      case json::kind::int64: {
        auto r = std::to_chars(buf, buf + sizeof buf, v->get_int64());
        text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
        break;
      }
      case json::kind::uint64: {
        auto r = std::to_chars(buf, buf + sizeof buf, v->get_uint64());
        text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
        break;
      }
      case json::kind::double_: {
        auto r = std::to_chars(buf, buf + sizeof buf, v->get_double());
        text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
        break;
      }
      case json::kind::bool_:
        text = v->get_bool() ? "true" : "false";
        break;
      default:
        return;  // null, arrays and objects have no text
    }
    if (escape) {
      append_html_escaped(out_, text);
    } else {
      out_.append(text);
    }
  }

  Result<void> render(const std::vector<Node>& nodes) {
    for (const auto& node : nodes) {
      switch (node.kind) {
        case NodeKind::text:
          out_.append(node.text);
          break;
        case NodeKind::escaped:
          append_value(lookup(node.path), true);
          break;
        case NodeKind::raw:
          append_value(lookup(node.path), false);
          break;
        case NodeKind::inverted:
          if (!truthy(lookup(node.path))) SHENPI_TRY(render(node.children));
          break;
        case NodeKind::section: {
          const json::value* v = lookup(node.path);
          if (!truthy(v)) break;
          if (const auto* arr = v->if_array()) {
            for (const auto& element : *arr) SHENPI_TRY(with(element, node.children));
          } else {
            SHENPI_TRY(with(*v, node.children));
          }
          break;
        }
        case NodeKind::partial: {
          if (depth_ >= kMaxPartialDepth) {
            return make_error(ErrorKind::internal, "template_depth",
                              "partials nested deeper than " + std::to_string(kMaxPartialDepth) +
                                  " at " + node.text);
          }
          SHENPI_ASSIGN(auto partial, engine_.get(node.text));
          ++depth_;
          auto r = render(partial->nodes);
          --depth_;
          SHENPI_TRY(r);
          break;
        }
      }
    }
    return {};
  }

  Result<void> with(const json::value& v, const std::vector<Node>& nodes) {
    stack_.push_back(&v);
    auto r = render(nodes);
    stack_.pop_back();
    return r;
  }

  TemplateEngine& engine_;
  std::string& out_;
  std::vector<const json::value*> stack_;
  int depth_ = 0;
};

}  // namespace

TemplateEngine::TemplateEngine(Loader loader) : loader_(std::move(loader)) {}

TemplateEngine::Loader TemplateEngine::embedded_loader() {
  return [](std::string_view name) -> std::optional<std::string> {
    auto bytes = shenpi::resource("src/web/templates/" + std::string(name) + ".html");
    if (!bytes) return std::nullopt;
    return std::string(*bytes);
  };
}

Result<std::shared_ptr<const Template>> TemplateEngine::get(std::string_view name) {
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(std::string(name)); it != cache_.end()) return it->second;
  }
  // Parsed outside the lock; two threads racing on the first use parse twice, harmlessly.
  auto source = loader_ ? loader_(name) : std::nullopt;
  if (!source) {
    return make_error(ErrorKind::not_found, "template_not_found",
                      "no template named " + std::string(name));
  }
  SHENPI_ASSIGN(auto tpl, parse_template(*source, name));
  std::lock_guard lock(mu_);
  auto [it, inserted] = cache_.emplace(std::string(name), std::move(tpl));
  return it->second;
}

Result<std::string> TemplateEngine::render(std::string_view name, const json::value& context) {
  SHENPI_ASSIGN(auto tpl, get(name));
  return render(*tpl, context);
}

Result<std::string> TemplateEngine::render(const Template& tpl, const json::value& context) {
  std::string out;
  Renderer renderer(*this, out);
  SHENPI_TRY(renderer.run(tpl.nodes, context));
  return out;
}

}  // namespace shenpi::web
