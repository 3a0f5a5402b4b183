#include "core/training/syntheticbatch.h"

#include "core/training/random.h"

#include <QColor>

namespace saccade {

std::vector<uint64_t> SyntheticBatch::clipSeeds(uint64_t dataSeed, int64_t batchIndex, int batchSize) {
    std::vector<uint64_t> seeds;
    seeds.reserve(batchSize);
    for (int i = 0; i < batchSize; ++i)
        seeds.push_back(Random::mix(dataSeed, static_cast<uint64_t>(batchIndex) * batchSize + i));
    return seeds;
}

FloatArray SyntheticBatch::toInput(const std::vector<SyntheticClip>& clips, const std::array<float, 3>& mean,
                                   const std::array<float, 3>& std, const ClipAugmentation& augmentation,
                                   uint64_t augmentationSeed) {
    FloatArray array;
    if (clips.empty() || clips.front().frames.empty())
        return array;
    const int64_t frames = static_cast<int64_t>(clips.front().frames.size());
    const int64_t height = clips.front().frames.front().height();
    const int64_t width = clips.front().frames.front().width();
    array.shape = {static_cast<int64_t>(clips.size()), 3, frames, height, width};
    array.values.assign(static_cast<size_t>(array.elementCount()), 0.0f);
    const int64_t plane = height * width;
    Random random(augmentationSeed);
    for (size_t b = 0; b < clips.size(); ++b) {
        double shift = 0.0;
        double gain = 1.0;
        if (augmentation.brightness > 0 || augmentation.contrast > 0) {
            shift = random.uniform(-augmentation.brightness, augmentation.brightness);
            gain = random.uniform(1.0 - augmentation.contrast, 1.0 + augmentation.contrast);
        }
        // Per channel: value = ((pixel/255 - 0.5) * gain + 0.5 + shift - mean) / std, one multiply-add.
        float scale[3];
        float offset[3];
        for (int c = 0; c < 3; ++c) {
            scale[c] = static_cast<float>(gain / 255.0 / std[c]);
            offset[c] = static_cast<float>((0.5 - 0.5 * gain + shift - mean[c]) / std[c]);
        }
        const std::vector<QImage>& clipFrames = clips[b].frames;
        for (int64_t t = 0; t < frames && t < static_cast<int64_t>(clipFrames.size()); ++t) {
            QImage image = clipFrames[t];
            if (image.format() != QImage::Format_RGB32 && image.format() != QImage::Format_ARGB32)
                image = image.convertToFormat(QImage::Format_RGB32);
            if (image.height() != height || image.width() != width)
                continue;
            float* red = array.values.data() + ((b * 3 + 0) * frames + t) * plane;
            float* green = array.values.data() + ((b * 3 + 1) * frames + t) * plane;
            float* blue = array.values.data() + ((b * 3 + 2) * frames + t) * plane;
            for (int64_t y = 0; y < height; ++y) {
                const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(static_cast<int>(y)));
                for (int64_t x = 0; x < width; ++x) {
                    const QRgb pixel = line[x];
                    const int64_t i = y * width + x;
                    red[i] = qRed(pixel) * scale[0] + offset[0];
                    green[i] = qGreen(pixel) * scale[1] + offset[1];
                    blue[i] = qBlue(pixel) * scale[2] + offset[2];
                }
            }
        }
    }
    return array;
}

FloatArray SyntheticBatch::actorPatchMask(const std::vector<SyntheticClip>& clips, int patchSize,
                                          double minCover) {
    FloatArray mask;
    if (clips.empty() || clips.front().frames.empty() || patchSize <= 0)
        return mask;
    const int64_t frames = static_cast<int64_t>(clips.front().frames.size());
    const int rows = clips.front().frames.front().height() / patchSize;
    const int columns = clips.front().frames.front().width() / patchSize;
    mask.shape = {static_cast<int64_t>(clips.size()), frames, static_cast<int64_t>(rows) * columns};
    mask.values.assign(static_cast<size_t>(mask.elementCount()), 0.0f);
    const double patchArea = static_cast<double>(patchSize) * patchSize;
    for (size_t b = 0; b < clips.size(); ++b) {
        for (int64_t t = 0; t < frames && t < static_cast<int64_t>(clips[b].actorBoxes.size()); ++t) {
            const QRectF box = clips[b].actorBoxes[t];
            if (box.isEmpty())
                continue;
            float* out = mask.values.data() + (b * frames + t) * rows * columns;
            for (int row = 0; row < rows; ++row) {
                for (int column = 0; column < columns; ++column) {
                    const QRectF patch(column * patchSize, row * patchSize, patchSize, patchSize);
                    const QRectF overlap = patch.intersected(box);
                    const double cover =
                        overlap.isEmpty() ? 0.0 : overlap.width() * overlap.height() / patchArea;
                    if (cover >= minCover || patch.contains(box.center()))
                        out[row * columns + column] = 1.0f;
                }
            }
        }
    }
    return mask;
}

FloatArray SyntheticBatch::actorHeadings(const std::vector<SyntheticClip>& clips) {
    FloatArray headings;
    if (clips.empty())
        return headings;
    const int64_t frames = static_cast<int64_t>(clips.front().frames.size());
    headings.shape = {static_cast<int64_t>(clips.size()), frames, 2};
    headings.values.assign(static_cast<size_t>(headings.elementCount()), 0.0f);
    for (size_t b = 0; b < clips.size(); ++b) {
        const std::vector<QPointF>& clipHeadings = clips[b].actorHeadings;
        for (int64_t t = 0; t < frames && t < static_cast<int64_t>(clipHeadings.size()); ++t) {
            float* out = headings.values.data() + (static_cast<int64_t>(b) * frames + t) * 2;
            out[0] = static_cast<float>(clipHeadings[t].x());
            out[1] = static_cast<float>(clipHeadings[t].y());
        }
    }
    return headings;
}

} // namespace saccade
