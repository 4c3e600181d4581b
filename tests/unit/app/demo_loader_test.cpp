#include "app/demo_loader.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/catalogue_json.h"
#include "core/catalogue/validate.h"
#include "resources/resources.h"

namespace shenpi::app {
namespace {
namespace json = boost::json;
using core::VersionState;

constexpr std::string_view kToday = "2025-03-03";

// ---- an in-memory CatalogueRepository ---------------------------------------------------
// Enough of the port for the loader: it keeps what is written, enforces the version
// workflow of Art. 15 and counts writes so that a test can tell "nothing was written".
class FakeRepository : public CatalogueRepository {
 public:
  struct StoredVersion {
    core::ItemVersion version;
    std::vector<core::MaterialTemplate> templates;
  };

  std::vector<core::Region> regions_;
  std::vector<core::Department> departments_;
  std::map<std::int64_t, StoredVersion> versions_;
  std::vector<core::Bundle> bundles_;
  int writes = 0;
  std::int64_t generation_ = 0;

  Result<std::vector<core::Region>> regions() override { return regions_; }
  Result<std::vector<core::Department>> departments() override { return departments_; }
  Result<std::optional<core::Department>> department(std::string_view code) override {
    for (const auto& d : departments_) {
      if (d.code == code) return std::optional<core::Department>(d);
    }
    return std::optional<core::Department>();
  }
  Result<std::optional<core::ItemVersion>> published_item(std::string_view code) override {
    for (const auto& [id, s] : versions_) {
      if (s.version.item_code == code && s.version.state == VersionState::published) {
        return std::optional<core::ItemVersion>(s.version);
      }
    }
    return std::optional<core::ItemVersion>();
  }
  Result<std::optional<core::ItemVersion>> item_version(std::int64_t id) override {
    auto it = versions_.find(id);
    if (it == versions_.end()) return std::optional<core::ItemVersion>();
    return std::optional<core::ItemVersion>(it->second.version);
  }
  Result<core::ItemPage> search_items(const core::ItemQuery&) override { return core::ItemPage{}; }
  Result<std::vector<core::Bundle>> bundles(std::string_view item_code) override {
    std::vector<core::Bundle> out;
    for (const auto& b : bundles_) {
      if (item_code.empty() ||
          std::count(b.item_codes.begin(), b.item_codes.end(), item_code) > 0) {
        out.push_back(b);
      }
    }
    return out;
  }
  Result<std::optional<core::Bundle>> bundle(std::string_view code) override {
    for (const auto& b : bundles_) {
      if (b.code == code) return std::optional<core::Bundle>(b);
    }
    return std::optional<core::Bundle>();
  }
  Result<std::optional<core::MaterialTemplate>> material_template(std::string_view item_code,
                                                                  int index) override {
    for (const auto& [id, s] : versions_) {
      if (s.version.item_code != item_code || s.version.state != VersionState::published) continue;
      if (index < 0 || index >= static_cast<int>(s.templates.size())) break;
      const auto& t = s.templates[static_cast<std::size_t>(index)];
      if (t.filename.empty()) break;
      return std::optional<core::MaterialTemplate>(t);
    }
    return std::optional<core::MaterialTemplate>();
  }
  Result<std::int64_t> generation() override { return generation_; }
  Result<bool> empty() override { return regions_.empty(); }

  Result<void> put_region(const core::Region& r) override {
    ++writes;
    regions_.push_back(r);
    return ok_result();
  }
  Result<void> put_department(const core::Department& d) override {
    ++writes;
    departments_.push_back(d);
    return ok_result();
  }
  Result<std::int64_t> add_item_version(
      const core::ItemVersion& v, const std::vector<core::MaterialTemplate>& templates) override {
    ++writes;
    const std::int64_t id = static_cast<std::int64_t>(versions_.size()) + 1;
    StoredVersion s{v, templates};
    s.version.id = id;
    s.version.state = VersionState::draft;
    s.version.version_no = 1;
    for (const auto& [other_id, other] : versions_) {
      if (other.version.item_code == v.item_code) ++s.version.version_no;
    }
    versions_.emplace(id, std::move(s));
    return id;
  }
  Result<void> set_version_state(std::int64_t id, VersionState state,
                                 std::string_view today) override {
    ++writes;
    auto it = versions_.find(id);
    if (it == versions_.end()) return make_error(ErrorKind::not_found, "version_not_found", "");
    core::ItemVersion& v = it->second.version;
    const bool allowed = (v.state == VersionState::draft && state == VersionState::signed_off) ||
                         (v.state == VersionState::signed_off && state == VersionState::filed) ||
                         (v.state == VersionState::filed && state == VersionState::published);
    if (!allowed) return make_error(ErrorKind::conflict, "bad_transition", "");
    if (state == VersionState::published) {
      for (auto& [other_id, other] : versions_) {
        if (other_id != id && other.version.item_code == v.item_code &&
            other.version.state == VersionState::published) {
          other.version.state = VersionState::superseded;
        }
      }
      v.published_on = std::string(today);
      ++generation_;
    }
    v.state = state;
    return ok_result();
  }
  Result<void> put_bundle(const core::Bundle& b) override {
    ++writes;
    bundles_.push_back(b);
    return ok_result();
  }
};

//! Stands in for docs::render_text_document: recognisable bytes, and a call count.
struct FakeRenderer {
  int calls = 0;
  bool fail = false;
  TemplateRenderer fn() {
    return [this](std::string_view title,
                  const std::vector<std::string>& paragraphs) -> Result<std::string> {
      ++calls;
      if (fail) return make_error(ErrorKind::internal, "render_failed", "渲染失败");
      std::string bytes = "%PDF-fake\n" + std::string(title);
      for (const auto& p : paragraphs) bytes += "\n" + p;
      return bytes;
    };
  }
};

std::string demo_text() {
  auto r = resource("data/demo/catalogue.json");
  EXPECT_TRUE(r.has_value()) << "the demo catalogue is not embedded";
  return r ? std::string(*r) : std::string();
}

json::object demo_doc() { return json::parse(demo_text()).as_object(); }

std::string name_of_item(const json::value& item) {
  return std::string(item.at("name").as_string().c_str());
}

// ---- the shipped data -------------------------------------------------------------------

TEST(DemoCatalogue, ParsesAndEveryItemAndBundleValidates) {
  const json::object doc = demo_doc();
  for (const auto& v : doc.at("regions").as_array()) ASSERT_TRUE(region_from_json(v).ok());
  for (const auto& v : doc.at("departments").as_array()) {
    auto d = department_from_json(v);
    ASSERT_TRUE(d.ok()) << d.error().field << ": " << d.error().message;
  }
  for (const auto& v : doc.at("items").as_array()) {
    SCOPED_TRACE(name_of_item(v));
    auto item = item_version_from_json(v);
    ASSERT_TRUE(item.ok()) << item.error().field << ": " << item.error().message;
    auto ok = core::validate_item_version(*item);
    EXPECT_TRUE(ok.ok()) << ok.error().field << ": " << ok.error().message;
    EXPECT_FALSE(item->legal_basis.empty());
    EXPECT_FALSE(item->conditions.empty());
    EXPECT_GE(item->procedure.size(), 4u);
    EXPECT_FALSE(item->result_name.empty());
    EXPECT_FALSE(item->consult_phone.empty());
    EXPECT_FALSE(item->complaint_phone.empty());
    EXPECT_FALSE(item->place.empty());
    EXPECT_FALSE(item->themes.empty());
    EXPECT_LT(item->promised_limit_days, item->legal_limit_days + 1);
    EXPECT_GE(item->form.size(), 5u);
    EXPECT_LE(item->form.size(), 15u);
  }
  for (const auto& v : doc.at("bundles").as_array()) {
    auto b = bundle_from_json(v);
    ASSERT_TRUE(b.ok()) << b.error().field << ": " << b.error().message;
    EXPECT_TRUE(core::validate_bundle(*b).ok()) << b->name;
  }
}

TEST(DemoCatalogue, CoversTheCityItsCountiesAndTheBodiesOfTheRegulation) {
  const json::object doc = demo_doc();
  std::set<std::string> regions;
  for (const auto& v : doc.at("regions").as_array()) regions.insert(region_from_json(v)->code);
  for (const char* code : {"445100", "445102", "445103", "445122"}) {
    EXPECT_TRUE(regions.contains(code)) << code;
  }

  int city_approval = 0, county = 0;
  std::set<core::DepartmentKind> kinds;
  for (const auto& v : doc.at("departments").as_array()) {
    const core::Department d = *department_from_json(v);
    kinds.insert(d.kind);
    if (d.kind == core::DepartmentKind::approval && d.region_code == "445100") ++city_approval;
    if (d.region_code != "445100") ++county;
    EXPECT_EQ(d.phone.rfind("0768-", 0), 0u) << d.name;
  }
  EXPECT_GE(city_approval, 8);
  EXPECT_GE(county, 3);
  for (auto k : {core::DepartmentKind::service_centre, core::DepartmentKind::establishment,
                 core::DepartmentKind::information, core::DepartmentKind::supervision,
                 core::DepartmentKind::leading_group}) {
    EXPECT_TRUE(kinds.contains(k)) << core::to_string(k);
  }
}

TEST(DemoCatalogue, HasTheItemsTheIssueNamesAndOneThatMayNotGoOnline) {
  const json::object doc = demo_doc();
  std::set<std::string> names;
  int offline = 0, with_fee = 0, templates = 0, county_items = 0;
  for (const auto& v : doc.at("items").as_array()) {
    const core::ItemVersion item = *item_version_from_json(v);
    names.insert(item.name);
    if (!item.offline_reason.empty()) {
      ++offline;
      EXPECT_EQ(item.online_level, core::OnlineLevel::info_only) << item.name;
    }
    if (!item.fees.empty()) ++with_fee;
    if (item.department_code.rfind("445100-", 0) != 0) ++county_items;
    for (const auto& m : v.at("materials").as_array()) {
      if (m.as_object().contains("template")) ++templates;
    }
  }
  EXPECT_GE(names.size(), 18u);
  for (const char* required :
       {"食品经营许可", "公共场所卫生许可", "建设工程规划许可证", "户外广告设施设置审批"}) {
    EXPECT_TRUE(names.contains(required)) << required;
  }
  EXPECT_GE(offline, 1);
  EXPECT_GE(with_fee, 1);
  EXPECT_GE(templates, 4);
  EXPECT_GE(county_items, 3);
}

// ---- loading ------------------------------------------------------------------------------

TEST(DemoLoader, LoadsEverythingPublishedIntoAnEmptyRepository) {
  const json::object doc = demo_doc();
  FakeRepository repo;
  FakeRenderer renderer;
  auto report = load_demo_catalogue(repo, renderer.fn(), kToday);
  ASSERT_TRUE(report.ok()) << report.error().field << ": " << report.error().message;

  EXPECT_EQ(report->regions, static_cast<int>(doc.at("regions").as_array().size()));
  EXPECT_EQ(report->departments, static_cast<int>(doc.at("departments").as_array().size()));
  EXPECT_EQ(report->items, static_cast<int>(doc.at("items").as_array().size()));
  EXPECT_EQ(report->bundles, static_cast<int>(doc.at("bundles").as_array().size()));
  EXPECT_GE(report->items, 18);
  EXPECT_GE(report->templates, 4);
  EXPECT_EQ(renderer.calls, report->templates);
  EXPECT_EQ(repo.regions_.size(), static_cast<std::size_t>(report->regions));
  EXPECT_EQ(repo.departments_.size(), static_cast<std::size_t>(report->departments));
  EXPECT_EQ(repo.regions_.front().code, "445100");  // parents are written first

  // Every item ends published today, and every material that names a template has one.
  std::set<std::string> names;
  for (const auto& [id, s] : repo.versions_) {
    EXPECT_EQ(s.version.state, VersionState::published) << s.version.name;
    EXPECT_EQ(s.version.published_on, kToday);
    names.insert(s.version.name);
    ASSERT_EQ(s.templates.size(), s.version.materials.size());
    for (std::size_t m = 0; m < s.version.materials.size(); ++m) {
      EXPECT_EQ(s.templates[m].filename, s.version.materials[m].template_filename)
          << s.version.name << " / " << s.version.materials[m].name;
      if (!s.templates[m].filename.empty()) {
        EXPECT_EQ(s.templates[m].content_type, "application/pdf");
        EXPECT_EQ(s.templates[m].bytes.rfind("%PDF", 0), 0u);
      }
    }
  }
  for (const char* required :
       {"食品经营许可", "公共场所卫生许可", "建设工程规划许可证", "户外广告设施设置审批"}) {
    EXPECT_TRUE(names.contains(required)) << required;
  }

  auto food = repo.published_item("445100-SCJGJ-XK-001");
  ASSERT_TRUE(food.ok() && food->has_value());
  EXPECT_EQ((*food)->name, "食品经营许可");
  auto application = repo.material_template("445100-SCJGJ-XK-001", 0);
  ASSERT_TRUE(application.ok() && application->has_value());
  EXPECT_EQ((*application)->filename, "食品经营许可申请书.pdf");
  EXPECT_NE((*application)->bytes.find("潮州市市场监督管理局"), std::string::npos);

  // Every bundle refers to published items, and the restaurant bundle is led by 市场监管局.
  bool restaurant = false;
  for (const auto& b : repo.bundles_) {
    for (const auto& code : b.item_codes) {
      auto item = repo.published_item(code);
      ASSERT_TRUE(item.ok());
      EXPECT_TRUE(item->has_value()) << b.name << " → " << code;
    }
    if (b.name == "开办餐饮店") {
      restaurant = true;
      EXPECT_EQ(b.lead_department_code, "445100-SCJGJ");
      EXPECT_EQ(b.joint_limit_days, 45);
    }
  }
  EXPECT_TRUE(restaurant);
}

TEST(DemoLoader, LoadingTwiceIsAConflictAndWritesNothingMore) {
  FakeRepository repo;
  FakeRenderer renderer;
  ASSERT_TRUE(load_demo_catalogue(repo, renderer.fn(), kToday).ok());
  const int writes = repo.writes;
  auto again = load_demo_catalogue(repo, renderer.fn(), kToday);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(again.error().code, "not_empty");
  EXPECT_EQ(repo.writes, writes);
}

//! A broken variant of the shipped document, and the field the error must name.
struct BrokenCase {
  const char* what;
  void (*breaks)(json::object&);
  const char* field;
};

TEST(DemoLoader, RejectsInvalidDataBeforeWritingAnything) {
  const std::vector<BrokenCase> cases = {
      {"promised limit beyond legal",
       [](json::object& d) { d["items"].as_array()[2].as_object()["promised_limit_days"] = 99; },
       "items[2].promised_limit_days"},
      {"material without name",
       [](json::object& d) {
         d["items"].as_array()[0].as_object()["materials"].as_array()[1].as_object()["name"] = "";
       },
       "items[0].materials[1].name"},
      {"bad enum in the codec",
       [](json::object& d) { d["items"].as_array()[1].as_object()["online_level"] = "five_stars"; },
       "items[1].online_level"},
      {"item of an unknown department",
       [](json::object& d) { d["items"].as_array()[3].as_object()["department"] = "445100-NOPE"; },
       "items[3].department"},
      {"duplicate item code",
       [](json::object& d) {
         auto& items = d["items"].as_array();
         items[4].as_object()["code"] = items[0].as_object()["code"];
       },
       "items[4].code"},
      {"bundle with an unknown item",
       [](json::object& d) {
         d["bundles"].as_array()[0].as_object()["items"].as_array()[1] = "445100-NOPE-XK-999";
       },
       "bundles[0].items[1]"},
      {"bundle with one item",
       [](json::object& d) {
         d["bundles"].as_array()[0].as_object()["items"] = json::array{"445100-SCJGJ-XK-001"};
       },
       "bundles[0].items"},
      {"department of an unknown region",
       [](json::object& d) { d["departments"].as_array()[5].as_object()["region"] = "440000"; },
       "departments[5].region"},
      {"region with an unknown parent",
       [](json::object& d) { d["regions"].as_array()[1].as_object()["parent"] = "449999"; },
       "regions[1].parent"},
      {"template without paragraphs",
       [](json::object& d) {
         d["items"].as_array()[0].as_object()["materials"].as_array()[0].as_object()["template"] =
             json::object{{"title", "食品经营许可申请书"}};
       },
       "items[0].materials[0].template.paragraphs"},
      {"no bundles member", [](json::object& d) { d.erase("bundles"); }, "bundles"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    json::object doc = demo_doc();
    c.breaks(doc);
    FakeRepository repo;
    FakeRenderer renderer;
    auto r = load_demo_catalogue(repo, renderer.fn(), kToday, json::serialize(doc));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_EQ(repo.writes, 0);
  }
}

TEST(DemoLoader, RejectsTextThatIsNotJson) {
  FakeRepository repo;
  FakeRenderer renderer;
  auto r = load_demo_catalogue(repo, renderer.fn(), kToday, "{\"regions\": [");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(repo.writes, 0);
}

TEST(DemoLoader, ARenderFailureWritesNothing) {
  FakeRepository repo;
  FakeRenderer renderer;
  renderer.fail = true;
  auto r = load_demo_catalogue(repo, renderer.fn(), kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "render_failed");
  EXPECT_EQ(repo.writes, 0);
}

TEST(DemoLoader, RejectsAMalformedDate) {
  FakeRepository repo;
  FakeRenderer renderer;
  auto r = load_demo_catalogue(repo, renderer.fn(), "3/3/2025");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "today");
  EXPECT_EQ(repo.writes, 0);
}

}  // namespace
}  // namespace shenpi::app
