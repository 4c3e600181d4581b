// app::CatalogueRepository as implemented by store::make_catalogue_store, on both dialects.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "contract/scratch_database.h"
#include "store/catalogue_store.h"

namespace shenpi::store {
namespace {

using core::Audience;
using core::Bundle;
using core::Department;
using core::ItemQuery;
using core::ItemVersion;
using core::MaterialTemplate;
using core::Region;
using core::VersionState;

const char* const kCity = "445100";
const char* const kMarket = "445100-SCJGJ";
const char* const kHealth = "445100-WSJKJ";
const char* const kCentre = "445100-XZFWZX";
const char* const kDistrictMarket = "445102-SCJGJ";

ItemVersion make_item(const std::string& code, const std::string& name, const std::string& dept,
                      Audience audience, std::vector<std::string> themes = {}) {
  ItemVersion v;
  v.item_code = code;
  v.name = name;
  v.department_code = dept;
  v.audience = audience;
  v.themes = std::move(themes);
  v.legal_basis = "《中华人民共和国行政许可法》";
  v.legal_limit_days = 20;
  v.promised_limit_days = 10;
  v.materials = {{"申请书", true, core::MaterialForm::original, 1, "", "", "申请人自备"}};
  return v;
}

std::vector<std::string> codes(const core::ItemPage& page) {
  std::vector<std::string> out;
  for (const auto& s : page.items) out.push_back(s.code);
  return out;
}

class CatalogueContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    repo_ = make_catalogue_store(db_);
  }

  void TearDown() override {
    repo_.reset();
    DialectTest::TearDown();
  }

  void put_geography() {
    ASSERT_TRUE(repo_->put_region({kCity, "潮州市", ""}).ok());
    ASSERT_TRUE(repo_->put_region({"445103", "潮安区", kCity}).ok());
    ASSERT_TRUE(repo_->put_region({"445102", "湘桥区", kCity}).ok());
    ASSERT_TRUE(repo_
                    ->put_department({kHealth, "潮州市卫生健康局", "市卫生健康局", kCity,
                                      core::DepartmentKind::approval, "0768-2222222", "", "", 2})
                    .ok());
    ASSERT_TRUE(
        repo_
            ->put_department({kDistrictMarket, "潮州市湘桥区市场监督管理局", "湘桥区市场监管局",
                              "445102", core::DepartmentKind::approval, "", "", "", 1})
            .ok());
    ASSERT_TRUE(repo_
                    ->put_department({kMarket, "潮州市市场监督管理局", "市市场监管局", kCity,
                                      core::DepartmentKind::approval, "0768-1111111",
                                      "潮州市枫春路", "工作日", 1})
                    .ok());
    ASSERT_TRUE(repo_
                    ->put_department({kCentre, "潮州市行政服务中心", "行政服务中心", kCity,
                                      core::DepartmentKind::service_centre, "", "", "", 0})
                    .ok());
  }

  // Adds a version and moves it all the way to published.
  std::int64_t publish(const ItemVersion& v, const std::vector<MaterialTemplate>& templates = {}) {
    auto id = repo_->add_item_version(v, templates);
    EXPECT_TRUE(id.ok()) << id.error().message;
    if (!id.ok()) return 0;
    for (VersionState s :
         {VersionState::signed_off, VersionState::filed, VersionState::published}) {
      auto r = repo_->set_version_state(*id, s, "2024-03-01");
      EXPECT_TRUE(r.ok()) << r.error().message;
    }
    return *id;
  }

  // Five published items and one draft.
  void put_items() {
    put_geography();
    publish(make_item("SC-001", "食品经营许可", kMarket, Audience::organisation, {"餐饮", "食品"}));
    publish(make_item("SC-002", "食品生产许可", kMarket, Audience::organisation));
    auto hygiene = make_item("WS-001", "公共场所卫生许可", kHealth, Audience::both, {"卫生"});
    hygiene.result_name = "公共场所卫生许可证";
    publish(hygiene);
    publish(make_item("WS-002", "医师执业注册", kHealth, Audience::person));
    publish(make_item("XQ-001", "小餐饮登记", kDistrictMarket, Audience::person, {"食品", "餐饮"}));
    ASSERT_TRUE(
        repo_
            ->add_item_version(make_item("SC-003", "食品小作坊登记", kMarket, Audience::person), {})
            .ok());
  }

  core::ItemPage search(ItemQuery q) {
    auto page = repo_->search_items(q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? *page : core::ItemPage{};
  }

  core::ItemPage search_text(const std::string& text) {
    ItemQuery q;
    q.text = text;
    return search(q);
  }

  std::shared_ptr<app::CatalogueRepository> repo_;
};

TEST_P(CatalogueContract, EmptyUntilARegionExists) {
  auto e = repo_->empty();
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(*e);
  ASSERT_TRUE(repo_->put_region({kCity, "潮州市", ""}).ok());
  EXPECT_FALSE(*repo_->empty());
}

TEST_P(CatalogueContract, RegionsCityFirstThenByCode) {
  put_geography();
  auto regions = repo_->regions();
  ASSERT_TRUE(regions.ok());
  ASSERT_EQ(regions->size(), 3u);
  EXPECT_EQ((*regions)[0].code, kCity);
  EXPECT_EQ((*regions)[0].parent_code, "");
  EXPECT_EQ((*regions)[1].code, "445102");
  EXPECT_EQ((*regions)[1].name, "湘桥区");
  EXPECT_EQ((*regions)[1].parent_code, kCity);
  EXPECT_EQ((*regions)[2].code, "445103");
  // Putting again updates in place.
  ASSERT_TRUE(repo_->put_region({"445103", "潮安区（新）", kCity}).ok());
  regions = repo_->regions();
  ASSERT_EQ(regions->size(), 3u);
  EXPECT_EQ((*regions)[2].name, "潮安区（新）");
}

TEST_P(CatalogueContract, RegionWithUnknownParentIsRejected) {
  auto r = repo_->put_region({"445102", "湘桥区", "999999"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  EXPECT_TRUE(*repo_->empty());
}

TEST_P(CatalogueContract, DepartmentsByRegionThenSortOrderThenCode) {
  put_geography();
  auto depts = repo_->departments();
  ASSERT_TRUE(depts.ok());
  std::vector<std::string> got;
  for (const auto& d : *depts) got.push_back(d.code);
  EXPECT_EQ(got, (std::vector<std::string>{kCentre, kMarket, kHealth, kDistrictMarket}));

  auto market = repo_->department(kMarket);
  ASSERT_TRUE(market.ok());
  ASSERT_TRUE(market->has_value());
  const Department& d = **market;
  EXPECT_EQ(d.name, "潮州市市场监督管理局");
  EXPECT_EQ(d.short_name, "市市场监管局");
  EXPECT_EQ(d.region_code, kCity);
  EXPECT_EQ(d.kind, core::DepartmentKind::approval);
  EXPECT_EQ(d.phone, "0768-1111111");
  EXPECT_EQ(d.address, "潮州市枫春路");
  EXPECT_EQ(d.hours, "工作日");
  EXPECT_EQ(d.sort_order, 1);
  EXPECT_EQ((*repo_->department(kCentre))->kind, core::DepartmentKind::service_centre);

  auto none = repo_->department("nope");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(CatalogueContract, DepartmentInUnknownRegionIsRejected) {
  put_geography();
  auto r = repo_->put_department({"X", "某局", "", "999999", core::DepartmentKind::approval});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  EXPECT_FALSE(repo_->department("X")->has_value());
}

TEST_P(CatalogueContract, ItemVersionRoundTripsEveryElement) {
  put_geography();
  ItemVersion v =
      make_item("SC-001", "食品经营许可", kMarket, Audience::organisation, {"餐饮", "食品"});
  v.type = core::ItemType::non_licence_approval;
  v.conditions = {"有与经营的食品品种、数量相适应的经营场所", "有专职食品安全管理人员"};
  v.materials = {
      {"食品经营许可申请书", true, core::MaterialForm::original, 1, "须法定代表人签字",
       "食品经营许可申请书.pdf", "申请人自备"},
      {"营业执照", false, core::MaterialForm::copy, 2, "", "", "政府部门核发"},
      {"平面图", true, core::MaterialForm::electronic, 0, "", "", ""},
  };
  v.procedure = {"申请", "受理", "审查", "决定", "送达"};
  v.legal_limit_days = 20;
  v.promised_limit_days = 7;
  v.fees = "不收费（依据财税〔2015〕102号）";
  v.result_name = "食品经营许可证";
  v.visits = 1;
  v.online_level = core::OnlineLevel::pre_review;
  v.offline_reason = "涉及国家秘密";
  v.consult_phone = "0768-1111111";
  v.complaint_phone = "12345";
  v.place = "潮州市行政服务中心二楼";
  v.hours = "周一至周五 8:30-12:00 14:30-17:30";
  core::FormField name;
  name.name = "name";
  name.label = "经营者名称";
  name.required = true;
  name.max_length = 100;
  core::FormField kind;
  kind.name = "kind";
  kind.label = "主体业态";
  kind.type = core::FieldType::select;
  kind.options = {{"shop", "食品销售经营者"}, {"restaurant", "餐饮服务经营者"}};
  core::FormField area;
  area.name = "area";
  area.type = core::FieldType::number;
  area.min = 0.5;
  area.visible_if = "kind=restaurant";
  core::FormField staff;
  staff.name = "staff";
  staff.type = core::FieldType::table;
  staff.columns = {name};
  v.form = {name, kind, area, staff};

  auto id = repo_->add_item_version(v, {});
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto got = repo_->item_version(*id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got->has_value());
  const ItemVersion& w = **got;
  EXPECT_EQ(w.id, *id);
  EXPECT_EQ(w.item_code, v.item_code);
  EXPECT_EQ(w.version_no, 1);
  EXPECT_EQ(w.state, VersionState::draft);
  EXPECT_EQ(w.published_on, "");
  EXPECT_EQ(w.name, v.name);
  EXPECT_EQ(w.type, v.type);
  EXPECT_EQ(w.department_code, v.department_code);
  EXPECT_EQ(w.legal_basis, v.legal_basis);
  EXPECT_EQ(w.conditions, v.conditions);
  ASSERT_EQ(w.materials.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(w.materials[i].name, v.materials[i].name);
    EXPECT_EQ(w.materials[i].required, v.materials[i].required);
    EXPECT_EQ(w.materials[i].form, v.materials[i].form);
    EXPECT_EQ(w.materials[i].copies, v.materials[i].copies);
    EXPECT_EQ(w.materials[i].note, v.materials[i].note);
    EXPECT_EQ(w.materials[i].template_filename, v.materials[i].template_filename);
    EXPECT_EQ(w.materials[i].source, v.materials[i].source);
  }
  EXPECT_EQ(w.procedure, v.procedure);
  EXPECT_EQ(w.legal_limit_days, 20);
  EXPECT_EQ(w.promised_limit_days, 7);
  EXPECT_EQ(w.fees, v.fees);
  EXPECT_EQ(w.result_name, v.result_name);
  EXPECT_EQ(w.visits, 1);
  EXPECT_EQ(w.online_level, core::OnlineLevel::pre_review);
  EXPECT_EQ(w.offline_reason, v.offline_reason);
  EXPECT_EQ(w.consult_phone, v.consult_phone);
  EXPECT_EQ(w.complaint_phone, v.complaint_phone);
  EXPECT_EQ(w.place, v.place);
  EXPECT_EQ(w.hours, v.hours);
  EXPECT_EQ(w.audience, Audience::organisation);
  EXPECT_EQ(w.themes, v.themes);
  ASSERT_EQ(w.form.size(), 4u);
  EXPECT_EQ(w.form[0].max_length, 100);
  EXPECT_TRUE(w.form[0].required);
  EXPECT_FALSE(w.form[0].min_length.has_value());
  ASSERT_EQ(w.form[1].options.size(), 2u);
  EXPECT_EQ(w.form[1].options[1].label, "餐饮服务经营者");
  EXPECT_EQ(w.form[2].min, 0.5);
  EXPECT_EQ(w.form[2].visible_if, "kind=restaurant");
  ASSERT_EQ(w.form[3].columns.size(), 1u);
  EXPECT_EQ(w.form[3].columns[0].label, "经营者名称");

  auto missing = repo_->item_version(*id + 1000);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(CatalogueContract, AddingToAnUnknownDepartmentNamesTheField) {
  put_geography();
  auto id = repo_->add_item_version(make_item("X-1", "某事项", "no-such-dept", Audience::both), {});
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(id.error().field, "department");
}

TEST_P(CatalogueContract, VersionWorkflow) {
  put_geography();
  const std::int64_t gen0 = *repo_->generation();
  auto v1 = repo_->add_item_version(
      make_item("SC-001", "食品经营许可", kMarket, Audience::organisation), {});
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(*repo_->generation(), gen0) << "a draft is not public";
  EXPECT_FALSE(repo_->published_item("SC-001")->has_value());

  // Skipping a step is refused, and so is staying put.
  auto skip = repo_->set_version_state(*v1, VersionState::published, "2024-03-01");
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(skip.error().kind, ErrorKind::conflict);
  auto same = repo_->set_version_state(*v1, VersionState::draft, "2024-03-01");
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().kind, ErrorKind::conflict);

  ASSERT_TRUE(repo_->set_version_state(*v1, VersionState::signed_off, "2024-03-01").ok());
  EXPECT_EQ((*repo_->item_version(*v1))->state, VersionState::signed_off);
  ASSERT_TRUE(repo_->set_version_state(*v1, VersionState::filed, "2024-03-01").ok());
  EXPECT_FALSE(repo_->published_item("SC-001")->has_value());
  auto bad_date = repo_->set_version_state(*v1, VersionState::published, "1.3.2024");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().kind, ErrorKind::invalid_input);
  ASSERT_TRUE(repo_->set_version_state(*v1, VersionState::published, "2024-03-01").ok());
  const std::int64_t gen1 = *repo_->generation();
  EXPECT_GT(gen1, gen0);

  auto pub = repo_->published_item("SC-001");
  ASSERT_TRUE(pub.ok());
  ASSERT_TRUE(pub->has_value());
  EXPECT_EQ((*pub)->id, *v1);
  EXPECT_EQ((*pub)->state, VersionState::published);
  EXPECT_EQ((*pub)->published_on, "2024-03-01");
  EXPECT_EQ((*pub)->materials.size(), 1u);

  // A second version: numbered 2, invisible until published, then it replaces the first.
  auto changed = make_item("SC-001", "食品经营许可（新版）", kMarket, Audience::organisation);
  auto v2 = repo_->add_item_version(changed, {});
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ((*repo_->item_version(*v2))->version_no, 2);
  EXPECT_EQ((*repo_->published_item("SC-001"))->id, *v1);
  ASSERT_TRUE(repo_->set_version_state(*v2, VersionState::signed_off, "2024-04-01").ok());
  ASSERT_TRUE(repo_->set_version_state(*v2, VersionState::filed, "2024-04-01").ok());
  ASSERT_TRUE(repo_->set_version_state(*v2, VersionState::published, "2024-04-01").ok());
  EXPECT_GT(*repo_->generation(), gen1);
  pub = repo_->published_item("SC-001");
  EXPECT_EQ((*pub)->id, *v2);
  EXPECT_EQ((*pub)->name, "食品经营许可（新版）");
  EXPECT_EQ((*pub)->published_on, "2024-04-01");
  EXPECT_EQ((*repo_->item_version(*v1))->state, VersionState::superseded);
  EXPECT_EQ(codes(search_text("新版")), std::vector<std::string>{"SC-001"});

  // A superseded version stays superseded.
  auto back = repo_->set_version_state(*v1, VersionState::published, "2024-05-01");
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().kind, ErrorKind::conflict);

  // Withdrawing the published version takes the item off the public catalogue.
  ASSERT_TRUE(repo_->set_version_state(*v2, VersionState::superseded, "2024-05-01").ok());
  EXPECT_FALSE(repo_->published_item("SC-001")->has_value());
  EXPECT_EQ(search_text("食品").total, 0);

  auto unknown = repo_->set_version_state(*v2 + 1000, VersionState::signed_off, "2024-05-01");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
}

TEST_P(CatalogueContract, SearchTwoCharacterChineseQuery) {
  put_items();
  const auto page = search_text("食品");
  // Name matches first (by code), then the item that matches by theme only; the draft
  // 食品小作坊登记 is not public.
  EXPECT_EQ(codes(page), (std::vector<std::string>{"SC-001", "SC-002", "XQ-001"}));
  EXPECT_EQ(page.total, 3);
  ASSERT_FALSE(page.items.empty());
  const auto& first = page.items[0];
  EXPECT_EQ(first.name, "食品经营许可");
  EXPECT_EQ(first.department_code, kMarket);
  EXPECT_EQ(first.department_name, "潮州市市场监督管理局");
  EXPECT_EQ(first.audience, Audience::organisation);
  EXPECT_EQ(first.type, core::ItemType::licence);
  EXPECT_EQ(first.online_level, core::OnlineLevel::full_online);
  EXPECT_EQ(first.promised_limit_days, 10);
  EXPECT_FALSE(first.offline);
}

TEST_P(CatalogueContract, SearchOtherQueries) {
  put_items();
  EXPECT_EQ(codes(search_text("食")), (std::vector<std::string>{"SC-001", "SC-002", "XQ-001"}));
  EXPECT_EQ(codes(search_text("许可")), (std::vector<std::string>{"SC-001", "SC-002", "WS-001"}));
  EXPECT_EQ(codes(search_text("卫生许可")), std::vector<std::string>{"WS-001"});
  EXPECT_EQ(codes(search_text("食品经营许可")), std::vector<std::string>{"SC-001"});
  EXPECT_EQ(codes(search_text("《食品 经营》")), std::vector<std::string>{"SC-001"});
  EXPECT_EQ(search_text("品食").total, 0) << "all grams must be present in order";
  EXPECT_EQ(search_text("驾驶证").total, 0);
  // By department name and by result.
  EXPECT_EQ(codes(search_text("卫生健康局")), (std::vector<std::string>{"WS-001", "WS-002"}));
  EXPECT_EQ(codes(search_text("许可证")), std::vector<std::string>{"WS-001"});
}

TEST_P(CatalogueContract, SearchByCode) {
  put_items();
  EXPECT_EQ(codes(search_text("SC-002")), std::vector<std::string>{"SC-002"});
  EXPECT_EQ(codes(search_text("sc002")), std::vector<std::string>{"SC-002"});
  EXPECT_EQ(codes(search_text("ＳＣ－００２")), std::vector<std::string>{"SC-002"});
  EXPECT_EQ(codes(search_text("ws")), (std::vector<std::string>{"WS-001", "WS-002"}));
  EXPECT_EQ(search_text("SC-003").total, 0) << "drafts are not searchable";
}

TEST_P(CatalogueContract, EmptyTextListsAllPublishedItemsByCode) {
  put_items();
  const auto page = search_text("");
  EXPECT_EQ(codes(page),
            (std::vector<std::string>{"SC-001", "SC-002", "WS-001", "WS-002", "XQ-001"}));
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(search_text("，。 ").total, 5) << "punctuation alone is no filter";
}

TEST_P(CatalogueContract, SearchFilters) {
  put_items();
  ItemQuery q;
  q.department_code = kHealth;
  EXPECT_EQ(codes(search(q)), (std::vector<std::string>{"WS-001", "WS-002"}));
  q.text = "许可";
  EXPECT_EQ(codes(search(q)), std::vector<std::string>{"WS-001"});

  ItemQuery person;
  person.audience = Audience::person;
  EXPECT_EQ(codes(search(person)), (std::vector<std::string>{"WS-001", "WS-002", "XQ-001"}));
  ItemQuery organisation;
  organisation.audience = Audience::organisation;
  EXPECT_EQ(codes(search(organisation)), (std::vector<std::string>{"SC-001", "SC-002", "WS-001"}));
  organisation.text = "食品";
  EXPECT_EQ(codes(search(organisation)), (std::vector<std::string>{"SC-001", "SC-002"}));

  ItemQuery theme;
  theme.theme = "餐饮";
  EXPECT_EQ(codes(search(theme)), (std::vector<std::string>{"SC-001", "XQ-001"}));
  theme.audience = Audience::person;
  EXPECT_EQ(codes(search(theme)), std::vector<std::string>{"XQ-001"});
}

TEST_P(CatalogueContract, SearchPages) {
  put_items();
  ItemQuery q;
  q.page_size = 2;
  q.page = 1;
  auto p1 = search(q);
  EXPECT_EQ(codes(p1), (std::vector<std::string>{"SC-001", "SC-002"}));
  EXPECT_EQ(p1.total, 5);
  EXPECT_EQ(p1.page, 1);
  EXPECT_EQ(p1.page_size, 2);
  q.page = 2;
  EXPECT_EQ(codes(search(q)), (std::vector<std::string>{"WS-001", "WS-002"}));
  q.page = 3;
  auto p3 = search(q);
  EXPECT_EQ(codes(p3), std::vector<std::string>{"XQ-001"});
  EXPECT_EQ(p3.total, 5);
  q.page = 4;
  auto p4 = search(q);
  EXPECT_TRUE(p4.items.empty());
  EXPECT_EQ(p4.total, 5);
}

TEST_P(CatalogueContract, RenamingADepartmentReindexesItsItems) {
  put_items();
  EXPECT_EQ(search_text("卫生健康").total, 2);
  const std::int64_t gen = *repo_->generation();
  ASSERT_TRUE(repo_
                  ->put_department({kHealth, "潮州市卫健委", "卫健委", kCity,
                                    core::DepartmentKind::approval, "", "", "", 2})
                  .ok());
  EXPECT_GT(*repo_->generation(), gen);
  EXPECT_EQ(search_text("卫生健康").total, 0);
  EXPECT_EQ(codes(search_text("卫健委")), (std::vector<std::string>{"WS-001", "WS-002"}));
  EXPECT_EQ(search(ItemQuery{.text = "", .department_code = kHealth}).items.at(0).department_name,
            "潮州市卫健委");
}

TEST_P(CatalogueContract, MaterialTemplatesWithNulBytes) {
  put_geography();
  const char raw[] = "%PDF-1.4\n\0\x01\x02\xff\xfe binary \0 tail";
  std::string pdf(raw, sizeof raw - 1);
  for (int i = 0; i < 256; ++i) pdf.push_back(static_cast<char>(i));
  ItemVersion v = make_item("SC-001", "食品经营许可", kMarket, Audience::organisation);
  v.materials = {
      {"申请书", true, core::MaterialForm::original, 1, "", "食品经营许可申请书.pdf", ""},
      {"营业执照", true, core::MaterialForm::copy, 1, "", "", ""},
      {"承诺书", true, core::MaterialForm::original, 1, "", "", ""},
  };
  const std::vector<MaterialTemplate> templates{
      {"食品经营许可申请书.pdf", "application/pdf", pdf},
      {},  // no template for the second material
      {"承诺书.docx", "", std::string("PK\0\x03", 4)},
  };
  const std::int64_t id = publish(v, templates);
  ASSERT_NE(id, 0);

  auto t0 = repo_->material_template("SC-001", 0);
  ASSERT_TRUE(t0.ok()) << t0.error().message;
  ASSERT_TRUE(t0->has_value());
  EXPECT_EQ((*t0)->filename, "食品经营许可申请书.pdf");
  EXPECT_EQ((*t0)->content_type, "application/pdf");
  EXPECT_EQ((*t0)->bytes.size(), pdf.size());
  EXPECT_EQ((*t0)->bytes, pdf);

  EXPECT_FALSE(repo_->material_template("SC-001", 1)->has_value());
  auto t2 = repo_->material_template("SC-001", 2);
  ASSERT_TRUE(t2->has_value());
  EXPECT_EQ((*t2)->filename, "承诺书.docx");
  EXPECT_EQ((*t2)->bytes, std::string("PK\0\x03", 4));
  EXPECT_FALSE((*t2)->content_type.empty());
  // The material itself names the template file it got.
  EXPECT_EQ((*repo_->item_version(id))->materials[2].template_filename, "承诺书.docx");

  EXPECT_FALSE(repo_->material_template("SC-001", 3)->has_value());
  EXPECT_FALSE(repo_->material_template("SC-001", -1)->has_value());
  EXPECT_FALSE(repo_->material_template("nope", 0)->has_value());
}

TEST_P(CatalogueContract, TemplatesOfUnpublishedVersionsAreNotServed) {
  put_geography();
  ItemVersion v = make_item("SC-001", "食品经营许可", kMarket, Audience::organisation);
  v.materials[0].template_filename = "a.pdf";
  ASSERT_TRUE(repo_->add_item_version(v, {{"a.pdf", "application/pdf", "x"}}).ok());
  auto t = repo_->material_template("SC-001", 0);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->has_value());
}

TEST_P(CatalogueContract, Bundles) {
  put_items();
  const std::int64_t gen = *repo_->generation();
  Bundle b{"KBCYD", "开办餐饮店", kMarket, {"SC-001", "WS-001"}, "一次申请，并联审批", 45};
  ASSERT_TRUE(repo_->put_bundle(b).ok());
  ASSERT_TRUE(repo_->put_bundle({"JSXM", "建设项目", kCentre, {"WS-002", "SC-002"}, "", 30}).ok());
  EXPECT_GT(*repo_->generation(), gen);

  auto all = repo_->bundles();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].code, "JSXM");
  EXPECT_EQ((*all)[0].item_codes, (std::vector<std::string>{"WS-002", "SC-002"}));
  EXPECT_EQ((*all)[1].code, "KBCYD");

  auto of_item = repo_->bundles("WS-001");
  ASSERT_TRUE(of_item.ok());
  ASSERT_EQ(of_item->size(), 1u);
  const Bundle& got = (*of_item)[0];
  EXPECT_EQ(got.name, "开办餐饮店");
  EXPECT_EQ(got.lead_department_code, kMarket);
  EXPECT_EQ(got.item_codes, (std::vector<std::string>{"SC-001", "WS-001"}));
  EXPECT_EQ(got.description, "一次申请，并联审批");
  EXPECT_EQ(got.joint_limit_days, 45);
  EXPECT_TRUE(repo_->bundles("XQ-001")->empty());

  // Putting again replaces the items.
  b.item_codes = {"WS-001", "XQ-001", "SC-001"};
  b.joint_limit_days = 40;
  ASSERT_TRUE(repo_->put_bundle(b).ok());
  auto one = repo_->bundle("KBCYD");
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->item_codes, (std::vector<std::string>{"WS-001", "XQ-001", "SC-001"}));
  EXPECT_EQ((*one)->joint_limit_days, 40);
  EXPECT_EQ(repo_->bundles("XQ-001")->size(), 1u);
  EXPECT_FALSE(repo_->bundle("nope")->has_value());
}

TEST_P(CatalogueContract, FailedBundleWriteLeavesTheOldBundleWhole) {
  put_items();
  Bundle b{"KBCYD", "开办餐饮店", kMarket, {"SC-001", "WS-001"}, "", 45};
  ASSERT_TRUE(repo_->put_bundle(b).ok());
  const std::int64_t gen = *repo_->generation();
  // The bundle row is updated and its items deleted before the unknown item fails.
  Bundle bad{"KBCYD", "改过的名称", kMarket, {"WS-002", "NO-SUCH-ITEM"}, "", 45};
  auto r = repo_->put_bundle(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  auto one = repo_->bundle("KBCYD");
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->name, "开办餐饮店");
  EXPECT_EQ((*one)->item_codes, (std::vector<std::string>{"SC-001", "WS-001"}));
  EXPECT_EQ(*repo_->generation(), gen);
}

TEST_P(CatalogueContract, FailedItemWriteLeavesNothingHalfWritten) {
  put_geography();
  ItemVersion bad = make_item("SC-009", "某事项", kMarket, Audience::both);
  bad.legal_limit_days = 5;
  bad.promised_limit_days = 10;  // promised beyond legal: refused by the database
  auto id = repo_->add_item_version(bad, {});
  ASSERT_FALSE(id.ok());
  ASSERT_TRUE(db_->read([](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(Rows items, s.query("SELECT COUNT(*) FROM items"));
                   EXPECT_EQ(items.int64(0, 0), 0) << "the item row went with the failed version";
                   SHENPI_ASSIGN(Rows versions, s.query("SELECT COUNT(*) FROM item_versions"));
                   EXPECT_EQ(versions.int64(0, 0), 0);
                   return ok_result();
                 })
                  .ok());
  // Material rows are part of the same transaction as their version.
  ItemVersion bad_material = make_item("SC-010", "某事项", kMarket, Audience::both);
  bad_material.materials[0].copies = -1;
  ASSERT_FALSE(repo_->add_item_version(bad_material, {}).ok());
  ASSERT_TRUE(db_->read([](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(Rows versions, s.query("SELECT COUNT(*) FROM item_versions"));
                   EXPECT_EQ(versions.int64(0, 0), 0);
                   return ok_result();
                 })
                  .ok());
}

TEST_P(CatalogueContract, GenerationChangesOnPublicEdits) {
  const std::int64_t g0 = *repo_->generation();
  ASSERT_TRUE(repo_->put_region({kCity, "潮州市", ""}).ok());
  const std::int64_t g1 = *repo_->generation();
  EXPECT_GT(g1, g0);
  ASSERT_TRUE(repo_
                  ->put_department(
                      {kMarket, "潮州市市场监督管理局", "", kCity, core::DepartmentKind::approval})
                  .ok());
  EXPECT_GT(*repo_->generation(), g1);
}

TEST_P(CatalogueContract, EditsArriveFromManyThreads) {
  put_geography();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        const std::string code = "T" + std::to_string(t) + "-" + std::to_string(i);
        ItemVersion v = make_item(code, "并发事项" + code, kMarket, Audience::both);
        auto id = repo_->add_item_version(v, {});
        if (!id.ok()) {
          ++failures;
          continue;
        }
        for (VersionState s :
             {VersionState::signed_off, VersionState::filed, VersionState::published}) {
          if (!repo_->set_version_state(*id, s, "2024-03-01").ok()) ++failures;
        }
        if (!repo_->search_items(ItemQuery{.text = "并发"}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(search_text("并发事项").total, 12);
}

INSTANTIATE_TEST_SUITE_P(Dialects, CatalogueContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
