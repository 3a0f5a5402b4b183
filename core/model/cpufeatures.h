#pragma once

#include <QString>

namespace saccade {

/// Instruction-set features that decide which precisions are worth offering. Plain value.
struct CpuFeatures {
    bool avx2 = false;
    bool avx512f = false;
    bool avx512bf16 = false;
    bool amxBf16 = false;

    /// Reads the flags of the first processor in /proc/cpuinfo (all false where it is unavailable).
    static CpuFeatures detect();
    /// Parses one "flags : ..." line (or a whole cpuinfo text).
    static CpuFeatures fromCpuinfo(const QString& cpuinfo);

    /// bfloat16 is only faster than float32 with AVX512-BF16 or AMX; elsewhere it is emulated.
    bool hasFastBfloat16() const { return avx512bf16 || amxBf16; }
    /// "avx2 yes, avx512f no, avx512_bf16 no, amx_bf16 no".
    QString summary() const;
};

} // namespace saccade
