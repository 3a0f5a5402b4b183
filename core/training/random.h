#pragma once

#include <cstdint>

namespace saccade {

/// A small deterministic random source (SplitMix64) with hand-written distributions, so a seed gives
/// the same numbers with every compiler and standard library. Plain value; copy it to fork a stream.
class Random {
public:
    explicit Random(uint64_t seed = 0) : m_state(seed) {}

    /// A stream that depends only on `seed` and `salt`, for drawing independent parts of one item.
    static Random derived(uint64_t seed, uint64_t salt);
    /// A well-mixed 64-bit hash of two values.
    static uint64_t mix(uint64_t a, uint64_t b);

    uint64_t nextU64();
    /// Uniform in [0, 1).
    double uniform();
    /// Uniform in [low, high).
    double uniform(double low, double high);
    /// Uniform integer in [0, count); 0 when count <= 0.
    int index(int count);
    /// Uniform integer in [low, high].
    int integer(int low, int high);
    bool chance(double probability);
    /// Standard normal (Box-Muller).
    double normal();
    /// +1 or -1.
    double sign();

private:
    uint64_t m_state = 0;
};

} // namespace saccade
