#pragma once

#include "core/model/rawtensor.h"
#include "core/model/timesformerconfig.h"
#include "core/util/result.h"

#include <QString>

#include <optional>

namespace saccade {

/// What to override when the checkpoint cannot say it (heads are not visible in tensor shapes).
struct CheckpointOptions {
    std::optional<int> numHeads;
    /// Run the weights as another attention type; parameters it has no use for are dropped.
    std::optional<AttentionType> attentionType;
};

/// A TimeSformer checkpoint read without torch: its configuration and its tensors under the research
/// names (no `model.` prefix), checked against the configuration.
struct Checkpoint {
    TimeSformerConfig config;
    TensorMap tensors;
    /// "research .pyth", "hf safetensors", "hf pytorch_model.bin", "safetensors", "torch state dict".
    QString format;
    QString path;
};

/// Loads a research `.pyth`/`.pth`/`.pt` (torch.save zip), a Hugging Face directory (`config.json` +
/// `model.safetensors` or `pytorch_model.bin`), or a bare `.safetensors` file. The configuration comes
/// from `cfg`/`config.json` and the tensor shapes; heads from the config, else D/64, else the override.
/// Missing, unexpected and mis-shaped tensors are errors naming them. Any thread.
Result<Checkpoint> loadCheckpoint(const QString& path, const CheckpointOptions& options = {});

/// Reads a torch.save zip archive and returns its unpickled top-level value's tensors flattened by
/// name ("model_state.blocks.0.attn.qkv.weight"); plain values are skipped.
Result<TensorMap> readTorchArchiveTensors(const QString& path);

/// Writes a Hugging Face directory: config.json, preprocessor_config.json, model.safetensors (float32,
/// HF names). Creates `directory` if needed.
Status saveHfDirectory(const QString& directory, const TimeSformerConfig& config,
                       const TensorMap& researchTensors);

} // namespace saccade
