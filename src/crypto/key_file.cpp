#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace shenpi::crypto {
namespace {

//! Owns a POSIX file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  //! Closes now and reports whether the close succeeded (a failed close can lose data).
  bool close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0;
  }

 private:
  int fd_;
};

Error io_error(std::string what, const std::filesystem::path& path, int err) {
  return make_error(ErrorKind::unavailable, "key_file_io",
                    "密钥文件读写失败：" + what + " " + path.string() + ": " + std::strerror(err));
}

Error unsafe(std::string why, const std::filesystem::path& path) {
  return make_error(ErrorKind::unavailable, "key_file_unsafe",
                    "密钥文件不安全，拒绝使用：" + path.string() + "（" + why + "）");
}

//! Removes a file on scope exit unless released.
struct UnlinkGuard {
  std::string path;
  ~UnlinkGuard() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

Result<void> write_all(int fd, const unsigned char* p, std::size_t n,
                       const std::filesystem::path& path) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return io_error("写入", path, errno);
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return ok_result();
}

//! Creates the key file atomically; succeeds too when another process won the race.
Result<void> create_key_file(const std::filesystem::path& path, std::size_t size) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return io_error("创建目录", dir, ec.value());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  std::string tmp = path.string() + ".tmp.XXXXXX";
  const int raw_fd = ::mkstemp(tmp.data());  // mode 0600 by definition
  if (raw_fd < 0) return io_error("创建临时文件", path, errno);
  Fd fd(raw_fd);
  UnlinkGuard guard{tmp};
  if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return io_error("设置权限", tmp, errno);
  SecretBytes key(size);
  randombytes_buf(key.data(), key.size());
  SHENPI_TRY(write_all(fd.get(), key.data(), key.size(), tmp));
  if (::fsync(fd.get()) != 0) return io_error("同步", tmp, errno);
  if (!fd.close()) return io_error("关闭", tmp, errno);
  if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    return io_error("放置", path, errno);
  }
  // Make the new name durable before anything is sealed with the key.
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return ok_result();
}

}  // namespace

Result<SecretBytes> load_or_create_key_file(const std::filesystem::path& path, std::size_t size) {
  ensure_sodium();
  int raw_fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (raw_fd < 0 && errno == ENOENT) {
    SHENPI_TRY(create_key_file(path, size));
    raw_fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  }
  if (raw_fd < 0) {
    if (errno == ELOOP) return unsafe("是符号链接", path);
    return io_error("打开", path, errno);
  }
  Fd fd(raw_fd);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("读取属性", path, errno);
  if (!S_ISREG(st.st_mode)) return unsafe("不是普通文件", path);
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return unsafe("同组或其他用户有访问权限，应为0600：chmod 600 " + path.string(), path);
  }
  if (static_cast<std::size_t>(st.st_size) != size) {
    return make_error(ErrorKind::unavailable, "key_file_invalid",
                      "密钥文件长度应为" + std::to_string(size) + "字节：" + path.string());
  }
  SecretBytes key(size);
  std::size_t got = 0;
  while (got < size) {
    const ssize_t r = ::read(fd.get(), key.data() + got, size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return io_error("读取", path, errno);
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  if (got != size) {
    return make_error(ErrorKind::unavailable, "key_file_invalid",
                      "密钥文件长度应为" + std::to_string(size) + "字节：" + path.string());
  }
  return key;
}

}  // namespace shenpi::crypto
