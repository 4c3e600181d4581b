#pragma once
// An append-only log file written in the background, for the access log. Lines are
// appended to one of a few sharded in-memory buffers (an uncontended mutex, no wake-up of
// another thread per line) and written out by one flusher thread every 200 ms, or sooner
// when a buffer passes 64 KiB. A per-line wake-up (as in spdlog's async logger) costs a
// futex system call per request, which showed as the largest single cost of a cached page.
#include <array>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.h"

namespace shenpi::main {

class BufferedLogFile {
 public:
  //! Opens (creating, appending) `path`, or standard output when path is "-".
  static Result<std::unique_ptr<BufferedLogFile>> open(const std::string& path);
  ~BufferedLogFile();  //!< flushes everything and closes
  BufferedLogFile(const BufferedLogFile&) = delete;
  BufferedLogFile& operator=(const BufferedLogFile&) = delete;

  //! Appends one line (a newline is added). Thread-safe; never blocks on the disk.
  //! When the disk cannot keep up, buffers beyond 8 MiB drop lines and count them.
  void append(std::string_view line);
  //! Writes out everything appended so far.
  void flush();

 private:
  explicit BufferedLogFile(int fd, bool owns_fd);
  void run();
  void write_out();

  struct alignas(64) Shard {
    std::mutex mu;
    std::string buffer;
  };
  static constexpr std::size_t kShards = 8;
  static constexpr std::size_t kSoftLimit = 64 * 1024;
  static constexpr std::size_t kHardLimit = 8 * 1024 * 1024;

  int fd_;
  bool owns_fd_;
  std::array<Shard, kShards> shards_;
  std::mutex write_mu_;  // one writer to the fd at a time
  std::mutex wake_mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool urgent_ = false;
  std::size_t dropped_ = 0;
  std::thread flusher_;
};

}  // namespace shenpi::main
