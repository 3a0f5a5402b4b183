#pragma once

#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QString>

#include <functional>
#include <optional>

namespace saccade {

/// The dataset formats Saccade writes (see FORMATS.md).
enum class ExportFormat { Kinetics = 1, SlowFast, ActivityNet, Cvat, LabelStudio, Ava };

/// "kinetics", "slowfast", "activitynet", "cvat", "labelstudio", "ava".
QString exportFormatName(ExportFormat format);
std::optional<ExportFormat> exportFormatFromName(const QString& name);

/// How clips are cut from the sources. Re-encoding is frame-exact (the default wherever clips are cut);
/// stream copy is fast but starts at the key frame at or before the segment's start (so a copied clip
/// may begin up to a GOP early, and with B-frames end a frame or two late).
enum class ClipMode { None = 1, Copy, Reencode };

QString clipModeName(ClipMode mode);
std::optional<ClipMode> clipModeFromName(const QString& name);

/// One clip to cut: frames [startFrame, endFrame) of `sourcePath` into `outputPath` (an .mp4).
struct ClipRequest {
    QString sourcePath;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    double fps = 0.0;
    QString outputPath;
    ClipMode mode = ClipMode::Reencode;
};

/// Cuts one clip; called on the export's worker thread.
using ClipCutFunction = std::function<Status(const ClipRequest& request, const CancellationToken& cancel)>;

/// What to export and where.
struct ExportOptions {
    ExportFormat format = ExportFormat::Kinetics;
    QString outputDirectory;
    /// Model proposals are left out unless asked for; rejected segments never go out.
    bool includeProposals = false;
    ClipMode clipMode = ClipMode::None;
    /// Needed when clipMode is not None (and always for SlowFast lists).
    ClipCutFunction cutClip;
    /// Label Studio: the local-files document root the videos are given relative to
    /// (`/data/local-files/?d=PATH`); empty: the deepest folder holding every video.
    QString mediaRoot;
    /// Label Studio: a URL the media root is served under; the videos become mediaUrl + their path
    /// relative to the media root, instead of local-files paths.
    QString mediaUrl;
    /// For tests: the simulated free space of the output device in bytes (-1: unlimited).
    qint64 capacityBytes = -1;
};

} // namespace saccade
