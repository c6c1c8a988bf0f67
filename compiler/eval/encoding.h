// The data formats of the built-in functions: values to and from JSON and YAML text, SHA-256 and
// base64. Pure functions; decoding reports the parser's message with its line, never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "providers/sdk/value.h"

namespace kc::eval {

// Decoded documents may nest at most this deep (the language's own nesting limit) and hold at most
// this many values (YAML aliases could otherwise expand a small text into an enormous value).
inline constexpr int kMaxDecodeDepth = 256;
inline constexpr int64_t kMaxDecodedValues = 1'000'000;

// Compact JSON with keys in order: domain values as their printed form (LANGUAGE.md 8a), nulls
// kept, floats as `kc eval` prints them. nullopt with `error` set when a string is not valid UTF-8
// (JSON cannot hold it).
std::optional<std::string> encode_json(const sdk::Value& value, std::string* error);
// A YAML document (block style, ending in a newline) of the same data as encode_json.
std::optional<std::string> encode_yaml(const sdk::Value& value, std::string* error);

// JSON text to null, bool, int, float, string, list and map values (integers beyond int64 become
// floats; a repeated key keeps its first place and its last value). nullopt with `error` set
// ("line 1, column 5: ...") when the text is not JSON.
std::optional<sdk::Value> decode_json(std::string_view text, std::string* error);
// The first YAML document of `text`, its plain scalars read by the YAML 1.2 core schema (`3` an
// int, `true` a bool, `~` null, `"3"` a string). Map keys must be scalars and unique.
std::optional<sdk::Value> decode_yaml(std::string_view text, std::string* error);

// Lowercase hex SHA-256 of the bytes of `data`.
std::string sha256_hex(std::string_view data);
// Standard base64 (RFC 4648 alphabet, `=` padding, no line breaks).
std::string base64_encode(std::string_view data);

}  // namespace kc::eval
