#include "core/annotation/agreement.h"

#include <QFileInfo>
#include <QHash>

#include <algorithm>
#include <iterator>
#include <tuple>

namespace saccade {

namespace {

bool counts(const Segment& segment, bool includeProposals) {
    return segment.state == SegmentState::Accepted || segment.state == SegmentState::Edited ||
           (includeProposals && segment.state == SegmentState::Proposed);
}

// Per-frame class index (0 = no label, i + 1 = labels[i]) of one video.
std::vector<int> frameLabels(const VideoEntry& video, qint64 frameCount, const QHash<QString, int>& classes,
                             bool includeProposals) {
    std::vector<const Segment*> ordered;
    for (const Segment& segment : video.segments) {
        if (counts(segment, includeProposals))
            ordered.push_back(&segment);
    }
    std::sort(ordered.begin(), ordered.end(), [](const Segment* x, const Segment* y) {
        return std::tie(x->startFrame, x->endFrame, x->label) <
               std::tie(y->startFrame, y->endFrame, y->label);
    });
    std::vector<int> labels(static_cast<size_t>(frameCount), 0);
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
        const qint64 begin = std::clamp<qint64>((*it)->startFrame, 0, frameCount);
        const qint64 end = std::clamp<qint64>((*it)->endFrame, 0, frameCount);
        std::fill(labels.begin() + begin, labels.begin() + end, classes.value((*it)->label));
    }
    return labels;
}

// The same id with a compatible hash first (two copies of one clip share a hash), else the same content.
const VideoEntry* findMatch(const ProjectData& other, const VideoEntry& video) {
    const VideoEntry* sameId = other.video(video.id);
    if (sameId && (sameId->contentHash.isEmpty() || video.contentHash.isEmpty() ||
                   sameId->contentHash == video.contentHash))
        return sameId;
    for (const VideoEntry& candidate : other.videos) {
        if (!video.contentHash.isEmpty() && candidate.contentHash == video.contentHash)
            return &candidate;
    }
    // A reference without hashes (a truth file) names its video by file name.
    if (video.contentHash.isEmpty() ||
        std::all_of(other.videos.begin(), other.videos.end(),
                    [](const VideoEntry& v) { return v.contentHash.isEmpty(); })) {
        const QString name = QFileInfo(video.path).fileName();
        for (const VideoEntry& candidate : other.videos)
            if (!name.isEmpty() && QFileInfo(candidate.path).fileName() == name)
                return &candidate;
    }
    return nullptr;
}

qint64 lastFrame(const VideoEntry& video) {
    qint64 end = video.probe.frameCount;
    for (const Segment& segment : video.segments)
        end = std::max(end, segment.endFrame);
    return end;
}

} // namespace

double Agreement::cohensKappa(const std::vector<std::vector<qint64>>& confusion) {
    const size_t n = confusion.size();
    double total = 0.0;
    double diagonal = 0.0;
    std::vector<double> rows(n, 0.0);
    std::vector<double> columns(n, 0.0);
    for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j < n; ++j) {
            const auto value = static_cast<double>(confusion[i][j]);
            total += value;
            rows[i] += value;
            columns[j] += value;
            if (i == j)
                diagonal += value;
        }
    }
    if (total <= 0.0)
        return 1.0;
    const double observed = diagonal / total;
    double expected = 0.0;
    for (size_t i = 0; i < n; ++i)
        expected += (rows[i] / total) * (columns[i] / total);
    if (expected >= 1.0)
        return observed >= 1.0 ? 1.0 : 0.0;
    return (observed - expected) / (1.0 - expected);
}

namespace {

std::vector<LabelRun> runsOf(const std::vector<LabelRun>& runs, int label) {
    std::vector<LabelRun> picked;
    std::copy_if(runs.begin(), runs.end(), std::back_inserter(picked),
                 [label](const LabelRun& run) { return run.label == label; });
    return picked;
}

} // namespace

Result<AgreementReport> Agreement::compare(const ProjectData& a, const ProjectData& b, bool includeProposals,
                                           const QStringList& onlyLabels) {
    QStringList names = a.labels.names();
    for (const QString& name : b.labels.names()) {
        if (!names.contains(name))
            names << name;
    }
    if (!onlyLabels.isEmpty()) {
        for (const QString& label : onlyLabels)
            if (!names.contains(label))
                return Error::invalidArgument(
                    QStringLiteral("no label '%1' in either annotation (labels: %2)")
                        .arg(label, names.join(QStringLiteral(", "))));
        // Segments of the other labels read as no label.
        names = onlyLabels;
    }
    QHash<QString, int> classes;
    for (int i = 0; i < names.size(); ++i)
        classes.insert(names[i], i + 1);
    const size_t classCount = static_cast<size_t>(names.size()) + 1;
    std::vector<std::vector<qint64>> confusion(classCount, std::vector<qint64>(classCount, 0));

    AgreementReport report;
    std::vector<std::array<SegmentMatchCounts, 3>> labelMatches(classCount);
    std::vector<qint64> boundaryErrors;
    double editTotal = 0.0;
    for (const VideoEntry& video : a.videos) {
        const VideoEntry* match = findMatch(b, video);
        if (!match) {
            report.unmatchedVideos << video.id;
            continue;
        }
        const qint64 frames = std::max(lastFrame(video), lastFrame(*match));
        const std::vector<int> labelsA = frameLabels(video, frames, classes, includeProposals);
        const std::vector<int> labelsB = frameLabels(*match, frames, classes, includeProposals);
        for (size_t f = 0; f < labelsA.size(); ++f)
            ++confusion[static_cast<size_t>(labelsA[f])][static_cast<size_t>(labelsB[f])];
        const std::vector<LabelRun> segmentsA = SegmentMetrics::segments(labelsA);
        const std::vector<LabelRun> segmentsB = SegmentMetrics::segments(labelsB);
        for (size_t k = 0; k < SegmentMetrics::kIouThresholds.size(); ++k)
            report.segmentMatches[k] +=
                SegmentMetrics::match(segmentsA, segmentsB, SegmentMetrics::kIouThresholds[k]);
        for (size_t k = 1; k < classCount; ++k) {
            const std::vector<LabelRun> truth = runsOf(segmentsA, static_cast<int>(k));
            const std::vector<LabelRun> predicted = runsOf(segmentsB, static_cast<int>(k));
            for (size_t t = 0; t < SegmentMetrics::kIouThresholds.size(); ++t)
                labelMatches[k][t] +=
                    SegmentMetrics::match(truth, predicted, SegmentMetrics::kIouThresholds[t]);
        }
        report.segmentsA += static_cast<qint64>(segmentsA.size());
        report.segmentsB += static_cast<qint64>(segmentsB.size());
        editTotal += SegmentMetrics::editScore(segmentsA, segmentsB);
        const std::vector<qint64> errors = SegmentMetrics::boundaryErrors(segmentsA, segmentsB);
        boundaryErrors.insert(boundaryErrors.end(), errors.begin(), errors.end());
        report.frames += frames;
        ++report.videosCompared;
    }
    if (report.videosCompared == 0)
        return Error::invalidArgument(QStringLiteral("the two projects have no video in common"));
    report.editScore = editTotal / report.videosCompared;
    report.boundariesMatched = static_cast<qint64>(boundaryErrors.size());
    report.medianBoundaryError = SegmentMetrics::median(std::move(boundaryErrors));

    qint64 agreed = 0;
    for (size_t i = 0; i < classCount; ++i)
        agreed += confusion[i][i];
    report.observedAgreement =
        report.frames > 0 ? static_cast<double>(agreed) / static_cast<double>(report.frames) : 1.0;
    report.kappa = cohensKappa(confusion);
    for (size_t k = 1; k < classCount; ++k) {
        // Collapse to "label k" against everything else.
        std::vector<std::vector<qint64>> binary(2, std::vector<qint64>(2, 0));
        LabelAgreement label;
        label.label = names[static_cast<qsizetype>(k - 1)];
        for (size_t i = 0; i < classCount; ++i) {
            for (size_t j = 0; j < classCount; ++j)
                binary[i == k ? 1 : 0][j == k ? 1 : 0] += confusion[i][j];
        }
        label.framesA = binary[1][0] + binary[1][1];
        label.framesB = binary[0][1] + binary[1][1];
        label.kappa = cohensKappa(binary);
        label.segmentMatches = labelMatches[k];
        report.perLabel.push_back(label);
    }
    return report;
}

} // namespace saccade
