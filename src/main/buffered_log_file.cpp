#include "main/buffered_log_file.h"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <functional>

namespace shenpi::main {

Result<std::unique_ptr<BufferedLogFile>> BufferedLogFile::open(const std::string& path) {
  if (path == "-")
    return std::unique_ptr<BufferedLogFile>(new BufferedLogFile(STDOUT_FILENO, false));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    return make_error(ErrorKind::unavailable, "log_open",
                      "无法打开日志文件 " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<BufferedLogFile>(new BufferedLogFile(fd, true));
}

BufferedLogFile::BufferedLogFile(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
  for (auto& s : shards_) s.buffer.reserve(kSoftLimit * 2);
  flusher_ = std::thread([this] { run(); });
}

BufferedLogFile::~BufferedLogFile() {
  {
    std::lock_guard lock(wake_mu_);
    stop_ = true;
  }
  wake_.notify_one();
  flusher_.join();
  write_out();
  if (owns_fd_) ::close(fd_);
}

void BufferedLogFile::append(std::string_view line) {
  const std::size_t shard = std::hash<std::thread::id>{}(std::this_thread::get_id()) % kShards;
  bool wake = false;
  {
    Shard& s = shards_[shard];
    std::lock_guard lock(s.mu);
    if (s.buffer.size() + line.size() + 1 > kHardLimit) {
      ++dropped_;  // approximate under races; only reported, never relied upon
      return;
    }
    s.buffer.append(line);
    s.buffer.push_back('\n');
    wake = s.buffer.size() >= kSoftLimit && s.buffer.size() - line.size() - 1 < kSoftLimit;
  }
  if (wake) {
    {
      std::lock_guard lock(wake_mu_);
      urgent_ = true;
    }
    wake_.notify_one();
  }
}

void BufferedLogFile::flush() { write_out(); }

void BufferedLogFile::run() {
  std::unique_lock lock(wake_mu_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_ || urgent_; });
    urgent_ = false;
    lock.unlock();
    write_out();
    lock.lock();
  }
}

void BufferedLogFile::write_out() {
  std::lock_guard writer(write_mu_);
  std::string out;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    if (s.buffer.empty()) continue;
    if (out.empty()) {
      out.swap(s.buffer);
      s.buffer.reserve(kSoftLimit * 2);
    } else {
      out.append(s.buffer);
      s.buffer.clear();
    }
  }
  const char* p = out.data();
  std::size_t left = out.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // disk full or gone: the access log must never stop the service
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace shenpi::main
