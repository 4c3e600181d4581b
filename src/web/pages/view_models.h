#pragma once
// Template contexts of the public pages, built from the catalogue use cases' results.
// Pure functions: no I/O. Labels are the Chinese UI text; URLs are percent-encoded here
// and HTML-escaped by the templates.
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "app/catalogue_service.h"
#include "core/catalogue/catalogue.h"

namespace shenpi::web {

//! Departments by code, for names and links.
using DepartmentIndex = std::map<std::string, core::Department, std::less<>>;
DepartmentIndex index_departments(const std::vector<core::Department>& departments);

std::string item_url(std::string_view code);        //!< /items/{code}
std::string department_url(std::string_view code);  //!< /departments/{code}
std::string bundle_url(std::string_view code);      //!< /bundles/{code}

//! A search-result row: code, name, url, department_name, department_url, type_label,
//! promised_limit_days, online_label, offline.
boost::json::object summary_context(const core::ItemSummary& item);

//! The department directory: {"groups":[{"title","departments":[…]}], "city_bodies":[…]}.
//! Approval departments grouped by region (市直单位 first, then each county/district in
//! the order of regions); the city-wide bodies that approve nothing listed apart.
boost::json::object directory_context(const std::vector<core::Region>& regions,
                                      const std::vector<core::Department>& departments);

//! A bundle row: code, name, url, description, lead_name, lead_url, item_count,
//! joint_limit_days.
boost::json::object bundle_context(const core::Bundle& bundle, const DepartmentIndex& departments);

//! The guide page: {"item":{…every element…},"department":{…},"region":{…},"bundles":[…]}.
boost::json::object guide_context(const app::Guide& guide);

//! The department page.
boost::json::object department_context(const app::DepartmentPage& page);

//! What a city-wide body does, for its page; empty for approval departments.
std::string_view role_of(core::DepartmentKind kind);

}  // namespace shenpi::web
