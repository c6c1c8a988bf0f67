// `kc version`: kc's version and the versions of the libraries it was built with.
#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <CLI/Version.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "compiler/syntax/parse.h"

namespace kc::cli {

void add_version_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand("version", "Print the version of kc and its libraries");
  command->callback([&exit_code] {
    std::cout << fmt::format("kc {}\n", KC_VERSION);
    std::cout << fmt::format("  antlr4-runtime {}\n", syntax::parser_runtime_version());
    std::cout << fmt::format("  CLI11 {}\n", CLI11_VERSION);
    std::cout << fmt::format("  fmt {}.{}.{}\n", FMT_VERSION / 10000, FMT_VERSION / 100 % 100,
                             FMT_VERSION % 100);
    std::cout << fmt::format("  libcurl {}\n", curl_version_info(CURLVERSION_NOW)->version);
    std::cout << fmt::format("  nlohmann_json {}.{}.{}\n", NLOHMANN_JSON_VERSION_MAJOR,
                             NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
    std::cout << fmt::format("  OpenSSL {}\n", OpenSSL_version(OPENSSL_VERSION_STRING));
    std::cout << fmt::format("  yaml-cpp {}\n", KC_YAML_CPP_VERSION);
    exit_code = 0;
  });
}

}  // namespace kc::cli
