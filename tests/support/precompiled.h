// The headers nearly every test file parses, compiled once per test binary (target_precompile_headers
// in tests/CMakeLists.txt) instead of once per test file: GoogleTest alone is ~73k preprocessed
// lines and ~1.1 CPU s of parsing, and 130 of the ~380 files of a tree are tests. The list is
// only a speed-up: every test file still includes what it uses, so it builds without it too.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catalog/store.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"
