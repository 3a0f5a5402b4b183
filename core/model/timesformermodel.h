#pragma once

#include "core/model/checkpoint.h"
#include "core/model/timesformerconfig.h"
#include "core/util/npy.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace saccade {

class TimeSformerNet;

enum class Precision { Float32 = 1, BFloat16 };

/// How to build and run a model.
struct ModelOptions {
    CheckpointOptions checkpoint;
    /// BFloat16 is used only where the CPU has AVX512-BF16 or AMX (or on CUDA); else float32.
    Precision precision = Precision::Float32;
    /// Use CUDA when LibTorch sees a device.
    bool allowCuda = true;
};

/// One captured attention: kind "space" (B*T, A, 1+N, 1+N), "time" (B*N, A, T, T),
/// "joint" (B, A, 1+N*T, 1+N*T), or "width"/"height"/"local"/"global" for the experimental types.
struct AttentionMap {
    QString kind;
    int layer = 0;
    FloatArray probabilities;

    /// "space_L0", as the CLI names the files.
    QString fileStem() const { return QStringLiteral("%1_L%2").arg(kind).arg(layer); }
};

struct ForwardResult {
    FloatArray logits; ///< (B, classes)
    std::vector<AttentionMap> attention;
};

/// A TimeSformer ready to run: weights, configuration, labels, device and precision. Torch-free
/// interface; the modules are reachable through net() for inference and training code.
/// Not thread-safe: use it from one thread at a time (it may be moved to a worker thread).
class TimeSformerModel {
public:
    TimeSformerModel();
    ~TimeSformerModel();
    TimeSformerModel(TimeSformerModel&& other) noexcept;
    TimeSformerModel& operator=(TimeSformerModel&& other) noexcept;
    TimeSformerModel(const TimeSformerModel&) = delete;
    TimeSformerModel& operator=(const TimeSformerModel&) = delete;

    /// `source` is a checkpoint file, a Hugging Face directory, or "demo" (dataFile("models/demo")).
    static Result<TimeSformerModel> load(const QString& source, const ModelOptions& options = {});
    /// A freshly initialised model (research initialisation), e.g. to train from scratch.
    static Result<TimeSformerModel> create(const TimeSformerConfig& config, const ModelOptions& options = {});
    /// What load() opens for `source`.
    static QString resolveSource(const QString& source);

    /// Intra-op threads for every model (default: the number of cores).
    static void setThreadCount(int threads);
    static int threadCount();

    const TimeSformerConfig& config() const;
    QStringList labels() const;
    /// Checkpoint layout it came from ("research .pyth", "hf safetensors", ..., "new").
    QString format() const;
    QString sourcePath() const;
    int64_t parameterCount() const;
    Precision precision() const;
    /// Why the requested precision was not used, or empty.
    QString precisionNote() const;
    QString deviceName() const;

    /// Runs the model on `video` (B, 3, T, H, W), float32, normalised; H and W multiples of the patch
    /// size, any T. Captures every attention when asked. Errors (bad shape, out of memory) are values.
    Result<ForwardResult> forward(const FloatArray& video, bool captureAttention = false);

    /// Float32 copies of all parameters under research names.
    TensorMap stateTensors() const;
    /// Writes a Hugging Face directory (config.json, preprocessor_config.json, model.safetensors).
    Status saveHfDirectory(const QString& directory) const;

    /// The LibTorch module (internal: include core/model/timesformernet.h to use it).
    TimeSformerNet& net();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace saccade
