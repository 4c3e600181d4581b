#include "store/document_store.h"

#include <string>
#include <utility>
#include <vector>

#include "store/db_values.h"
#include "store/document_rows.h"

namespace shenpi::store {
namespace {

using app::DocumentRecord;

Error not_found() {
  return make_error(ErrorKind::not_found, "document_not_found",
                    "未找到该验证码对应的文书，请核对验证码后重试");
}

// The one record a query selected, or not_found.
Result<DocumentRecord> single(const Rows& rows) {
  SHENPI_ASSIGN(std::vector<DocumentRecord> records, read_document_rows(rows));
  if (records.empty()) return not_found();
  return std::move(records.front());
}

class DocumentStore final : public app::DocumentRepository {
 public:
  explicit DocumentStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::int64_t> insert(const DocumentRecord& record) override {
    return write_value<std::int64_t>(*db_,
                                     [&](Session& s) { return insert_document_row(s, record); });
  }

  Result<DocumentRecord> by_verify_code(std::string_view code) override {
    return read_value<DocumentRecord>(*db_, [&](Session& s) -> Result<DocumentRecord> {
      SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kDocumentColumns +
                                        " FROM case_documents WHERE verify_code = ?",
                                    {std::string(code)}));
      return single(r);
    });
  }

  Result<DocumentRecord> by_id(std::int64_t id) override {
    return read_value<DocumentRecord>(*db_, [&](Session& s) -> Result<DocumentRecord> {
      SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kDocumentColumns +
                                        " FROM case_documents WHERE id = ?",
                                    {id}));
      return single(r);
    });
  }

  Result<std::vector<DocumentRecord>> for_case(std::string_view case_number) override {
    return read_value<std::vector<DocumentRecord>>(
        *db_, [&](Session& s) -> Result<std::vector<DocumentRecord>> {
          SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kDocumentColumns +
                                            " FROM case_documents WHERE case_number = ? "
                                            "ORDER BY id",
                                        {std::string(case_number)}));
          return read_document_rows(r);
        });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::DocumentRepository> make_document_store(std::shared_ptr<Database> db) {
  return std::make_shared<DocumentStore>(std::move(db));
}

}  // namespace shenpi::store
