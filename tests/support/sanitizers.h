// Whether the test code was compiled under AddressSanitizer (the ASan+UBSan tree of `make test`).
// Some tests size their work or their limits by it: the sanitized suite runs the same code paths
// on less data, and instrumented code holds more memory.
#pragma once

namespace datamap::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kUnderAsan = true;
#else
inline constexpr bool kUnderAsan = false;
#endif
#else
inline constexpr bool kUnderAsan = false;
#endif

}  // namespace datamap::testing
