// Hostile and broken files (issue 13 §9, the loader's part): each ends in a precise LoadError
// naming the line/column where there is one, or loads with every row kept and the oddity
// reported — quickly, with bounded memory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include "datastore/loader.h"
#include "loader_test_util.h"
#include "memory_table_store.h"
#include "tests/support/temp_dir.h"
#include "zip_writer.h"

using namespace datamap;
using datamap::testing::column_of;
using datamap::testing::load_error;
using datamap::testing::write_file;
using datastore::LoadOptions;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST(LoaderHostile, RaggedRowsAreKeptPaddedAndReported) {
  datamap::testing::TempDir dir;
  write_file(dir.file("ragged.csv"), "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n");
  datamap::testing::MemoryTableStore store;
  auto r = datastore::load_file(dir.file("ragged.csv"), "csv", store, "t");
  EXPECT_EQ(r.rows, 4);
  ASSERT_EQ(r.columns.size(), 4u);
  EXPECT_EQ(r.columns[3].name, "column_4");
  EXPECT_EQ(r.columns[3].nulls, 3);
  std::string all;
  for (const auto& w : r.warnings) all += w + "\n";
  EXPECT_NE(all.find("1 row(s) have fewer values than the header (the first at line 3)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("1 row(s) have more values than the header (the first at line 4)"),
            std::string::npos)
      << all;
  const auto& rows = store.tables.at("t").rows;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[1][2]));  // padded
  EXPECT_EQ(std::get<std::int64_t>(rows[2][3]), 9);                 // the extra value, kept
}

TEST(LoaderHostile, InvalidUtf8IsReplacedAndCountedOrRefusedWhenStrict) {
  datamap::testing::TempDir dir;
  write_file(dir.file("bad.csv"), "이름,값\n가나다,1\n라마\xff바,2\n사아자,3\n");
  datamap::testing::MemoryTableStore store;
  auto r = datastore::load_file(dir.file("bad.csv"), "csv", store, "t");
  EXPECT_EQ(r.encoding, "UTF-8");
  EXPECT_EQ(r.rows, 3);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(
      r.warnings[0].find(
          "1 invalid UTF-8 byte sequence(s) replaced by U+FFFD, the first at byte 29 (line 3)"),
      std::string::npos)
      << r.warnings[0];
  EXPECT_EQ(std::get<std::string>(store.tables.at("t").rows[1][0]), "라마\xEF\xBF\xBD바");

  LoadOptions strict;
  strict.limits.strict_encoding = true;
  auto e =
      load_error([&] { datastore::load_file(dir.file("bad.csv"), "csv", store, "u", strict); });
  EXPECT_EQ(e.line, 3);
  EXPECT_NE(std::string(e.what()).find("at byte 29"), std::string::npos) << e.what();
  EXPECT_EQ(store.tables.count("u"), 0u);  // nothing written
}

TEST(LoaderHostile, BrokenCp949BytesAreReplacedWithTheLineNamed) {
  datamap::testing::TempDir dir;
  // 주차장,요금 / 공영,무료 / a broken double-byte (lead 0xB0 and an ASCII trail) / 민영,유료 in
  // CP949
  std::string cp949 =
      "\xC1\xD6\xC2\xF7\xC0\xE5,\xBF\xE4\xB1\xDD\n\xB0\xF8\xBF\xB5,\xB9\xAB\xB7\xE1\n";
  cp949 += "\xB0\x21,\xB9\xAB\xB7\xE1\n\xB9\xCE\xBF\xB5,\xC0\xAF\xB7\xE1\n";
  write_file(dir.file("broken.csv"), cp949);
  datamap::testing::MemoryTableStore store;
  auto r = datastore::load_file(dir.file("broken.csv"), "csv", store, "t");
  EXPECT_EQ(r.encoding, "CP949");
  EXPECT_EQ(r.rows, 3);
  EXPECT_EQ(r.columns[0].name, "주차장");
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].find("(line 3)"), std::string::npos) << r.warnings[0];
  EXPECT_EQ(std::get<std::string>(store.tables.at("t").rows[2][0]), "민영");
}

TEST(LoaderHostile, AFileClaimingCsvThatIsAPngIsRefused) {
  datamap::testing::TempDir dir;
  write_file(dir.file("data.csv"),
             std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(100, 'x'));
  datamap::testing::MemoryTableStore store;
  auto e = load_error([&] { datastore::load_file(dir.file("data.csv"), "CSV", store, "t"); });
  EXPECT_STREQ(e.what(),
               "the file claims to be CSV but is a PNG image; a tabular file (CSV, TSV, XLSX, XLS, "
               "JSON, zip) is needed");
  EXPECT_TRUE(store.tables.empty());
}

TEST(LoaderHostile, ABinaryFileIsRefused) {
  datamap::testing::TempDir dir;
  write_file(dir.file("x.csv"), std::string("a,b\n1,\0\0\0\x01\x02", 11));
  datamap::testing::MemoryTableStore store;
  auto e = load_error([&] { datastore::load_file(dir.file("x.csv"), "csv", store, "t"); });
  EXPECT_NE(std::string(e.what()).find("a binary file"), std::string::npos) << e.what();
}

TEST(LoaderHostile, ABrokenZipIsRefused) {
  datamap::testing::TempDir dir;
  write_file(dir.file("x.zip"), std::string("PK\x03\x04", 4) + std::string(200, '\x7f'));
  datamap::testing::MemoryTableStore store;
  auto e = load_error([&] { datastore::load_file(dir.file("x.zip"), "zip", store, "t"); });
  EXPECT_EQ(std::string(e.what()).rfind("broken zip", 0), 0u) << e.what();
}

TEST(LoaderHostile, ATruncatedZipIsRefused) {
  datamap::testing::TempDir dir;
  {
    datamap::testing::ZipWriter zip(dir.file("whole.zip"));
    std::string csv = "a,b\n";
    for (int i = 0; i < 20000; ++i)
      csv += std::to_string(i) + "," + std::to_string(i * 7919 % 10007) + "\n";
    zip.add("data.csv", csv);
  }
  std::ifstream in(dir.file("whole.zip"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  write_file(dir.file("cut.zip"), bytes.substr(0, bytes.size() / 2));
  datamap::testing::MemoryTableStore store;
  auto e = load_error([&] { datastore::load_file(dir.file("cut.zip"), "", store, "t"); });
  EXPECT_NE(std::string(e.what()).find("zip"), std::string::npos) << e.what();
}

TEST(LoaderHostile, AZipBombIsRefusedQuicklyWithBoundedMemory) {
  datamap::testing::TempDir dir;
  const std::size_t size = std::size_t{100} << 20;  // 100 MiB of zeros: ~100 KiB deflated
  {
    datamap::testing::ZipWriter zip(dir.file("bomb.zip"));
    std::string piece(1 << 20, '0');
    zip.add("data.csv", size, [&](const auto& put) {
      for (std::size_t i = 0; i < size >> 20; ++i) put(piece);
    });
  }
  datamap::testing::MemoryTableStore store;
  long rss = datamap::testing::peak_rss_mib();
  auto t0 = std::chrono::steady_clock::now();
  auto e = load_error([&] { datastore::load_file(dir.file("bomb.zip"), "zip", store, "t"); });
  EXPECT_NE(std::string(e.what()).find("refused as a zip bomb"), std::string::npos) << e.what();
  EXPECT_LT(seconds_since(t0), 2.0);
  EXPECT_LT(datamap::testing::peak_rss_mib() - rss, 64);
}

TEST(LoaderHostile, AnXlsxBombIsRefusedBeforeGdalOpensIt) {
  datamap::testing::TempDir dir;
  const std::size_t size = std::size_t{100} << 20;
  {
    datamap::testing::ZipWriter zip(dir.file("bomb.xlsx"));
    zip.add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>");
    zip.add("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook/>");
    std::string piece(1 << 20, ' ');
    zip.add("xl/worksheets/sheet1.xml", size, [&](const auto& put) {
      for (std::size_t i = 0; i < size >> 20; ++i) put(piece);
    });
  }
  datamap::testing::MemoryTableStore store;
  long rss = datamap::testing::peak_rss_mib();
  auto t0 = std::chrono::steady_clock::now();
  auto e = load_error([&] { datastore::load_file(dir.file("bomb.xlsx"), "xlsx", store, "t"); });
  EXPECT_NE(std::string(e.what()).find("refused as a zip bomb"), std::string::npos) << e.what();
  EXPECT_LT(seconds_since(t0), 2.0);
  EXPECT_LT(datamap::testing::peak_rss_mib() - rss, 64);
}

TEST(LoaderHostile, FiveThousandColumnsAreRefusedByDefaultAndLoadWhenAllowed) {
  datamap::testing::TempDir dir;
  std::string header, row;
  for (int i = 0; i < 5000; ++i) {
    if (i) header += ',', row += ',';
    header.append("c").append(std::to_string(i));
    row.append(std::to_string(i));
  }
  write_file(dir.file("wide.csv"), header + "\n" + row + "\n" + row + "\n");
  datamap::testing::MemoryTableStore store;
  auto e = load_error([&] { datastore::load_file(dir.file("wide.csv"), "csv", store, "t"); });
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.column, 2001);
  EXPECT_NE(std::string(e.what()).find("more than 2000 fields"), std::string::npos) << e.what();

  LoadOptions wide;
  wide.limits.max_columns = 5000;
  auto r = datastore::load_file(dir.file("wide.csv"), "csv", store, "t", wide);
  EXPECT_EQ(r.rows, 2);
  EXPECT_EQ(r.columns.size(), 5000u);
  EXPECT_EQ(r.columns[4999].type, "int");
}

TEST(LoaderHostile, ATwoGigabyteFileIsRefusedByTheLimitOrByItsContent) {
  datamap::testing::TempDir dir;
  // Sparse: a CSV header, then 2 GiB of NUL bytes the disk never stores.
  write_file(dir.file("huge.csv"), "a,b\n1,");
  ASSERT_EQ(::truncate(dir.file("huge.csv").c_str(), std::int64_t{2} << 30), 0);
  datamap::testing::MemoryTableStore store;
  LoadOptions limited;
  limited.limits.max_file_bytes = std::uint64_t{1} << 30;
  auto e =
      load_error([&] { datastore::load_file(dir.file("huge.csv"), "csv", store, "t", limited); });
  EXPECT_EQ(std::string(e.what()), "the file is 2147483648 bytes; the limit is 1073741824");

  // Without a file limit it is refused at once by content: NUL bytes are not text.
  long rss = datamap::testing::peak_rss_mib();
  auto t0 = std::chrono::steady_clock::now();
  e = load_error([&] { datastore::load_file(dir.file("huge.csv"), "csv", store, "t"); });
  EXPECT_NE(std::string(e.what()).find("binary file"), std::string::npos) << e.what();
  EXPECT_LT(seconds_since(t0), 2.0);
  EXPECT_LT(datamap::testing::peak_rss_mib() - rss, 64);
}

TEST(LoaderHostile, AnUnclosedQuoteStopsAtTheCellLimitNamingItsLine) {
  datamap::testing::TempDir dir;
  std::string csv = "a,b\n1,2\n3,\"never closed\n";
  for (int i = 0; i < 40000; ++i) csv += "filler line " + std::to_string(i) + ",x\n";
  write_file(dir.file("q.csv"), csv);
  datamap::testing::MemoryTableStore store;
  LoadOptions o;
  o.limits.max_cell_bytes = 64 << 10;
  auto e = load_error([&] { datastore::load_file(dir.file("q.csv"), "csv", store, "t", o); });
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.column, 2);
  EXPECT_NE(std::string(e.what()).find("an unclosed quote?"), std::string::npos) << e.what();
}

TEST(LoaderHostile, AHostileColumnNameIsJustAName) {
  datamap::testing::TempDir dir;
  write_file(dir.file("x.csv"), "\"\"\"; DROP TABLE x; --\",b\n1,2\n");
  datamap::testing::MemoryTableStore store;
  auto r = datastore::load_file(dir.file("x.csv"), "csv", store, "t");
  EXPECT_EQ(r.columns[0].name, "\"; DROP TABLE x; --");
  EXPECT_EQ(store.tables.at("t").fields[0].id, "\"; DROP TABLE x; --");
}

TEST(LoaderHostile, AbortStopsTheLoadAndWritesNothing) {
  datamap::testing::TempDir dir;
  std::string csv = "a,b\n";
  for (int i = 0; i < 20000; ++i) csv += std::to_string(i) + ",x\n";
  write_file(dir.file("x.csv"), csv);
  datamap::testing::MemoryTableStore store;
  std::atomic<bool> abort{false};
  LoadOptions o;
  o.abort = &abort;
  o.progress = [&](const datastore::LoadProgress& p) {
    if (std::string(p.phase) == "load" && p.rows >= 4096) abort = true;
  };
  auto e = load_error([&] { datastore::load_file(dir.file("x.csv"), "csv", store, "t", o); });
  EXPECT_STREQ(e.what(), "load aborted");
  EXPECT_TRUE(store.tables.empty());
}
