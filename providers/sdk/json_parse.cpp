// Linear-time JSON parsing into ordered_json: nlohmann's parser with a DOM builder that indexes the
// keys of large objects.
#include "providers/sdk/json_parse.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kc::sdk {
namespace {

using Json = nlohmann::ordered_json;

// Objects up to this many keys find keys by scanning them, as ordered_json does; larger ones get an
// index from key to position.
constexpr size_t kIndexFrom = 16;

// The SAX handler: builds the same tree as nlohmann's json_sax_dom_parser.
class Builder {
 public:
  explicit Builder(Json& root) : root_(root) {}

  bool null() { return value(nullptr); }
  bool boolean(bool b) { return value(b); }
  bool number_integer(Json::number_integer_t n) { return value(n); }
  bool number_unsigned(Json::number_unsigned_t n) { return value(n); }
  bool number_float(Json::number_float_t n, const std::string&) { return value(n); }
  bool string(std::string& s) { return value(std::move(s)); }
  bool binary(Json::binary_t& b) { return value(std::move(b)); }

  bool start_object(std::size_t) {
    open(Json::value_t::object);
    return true;
  }
  bool start_array(std::size_t) {
    open(Json::value_t::array);
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& key) {
    Open& top = stack_.back();
    Json::object_t& object = top.json->get_ref<Json::object_t&>();
    if (!top.index && object.size() < kIndexFrom) {
      element_ = &object[key];
      return true;
    }
    auto& entries = static_cast<Json::object_t::Container&>(object);
    if (!top.index) {
      top.index = std::make_unique<std::unordered_map<std::string, size_t>>();
      top.index->reserve(entries.size() * 2);
      for (size_t i = 0; i < entries.size(); ++i)
        top.index->emplace(entries[i].first, i);
    }
    auto [it, added] = top.index->try_emplace(key, entries.size());
    if (added) {
      entries.emplace_back(std::move(key), nullptr);
      element_ = &entries.back().second;
    } else {
      element_ = &entries[it->second].second;
    }
    return true;
  }

  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& error) {
    throw error;
  }

 private:
  struct Open {
    Json* json;
    std::unique_ptr<std::unordered_map<std::string, size_t>> index;  // large objects only
  };

  template <class V>
  Json* place(V&& v) {
    if (stack_.empty()) {
      root_ = Json(std::forward<V>(v));
      return &root_;
    }
    Json* top = stack_.back().json;
    if (top->is_array()) {
      Json::array_t& array = top->get_ref<Json::array_t&>();
      array.emplace_back(std::forward<V>(v));
      return &array.back();
    }
    *element_ = Json(std::forward<V>(v));
    return element_;
  }

  template <class V>
  bool value(V&& v) {
    place(std::forward<V>(v));
    return true;
  }

  void open(Json::value_t type) { stack_.push_back(Open{place(type), nullptr}); }

  bool close() {
    stack_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Open> stack_;
  Json* element_ = nullptr;
};

}  // namespace

Json parse_json(std::string_view text) {
  Json result;
  Builder builder(result);
  Json::sax_parse(text.begin(), text.end(), &builder);
  return result;
}

}  // namespace kc::sdk
