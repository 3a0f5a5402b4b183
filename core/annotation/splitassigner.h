#pragma once

#include "core/annotation/projectdata.h"
#include "core/util/result.h"

#include <QHash>

namespace saccade {

/// Fractions of the videos for each split; they must be non-negative and sum to 1 (within 1e-6).
struct SplitRatios {
    double train = 0.8;
    double val = 0.1;
    double test = 0.1;

    /// Parses "train=0.8,val=0.1,test=0.1" (missing names are 0).
    static Result<SplitRatios> parse(const QString& text);
    Status validate() const;
};

/// Assigns every video to train/val/test: grouped by video (a video's segments never straddle splits),
/// stratified by each video's main label (the label covering most frames of its exported segments, or
/// its first whole-video label), and reproducible for a given seed on every platform. Every split with a
/// share above zero gets at least one video; with fewer videos than such splits it is an error (before
/// anything is written). Any thread.
class SplitAssigner {
public:
    static Result<QHash<QString, Split>> assign(const ProjectData& data, const SplitRatios& ratios,
                                                quint64 seed);
    /// The label a video is stratified by (empty when it has none).
    static QString mainLabel(const VideoEntry& video);
};

} // namespace saccade
