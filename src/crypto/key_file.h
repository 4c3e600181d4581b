#pragma once
// Secret key files under the data directory (sealing key, audit signing key).
//
// A key file holds exactly the raw key bytes, mode 0600, owned by the service user. It is
// created on first use and never rewritten: losing it loses every value sealed with it,
// so it belongs in every backup (docs/decisions/0005-personal-data-and-keys.md).
#include <cstddef>
#include <filesystem>

#include "core/result.h"
#include "crypto/secure_bytes.h"

namespace shenpi::crypto {

//! Loads the `size`-byte secret at `path`, first creating the file (and missing parent
//! directories, mode 0700) with fresh random bytes when it does not exist. Creation is
//! atomic: the bytes are written and synced to a temporary file which is then linked into
//! place, so concurrent starters agree on one key and a crash never leaves a short file.
//!
//! Refuses (ErrorKind::unavailable, code "key_file_unsafe") a path that is a symbolic link
//! or not a regular file, or a file that grants any permission to group or others; and
//! (code "key_file_invalid") a file of the wrong size. I/O failures give
//! ErrorKind::unavailable with code "key_file_io" and the system's reason.
Result<SecretBytes> load_or_create_key_file(const std::filesystem::path& path, std::size_t size);

}  // namespace shenpi::crypto
