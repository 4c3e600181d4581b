#pragma once
// Files compiled into the binary (see cmake/embed.cmake): migrations, templates, static
// assets, demo data and the OpenAPI document. Paths are relative to the source tree,
// e.g. "src/store/migrations/sqlite/0001_catalogue.sql".
#include <optional>
#include <string_view>
#include <vector>

namespace shenpi {

//! The bytes of an embedded file, or nullopt when no such file was embedded.
std::optional<std::string_view> resource(std::string_view path);

//! Names of all embedded files whose path starts with prefix, in sorted order.
std::vector<std::string_view> resource_names(std::string_view prefix);

}  // namespace shenpi
