// The YAML writer: layout, and quoting of every string a YAML reader could take for something else.
#include <doctest/doctest.h>

#include "support/yaml_writer.h"

namespace kc::support {

TEST_CASE("yaml layout: nested maps and lists, empty collections, key order kept") {
  nlohmann::ordered_json doc;
  doc["name"] = "web";
  doc["replicas"] = 3;
  doc["zones"] = {"a", "b"};
  doc["machine"] = {{"cpu", 2}, {"memory", "4Gi"}};
  doc["labels"] = nlohmann::ordered_json::object();
  doc["taints"] = nlohmann::ordered_json::array();
  doc["pools"] = nlohmann::ordered_json::array({{{"name", "app"}, {"size", 1}}});
  CHECK(to_yaml(doc) ==
        "name: web\n"
        "replicas: 3\n"
        "zones:\n"
        "  - a\n"
        "  - b\n"
        "machine:\n"
        "  cpu: 2\n"
        "  memory: 4Gi\n"
        "labels: {}\n"
        "taints: []\n"
        "pools:\n"
        "  - name: app\n"
        "    size: 1\n");
  CHECK(to_yaml(nlohmann::ordered_json::object()) == "{}\n");
  CHECK(to_yaml(nlohmann::ordered_json(1.5)) == "1.5\n");
}

TEST_CASE("yaml quoting: strings that would read back as something else are quoted") {
  for (const char* plain : {"web", "4Gi", "1h30m", "40%", "v1.29.4", "10.0.0.0/16", "a-b_c.d"}) {
    CHECK_MESSAGE(is_plain_yaml_string(plain), plain);
  }
  for (const char* quoted :
       {"",     "3",     "-3",   "1.5",   "1e3",  "0x1f", "0o17", "017",     ".5",
        "true", "False", "yes",  "NO",    "on",   "off",  "y",    "null",    "~",
        ".inf", "-.Inf", ".nan", "a b",   "a: b", "#x",   "-x",   "fd00::1", "&a",
        "*a",   "!a",    "'a'",  "\"a\"", "[a]",  "{a}",  "a\nb", "|",       ">"}) {
    CHECK_MESSAGE(!is_plain_yaml_string(quoted), quoted);
  }
  nlohmann::ordered_json doc = {{"count", "3"}, {"on", true}, {"text", "a \"b\"\n"}};
  CHECK(to_yaml(doc) == "count: \"3\"\n\"on\": true\ntext: \"a \\\"b\\\"\\n\"\n");
}

}  // namespace kc::support
