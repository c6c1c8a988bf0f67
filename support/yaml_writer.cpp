// The YAML writer: a small emitter over nlohmann::ordered_json, quoting conservatively.
#include "support/yaml_writer.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace kc::support {
namespace {

// Words YAML 1.1 readers (still common) turn into booleans or null, in any case. (`.inf`, `-.nan`
// and the like never reach here: a plain string may not start with `.`, `+` or `-`.)
bool is_special_word(std::string_view text) {
  static const char* const kWords[] = {"true", "false", "yes",  "no", "on",  "off",
                                       "y",    "n",     "null", "~",  "nan", "inf"};
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords);
}

std::string scalar(const nlohmann::ordered_json& value) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    return is_plain_yaml_string(text) ? text : nlohmann::ordered_json(text).dump();
  }
  return value.dump();  // null, booleans and numbers print the same in JSON and YAML
}

bool is_empty_collection(const nlohmann::ordered_json& value) {
  return (value.is_object() || value.is_array()) && value.empty();
}

void write(const nlohmann::ordered_json& value, int indent, std::string& out);

// Writes what follows `key:` or `-`: a scalar on the same line, a collection on the next lines.
void write_after_indicator(const nlohmann::ordered_json& value, int indent, std::string& out) {
  if (value.is_structured() && !value.empty()) {
    out += "\n";
    write(value, indent, out);
  } else {
    out += " " +
           (is_empty_collection(value) ? std::string(value.is_object() ? "{}" : "[]")
                                       : scalar(value)) +
           "\n";
  }
}

void write(const nlohmann::ordered_json& value, int indent, std::string& out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out += pad + scalar(nlohmann::ordered_json(key)) + ":";
      write_after_indicator(item, indent + 2, out);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_object() && !item.empty()) {
        // A map in a list starts on the dash's line: `- name: app`.
        std::string entry;
        write(item, indent + 2, entry);
        out += entry.replace(0, pad.size() + 2, pad + "- ");
        continue;
      }
      out += pad + "-";
      write_after_indicator(item, indent + 2, out);
    }
  } else {
    out += pad + scalar(value) + "\n";
  }
}

}  // namespace

bool is_plain_yaml_string(std::string_view text) {
  // Letters, digits and a few punctuation marks that are never indicators inside a word; the first
  // character may not be one that starts another kind of node.
  static const std::regex kPlain(R"([A-Za-z0-9_][A-Za-z0-9_./%+-]*)");
  // Anything a reader could resolve as a number: ints, floats, hex, octal, sexagesimal-free.
  static const std::regex kNumeric(
      R"([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+)");
  std::string s(text);
  return !s.empty() && std::regex_match(s, kPlain) && !std::regex_match(s, kNumeric) &&
         !is_special_word(text);
}

std::string to_yaml(const nlohmann::ordered_json& value) {
  if (is_empty_collection(value)) return value.is_object() ? "{}\n" : "[]\n";
  std::string out;
  write(value, 0, out);
  return out;
}

}  // namespace kc::support
