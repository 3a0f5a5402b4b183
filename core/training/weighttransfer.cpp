#include "core/training/weighttransfer.h"

#include "core/model/timesformermodel.h"
#include "core/model/timesformernet.h"

#include <torch/torch.h>

#include <cmath>

namespace saccade {

namespace {

// (1, 1 + g*g, d) with the cls position first: the grid part resized to (1, 1 + h*h, d).
torch::Tensor resizedSpatial(const torch::Tensor& source, int64_t targetGrid) {
    const int64_t sourceGrid = static_cast<int64_t>(std::lround(std::sqrt(double(source.size(1) - 1))));
    const int64_t width = source.size(2);
    const torch::Tensor cls = source.narrow(1, 0, 1);
    const torch::Tensor grid = source.narrow(1, 1, sourceGrid * sourceGrid)
                                   .reshape({1, sourceGrid, sourceGrid, width})
                                   .permute({0, 3, 1, 2});
    const torch::Tensor resized =
        torch::nn::functional::interpolate(grid, torch::nn::functional::InterpolateFuncOptions()
                                                     .size(std::vector<int64_t>{targetGrid, targetGrid})
                                                     .mode(torch::kBicubic)
                                                     .align_corners(false));
    return torch::cat({cls, resized.permute({0, 2, 3, 1}).reshape({1, targetGrid * targetGrid, width})}, 1);
}

// (1, T, d) resized to (1, frames, d).
torch::Tensor resizedTemporal(const torch::Tensor& source, int64_t frames) {
    const torch::Tensor resized = torch::nn::functional::interpolate(
        source.permute({0, 2, 1}), torch::nn::functional::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{frames})
                                       .mode(torch::kLinear)
                                       .align_corners(false));
    return resized.permute({0, 2, 1});
}

} // namespace

Result<QString> WeightTransfer::apply(TimeSformerModel& target, TimeSformerModel& source,
                                      const QString& sourcePath) {
    const TimeSformerConfig& to = target.config();
    const TimeSformerConfig& from = source.config();
    if (to.hiddenSize != from.hiddenSize || to.depth != from.depth ||
        to.attentionType != from.attentionType || to.patchSize != from.patchSize)
        return Error::invalidData(
            sourcePath,
            QStringLiteral("cannot start from this model: it has another width, depth, patch size or "
                           "attention type (%1 wide, %2 blocks, %3 px patches)")
                .arg(from.hiddenSize)
                .arg(from.depth)
                .arg(from.patchSize));
    torch::NoGradGuard noGrad;
    auto sourceParameters = source.net()->named_parameters();
    const QStringList sourceLabels = source.labels();
    const QStringList targetLabels = target.labels();
    int copied = 0;
    int resized = 0;
    int headRows = 0;
    for (auto& parameter : target.net()->named_parameters()) {
        const std::string& name = parameter.key();
        torch::Tensor& value = parameter.value();
        const torch::Tensor* found = sourceParameters.find(name);
        if (!found)
            continue;
        const torch::Tensor& weights = *found;
        if (name == "head.weight" || name == "head.bias") {
            for (int row = 0; row < targetLabels.size(); ++row) {
                const int sourceRow = static_cast<int>(sourceLabels.indexOf(targetLabels[row]));
                if (sourceRow < 0)
                    continue;
                value[row].copy_(weights[sourceRow]);
                headRows += name == "head.bias" ? 1 : 0;
            }
        } else if (weights.sizes() == value.sizes()) {
            value.copy_(weights);
            ++copied;
        } else if (name == "pos_embed") {
            value.copy_(resizedSpatial(weights, to.gridSize()));
            ++resized;
        } else if (name == "time_embed") {
            value.copy_(resizedTemporal(weights, to.numFrames));
            ++resized;
        }
    }
    return QStringLiteral("%1 tensors copied, %2 resized, %3 of %4 head rows")
        .arg(copied)
        .arg(resized)
        .arg(headRows)
        .arg(targetLabels.size());
}

} // namespace saccade
