#pragma once
// The public service catalogue (办事指南): regions, departments, items and their versions,
// and parallel-approval bundles. Plain data; no I/O. Names follow docs/glossary.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::core {

//! 行政区划: the city and its counties/districts (Art. 29: one deployment, several regions).
struct Region {
  std::string code;         //!< GB/T 2260 code, e.g. "445100" 潮州市
  std::string name;         //!< e.g. "潮州市"
  std::string parent_code;  //!< empty for the city itself
};

//! What kind of body a department is. City-wide bodies named by the regulation are not
//! approval departments but still appear in the department list.
enum class DepartmentKind {
  approval,        //!< 有关单位: approves items
  service_centre,  //!< 行政服务中心 (Art. 9)
  establishment,   //!< 编办 (Art. 10)
  information,     //!< 信息管理办公室 (Art. 11)
  supervision,     //!< 监察局 (Art. 13)
  leading_group,   //!< 审批系统协调领导小组 (Art. 8)
};

//! 单位.
struct Department {
  std::string code;         //!< unique across regions, e.g. "445100-SCJGJ"
  std::string name;         //!< e.g. "潮州市市场监督管理局"
  std::string short_name;   //!< e.g. "市场监管局"
  std::string region_code;  //!< the region it belongs to
  DepartmentKind kind = DepartmentKind::approval;
  std::string phone;    //!< 咨询电话
  std::string address;  //!< 办公地址
  std::string hours;    //!< 办公时间
  int sort_order = 0;
};

//! 事项类型.
enum class ItemType {
  licence,               //!< 行政许可
  non_licence_approval,  //!< 非行政许可审批
  public_service,        //!< 公共服务
};

//! 服务对象: who may apply (主题分类 个人 / 法人).
enum class Audience { person, organisation, both };

//! 网上办理深度 (depth of online service), one to four stars on most provincial platforms.
enum class OnlineLevel {
  info_only = 1,      //!< 一级: 在线咨询、信息公开 only
  form_download = 2,  //!< 二级: 表格下载
  pre_review = 3,     //!< 三级: 网上预审 (apply online, visit once for originals)
  full_online = 4,    //!< 四级: 全程网办
};

//! 材料形式.
enum class MaterialForm { original, copy, original_and_copy, electronic };

//! One entry of 申请材料.
struct Material {
  std::string name;
  bool required = true;
  MaterialForm form = MaterialForm::original;
  int copies = 1;
  std::string note;               //!< 填报须知 / 备注, may be empty
  std::string template_filename;  //!< e.g. "食品经营许可申请书.pdf"; empty when no template
  std::string source;             //!< 材料来源, e.g. "申请人自备", "政府部门核发"
};

enum class FieldType {
  text,
  textarea,
  number,
  money,
  date,
  select,
  multi_select,
  citizen_id,
  credit_code,
  phone,
  address,
  table,
  attachment,
};

struct FieldOption {
  std::string value;
  std::string label;
};

//! One field of an item's application form (表单); forms are data (Art. 11).
struct FormField {
  std::string name;   //!< machine name, ASCII
  std::string label;  //!< Chinese label
  FieldType type = FieldType::text;
  bool required = false;
  std::vector<FieldOption> options;  //!< select / multi_select
  std::optional<double> min, max;    //!< number / money
  std::optional<int> min_length, max_length;
  std::string pattern;             //!< ECMAScript regex, empty when none
  std::string visible_if;          //!< "field=value", empty when always visible
  std::string help;                //!< hint shown under the field
  std::vector<FormField> columns;  //!< table rows: the columns
};

//! Where an item version is in the change workflow of Art. 15.
enum class VersionState { draft, signed_off, filed, published, superseded };

//! One version of an item (事项). Only a published version is shown to the public; a
//! case keeps the version it was filed under.
struct ItemVersion {
  std::int64_t id = 0;    //!< store-assigned
  std::string item_code;  //!< 事项编码, stable across versions
  int version_no = 1;
  VersionState state = VersionState::draft;
  std::string published_on;  //!< YYYY-MM-DD when published, else empty

  std::string name;  //!< 事项名称
  ItemType type = ItemType::licence;
  std::string department_code;          //!< 实施主体
  std::string legal_basis;              //!< 设定依据
  std::vector<std::string> conditions;  //!< 受理条件
  std::vector<Material> materials;      //!< 申请材料
  std::vector<std::string> procedure;   //!< 办理流程, one step each
  int legal_limit_days = 20;            //!< 法定办结时限, working days
  int promised_limit_days = 20;         //!< 承诺办结时限, working days (≤ legal)
  std::string fees;                     //!< 收费标准; empty means 不收费
  std::string result_name;              //!< 办理结果, e.g. "食品经营许可证"
  int visits = 0;                       //!< 到现场次数
  OnlineLevel online_level = OnlineLevel::full_online;
  std::string offline_reason;   //!< non-empty: may not be offered online (Art. 12)
  std::string consult_phone;    //!< 咨询电话
  std::string complaint_phone;  //!< 监督投诉电话
  std::string place;            //!< 办理地点
  std::string hours;            //!< 办理时间
  Audience audience = Audience::both;
  std::vector<std::string> themes;  //!< 主题, e.g. "餐饮", "建设工程"
  std::vector<FormField> form;      //!< the application form
};

//! 并联审批事项: several items of several departments filed as one application.
struct Bundle {
  std::string code;
  std::string name;                     //!< e.g. "开办餐饮店"
  std::string lead_department_code;     //!< 牵头单位
  std::vector<std::string> item_codes;  //!< the items decided in parallel
  std::string description;
  int joint_limit_days = 45;  //!< law Art. 42: joint handling, 45 working days
};

//! A search over published items. Empty strings mean "any".
struct ItemQuery {
  std::string text;  //!< matches name, code, department, themes (any length ≥ 1)
  std::string department_code;
  std::optional<Audience> audience;  //!< person matches person|both; organisation likewise
  std::string theme;
  int page = 1;  //!< 1-based
  int page_size = 20;
};

//! A row of a search result list.
struct ItemSummary {
  std::string code;
  std::string name;
  ItemType type = ItemType::licence;
  std::string department_code;
  std::string department_name;
  Audience audience = Audience::both;
  OnlineLevel online_level = OnlineLevel::full_online;
  int promised_limit_days = 0;
  bool offline = false;
};

struct ItemPage {
  std::vector<ItemSummary> items;
  int total = 0;
  int page = 1;
  int page_size = 20;
};

//! A downloadable file attached to a material (申请表样表, 示范文本).
struct MaterialTemplate {
  std::string filename;
  std::string content_type;
  std::string bytes;
};

// ---- names ----------------------------------------------------------------------------
// Each enum has a stable ASCII name (API, database) and a Chinese label (pages, PDFs).

std::string_view to_string(DepartmentKind);
std::string_view to_string(ItemType);
std::string_view to_string(Audience);
std::string_view to_string(OnlineLevel);
std::string_view to_string(MaterialForm);
std::string_view to_string(FieldType);
std::string_view to_string(VersionState);

std::string_view label(ItemType);      //!< 行政许可 / 非行政许可审批 / 公共服务
std::string_view label(Audience);      //!< 个人 / 法人 / 个人、法人
std::string_view label(OnlineLevel);   //!< 全程网办 …
std::string_view label(MaterialForm);  //!< 原件 / 复印件 …
std::string_view label(VersionState);

std::optional<DepartmentKind> parse_department_kind(std::string_view);
std::optional<ItemType> parse_item_type(std::string_view);
std::optional<Audience> parse_audience(std::string_view);
std::optional<OnlineLevel> parse_online_level(std::string_view);
std::optional<MaterialForm> parse_material_form(std::string_view);
std::optional<FieldType> parse_field_type(std::string_view);
std::optional<VersionState> parse_version_state(std::string_view);

//! The fee text for display: "不收费" when fees is empty.
std::string fee_text(const ItemVersion&);
}  // namespace shenpi::core
