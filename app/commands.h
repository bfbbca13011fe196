// Each subcommand of `datamap` registers itself on the CLI11 app; main.cpp only wires them.
// A subcommand's callback does its work and sets `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace datamap::app {

extern int exit_code;

void add_serve_command(CLI::App& app);    // serve [--data DIR] [--port N] [--host ADDR] [--config FILE]
void add_import_command(CLI::App& app);   // import [--data DIR] FILE...
void add_user_command(CLI::App& app);     // user add NAME [--sysadmin] [--org ORG --role ROLE]
void add_reindex_command(CLI::App& app);  // reindex [--data DIR]
void add_harvest_command(CLI::App& app);
void add_attach_command(CLI::App& app);   // attach [--data DIR] DATASET FILE [--name NAME]  // harvest run URL_OR_SOURCE_ID [--type TYPE]
void add_quality_command(CLI::App& app);
void add_migrate_command(CLI::App& app);  // migrate --to postgresql://… [--data DIR]  // quality
                                          // snapshot [--data DIR] [--date YYYY-MM-DD]

}  // namespace datamap::app
