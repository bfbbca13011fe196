#include "catalog/sqlite/records.h"

#include "catalog/ids.h"
#include "catalog/sqlite/migrations.h"

namespace datamap::catalog::sqlite {

void prepare_records_connection(Connection& c) {
  {
    Statement wal(c.handle(), "PRAGMA journal_mode = WAL");
    wal.step();
  }
  c.exec("PRAGMA synchronous = NORMAL");
  migrate(c);
}

int read_texts(const Statement& s, int first, std::initializer_list<std::string*> fields) {
  for (std::string* f : fields) *f = s.text(first++);
  return first;
}

int read_integers(const Statement& s, int first, std::initializer_list<std::int64_t*> fields) {
  for (std::int64_t* f : fields) *f = s.integer(first++);
  return first;
}

void log_change(Connection& c, std::string_view entity, std::string_view id,
                std::string_view kind) {
  auto q = c.cached("INSERT INTO changes (entity, entity_id, kind, at) VALUES (?1, ?2, ?3, ?4)");
  q->bind_all(entity, id, kind, now_iso8601());
  q->run();
}

void Where::bind(Statement& s) const {
  int i = 0;
  for (const std::string& v : values) s.bind(++i, v);
}

}  // namespace datamap::catalog::sqlite
