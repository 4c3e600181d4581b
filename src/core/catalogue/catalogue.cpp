#include "core/catalogue/catalogue.h"

#include <array>
#include <utility>

namespace shenpi::core {
namespace {

// One table per enum: value, ASCII name, Chinese label. Lookups are linear: the tables are tiny.
template <typename E>
struct Entry {
  E value;
  std::string_view name;
  std::string_view label;
};

constexpr std::array<Entry<DepartmentKind>, 6> kDepartmentKinds{{
    {DepartmentKind::approval, "approval", "审批单位"},
    {DepartmentKind::service_centre, "service_centre", "行政服务中心"},
    {DepartmentKind::establishment, "establishment", "机构编制委员会办公室"},
    {DepartmentKind::information, "information", "信息管理办公室"},
    {DepartmentKind::supervision, "supervision", "监察局"},
    {DepartmentKind::leading_group, "leading_group", "审批系统协调领导小组"},
}};
constexpr std::array<Entry<ItemType>, 3> kItemTypes{{
    {ItemType::licence, "licence", "行政许可"},
    {ItemType::non_licence_approval, "non_licence_approval", "非行政许可审批"},
    {ItemType::public_service, "public_service", "公共服务"},
}};
constexpr std::array<Entry<Audience>, 3> kAudiences{{
    {Audience::person, "person", "个人"},
    {Audience::organisation, "organisation", "法人"},
    {Audience::both, "both", "个人、法人"},
}};
constexpr std::array<Entry<OnlineLevel>, 4> kOnlineLevels{{
    {OnlineLevel::info_only, "info_only", "网上咨询（一级）"},
    {OnlineLevel::form_download, "form_download", "表格下载（二级）"},
    {OnlineLevel::pre_review, "pre_review", "网上预审（三级）"},
    {OnlineLevel::full_online, "full_online", "全程网办（四级）"},
}};
constexpr std::array<Entry<MaterialForm>, 4> kMaterialForms{{
    {MaterialForm::original, "original", "原件"},
    {MaterialForm::copy, "copy", "复印件"},
    {MaterialForm::original_and_copy, "original_and_copy", "原件和复印件"},
    {MaterialForm::electronic, "electronic", "电子材料"},
}};
constexpr std::array<Entry<FieldType>, 13> kFieldTypes{{
    {FieldType::text, "text", "文本"},
    {FieldType::textarea, "textarea", "多行文本"},
    {FieldType::number, "number", "数字"},
    {FieldType::money, "money", "金额"},
    {FieldType::date, "date", "日期"},
    {FieldType::select, "select", "单选"},
    {FieldType::multi_select, "multi_select", "多选"},
    {FieldType::citizen_id, "citizen_id", "公民身份号码"},
    {FieldType::credit_code, "credit_code", "统一社会信用代码"},
    {FieldType::phone, "phone", "电话"},
    {FieldType::address, "address", "地址"},
    {FieldType::table, "table", "表格"},
    {FieldType::attachment, "attachment", "附件"},
}};
constexpr std::array<Entry<VersionState>, 5> kVersionStates{{
    {VersionState::draft, "draft", "草稿"},
    {VersionState::signed_off, "signed_off", "单位主管领导已审核"},
    {VersionState::filed, "filed", "行政服务中心已备案"},
    {VersionState::published, "published", "已发布"},
    {VersionState::superseded, "superseded", "已废止"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<Entry<E>, N>& table, E value) {
  for (const auto& e : table) {
    if (e.value == value) return e.name;
  }
  return "unknown";
}
template <typename E, std::size_t N>
std::string_view label_of(const std::array<Entry<E>, N>& table, E value) {
  for (const auto& e : table) {
    if (e.value == value) return e.label;
  }
  return "";
}
template <typename E, std::size_t N>
std::optional<E> parse_of(const std::array<Entry<E>, N>& table, std::string_view name) {
  for (const auto& e : table) {
    if (e.name == name) return e.value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(DepartmentKind v) { return name_of(kDepartmentKinds, v); }
std::string_view to_string(ItemType v) { return name_of(kItemTypes, v); }
std::string_view to_string(Audience v) { return name_of(kAudiences, v); }
std::string_view to_string(OnlineLevel v) { return name_of(kOnlineLevels, v); }
std::string_view to_string(MaterialForm v) { return name_of(kMaterialForms, v); }
std::string_view to_string(FieldType v) { return name_of(kFieldTypes, v); }
std::string_view to_string(VersionState v) { return name_of(kVersionStates, v); }

std::string_view label(ItemType v) { return label_of(kItemTypes, v); }
std::string_view label(Audience v) { return label_of(kAudiences, v); }
std::string_view label(OnlineLevel v) { return label_of(kOnlineLevels, v); }
std::string_view label(MaterialForm v) { return label_of(kMaterialForms, v); }
std::string_view label(VersionState v) { return label_of(kVersionStates, v); }

std::optional<DepartmentKind> parse_department_kind(std::string_view s) {
  return parse_of(kDepartmentKinds, s);
}
std::optional<ItemType> parse_item_type(std::string_view s) { return parse_of(kItemTypes, s); }
std::optional<Audience> parse_audience(std::string_view s) { return parse_of(kAudiences, s); }
std::optional<OnlineLevel> parse_online_level(std::string_view s) {
  return parse_of(kOnlineLevels, s);
}
std::optional<MaterialForm> parse_material_form(std::string_view s) {
  return parse_of(kMaterialForms, s);
}
std::optional<FieldType> parse_field_type(std::string_view s) { return parse_of(kFieldTypes, s); }
std::optional<VersionState> parse_version_state(std::string_view s) {
  return parse_of(kVersionStates, s);
}

std::string fee_text(const ItemVersion& v) {
  return v.fees.empty() ? std::string("不收费") : v.fees;
}

}  // namespace shenpi::core
