#pragma once

#include "core/annotation/projectdata.h"
#include "core/annotation/segmentmetrics.h"
#include "core/util/result.h"

#include <vector>

namespace saccade {

/// Agreement on one label: Cohen's kappa of "this label" against "anything else" per frame.
struct LabelAgreement {
    QString label;
    double kappa = 0.0;
    qint64 framesA = 0;
    qint64 framesB = 0;
    /// This label's segments matched at IoU 0.10, 0.25 and 0.50 (A the reference): its segment
    /// recall, precision and F1.
    std::array<SegmentMatchCounts, 3> segmentMatches;
};

/// Frame-level agreement of two annotations of the same videos.
struct AgreementReport {
    /// Cohen's kappa over all frames, "no label" counted as a class of its own.
    double kappa = 0.0;
    double observedAgreement = 0.0;
    qint64 frames = 0;
    int videosCompared = 0;
    /// Ids (in the first project) of videos the second project does not have.
    QStringList unmatchedVideos;
    std::vector<LabelAgreement> perLabel;

    /// Segment-level metrics with A as the reference and B as the prediction (SegmentMetrics), summed
    /// over the videos: matches at IoU 0.10, 0.25 and 0.50.
    std::array<SegmentMatchCounts, 3> segmentMatches;
    qint64 segmentsA = 0;
    qint64 segmentsB = 0;
    /// Edit score, the mean over the videos.
    double editScore = 0.0;
    /// Median boundary error in frames over the segments matched at IoU 0.10; -1 when none matched.
    double medianBoundaryError = -1.0;
    qint64 boundariesMatched = 0;

    /// Frame accuracy: the share of frames with the same label (no label included).
    double frameAccuracy() const { return observedAgreement; }
};

/// Compares two projects frame by frame and segment by segment. Videos are matched by content hash
/// (by id, then by file name, when a hash is missing). Each frame takes the label of the first segment
/// covering it (segments ordered by start, end, label); accepted and edited segments count, proposals only
/// when asked. When both raters use a single class everywhere, kappa is 1 (perfect agreement) by convention.
/// Any thread.
class Agreement {
public:
    /// With `onlyLabels`, segments of every other label are left out (read as no label).
    static Result<AgreementReport> compare(const ProjectData& a, const ProjectData& b,
                                           bool includeProposals = false, const QStringList& onlyLabels = {});
    /// Cohen's kappa of a square confusion matrix (rows rater A, columns rater B).
    static double cohensKappa(const std::vector<std::vector<qint64>>& confusion);
};

} // namespace saccade
