// The version of the ANTLR runtime the parser is linked with, for `kc version`.
#include <antlr4-runtime.h>

#include "compiler/syntax/parse.h"

namespace kc::syntax {

std::string parser_runtime_version() {
  return antlr4::RuntimeMetaData::VERSION;
}

}  // namespace kc::syntax
