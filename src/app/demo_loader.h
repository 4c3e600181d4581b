#pragma once
// Fills an empty catalogue with the demo data of 潮州市 (data/demo/catalogue.json): the
// city and its counties, their departments and the city-wide bodies of the regulation,
// items with full guides and forms, and parallel-approval bundles. Used by
// `shenpi serve --demo` and by tests that need a realistic catalogue.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/catalogue_repository.h"
#include "core/result.h"

namespace shenpi::app {

//! Renders a material template (title, paragraphs) to file bytes; the composition root
//! passes docs::render_text_document so that app does not depend on the PDF library.
using TemplateRenderer = std::function<Result<std::string>(
    std::string_view title, const std::vector<std::string>& paragraphs)>;

//! What load_demo_catalogue stored.
struct DemoLoadReport {
  int regions = 0, departments = 0, items = 0, bundles = 0, templates = 0;
};

//! Loads the demo catalogue (embedded resource "data/demo/catalogue.json", or `json_text`
//! when non-empty) into an EMPTY repository: regions, departments, each item as a version
//! moved draft→signed_off→filed→published on `today` (YYYY-MM-DD), bundles.
//!
//! The document is {"regions":[…],"departments":[…],"items":[…],"bundles":[…]} in the
//! codec of app/catalogue_json.h; a material may carry "template": {"title",
//! "paragraphs":[…]}, rendered with `render` and stored as its template file (named by
//! template_filename, or "<title>.pdf" when that is empty).
//!
//! Returns conflict ("not_empty") when the repository already holds data. Everything is
//! parsed, cross-checked (unique codes; parents, regions, departments and bundle items
//! exist), validated (validate_item_version, validate_bundle) and rendered before the
//! first write, so nothing is written when any part is invalid: invalid_input with
//! `field` the JSON path, e.g. "items[3].materials[1].name". A failing write (e.g. the
//! database is down) is returned as is; the repository's writes are not transactional
//! across calls, so a partly loaded catalogue is then possible and the caller should
//! report it.
Result<DemoLoadReport> load_demo_catalogue(CatalogueRepository& repo,
                                           const TemplateRenderer& render, std::string_view today,
                                           std::string_view json_text = {});

}  // namespace shenpi::app
