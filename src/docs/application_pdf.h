#pragma once
// The filled application (申请表) as a PDF: what the applicant submitted, printed from the
// same form definition that rendered the web form. Kept in the case file and given to the
// applicant with the acknowledgement.
#include <string>
#include <utility>
#include <vector>

#include "core/catalogue/catalogue.h"
#include "core/forms/form_data.h"
#include "core/result.h"

namespace shenpi::docs {

//! Everything printed on a filled application. `data` is the validated, normalised data
//! (core::validate_form); the printer does not check it again.
struct ApplicationPrint {
  std::string case_number;          //!< 申请编号
  std::string item_name;            //!< e.g. "食品经营许可"
  std::string department_name;      //!< 实施机关
  std::string applicant_name;       //!< 申请人
  std::string applicant_id_masked;  //!< the applicant's ID or credit code, masked
  std::string submitted_on;         //!< YYYY-MM-DD
  std::vector<core::FormField> fields;
  core::FormData data;
  //! Attached files: field label, file name (随附材料).
  std::vector<std::pair<std::string, std::string>> attachments;
};

//! A4 PDF of the filled application: title, a header grid with 申请编号, 实施机关, 申请人
//! and 提交日期; then 一、申请信息: every field shown by its condition as label | value
//! (select labels rather than values, long text wrapped and continued over pages, empty
//! values as “未填写”), table fields as real tables (header row repeated on each page);
//! 二、随附材料: the attached files; 三、申请人承诺 with the applicant and date. Pages after
//! the first carry a running header with the case number; every page “第 X 页 共 Y 页”.
//! The PDF Title metadata is the title. Pure function of its input (same bytes for the
//! same input); blocks while rendering and serialises with other PDF renders: call it
//! from a worker pool. Fails only with ErrorKind::internal when cairo fails.
Result<std::string> render_application_pdf(const ApplicationPrint& print);

}  // namespace shenpi::docs
