// A TableStore that keeps the loader's tables in memory, for the loader's tests (which test the
// loader, not a backend). Only the bulk path is implemented; the rest throws.
#pragma once

#include <map>
#include <stdexcept>

#include "datastore/table_store.h"

namespace datamap::testing {

class MemoryTableStore : public datastore::TableStore {
 public:
  struct Table {
    std::vector<datastore::Field> fields;
    datastore::TableOptions options;
    std::vector<datastore::Row> rows;
  };
  std::map<std::string, Table> tables;
  bool keep_rows = true;  // false: count only (large generated files)
  std::int64_t appended = 0;
  std::int64_t fail_at = -1;  // >= 0: the append of that many rows' next one throws (a full disk)

  std::vector<std::string> table_ids() override {
    std::vector<std::string> out;
    for (const auto& t : tables) out.push_back(t.first);
    return out;
  }

  std::unique_ptr<datastore::TableWriter> replace_table(
      const std::string& id, const std::vector<datastore::Field>& fields,
      const datastore::TableOptions& options) override {
    class Writer : public datastore::TableWriter {
     public:
      Writer(MemoryTableStore& s, std::string id, Table t)
          : s_(s), id_(std::move(id)), t_(std::move(t)) {}
      void append(const datastore::Row& row) override {
        if (row.size() != t_.fields.size()) throw std::logic_error("row width");
        if (s_.appended == s_.fail_at) throw std::runtime_error("disk full");
        ++n_;
        ++s_.appended;
        if (s_.keep_rows) t_.rows.push_back(row);
      }
      std::int64_t rows() const override { return n_; }
      void set_options(const datastore::TableOptions& options) override { t_.options = options; }
      void commit() override { s_.tables[id_] = std::move(t_); }

     private:
      MemoryTableStore& s_;
      std::string id_;
      Table t_;
      std::int64_t n_ = 0;
    };
    return std::make_unique<Writer>(*this, id, Table{fields, options, {}});
  }

  datastore::TableInfo create(const std::string&, const std::vector<datastore::Field>&,
                              const datastore::TableOptions&,
                              const std::vector<datastore::Row>&) override {
    throw std::logic_error("not in the memory store");
  }
  std::int64_t upsert(const std::string&, Method, const std::vector<std::string>&,
                      const std::vector<datastore::Row>&) override {
    throw std::logic_error("not in the memory store");
  }
  std::int64_t delete_rows(const std::string&, const std::vector<datastore::Condition>&) override {
    throw std::logic_error("not in the memory store");
  }
  void drop(const std::string& id) override { tables.erase(id); }
  std::optional<datastore::TableInfo> info(const std::string&) override { return std::nullopt; }
  void set_field_info(const std::string&,
                      const std::vector<std::pair<std::string, datastore::FieldInfo>>&) override {}
  datastore::SearchResult search(const datastore::SearchQuery&) override {
    throw std::logic_error("not in the memory store");
  }
  void scan(const datastore::SearchQuery&,
            const std::function<bool(const std::vector<datastore::Field>&, const datastore::Row&)>&)
      override {
    throw std::logic_error("not in the memory store");
  }
  datastore::SqlResult search_sql(std::string_view, const datastore::SqlLimits&,
                                  const std::function<bool(const std::string&)>&) override {
    throw std::logic_error("not in the memory store");
  }
};

}  // namespace datamap::testing
