// The doctest entry point of the one unit-test binary; test cases live beside it, one file per
// area.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
