#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <stdexcept>
#include <thread>

#include "catalog/import/input_file.h"
#include "tests/catalog/import_fixtures.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog::importer {
namespace {

void write_gzip(const std::string& path, std::string_view content) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  gzclose(f);
}

TEST(ImportInputFile, XzIsDecompressedByContent) {
  // The bundled sample is xz: its text starts with the list's header.
  const std::string& text = testing::datago_2022_text();
  EXPECT_EQ(text.rfind("목록키,목록유형,목록명", 0), 0u);
  EXPECT_EQ(text.size(), 24544577u);
}

TEST(ImportInputFile, GzipAndPlainFilesAreReadWhateverTheirName) {
  testing::TempDir dir;
  std::string head = testing::datago_2022_head(20);
  write_gzip(dir.file("list.csv"), head);          // gzip content under a .csv name
  testing::write_file(dir.file("list.gz"), head);  // plain content under a .gz name
  EXPECT_EQ(read_input_file(dir.file("list.csv")), head);
  EXPECT_EQ(read_input_file(dir.file("list.gz")), head);
}

TEST(ImportInputFile, APipeWithNoSizeIsReadToItsEnd) {
  testing::TempDir dir;
  std::string fifo = dir.file("list.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string head = testing::datago_2022_head(500);
  std::thread writer([&] { testing::write_file(fifo, head); });
  std::string read = read_input_file(fifo);
  writer.join();
  EXPECT_EQ(read, head);
}

TEST(ImportInputFile, DamagedCompressedFilesAndMissingFilesThrow) {
  testing::TempDir dir;
  testing::write_file(dir.file("broken.xz"), std::string("\xFD"
                                                         "7zXZ\0garbage",
                                                         12));
  testing::write_file(dir.file("broken.gz"), "\x1F\x8B\x08garbage");
  EXPECT_THROW(read_input_file(dir.file("broken.xz")), std::runtime_error);
  EXPECT_THROW(read_input_file(dir.file("broken.gz")), std::runtime_error);
  EXPECT_THROW(read_input_file(dir.file("missing.csv")), std::runtime_error);
}

}  // namespace
}  // namespace datamap::catalog::importer
