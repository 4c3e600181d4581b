#include "web/account_pages.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "http/error_mapping.h"
#include "http/form.h"
#include "web/error_page.h"
#include "web/render.h"

namespace shenpi::web {

namespace json = boost::json;
using http::Request;
using http::Response;
using http::api::CsrfSource;

namespace {

constexpr std::string_view kNoStore = "no-store";
// The double-submit token: 32 random bytes as hex.
constexpr std::size_t kCsrfBytes = 32;

// ---- small helpers --------------------------------------------------------------------

// Compares without stopping at the first difference (the time taken must not tell how
// much of a guessed token was right).
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool is_hex_token(std::string_view s) {
  if (s.size() != kCsrfBytes * 2) return false;
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

// "2024-05-01 14:03" in China Standard Time (UTC+8, no daylight saving).
std::string china_time(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_seconds + 8 * 3600}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

std::string_view role_label(std::string_view role) {
  static const std::map<std::string_view, std::string_view> kLabels{
      {"clerk", "窗口受理"},
      {"reviewer", "审查"},
      {"approver", "审批负责人"},
      {"business_lead", "业务负责人"},
      {"security_officer", "安全员"},
      {"dept_admin", "部门管理员"},
      {"centre_admin", "中心管理员"},
      {"catalogue_admin", "事项目录管理（编办）"},
      {"tech_admin", "技术管理（信息办）"},
      {"supervisor", "监察（监察局）"},
      {"leading_group", "领导小组"},
  };
  auto it = kLabels.find(role);
  return it == kLabels.end() ? role : it->second;
}

std::string_view kind_label(app::AccountKind kind) {
  switch (kind) {
    case app::AccountKind::person:
      return "个人（自然人）";
    case app::AccountKind::organisation:
      return "法人或其他组织";
    case app::AccountKind::staff:
      return "工作人员";
  }
  return "";
}

// The form field a use-case error names ("agent.name" → "agent_name").
std::string form_field(std::string_view field) {
  std::string f(field);
  for (char& c : f) {
    if (c == '.') c = '_';
  }
  return f;
}

// ---- form fields ----------------------------------------------------------------------

struct FieldSpec {
  std::string_view name;
  std::string_view label;
  std::string_view type = "text";
  std::string_view autocomplete = "off";
  std::string_view hint;
  std::string_view inputmode;
  bool optional = false;
  int maxlength = 0;
};

// One field of a form for account_field.html. Passwords are never echoed back.
json::object field_json(const FieldSpec& spec, const http::Form* values,
                        const std::map<std::string, std::string>& errors) {
  const std::string name(spec.name);
  json::object f{{"name", name},
                 {"label", spec.label},
                 {"type", spec.type},
                 {"autocomplete", spec.autocomplete},
                 {"optional", spec.optional}};
  if (values != nullptr && spec.type != "password") f["value"] = values->value(spec.name);
  std::string described;
  if (!spec.hint.empty()) {
    f["hint"] = spec.hint;
    described = "f-" + name + "-hint";
  }
  if (auto it = errors.find(name); it != errors.end()) {
    f["error"] = it->second;
    described += (described.empty() ? "" : " ") + ("f-" + name + "-error");
  }
  if (!described.empty()) f["describedby"] = described;
  if (!spec.inputmode.empty()) f["inputmode"] = spec.inputmode;
  if (spec.maxlength > 0) f["maxlength"] = spec.maxlength;
  return f;
}

json::array fields_json(const std::vector<FieldSpec>& specs, const http::Form* values,
                        const std::map<std::string, std::string>& errors) {
  json::array out;
  for (const FieldSpec& s : specs) out.push_back(field_json(s, values, errors));
  return out;
}

constexpr std::string_view kPasswordHint =
    "至少 8 位，可使用中文、字母、数字和符号；不能使用常见密码";
constexpr std::string_view kIdHint = "18 位，最后一位可能是 X";

const std::vector<FieldSpec>& person_fields() {
  static const std::vector<FieldSpec> f{
      {"name", "姓名", "text", "name"},
      {"id_number", "公民身份号码", "text", "off", kIdHint, "", false, 18},
      {"mobile", "手机号码", "tel", "tel", "11 位手机号码", "tel", false, 20},
  };
  return f;
}

const std::vector<FieldSpec>& password_fields() {
  static const std::vector<FieldSpec> f{
      {"password", "密码", "password", "new-password", kPasswordHint},
      {"password_confirm", "确认密码", "password", "new-password"},
  };
  return f;
}

const std::vector<FieldSpec>& organisation_fields() {
  static const std::vector<FieldSpec> f{
      {"name", "单位名称", "text", "organization"},
      {"credit_code", "统一社会信用代码", "text", "off", "18 位，由数字和大写字母组成", "", false,
       18},
      {"representative", "法定代表人", "text", "off"},
  };
  return f;
}

const std::vector<FieldSpec>& agent_fields() {
  static const std::vector<FieldSpec> f{
      {"agent_name", "经办人姓名", "text", "name"},
      {"agent_id_number", "经办人身份证号码", "text", "off", kIdHint, "", false, 18},
      {"mobile", "手机号码", "tel", "tel", "经办人的 11 位手机号码", "tel", false, 20},
  };
  return f;
}

const std::vector<FieldSpec>& login_fields() {
  static const std::vector<FieldSpec> f{
      {"login", "证件号码/统一社会信用代码/用户名", "text", "username",
       "个人填写公民身份号码，法人填写统一社会信用代码，工作人员填写用户名"},
      {"password", "密码", "password", "current-password"},
      {"totp", "动态验证码", "text", "one-time-code", "工作人员必填：身份验证器显示的 6 位数字",
       "numeric", true, 8},
  };
  return f;
}

const std::vector<FieldSpec>& change_password_fields() {
  static const std::vector<FieldSpec> f{
      {"current_password", "当前密码", "password", "current-password"},
      {"password", "新密码", "password", "new-password", kPasswordHint},
      {"password_confirm", "确认新密码", "password", "new-password"},
  };
  return f;
}

// Errors of a form: field → message, and the list for the summary at the top.
struct FormErrors {
  std::map<std::string, std::string> by_field;
  json::array summary;

  void add(std::string field, std::string message) {
    if (!field.empty()) by_field.emplace(field, message);
    summary.push_back(json::object{{"field", field}, {"message", std::move(message)}});
  }
  bool empty() const { return summary.empty(); }
  void put(json::object& ctx, std::string_view title = "提交的信息有误，请修改后重试") const {
    ctx["has_errors"] = !summary.empty();
    ctx["errors"] = summary;
    ctx["errors_title"] = title;
  }
};

// The field groups of an applicant's registration form, shared by /register and the
// window registration page.
json::array applicant_groups(bool person, const http::Form* values, const FormErrors& errors) {
  json::array groups;
  if (person) {
    groups.push_back(json::object{
        {"legend", "个人信息"}, {"fields", fields_json(person_fields(), values, errors.by_field)}});
  } else {
    groups.push_back(
        json::object{{"legend", "单位信息"},
                     {"fields", fields_json(organisation_fields(), values, errors.by_field)}});
    groups.push_back(json::object{
        {"legend", "经办人"}, {"fields", fields_json(agent_fields(), values, errors.by_field)}});
  }
  groups.push_back(json::object{
      {"legend", "登录密码"}, {"fields", fields_json(password_fields(), values, errors.by_field)}});
  return groups;
}

// Error codes of a check digit that staff may override at the window.
bool is_check_digit_error(std::string_view code) {
  return code == "citizen_id_check" || code == "credit_code_check" ||
         code == "credit_code_org_check";
}

const char* notice_text(std::string_view code) {
  if (code == "registered") return "注册成功，您已登录。";
  if (code == "signed_in") return "您已登录。";
  if (code == "password_changed") return "密码已修改，其他设备上的登录已全部退出。";
  if (code == "session_ended") return "已结束该会话。";
  return nullptr;
}

}  // namespace

// ---- state and handlers ------------------------------------------------------------------

struct AccountPages::State {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::CatalogueService> catalogue;
  std::function<std::string(std::size_t)> random_bytes;
  WebOptions options;

  app::AccountService& accounts() const { return auth->accounts(); }

  Response error_page(const Error& e, const Request& req) const {
    http::report_error(req, e);
    return html_error(e, req, options.site_name);
  }

  static Response no_store(Response r) {
    r.header("Cache-Control", std::string(kNoStore));
    return r;
  }

  static Response see_other(std::string location) {
    return no_store(Response::redirect(std::move(location), 303));
  }

  // The page inside the layout; the header names `who` when signed in.
  Result<Response> page(int status, std::string_view tpl, std::string title, json::object ctx,
                        const app::Principal* who) const {
    PageSpec spec{options.site_name, tpl, std::move(title), Nav::none, Frame::site};
    if (who != nullptr) {
      spec.account = account_header(*who);
    }
    SHENPI_ASSIGN(std::string body, render_page(spec, std::move(ctx)));
    return no_store(Response::html(status, std::move(body)));
  }

  // The signed-in principal for the header of a page, or nullopt (never an error: an
  // expired or absent session simply shows the generic header).
  std::optional<app::Principal> viewer(const Request& req) const {
    Result<app::Principal> p = auth->authenticate(req, false);
    if (!p.ok()) return std::nullopt;
    return std::move(p).value();
  }

  // ---- the double-submit token of the pre-session forms ----

  // The token to put in the form: the browser's cookie when it has a well-formed one (so
  // two open tabs keep working), else a new one, set on `res`.
  std::string presession_token(const Request& req, std::vector<std::string>& set_cookies) const {
    if (auto c = http::api::cookie(req, kPreSessionCsrfCookie); c && is_hex_token(*c)) return *c;
    std::string token = to_hex(random_bytes(kCsrfBytes));
    std::string cookie =
        std::string(kPreSessionCsrfCookie) + "=" + token + "; HttpOnly; SameSite=Strict; Path=/";
    if (req.tls) cookie += "; Secure";
    set_cookies.push_back(std::move(cookie));
    return token;
  }

  static Result<void> check_presession(const Request& req, const http::Form& form) {
    const auto c = http::api::cookie(req, kPreSessionCsrfCookie);
    const auto f = form.get(http::api::kCsrfField);
    if (!c || !f || !is_hex_token(*c) || !same_secret(*c, *f)) {
      return make_error(ErrorKind::forbidden, "csrf_token_invalid",
                        "页面已过期或缺少安全令牌，请返回并刷新页面后重新提交");
    }
    return {};
  }

  // ---- /register ----

  Result<Response> register_page(const Request& req, int status, std::string_view kind,
                                 const http::Form* values, const FormErrors& errors) const {
    std::vector<std::string> cookies;
    const bool person = kind != "organisation";
    json::object ctx;
    ctx["csrf_token"] = presession_token(req, cookies);
    ctx["kind"] = person ? "person" : "organisation";
    ctx["person"] = person;
    errors.put(ctx);
    ctx["groups"] = applicant_groups(person, values, errors);
    const std::optional<app::Principal> who = viewer(req);
    SHENPI_ASSIGN(Response r,
                  page(status, "account_register", person ? "注册个人账户" : "注册法人账户",
                       std::move(ctx), who ? &*who : nullptr));
    for (auto& c : cookies) r.header("Set-Cookie", std::move(c));
    return r;
  }

  Result<Response> get_register(const Request& req) const {
    return register_page(req, 200, req.query_param("kind").value_or("person"), nullptr, {});
  }

  Result<Response> post_register(const Request& req) const {
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    SHENPI_TRY(check_presession(req, form));
    const std::string kind = form.value("kind") == "organisation" ? "organisation" : "person";
    FormErrors errors;
    if (form.value("password") != form.value("password_confirm")) {
      errors.add("password_confirm", "两次输入的密码不一致");
      return register_page(req, 400, kind, &form, errors);
    }
    const app::RequestContext ctx = auth->context(req);
    Result<app::AccountSummary> created = make_error(ErrorKind::internal, "unreachable", "");
    std::string login;
    if (kind == "person") {
      app::PersonRegistration r{form.value("name"), form.value("id_number"), form.value("mobile"),
                                form.value("password")};
      login = r.id_number;
      created = accounts().register_person(r, ctx);
    } else {
      app::OrganisationRegistration r{
          form.value("name"),       form.value("credit_code"),     form.value("representative"),
          form.value("agent_name"), form.value("agent_id_number"), form.value("mobile"),
          form.value("password")};
      login = r.credit_code;
      created = accounts().register_organisation(r, ctx);
    }
    if (!created.ok()) {
      const Error& e = created.error();
      if (e.kind == ErrorKind::invalid_input) {
        errors.add(form_field(e.field), e.message);
        return register_page(req, 400, kind, &form, errors);
      }
      if (e.kind == ErrorKind::conflict) {
        errors.add(kind == "person" ? "id_number" : "credit_code",
                   e.message.empty() ? "该证件已注册，请直接登录" : e.message);
        return register_page(req, 409, kind, &form, errors);
      }
      return created.take_error();
    }
    // Registration signs the new applicant in, through the one sign-in use case.
    Result<app::SignedIn> in =
        accounts().login(app::LoginRequest{login, form.value("password"), ""}, ctx);
    if (!in.ok()) return see_other("/login");
    Response r = see_other("/account?notice=registered");
    r.header("Set-Cookie", http::api::session_cookie(req, in->token));
    return r;
  }

  // ---- /work/register (窗口代注册) ----

  // The signed-in staff member who may register applicants at the window; nullopt with
  // `redirect` set when there is no session (to the login page) or no valid training
  // (to the training page, Art. 20).
  Result<std::optional<app::Principal>> window_staff(const Request& req, bool write,
                                                     Response& redirect) const {
    Result<app::Principal> who = auth->authenticate(req, write, CsrfSource::header_or_form);
    if (!who.ok()) {
      if (who.error().kind != ErrorKind::unauthenticated) return who.take_error();
      redirect = see_other("/login?next=%2Fwork%2Fregister");
      return std::optional<app::Principal>();
    }
    Result<void> allowed = accounts().authorize_window_registration(*who, auth->context(req));
    if (!allowed.ok()) {
      if (allowed.error().code == "training_required") {
        redirect = see_other("/training");
        return std::optional<app::Principal>();
      }
      return allowed.take_error();
    }
    return std::optional<app::Principal>(std::move(who).value());
  }

  Result<Response> window_page(const app::Principal& who, int status, std::string_view kind,
                               const http::Form* values, const FormErrors& errors) const {
    const bool person = kind != "organisation";
    json::object ctx;
    ctx["csrf_token"] = who.csrf_token;
    ctx["kind"] = person ? "person" : "organisation";
    ctx["person"] = person;
    errors.put(ctx);
    ctx["groups"] = applicant_groups(person, values, errors);
    ctx["code_label"] = person ? "公民身份号码" : "统一社会信用代码";
    if (values != nullptr) {
      ctx["override_checked"] = values->value("check_override") == "1";
      ctx["reason"] = values->value("check_override_reason");
    }
    if (auto it = errors.by_field.find("check_override_reason"); it != errors.by_field.end()) {
      ctx["reason_error"] = it->second;
    }
    return page(status, "window_register", "窗口代注册", std::move(ctx), &who);
  }

  Result<Response> get_window_register(const Request& req) const {
    Response redirect;
    SHENPI_ASSIGN(auto who, window_staff(req, false, redirect));
    if (!who) return redirect;
    return window_page(*who, 200, req.query_param("kind").value_or("person"), nullptr, {});
  }

  Result<Response> post_window_register(const Request& req) const {
    Response redirect;
    SHENPI_ASSIGN(auto who, window_staff(req, true, redirect));
    if (!who) return redirect;
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    const std::string kind = form.value("kind") == "organisation" ? "organisation" : "person";
    const bool override_checked = form.value("check_override") == "1";
    FormErrors errors;
    if (form.value("password") != form.value("password_confirm")) {
      errors.add("password_confirm", "两次输入的密码不一致");
    }
    if (override_checked &&
        form.value("check_override_reason").find_first_not_of(" \t\r\n") == std::string::npos) {
      errors.add("check_override_reason", "勾选“校验位不符，已核验原件”后，请填写核验说明");
    }
    if (!errors.empty()) return window_page(*who, 400, kind, &form, errors);

    const app::RequestContext ctx = auth->context(req);
    // Without the box ticked the reason is ignored: the check stays strict.
    const app::WindowRegistration window{
        &*who, override_checked ? form.value("check_override_reason") : std::string()};
    Result<app::AccountSummary> created = make_error(ErrorKind::internal, "unreachable", "");
    if (kind == "person") {
      app::PersonRegistration r{form.value("name"), form.value("id_number"), form.value("mobile"),
                                form.value("password")};
      created = accounts().register_person(r, ctx, window);
    } else {
      app::OrganisationRegistration r{
          form.value("name"),       form.value("credit_code"),     form.value("representative"),
          form.value("agent_name"), form.value("agent_id_number"), form.value("mobile"),
          form.value("password")};
      created = accounts().register_organisation(r, ctx, window);
    }
    if (!created.ok()) {
      const Error& e = created.error();
      if (e.kind == ErrorKind::invalid_input) {
        std::string message = e.message;
        if (is_check_digit_error(e.code) && !override_checked) {
          message += "。如已当面核验证件原件，可勾选“校验位不符，已核验原件”并填写核验说明";
        }
        errors.add(form_field(e.field), std::move(message));
        return window_page(*who, 400, kind, &form, errors);
      }
      if (e.kind == ErrorKind::conflict) {
        errors.add(kind == "person" ? "id_number" : "credit_code",
                   e.message.empty() ? "该证件已注册" : e.message);
        return window_page(*who, 409, kind, &form, errors);
      }
      return created.take_error();
    }
    json::object done{{"name", created->name},
                      {"kind_label", kind_label(created->kind)},
                      {"code_label", kind == "person" ? "公民身份号码" : "统一社会信用代码"},
                      {"login_masked", created->login_masked},
                      {"overridden", created->check_overridden}};
    return page(201, "window_registered", "已代为注册账户", std::move(done), &*who);
  }

  // ---- /login ----

  Result<Response> login_page(const Request& req, int status, const http::Form* values,
                              std::string_view next, const FormErrors& errors) const {
    std::vector<std::string> cookies;
    json::object ctx;
    ctx["csrf_token"] = presession_token(req, cookies);
    if (safe_next(next)) ctx["next"] = next;
    errors.put(ctx, "登录失败");
    ctx["fields"] = fields_json(login_fields(), values, errors.by_field);
    const std::optional<app::Principal> who = viewer(req);
    if (who) ctx["signed_in_as"] = who->name;
    SHENPI_ASSIGN(Response r,
                  page(status, "account_login", "登录", std::move(ctx), who ? &*who : nullptr));
    for (auto& c : cookies) r.header("Set-Cookie", std::move(c));
    return r;
  }

  Result<Response> get_login(const Request& req) const {
    return login_page(req, 200, nullptr, req.query_param("next").value_or(""), {});
  }

  Result<Response> post_login(const Request& req) const {
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    SHENPI_TRY(check_presession(req, form));
    const std::string next = form.value("next");
    app::LoginRequest login{form.value("login"), form.value("password"), form.value("totp")};
    std::int64_t retry_after = 0;
    Result<app::SignedIn> in = accounts().login(login, auth->context(req), &retry_after);
    if (!in.ok()) {
      const Error& e = in.error();
      FormErrors errors;
      // The totp value is single-use and the password is never echoed: keep only the login.
      http::Form kept;
      kept.fields.emplace_back("login", login.login);
      if (e.kind == ErrorKind::rate_limited) {
        const std::int64_t wait = retry_after > 0 ? retry_after : 60;
        errors.add("", "尝试次数过多，请 " + std::to_string(wait) + " 秒后再试");
        SHENPI_ASSIGN(Response r, login_page(req, 429, &kept, next, errors));
        r.header("Retry-After", std::to_string(wait));
        return r;
      }
      if (e.kind == ErrorKind::unauthenticated || e.kind == ErrorKind::invalid_input) {
        // One message and one status for every cause, as the use case answers.
        errors.add("", "账号、密码或动态口令不正确");
        return login_page(req, 401, &kept, next, errors);
      }
      return in.take_error();
    }
    Response r = see_other(safe_next(next) ? next : "/account");
    r.header("Set-Cookie", http::api::session_cookie(req, in->token));
    return r;
  }

  // ---- /logout ----

  Result<Response> post_logout(const Request& req) const {
    Result<app::Principal> who = auth->authenticate(req, true, CsrfSource::header_or_form);
    if (!who.ok()) {
      if (who.error().kind != ErrorKind::unauthenticated) return who.take_error();
      // Already signed out (expired, or ended elsewhere): the result the user asked for.
      Response r = see_other("/");
      r.header("Set-Cookie", http::api::session_cookie(req, ""));
      return r;
    }
    SHENPI_TRY(accounts().logout(*who, auth->context(req)));
    Response r = see_other("/");
    r.header("Set-Cookie", http::api::session_cookie(req, ""));
    return r;
  }

  // ---- /account ----

  std::string department_name(const std::string& code) const {
    if (catalogue && !code.empty()) {
      if (auto all = catalogue->departments(); all.ok()) {
        for (const core::Department& d : *all) {
          if (d.code == code) return d.name;
        }
      }
    }
    return code.empty() ? "（未指定部门）" : code;
  }

  Result<Response> account_page(const Request& req, const app::Principal& who, int status,
                                const FormErrors& errors) const {
    const app::RequestContext rc = auth->context(req);
    SHENPI_ASSIGN(app::AccountSummary summary, accounts().summary(who));
    json::object ctx;
    ctx["csrf_token"] = who.csrf_token;
    if (const char* n = notice_text(req.query_param("notice").value_or(""))) ctx["notice"] = n;
    const bool staff = who.kind == app::AccountKind::staff;
    ctx["name"] = summary.name;
    ctx["name_label"] = who.kind == app::AccountKind::organisation ? "单位名称" : "姓名";
    ctx["kind_label"] = kind_label(who.kind);
    if (!staff) {
      ctx["login_label"] =
          who.kind == app::AccountKind::organisation ? "统一社会信用代码" : "公民身份号码";
      ctx["login_masked"] = summary.login_masked;
      ctx["mobile_masked"] = summary.mobile_masked;
    } else {
      ctx["username"] = who.username;
      ctx["staff"] = true;
      // Roles grouped by department, in the order granted.
      std::vector<std::pair<std::string, std::string>> rows;
      for (const app::RoleGrant& g : who.roles) {
        auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const auto& r) { return r.first == g.department_code; });
        if (it == rows.end()) {
          rows.emplace_back(g.department_code, std::string(role_label(g.role)));
        } else {
          it->second += "、" + std::string(role_label(g.role));
        }
      }
      json::array role_rows;
      for (const auto& [dept, labels] : rows) {
        role_rows.push_back(
            json::object{{"department", department_name(dept)}, {"labels", labels}});
      }
      ctx["has_roles"] = !role_rows.empty();
      ctx["role_rows"] = std::move(role_rows);
      ctx["trained"] = who.trained;
      ctx["valid_until"] = who.training_valid_until;
    }
    // Untrained staff may read their training status and sign out, nothing else (Art. 20):
    // the sessions use case says so, and the page then leaves those sections out.
    Result<std::vector<app::SessionInfo>> sessions = accounts().sessions(who, rc);
    if (sessions.ok()) {
      json::array list;
      for (const app::SessionInfo& s : *sessions) {
        list.push_back(json::object{{"id", s.id},
                                    {"created", china_time(s.created_at)},
                                    {"last_seen", china_time(s.last_seen_at)},
                                    {"address", s.address},
                                    {"user_agent", s.user_agent},
                                    {"current", s.current}});
      }
      ctx["can_manage"] = true;
      ctx["sessions"] = std::move(list);
      errors.put(ctx, "密码未修改");
      ctx["fields"] = fields_json(change_password_fields(), nullptr, errors.by_field);
    } else if (sessions.error().kind != ErrorKind::forbidden) {
      return sessions.take_error();
    }
    return page(status, "account_home", "我的账户", std::move(ctx), &who);
  }

  // The signed-in principal of a page request; nullopt with `redirect` set to the login
  // page when there is no session.
  Result<std::optional<app::Principal>> signed_in(const Request& req, bool write,
                                                  Response& redirect) const {
    Result<app::Principal> who = auth->authenticate(req, write, CsrfSource::header_or_form);
    if (who.ok()) return std::optional<app::Principal>(std::move(who).value());
    if (who.error().kind != ErrorKind::unauthenticated) return who.take_error();
    redirect = see_other("/login?next=%2Faccount");
    return std::optional<app::Principal>();
  }

  Result<Response> get_account(const Request& req) const {
    Response redirect;
    SHENPI_ASSIGN(auto who, signed_in(req, false, redirect));
    if (!who) return redirect;
    return account_page(req, *who, 200, {});
  }

  Result<Response> post_password(const Request& req) const {
    Response redirect;
    SHENPI_ASSIGN(auto who, signed_in(req, true, redirect));
    if (!who) return redirect;
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    FormErrors errors;
    if (form.value("password") != form.value("password_confirm")) {
      errors.add("password_confirm", "两次输入的新密码不一致");
      return account_page(req, *who, 400, errors);
    }
    Result<void> changed = accounts().change_password(*who, form.value("current_password"),
                                                      form.value("password"), auth->context(req));
    if (!changed.ok()) {
      const Error& e = changed.error();
      if (e.kind != ErrorKind::invalid_input) return changed.take_error();
      errors.add(e.field == "current_password" ? "current_password" : "password", e.message);
      return account_page(req, *who, 400, errors);
    }
    return see_other("/account?notice=password_changed");
  }

  Result<Response> post_end_session(const Request& req) const {
    Response redirect;
    SHENPI_ASSIGN(auto who, signed_in(req, true, redirect));
    if (!who) return redirect;
    const std::string id(req.param("id"));
    SHENPI_TRY(accounts().end_session(*who, id, auth->context(req)));
    if (id == who->session_id) {
      Response r = see_other("/login");
      r.header("Set-Cookie", http::api::session_cookie(req, ""));
      return r;
    }
    return see_other("/account?notice=session_ended");
  }
};

AccountPages::AccountPages(std::shared_ptr<const http::api::SessionAuth> auth,
                           std::shared_ptr<app::CatalogueService> catalogue,
                           std::function<std::string(std::size_t)> random_bytes, WebOptions options)
    : state_(std::make_shared<State>(State{std::move(auth), std::move(catalogue),
                                           std::move(random_bytes), std::move(options)})) {}

bool AccountPages::safe_next(std::string_view next) {
  if (next.empty() || next.front() != '/') return false;
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return false;
  for (const char ch : next) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || c == '\\') return false;
  }
  return true;
}

void AccountPages::register_routes(http::Router& router) {
  auto s = state_;
  // Every answer of these routes, errors included, is personal and never stored.
  auto wrap = [s](Result<Response> (State::*f)(const Request&) const) {
    return [s, f](Request& req) -> Response {
      Result<Response> r = ((*s).*f)(req);
      if (!r.ok()) return s->error_page(r.error(), req);
      return std::move(r).value();
    };
  };
  const auto opts = [](const char* access, bool form) {
    http::RouteOptions o;
    if (form) o.max_body = http::kFormBodyLimit;
    o.access = access;
    return o;
  };

  router.add("GET", "/register", wrap(&State::get_register), opts("public", false));
  router.add("POST", "/register", wrap(&State::post_register), opts("public", true));
  router.add("GET", "/login", wrap(&State::get_login), opts("public", false));
  router.add("POST", "/login", wrap(&State::post_login), opts("public", true));
  router.add("POST", "/logout", wrap(&State::post_logout), opts("signed_in", true));
  router.add("GET", "/account", wrap(&State::get_account), opts("signed_in", false));
  router.add("POST", "/account/password", wrap(&State::post_password), opts("signed_in", true));
  router.add("POST", "/account/sessions/{id}/end", wrap(&State::post_end_session),
             opts("signed_in", true));
  // Registration at the service window by a clerk or department administrator.
  router.add("GET", "/work/register", wrap(&State::get_window_register),
             opts("case_accept", false));
  router.add("POST", "/work/register", wrap(&State::post_window_register),
             opts("case_accept", true));
}

}  // namespace shenpi::web
