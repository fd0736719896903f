# Finds LibTorch. Order: an explicit CMAKE_PREFIX_PATH / Torch_DIR, then the torch
# package of the python3 on PATH (the pip wheel, CPU or CUDA build alike).
find_package(Torch QUIET)
if(NOT Torch_FOUND)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  execute_process(
    COMMAND ${Python3_EXECUTABLE} -c "import torch; print(torch.utils.cmake_prefix_path)"
    OUTPUT_VARIABLE RLVR_TORCH_PREFIX
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE RLVR_TORCH_RESULT)
  if(NOT RLVR_TORCH_RESULT EQUAL 0)
    message(FATAL_ERROR "LibTorch not found: install it with `python3 -m pip install torch==2.13.0` "
                        "or pass -DCMAKE_PREFIX_PATH=<libtorch>/share/cmake")
  endif()
  list(APPEND CMAKE_PREFIX_PATH ${RLVR_TORCH_PREFIX})
  find_package(Torch REQUIRED)
endif()
message(STATUS "LibTorch ${Torch_VERSION}: ${TORCH_LIBRARIES}")

# Precompiled torch headers, parsed once and reused (REUSE_FROM) by every
# target that includes torch. Libraries compile with -fPIC and executables with
# -fPIE, and GCC rejects a PCH built with the other flag, so there is one of each.
add_library(rlvr_torch_pch STATIC ${CMAKE_CURRENT_LIST_DIR}/torch_pch.cpp)
target_link_libraries(rlvr_torch_pch PUBLIC ${TORCH_LIBRARIES})
target_precompile_headers(rlvr_torch_pch PRIVATE <torch/torch.h>)
add_executable(rlvr_torch_pch_exe ${CMAKE_CURRENT_LIST_DIR}/torch_pch_main.cpp)
target_link_libraries(rlvr_torch_pch_exe PRIVATE ${TORCH_LIBRARIES})
target_precompile_headers(rlvr_torch_pch_exe PRIVATE <torch/torch.h>)

# Adds torch to a target and reuses the matching precompiled header.
function(rlvr_use_torch target)
  target_link_libraries(${target} PUBLIC ${TORCH_LIBRARIES})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_precompile_headers(${target} REUSE_FROM rlvr_torch_pch_exe)
  else()
    target_precompile_headers(${target} REUSE_FROM rlvr_torch_pch)
  endif()
endfunction()
