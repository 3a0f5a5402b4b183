#include "core/model/modelbenchmark.h"

#include "core/model/timesformernet.h"

#include <QElapsedTimer>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>

namespace saccade {

namespace {

double processCpuMs() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) * 1e-6;
}

// One attention over `rows` sequences of `length` tokens: qkv and output projections, q k^T and a v.
double attentionFlops(double rows, double length, double d) {
    return rows * length * (2 * 3 * d * d + 2 * d * d) + rows * 2 * (2 * length * length * d);
}

} // namespace

double forwardFlops(const TimeSformerConfig& config, int frames, int size) {
    const double d = config.hiddenSize;
    const double t = frames;
    const double gridSide = static_cast<double>(size / config.patchSize);
    const double n = gridSide * gridSide;
    const double mlp = config.mlpHiddenSize();
    const double patchEmbed = 2 * t * n * d * 3 * config.patchSize * config.patchSize;
    double block = 0;
    double mlpTokens = 1 + n * t;
    switch (config.attentionType) {
    case AttentionType::DividedSpaceTime:
        block = attentionFlops(n, t, d) + 2 * n * t * d * d + attentionFlops(t, 1 + n, d);
        break;
    case AttentionType::JointSpaceTime:
        block = attentionFlops(1, 1 + n * t, d);
        break;
    case AttentionType::SpaceOnly:
        block = attentionFlops(t, 1 + n, d);
        mlpTokens = t * (1 + n);
        break;
    case AttentionType::LocalGlobal:
        // Masked dense attention: two full joint attentions' worth of work.
        block = 2 * attentionFlops(1, 1 + n * t, d);
        break;
    case AttentionType::Axial:
        block = attentionFlops(n, t, d) + 2 * n * t * d * d + attentionFlops(t * gridSide, gridSide, d) +
                2 * n * t * d * d + attentionFlops(t * gridSide, 1 + gridSide, d);
        break;
    }
    block += 2 * 2 * mlpTokens * d * mlp;
    return patchEmbed + config.depth * block + 2 * d * config.numClasses;
}

double measureMatmulPeakGflops(int size, Precision precision) {
    c10::InferenceMode inference;
    const auto dtype = precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
    const torch::Tensor a = torch::randn({size, size}).to(dtype);
    const torch::Tensor b = torch::randn({size, size}).to(dtype);
    torch::Tensor c = torch::matmul(a, b);
    double bestSeconds = 1e30;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer timer;
        timer.start();
        c = torch::matmul(a, b);
        bestSeconds = std::min(bestSeconds, static_cast<double>(timer.nsecsElapsed()) * 1e-9);
    }
    return 2.0 * size * size * static_cast<double>(size) / bestSeconds * 1e-9;
}

double peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

Result<ModelBenchmarkResult> benchmarkModel(TimeSformerModel& model, int frames, int size, int warmup,
                                            int runs, const CancellationToken& cancel) {
    FloatArray input;
    input.shape = {1, 3, frames, size, size};
    {
        const torch::Tensor random = torch::randn({1, 3, frames, size, size});
        input.values.assign(random.data_ptr<float>(), random.data_ptr<float>() + random.numel());
    }
    std::vector<double> times;
    std::vector<double> cpuTimes;
    for (int i = 0; i < warmup + runs; ++i) {
        if (cancel.isCancelled())
            return Error::cancelled();
        QElapsedTimer timer;
        const double cpuStart = processCpuMs();
        timer.start();
        const Result<ForwardResult> result = model.forward(input);
        const double ms = static_cast<double>(timer.nsecsElapsed()) * 1e-6;
        const double cpuMs = processCpuMs() - cpuStart;
        if (!result.ok())
            return result.error();
        if (i >= warmup) {
            times.push_back(ms);
            cpuTimes.push_back(cpuMs);
        }
    }
    ModelBenchmarkResult result;
    result.runs = runs;
    result.threads = TimeSformerModel::threadCount();
    if (!times.empty()) {
        std::sort(times.begin(), times.end());
        result.msPerView = times[times.size() / 2];
        result.msPerViewBest = times.front();
        std::sort(cpuTimes.begin(), cpuTimes.end());
        result.cpuMsPerView = cpuTimes[cpuTimes.size() / 2];
    }
    result.flopsPerView = forwardFlops(model.config(), frames, size);
    result.gflops = result.msPerView > 0 ? result.flopsPerView / (result.msPerView * 1e-3) * 1e-9 : 0;
    result.peakGflops = measureMatmulPeakGflops(2048, model.precision());
    result.peakRssMb = peakRssMb();
    return result;
}

} // namespace saccade
