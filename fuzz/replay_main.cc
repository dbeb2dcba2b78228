// Runs a libFuzzer entry point without libFuzzer, for `make test` with gcc:
// every file of the seed corpus directories, then deterministic mutations
// of them (a fixed seed: bit flips, byte overwrites, truncations, inserted
// and duplicated runs, header-field bumps), through LLVMFuzzerTestOneInput.
// It stops after --iterations mutations or --seconds of wall time, which
// ever comes first, so it fits the test suite's budget on a slow machine.
// A crash, an abort or an escaping exception fails the test; the input that
// caused it is written next to the working directory as
// replay-crash-<n>.bin first, so it can be rerun or added to the corpus.
//
//   page_path_replay [--iterations N] [--seconds S] [--seed K] DIR...
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string current;  // the input being run, saved if it crashes

void SaveCurrent(const char* why) {
  static int n = 0;
  const std::string name = "replay-crash-" + std::to_string(n++) + ".bin";
  std::ofstream(name, std::ios::binary).write(current.data(),
                                              static_cast<std::streamsize>(current.size()));
  std::fprintf(stderr, "page_path_replay: %s; input saved as %s\n", why, name.c_str());
}

void Run(const std::string& input) {
  current = input;
  try {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()),
                           input.size());
  } catch (const std::exception& e) {
    SaveCurrent(e.what());
    std::exit(1);
  }
}

std::string Mutate(const std::string& seed, std::mt19937& rng) {
  std::string s = seed;
  const int steps = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < steps && !s.empty(); ++k) {
    const size_t at = rng() % s.size();
    switch (rng() % 6) {
      case 0:  // flip one bit
        s[at] = static_cast<char>(s[at] ^ (1u << (rng() % 8)));
        break;
      case 1:  // overwrite a byte with an interesting value
        s[at] = static_cast<char>(std::vector<int>{0, 1, 0x7F, 0x80, 0xFF}[rng() % 5]);
        break;
      case 2:  // truncate
        s.resize(at);
        break;
      case 3: {  // insert a run of one byte
        const size_t n = 1 + rng() % 64;
        s.insert(at, n, static_cast<char>(rng()));
        break;
      }
      case 4: {  // duplicate a slice
        const size_t n = std::min<size_t>(s.size() - at, 1 + rng() % 256);
        s.insert(rng() % s.size(), s.substr(at, n));
        break;
      }
      default: {  // bump a byte in the header, where sizes and counts are
        const size_t h = rng() % std::min<size_t>(s.size(), 64);
        s[h] = static_cast<char>(s[h] + static_cast<char>(1 + rng() % 8));
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 2000;
  double seconds = 40;
  unsigned seed = 20260101;
  std::vector<std::filesystem::path> dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--iterations" && i + 1 < argc) {
      iterations = std::atol(argv[++i]);
    } else if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = static_cast<unsigned>(std::atol(argv[++i]));
    } else {
      dirs.emplace_back(arg);
    }
  }
  std::set_terminate([] {
    SaveCurrent("terminate (uncaught exception or abort)");
    std::_Exit(1);
  });
  std::vector<std::string> seeds;
  for (const auto& dir : dirs) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() != ".md") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());  // the same order on every machine
    for (const auto& f : files) seeds.push_back(Read(f));
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "page_path_replay: no seed files in the given folders\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  for (const auto& s : seeds) Run(s);
  std::mt19937 rng(seed);
  long done = 0;
  for (; done < iterations; ++done) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > seconds) break;
    Run(Mutate(seeds[rng() % seeds.size()], rng));
  }
  std::printf("page_path_replay: %zu seeds and %ld mutations (seed %u) ran cleanly\n",
              seeds.size(), done, seed);
  return 0;
}
