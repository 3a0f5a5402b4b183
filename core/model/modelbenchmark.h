#pragma once

#include "core/model/timesformerconfig.h"
#include "core/model/timesformermodel.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

namespace saccade {

/// Timing of one model on one input size, measured on the calling thread.
struct ModelBenchmarkResult {
    double msPerView = 0;
    /// Median over the timed runs of the forward pass, and the fastest.
    double msPerViewBest = 0;
    /// Median process CPU time per view (all threads): steadier than wall time on a shared machine.
    double cpuMsPerView = 0;
    double flopsPerView = 0;
    double gflops = 0;
    /// Best fp32 (or bf16) matmul throughput of this machine, measured in the same run.
    double peakGflops = 0;
    double peakRssMb = 0;
    int runs = 0;
    int threads = 0;
};

/// Floating-point operations (multiply and add counted separately) of one forward pass of `config`
/// over `frames` frames of `size` x `size` pixels, counted analytically from the layer shapes.
double forwardFlops(const TimeSformerConfig& config, int frames, int size);

/// Throughput of a square matmul of `size`, best of a few runs, in GFLOP/s.
double measureMatmulPeakGflops(int size, Precision precision);

/// Peak resident set size of this process so far, in MiB.
double peakRssMb();

/// Runs `warmup` untimed and `runs` timed forward passes of one (1, 3, frames, size, size) view.
Result<ModelBenchmarkResult> benchmarkModel(TimeSformerModel& model, int frames, int size, int warmup,
                                            int runs, const CancellationToken& cancel);

} // namespace saccade
