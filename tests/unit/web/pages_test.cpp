#include "web/pages.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <zlib.h>

#include "http/router.h"
#include "web/error_page.h"
#include "web/page_cache.h"
#include "web/static_files.h"

namespace shenpi::web {
namespace {

// ---- a catalogue in memory ---------------------------------------------------------------

class FakeRepository : public app::CatalogueRepository {
 public:
  std::vector<core::Region> region_list;
  std::vector<core::Department> department_list;
  std::vector<core::ItemVersion> items;  // all published
  std::vector<core::Bundle> bundle_list;
  std::int64_t gen = 1;
  int reads = 0;  // calls that would hit the database

  Result<std::vector<core::Region>> regions() override {
    ++reads;
    return region_list;
  }
  Result<std::vector<core::Department>> departments() override {
    ++reads;
    return department_list;
  }
  Result<std::optional<core::Department>> department(std::string_view code) override {
    ++reads;
    for (const auto& d : department_list) {
      if (d.code == code) return std::optional<core::Department>(d);
    }
    return std::optional<core::Department>();
  }
  Result<std::optional<core::ItemVersion>> published_item(std::string_view code) override {
    ++reads;
    for (const auto& v : items) {
      if (v.item_code == code) return std::optional<core::ItemVersion>(v);
    }
    return std::optional<core::ItemVersion>();
  }
  Result<std::optional<core::ItemVersion>> item_version(std::int64_t) override {
    return std::optional<core::ItemVersion>();
  }
  Result<core::ItemPage> search_items(const core::ItemQuery& q) override {
    ++reads;
    std::vector<core::ItemSummary> all;
    for (const auto& v : items) {
      if (!q.text.empty() && v.name.find(q.text) == std::string::npos && v.item_code != q.text)
        continue;
      if (!q.department_code.empty() && v.department_code != q.department_code) continue;
      if (q.audience && v.audience != core::Audience::both && v.audience != *q.audience) continue;
      core::ItemSummary s;
      s.code = v.item_code;
      s.name = v.name;
      s.type = v.type;
      s.department_code = v.department_code;
      for (const auto& d : department_list) {
        if (d.code == v.department_code) s.department_name = d.name;
      }
      s.audience = v.audience;
      s.online_level = v.online_level;
      s.promised_limit_days = v.promised_limit_days;
      s.offline = !v.offline_reason.empty();
      all.push_back(s);
    }
    core::ItemPage page;
    page.total = static_cast<int>(all.size());
    page.page = q.page;
    page.page_size = q.page_size;
    const std::size_t from = static_cast<std::size_t>((q.page - 1) * q.page_size);
    for (std::size_t i = from; i < all.size() && i < from + static_cast<std::size_t>(q.page_size);
         ++i) {
      page.items.push_back(all[i]);
    }
    return page;
  }
  Result<std::vector<core::Bundle>> bundles(std::string_view item_code) override {
    ++reads;
    std::vector<core::Bundle> out;
    for (const auto& b : bundle_list) {
      if (item_code.empty() ||
          std::find(b.item_codes.begin(), b.item_codes.end(), item_code) != b.item_codes.end()) {
        out.push_back(b);
      }
    }
    return out;
  }
  Result<std::optional<core::Bundle>> bundle(std::string_view code) override {
    for (const auto& b : bundle_list) {
      if (b.code == code) return std::optional<core::Bundle>(b);
    }
    return std::optional<core::Bundle>();
  }
  Result<std::optional<core::MaterialTemplate>> material_template(std::string_view, int) override {
    return std::optional<core::MaterialTemplate>();
  }
  Result<std::int64_t> generation() override { return gen; }
  Result<bool> empty() override { return region_list.empty(); }
  Result<void> put_region(const core::Region&) override { return {}; }
  Result<void> put_department(const core::Department&) override { return {}; }
  Result<std::int64_t> add_item_version(const core::ItemVersion&,
                                        const std::vector<core::MaterialTemplate>&) override {
    return std::int64_t{0};
  }
  Result<void> set_version_state(std::int64_t, core::VersionState, std::string_view) override {
    return {};
  }
  Result<void> put_bundle(const core::Bundle&) override { return {}; }
};

core::Department dept(std::string code, std::string name, std::string region,
                      core::DepartmentKind kind = core::DepartmentKind::approval) {
  core::Department d;
  d.code = std::move(code);
  d.name = std::move(name);
  d.region_code = std::move(region);
  d.kind = kind;
  d.phone = "0768-2222222";
  d.address = "潮州市枫春路行政服务中心二楼";
  d.hours = "工作日 8:30-12:00，14:30-17:30";
  return d;
}

core::ItemVersion food_licence() {
  core::ItemVersion v;
  v.item_code = "445100-SCJGJ-001";
  v.name = "食品经营许可";
  v.state = core::VersionState::published;
  v.published_on = "2024-03-01";
  v.type = core::ItemType::licence;
  v.department_code = "445100-SCJGJ";
  v.legal_basis = "《中华人民共和国食品安全法》第三十五条";
  v.conditions = {"有与经营的食品品种相适应的经营场所", "有食品安全管理人员"};
  core::Material form;
  form.name = "食品经营许可申请书";
  form.required = true;
  form.form = core::MaterialForm::original;
  form.copies = 1;
  form.source = "申请人自备";
  form.note = "申请人签字";
  form.template_filename = "食品经营许可申请书.pdf";
  core::Material licence;
  licence.name = "营业执照";
  licence.required = false;
  licence.form = core::MaterialForm::copy;
  licence.copies = 2;
  licence.source = "政府部门核发";
  v.materials = {form, licence};
  v.procedure = {"申请", "受理", "审查", "决定", "送达"};
  v.legal_limit_days = 20;
  v.promised_limit_days = 10;
  v.fees = "";
  v.result_name = "食品经营许可证";
  v.visits = 0;
  v.online_level = core::OnlineLevel::full_online;
  v.consult_phone = "0768-1111111";
  v.complaint_phone = "0768-12345";
  v.place = "潮州市行政服务中心市场监管窗口";
  v.hours = "工作日 9:00-17:00";
  v.audience = core::Audience::organisation;
  return v;
}

class PagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo = std::make_shared<FakeRepository>();
    repo->region_list = {{"445100", "潮州市", ""}, {"445102", "湘桥区", "445100"}};
    repo->department_list = {
        dept("445100-SCJGJ", "潮州市市场监督管理局", "445100"),
        dept("445100-WJJ", "潮州市卫生健康局", "445100"),
        dept("445102-SCJGJ", "湘桥区市场监督管理局", "445102"),
        dept("445100-XZFWZX", "潮州市行政服务中心", "445100", core::DepartmentKind::service_centre),
        dept("445100-JCJ", "潮州市监察局", "445100", core::DepartmentKind::supervision),
    };
    repo->items.push_back(food_licence());
    core::ItemVersion hygiene = food_licence();
    hygiene.item_code = "445100-WJJ-001";
    hygiene.name = "公共场所卫生许可";
    hygiene.department_code = "445100-WJJ";
    hygiene.fees = "工本费 10 元";
    hygiene.offline_reason = "涉及国家秘密，依法不在网上办理";
    hygiene.audience = core::Audience::person;
    repo->items.push_back(hygiene);
    core::Bundle b;
    b.code = "B001";
    b.name = "开办餐饮店";
    b.lead_department_code = "445100-SCJGJ";
    b.item_codes = {"445100-SCJGJ-001", "445100-WJJ-001"};
    b.description = "一次申请，同时办理食品经营许可和公共场所卫生许可。";
    repo->bundle_list.push_back(b);
    pages = std::make_unique<Pages>(std::make_shared<app::CatalogueService>(repo));
    pages->register_routes(router);
  }

  // What the server does: the fast path first, then the blocking handler.
  struct Served {
    http::Response response;
    bool fast = false;
    std::string body() const { return std::string(response.body_view()); }
    std::optional<std::string> header(std::string_view name) const {
      for (const auto& [k, v] : response.headers) {
        if (http::iequals(k, name)) return v;
      }
      return std::nullopt;
    }
  };
  Served get(const std::string& target,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) {
      std::string rest = target.substr(q + 1);
      // Tests use unencoded values; enough for these cases.
      std::size_t start = 0;
      while (start <= rest.size()) {
        const auto amp = rest.find('&', start);
        const std::string pair =
            rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
        const auto eq = pair.find('=');
        if (!pair.empty()) {
          req.query.emplace_back(pair.substr(0, eq),
                                 eq == std::string::npos ? "" : pair.substr(eq + 1));
        }
        if (amp == std::string::npos) break;
        start = amp + 1;
      }
    }
    req.headers = std::move(headers);
    req.request_id = "req-test-42";
    auto match = router.match("GET", req.path);
    if (!match.route) {
      return {html_error(make_error(ErrorKind::not_found, "not_found", "您访问的页面不存在"), req),
              false};
    }
    for (auto& [k, v] : match.params) req.params[k] = v;
    if (match.route->options.fast) {
      if (auto r = match.route->options.fast(req)) return {std::move(*r), true};
    }
    return {match.route->handler(req), false};
  }

  std::shared_ptr<FakeRepository> repo;
  std::unique_ptr<Pages> pages;
  http::Router router;
};

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- pages -----------------------------------------------------------------------------------

TEST_F(PagesTest, GuideShowsEveryElement) {
  auto r = get("/items/445100-SCJGJ-001");
  ASSERT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.content_type, "text/html; charset=utf-8");
  const std::string html = r.body();
  for (const char* text :
       {"lang=\"zh-CN\"", "潮州市网上行政审批系统", "跳到主要内容", "主办单位：潮州市行政服务中心",
        "技术支持：潮州市信息管理办公室", "办事指南",
        // elements of the guide, label and value
        "事项名称", "食品经营许可", "事项编码", "445100-SCJGJ-001", "事项类型", "行政许可",
        "实施主体", "潮州市市场监督管理局", "设定依据", "《中华人民共和国食品安全法》第三十五条",
        "受理条件", "有与经营的食品品种相适应的经营场所", "有食品安全管理人员", "申请材料", "序号",
        "材料名称", "是否必需", "必需", "非必需", "材料形式", "原件", "复印件", "份数", "来源",
        "申请人自备", "政府部门核发", "备注", "申请人签字", "样表下载",
        "/api/v1/items/445100-SCJGJ-001/materials/0/template", "办理流程", "<li>申请</li>",
        "<li>送达</li>", "法定时限", "20 个工作日", "承诺时限", "10 个工作日", "收费标准", "不收费",
        "办理结果", "食品经营许可证", "到现场次数", "0 次", "网上办理深度", "全程网办（四级）",
        "服务对象", "法人", "咨询电话", "0768-1111111", "监督投诉电话", "0768-12345", "办理地点",
        "潮州市行政服务中心市场监管窗口", "办理时间", "工作日 9:00-17:00",
        // bundles and actions
        "开办餐饮店", "/bundles/B001", "下载申请表", "/api/v1/items/445100-SCJGJ-001/form.pdf",
        "打印办事指南", "/items/445100-SCJGJ-001/print", "在线申报",
        "href=\"/apply/445100-SCJGJ-001\""}) {
    EXPECT_TRUE(contains(html, text)) << "missing: " << text;
  }
  // Only the first material has a template; the second says so.
  EXPECT_FALSE(contains(html, "/materials/1/template"));
  EXPECT_FALSE(contains(html, "本事项不提供网上办理"));
  EXPECT_FALSE(contains(html, "<script")) << "no scripts (CSP default-src 'self')";
  EXPECT_FALSE(contains(html, "style=")) << "no inline styles (CSP)";
}

TEST_F(PagesTest, OfflineItemShowsNoticeAndNoOnlineElements) {
  auto r = get("/items/445100-WJJ-001");
  ASSERT_EQ(r.response.status, 200);
  const std::string html = r.body();
  EXPECT_TRUE(contains(html, "本事项不提供网上办理"));
  EXPECT_TRUE(contains(html, "涉及国家秘密，依法不在网上办理"));
  EXPECT_FALSE(contains(html, "href=\"/apply/")) << "no online application for an offline item";
  EXPECT_FALSE(contains(html, "全程网办"));
  EXPECT_TRUE(contains(html, "工本费 10 元"));
  EXPECT_FALSE(contains(html, "不收费"));
}

TEST_F(PagesTest, UnknownItemIs404InChineseWithRequestId) {
  auto r = get("/items/NO-SUCH-ITEM");
  EXPECT_EQ(r.response.status, 404);
  const std::string html = r.body();
  EXPECT_TRUE(contains(html, "未找到该事项"));
  EXPECT_TRUE(contains(html, "req-test-42"));
  EXPECT_TRUE(contains(html, "lang=\"zh-CN\""));
  EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(pages->cached_pages(), 0u) << "errors are not cached";
  // The lead's fallback for unknown paths.
  auto other = get("/no/such/page");
  EXPECT_EQ(other.response.status, 404);
  EXPECT_TRUE(contains(other.body(), "页面不存在"));
}

TEST_F(PagesTest, InternalErrorPageHidesTheMessage) {
  http::Request req;
  req.request_id = "abc123";
  auto r = html_error(make_error(ErrorKind::internal, "db", "SQLITE_CORRUPT in table items"), req);
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(contains(r.body, "系统繁忙"));
  EXPECT_TRUE(contains(r.body, "abc123"));
  EXPECT_FALSE(contains(r.body, "SQLITE"));
}

TEST_F(PagesTest, NamesAreEscaped) {
  auto v = food_licence();
  v.item_code = "X-1";
  v.name = "<script>alert(1)</script>许可";
  repo->items.push_back(v);
  auto r = get("/items/X-1");
  ASSERT_EQ(r.response.status, 200);
  EXPECT_FALSE(contains(r.body(), "<script>alert(1)"));
  EXPECT_TRUE(contains(r.body(), "&lt;script&gt;alert(1)&lt;/script&gt;许可"));
}

TEST_F(PagesTest, PrintPageHasNoNavigation) {
  auto r = get("/items/445100-SCJGJ-001/print");
  ASSERT_EQ(r.response.status, 200);
  const std::string html = r.body();
  EXPECT_TRUE(contains(html, "食品经营许可申请书"));
  EXPECT_TRUE(contains(html, "print.css"));
  EXPECT_FALSE(contains(html, "主导航"));
  EXPECT_FALSE(contains(html, "下载申请表"));
}

TEST_F(PagesTest, HomeListsThemesDepartmentsByRegionBundlesAndCityBodies) {
  auto r = get("/");
  ASSERT_EQ(r.response.status, 200);
  const std::string html = r.body();
  for (const char* text : {"搜索事项", "action=\"/search\"", "个人办事", "/search?audience=person",
                           "法人办事", "/search?audience=organisation", "市直单位", "湘桥区",
                           "湘桥区市场监督管理局", "/departments/445100-SCJGJ", "并联审批",
                           "开办餐饮店", "潮州市行政服务中心", "潮州市监察局"}) {
    EXPECT_TRUE(contains(html, text)) << "missing: " << text;
  }
  // 市直单位 come before the county, and the city-wide bodies after the directory.
  EXPECT_LT(html.find("市直单位"), html.find("<h3>湘桥区</h3>"));
  EXPECT_LT(html.find("湘桥区市场监督管理局"), html.find("潮州市监察局"));
}

TEST_F(PagesTest, SearchShowsCountAndResults) {
  auto r = get("/search?q=食品");
  ASSERT_EQ(r.response.status, 200);
  const std::string html = r.body();
  EXPECT_TRUE(contains(html, "共 1 项"));
  EXPECT_TRUE(contains(html, "href=\"/items/445100-SCJGJ-001\""));
  EXPECT_TRUE(contains(html, "承诺时限：</span>10 个工作日"));
  EXPECT_TRUE(contains(html, "value=\"食品\""));
}

TEST_F(PagesTest, SearchWithNoMatchSaysSo) {
  auto r = get("/search?q=火箭");
  ASSERT_EQ(r.response.status, 200);
  EXPECT_TRUE(contains(r.body(), "未找到与“火箭”相关的事项"));
  EXPECT_TRUE(contains(r.body(), "共 0 项"));
}

TEST_F(PagesTest, SearchBadParameterIs400WithMessageNextToTheBox) {
  for (const char* target : {"/search?q=食品&page=abc", "/search?page=0", "/search?audience=alien",
                             "/search?dept=NOPE", "/search?page=99999"}) {
    auto r = get(target);
    EXPECT_EQ(r.response.status, 400) << target;
    EXPECT_TRUE(contains(r.body(), "id=\"search-error\"")) << target;
    EXPECT_TRUE(contains(r.body(), "aria-invalid=\"true\"")) << target;
  }
  EXPECT_TRUE(contains(get("/search?page=abc").body(), "页码必须是正整数"));
  EXPECT_EQ(pages->cached_pages(), 0u);
}

TEST_F(PagesTest, SearchPaginates) {
  for (int i = 0; i < 45; ++i) {
    auto v = food_licence();
    v.item_code = "P-" + std::to_string(i);
    v.name = "批量许可" + std::to_string(i);
    repo->items.push_back(v);
  }
  auto first = get("/search?q=批量");
  ASSERT_EQ(first.response.status, 200);
  EXPECT_TRUE(contains(first.body(), "共 45 项"));
  EXPECT_TRUE(contains(first.body(), "下一页"));
  EXPECT_FALSE(contains(first.body(), "上一页"));
  EXPECT_TRUE(contains(first.body(), "page=3"));
  auto second = get("/search?q=批量&page=2");
  EXPECT_TRUE(contains(second.body(), "上一页"));
  EXPECT_TRUE(contains(second.body(), "下一页"));
  EXPECT_TRUE(
      contains(second.body(), "aria-current=\"page\"><span class=\"visually-hidden\">第 </span>2"));
}

TEST_F(PagesTest, SearchByAudience) {
  auto r = get("/search?audience=person");
  ASSERT_EQ(r.response.status, 200);
  EXPECT_TRUE(contains(r.body(), "个人办事"));
  EXPECT_TRUE(contains(r.body(), "公共场所卫生许可"));
  EXPECT_FALSE(contains(r.body(), ">食品经营许可<"));
}

TEST_F(PagesTest, DepartmentPage) {
  auto r = get("/departments/445100-SCJGJ");
  ASSERT_EQ(r.response.status, 200);
  const std::string html = r.body();
  for (const char* text :
       {"潮州市市场监督管理局", "潮州市", "0768-2222222", "潮州市枫春路行政服务中心二楼",
        "工作日 8:30-12:00，14:30-17:30", "食品经营许可", "共 1 项"}) {
    EXPECT_TRUE(contains(html, text)) << "missing: " << text;
  }
  auto body = get("/departments/445100-XZFWZX");
  EXPECT_TRUE(contains(body.body(), "该机构不直接审批事项"));
  auto missing = get("/departments/NOPE");
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_TRUE(contains(missing.body(), "未找到该单位"));
}

TEST_F(PagesTest, BundlePages) {
  auto list = get("/bundles");
  ASSERT_EQ(list.response.status, 200);
  EXPECT_TRUE(contains(list.body(), "开办餐饮店"));
  auto one = get("/bundles/B001");
  ASSERT_EQ(one.response.status, 200);
  const std::string html = one.body();
  for (const char* text : {"牵头单位", "潮州市市场监督管理局", "联合办理时限", "45 个工作日",
                           "食品经营许可", "公共场所卫生许可", "/items/445100-WJJ-001"}) {
    EXPECT_TRUE(contains(html, text)) << "missing: " << text;
  }
  EXPECT_EQ(get("/bundles/NOPE").response.status, 404);
}

TEST_F(PagesTest, DepartmentsPage) {
  auto r = get("/departments");
  ASSERT_EQ(r.response.status, 200);
  EXPECT_TRUE(contains(r.body(), "湘桥区市场监督管理局"));
  EXPECT_TRUE(contains(r.body(), "aria-current=\"page\">部门"));
}

// ---- the cache -------------------------------------------------------------------------------

TEST_F(PagesTest, SecondRequestIsServedByTheFastHandlerWithoutTheDatabase) {
  auto first = get("/items/445100-SCJGJ-001");
  ASSERT_EQ(first.response.status, 200);
  EXPECT_FALSE(first.fast);
  const int reads = repo->reads;
  auto second = get("/items/445100-SCJGJ-001");
  EXPECT_TRUE(second.fast);
  EXPECT_EQ(repo->reads, reads) << "the fast path must not touch the database";
  EXPECT_EQ(second.response.status, 200);
  EXPECT_EQ(second.body(), first.body());
  EXPECT_EQ(second.header("Cache-Control").value_or(""), "public, max-age=60");
  EXPECT_EQ(second.header("Vary").value_or(""), "Accept-Encoding");
  EXPECT_EQ(second.header("ETag"), first.header("ETag"));
  ASSERT_TRUE(second.header("ETag"));
  EXPECT_EQ(second.header("ETag")->front(), '"') << "a strong, quoted ETag";
}

TEST_F(PagesTest, IfNoneMatchGets304) {
  auto first = get("/items/445100-SCJGJ-001");
  const std::string etag = first.header("ETag").value_or("");
  ASSERT_FALSE(etag.empty());
  auto again = get("/items/445100-SCJGJ-001", {{"If-None-Match", etag}});
  EXPECT_TRUE(again.fast);
  EXPECT_EQ(again.response.status, 304);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(again.header("ETag").value_or(""), etag);
  auto other = get("/items/445100-SCJGJ-001", {{"If-None-Match", "\"something-else\""}});
  EXPECT_EQ(other.response.status, 200);
}

std::string gunzip(std::string_view in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(in.size() * 20 + 1024, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  EXPECT_EQ(rc, Z_STREAM_END);
  return out;
}

TEST_F(PagesTest, GzipWhenAsked) {
  auto plain = get("/items/445100-SCJGJ-001");
  for (int i = 0; i < 2; ++i) {
    auto gz = get("/items/445100-SCJGJ-001", {{"Accept-Encoding", "br, gzip;q=0.8"}});
    EXPECT_TRUE(gz.fast);
    EXPECT_EQ(gz.header("Content-Encoding").value_or(""), "gzip");
    EXPECT_LT(gz.body().size(), plain.body().size());
    EXPECT_EQ(gunzip(gz.body()), plain.body());
    EXPECT_NE(gz.header("ETag"), plain.header("ETag")) << "each representation has its own tag";
  }
  auto refused = get("/items/445100-SCJGJ-001", {{"Accept-Encoding", "gzip;q=0, deflate"}});
  EXPECT_FALSE(refused.header("Content-Encoding"));
  EXPECT_EQ(refused.body(), plain.body());
}

TEST_F(PagesTest, GenerationChangeInvalidates) {
  auto first = get("/items/445100-SCJGJ-001");
  EXPECT_TRUE(get("/items/445100-SCJGJ-001").fast);
  // A new version is published: the timer notices and the old bytes are not served.
  repo->items[0].name = "食品经营许可（新版）";
  repo->gen = 2;
  pages->refresh_generation();
  EXPECT_EQ(pages->cached_pages(), 0u);
  auto after = get("/items/445100-SCJGJ-001");
  EXPECT_FALSE(after.fast);
  EXPECT_TRUE(contains(after.body(), "食品经营许可（新版）"));
  EXPECT_NE(after.header("ETag"), first.header("ETag"));
  EXPECT_TRUE(get("/items/445100-SCJGJ-001").fast);
}

TEST_F(PagesTest, StaleGenerationSeenByTheBlockingPathAlsoInvalidates) {
  get("/");
  EXPECT_TRUE(get("/").fast);
  repo->gen = 5;
  // No timer ran: a miss on another page reads the new generation and drops the old pages.
  get("/bundles");
  EXPECT_FALSE(get("/").fast);
}

TEST_F(PagesTest, OnlyTheFirstPageOfAFreeTextSearchIsCached) {
  get("/search?q=食品");
  EXPECT_TRUE(get("/search?q=食品").fast);
  EXPECT_TRUE(get("/search?q=食品&utm=x").fast) << "unknown parameters do not make new keys";
  get("/search?q=食品&page=2");
  EXPECT_FALSE(get("/search?q=食品&page=2").fast);
  get("/search?audience=person&page=2");
  EXPECT_TRUE(get("/search?audience=person&page=2").fast);
}

TEST(PageCache, IsBoundedAndDropsTheOldestFirst) {
  PageCache cache(3);
  cache.set_generation(7);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(
        cache.put("k" + std::to_string(i), CachedPage::make(7, "text/html", "public", "body")));
  }
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.get("k0"));
  EXPECT_FALSE(cache.get("k1"));
  EXPECT_TRUE(cache.get("k4"));
  // An entry rendered at another generation is refused.
  EXPECT_FALSE(cache.put("old", CachedPage::make(6, "text/html", "public", "body")));
}

TEST(PageCache, NothingIsServedBeforeTheGenerationIsKnown) {
  PageCache cache;
  EXPECT_FALSE(cache.put("k", CachedPage::make(0, "text/html", "public", "x")));
  EXPECT_FALSE(cache.get("k"));
}

TEST(PageCache, AcceptEncodingParsing) {
  struct Case {
    const char* header;
    bool gzip;
  };
  for (const Case c :
       {Case{"gzip", true}, Case{"gzip, deflate, br", true}, Case{"br;q=1.0, GZIP;q=0.5", true},
        Case{"gzip;q=0", false}, Case{"gzip; q=0.000", false}, Case{"deflate", false},
        Case{"*", true}, Case{"", false}}) {
    http::Request req;
    req.headers.emplace_back("Accept-Encoding", c.header);
    EXPECT_EQ(accepts_gzip(req), c.gzip) << c.header;
  }
}

// ---- static files ------------------------------------------------------------------------------

TEST_F(PagesTest, StaticFilesAreVersionedAndCachedForAYear) {
  const std::string url = StaticFiles::instance().url("site.css");
  ASSERT_TRUE(contains(url, "/static/site.css?v="));
  EXPECT_TRUE(contains(get("/").body(), url)) << "pages link the versioned URL";
  auto css = get(url);
  EXPECT_TRUE(css.fast);
  EXPECT_EQ(css.response.status, 200);
  EXPECT_EQ(css.response.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.header("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
  EXPECT_TRUE(contains(css.body(), "font-family"));
  auto unversioned = get("/static/site.css");
  EXPECT_EQ(unversioned.header("Cache-Control").value_or(""), "public, max-age=300");
  auto revalidated =
      get("/static/site.css", {{"If-None-Match", unversioned.header("ETag").value_or("")}});
  EXPECT_EQ(revalidated.response.status, 304);
  EXPECT_EQ(get("/static/nothing.css").response.status, 404);
  auto icon = get("/favicon.ico");
  EXPECT_EQ(icon.response.status, 200);
  EXPECT_EQ(icon.response.content_type, "image/svg+xml");
}

}  // namespace
}  // namespace shenpi::web
