// CRC-32C (Castagnoli), the checksum of TFRecord framing in TensorBoard files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rlvr::scaling {

uint32_t crc32c(std::string_view data);

// TFRecord stores CRCs masked, so a CRC of data that itself holds CRCs stays
// well distributed: rotate right by 15 bits and add a constant.
uint32_t masked_crc32c(std::string_view data);

}  // namespace rlvr::scaling
