#include "core/training/random.h"

#include <cmath>

namespace saccade {

namespace {

uint64_t finalize(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

} // namespace

Random Random::derived(uint64_t seed, uint64_t salt) {
    return Random(mix(seed, salt));
}

uint64_t Random::mix(uint64_t a, uint64_t b) {
    return finalize(finalize(a + kGoldenGamma) ^ (b * kGoldenGamma + 0x632be59bd9b4e019ULL));
}

uint64_t Random::nextU64() {
    m_state += kGoldenGamma;
    return finalize(m_state);
}

double Random::uniform() {
    // The top 53 bits fill a double's mantissa exactly.
    return static_cast<double>(nextU64() >> 11) * (1.0 / 9007199254740992.0);
}

double Random::uniform(double low, double high) {
    return low + (high - low) * uniform();
}

int Random::index(int count) {
    if (count <= 0)
        return 0;
    // Multiply-shift maps 32 random bits onto [0, count) without a modulo bias worth noticing.
    const uint64_t bits = nextU64() >> 32;
    return static_cast<int>((bits * static_cast<uint64_t>(count)) >> 32);
}

int Random::integer(int low, int high) {
    return high <= low ? low : low + index(high - low + 1);
}

bool Random::chance(double probability) {
    return uniform() < probability;
}

double Random::normal() {
    const double u1 = 1.0 - uniform(); // (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double Random::sign() {
    return (nextU64() >> 63) ? 1.0 : -1.0;
}

} // namespace saccade
