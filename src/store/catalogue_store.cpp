#include "store/catalogue_store.h"
#include "store/db_values.h"

#include <boost/json.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/catalogue_json.h"
#include "core/catalogue/search_text.h"

namespace shenpi::store {
namespace {

using core::Audience;
using core::Bundle;
using core::Department;
using core::ItemPage;
using core::ItemQuery;
using core::ItemSummary;
using core::ItemVersion;
using core::Material;
using core::MaterialTemplate;
using core::Region;
using core::VersionState;

// ---- helpers --------------------------------------------------------------------------

Error corrupt(const std::string& what) {
  return make_error(ErrorKind::internal, "corrupt_row", "数据库中的数据无效：" + what);
}

Param text(std::string_view s) { return std::string(s); }
Param integer(std::int64_t n) { return n; }
Param optional_text(const std::string& s) {
  if (s.empty()) return nullptr;
  return s;
}

template <typename E, typename Parse>
Result<E> enum_at(const Rows& r, std::size_t row, std::size_t col, Parse parse) {
  const std::optional<E> e = parse(r.text(row, col));
  if (!e) return corrupt(r.columns[col] + "=" + r.text(row, col));
  return *e;
}

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return true;
}

bool transition_allowed(VersionState from, VersionState to) {
  switch (from) {
    case VersionState::draft:
      return to == VersionState::signed_off;
    case VersionState::signed_off:
      return to == VersionState::filed;
    case VersionState::filed:
      return to == VersionState::published;
    case VersionState::published:
      return to == VersionState::superseded;
    case VersionState::superseded:
      return false;
  }
  return false;
}

Result<void> bump_generation(Session& s) {
  SHENPI_TRY(s.exec("UPDATE catalogue_meta SET generation = generation + 1 WHERE id = 1"));
  return ok_result();
}

// ---- item versions --------------------------------------------------------------------

constexpr const char* kVersionColumns =
    "v.id, v.item_code, v.version_no, v.state, v.published_on, v.name, v.type, "
    "v.department_code, v.legal_basis, v.conditions, v.procedure_steps, v.legal_limit_days, "
    "v.promised_limit_days, v.fees, v.result_name, v.visits, v.online_level, v.offline_reason, "
    "v.consult_phone, v.complaint_phone, v.place, v.hours, v.audience, v.themes, v.form";

Result<std::vector<std::string>> strings_column(const Rows& r, std::size_t row, std::size_t col) {
  Result<std::vector<std::string>> v = app::strings_from_json_text(r.text(row, col));
  if (!v.ok()) return corrupt(r.columns[col]);
  return v;
}

Result<ItemVersion> version_from_row(const Rows& r, std::size_t i) {
  ItemVersion v;
  std::size_t c = 0;
  v.id = r.int64(i, c++);
  v.item_code = r.text(i, c++);
  v.version_no = static_cast<int>(r.int64(i, c++));
  SHENPI_ASSIGN(v.state, enum_at<VersionState>(r, i, c++, core::parse_version_state));
  v.published_on = r.text(i, c++);
  v.name = r.text(i, c++);
  SHENPI_ASSIGN(v.type, enum_at<core::ItemType>(r, i, c++, core::parse_item_type));
  v.department_code = r.text(i, c++);
  v.legal_basis = r.text(i, c++);
  SHENPI_ASSIGN(v.conditions, strings_column(r, i, c++));
  SHENPI_ASSIGN(v.procedure, strings_column(r, i, c++));
  v.legal_limit_days = static_cast<int>(r.int64(i, c++));
  v.promised_limit_days = static_cast<int>(r.int64(i, c++));
  v.fees = r.text(i, c++);
  v.result_name = r.text(i, c++);
  v.visits = static_cast<int>(r.int64(i, c++));
  SHENPI_ASSIGN(v.online_level, enum_at<core::OnlineLevel>(r, i, c++, core::parse_online_level));
  v.offline_reason = r.text(i, c++);
  v.consult_phone = r.text(i, c++);
  v.complaint_phone = r.text(i, c++);
  v.place = r.text(i, c++);
  v.hours = r.text(i, c++);
  SHENPI_ASSIGN(v.audience, enum_at<Audience>(r, i, c++, core::parse_audience));
  SHENPI_ASSIGN(v.themes, strings_column(r, i, c++));
  boost::system::error_code ec;
  const std::string& form_text = r.text(i, c);
  boost::json::value form = boost::json::parse(form_text, ec);
  if (ec) return corrupt("form");
  Result<std::vector<core::FormField>> fields = app::form_from_json(form);
  if (!fields.ok()) return corrupt("form." + fields.error().field);
  v.form = std::move(fields).value();
  return v;
}

Result<std::vector<Material>> materials_of(Session& s, std::int64_t version_id) {
  SHENPI_ASSIGN(Rows r,
                s.query("SELECT name, required, form, copies, note, template_filename, source "
                        "FROM item_materials WHERE version_id = ? ORDER BY idx",
                        {integer(version_id)}));
  std::vector<Material> out;
  out.reserve(r.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    Material m;
    m.name = r.text(i, 0);
    m.required = r.boolean(i, 1);
    SHENPI_ASSIGN(m.form, enum_at<core::MaterialForm>(r, i, 2, core::parse_material_form));
    m.copies = static_cast<int>(r.int64(i, 3));
    m.note = r.text(i, 4);
    m.template_filename = r.text(i, 5);
    m.source = r.text(i, 6);
    out.push_back(std::move(m));
  }
  return out;
}

// Loads the one version selected by `from_where` (a FROM … WHERE … clause naming the
// version table `v`), with its materials.
Result<std::optional<ItemVersion>> load_version(Session& s, const std::string& from_where,
                                                const std::vector<Param>& params) {
  SHENPI_ASSIGN(Rows r,
                s.query(std::string("SELECT ") + kVersionColumns + " " + from_where, params));
  if (r.empty()) return std::optional<ItemVersion>();
  SHENPI_ASSIGN(ItemVersion v, version_from_row(r, 0));
  SHENPI_ASSIGN(v.materials, materials_of(s, v.id));
  return std::optional<ItemVersion>(std::move(v));
}

// ---- search index ---------------------------------------------------------------------

// Rows per INSERT when writing grams: one round trip on PostgreSQL instead of hundreds,
// and far below SQLite's limit on bound parameters.
constexpr std::size_t kGramsPerInsert = 200;

// Rewrites the grams of one item from its published version: name, code, department
// name and short name, themes and result. An item without a published version has none.
Result<void> reindex_item(Session& s, const std::string& item_code) {
  SHENPI_TRY(s.exec("DELETE FROM item_search_grams WHERE item_code = ?", {text(item_code)}));
  SHENPI_ASSIGN(Rows r,
                s.query("SELECT v.name, v.themes, v.result_name, d.name, d.short_name "
                        "FROM items i JOIN item_versions v ON v.id = i.published_version_id "
                        "JOIN departments d ON d.code = v.department_code WHERE i.code = ?",
                        {text(item_code)}));
  if (r.empty()) return ok_result();
  SHENPI_ASSIGN(std::vector<std::string> themes, strings_column(r, 0, 1));
  std::vector<std::string> texts{r.text(0, 0), item_code, r.text(0, 2), r.text(0, 3), r.text(0, 4)};
  texts.insert(texts.end(), themes.begin(), themes.end());
  std::set<std::string> grams;
  for (const auto& t : texts) {
    for (auto& g : core::index_grams(t)) grams.insert(std::move(g));
  }
  std::vector<std::string> all(grams.begin(), grams.end());
  for (std::size_t start = 0; start < all.size(); start += kGramsPerInsert) {
    const std::size_t end = std::min(all.size(), start + kGramsPerInsert);
    std::string sql = "INSERT INTO item_search_grams (gram, item_code) VALUES ";
    std::vector<Param> params;
    params.reserve((end - start) * 2);
    for (std::size_t k = start; k < end; ++k) {
      sql += k == start ? "(?, ?)" : ", (?, ?)";
      params.push_back(all[k]);
      params.push_back(item_code);
    }
    SHENPI_TRY(s.exec(sql, params));
  }
  return ok_result();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- the repository -------------------------------------------------------------------

class CatalogueStore final : public app::CatalogueRepository {
 public:
  explicit CatalogueStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<Region>> regions() override {
    return read_value<std::vector<Region>>(*db_, [](Session& s) -> Result<std::vector<Region>> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT code, name, parent_code FROM regions"));
      std::vector<Region> out;
      for (std::size_t i = 0; i < r.size(); ++i) {
        out.push_back(Region{r.text(i, 0), r.text(i, 1), r.text(i, 2)});
      }
      // Sorted here rather than in SQL so that both dialects agree whatever the
      // database's collation: the city first, then by code.
      std::sort(out.begin(), out.end(), [](const Region& a, const Region& b) {
        return std::make_tuple(!a.parent_code.empty(), a.code) <
               std::make_tuple(!b.parent_code.empty(), b.code);
      });
      return out;
    });
  }

  Result<std::vector<Department>> departments() override {
    return read_value<std::vector<Department>>(
        *db_, [](Session& s) -> Result<std::vector<Department>> {
          SHENPI_ASSIGN(Rows r,
                        s.query(std::string("SELECT ") + kDepartmentColumns +
                                ", CASE WHEN r.parent_code IS NULL THEN 0 ELSE 1 END "
                                "FROM departments d JOIN regions r ON r.code = d.region_code"));
          std::vector<std::pair<std::int64_t, Department>> rows;
          for (std::size_t i = 0; i < r.size(); ++i) {
            SHENPI_ASSIGN(Department d, department_from_row(r, i));
            rows.emplace_back(r.int64(i, 9), std::move(d));
          }
          std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
            return std::make_tuple(a.first, a.second.region_code, a.second.sort_order,
                                   a.second.code) < std::make_tuple(b.first, b.second.region_code,
                                                                    b.second.sort_order,
                                                                    b.second.code);
          });
          std::vector<Department> out;
          out.reserve(rows.size());
          for (auto& [rank, d] : rows) out.push_back(std::move(d));
          return out;
        });
  }

  Result<std::optional<Department>> department(std::string_view code) override {
    return read_value<std::optional<Department>>(
        *db_, [code](Session& s) -> Result<std::optional<Department>> {
          SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kDepartmentColumns +
                                            " FROM departments d WHERE d.code = ?",
                                        {text(code)}));
          if (r.empty()) return std::optional<Department>();
          SHENPI_ASSIGN(Department d, department_from_row(r, 0));
          return std::optional<Department>(std::move(d));
        });
  }

  Result<std::optional<ItemVersion>> published_item(std::string_view code) override {
    return read_value<std::optional<ItemVersion>>(*db_, [code](Session& s) {
      return load_version(s,
                          "FROM items i JOIN item_versions v ON v.id = i.published_version_id "
                          "WHERE i.code = ?",
                          {text(code)});
    });
  }

  Result<std::optional<ItemVersion>> item_version(std::int64_t id) override {
    return read_value<std::optional<ItemVersion>>(*db_, [id](Session& s) {
      return load_version(s, "FROM item_versions v WHERE v.id = ?", {integer(id)});
    });
  }

  Result<ItemPage> search_items(const ItemQuery& query) override {
    return read_value<ItemPage>(*db_, [&query](Session& s) { return search(s, query); });
  }

  Result<std::vector<Bundle>> bundles(std::string_view item_code) override {
    return read_value<std::vector<Bundle>>(
        *db_, [item_code](Session& s) -> Result<std::vector<Bundle>> {
          std::string filter;
          std::vector<Param> params;
          if (!item_code.empty()) {
            filter = " WHERE b.code IN (SELECT bundle_code FROM bundle_items WHERE item_code = ?)";
            params.push_back(text(item_code));
          }
          return load_bundles(s, filter, params);
        });
  }

  Result<std::optional<Bundle>> bundle(std::string_view code) override {
    return read_value<std::optional<Bundle>>(
        *db_, [code](Session& s) -> Result<std::optional<Bundle>> {
          SHENPI_ASSIGN(std::vector<Bundle> found,
                        load_bundles(s, " WHERE b.code = ?", {text(code)}));
          if (found.empty()) return std::optional<Bundle>();
          return std::optional<Bundle>(std::move(found.front()));
        });
  }

  Result<std::optional<MaterialTemplate>> material_template(std::string_view item_code,
                                                            int index) override {
    using Out = std::optional<MaterialTemplate>;
    if (index < 0) return Out();
    return read_value<Out>(*db_, [item_code, index](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(
          Rows r,
          s.query("SELECT m.template_filename, m.template_content_type, m.template_bytes "
                  "FROM items i JOIN item_materials m ON m.version_id = i.published_version_id "
                  "WHERE i.code = ? AND m.idx = ? AND m.template_bytes IS NOT NULL",
                  {text(item_code), integer(index)}));
      if (r.empty()) return Out();
      return Out(MaterialTemplate{r.text(0, 0), r.text(0, 1), r.text(0, 2)});
    });
  }

  Result<std::int64_t> generation() override {
    return read_value<std::int64_t>(*db_, [](Session& s) -> Result<std::int64_t> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT generation FROM catalogue_meta WHERE id = 1"));
      if (r.empty()) return corrupt("catalogue_meta");
      return r.int64(0, 0);
    });
  }

  Result<bool> empty() override {
    return read_value<bool>(*db_, [](Session& s) -> Result<bool> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT 1 FROM regions LIMIT 1"));
      return r.empty();
    });
  }

  // ---- writes ----

  Result<void> put_region(const Region& region) override {
    if (region.code.empty()) return missing("code", "行政区划代码不能为空");
    if (region.name.empty()) return missing("name", "行政区划名称不能为空");
    return db_->write([&region](Session& s) -> Result<void> {
      SHENPI_TRY(
          s.exec("INSERT INTO regions (code, name, parent_code) VALUES (?, ?, ?) "
                 "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                 "parent_code = excluded.parent_code",
                 {text(region.code), text(region.name), optional_text(region.parent_code)}));
      return bump_generation(s);
    });
  }

  Result<void> put_department(const Department& d) override {
    if (d.code.empty()) return missing("code", "单位编码不能为空");
    if (d.name.empty()) return missing("name", "单位名称不能为空");
    return db_->write([&d](Session& s) -> Result<void> {
      SHENPI_TRY(s.exec(
          "INSERT INTO departments (code, name, short_name, region_code, kind, phone, address, "
          "hours, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = "
          "excluded.short_name, "
          "region_code = excluded.region_code, kind = excluded.kind, phone = excluded.phone, "
          "address = excluded.address, hours = excluded.hours, sort_order = excluded.sort_order",
          {text(d.code), text(d.name), text(d.short_name), text(d.region_code),
           text(core::to_string(d.kind)), text(d.phone), text(d.address), text(d.hours),
           integer(d.sort_order)}));
      // The department's names are part of its published items' search text.
      SHENPI_ASSIGN(Rows items,
                    s.query("SELECT i.code FROM items i JOIN item_versions v "
                            "ON v.id = i.published_version_id WHERE v.department_code = ?",
                            {text(d.code)}));
      for (std::size_t i = 0; i < items.size(); ++i) SHENPI_TRY(reindex_item(s, items.text(i, 0)));
      return bump_generation(s);
    });
  }

  Result<std::int64_t> add_item_version(const ItemVersion& v,
                                        const std::vector<MaterialTemplate>& templates) override {
    if (v.item_code.empty()) return missing("code", "事项编码不能为空");
    if (v.name.empty()) return missing("name", "事项名称不能为空");
    for (std::size_t i = 0; i < v.materials.size(); ++i) {
      if (v.materials[i].name.empty()) {
        return missing("materials[" + std::to_string(i) + "].name", "材料名称不能为空");
      }
    }
    const std::string form = boost::json::serialize(app::to_json(v.form));
    return write_value<std::int64_t>(*db_, [&](Session& s) -> Result<std::int64_t> {
      SHENPI_ASSIGN(Rows dept,
                    s.query("SELECT 1 FROM departments WHERE code = ?", {text(v.department_code)}));
      if (dept.empty()) {
        return make_error(ErrorKind::invalid_input, "department_not_found",
                          "实施单位不存在：" + v.department_code, "department");
      }
      SHENPI_TRY(s.exec("INSERT INTO items (code) VALUES (?) ON CONFLICT (code) DO NOTHING",
                        {text(v.item_code)}));
      SHENPI_ASSIGN(Rows next, s.query("SELECT COALESCE(MAX(version_no), 0) + 1 FROM item_versions "
                                       "WHERE item_code = ?",
                                       {text(v.item_code)}));
      const std::int64_t version_no = next.int64(0, 0);
      SHENPI_ASSIGN(
          const std::int64_t id,
          s.insert(
              "INSERT INTO item_versions (item_code, version_no, state, published_on, name, type, "
              "department_code, legal_basis, conditions, procedure_steps, legal_limit_days, "
              "promised_limit_days, fees, result_name, visits, online_level, offline_reason, "
              "consult_phone, complaint_phone, place, hours, audience, themes, form) "
              "VALUES (?, ?, 'draft', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
              "?)",
              {text(v.item_code),
               integer(version_no),
               text(v.name),
               text(core::to_string(v.type)),
               text(v.department_code),
               text(v.legal_basis),
               text(app::strings_to_json_text(v.conditions)),
               text(app::strings_to_json_text(v.procedure)),
               integer(v.legal_limit_days),
               integer(v.promised_limit_days),
               text(v.fees),
               text(v.result_name),
               integer(v.visits),
               text(core::to_string(v.online_level)),
               text(v.offline_reason),
               text(v.consult_phone),
               text(v.complaint_phone),
               text(v.place),
               text(v.hours),
               text(core::to_string(v.audience)),
               text(app::strings_to_json_text(v.themes)),
               text(form)}));
      for (std::size_t i = 0; i < v.materials.size(); ++i) {
        const Material& m = v.materials[i];
        const MaterialTemplate* t = i < templates.size() ? &templates[i] : nullptr;
        if (t != nullptr && t->filename.empty() && t->bytes.empty()) t = nullptr;
        const std::string filename =
            !m.template_filename.empty() ? m.template_filename : (t != nullptr ? t->filename : "");
        Param content_type = nullptr;
        Param bytes = nullptr;
        if (t != nullptr) {
          content_type =
              text(t->content_type.empty() ? "application/octet-stream" : t->content_type);
          bytes = Blob{t->bytes};
        }
        SHENPI_TRY(
            s.exec("INSERT INTO item_materials (version_id, idx, name, required, form, copies, "
                   "note, template_filename, source, template_content_type, template_bytes) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {integer(id), integer(static_cast<std::int64_t>(i)), text(m.name),
                    integer(m.required ? 1 : 0), text(core::to_string(m.form)), integer(m.copies),
                    text(m.note), text(filename), text(m.source), std::move(content_type),
                    std::move(bytes)}));
      }
      return id;
    });
  }

  Result<void> set_version_state(std::int64_t id, VersionState state,
                                 std::string_view today) override {
    if (state == VersionState::published && !valid_date(today)) {
      return make_error(ErrorKind::invalid_input, "bad_date", "发布日期应为 YYYY-MM-DD", "today");
    }
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT item_code, state FROM item_versions WHERE id = ?",
                                    {integer(id)}));
      if (r.empty()) {
        return make_error(ErrorKind::not_found, "item_version_not_found", "未找到该事项版本", "id");
      }
      const std::string item_code = r.text(0, 0);
      SHENPI_ASSIGN(const VersionState from,
                    enum_at<VersionState>(r, 0, 1, core::parse_version_state));
      if (!transition_allowed(from, state)) {
        return make_error(ErrorKind::conflict, "invalid_state_transition",
                          "事项版本不能从“" + std::string(core::label(from)) + "”变为“" +
                              std::string(core::label(state)) + "”",
                          "state");
      }
      const Param from_name = text(core::to_string(from));
      if (state == VersionState::published) {
        // The previously published version goes first, so that at no point two versions
        // of the item are published (a unique index holds that).
        SHENPI_TRY(
            s.exec("UPDATE item_versions SET state = 'superseded' "
                   "WHERE item_code = ? AND state = 'published'",
                   {text(item_code)}));
        SHENPI_ASSIGN(const std::int64_t n, s.exec("UPDATE item_versions SET state = 'published', "
                                                   "published_on = ? WHERE id = ? AND state = ?",
                                                   {text(today), integer(id), from_name}));
        if (n != 1) return changed_meanwhile();
        SHENPI_TRY(s.exec("UPDATE items SET published_version_id = ? WHERE code = ?",
                          {integer(id), text(item_code)}));
        SHENPI_TRY(reindex_item(s, item_code));
        return bump_generation(s);
      }
      SHENPI_ASSIGN(const std::int64_t n,
                    s.exec("UPDATE item_versions SET state = ? WHERE id = ? AND state = ?",
                           {text(core::to_string(state)), integer(id), from_name}));
      if (n != 1) return changed_meanwhile();
      if (from == VersionState::published) {
        // Withdrawn from the public: the item has no published version until the next one.
        SHENPI_TRY(
            s.exec("UPDATE items SET published_version_id = NULL "
                   "WHERE code = ? AND published_version_id = ?",
                   {text(item_code), integer(id)}));
        SHENPI_TRY(reindex_item(s, item_code));
        return bump_generation(s);
      }
      return ok_result();
    });
  }

  Result<void> put_bundle(const Bundle& b) override {
    if (b.code.empty()) return missing("code", "并联审批事项编码不能为空");
    if (b.name.empty()) return missing("name", "并联审批事项名称不能为空");
    return db_->write([&b](Session& s) -> Result<void> {
      SHENPI_TRY(
          s.exec("INSERT INTO bundles (code, name, lead_department_code, description, "
                 "joint_limit_days) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                 "lead_department_code = excluded.lead_department_code, "
                 "description = excluded.description, joint_limit_days = excluded.joint_limit_days",
                 {text(b.code), text(b.name), text(b.lead_department_code), text(b.description),
                  integer(b.joint_limit_days)}));
      SHENPI_TRY(s.exec("DELETE FROM bundle_items WHERE bundle_code = ?", {text(b.code)}));
      for (std::size_t i = 0; i < b.item_codes.size(); ++i) {
        SHENPI_TRY(
            s.exec("INSERT INTO bundle_items (bundle_code, idx, item_code) VALUES (?, ?, ?)",
                   {text(b.code), integer(static_cast<std::int64_t>(i)), text(b.item_codes[i])}));
      }
      return bump_generation(s);
    });
  }

 private:
  static constexpr const char* kDepartmentColumns =
      "d.code, d.name, d.short_name, d.region_code, d.kind, d.phone, d.address, d.hours, "
      "d.sort_order";

  static Result<Department> department_from_row(const Rows& r, std::size_t i) {
    Department d;
    d.code = r.text(i, 0);
    d.name = r.text(i, 1);
    d.short_name = r.text(i, 2);
    d.region_code = r.text(i, 3);
    SHENPI_ASSIGN(d.kind, enum_at<core::DepartmentKind>(r, i, 4, core::parse_department_kind));
    d.phone = r.text(i, 5);
    d.address = r.text(i, 6);
    d.hours = r.text(i, 7);
    d.sort_order = static_cast<int>(r.int64(i, 8));
    return d;
  }

  static Error missing(std::string field, std::string message) {
    return make_error(ErrorKind::invalid_input, "missing_field", std::move(message),
                      std::move(field));
  }

  static Error changed_meanwhile() {
    return make_error(ErrorKind::conflict, "concurrent_update",
                      "事项版本已被他人修改，请刷新后重试");
  }

  // Bundles selected by `filter` (a WHERE clause over `b`), ordered by code, with their
  // items in order.
  static Result<std::vector<Bundle>> load_bundles(Session& s, const std::string& filter,
                                                  const std::vector<Param>& params) {
    SHENPI_ASSIGN(Rows r, s.query("SELECT b.code, b.name, b.lead_department_code, b.description, "
                                  "b.joint_limit_days FROM bundles b" +
                                      filter,
                                  params));
    std::vector<Bundle> out;
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < r.size(); ++i) {
      Bundle b;
      b.code = r.text(i, 0);
      b.name = r.text(i, 1);
      b.lead_department_code = r.text(i, 2);
      b.description = r.text(i, 3);
      b.joint_limit_days = static_cast<int>(r.int64(i, 4));
      out.push_back(std::move(b));
    }
    std::sort(out.begin(), out.end(),
              [](const Bundle& a, const Bundle& b) { return a.code < b.code; });
    for (std::size_t i = 0; i < out.size(); ++i) at.emplace(out[i].code, i);
    if (out.empty()) return out;
    SHENPI_ASSIGN(Rows items, s.query("SELECT bi.bundle_code, bi.item_code FROM bundle_items bi "
                                      "WHERE bi.bundle_code IN (SELECT b.code FROM bundles b" +
                                          filter + ") ORDER BY bi.bundle_code, bi.idx",
                                      params));
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto it = at.find(items.text(i, 0));
      if (it != at.end()) out[it->second].item_codes.push_back(items.text(i, 1));
    }
    return out;
  }

  static Result<ItemPage> search(Session& s, const ItemQuery& q) {
    ItemPage page;
    page.page = std::max(q.page, 1);
    page.page_size = q.page_size < 1 ? 20 : q.page_size;
    const std::vector<std::string> grams = core::query_grams(q.text);
    const std::string needle = core::normalize_for_search(q.text);

    std::string sql =
        "SELECT v.item_code, v.name, v.type, v.department_code, d.name, d.short_name, v.audience, "
        "v.online_level, v.promised_limit_days, v.offline_reason, v.themes, v.result_name "
        "FROM items i JOIN item_versions v ON v.id = i.published_version_id "
        "JOIN departments d ON d.code = v.department_code WHERE 1 = 1";
    std::vector<Param> params;
    if (!grams.empty()) {
      // Candidates hold every gram of the query; the substring test below confirms them
      // (grams in another order or split across fields would match here alone).
      sql += " AND i.code IN (SELECT g.item_code FROM item_search_grams g WHERE g.gram IN (";
      for (std::size_t k = 0; k < grams.size(); ++k) {
        sql += k == 0 ? "?" : ", ?";
        params.push_back(grams[k]);
      }
      sql += ") GROUP BY g.item_code HAVING COUNT(DISTINCT g.gram) = ?)";
      params.push_back(integer(static_cast<std::int64_t>(grams.size())));
    }
    if (!q.department_code.empty()) {
      sql += " AND v.department_code = ?";
      params.push_back(q.department_code);
    }
    if (q.audience) {
      if (*q.audience == Audience::both) {
        sql += " AND v.audience = 'both'";
      } else {
        sql += " AND v.audience IN (?, 'both')";
        params.push_back(text(core::to_string(*q.audience)));
      }
    }
    SHENPI_ASSIGN(Rows r, s.query(sql, params));

    struct Hit {
      bool name_match;
      ItemSummary summary;
    };
    std::vector<Hit> hits;
    for (std::size_t i = 0; i < r.size(); ++i) {
      SHENPI_ASSIGN(std::vector<std::string> themes, strings_column(r, i, 10));
      if (!q.theme.empty() && std::find(themes.begin(), themes.end(), q.theme) == themes.end())
        continue;
      bool name_match = false;
      if (!needle.empty()) {
        name_match = contains(core::normalize_for_search(r.text(i, 1)), needle);
        bool match = name_match;
        std::vector<std::string> others{r.text(i, 0), r.text(i, 4), r.text(i, 5), r.text(i, 11)};
        others.insert(others.end(), themes.begin(), themes.end());
        for (std::size_t k = 0; !match && k < others.size(); ++k) {
          match = contains(core::normalize_for_search(others[k]), needle);
        }
        if (!match) continue;
      }
      ItemSummary sum;
      sum.code = r.text(i, 0);
      sum.name = r.text(i, 1);
      SHENPI_ASSIGN(sum.type, enum_at<core::ItemType>(r, i, 2, core::parse_item_type));
      sum.department_code = r.text(i, 3);
      sum.department_name = r.text(i, 4);
      SHENPI_ASSIGN(sum.audience, enum_at<Audience>(r, i, 6, core::parse_audience));
      SHENPI_ASSIGN(sum.online_level,
                    enum_at<core::OnlineLevel>(r, i, 7, core::parse_online_level));
      sum.promised_limit_days = static_cast<int>(r.int64(i, 8));
      sum.offline = !r.text(i, 9).empty();
      hits.push_back(Hit{name_match, std::move(sum)});
    }
    // Name matches first, then by code (byte order, the same on both dialects).
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.name_match != b.name_match) return a.name_match;
      return a.summary.code < b.summary.code;
    });
    page.total = static_cast<int>(hits.size());
    const std::size_t first =
        static_cast<std::size_t>(page.page - 1) * static_cast<std::size_t>(page.page_size);
    for (std::size_t k = first;
         k < hits.size() && k < first + static_cast<std::size_t>(page.page_size); ++k) {
      page.items.push_back(std::move(hits[k].summary));
    }
    return page;
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::CatalogueRepository> make_catalogue_store(std::shared_ptr<Database> db) {
  return std::make_shared<CatalogueStore>(std::move(db));
}

}  // namespace shenpi::store
