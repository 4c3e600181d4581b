#pragma once
// Printable PDF documents of the public catalogue: blank application forms (表格下载) and
// plain text documents (示范文本, notices). A4, Simplified Chinese, Noto CJK fonts.
//
// Both functions are pure functions of their input: the same input gives the same bytes,
// so callers may cache the result (forms per item version) and serve it with a strong
// ETag. Both block while rendering (tens of milliseconds) and serialise with each other
// across threads: call them from a worker pool, never from an I/O thread.
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/catalogue.h"
#include "core/result.h"

namespace shenpi::docs {

//! A blank A4 application form (申请表) for an item version, generated from its form
//! definition (item.form): a header with the item name, 事项编码 and department name, then
//! every field as a label and an empty box sized by type (textarea/address taller; select
//! and multi_select list their options with ☐ boxes; table fields draw a grid with the
//! column headers and a few empty rows; attachment fields show “（附件：请按申请材料清单提交）”),
//! then an applicant declaration (申请人承诺) with signature/date lines, and page numbers
//! “第 X 页 共 Y 页” in the footer. Long labels wrap; fields never split across a page
//! break. An item without form fields gets a generic applicant section (申请人名称, 证件号码,
//! 联系电话, 通讯地址, 申请事项说明). The PDF Title metadata is the item name.
//! Fails only with ErrorKind::internal when cairo cannot produce the document.
Result<std::string> render_blank_form(const core::ItemVersion& item,
                                      std::string_view department_name);

//! A simple A4 document: a centred title, paragraphs (wrapped, justified for Chinese, first
//! line indented two characters; paragraphs may continue on the next page), and an
//! optional footer line on every page (omitted when footer is empty); “第 X 页 共 Y 页”
//! when it runs to more than one page. Used for material templates (示范文本) and
//! printable notices. The PDF Title metadata is the title.
//! Fails only with ErrorKind::internal when cairo cannot produce the document.
Result<std::string> render_text_document(std::string_view title,
                                         const std::vector<std::string>& paragraphs,
                                         std::string_view footer);

}  // namespace shenpi::docs
