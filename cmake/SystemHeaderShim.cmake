# The torch wheel ships its own (different) versions of protobuf's and fmt's
# headers in its include directory, which would shadow the system ones that
# protobuf, spdlog and our code link against. A -I directory holding only links
# to the system headers is searched before torch's -isystem directories, so
# every target sees the headers matching the libraries it links.
set(RLVR_SYSTEM_SHIM ${CMAKE_BINARY_DIR}/system_include)
file(MAKE_DIRECTORY ${RLVR_SYSTEM_SHIM}/google)
find_path(RLVR_PROTOBUF_HEADERS google/protobuf/message.h REQUIRED)
find_path(RLVR_FMT_HEADERS fmt/format.h REQUIRED)
file(CREATE_LINK ${RLVR_PROTOBUF_HEADERS}/google/protobuf ${RLVR_SYSTEM_SHIM}/google/protobuf SYMBOLIC)
file(CREATE_LINK ${RLVR_FMT_HEADERS}/fmt ${RLVR_SYSTEM_SHIM}/fmt SYMBOLIC)
include_directories(BEFORE ${RLVR_SYSTEM_SHIM})
